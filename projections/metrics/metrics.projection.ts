import type { Decimal } from 'decimal.js';
import {
  amount,
  classifyMovement,
  defaultMrrSettings,
  type MrrSettings,
  mrrContribution,
  sum,
} from '../../domain/metrics/index.ts';
import type { SubscriptionEvent } from '../../domain/subscription/subscription.ts';
import { assertNever } from '../../domain/shared/decider.ts';
import type { BatchContext, Projection } from '../runtime/projection.ts';
import { RowWriter } from '../runtime/row-writer.ts';
import type { SqlClient } from '../../eventstore/sql.ts';
import type { MrrSubscriptionRow, MrrTenantRow } from './metrics.table.ts';

const subscriptionsTable = 'rm_mrr_subscriptions';
const tenantsTable = 'rm_mrr_tenants';
const daysTable = 'rm_mrr_days';
const totalsTable = 'rm_mrr_day_totals';

const tables = [
  { name: subscriptionsTable, key: ['subscription_id'], lookups: [['tenant_id']] },
  { name: tenantsTable, key: ['tenant_id'] },
  { name: daysTable, key: ['tenant_id', 'day'] },
  { name: totalsTable, key: ['currency', 'day'] },
] as const;

type Sub = MrrSubscriptionRow;

/** The business date an event takes effect on, and what it does to one subscription's MRR inputs. */
function applyToSubscription(
  existing: Sub | undefined,
  event: SubscriptionEvent,
): { sub: Sub; day: string } | null {
  if (event.type === 'SubscriptionStarted') {
    const d = event.data;
    return {
      day: d.startedOn,
      sub: {
        subscription_id: d.subscriptionId,
        tenant_id: d.tenantId,
        status: d.trialEndsOn === null ? 'active' : 'trialing',
        billing_interval: d.terms.interval,
        currency: d.terms.price.currency,
        price_minor: d.terms.price.amountMinor,
        started_on: d.startedOn,
        trial: d.trialEndsOn !== null,
        converted_on: null,
      },
    };
  }
  if (existing === undefined) return null;
  switch (event.type) {
    case 'TrialConverted':
      return {
        day: event.data.convertedOn,
        sub: { ...existing, status: 'active', converted_on: event.data.convertedOn },
      };
    case 'TrialExpired':
      return { day: event.data.expiredOn, sub: { ...existing, status: 'canceled' } };
    case 'SubscriptionRenewed': {
      const t = event.data.terms;
      return {
        day: event.data.renewedOn,
        sub: {
          ...existing,
          billing_interval: t.interval,
          currency: t.price.currency,
          price_minor: t.price.amountMinor,
        },
      };
    }
    case 'PlanChanged': {
      const t = event.data.to;
      return {
        day: event.data.changedOn,
        sub: {
          ...existing,
          billing_interval: t.interval,
          currency: t.price.currency,
          price_minor: t.price.amountMinor,
        },
      };
    }
    case 'SubscriptionPastDue':
      return { day: event.data.pastDueOn, sub: { ...existing, status: 'past_due' } };
    case 'SubscriptionSuspended':
      return { day: event.data.suspendedOn, sub: { ...existing, status: 'suspended' } };
    case 'SubscriptionReinstated':
      return { day: event.data.reinstatedOn, sub: { ...existing, status: 'active' } };
    case 'SubscriptionCanceled':
      return { day: event.data.canceledOn, sub: { ...existing, status: 'canceled' } };
    case 'PaymentMethodAttached':
    case 'PlanChangeScheduled':
    case 'SubscriptionCancellationScheduled':
    case 'SubscriptionCancellationWithdrawn':
      return null;
    default:
      return assertNever(event, 'subscription event');
  }
}

