import type { EventMetadata } from '../domain/events/metadata.ts';

/**
 * The event-store port. Two adapters implement it (PostgreSQL — on a server or embedded PGlite —
 * and KurrentDB/EventStoreDB); `eventstore/contract.ts` proves they behave the same.
 *
 * Semantics follow KurrentDB: stream revisions are 0-based; a stream that does not exist has no
 * revision; appends name the state they expect; appends are idempotent by event id.
 */

/** What an append expects of the stream: anything, absence, presence, or an exact last revision. */
export type ExpectedState = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * A position in the global log: opaque, totally ordered by plain string comparison (adapters
 * zero-pad). Never do arithmetic on it. `START` sorts before every real position.
 */
export type GlobalPosition = string;
export const START: GlobalPosition = '';

export interface NewEvent {
  /** A UUID. Derive it from the command's idempotency key (see `eventIds`) so retries dedupe. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly type: string;
  /** The version the data is in after upcasting, i.e. the catalog's current version. */
  readonly schemaVersion: number;
  /** The version the event was written at. */
  readonly storedSchemaVersion: number;
  readonly data: unknown;
  /** The data as written, before upcasting (the same object as `data` when no upcaster ran). */
  readonly storedData: unknown;
  readonly metadata: EventMetadata;
  /** When the store recorded the event (ISO-8601 instant). `metadata.occurredAt` is when it happened. */
  readonly recordedAt: string;
  readonly position: GlobalPosition;
  /** The chained hash of this event (see `eventstore/hashing.ts`). */
  readonly hash: string;
}

export interface AppendResult {
  /** The revision of the last event now in the stream; pass it as the next expected state. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last event written (or found, for an idempotent retry). */
  readonly position: GlobalPosition;
  /** True when every event id was already in the stream: nothing new was written. */
  readonly idempotent: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to 0, backwards to the end. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: the first event returned is the one after this position. Defaults to START. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
  readonly filter?: SubscriptionFilter;
}

export interface SubscriptionFilter {
  readonly eventTypes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface SubscribeOptions {
  /** Exclusive, like KurrentDB: delivery starts with the event after this position. */
  readonly after?: GlobalPosition | 'end';
  readonly filter?: SubscriptionFilter;
  /** Events fetched per read while catching up. */
  readonly batchSize?: number;
}

export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /**
   * Everything committed up to `position` has been delivered (events the filter dropped included);
   * a consumer may checkpoint at `position`. Sent when the subscription turns live and whenever
   * it drains the log again.
   */
  | { readonly kind: 'caughtUp'; readonly position: GlobalPosition };

export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  /** Ends the iteration cleanly; pending reads are abandoned. */
  stop(): Promise<void>;
}

export interface StreamSummary {
  readonly streamName: string;
  readonly revision: bigint;
  readonly headHash: string;
}

export interface EventStore {
  readonly kind: 'postgres' | 'pglite' | 'kurrentdb';
  append(streamName: string, events: readonly NewEvent[], expected: ExpectedState): Promise<AppendResult>;
  /** Throws `StreamNotFound` when the stream has no events, `StreamDeleted` when tombstoned. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The stream's last revision, or null when it does not exist. Cheap. */
  streamRevision(streamName: string): Promise<bigint | null>;
  /** The global log in order. A read is bounded by `maxCount` (default 1000). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live; never skips, never repeats. */
  subscribe(options?: SubscribeOptions): Subscription;
  /** Hard delete: the stream can never be appended to again. */
  tombstone(streamName: string): Promise<void>;
  /**
   * The position of the last settled event in the log, or START when the log is empty: what a
   * reader can reach now. It may lag a moment behind an append that has just returned.
   */
  headPosition(): Promise<GlobalPosition>;
  /**
   * The position of the last committed event, settled or not: at or after every append that
   * returned before the call. A command answers it so a reader can wait until its effects show.
   */
  committedHead(): Promise<GlobalPosition>;
  /** Lists streams for verification, in name order, after `afterStreamName`. */
  listStreams(afterStreamName: string | null, maxCount: number): Promise<StreamSummary[]>;
  /** Answers quickly whether the backing store is reachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
