/**
 * Proves the scheduler role on the PostgreSQL event store: started after two days of downtime, it
 * runs each missed day in order (the unpaid invoice falls overdue on the day after its due date), records the last day run, and a
 * second run the same day records nothing.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { testContext } from '../../test/support/context.ts';
import { publishDefaultCatalog } from '../billing/catalog.ts';
import { loadInvoiceState } from '../billing/invoicing.ts';
import { periodInvoiceId, startSubscription } from '../billing/subscriptions.ts';
import { registerTenant } from '../billing/tenants.ts';
import { createLogger } from '../logger.ts';
import { startScheduler } from './scheduler.ts';

let db: TestEventStore;

afterAll(async () => {
  await db.close();
});

describe('scheduler', () => {
  it('catches up the days missed since its last run, records the day, and a second run adds nothing', async () => {
    db = await freshEventStore('postgres');
    const deps = { store: db.store };
    const at = { occurredAt: '2026-01-01T09:00:00.000Z' };
    await publishDefaultCatalog(deps, {}, testContext('catalog', at));
    await registerTenant(
      deps,
      {
        tenantId: 'sched',
        details: {
          legalName: 'Agence Sahel',
          taxId: '0012345672G3',
          tradeRegisterNumber: 'SN-DKR-2021-B-00042',
          address: { line1: 'Rue 10', city: 'Dakar' },
          country: 'SN',
          billingCurrency: 'XOF',
          billingEmail: 'compta@sahel.sn',
          billingPhone: '+221770000042',
        },
      },
      testContext('register', at),
    );
    await startSubscription(
      deps,
      {
        subscriptionId: 'sched-s',
        tenantId: 'sched',
        planCode: 'essential',
        interval: 'monthly',
        trial: false,
        today: '2026-01-01',
      },
      testContext('start', at),
    );
    const stateFile = join(await mkdtemp(join(tmpdir(), 'ledger-scheduler-')), 'last-run.json');
    await writeFile(stateFile, JSON.stringify({ lastRunOn: '2026-01-14' }));

    const scheduler = startScheduler({
      store: db.store,
      logger: createLogger('silent'),
      stateFile,
      clock: () => new Date('2026-01-17T00:30:00.000Z'),
    });
    const reports = await scheduler.runNow();
    expect(reports.map((r) => r.today)).toEqual(['2026-01-15', '2026-01-16', '2026-01-17']);
    expect(reports.map((r) => r.done.overdue)).toEqual([0, 0, 1]);
    const invoice = await loadInvoiceState(deps, periodInvoiceId('sched-s', '2026-01-01'));
    expect(invoice).toMatchObject({ status: 'overdue', overdueOn: '2026-01-17' });
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual({ lastRunOn: '2026-01-17' });

    const count = async () =>
      (await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events')).rows[0]!.n;
    const before = await count();
    expect(await scheduler.runNow()).toEqual([]);
    expect(await count()).toBe(before);
    await scheduler.stop();
  }, 60_000);
});
