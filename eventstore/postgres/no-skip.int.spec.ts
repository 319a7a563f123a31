// Proves a subscriber on the PostgreSQL log never skips an event whose transaction commits after a
// later-numbered one, delivers every event once, and is not stalled by unrelated transactions.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlPool } from '../sql.ts';
import { contractCatalog } from '../contract.ts';
import { eventIds } from '../ids.ts';
import type { EventStore, NewEvent, SubscriptionMessage } from '../port.ts';
import { START } from '../port.ts';
import { freshEventStore, type TestEventStore, testDatabaseUrl } from '../../test/support/db.ts';
import { PostgresEventStore } from './postgres-event-store.ts';

function counted(key: string, n: number): NewEvent[] {
  return [
    {
      id: eventIds(key, 1)[0]!,
      type: 'Counted',
      data: { n },
      metadata: {
        correlationId: 'c',
        causationId: null,
        actor: { kind: 'system', id: 'test' },
        idempotencyKey: key,
        occurredAt: '2026-11-25T10:00:00.000Z',
      },
    },
  ];
}

/**
 * Reads what a subscriber gets: until it first reports it has caught up, or — when `count` is
 * given — until that many events arrived. (Settling can lag a commit by as long as any other
 * transaction on the server that started earlier runs: other test files share the server.)
 */
async function drain(
  store: EventStore,
  after: string,
  count?: number,
): Promise<{ values: number[]; position: string }> {
  const subscription = store.subscribe({ after });
  const values: number[] = [];
  let position = after;
  const deadline = setTimeout(() => void subscription.stop(), 30_000);
  for await (const message of subscription as AsyncIterable<SubscriptionMessage>) {
    if (message.kind === 'event') {
      values.push((message.event.data as { n: number }).n);
      position = message.event.position;
      if (count !== undefined && values.length >= count) break;
    } else {
      position = message.position;
      if (count === undefined) break;
    }
  }
  clearTimeout(deadline);
  await subscription.stop();
  return { values, position };
}

describe('PostgreSQL log: out-of-order commits', () => {
  let t: TestEventStore;
  let held: pg.Client;
  let heldStore: PostgresEventStore;

  beforeAll(async () => {
    t = await freshEventStore('postgres', contractCatalog);
    held = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path="${t.schema}"` });
    await held.connect();
    // A store whose appends run on one held connection, so a test can keep its transaction open.
    const onHeld = {
      backend: 'postgres',
      query: async (text: string, params?: readonly unknown[]) => {
        const r = await held.query(text, params as unknown[]);
        return { rows: r.rows, rowCount: r.rowCount, command: r.command };
      },
    } as unknown as SqlPool;
    heldStore = new PostgresEventStore({ pool: onHeld, catalog: contractCatalog });
  });
  afterAll(async () => {
    await held.end();
    await t.close();
  });

  it('given a lower-numbered event still uncommitted, a subscriber waits for it instead of passing it by', async () => {
    await held.query('BEGIN');
    await heldStore.append('slow', counted('slow', 1), 'no_stream'); // takes the lower global position
    const fast = await t.store.append('fast', counted('fast', 2), 'no_stream'); // higher position, committed first

    // The hazard is real: a reader going by global position alone sees only the later event now.
    const naive = await t.pool.query<{ n: number }>(
      `SELECT (data->>'n')::int AS n FROM ledger_events WHERE global_position > 0 ORDER BY global_position`,
    );
    expect(naive.rows.map((r) => r.n)).toEqual([2]);

    const whileOpen = await drain(t.store, START);
    expect(whileOpen.values).toEqual([]);
    // A reader cannot reach `fast` yet, but the writer of `fast` is told a position that covers
    // it: read-your-writes then waits for the slow append to settle instead of answering early.
    expect((await t.store.headPosition()) < fast.position).toBe(true);
    expect((await t.store.committedHead()) >= fast.position).toBe(true);

    await held.query('COMMIT');
    const afterCommit = await drain(t.store, whileOpen.position, 2);
    expect(afterCommit.values).toEqual([1, 2]);
  });

  it('refuses an append inside a transaction that already wrote, so no older id can slip in later', async () => {
    await held.query('BEGIN');
    await held.query('SELECT pg_current_xact_id()'); // an id taken before the append
    await expect(heldStore.append('late-id', counted('late-id', 3), 'no_stream')).rejects.toThrow(
      /first write of its transaction/,
    );
    await held.query('ROLLBACK');
    expect(await t.store.streamRevision('late-id')).toBeNull();
  });

  it('is not held back by a long transaction that writes elsewhere on the server', async () => {
    const start = await t.store.headPosition();
    await held.query('BEGIN');
    await held.query('CREATE TEMP TABLE elsewhere (x int)');
    await held.query('INSERT INTO elsewhere VALUES (1)'); // a writing transaction that stays open
    await t.store.append('meanwhile', counted('meanwhile', 5), 'no_stream');
    const delivered = await drain(t.store, start, 1);
    expect(delivered.values).toEqual([5]);
    await held.query('ROLLBACK');
  });

  it('given many concurrent writers, a live subscriber delivers every committed event exactly once', async () => {
    const start = await t.store.headPosition();
    const seen = new Map<number, number>();
    const subscription = t.store.subscribe({ after: start, filter: { streamPrefixes: ['w-'] } });
    const total = 8 * 25;
    const reading = (async () => {
      for await (const message of subscription) {
        if (message.kind !== 'event') continue;
        const n = (message.event.data as { n: number }).n;
        seen.set(n, (seen.get(n) ?? 0) + 1);
        if (seen.size === total) break;
      }
    })();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 25; i += 1) {
          const n = w * 1000 + i;
          await t.store.append(`w-${w}`, counted(`w-${w}-${i}`, n), i === 0 ? 'no_stream' : BigInt(i - 1));
        }
      }),
    );
    await reading;
    await subscription.stop();
    expect(seen.size).toBe(total);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
  });
});
