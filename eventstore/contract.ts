import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineEvent,
  EventCatalog,
  EventSchemaViolation,
  UnknownEventType,
} from '../domain/events/catalog.ts';
import type { EventMetadata } from '../domain/events/metadata.ts';
import { DuplicateEventId, StreamDeleted, StreamNotFound, WrongExpectedRevision } from './errors.ts';
import { chainHash, contentHash, GENESIS_HASH } from './hashing.ts';
import { eventIds, uuidV5 } from './ids.ts';
import type { EventStore, NewEvent, RecordedEvent, Subscription, SubscriptionMessage } from './port.ts';
import { START } from './port.ts';

/**
 * The behaviour every EventStore adapter must show, proven the same way on each: PostgreSQL and
 * PGlite always, KurrentDB whenever KURRENTDB_URL is set. An adapter's spec file calls
 * `eventStoreContract(name, factory)`.
 */
export interface ContractHarness {
  readonly store: EventStore;
  /** Another store on the same backing data, reading with another catalog (a later deploy). */
  reopen(catalog: EventCatalog): Promise<EventStore> | EventStore;
  close(): Promise<void>;
}

export type ContractFactory = (catalog: EventCatalog) => Promise<ContractHarness>;

// A catalog of test events. `NoteAdded` v1 stored `text`; v2 renamed it to `body` and added `lang`.
const counted = defineEvent({ type: 'Counted', version: 1, schema: z.object({ n: z.number().int() }) });
const labelled = defineEvent({
  type: 'Labelled',
  version: 1,
  schema: z.object({ label: z.string().min(1), amountMinor: z.string().regex(/^-?\d+$/) }),
});
const noteV1 = defineEvent({ type: 'NoteAdded', version: 1, schema: z.object({ text: z.string() }) });
const noteV2 = defineEvent({
  type: 'NoteAdded',
  version: 2,
  schema: z.object({ body: z.string(), lang: z.enum(['fr', 'en']) }),
  upcasters: { 1: (old) => ({ body: (old as { text: string }).text, lang: 'fr' }) },
});
export const contractCatalog = new EventCatalog([counted, labelled, noteV1]);
const laterCatalog = new EventCatalog([counted, labelled, noteV2]);

function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    correlationId: 'corr-1',
    causationId: null,
    actor: { kind: 'system', id: 'contract' },
    idempotencyKey: null,
    occurredAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}

let unique = 0;
function streamName(prefix = 'contract'): string {
  unique += 1;
  return `${prefix}-${Date.now().toString(36)}-${unique}-${Math.random().toString(36).slice(2, 8)}`;
}

function countedEvents(key: string, values: number[]): NewEvent[] {
  const ids = eventIds(key, values.length);
  return values.map((n, i) => ({ id: ids[i]!, type: 'Counted', data: { n }, metadata: metadata() }));
}