function annualOf(subs: Iterable<Sub>, currency: string, day: string, settings: MrrSettings): Decimal {
  const annuals: Decimal[] = [];
  for (const s of subs) {
    if (s.currency !== currency) continue;
    annuals.push(
      mrrContribution(
        {
          subscriptionId: s.subscription_id,
          tenantId: s.tenant_id,
          status: s.status,
          interval: s.billing_interval,
          priceMinor: s.price_minor,
          currency: s.currency,
        },
        day,
        settings,
      ).annualMinor,
    );
  }
  return sum(annuals);
}

const exact = (value: Decimal | string): string => (typeof value === 'string' ? value : value.toFixed());

/**
 * MRR per tenant per day, from subscription events, with `domain/metrics` doing the arithmetic.
 * Events are applied one by one in log order, so the day rows are the same whatever the batch
 * size (a rebuild gives the same rows): each event recomputes its tenant's ARR on the event's
 * business date; the day row keeps the ARR at that day's start and end and classifies the change.
 * An event dated before the tenant's last recorded day counts on that day: history is not rewritten.
 */
export function metricsProjection(settings: MrrSettings = defaultMrrSettings): Projection {
  return {
    name: 'metrics',
    // 2: rm_mrr_day_totals (the business's MRR changes per day) is filled too.
    version: 2,
    tables,
    eventTypes: [
      'SubscriptionStarted',
      'TrialConverted',
      'TrialExpired',
      'SubscriptionRenewed',
      'PlanChanged',
      'SubscriptionPastDue',
      'SubscriptionSuspended',
      'SubscriptionReinstated',
      'SubscriptionCanceled',
    ],
    evolve: () => [],
    afterBatch: (tx, context) => projectMrr(tx, context, settings),
  };
}

async function projectMrr(tx: SqlClient, context: BatchContext, settings: MrrSettings): Promise<void> {
  const events = context.events.map((e) => ({ type: e.type, data: e.data }) as SubscriptionEvent);
  const subIds = [...new Set(events.map((e) => e.data.subscriptionId))];
  const startedTenants = events.flatMap((e) => (e.type === 'SubscriptionStarted' ? [e.data.tenantId] : []));
  const known = await tx.query<{ tenant_id: string }>(
    `SELECT DISTINCT tenant_id FROM ${context.table(subscriptionsTable)} WHERE subscription_id = ANY($1::text[])`,
    [subIds],
  );
  const tenantIds = [...new Set([...startedTenants, ...known.rows.map((r) => r.tenant_id)])];
  const subs = new Map<string, Sub>();
  const byTenant = new Map<string, Set<string>>();
  const loaded = await tx.query<Sub>(
    `SELECT subscription_id, tenant_id, status, billing_interval, currency, price_minor::text AS price_minor,
            to_char(started_on, 'YYYY-MM-DD') AS started_on, trial, to_char(converted_on, 'YYYY-MM-DD') AS converted_on
       FROM ${context.table(subscriptionsTable)} WHERE tenant_id = ANY($1::text[])`,
    [tenantIds],
  );
  const remember = (s: Sub) => {
    subs.set(s.subscription_id, s);
    let set = byTenant.get(s.tenant_id);
    if (set === undefined) {
      set = new Set();
      byTenant.set(s.tenant_id, set);
    }
    set.add(s.subscription_id);
  };
  for (const row of loaded.rows) remember(row);
  const tenants = new Map<string, MrrTenantRow>();
  const tenantRows = await tx.query<MrrTenantRow>(
    `SELECT tenant_id, currency, arr_minor::text AS arr_minor, to_char(last_day, 'YYYY-MM-DD') AS last_day,
            arr_at_start_of_last_day::text AS arr_at_start_of_last_day, paid_before_last_day
       FROM ${context.table(tenantsTable)} WHERE tenant_id = ANY($1::text[])`,
    [tenantIds],
  );
  for (const row of tenantRows.rows) tenants.set(row.tenant_id, row);

  const writer = new RowWriter(tables);
  const totals = new DayTotals();
  for (const event of events) {
    const applied = applyToSubscription(subs.get(event.data.subscriptionId), event);
    if (applied === null) continue;
    const { sub } = applied;
    remember(sub);
    writer.push({ kind: 'upsert', table: subscriptionsTable, row: { ...sub } });
    const previous = tenants.get(sub.tenant_id);
    const currency = previous?.currency ?? sub.currency;
    let state: MrrTenantRow =
      previous ??
      ({
        tenant_id: sub.tenant_id,
        currency,
        arr_minor: '0',
        last_day: applied.day,
        arr_at_start_of_last_day: '0',
        paid_before_last_day: false,
      } satisfies MrrTenantRow);
    if (applied.day > state.last_day) {
      // A new day starts from the end of the last one; a positive start means the tenant had paid.
      state = {
        ...state,
        last_day: applied.day,
        paid_before_last_day:
          state.paid_before_last_day || amount(state.arr_at_start_of_last_day).greaterThan(0),
        arr_at_start_of_last_day: state.arr_minor,
      };
    }
    const tenantSubs = [...(byTenant.get(sub.tenant_id) ?? [])].map((id) => subs.get(id)!);
    const arr = annualOf(tenantSubs, currency, state.last_day, settings);
    totals.add(state.last_day, currency, amount(state.arr_minor), arr);
    state = { ...state, arr_minor: exact(arr) };
    tenants.set(sub.tenant_id, state);
    const movement = classifyMovement({
      previousMrrMinor: state.arr_at_start_of_last_day,
      currentMrrMinor: state.arr_minor,
      hadMrrBefore: state.paid_before_last_day,
    });
    writer.push({ kind: 'upsert', table: tenantsTable, row: { ...state } });
    writer.push({
      kind: 'upsert',
      table: daysTable,
      row: {
        tenant_id: sub.tenant_id,
        day: state.last_day,
        currency,
        arr_start_minor: state.arr_at_start_of_last_day,
        arr_end_minor: state.arr_minor,
        movement: movement?.kind ?? null,
      },
    });
  }
  await writer.flush(tx, context.table);
  await totals.flush(tx, context.table(totalsTable));
}

