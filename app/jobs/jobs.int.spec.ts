/**
 * Proves the daily jobs on the PostgreSQL event store: an unpaid invoice falls overdue, gets its
 * reminders 3, 7 and 14 days after its due date and its subscription is suspended after 21 days;
 * a trial with no payment method expires with no invoice; and two schedulers running every day at
 * once record exactly what one scheduler records (same events, same stream heads), as does a
 * catch-up after downtime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventCatalog } from '../../domain/events/catalog.ts';
import { allEventDefinitions } from '../../domain/events/index.ts';
import { addDays } from '../../domain/shared/calendar-date.ts';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { testContext } from '../../test/support/context.ts';
import { publishDefaultCatalog } from '../billing/catalog.ts';
import { loadSubscription, startSubscription } from '../billing/subscriptions.ts';
import { registerTenant } from '../billing/tenants.ts';
import { catchUp, newJobIndex, runDailyJobs } from './daily.ts';

const catalog = () => new EventCatalog(allEventDefinitions);
const stores: TestEventStore[] = [];

async function givenHistory(): Promise<TestEventStore> {
  const db = await freshEventStore('postgres', catalog());
  stores.push(db);
  const deps = { store: db.store };
  const at = (date: string) => ({ occurredAt: `${date}T09:00:00.000Z` });
  await publishDefaultCatalog(deps, {}, testContext('catalog', at('2026-01-01')));
  for (const tenantId of ['late', 'trial']) {
    await registerTenant(
      deps,
      {
        tenantId,
        details: {
          legalName: `Cabinet ${tenantId}`,
          taxId: '0012345672G3',
          tradeRegisterNumber: 'SN-DKR-2020-B-12345',
          address: { line1: 'Avenue Cheikh Anta Diop', city: 'Dakar' },
          country: 'SN',
          billingCurrency: 'XOF',
          billingEmail: `compta@${tenantId}.sn`,
          billingPhone: '+221771234567',
        },
      },
      testContext(`register-${tenantId}`, at('2026-01-01')),
    );
  }
  const paid = await startSubscription(
    deps,
    {
      subscriptionId: 'sub-late',
      tenantId: 'late',
      planCode: 'essential',
      interval: 'monthly',
      trial: false,
      today: '2026-01-01',
    },
    testContext('start-late', at('2026-01-01')),
  );
  expect(paid.ok).toBe(true);
  const trial = await startSubscription(
    deps,
    {
      subscriptionId: 'sub-trial',
      tenantId: 'trial',
      planCode: 'essential',
      interval: 'monthly',
      trial: true,
      today: '2026-01-01',
    },
    testContext('start-trial', at('2026-01-01')),
  );
  expect(trial.ok).toBe(true);
  return db;
}

async function snapshot(db: TestEventStore) {
  const events = await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events');
  const heads = await db.pool.query<{ stream_name: string; revision: string; head_hash: string }>(
    'SELECT stream_name, revision::text AS revision, head_hash FROM ledger_streams ORDER BY stream_name COLLATE "C"',
  );
  const types = await db.pool.query<{ event_type: string; n: string }>(
    'SELECT event_type, count(*)::text AS n FROM ledger_events GROUP BY event_type ORDER BY event_type COLLATE "C"',
  );
  return {
    events: Number(events.rows[0]!.n),
    heads: heads.rows,
    types: Object.fromEntries(types.rows.map((r) => [r.event_type, Number(r.n)])),
  };
}

const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};
const clockOf = (day: string) => () => new Date(`${day}T00:30:00.000Z`);

let once: TestEventStore;
let onceSnapshot: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  once = await givenHistory();
  const index = newJobIndex();
  for (const day of days('2026-01-01', '2026-02-15')) {
    await runDailyJobs({ store: once.store, index, clock: clockOf(day) }, day);
  }
  onceSnapshot = await snapshot(once);
}, 120_000);

afterAll(async () => {
  for (const db of stores) await db.close();
});

describe('daily jobs', () => {
  it('marks the unpaid invoice overdue, reminds on days 3, 7 and 14 and suspends after 21; expires the trial with no invoice', async () => {
    expect(onceSnapshot.types).toMatchObject({
      InvoiceMarkedOverdue: 1,
      SubscriptionPastDue: 1,
      ReminderSent: 3,
      SubscriptionSuspended: 1,
      TrialExpired: 1,
      InvoiceIssued: 1,
    });
    const reminders = await once.pool.query<{ scheduled: string; sent: string }>(
      `SELECT data->>'scheduledOn' AS scheduled, metadata->>'occurredAt' AS sent FROM ledger_events
        WHERE event_type = 'ReminderSent' ORDER BY data->>'scheduledOn'`,
    );
    expect(reminders.rows.map((r) => r.scheduled)).toEqual(['2026-01-19', '2026-01-23', '2026-01-30']);
    const suspended = await loadSubscription({ store: once.store }, 'sub-late');
    expect(suspended).toMatchObject({ status: 'suspended', suspendedOn: '2026-02-06' });
    expect((await loadSubscription({ store: once.store }, 'sub-trial')).status).toBe('expired');
  });

  it('two schedulers running every day at once record what one records', async () => {
    const twice = await givenHistory();
    const a = newJobIndex();
    const b = newJobIndex();
    for (const day of days('2026-01-01', '2026-02-15')) {
      await Promise.all([
        runDailyJobs({ store: twice.store, index: a, clock: clockOf(day) }, day),
        runDailyJobs({ store: twice.store, index: b, clock: clockOf(day) }, day),
      ]);
    }
    expect(await snapshot(twice)).toEqual(onceSnapshot);
  }, 120_000);

  it('a catch-up after downtime replays each missed day and ends where daily runs end', async () => {
    const late = await givenHistory();
    let lastRunOn: string | null = '2025-12-31';
    const reports = await catchUp(
      {
        store: late.store,
        clock: () => new Date('2026-02-15T00:30:00.000Z'),
        lastRunOn: async () => lastRunOn,
        recordRun: async (day) => {
          lastRunOn = day;
        },
      },
      '2026-02-15',
    );
    expect(reports.map((r) => r.today)).toEqual(days('2026-01-01', '2026-02-15'));
    const caughtUp = await snapshot(late);
    expect(caughtUp.types).toEqual(onceSnapshot.types);
    // Run again: nothing is left to do.
    await runDailyJobs(
      { store: late.store, clock: () => new Date('2026-02-15T01:00:00.000Z') },
      '2026-02-15',
    );
    expect((await snapshot(late)).events).toBe(caughtUp.events);
  }, 120_000);
});
