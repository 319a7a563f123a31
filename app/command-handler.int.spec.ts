// Proves the command path on real PostgreSQL: decide on the stream as read, retry a lost race on
// fresh state, refuse cleanly, and record a retried command once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../domain/events/catalog.ts';
import { accept, type Decider, refuse } from '../domain/shared/decider.ts';
import { freshEventStore, type TestEventStore } from '../test/support/db.ts';
import { testContext } from '../test/support/context.ts';
import { handleCommand } from './command-handler.ts';

type SeatEvent = { type: 'SeatTaken'; data: { seat: number; by: string } };
type SeatCommand = { type: 'TakeSeat'; by: string };
interface SeatState {
  taken: number;
}
const seatsMax = 3;
const seats: Decider<SeatCommand, SeatEvent, SeatState> = {
  initialState: () => ({ taken: 0 }),
  evolve: (state) => ({ taken: state.taken + 1 }),
  decide: (command, state) =>
    state.taken >= seatsMax
      ? refuse('no_seat_left', 'every seat is taken')
      : accept({ type: 'SeatTaken', data: { seat: state.taken + 1, by: command.by } }),
};
const catalog = new EventCatalog([
  defineEvent({
    type: 'SeatTaken',
    version: 1,
    schema: z.object({ seat: z.number().int(), by: z.string() }),
  }),
]);

describe('handleCommand', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await freshEventStore('postgres', catalog);
  });
  afterAll(async () => {
    await t.close();
  });

  it('given racing commands on one stream, each loser retries on fresh state and the limit holds', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        handleCommand(t.store, seats, 'room-1', { type: 'TakeSeat', by: `p${i}` }, testContext(`take-${i}`)),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    const refused = outcomes.filter((o) => !o.ok);
    expect(refused).toHaveLength(3);
    for (const o of refused) if (!o.ok) expect(o.refusal.code).toBe('no_seat_left');
    const events = await t.store.readStream('room-1');
    expect(events.map((e) => (e.data as { seat: number }).seat)).toEqual([1, 2, 3]);
  });

  it('given a command already handled, when it is retried with its key, then nothing new is recorded', async () => {
    const first = await handleCommand(
      t.store,
      seats,
      'room-2',
      { type: 'TakeSeat', by: 'a' },
      testContext('once'),
    );
    const again = await handleCommand(
      t.store,
      seats,
      'room-2',
      { type: 'TakeSeat', by: 'a' },
      testContext('once'),
    );
    expect(first.ok && again.ok).toBe(true);
    if (first.ok && again.ok) {
      expect(again.replayed).toBe(true);
      expect(again.position).toBe(first.position);
      expect(again.events).toEqual(first.events);
    }
    expect(await t.store.streamRevision('room-2')).toBe(0n);
  });
});
