// Proves the MRR and overdue-risk read models give the worked examples of docs/metrics.md from events, as of any date, on PostgreSQL.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dunningEventDefinitions } from '../domain/dunning/dunning.ts';
import { freshEventStore, type TestEventStore } from '../test/support/db.ts';
import { allProjections } from './index.ts';
import { monthMetrics } from './metrics/metrics.dashboard.ts';
import { mrrAsOf, mrrMovements, mrrSeries } from './metrics/metrics.queries.ts';
import { scoreOverdueRiskDaily } from './overdue-risk/overdue-risk.projection.ts';
import { getOverdueRisk, listOverdueRisk } from './overdue-risk/overdue-risk.queries.ts';
import { readCheckpoints } from './runtime/checkpoints.ts';
import { rebuildProjections } from './runtime/rebuild.ts';
import { ProjectionRunner } from './runtime/runner.ts';
import {
  appendHistory,
  type GivenEvent,
  issuedInvoice,
  paidWith,
  paymentFailed,
  planChanged,
  projectionTestCatalog,
  reminderSent,
  subscriptionCanceled,
  subscriptionStarted,
  tenantRegistered,
} from './testing/history.ts';

let t: TestEventStore;

async function given(events: GivenEvent[]): Promise<void> {
  await appendHistory(t.store, events);
  const runner = new ProjectionRunner({
    pool: t.pool,
    store: t.store,
    projections: allProjections,
    eventsPerBatch: 97,
  });
  await runner.catchUp();
  await runner.stop();
  const failed = (await readCheckpoints(t.pool)).filter((c) => c.status === 'failed');
  expect(failed.map((c) => c.error?.message)).toEqual([]);
}

beforeAll(async () => {
  // ReminderSent is defined by the dunning job until it moves to domain/.
  t = await freshEventStore('postgres', projectionTestCatalog(dunningEventDefinitions));
});
afterAll(async () => {
  await t.close();
});