/**
 * The business's ARR changes summed per day and currency (`rm_mrr_day_totals`, see its migration):
 * each event moves its tenant's ARR on its day from `before` to `after`, which adds `after − before`
 * to that day's total, and changes the count of paying tenants when it crosses zero. Sums do not
 * depend on the order they are added in, so a rebuild gives the same rows.
 */
class DayTotals {
  readonly #changes = new Map<string, { day: string; currency: string; arr: Decimal; paying: number }>();

  add(day: string, currency: string, before: Decimal, after: Decimal): void {
    const paying = (after.greaterThan(0) ? 1 : 0) - (before.greaterThan(0) ? 1 : 0);
    if (after.equals(before) && paying === 0) return;
    const key = `${currency} ${day}`;
    const known = this.#changes.get(key);
    if (known === undefined) {
      this.#changes.set(key, { day, currency, arr: after.minus(before), paying });
    } else {
      known.arr = known.arr.plus(after.minus(before));
      known.paying += paying;
    }
  }

  async flush(tx: SqlClient, table: string): Promise<void> {
    if (this.#changes.size === 0) return;
    const rows = [...this.#changes.values()];
    await tx.query(
      `INSERT INTO ${table} AS t (day, currency, arr_change_minor, paying_change)
       SELECT * FROM unnest($1::date[], $2::text[], $3::numeric[], $4::int[])
       ON CONFLICT (currency, day) DO UPDATE
         SET arr_change_minor = t.arr_change_minor + excluded.arr_change_minor,
             paying_change = t.paying_change + excluded.paying_change`,
      [
        rows.map((r) => r.day),
        rows.map((r) => r.currency),
        rows.map((r) => r.arr.toFixed()),
        rows.map((r) => r.paying),
      ],
    );
  }
}
