// Proves each read model turns a given history into the rows the back office reads, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEventStore, type TestEventStore } from '../test/support/db.ts';
import { listAuditTrail } from './audit-trail/audit-trail.queries.ts';
import { getCustomerBalance } from './customer-balances/customer-balances.queries.ts';
import { allProjections } from './index.ts';
import { getInvoice, listCreditNotes, listInvoices } from './invoices/invoices.queries.ts';
import { listAllocations, listPayments } from './payments/payments.queries.ts';
import { getPlanVersions, listPlans } from './plans/plans.queries.ts';
import { readCheckpoints } from './runtime/checkpoints.ts';
import { ProjectionRunner } from './runtime/runner.ts';
import { getTenant, listTenants } from './tenants/tenants.queries.ts';
import {
  appendHistory,
  creditBalanceIncreased,
  creditNoteIssued,
  type GivenEvent,
  issuedInvoice,
  paidWith,
  paymentFailed,
  planPublished,
  projectionTestCatalog,
  tenantRegistered,
} from './testing/history.ts';

let t: TestEventStore;

async function given(events: GivenEvent[]): Promise<void> {
  await appendHistory(t.store, events);
  const runner = new ProjectionRunner({ pool: t.pool, store: t.store, projections: allProjections });
  await runner.catchUp();
  await runner.stop();
  const failed = (await readCheckpoints(t.pool)).filter((c) => c.status === 'failed');
  expect(failed.map((c) => c.error?.message)).toEqual([]);
}

beforeAll(async () => {
  t = await freshEventStore('postgres', projectionTestCatalog());
});
afterAll(async () => {
  await t.close();
});

