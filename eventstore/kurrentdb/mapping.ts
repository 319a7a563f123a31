import {
  type AppendStreamState,
  ANY,
  type CurrentStreamState,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  StreamTombstonedError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import { StreamDeleted, StreamNotFound, WrongExpectedRevision } from '../errors.ts';
import type { ExpectedState, GlobalPosition, RecordedEvent, SubscriptionFilter } from '../port.ts';
import { START } from '../port.ts';

/**
 * Pure translations between the port and the KurrentDB client: positions, expected states,
 * errors, the metadata layout and filters. Nothing here talks to a server, so all of it is unit
 * tested (mapping.unit.spec.ts).
 */

/** A u64 commit position has at most 20 decimal digits. */
const POSITION_WIDTH = 20;
const U64_MAX = 18_446_744_073_709_551_615n;
/** Positions above this are the server's "no position" markers (-1 as an unsigned number). */
const POSITION_VALID_MAX = 9_223_372_036_854_775_807n;

/**
 * A KurrentDB event's place in `$all` is `{ commit, prepare }`. Events written through gRPC have
 * commit = prepare (only the legacy TCP client's explicit transactions make them differ), so the
 * commit position alone identifies an event. Zero-padding to 20 digits makes string order equal
 * log order, as the port requires.
 */
export function encodePosition(commit: bigint): GlobalPosition {
  if (commit < 0n || commit > U64_MAX) throw new RangeError(`not a commit position: ${commit}`);
  return commit.toString().padStart(POSITION_WIDTH, '0');
}

/** The client position to resume after, or 'start' for START. */
export function decodePosition(position: GlobalPosition): Position | 'start' {
  if (position === START) return 'start';
  if (!/^\d{20}$/.test(position)) throw new TypeError(`not a KurrentDB log position: ${position}`);
  const commit = BigInt(position);
  return { commit, prepare: commit };
}

/**
 * The position a server checkpoint (a caughtUp message) lets us resume after, or null when the
 * server sent none or a "-1" marker. The server sends the position of the last event it sent or
 * the start of the last page it read; events before it were sent or dropped by the filter, and
 * it skips events at or before it itself when it goes live, so resuming after its commit part
 * (a record boundary, as the server needs) neither skips nor repeats an event the filter keeps.
 */
export function checkpointCommit(position: Position | undefined): bigint | null {
  if (position === undefined) return null;
  if (position.commit > POSITION_VALID_MAX) return null;
  return position.commit;
}

/** The port's expected state as the client's `streamState`. Revisions are 0-based on both sides. */
export function toStreamState(expected: ExpectedState): AppendStreamState {
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new RangeError('an expected revision is 0 or more');
    return expected;
  }
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default: {
      const never: never = expected;
      throw new TypeError(`unknown expected state ${String(never)}`);
    }
  }
}

/** The client reports "no stream" as a constant and deleted streams as negative revisions. */
export function actualRevision(actual: CurrentStreamState | undefined): bigint | null {
  return typeof actual === 'bigint' && actual >= 0n ? actual : null;
}

/**
 * Turns the client's errors into the port's. `expected` is what the caller asked for: the
 * adapter sends an exact revision of its own when the caller said 'any' or 'stream_exists', and
 * the error must name the caller's expectation, not ours. Errors we do not know pass unchanged.
 */
export function mapClientError(error: unknown, streamName: string, expected?: ExpectedState): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevision(
      streamName,
      expected ?? fromClientState(error.expectedState),
      actualRevision(error.actualState),
    );
  }
  if (error instanceof StreamDeletedError || error instanceof StreamTombstonedError) {
    return new StreamDeleted(streamName);
  }
  if (error instanceof StreamNotFoundError) return new StreamNotFound(streamName);
  return error;
}

function fromClientState(state: AppendStreamState): ExpectedState {
  if (typeof state === 'bigint') return state;
  if (state === NO_STREAM) return 'no_stream';
  if (state === STREAM_EXISTS) return 'stream_exists';
  return 'any';
}

/**
 * Keys our adapter adds to the KurrentDB event metadata beside the EventMetadata fields. The
 * `$`-keys are KurrentDB's reserved correlation keys, which its projections and UI understand.
 */
export const RESERVED_METADATA_KEYS = ['schemaVersion', 'hash', 'prevHash'] as const;

export interface ChainFields {
  readonly schemaVersion: number;
  readonly hash: string;
  readonly prevHash: string;
}

export type StoredMetadata = EventMetadata &
  ChainFields & { readonly $correlationId: string; readonly $causationId?: string };

