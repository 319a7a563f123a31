// Proves the projector runtime's promises on PostgreSQL: exactly-once rows with the checkpoint, leases, poison events that stop and name the event, lag, read-your-writes, and rebuilds that swap identical rows in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { allProjections } from '../index.ts';
import { awaitReadModels, ProjectionsBehind } from '../read-your-writes.ts';
import {
  appendHistory,
  type GivenEvent,
  issuedInvoice,
  paidWith,
  projectionTestCatalog,
  tenantRegistered,
} from '../testing/history.ts';
import { clearFailure, readCheckpoints } from './checkpoints.ts';
import { rebuildOutdated } from './outdated.ts';
import { type Projection, upsert } from './projection.ts';
import { RebuildMismatch, rebuildProjections, tableChecksum } from './rebuild.ts';
import { ProjectionRunner } from './runner.ts';
import { projectionStatus, projectionsHealthCheck, waitForPosition } from './status.ts';

let t: TestEventStore;
const runners: ProjectionRunner[] = [];

function runner(
  projections: readonly Projection[],
  options: { owner?: string; eventsPerBatch?: number; leaseMs?: number } = {},
) {
  const r = new ProjectionRunner({ pool: t.pool, store: t.store, projections, idleMs: 10, ...options });
  runners.push(r);
  return r;
}

/** A projection over a table of its own that counts events per stream and can be told to fail. */
function counter(
  name: string,
  behaviour: { poison?: (e: GivenEvent['type']) => 'throw' | 'null' | null; random?: boolean } = {},
): Projection {
  return {
    name,
    version: 1,
    tables: [{ name: `${name}_counts`, key: ['stream'] }],
    eventTypes: 'all',
    evolve(event) {
      const verdict = behaviour.poison?.(event.type) ?? null;
      if (verdict === 'throw') throw new Error(`cannot count ${event.type}`);
      return [
        upsert(`${name}_counts`, {
          stream: event.streamName,
          last_revision: event.revision.toString(),
          note: verdict === 'null' ? null : behaviour.random ? String(Math.random()) : 'ok',
        }),
      ];
    },
  };
}

async function createCounterTable(name: string): Promise<void> {
  await t.pool.query(
    `CREATE TABLE IF NOT EXISTS ${name}_counts (stream text PRIMARY KEY, last_revision bigint NOT NULL, note text NOT NULL)`,
  );
}

let invoiceNumber = 0;

function history(prefix: string, tenants: number): GivenEvent[] {
  const events: GivenEvent[] = [];
  for (let i = 0; i < tenants; i += 1) {
    const tenantId = `${prefix}-${i}`;
    const invoiceId = `${prefix}-inv-${i}`;
    events.push(tenantRegistered(tenantId));
    events.push(
      ...issuedInvoice({
        invoiceId,
        tenantId,
        number: `F-2026-${String(++invoiceNumber).padStart(6, '0')}`,
        linesMinor: [10_000n],
      }),
    );
    events.push(
      ...paidWith({
        paymentId: `${prefix}-pay-${i}`,
        tenantId,
        invoiceId,
        amountMinor: 5_000n,
        amountDueBeforeMinor: 11_800n,
      }),
    );
  }
  return events;
}

beforeAll(async () => {
  t = await freshEventStore('postgres', projectionTestCatalog());
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  await t.close();
});
beforeEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
});