describe('read models, given events then rows', () => {
  it('tenants: registered, renamed, suspended; listed by name with a cursor', async () => {
    await given([
      tenantRegistered('t-b', 'Banque Atlantique'),
      tenantRegistered('t-a', 'Auchan Dakar'),
      tenantRegistered('t-c', 'Clinique Pasteur'),
      {
        stream: 'tenant-t-a',
        type: 'TenantDetailsUpdated',
        data: {
          tenantId: 't-a',
          changes: { legalName: 'Auchan Sénégal', paymentTermsDays: 30 },
          updatedAt: '2026-02-01T00:00:00Z',
        },
      },
      {
        stream: 'tenant-t-c',
        type: 'TenantSuspended',
        data: { tenantId: 't-c', reason: 'non_payment', note: null, suspendedAt: '2026-02-02T00:00:00Z' },
      },
    ]);
    const a = await getTenant(t.db, 't-a');
    expect(a).toMatchObject({
      legal_name: 'Auchan Sénégal',
      payment_terms_days: 30,
      status: 'active',
      billing_currency: 'XOF',
    });
    expect((await getTenant(t.db, 't-c'))?.status).toBe('suspended');

    const first = await listTenants(t.db, {}, { limit: 2 });
    expect(first.items.map((r) => r.tenant_id)).toEqual(['t-a', 't-b']);
    const second = await listTenants(t.db, {}, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((r) => r.tenant_id)).toEqual(['t-c']);
    expect(second.nextCursor).toBeNull();
    expect((await listTenants(t.db, { search: 'ban' })).items.map((r) => r.tenant_id)).toEqual(['t-b']);
    expect((await listTenants(t.db, { status: 'suspended' })).items.map((r) => r.tenant_id)).toEqual(['t-c']);
  });

  it('plans: published, a new version, retired', async () => {
    await given([
      planPublished('essential', 15_000n),
      {
        stream: 'plan-essential',
        type: 'PlanVersionPublished',
        data: {
          planCode: 'essential',
          version: 2,
          publishedAt: '2026-02-01T00:00:00Z',
          terms: {
            name: 'Essentiel',
            trialDays: 7,
            meters: [],
            pricing: {
              kind: 'list',
              prices: [{ interval: 'monthly', price: { amountMinor: '18000', currency: 'XOF' } }],
            },
          },
        },
      },
      planPublished('legacy', 5_000n),
      {
        stream: 'plan-legacy',
        type: 'PlanRetired',
        data: { planCode: 'legacy', lastVersion: 1, retiredAt: '2026-02-03T00:00:00Z' },
      },
    ]);
    const plans = await listPlans(t.db);
    expect(plans.map((p) => [p.plan_code, p.status, p.latest_version, p.name])).toEqual([
      ['essential', 'published', 2, 'Essentiel'],
      ['legacy', 'retired', 1, 'legacy'],
    ]);
    expect((await getPlanVersions(t.db, 'essential')).map((v) => v.trial_days)).toEqual([14, 7]);
  });

  it('invoices, lines, payments, allocations, credit notes and balances move together', async () => {
    // inv-1: 10 000 + 5 000 net, 2 700 tax = 17 700; paid 10 000 then 7 700.
    // inv-2: 20 000 net, 3 600 tax = 23 600; a credit note of 5 000 net (5 900) leaves 17 700 due.
    // inv-3: paid 20 000 on 11 800 due: 8 200 excess goes to the credit balance.
    await given([
      tenantRegistered('t-inv', 'Orange Money Test'),
      ...issuedInvoice({
        invoiceId: 'inv-1',
        tenantId: 't-inv',
        number: 'F-2026-000001',
        linesMinor: [10_000n, 5_000n],
      }),
      ...issuedInvoice({
        invoiceId: 'inv-2',
        tenantId: 't-inv',
        number: 'F-2026-000002',
        linesMinor: [20_000n],
        issuedOn: '2026-03-02',
      }),
      ...issuedInvoice({
        invoiceId: 'inv-3',
        tenantId: 't-inv',
        number: 'F-2026-000003',
        linesMinor: [10_000n],
        issuedOn: '2026-03-03',
      }),
      ...paidWith({
        paymentId: 'p-1',
        tenantId: 't-inv',
        invoiceId: 'inv-1',
        amountMinor: 10_000n,
        amountDueBeforeMinor: 17_700n,
      }),
      ...paymentFailed('p-2', 't-inv', 'inv-1', 7_700n),
      ...paidWith({
        paymentId: 'p-3',
        tenantId: 't-inv',
        invoiceId: 'inv-1',
        amountMinor: 7_700n,
        amountDueBeforeMinor: 7_700n,
      }),
      creditNoteIssued({
        invoiceId: 'inv-2',
        creditNoteId: 'cn-1',
        number: 'AV-2026-000001',
        invoiceNumber: 'F-2026-000002',
        netMinor: 5_000n,
        amountDueBeforeMinor: 23_600n,
      }),
      ...paidWith({
        paymentId: 'p-4',
        tenantId: 't-inv',
        invoiceId: 'inv-3',
        amountMinor: 20_000n,
        amountDueBeforeMinor: 11_800n,
      }),
      creditBalanceIncreased('t-inv', 'inv-3', 8_200n, 8_200n),
    ]);

    const inv1 = await getInvoice(t.db, 'inv-1');
    expect(inv1).toMatchObject({
      status: 'paid',
      number: 'F-2026-000001',
      issued_on: '2026-03-01',
      due_on: '2026-03-16',
      total_minor: '17700',
      paid_minor: '17700',
      amount_due_minor: '0',
      payments_count: 2,
      paid_on: '2026-03-10',
    });
    expect(inv1?.lines.map((l) => [l.line_id, l.amount_minor, l.quantity])).toEqual([
      ['l1', '10000', '1'],
      ['l2', '5000', '1'],
    ]);
    const inv2 = await getInvoice(t.db, 'inv-2');
    expect(inv2).toMatchObject({ status: 'issued', amount_due_minor: '17700', credited_total_minor: '5900' });
    expect(inv2?.creditNotes.map((c) => [c.number, c.total_minor, c.tenant_id])).toEqual([
      ['AV-2026-000001', '5900', 't-inv'],
    ]);
    expect((await listCreditNotes(t.db, { tenantId: 't-inv' })).items).toHaveLength(1);

    const open = await listInvoices(t.db, { tenantId: 't-inv', open: true });
    expect(open.items.map((i) => i.invoice_id)).toEqual(['inv-2']);
    const newestFirst = await listInvoices(t.db, { tenantId: 't-inv' }, 'issued_desc', { limit: 2 });
    expect(newestFirst.items.map((i) => i.invoice_id)).toEqual(['inv-3', 'inv-2']);
    const rest = await listInvoices(t.db, { tenantId: 't-inv' }, 'issued_desc', {
      limit: 2,
      cursor: newestFirst.nextCursor,
    });
    expect(rest.items.map((i) => i.invoice_id)).toEqual(['inv-1']);
    expect((await listInvoices(t.db, { numberPrefix: 'F-2026-00000' })).items).toHaveLength(3);

    const payments = await listPayments(t.db, { tenantId: 't-inv' });
    expect(payments.items.map((p) => [p.payment_id, p.status, p.paid_minor, p.allocated_minor])).toEqual([
      ['p-2', 'failed', '0', '0'],
      ['p-4', 'succeeded', '20000', '11800'],
      ['p-3', 'succeeded', '7700', '7700'],
      ['p-1', 'succeeded', '10000', '10000'],
    ]);
    expect((await listPayments(t.db, { reference: 'T-p-3' })).items.map((p) => p.payment_id)).toEqual([
      'p-3',
    ]);
    const allocations = await listAllocations(t.db, { invoiceId: 'inv-1' });
    expect(allocations.map((a) => [a.payment_id, a.amount_applied_minor, a.tenant_id, a.applied_on])).toEqual(
      [
        ['p-1', '10000', 't-inv', '2026-03-10'],
        ['p-3', '7700', 't-inv', '2026-03-10'],
      ],
    );

    expect(await getCustomerBalance(t.db, 't-inv')).toMatchObject({
      invoiced_minor: String(17_700 + 23_600 + 11_800),
      receivable_minor: '17700',
      credit_balance_minor: '8200',
      open_invoices: 1,
      oldest_due_on: '2026-03-16',
    });
  });

  it('audit trail: every event by entity, with both times, the actor and the correlation', async () => {
    const trail = await listAuditTrail(t.db, { entityType: 'invoice', entityId: 'inv-1' });
    expect(trail.items.map((r) => r.event_type)).toEqual([
      'InvoiceDrafted',
      'InvoiceLineAdded',
      'InvoiceLineAdded',
      'InvoiceIssued',
      'InvoicePaymentApplied',
      'InvoicePaymentApplied',
      'InvoicePaid',
    ]);
    expect(trail.items[0]).toMatchObject({
      actor_kind: 'user',
      actor_id: 'admin-1',
      correlation_id: 'corr-test',
      revision: '0',
    });
    expect(trail.items[0]!.occurred_at).toBeInstanceOf(Date);
    const balance = await listAuditTrail(t.db, { entityType: 'customer-balance' });
    expect(balance.items.map((r) => [r.entity_id, r.tenant_id])).toEqual([['t-inv', 't-inv']]);
    // By tenant: InvoicePaid names only its invoice, yet belongs to the tenant's trail.
    const all = await listAuditTrail(t.db, { tenantId: 't-inv' }, { limit: 200 });
    expect(all.items.filter((r) => r.event_type === 'InvoicePaid').map((r) => r.entity_id)).toEqual([
      'inv-1',
      'inv-3',
    ]);
    expect(all.items.every((r) => r.stream_name !== 'tenant-t-a')).toBe(true);
    const page = await listAuditTrail(t.db, { tenantId: 't-inv' }, { limit: 5 });
    const next = await listAuditTrail(t.db, { tenantId: 't-inv' }, { limit: 5, cursor: page.nextCursor });
    expect(next.items[0]!.position > page.items.at(-1)!.position).toBe(true);
  });
});
