import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { onlineProviders } from '../../../domain/payment/payment.ts';
import type { RouteOptions } from '../../app.ts';
import { principalOf } from '../../auth/plugin.ts';
import { tenantScope } from '../../auth/tenant-guard.ts';
import { withProblems } from '../../problems.ts';
import { csvOf } from '../../read-models.ts';
import { idSchema } from '../../schemas.ts';
import { amountCell, type CsvPage, exportPageSize, sendCsv, textCell } from './csv.ts';

const paymentStatuses = ['pending', 'failed', 'flagged', 'succeeded', 'refunded'] as const;

/** A period on a legal date, both ends included; `from` after `to` is a validation error. */
export const periodQuery = {
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
};
export const periodInOrder = (q: { from?: string | undefined; to?: string | undefined }) =>
  q.from === undefined || q.to === undefined || q.from <= q.to;

export const csvResponse = z
  .string()
  .meta({ description: 'text/csv; charset=utf-8, a header row then one line per row (attachment)' });

export interface PaymentExportFilter {
  readonly tenantId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly provider?: string;
  readonly status?: readonly string[];
}

interface PaymentExportRow {
  payment_date: string;
  payment_id: string;
  tenant_id: string;
  legal_name: string | null;
  provider: string;
  method: string | null;
  status: string;
  currency: string;
  expected_minor: string;
  paid_minor: string;
  refunded_minor: string;
  allocated_minor: string;
  credit_to_balance_minor: string;
  client_reference: string | null;
  provider_transaction_id: string | null;
  invoice_ids: string[];
}

/**
 * The payment's date, a calendar date in the tenant's time zone: the day an accountant says the
 * money came in for a manual payment, else the day it settled (or failed, or was started, for a
 * payment that never settled). The tenants read model gives the zone; Dakar's when it is missing.
 */
const paymentDate = sql`coalesce(p.received_on,
  (coalesce(p.settled_at, p.failed_at, p.started_at) AT TIME ZONE coalesce(t.time_zone, 'Africa/Dakar'))::date)`;

/**
 * One keyset page of the payments export, in payment-date order. The date depends on the tenant's
 * zone, so no index covers it: each page filters the tenant/status/provider subset again, which
 * costs a scan of that subset per page (exportPageSize rows), not a sort of the whole table in memory.
 */
export async function paymentExportPage(
  // biome-ignore lint/suspicious/noExplicitAny: the read models are queried with raw SQL.
  db: Kysely<any>,
  filter: PaymentExportFilter,
  after: readonly string[] | null,
  limit = exportPageSize,
): Promise<CsvPage<PaymentExportRow>> {
  const inner = [sql`true`];
  if (filter.tenantId !== undefined) inner.push(sql`p.tenant_id = ${filter.tenantId}`);
  if (filter.provider !== undefined) inner.push(sql`p.provider = ${filter.provider}`);
  if (filter.status !== undefined && filter.status.length > 0)
    inner.push(sql`p.status = ANY(${[...filter.status]}::text[])`);
  const outer = [sql`true`];
  if (filter.from !== undefined) outer.push(sql`x.payment_date >= ${filter.from}::date`);
  if (filter.to !== undefined) outer.push(sql`x.payment_date <= ${filter.to}::date`);
  if (after !== null) outer.push(sql`(x.payment_date, x.payment_id) > (${after[0]}::date, ${after[1]})`);
  const { rows } = await sql<PaymentExportRow & { day: string }>`
    SELECT x.*, to_char(x.payment_date, 'YYYY-MM-DD') AS day FROM (
      SELECT ${paymentDate} AS payment_date, p.payment_id, p.tenant_id, t.legal_name, p.provider,
             p.method, p.status, p.currency, p.expected_minor::text AS expected_minor,
             p.paid_minor::text AS paid_minor, p.refunded_minor::text AS refunded_minor,
             p.allocated_minor::text AS allocated_minor,
             p.credit_to_balance_minor::text AS credit_to_balance_minor, p.client_reference,
             p.provider_transaction_id, p.invoice_ids
        FROM rm_payments AS p LEFT JOIN rm_tenants AS t ON t.tenant_id = p.tenant_id
       WHERE ${sql.join(inner, sql` AND `)}) AS x
     WHERE ${sql.join(outer, sql` AND `)}
     ORDER BY x.payment_date, x.payment_id
     LIMIT ${limit + 1}`.execute(db);
  const kept = rows.slice(0, limit).map(({ day, ...row }) => ({ ...row, payment_date: day }));
  const last = kept.at(-1);
  return {
    rows: kept,
    next: rows.length > limit && last !== undefined ? [last.payment_date, last.payment_id] : null,
  };
}

export const paymentExportHeader = [
  'payment_date',
  'payment_id',
  'tenant_id',
  'tenant_name',
  'provider',
  'method',
  'status',
  'currency',
  'expected',
  'paid',
  'refunded',
  'allocated',
  'credit_to_balance',
  'client_reference',
  'provider_transaction_id',
  'invoice_ids',
] as const;

function paymentLine(r: PaymentExportRow): string[] {
  return [
    r.payment_date,
    textCell(r.payment_id),
    textCell(r.tenant_id),
    textCell(r.legal_name),
    textCell(r.provider),
    textCell(r.method),
    textCell(r.status),
    textCell(r.currency),
    amountCell(r.expected_minor, r.currency),
    amountCell(r.paid_minor, r.currency),
    amountCell(r.refunded_minor, r.currency),
    amountCell(r.allocated_minor, r.currency),
    amountCell(r.credit_to_balance_minor, r.currency),
    textCell(r.client_reference),
    textCell(r.provider_transaction_id),
    textCell(Array.isArray(r.invoice_ids) ? r.invoice_ids.join(' ') : ''),
  ];
}

/** `GET /api/v1/payments/export.csv`: every payment matching the filters, oldest payment date first. */
export const paymentExportRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { ledger, now }) => {
  app.get(
    '/api/v1/payments/export.csv',
    {
      config: { permission: 'payments:read' },
      schema: {
        tags: ['payments', 'exports'],
        summary:
          'Payments as CSV (amounts in major units with their currency), filtered by payment date, provider, status and tenant',
        querystring: z
          .object({
            ...periodQuery,
            tenantId: idSchema.optional(),
            provider: z.enum([...onlineProviders, 'manual']).optional(),
            status: csvOf([...paymentStatuses]),
          })
          .refine(periodInOrder, { message: 'from is after to', path: ['to'] }),
        response: withProblems({ 200: csvResponse }),
      },
    },
    async (request, reply) => {
      const q = request.query;
      const tenantId = tenantScope(principalOf(request), q.tenantId);
      const filter: PaymentExportFilter = {
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.to === undefined ? {} : { to: q.to }),
        ...(q.provider === undefined ? {} : { provider: q.provider }),
        ...(q.status === undefined ? {} : { status: q.status }),
      };
      const today = now().toISOString().slice(0, 10);
      const filename = ['payments', tenantId, q.from ?? 'start', q.to ?? today]
        .filter((part) => part !== undefined)
        .join('_');
      return sendCsv(reply, {
        filename: `${filename}.csv`,
        header: paymentExportHeader,
        line: paymentLine,
        page: (after) => paymentExportPage(ledger.db, filter, after),
      });
    },
  );
};