/** The metadata object written to KurrentDB: our fields, the chain, and the reserved keys. */
export function toStoredMetadata(metadata: EventMetadata, chain: ChainFields): StoredMetadata {
  for (const key of RESERVED_METADATA_KEYS) {
    if (key in metadata) throw new TypeError(`event metadata may not carry the reserved key ${key}`);
  }
  return {
    ...metadata,
    schemaVersion: chain.schemaVersion,
    hash: chain.hash,
    prevHash: chain.prevHash,
    $correlationId: metadata.correlationId,
    ...(metadata.causationId === null ? {} : { $causationId: metadata.causationId }),
  };
}

/** An event in the store that the ledger did not write (no JSON, or no chain fields). */
export class NotALedgerEvent extends Error {
  override readonly name = 'NotALedgerEvent';
  constructor(
    readonly streamName: string,
    readonly revision: bigint,
    reason: string,
  ) {
    super(`event ${revision} of stream ${streamName} was not written by the ledger: ${reason}`);
  }
}

/** Splits stored metadata back into the EventMetadata that was appended and the chain fields. */
export function fromStoredMetadata(
  raw: unknown,
  streamName: string,
  revision: bigint,
): { metadata: EventMetadata; chain: ChainFields } {
  if (raw === null || typeof raw !== 'object' || raw instanceof Uint8Array || Array.isArray(raw)) {
    throw new NotALedgerEvent(streamName, revision, 'its metadata is not a JSON object');
  }
  const record = raw as Record<string, unknown>;
  const { schemaVersion, hash, prevHash } = record;
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new NotALedgerEvent(streamName, revision, 'no schemaVersion in its metadata');
  }
  if (typeof hash !== 'string' || typeof prevHash !== 'string') {
    throw new NotALedgerEvent(streamName, revision, 'no hash chain in its metadata');
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith('$') || (RESERVED_METADATA_KEYS as readonly string[]).includes(key)) continue;
    metadata[key] = value;
  }
  return { metadata: metadata as EventMetadata, chain: { schemaVersion, hash, prevHash } };
}

/** The part of the client's RecordedEvent this adapter reads. */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position | undefined;
}

/** A client event as the port's RecordedEvent, its data brought to the current schema version. */
export function toRecordedEvent(
  event: ClientRecordedEvent,
  catalog: EventCatalog,
  fallbackCommit?: bigint,
): RecordedEvent {
  if (!event.isJson) throw new NotALedgerEvent(event.streamId, event.revision, 'its data is not JSON');
  const { metadata, chain } = fromStoredMetadata(event.metadata, event.streamId, event.revision);
  const commit = event.position?.commit ?? fallbackCommit;
  if (commit === undefined) {
    throw new Error(
      `KurrentDB returned event ${event.revision} of ${event.streamId} without a log position (server older than 22.6?)`,
    );
  }
  const upcast = catalog.upcast(event.type, chain.schemaVersion, event.data);
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    type: event.type,
    schemaVersion: upcast.schemaVersion,
    storedSchemaVersion: chain.schemaVersion,
    data: upcast.data,
    storedData: event.data,
    metadata,
    recordedAt: event.created.toISOString(),
    position: encodePosition(commit),
    hash: chain.hash,
  };
}

/** KurrentDB's own streams and events start with `$`: metadata, tombstones, settings, stats. */
export function isSystem(streamName: string, eventType: string): boolean {
  return streamName.startsWith('$') || eventType.startsWith('$');
}

/** The port's filter, applied on our side: also drops system events. */
export function matchesFilter(
  streamName: string,
  eventType: string,
  filter: SubscriptionFilter | undefined,
): boolean {
  if (isSystem(streamName, eventType)) return false;
  if (filter?.eventTypes !== undefined && !filter.eventTypes.includes(eventType)) return false;
  if (filter?.streamPrefixes !== undefined && !filter.streamPrefixes.some((p) => streamName.startsWith(p))) {
    return false;
  }
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

/** A regular expression matching exactly the given event types, or nothing for an empty list. */
export function exactTypesRegex(types: readonly string[]): string {
  if (types.length === 0) return '^(?!)$';
  return `^(?:${types.map(escapeRegex).join('|')})$`;
}

/**
 * The server-side filter for `$all`. KurrentDB filters on the event type or on the stream name,
 * not both: with both in the port's filter the server narrows by type and `matchesFilter` checks
 * the stream on our side. Without a filter the server still drops system events. Either way the
 * caller applies `matchesFilter` to what comes back, so a server that filters less is harmless.
 */
export function serverFilter(filter: SubscriptionFilter | undefined): Filter {
  if (filter?.eventTypes !== undefined) return eventTypeFilter({ regex: exactTypesRegex(filter.eventTypes) });
  if (filter?.streamPrefixes !== undefined) {
    // An empty prefix list matches no stream; a prefix the server cannot match stands in for it.
    const prefixes = filter.streamPrefixes.length === 0 ? ['$$ledger-none-'] : [...filter.streamPrefixes];
    return streamNameFilter({ prefixes });
  }
  return excludeSystemEvents();
}