describe('MRR from subscription events', () => {
  it('100 subscribers at 100/month and 50 at 600/year give MRR 12 500; trials count nothing', async () => {
    const events: GivenEvent[] = [];
    for (let i = 0; i < 100; i += 1) {
      events.push(
        subscriptionStarted({
          subscriptionId: `m-${i}`,
          tenantId: `mt-${i}`,
          interval: 'monthly',
          priceMinor: 100n,
          startedOn: '2026-01-10',
        }),
      );
    }
    for (let i = 0; i < 50; i += 1) {
      events.push(
        subscriptionStarted({
          subscriptionId: `a-${i}`,
          tenantId: `at-${i}`,
          interval: 'annual',
          priceMinor: 600n,
          startedOn: '2026-01-20',
        }),
      );
    }
    events.push(
      subscriptionStarted({
        subscriptionId: 'trial-1',
        tenantId: 'tt-1',
        interval: 'monthly',
        priceMinor: 9_999n,
        startedOn: '2026-01-20',
        trial: true,
      }),
    );
    await given(events);
    const figure = await mrrAsOf(t.db, '2026-01-31');
    expect(figure.mrrMinor.toString()).toBe('12500');
    expect(figure.arrMinor.toString()).toBe('150000');
    expect(figure.payingTenants).toBe(150);
    // As it stood on earlier dates.
    expect((await mrrAsOf(t.db, '2026-01-15')).mrrMinor.toString()).toBe('10000');
    expect((await mrrAsOf(t.db, '2026-01-09')).mrrMinor.toString()).toBe('0');
    const series = await mrrSeries(t.db, '2026-01-09', '2026-01-21');
    expect(series.map((p) => p.mrrMinor.toString())).toEqual([
      '0',
      '10000',
      ...Array(9).fill('10000'),
      '12500',
      '12500',
    ]);
    const movements = await mrrMovements(t.db, '2026-01-01', '2026-01-31');
    expect(movements.byKind.new.toString()).toBe('12500');
    expect(movements.netNewMrrMinor.toString()).toBe('12500');
  });

  it('start 1 000, +100 new, +50 expansion, −40 contraction, −60 churn → 1 050', async () => {
    await given([
      subscriptionStarted({
        subscriptionId: 'w-1',
        tenantId: 'w-1',
        interval: 'monthly',
        priceMinor: 400n,
        startedOn: '2026-02-01',
      }),
      subscriptionStarted({
        subscriptionId: 'w-2',
        tenantId: 'w-2',
        interval: 'monthly',
        priceMinor: 300n,
        startedOn: '2026-02-01',
      }),
      subscriptionStarted({
        subscriptionId: 'w-3',
        tenantId: 'w-3',
        interval: 'monthly',
        priceMinor: 240n,
        startedOn: '2026-02-01',
      }),
      subscriptionStarted({
        subscriptionId: 'w-4',
        tenantId: 'w-4',
        interval: 'monthly',
        priceMinor: 60n,
        startedOn: '2026-02-01',
      }),
      subscriptionStarted({
        subscriptionId: 'w-5',
        tenantId: 'w-5',
        interval: 'monthly',
        priceMinor: 100n,
        startedOn: '2026-03-02',
      }),
      planChanged('w-1', '2026-03-05', 400n, 450n),
      planChanged('w-3', '2026-03-06', 240n, 200n),
      subscriptionCanceled('w-4', '2026-03-07'),
    ]);
    const wTenants = async (date: string) => {
      let total = 0n;
      for (const id of ['w-1', 'w-2', 'w-3', 'w-4', 'w-5'])
        total += BigInt((await mrrAsOf(t.db, date, { tenantId: id })).mrrMinor.toString());
      return total.toString();
    };
    expect(await wTenants('2026-02-28')).toBe('1000');
    expect(await wTenants('2026-03-31')).toBe('1050');
    let net = 0n;
    const kinds: Record<string, bigint> = {};
    for (const id of ['w-1', 'w-2', 'w-3', 'w-4', 'w-5']) {
      const m = await mrrMovements(t.db, '2026-03-01', '2026-03-31', { tenantId: id });
      for (const [kind, value] of Object.entries(m.byKind))
        kinds[kind] = (kinds[kind] ?? 0n) + BigInt(value.toString());
      net += BigInt(m.netNewMrrMinor.toString());
    }
    expect(kinds).toEqual({ new: 100n, expansion: 50n, contraction: -40n, churn: -60n, reactivation: 0n });
    expect(net).toBe(50n);
  });

  it("the business's MRR from the day totals equals the sum of every tenant's, on every date and in the series", async () => {
    const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM rm_mrr_tenants`.execute(t.db);
    expect(rows.length).toBeGreaterThan(3);
    const dates = [
      '2026-01-09',
      '2026-01-31',
      '2026-02-28',
      '2026-03-05',
      '2026-03-06',
      '2026-03-31',
      '2027-12-31',
    ];
    for (const date of dates) {
      let total = 0n;
      let paying = 0;
      for (const { tenant_id } of rows) {
        const one = await mrrAsOf(t.db, date, { tenantId: tenant_id });
        total += BigInt(one.arrMinor.toString());
        paying += one.payingTenants;
      }
      const whole = await mrrAsOf(t.db, date);
      expect([date, whole.arrMinor.toString(), whole.payingTenants]).toEqual([
        date,
        total.toString(),
        paying,
      ]);
    }
    const series = await mrrSeries(t.db, '2026-02-25', '2026-03-10');
    for (const point of series)
      expect(point.mrrMinor.toString()).toBe((await mrrAsOf(t.db, point.date)).mrrMinor.toString());
  });

  it('gross MRR churn (10 churn + 10 contraction) / 100 = 20 %, net with 10 expansion = 10 %', async () => {
    await given([
      subscriptionStarted({
        subscriptionId: 'g-1',
        tenantId: 'g-1',
        interval: 'monthly',
        priceMinor: 50n,
        startedOn: '2027-05-03',
      }),
      subscriptionStarted({
        subscriptionId: 'g-2',
        tenantId: 'g-2',
        interval: 'monthly',
        priceMinor: 40n,
        startedOn: '2027-05-03',
      }),
      subscriptionStarted({
        subscriptionId: 'g-3',
        tenantId: 'g-3',
        interval: 'monthly',
        priceMinor: 10n,
        startedOn: '2027-05-03',
      }),
      planChanged('g-1', '2027-06-10', 50n, 40n),
      planChanged('g-2', '2027-06-11', 40n, 50n),
      subscriptionCanceled('g-3', '2027-06-12'),
    ]);
    // Every earlier tenant of this file is still paying and unchanged in June 2027, so the
    // month's churn comes from these three alone; the base is the whole customer base.
    const june = await monthMetrics(t.db, '2027-06');
    const base = june.retention.startingMrrMinor;
    expect(june.retention).toMatchObject({ churnedCustomers: 1 });
    expect(june.retention.churnMinor.toString()).toBe('10');
    expect(june.retention.contractionMinor.toString()).toBe('10');
    expect(june.retention.expansionMinor.toString()).toBe('10');
    expect(june.revenueChurn!.grossRate.times(base).toDecimalPlaces(20).toString()).toBe('20');
    expect(june.revenueChurn!.netRate.times(base).toDecimalPlaces(20).toString()).toBe('10');
    expect(june.arrMinor.toString()).toBe(june.mrrMinor.times(12).toString());
    expect(june.churnBadge).toBe('healthy');
  });

  it('an annual 1 200 subscription counts 100 a month, exactly', async () => {
    await given([
      subscriptionStarted({
        subscriptionId: 'y-1',
        tenantId: 'y-1',
        interval: 'annual',
        priceMinor: 1_200n,
        startedOn: '2026-04-01',
      }),
    ]);
    expect((await mrrAsOf(t.db, '2026-04-01', { tenantId: 'y-1' })).mrrMinor.toString()).toBe('100');
  });
});

describe('overdue risk', () => {
  it('scores a tenant with money due, stores the factors beside the score, and the daily job moves the date', async () => {
    await given([
      tenantRegistered('risk-1', 'Risque SARL', '2025-01-01T00:00:00Z'),
      ...issuedInvoice({
        invoiceId: 'r-inv-1',
        tenantId: 'risk-1',
        number: 'F-2026-100001',
        linesMinor: [100_000n],
        issuedOn: '2026-01-01',
        dueOn: '2026-01-16',
      }),
      ...paidWith({
        paymentId: 'r-p-1',
        tenantId: 'risk-1',
        invoiceId: 'r-inv-1',
        amountMinor: 118_000n,
        amountDueBeforeMinor: 118_000n,
        on: '2026-01-30',
      }),
      ...issuedInvoice({
        invoiceId: 'r-inv-2',
        tenantId: 'risk-1',
        number: 'F-2026-100002',
        linesMinor: [100_000n],
        issuedOn: '2026-03-01',
        dueOn: '2026-03-16',
      }),
      ...paymentFailed('r-p-2', 'risk-1', 'r-inv-2', 118_000n, '2026-03-10'),
      reminderSent('r-inv-2', 'risk-1', 1, '2026-03-16', '2026-03-19'),
      reminderSent('r-inv-1', 'risk-1', 1, '2026-01-16', '2026-01-19'),
      tenantRegistered('risk-0', 'Sage SA', '2025-01-01T00:00:00Z'),
    ]);
    const risk = await getOverdueRisk(t.db, 'risk-1');
    expect(risk).toMatchObject({
      tenant_id: 'risk-1',
      amount_due_minor: '118000',
      currency: 'XOF',
      model_version: 1,
    });
    expect(risk!.factors.map((f) => f.factor)).toEqual([
      'days_past_due',
      'amount_vs_usual_invoice',
      'late_payment_history',
      'failed_payment_attempts',
      'reminders_sent',
      'tenure',
      'usage_trend',
    ]);
    expect(risk!.score).toBe(risk!.factors.reduce((s, f) => s + f.points, 0));
    expect(risk!.factors.find((f) => f.factor === 'failed_payment_attempts')!.observed).toBe('1');
    // Only the reminder about the invoice still open counts.
    expect(risk!.factors.find((f) => f.factor === 'reminders_sent')!.observed).toBe('1');
    expect(risk!.factors.find((f) => f.factor === 'late_payment_history')!.points).toBeGreaterThan(0);

    // Sixty days later the debt is older: the daily job scores higher, and that score is current.
    expect(await scoreOverdueRiskDaily(t.pool, '2026-05-15')).toBe(1);
    const later = await getOverdueRisk(t.db, 'risk-1');
    expect(later!.as_of).toBe('2026-05-15');
    expect(later!.score).toBeGreaterThan(risk!.score);
    expect((await listOverdueRisk(t.db)).items.map((r) => r.tenant_id)).toEqual(['risk-1']);
  });

  it('rebuilds the metrics and risk rows identically, whatever the batch size', async () => {
    const checked = await rebuildProjections({
      pool: t.pool,
      store: t.store,
      projections: allProjections.filter((p) =>
        ['metrics', 'overdue-risk', 'subscriptions'].includes(p.name),
      ),
      eventsPerBatch: 13,
      check: true,
    });
    expect(checked.identical).toBe(true);
  });
});