async function collect(
  subscription: Subscription,
  until: (messages: SubscriptionMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<SubscriptionMessage[]> {
  const messages: SubscriptionMessage[] = [];
  const deadline = setTimeout(() => void subscription.stop(), timeoutMs);
  try {
    for await (const message of subscription) {
      messages.push(message);
      if (until(messages)) break;
    }
  } finally {
    clearTimeout(deadline);
    await subscription.stop();
  }
  return messages;
}

/**
 * Waits until the global log shows `count` events matching `keep` after `after`. A log may settle
 * a moment after an append returns (PostgreSQL waits for older transactions on the server).
 */
async function settled(
  store: EventStore,
  after: string,
  keep: (event: RecordedEvent) => boolean,
  count: number,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const events = (await store.readAll({ after, maxCount: 10_000 })).filter(keep);
    if (events.length >= count || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const eventsOf = (messages: SubscriptionMessage[]): RecordedEvent[] =>
  messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

export function eventStoreContract(name: string, factory: ContractFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;

    beforeAll(async () => {
      harness = await factory(contractCatalog);
      store = harness.store;
    });
    afterAll(async () => {
      await harness?.close();
    });

    describe('append and read a stream', () => {
      it('records events at 0-based revisions with their data, metadata, times and hashes', async () => {
        const stream = streamName();
        const meta = metadata({ idempotencyKey: 'k-1', causationId: 'cause-1' });
        const ids = eventIds('first', 2);
        const result = await store.append(
          stream,
          [
            { id: ids[0]!, type: 'Counted', data: { n: 1 }, metadata: meta },
            { id: ids[1]!, type: 'Labelled', data: { label: 'été', amountMinor: '15000' }, metadata: meta },
          ],
          'no_stream',
        );
        expect(result.nextExpectedRevision).toBe(1n);
        expect(result.idempotent).toBe(false);

        const events = await store.readStream(stream);
        expect(events.map((e) => [e.revision, e.type, e.id])).toEqual([
          [0n, 'Counted', ids[0]],
          [1n, 'Labelled', ids[1]],
        ]);
        expect(events[1]!.data).toEqual({ label: 'été', amountMinor: '15000' });
        expect(events[0]!.metadata).toEqual(meta);
        expect(events[0]!.streamName).toBe(stream);
        expect(Number.isNaN(Date.parse(events[0]!.recordedAt))).toBe(false);
        expect(events[1]!.position).toBe(result.position);
        expect(events[0]!.position < events[1]!.position).toBe(true);
        expect(await store.streamRevision(stream)).toBe(1n);
      });

      it('chains each event hash to the previous event of its stream', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`chain-${stream}`, [1, 2]), 'no_stream');
        await store.append(stream, countedEvents(`chain2-${stream}`, [3]), 1n);
        const events = await store.readStream(stream);
        let prev = GENESIS_HASH;
        for (const event of events) {
          const expected = chainHash(
            prev,
            stream,
            event.revision,
            contentHash({ ...event, schemaVersion: event.storedSchemaVersion, data: event.storedData }),
          );
          expect(event.hash).toBe(expected);
          prev = event.hash;
        }
        // Start just before the name (a prefix sorts first), so older streams on a shared server don't crowd it out.
        const [summary] = (await store.listStreams(stream.slice(0, -1), 10)).filter(
          (s) => s.streamName === stream,
        );
        expect(summary).toEqual({ streamName: stream, revision: 2n, headHash: prev });
      });

      it('reads backwards, from a revision, and up to a count', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`read-${stream}`, [0, 1, 2, 3, 4]), 'no_stream');
        const n = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(n(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(n(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
        expect(n(await store.readStream(stream, { fromRevision: 2n, maxCount: 2 }))).toEqual([2, 3]);
        expect(n(await store.readStream(stream, { direction: 'backwards', fromRevision: 1n }))).toEqual([
          1, 0,
        ]);
      });

      it('keeps revision order past ten events (numbers, not text)', async () => {
        const stream = streamName();
        const values = Array.from({ length: 25 }, (_, i) => i);
        await store.append(stream, countedEvents(`long-${stream}`, values), 'no_stream');
        const n = (events: RecordedEvent[]) => events.map((e) => (e.data as { n: number }).n);
        expect(n(await store.readStream(stream))).toEqual(values);
        expect(n(await store.readStream(stream, { direction: 'backwards' }))).toEqual([...values].reverse());
        expect(n(await store.readStream(stream, { fromRevision: 9n, maxCount: 3 }))).toEqual([9, 10, 11]);
      });

      it('refuses to read a stream that does not exist', async () => {
        const stream = streamName();
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFound);
        expect(await store.streamRevision(stream)).toBeNull();
      });
    });

    describe('expected state', () => {
      it('no_stream: refuses an existing stream', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`ns1-${stream}`, [1]), 'no_stream');
        const error = await store
          .append(stream, countedEvents(`ns2-${stream}`, [2]), 'no_stream')
          .catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ streamName: stream, expected: 'no_stream', actual: 0n });
      });

      it('stream_exists: refuses a missing stream, accepts an existing one', async () => {
        const stream = streamName();
        const error = await store
          .append(stream, countedEvents(`se1-${stream}`, [1]), 'stream_exists')
          .catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: null });
        await store.append(stream, countedEvents(`se2-${stream}`, [1]), 'any');
        const ok = await store.append(stream, countedEvents(`se3-${stream}`, [2]), 'stream_exists');
        expect(ok.nextExpectedRevision).toBe(1n);
      });

      it('exact revision: accepts the current one, refuses a stale or a future one with both revisions', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`er1-${stream}`, [1, 2]), 'no_stream');
        const stale = await store.append(stream, countedEvents(`er2-${stream}`, [3]), 0n).catch((e) => e);
        expect(stale).toBeInstanceOf(WrongExpectedRevision);
        expect(stale).toMatchObject({ expected: 0n, actual: 1n });
        const future = await store.append(stream, countedEvents(`er3-${stream}`, [3]), 5n).catch((e) => e);
        expect(future).toMatchObject({ expected: 5n, actual: 1n });
        const missing = await store
          .append(streamName(), countedEvents(`er4-${stream}`, [3]), 0n)
          .catch((e) => e);
        expect(missing).toMatchObject({ expected: 0n, actual: null });
        const ok = await store.append(stream, countedEvents(`er5-${stream}`, [3]), 1n);
        expect(ok.nextExpectedRevision).toBe(2n);
        expect((await store.readStream(stream)).length).toBe(3);
      });

      it('any: appends whatever the state', async () => {
        const stream = streamName();
        expect(
          (await store.append(stream, countedEvents(`any1-${stream}`, [1]), 'any')).nextExpectedRevision,
        ).toBe(0n);
        expect(
          (await store.append(stream, countedEvents(`any2-${stream}`, [2]), 'any')).nextExpectedRevision,
        ).toBe(1n);
      });

      it('lets exactly one of many racing appends at the same revision win', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`race0-${stream}`, [0]), 'no_stream');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append(stream, countedEvents(`race-${stream}-${i}`, [i]), 0n),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const o of lost)
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
        expect((await store.readStream(stream)).length).toBe(2);
      });
    });

    describe('idempotency by event id', () => {
      it('a retried append with the same ids writes nothing and returns the first result', async () => {
        const stream = streamName();
        const events = countedEvents(`idem-${stream}`, [1, 2]);
        const first = await store.append(stream, events, 'no_stream');
        const again = await store.append(stream, events, 'no_stream');
        expect(again).toEqual({ ...first, idempotent: true });
        const retriedAny = await store.append(stream, events, 'any');
        expect(retriedAny.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect((await store.readStream(stream)).length).toBe(2);
      });

      it('a retry is recognised after later appends, with its original exact revision', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`late0-${stream}`, [0]), 'no_stream');
        const events = countedEvents(`late1-${stream}`, [1]);
        const first = await store.append(stream, events, 0n);
        await store.append(stream, countedEvents(`late2-${stream}`, [2]), 1n);
        const retry = await store.append(stream, events, 0n);
        expect(retry).toEqual({ ...first, idempotent: true });
        expect((await store.readStream(stream)).length).toBe(3);
      });

      it('a partial overlap of ids is a conflict, not a silent half-write', async () => {
        const stream = streamName();
        const [a, b] = countedEvents(`part-${stream}`, [1, 2]);
        await store.append(stream, [a!], 'no_stream');
        const error = await store.append(stream, [a!, b!], 'any').catch((e) => e);
        expect(error).toBeInstanceOf(WrongExpectedRevision);
        expect((await store.readStream(stream)).length).toBe(1);
      });

      it('the same id in another stream is refused', async () => {
        const [event] = countedEvents(`cross-${streamName()}`, [1]);
        await store.append(streamName(), [event!], 'any');
        const error = await store.append(streamName(), [event!], 'any').catch((e) => e);
        expect(error).toBeInstanceOf(DuplicateEventId);
      });
    });

    describe('schemas', () => {
      it('refuses data that fails its schema and writes nothing', async () => {
        const stream = streamName();
        const [good] = countedEvents(`schema-${stream}`, [1]);
        const bad: NewEvent = {
          id: uuidV5(`bad-${stream}`),
          type: 'Labelled',
          data: { label: '', amountMinor: '12.5' },
          metadata: metadata(),
        };
        const error = await store.append(stream, [good!, bad], 'any').catch((e) => e);
        expect(error).toBeInstanceOf(EventSchemaViolation);
        expect((error as EventSchemaViolation).issues.map((i) => i.path).sort()).toEqual([
          'amountMinor',
          'label',
        ]);
        expect(await store.streamRevision(stream)).toBeNull();
      });

      it('refuses an event type the catalog does not know', async () => {
        const stream = streamName();
        const error = await store
          .append(
            stream,
            [{ id: uuidV5(`u-${stream}`), type: 'Nope', data: {}, metadata: metadata() }],
            'any',
          )
          .catch((e) => e);
        expect(error).toBeInstanceOf(UnknownEventType);
        expect(await store.streamRevision(stream)).toBeNull();
      });

      it('upcasts an event stored at an older schema version when read by newer code', async () => {
        const stream = streamName();
        await store.append(
          stream,
          [
            {
              id: uuidV5(`note-${stream}`),
              type: 'NoteAdded',
              data: { text: 'bonjour' },
              metadata: metadata(),
            },
          ],
          'no_stream',
        );
        const later = await harness.reopen(laterCatalog);
        const [event] = await later.readStream(stream);
        expect(event).toMatchObject({
          type: 'NoteAdded',
          schemaVersion: 2,
          storedSchemaVersion: 1,
          data: { body: 'bonjour', lang: 'fr' },
        });
      });
    });

    describe('the global log', () => {
      it('reads in order after an exclusive position, bounded and filtered', async () => {
        const prefix = streamName('log');
        const before = await store.headPosition();
        await store.append(`${prefix}-a`, countedEvents(`log-a-${prefix}`, [1, 2]), 'no_stream');
        await store.append(`${prefix}-b`, countedEvents(`log-b-${prefix}`, [3]), 'no_stream');
        await store.append(
          `${prefix}-a`,
          [
            {
              id: uuidV5(`log-c-${prefix}`),
              type: 'Labelled',
              data: { label: 'x', amountMinor: '1' },
              metadata: metadata(),
            },
          ],
          1n,
        );
        const all = (await store.readAll({ after: before, maxCount: 1000 })).filter((e) =>
          e.streamName.startsWith(prefix),
        );
        expect(all.map((e) => `${e.streamName.slice(prefix.length)}:${e.revision}`)).toEqual([
          '-a:0',
          '-a:1',
          '-b:0',
          '-a:2',
        ]);
        for (let i = 1; i < all.length; i += 1) expect(all[i - 1]!.position < all[i]!.position).toBe(true);

        const afterFirst = await store.readAll({ after: all[0]!.position, maxCount: 1 });
        expect(afterFirst[0]!.id).toBe(all[1]!.id);
        const labels = await store.readAll({ after: before, filter: { eventTypes: ['Labelled'] } });
        expect(labels.filter((e) => e.streamName.startsWith(prefix)).map((e) => e.type)).toEqual([
          'Labelled',
        ]);
        const onlyB = await store.readAll({ after: before, filter: { streamPrefixes: [`${prefix}-b`] } });
        expect(onlyB.map((e) => e.streamName)).toEqual([`${prefix}-b`]);
        // The committed head covers an append as soon as it returns; the settled head follows.
        expect((await store.committedHead()) >= all.at(-1)!.position).toBe(true);
        await expect.poll(async () => (await store.headPosition()) >= all.at(-1)!.position).toBe(true);
      });
    });

    describe('catch-up subscriptions', () => {
      it('delivers history, turns live without a gap or a duplicate, and stops cleanly', async () => {
        const prefix = streamName('sub');
        const start = await store.headPosition();
        await store.append(`${prefix}-1`, countedEvents(`sub1-${prefix}`, [1, 2, 3]), 'no_stream');
        await settled(store, start, (e) => e.streamName.startsWith(prefix), 3);
        const subscription = store.subscribe({
          after: start,
          batchSize: 2,
          filter: { streamPrefixes: [prefix] },
        });
        let sawCaughtUp = false;
        const received = collect(subscription, (messages) => {
          if (messages.some((m) => m.kind === 'caughtUp') && !sawCaughtUp) {
            sawCaughtUp = true;
            // Live now: write more while the subscription is running.
            void (async () => {
              await store.append(`${prefix}-2`, countedEvents(`sub2-${prefix}`, [4, 5]), 'no_stream');
              await store.append(`${prefix}-1`, countedEvents(`sub3-${prefix}`, [6]), 2n);
            })();
          }
          return eventsOf(messages).length >= 6;
        });
        const messages = await received;
        const values = eventsOf(messages).map((e) => (e.data as { n: number }).n);
        expect(values).toEqual([1, 2, 3, 4, 5, 6]);
        const firstCaughtUp = messages.findIndex((m) => m.kind === 'caughtUp');
        expect(firstCaughtUp).toBe(3);
        const positions = eventsOf(messages).map((e) => e.position);
        expect(new Set(positions).size).toBe(positions.length);
      });

      it('starts after the end when asked, delivering only new events', async () => {
        const prefix = streamName('end');
        await store.append(`${prefix}-old`, countedEvents(`old-${prefix}`, [1]), 'no_stream');
        const subscription = store.subscribe({ after: 'end', filter: { streamPrefixes: [prefix] } });
        const received = collect(subscription, (messages) => {
          if (messages.length === 1 && messages[0]!.kind === 'caughtUp') {
            void store.append(`${prefix}-new`, countedEvents(`new-${prefix}`, [2]), 'no_stream');
          }
          return eventsOf(messages).length >= 1;
        });
        expect(eventsOf(await received).map((e) => e.streamName)).toEqual([`${prefix}-new`]);
      });

      it('filters by event type and reports its position as it catches up', async () => {
        const prefix = streamName('flt');
        const start = await store.headPosition();
        await store.append(`${prefix}-a`, countedEvents(`fa-${prefix}`, [1]), 'no_stream');
        await store.append(
          `${prefix}-a`,
          [
            {
              id: uuidV5(`fb-${prefix}`),
              type: 'Labelled',
              data: { label: 'l', amountMinor: '0' },
              metadata: metadata(),
            },
          ],
          0n,
        );
        const last = await store.append(`${prefix}-a`, countedEvents(`fc-${prefix}`, [2]), 1n);
        const messages = await collect(
          store.subscribe({ after: start, filter: { eventTypes: ['Labelled'], streamPrefixes: [prefix] } }),
          (ms) => ms.some((m) => m.kind === 'caughtUp' && m.position >= last.position),
        );
        expect(eventsOf(messages).map((e) => e.type)).toEqual(['Labelled']);
      });

      it('resumes from a checkpoint without repeating what was delivered', async () => {
        const prefix = streamName('resume');
        const start = await store.headPosition();
        await store.append(`${prefix}-x`, countedEvents(`r-${prefix}`, [1, 2, 3, 4]), 'no_stream');
        const firstTwo = eventsOf(
          await collect(
            store.subscribe({ after: start, filter: { streamPrefixes: [prefix] } }),
            (ms) => eventsOf(ms).length >= 2,
          ),
        );
        const rest = eventsOf(
          await collect(
            store.subscribe({ after: firstTwo[1]!.position, filter: { streamPrefixes: [prefix] } }),
            (ms) => eventsOf(ms).length >= 2,
          ),
        );
        expect([...firstTwo, ...rest].map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4]);
      });
    });

    describe('tombstones', () => {
      it('refuses appends and reads after a stream is deleted', async () => {
        const stream = streamName();
        await store.append(stream, countedEvents(`tomb-${stream}`, [1]), 'no_stream');
        await store.tombstone(stream);
        await expect(
          store.append(stream, countedEvents(`tomb2-${stream}`, [2]), 'any'),
        ).rejects.toBeInstanceOf(StreamDeleted);
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamDeleted);
        const fresh = streamName();
        await store.tombstone(fresh);
        await expect(
          store.append(fresh, countedEvents(`tomb3-${fresh}`, [1]), 'no_stream'),
        ).rejects.toBeInstanceOf(StreamDeleted);
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('reads the whole log from the start', async () => {
      const events = await store.readAll({ after: START, maxCount: 5 });
      expect(events.length).toBeGreaterThan(0);
    });
  });
}