describe('the projector runtime', () => {
  it('moves rows and checkpoint together, one lease holder at a time, and reports lag until caught up', async () => {
    await createCounterTable('lease');
    const last = await appendHistory(t.store, history('lease', 5));
    const projection = counter('lease');
    const before = await projectionStatus(t.pool, t.store, [projection]);
    expect(before[0]).toMatchObject({ status: 'unregistered', eventsBehind: 35 });

    const a = runner([projection], { owner: 'a', eventsPerBatch: 7 });
    const b = runner([projection], { owner: 'b', eventsPerBatch: 7 });
    expect((await a.step()).leased).toEqual(['lease']);
    expect((await b.step()).leased).toEqual([]);
    const midway = await projectionStatus(t.pool, t.store, [projection]);
    expect(midway[0]).toMatchObject({ status: 'running', eventsBehind: 28, leaseOwner: 'a' });
    await a.catchUp();
    const [checkpoint] = await readCheckpoints(t.pool, ['lease']);
    expect(checkpoint).toMatchObject({ position: last, eventsProcessed: '35' });
    const { rows } = await t.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM lease_counts');
    expect(rows[0]!.n).toBe('15');

    // When a stops, b takes the lease over and carries on from a's checkpoint.
    await a.stop();
    await appendHistory(t.store, history('lease2', 1));
    expect((await b.step()).leased).toEqual(['lease']);
    expect((await readCheckpoints(t.pool, ['lease']))[0]!.eventsProcessed).toBe('42');

    const health = await projectionsHealthCheck(t.pool, t.store, [projection]).check();
    expect(health).toMatchObject({
      ok: true,
      detail: { lease: { status: 'running', eventsBehind: 0, lagSeconds: 0 } },
    });
  });

  it('stops a projection on an event that throws, names it, and leaves the others running', async () => {
    await createCounterTable('poison');
    await appendHistory(t.store, [tenantRegistered('poison-1')]);
    const bad = counter('poison', { poison: (type) => (type === 'TenantSuspended' ? 'throw' : null) });
    const good = counter('lease');
    const r = runner([bad, good], { eventsPerBatch: 100 });
    await r.catchUp();
    const before = (await readCheckpoints(t.pool, ['poison']))[0]!.position;
    await appendHistory(t.store, [
      tenantRegistered('poison-2'),
      {
        stream: 'tenant-poison-2',
        type: 'TenantSuspended',
        data: { tenantId: 'poison-2', reason: 'other', note: null, suspendedAt: '2026-03-01T00:00:00Z' },
      },
      tenantRegistered('poison-3'),
    ]);
    await r.catchUp();
    const [checkpoint] = await readCheckpoints(t.pool, ['poison']);
    expect(checkpoint!.status).toBe('failed');
    expect(checkpoint!.error).toMatchObject({ eventType: 'TenantSuspended', streamName: 'tenant-poison-2' });
    expect(checkpoint!.error!.message).toContain(checkpoint!.error!.eventId!);
    expect(checkpoint!.error!.message).toContain('cannot count TenantSuspended');
    // The event before the poison one is applied; nothing after it is.
    expect(checkpoint!.position > before).toBe(true);
    expect(checkpoint!.position < checkpoint!.error!.position!).toBe(true);
    const counted = await t.pool.query<{ stream: string }>(
      `SELECT stream FROM poison_counts WHERE stream LIKE 'tenant-poison%' ORDER BY stream`,
    );
    expect(counted.rows.map((x) => x.stream)).toEqual(['tenant-poison-1', 'tenant-poison-2']);
    // The healthy projection went past it.
    const lease = (await readCheckpoints(t.pool, ['lease']))[0]!;
    expect(lease.position >= checkpoint!.error!.position!).toBe(true);
    const health = await projectionsHealthCheck(t.pool, t.store, [bad, good]).check();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatchObject({
      poison: { status: 'failed', eventId: checkpoint!.error!.eventId },
    });

    // Once the code is fixed, clearing the failure resumes from the poison event itself.
    expect(await clearFailure(t.pool, 'poison')).toBe(true);
    await runner([counter('poison'), good]).catchUp();
    const after = await t.pool.query<{ stream: string; last_revision: string }>(
      `SELECT stream, last_revision::text FROM poison_counts WHERE stream LIKE 'tenant-poison%' ORDER BY stream`,
    );
    expect(after.rows).toEqual([
      { stream: 'tenant-poison-1', last_revision: '0' },
      { stream: 'tenant-poison-2', last_revision: '1' },
      { stream: 'tenant-poison-3', last_revision: '0' },
    ]);
  });

  it('pins a failing statement on one event by replaying the batch event by event', async () => {
    await createCounterTable('sqlpoison');
    const start = await t.store.headPosition();
    await appendHistory(t.store, [
      tenantRegistered('sql-1'),
      {
        stream: 'tenant-sql-1',
        type: 'TenantClosed',
        data: { tenantId: 'sql-1', reason: 'other', note: null, closedAt: '2026-03-01T00:00:00Z' },
      },
      tenantRegistered('sql-2'),
    ]);
    const projection = counter('sqlpoison', { poison: (type) => (type === 'TenantClosed' ? 'null' : null) });
    const r = runner([projection], { eventsPerBatch: 1000 });
    await r.catchUp();
    const [checkpoint] = await readCheckpoints(t.pool, ['sqlpoison']);
    expect(checkpoint).toMatchObject({
      status: 'failed',
      error: { eventType: 'TenantClosed', streamName: 'tenant-sql-1' },
    });
    expect(checkpoint!.error!.message).toContain('null value');
    expect(checkpoint!.position > start).toBe(true);
  });

  it('waits for a position within a bound (read-your-writes)', async () => {
    const projections = allProjections;
    const position = await appendHistory(t.store, [tenantRegistered('ryw-1')]);
    const early = await waitForPosition(t.pool, position, 50, ['tenants']);
    expect(early.reached).toBe(false);
    expect(early.behind).toEqual(['tenants']);
    const r = runner(projections);
    r.start();
    const started = Date.now();
    const late = await waitForPosition(t.pool, position, 10_000, ['tenants', 'audit-trail']);
    expect(late).toEqual({ reached: true, behind: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
    const { rows } = await t.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM rm_tenants WHERE tenant_id = 'ryw-1'`,
    );
    expect(rows[0]!.n).toBe('1');
    // What a route does with the position a client sends: wait, or 503 with a retry hint.
    await expect(awaitReadModels(t.pool, position, ['tenants'])).resolves.toBeUndefined();
    await r.stop();
    const ahead = await appendHistory(t.store, [tenantRegistered('ryw-2')]);
    const refused = await awaitReadModels(t.pool, ahead, ['tenants'], 30).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProjectionsBehind);
    expect(refused).toMatchObject({ behind: ['tenants'], retryAfterSeconds: 1 });
  });

  it('rebuilds beside the live tables while they keep answering, and a checked rebuild finds identical rows', async () => {
    await appendHistory(t.store, history('rb', 30));
    const live = runner(allProjections, { eventsPerBatch: 50 });
    await live.catchUp();
    live.start();
    const liveCount = async () =>
      (await t.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM rm_audit_trail')).rows[0]!.n;
    const countBefore = await liveCount();
    const seenDuring: string[] = [];
    const report = await rebuildProjections({
      pool: t.pool,
      store: t.store,
      projections: allProjections,
      eventsPerBatch: 40,
      onProgress: () => {
        seenDuring.push('x');
      },
    });
    expect(seenDuring.length).toBeGreaterThan(3);
    expect(report.eventsDone).toBeGreaterThanOrEqual(Number(countBefore));
    expect(Number(await liveCount())).toBeGreaterThanOrEqual(Number(countBefore));
    // Events arrive after the swap; the live projector resumes from the swapped checkpoint.
    const position = await appendHistory(t.store, history('rb-after', 3));
    expect(
      (
        await waitForPosition(
          t.pool,
          position,
          10_000,
          allProjections.map((p) => p.name),
        )
      ).reached,
    ).toBe(true);
    await live.stop();

    const checked = await rebuildProjections({
      pool: t.pool,
      store: t.store,
      projections: allProjections,
      check: true,
    });
    expect(checked.identical).toBe(true);
    expect(checked.comparison!.length).toBe(allProjections.flatMap((p) => p.tables).length);
    for (const c of checked.comparison!) expect(c.rebuilt).toEqual(c.live);
    const { rows } = await t.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_tables WHERE tablename LIKE '%rebuild'`,
    );
    expect(rows[0]!.n).toBe('0');
    // The swapped tables keep the live index names.
    const indexes = await t.pool.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'rm_invoices' ORDER BY indexname`,
    );
    expect(indexes.rows.map((r) => r.indexname)).toContain('rm_invoices_tenant');
  });

  it('rebuilds a projection whose code version changed, once, and the runner resumes it', async () => {
    await createCounterTable('versioned');
    await appendHistory(t.store, history('ver', 2));
    await runner([counter('versioned')]).catchUp();
    for (const r of runners.splice(0)) await r.stop();
    const v2 = { ...counter('versioned'), version: 2 };
    const stale = await projectionStatus(t.pool, t.store, [v2]);
    expect(stale[0]).toMatchObject({ needsRebuild: true, storedVersion: 1, codeVersion: 2 });
    expect((await runner([v2]).step()).leased).toEqual([]);
    const [first, second] = await Promise.all([
      rebuildOutdated(t.pool, t.store, [v2]),
      rebuildOutdated(t.pool, t.store, [v2]),
    ]);
    expect([...first, ...second]).toEqual(['versioned']);
    expect((await readCheckpoints(t.pool, ['versioned']))[0]!.version).toBe(2);
    expect((await runner([v2], { owner: 'after' }).step()).leased).toEqual(['versioned']);
  });

  it('fails a checked rebuild of a projection that is not deterministic, and keeps the live rows', async () => {
    await createCounterTable('random');
    const projection = counter('random', { random: true });
    await runner([projection]).catchUp();
    for (const r of runners.splice(0)) await r.stop();
    const before = await tableChecksum(t.pool, 'random_counts');
    await expect(
      rebuildProjections({ pool: t.pool, store: t.store, projections: [projection], check: true }),
    ).rejects.toBeInstanceOf(RebuildMismatch);
    expect(await tableChecksum(t.pool, 'random_counts')).toEqual(before);
  });
});

describe('on embedded PGlite', () => {
  it('projects, leases, waits and rebuilds the same way', async () => {
    const p = await freshEventStore('pglite', projectionTestCatalog());
    try {
      const position = await appendHistory(p.store, history('lite', 3));
      const a = new ProjectionRunner({
        pool: p.pool,
        store: p.store,
        projections: allProjections,
        owner: 'a',
      });
      const b = new ProjectionRunner({
        pool: p.pool,
        store: p.store,
        projections: allProjections,
        owner: 'b',
      });
      await a.catchUp();
      expect((await b.step()).leased).toEqual([]);
      expect(
        (
          await waitForPosition(
            p.pool,
            position,
            1000,
            allProjections.map((x) => x.name),
          )
        ).reached,
      ).toBe(true);
      await a.stop();
      const checked = await rebuildProjections({
        pool: p.pool,
        store: p.store,
        projections: allProjections,
        check: true,
      });
      expect(checked.identical).toBe(true);
      const { rows } = await p.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM rm_invoices');
      expect(rows[0]!.n).toBe('3');
    } finally {
      await p.close();
    }
  });
});
