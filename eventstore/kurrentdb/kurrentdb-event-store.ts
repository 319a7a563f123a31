import {
  BACKWARDS,
  END,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  type ResolvedEvent,
  START as CLIENT_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import { type EventMetadata, eventMetadataSchema } from '../../domain/events/metadata.ts';
import { DuplicateEventId, StreamDeleted, StreamNotFound, WrongExpectedRevision } from '../errors.ts';
import { chainHash, contentHash, GENESIS_HASH } from '../hashing.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedState,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamSummary,
  SubscribeOptions,
  Subscription,
} from '../port.ts';
import { START } from '../port.ts';
import {
  decodePosition,
  encodePosition,
  mapClientError,
  matchesFilter,
  serverFilter,
  toRecordedEvent,
  toStoredMetadata,
  toStreamState,
} from './mapping.ts';
import { KurrentDbSubscription } from './subscription.ts';

/** Named limits: every append, read, scan, retry and wait is bounded. */
export const eventsPerAppendMax = 1000;
export const eventsPerReadMax = 10_000;
const eventsPerReadDefault = 1000;
/** A stream read without maxCount returns the whole stream, up to this many events. */
export const eventsPerStreamReadMax = 100_000;
/**
 * With 'any' or 'stream_exists' the caller names no revision, so a retried append is recognised
 * by finding its first event id among this many events at the end of the stream (plus the
 * append's own length).
 */
export const idempotencyLookbackEvents = 64;
/** Read-then-append rounds for 'any' / 'stream_exists' when other writers keep winning the race. */
export const appendAttemptsMax = 5;
/** `listStreams` scans `$all`; it refuses logs longer than this rather than run for hours. */
export const listStreamsScanEventsMax = 5_000_000;
const scanPageEvents = 1000;
/** A readAll whose filter keeps few events reads on page by page, up to this many pages. */
const readAllPagesMax = 1000;
const headReadsInParallel = 8;
export const pingTimeoutMs = 3000;

/** Event-id claims live in KurrentDB metadata streams (`$$…`): system streams, never listed. */
const CLAIM_STREAM_PREFIX = 'ledger-event-id-';
const claimMetastream = (eventId: string): string => `$$${CLAIM_STREAM_PREFIX}${eventId}`;

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://host:2113?tls=false` (also `esdb://…` for EventStoreDB 24.10). */
  readonly connectionString: string;
  readonly catalog: EventCatalog;
}

/** The connection string was refused before any connection was tried. */
export class KurrentDbConfigurationError extends Error {
  override readonly name = 'KurrentDbConfigurationError';
}

/** What an append looks like once validated, normalised and hashed, before it is sent. */
interface PreparedEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly contentHash: string;
}

