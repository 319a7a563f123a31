// Proves a subscriber on the PostgreSQL log never skips an event whose transaction commits after a
// later-numbered one, and delivers in (transaction id, position) order without loss.
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

/** Reads what a subscriber gets until it reports it has caught up. */
async function drain(store: EventStore, after: string): Promise<{ values: number[]; position: string }> {
  const subscription = store.subscribe({ after });
  const values: number[] = [];
  let position = after;
  for await (const message of subscription as AsyncIterable<SubscriptionMessage>) {
    if (message.kind === 'event') values.push((message.event.data as { n: number }).n);
    else {
      position = message.position;
      break;
    }
  }
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
    await t.store.append('fast', counted('fast', 2), 'no_stream'); // higher position, committed first

    // The hazard is real: a reader going by global position alone sees only the later event now.
    const naive = await t.pool.query<{ n: number }>(
      `SELECT (data->>'n')::int AS n FROM ledger_events WHERE global_position > 0 ORDER BY global_position`,
    );
    expect(naive.rows.map((r) => r.n)).toEqual([2]);

    const whileOpen = await drain(t.store, START);
    expect(whileOpen.values).toEqual([]);

    await held.query('COMMIT');
    const afterCommit = await drain(t.store, whileOpen.position);
    expect(afterCommit.values).toEqual([1, 2]);
  });

  it('given a transaction that started first but wrote last, both events arrive once, in log order', async () => {
    const start = await t.store.headPosition();
    await held.query('BEGIN');
    await held.query('SELECT pg_current_xact_id()'); // the older transaction id
    await t.store.append('later-id', counted('later-id', 3), 'no_stream');
    const partial = await drain(t.store, start);
    await heldStore.append('earlier-id', counted('earlier-id', 4), 'no_stream'); // higher position, older id
    await held.query('COMMIT');
    const rest = await drain(t.store, partial.position);
    const all = [...partial.values, ...rest.values];
    expect(all.sort()).toEqual([3, 4]);
    expect(new Set(all).size).toBe(2);
    // Log order is (transaction id, position): the older transaction's event comes first.
    expect(rest.values).toEqual([4, 3]);
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