/** Where the new events go: the revision of the first one and the hash they chain to. */
interface AppendBase {
  readonly firstRevision: bigint;
  readonly prevHash: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A JSON round trip: what we hash is exactly what KurrentDB stores and gives back. */
function jsonNormalised<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createKurrentDbEventStore(options: KurrentDbEventStoreOptions): KurrentDbEventStore {
  return new KurrentDbEventStore(options);
}

/**
 * The event store on KurrentDB / EventStoreDB, through `@kurrent/kurrentdb-client`.
 *
 * The hash chain is computed here, on the client, because KurrentDB cannot compute it: before an
 * append we read what the new events chain to (the stream's last event, or the event at the
 * caller's expected revision), hash each new event (`eventstore/hashing.ts`), put `hash` and
 * `prevHash` into the KurrentDB event metadata beside our EventMetadata fields, and append with
 * an exact expected revision. The server then refuses the append if anything landed in between,
 * so a stored chain can never fork. When the caller said 'any' or 'stream_exists' the exact
 * revision is ours, derived from what we read: on a race we read and append again (at most
 * `appendAttemptsMax` times) while the caller's own expectation still holds.
 *
 * Idempotency by event id:
 * - with an exact revision or 'no_stream', the events after that revision are compared with the
 *   ones being appended, however old they are (the same check KurrentDB makes for those states);
 * - with 'any' or 'stream_exists', a retry is recognised among the last
 *   `idempotencyLookbackEvents` events of the stream;
 * - an id reused in another stream is caught by a claim: before the first write of an event id,
 *   a metadata event in `$$ledger-event-id-<id>` records the stream it belongs to and the revision
 *   it was meant for (written with expected state "no stream", so the first claim wins). The
 *   revision also lets a retry be recognised when it comes at a later revision than the original.
 *   Only the first id of each append is claimed, as ids come from one idempotency key per command.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  readonly #client: KurrentDBClient;
  readonly #catalog: EventCatalog;
  readonly #subscriptions = new Set<KurrentDbSubscription>();
  #closed = false;

  constructor(options: KurrentDbEventStoreOptions) {
    this.#catalog = options.catalog;
    try {
      this.#client = KurrentDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new KurrentDbConfigurationError(
        `KURRENTDB_URL is not a valid KurrentDB connection string (expected e.g. kurrentdb://localhost:2113?tls=false): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedState,
  ): Promise<AppendResult> {
    this.#assertOpen();
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (events.length > eventsPerAppendMax)
      throw new RangeError(`at most ${eventsPerAppendMax} events per append`);
    if (streamName.length === 0 || streamName.length > 500)
      throw new RangeError('a stream name has 1 to 500 characters');
    if (streamName.startsWith('$')) throw new RangeError('stream names starting with $ belong to KurrentDB');
    toStreamState(expected); // refuses a negative revision before anything is read
    // Validation happens before anything is sent: a refused event writes nothing.
    const prepared = events.map((event) => this.#prepare(event));
    if (new Set(prepared.map((e) => e.id)).size !== prepared.length) {
      throw new RangeError('an append may not carry the same event id twice');
    }
    try {
      if (expected === 'any' || expected === 'stream_exists') {
        return await this.#appendAtTail(streamName, prepared, expected);
      }
      return await this.#appendAtRevision(streamName, prepared, expected);
    } catch (error) {
      throw mapClientError(error, streamName, expected);
    }
  }

  #prepare(event: NewEvent): PreparedEvent {
    const id = event.id.toLowerCase();
    if (!UUID.test(id)) throw new TypeError(`event id ${event.id} is not a UUID`);
    const checked = this.#catalog.validate(event.type, event.data);
    const data = jsonNormalised(checked.data);
    const metadata = jsonNormalised(eventMetadataSchema.parse(event.metadata));
    return {
      id,
      type: event.type,
      schemaVersion: checked.schemaVersion,
      data,
      metadata,
      contentHash: contentHash({
        id,
        type: event.type,
        schemaVersion: checked.schemaVersion,
        data,
        metadata,
      }),
    };
  }

  /** 'no_stream' or an exact revision: the new events go right after a known place. */
  async #appendAtRevision(
    streamName: string,
    events: readonly PreparedEvent[],
    expected: 'no_stream' | bigint,
  ): Promise<AppendResult> {
    const exact = typeof expected === 'bigint';
    // For revision E we read E (the event we chain to) and the events after it, which are either
    // this append already recorded (a retry) or someone else's (a conflict).
    const window = await this.#readForwards(
      streamName,
      exact ? expected : 0n,
      events.length + (exact ? 1 : 0),
    );
    let base: AppendBase;
    let after: RecordedEvent[];
    if (exact) {
      const anchor = window?.[0];
      if (anchor === undefined || anchor.revision !== expected) {
        throw new WrongExpectedRevision(streamName, expected, await this.streamRevision(streamName));
      }
      base = { firstRevision: expected + 1n, prevHash: anchor.hash };
      after = window!.slice(1);
    } else {
      base = { firstRevision: 0n, prevHash: GENESIS_HASH };
      after = window ?? [];
    }
    if (after.length > 0) {
      const retry = this.#matchRetry(events, after, base.firstRevision);
      if (retry === null) {
        throw new WrongExpectedRevision(streamName, expected, await this.streamRevision(streamName));
      }
      return retry;
    }
    return this.#write(streamName, events, base, exact ? expected : NO_STREAM);
  }

  /** 'any' or 'stream_exists': the new events go after whatever is last when we write. */
  async #appendAtTail(
    streamName: string,
    events: readonly PreparedEvent[],
    expected: 'any' | 'stream_exists',
  ): Promise<AppendResult> {
    let lastConflict: unknown = null;
    for (let attempt = 0; attempt < appendAttemptsMax; attempt += 1) {
      const tail = await this.#readBackwards(streamName, events.length + idempotencyLookbackEvents);
      if (tail === null && expected === 'stream_exists') {
        throw new WrongExpectedRevision(streamName, expected, null);
      }
      const ordered = (tail ?? []).slice().reverse();
      const ids = new Set(events.map((e) => e.id));
      const firstSeen = ordered.findIndex((e) => ids.has(e.id));
      if (firstSeen >= 0) {
        const first = ordered[firstSeen]!;
        const retry =
          first.id === events[0]!.id
            ? this.#matchRetry(events, ordered.slice(firstSeen), first.revision)
            : null;
        if (retry === null) {
          throw new WrongExpectedRevision(streamName, expected, ordered.at(-1)!.revision);
        }
        return retry;
      }
      const head = ordered.at(-1);
      const base: AppendBase =
        head === undefined
          ? { firstRevision: 0n, prevHash: GENESIS_HASH }
          : { firstRevision: head.revision + 1n, prevHash: head.hash };
      try {
        return await this.#write(streamName, events, base, head === undefined ? NO_STREAM : head.revision);
      } catch (error) {
        // Another writer got in between our read and our write; the caller's expectation does
        // not depend on which revision that made, so read again and chain to the new head.
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        lastConflict = error;
      }
    }
    throw lastConflict;
  }

  /**
   * Whether `found` (the events from `base.firstRevision` on) is this very append recorded
   * before: the same ids at the same revisions. Null when they are other events. Ids decide, as
   * on PostgreSQL and in KurrentDB's own check: a retry may carry metadata that differs (a later
   * `occurredAt`), and it must still be recognised.
   */
  #matchRetry(
    events: readonly PreparedEvent[],
    found: readonly RecordedEvent[],
    firstRevision: bigint,
  ): AppendResult | null {
    if (found.length < events.length) return null;
    for (let i = 0; i < events.length; i += 1) {
      const stored = found[i]!;
      if (stored.id !== events[i]!.id || stored.revision !== firstRevision + BigInt(i)) return null;
    }
    const last = found[events.length - 1]!;
    return { nextExpectedRevision: last.revision, position: last.position, idempotent: true };
  }

  async #write(
    streamName: string,
    events: readonly PreparedEvent[],
    base: AppendBase,
    streamState: typeof NO_STREAM | bigint,
  ): Promise<AppendResult> {
    const earlier = await this.#claim(events, streamName, base.firstRevision);
    if (earlier !== null) return earlier;
    let prevHash = base.prevHash;
    const payload = events.map((event, index) => {
      const hash = chainHash(prevHash, streamName, base.firstRevision + BigInt(index), event.contentHash);
      const metadata = toStoredMetadata(event.metadata, {
        schemaVersion: event.schemaVersion,
        hash,
        prevHash,
      });
      prevHash = hash;
      return jsonEvent({
        id: event.id,
        type: event.type,
        data: event.data as Record<string, unknown>,
        metadata: metadata as unknown as Record<string, unknown>,
      });
    });
    const result = await this.#client.appendToStream(streamName, payload, { streamState });
    const nextExpectedRevision = result.nextExpectedRevision;
    if (nextExpectedRevision !== base.firstRevision + BigInt(events.length) - 1n) {
      // The server found these ids already in place (its own idempotency check) at other revisions.
      const [last] = (await this.#readForwards(streamName, nextExpectedRevision, 1)) ?? [];
      if (last === undefined)
        throw new Error(`append to ${streamName}: revision ${nextExpectedRevision} unreadable`);
      return { nextExpectedRevision, position: last.position, idempotent: true };
    }
    // KurrentDB reports the position of the last event written.
    if (result.position !== undefined) {
      return { nextExpectedRevision, position: encodePosition(result.position.commit), idempotent: false };
    }
    const [last] = (await this.#readForwards(streamName, nextExpectedRevision, 1)) ?? [];
    if (last === undefined)
      throw new Error(`append to ${streamName}: revision ${nextExpectedRevision} unreadable`);
    return { nextExpectedRevision, position: last.position, idempotent: false };
  }

  /**
   * Binds the append's first event id to its stream for good, recording the revision it is meant
   * for. A claim already there for another stream refuses the id. One for this stream is an
   * earlier attempt of this append: if its events are at the revision it recorded, this is a
   * retry and the first result is returned; if not, that attempt failed and this one goes ahead.
   */
  async #claim(
    events: readonly PreparedEvent[],
    streamName: string,
    firstRevision: bigint,
  ): Promise<AppendResult | null> {
    const eventId = events[0]!.id;
    const metastream = claimMetastream(eventId);
    try {
      await this.#client.appendToStream(
        metastream,
        jsonEvent({
          type: '$metadata',
          data: { ledgerStream: streamName, revision: firstRevision.toString() },
        }),
        { streamState: NO_STREAM },
      );
      return null;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
    let claim: { ledgerStream?: unknown; revision?: unknown } | undefined;
    for await (const resolved of this.#client.readStream(metastream, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    })) {
      claim = resolved.event?.data as typeof claim;
    }
    if (claim?.ledgerStream !== streamName) throw new DuplicateEventId(eventId, streamName);
    if (typeof claim.revision !== 'string' || !/^\d+$/.test(claim.revision)) return null;
    const claimed = BigInt(claim.revision);
    const found = (await this.#readForwards(streamName, claimed, events.length)) ?? [];
    return this.#matchRetry(events, found, claimed);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.#assertOpen();
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    // Without a maxCount the whole stream is asked for: one event more than the cap tells a
    // stream that is too long from one that is exactly that long.
    const maxCount =
      options.maxCount === undefined
        ? eventsPerStreamReadMax + 1
        : Math.min(options.maxCount, eventsPerStreamReadMax);
    if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError('maxCount is a whole number');
    if (maxCount === 0) return [];
    const fromRevision = options.fromRevision ?? (forwards ? CLIENT_START : END);
    const events = await this.#read(streamName, {
      direction: forwards ? FORWARDS : BACKWARDS,
      fromRevision,
      maxCount,
    });
    if (events === null) throw new StreamNotFound(streamName);
    if (events.length === 0 && options.fromRevision !== undefined) {
      // Past the end of an existing stream is an empty read; of a missing stream, an error.
      if ((await this.streamRevision(streamName)) === null) throw new StreamNotFound(streamName);
    }
    if (events.length === 0 && options.fromRevision === undefined) throw new StreamNotFound(streamName);
    if (events.length > eventsPerStreamReadMax) {
      // A fold over a silently truncated stream would decide on a wrong state: refuse instead.
      throw new RangeError(
        `stream ${streamName} has more than ${eventsPerStreamReadMax} events: read it in pages with maxCount`,
      );
    }
    return events;
  }

  async streamRevision(streamName: string): Promise<bigint | null> {
    this.#assertOpen();
    const [last] = (await this.#readBackwards(streamName, 1)) ?? [];
    return last?.revision ?? null;
  }

  /** Events from `fromRevision` on, or null when the stream does not exist. */
  #readForwards(streamName: string, fromRevision: bigint, maxCount: number): Promise<RecordedEvent[] | null> {
    return this.#read(streamName, { direction: FORWARDS, fromRevision, maxCount });
  }

  /** The last `maxCount` events, newest first, or null when the stream does not exist. */
  async #readBackwards(streamName: string, maxCount: number): Promise<RecordedEvent[] | null> {
    const events = await this.#read(streamName, { direction: BACKWARDS, fromRevision: END, maxCount });
    return events === null || events.length === 0 ? null : events;
  }

  async #read(
    streamName: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof CLIENT_START | typeof END;
      maxCount: number;
    },
  ): Promise<RecordedEvent[] | null> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(streamName, options)) {
        const event = this.#recorded(resolved);
        if (event !== null) events.push(event);
        if (events.length >= options.maxCount) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw mapClientError(error, streamName);
    }
    return events;
  }

  #recorded(resolved: ResolvedEvent): RecordedEvent | null {
    const event = resolved.event;
    if (event === undefined || event.type.startsWith('$')) return null;
    return toRecordedEvent(event, this.#catalog, resolved.commitPosition);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.#assertOpen();
    const maxCount = Math.min(options.maxCount ?? eventsPerReadDefault, eventsPerReadMax);
    if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError('maxCount is a whole number');
    const result: RecordedEvent[] = [];
    let after = options.after ?? START;
    // KurrentDB's readAll includes the event at its start position; the port's `after` excludes
    // it. We start at `after` and skip what is not strictly beyond it. A page can also come back
    // short of matches when our side of the filter drops some, so we read on, page by page.
    for (let pages = 0; result.length < maxCount && pages < readAllPagesMax; pages += 1) {
      const pageSize = Math.min(maxCount - result.length + 1, scanPageEvents + 1);
      const from = decodePosition(after);
      let seen = 0;
      let last: bigint | null = null;
      for await (const resolved of this.#client.readAll({
        direction: FORWARDS,
        fromPosition: from === 'start' ? CLIENT_START : from,
        maxCount: pageSize,
        filter: serverFilter(options.filter),
      })) {
        seen += 1;
        const event = resolved.event;
        const commit = event?.position?.commit ?? resolved.commitPosition;
        if (event === undefined || commit === undefined) continue;
        if (from !== 'start' && commit <= from.commit) continue;
        last = commit;
        if (!matchesFilter(event.streamId, event.type, options.filter)) continue;
        result.push(toRecordedEvent(event, this.#catalog, commit));
        if (result.length >= maxCount) break;
      }
      if (seen < pageSize || last === null) break;
      after = encodePosition(last);
    }
    return result;
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.#assertOpen();
    const subscription = new KurrentDbSubscription({
      client: this.#client,
      catalog: this.#catalog,
      options,
      headPosition: () => this.headPosition(),
      onStopped: (s) => this.#subscriptions.delete(s),
    });
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async tombstone(streamName: string): Promise<void> {
    this.#assertOpen();
    try {
      await this.#client.tombstoneStream(streamName);
    } catch (error) {
      const mapped = mapClientError(error, streamName);
      // Tombstoning twice leaves the stream as asked: deleted for good.
      if (mapped instanceof StreamDeleted) return;
      throw mapped;
    }
  }

  /** KurrentDB's log has no unsettled tail: what has been committed is readable at once. */
  committedHead(): Promise<GlobalPosition> {
    return this.headPosition();
  }

  async headPosition(): Promise<GlobalPosition> {
    this.#assertOpen();
    // The last ledger event, not the last record: KurrentDB writes system events of its own, and
    // a head a checkpoint can never reach would show a lag that never clears.
    for await (const resolved of this.#client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: excludeSystemEvents(),
    })) {
      const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
      if (commit !== undefined) return encodePosition(commit);
    }
    return START;
  }

  /**
   * Streams in name order after `afterStreamName`. KurrentDB keeps no list of streams unless its
   * `$streams` projection runs, and we run it with projections off, so this scans `$all` (system
   * events excluded) and keeps the `maxCount` smallest names: O(events in the log) per call, up to
   * `listStreamsScanEventsMax`. Fine for `ledger verify`; not for a request path.
   */
  async listStreams(afterStreamName: string | null, maxCount: number): Promise<StreamSummary[]> {
    this.#assertOpen();
    const limit = Math.min(maxCount, eventsPerReadMax);
    if (limit <= 0) return [];
    const names = new Set<string>();
    let scanned = 0;
    let from: { commit: bigint; prepare: bigint } | typeof CLIENT_START = CLIENT_START;
    let largestKept: string | null = null;
    for (;;) {
      let seen = 0;
      let last: bigint | null = null;
      const page = this.#client.readAll({
        direction: FORWARDS,
        fromPosition: from,
        maxCount: scanPageEvents,
        filter: excludeSystemEvents(),
      });
      for await (const resolved of page) {
        seen += 1;
        const event = resolved.event;
        const commit: bigint | undefined = event?.position?.commit ?? resolved.commitPosition;
        if (commit !== undefined) last = commit;
        if (event === undefined || event.streamId.startsWith('$')) continue;
        const name = event.streamId;
        if (afterStreamName !== null && name <= afterStreamName) continue;
        if (names.has(name) || (names.size >= limit && largestKept !== null && name >= largestKept)) continue;
        names.add(name);
        if (names.size > limit) {
          const sorted = [...names].sort();
          names.delete(sorted.at(-1)!);
        }
        largestKept = names.size >= limit ? [...names].sort().at(-1)! : null;
      }
      scanned += seen;
      if (seen < scanPageEvents || last === null) break;
      if (scanned >= listStreamsScanEventsMax) {
        throw new Error(
          `listStreams: $all holds more than ${listStreamsScanEventsMax} events; scanning it for stream names is refused (see docs/kurrentdb.md)`,
        );
      }
      // readAll includes its start; the event at `last` is seen twice and the name set absorbs it.
      from = { commit: last, prepare: last };
    }
    const sorted = [...names].sort();
    const summaries: Array<StreamSummary | null> = new Array(sorted.length).fill(null);
    for (let i = 0; i < sorted.length; i += headReadsInParallel) {
      await Promise.all(
        sorted.slice(i, i + headReadsInParallel).map(async (name, j) => {
          try {
            const [head] = (await this.#readBackwards(name, 1)) ?? [];
            if (head !== undefined) {
              summaries[i + j] = { streamName: name, revision: head.revision, headHash: head.hash };
            }
          } catch (error) {
            // A tombstoned stream has nothing left to verify.
            if (!(error instanceof StreamDeleted)) throw error;
          }
        }),
      );
    }
    return summaries.filter((s): s is StreamSummary => s !== null);
  }

  async ping(): Promise<void> {
    this.#assertOpen();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`KurrentDB did not answer within ${pingTimeoutMs} ms`)),
        pingTimeoutMs,
      );
    });
    const probe = (async () => {
      for await (const _ of this.#client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
        // Reaching the log is the answer; what is in it does not matter.
      }
    })();
    try {
      await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
      probe.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
    await this.#client.dispose();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the KurrentDB event store is closed');
  }
}
