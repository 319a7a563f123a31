import { EventEmitter } from 'node:events';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import { eventMetadataSchema } from '../../domain/events/metadata.ts';
import { DuplicateEventId, StreamDeleted, StreamNotFound, WrongExpectedRevision } from '../errors.ts';
import { canonicalJson, contentHashOfCanonical } from '../hashing.ts';
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
  SubscriptionFilter,
  SubscriptionMessage,
} from '../port.ts';
import { START } from '../port.ts';
import type { SqlPool } from '../sql.ts';
import { decodePosition, encodePosition, positionWidth } from './position.ts';

/** The NOTIFY channel that wakes subscribers in other processes. */
export const EVENTS_CHANNEL = 'ledger_events';

export interface PostgresEventStoreOptions {
  readonly pool: SqlPool;
  readonly catalog: EventCatalog;
  /** How long a live subscriber waits for a notification before it looks anyway. */
  readonly pollIntervalMs?: number;
  /** Coalesces cross-process NOTIFYs: at most one per this many ms per process. */
  readonly notifyCoalesceMs?: number;
}

/** Named limits (TigerBeetle style): every read is bounded. */
export const eventsPerAppendMax = 1000;
export const eventsPerReadMax = 10_000;
const eventsPerReadDefault = 1000;
const subscriptionBatchDefault = 500;

interface EventRow {
  position: string;
  stream_name: string;
  revision: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date | string;
  hash: string;
}

/**
 * The instant an event was recorded, written by the server as `Date#toISOString` writes it (UTC,
 * milliseconds, truncated as Date truncates): parsing it into a Date per row and printing it back
 * was a tenth of reading the log in Node.
 */
const recordedAtText = `to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

/**
 * The position as `encodePosition` writes it, built by the server: two padded strings and their
 * concatenation per event were a visible share of reading the log in Node.
 */
const positionText = `lpad(transaction_id::text, ${positionWidth}, '0') || ':' || lpad(global_position::text, ${positionWidth}, '0') AS position`;

const selectColumns = `${positionText}, stream_name, revision::text AS revision,
  event_id::text AS event_id, event_type, schema_version, data, metadata, ${recordedAtText}, hash`;

/**
 * Rows below the settled horizon (migrations: ledger_horizon): no append still in flight can add a
 * row before them, so this prefix of the log is final. The sub-select runs once per statement.
 */
const settled = 'transaction_id < (SELECT ledger_horizon(pg_current_snapshot()))';

function expectedToText(expected: ExpectedState): string {
  if (typeof expected === 'bigint') {
    if (expected < 0n) throw new RangeError('an expected revision is 0 or more');
    return expected.toString();
  }
  return expected;
}

function escapeLike(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class PostgresEventStore implements EventStore {
  readonly kind: 'postgres' | 'pglite';
  readonly #pool: SqlPool;
  readonly #catalog: EventCatalog;
  readonly #pollIntervalMs: number;
  readonly #notifyCoalesceMs: number;
  /** Wakes subscribers in this process at once; NOTIFY covers the others. */
  readonly #appended = new EventEmitter();
  #notifyTimer: NodeJS.Timeout | null = null;
  #unlisten: Promise<() => Promise<void>> | null = null;
  #listeners = 0;
  #closed = false;

  constructor(options: PostgresEventStoreOptions) {
    this.#pool = options.pool;
    this.kind = options.pool.backend;
    this.#catalog = options.catalog;
    this.#pollIntervalMs = options.pollIntervalMs ?? 250;
    this.#notifyCoalesceMs = options.notifyCoalesceMs ?? 5;
    this.#appended.setMaxListeners(0);
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedState,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    if (events.length > eventsPerAppendMax)
      throw new RangeError(`at most ${eventsPerAppendMax} events per append`);
    if (streamName.length === 0 || streamName.length > 500)
      throw new RangeError('a stream name has 1 to 500 characters');
    // Each event is validated and serialised once; the canonical text is both what is hashed and
    // what is sent, as one jsonb array (cheaper to build and parse than eight parallel arrays).
    const firstId = events[0]!.id;
    let payload = '[';
    let lastMetadata: unknown = null;
    let lastMetadataText = '';
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      const checked = this.#catalog.validate(event.type, event.data);
      if (event.metadata !== lastMetadata) {
        lastMetadata = event.metadata;
        lastMetadataText = canonicalJson(eventMetadataSchema.parse(event.metadata));
      }
      const dataText = canonicalJson(checked.data);
      const hash = contentHashOfCanonical(
        { id: event.id, type: event.type, schemaVersion: checked.schemaVersion },
        dataText,
        lastMetadataText,
      );
      payload += `${i === 0 ? '' : ','}{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"v":${checked.schemaVersion},"data":${dataText},"metadata":${lastMetadataText},"ch":"${hash}"}`;
    }
    payload += ']';
    const { rows } = await this.#pool.query<{
      status: string;
      actual_revision: string;
      last_revision: string | null;
      last_tx: string | null;
      last_gp: string | null;
    }>('SELECT * FROM ledger_append($1, $2, $3::jsonb)', [streamName, expectedToText(expected), payload]);
    const row = rows[0];
    if (row === undefined) throw new Error('ledger_append returned no row');
    const actual = BigInt(row.actual_revision);
    switch (row.status) {
      case 'ok':
      case 'idempotent': {
        if (row.status === 'ok') this.#announce();
        return {
          nextExpectedRevision: BigInt(row.last_revision!),
          position: encodePosition(row.last_tx!, row.last_gp!),
          idempotent: row.status === 'idempotent',
        };
      }
      case 'wrong_expected':
        throw new WrongExpectedRevision(streamName, expected, actual < 0n ? null : actual);
      case 'deleted':
        throw new StreamDeleted(streamName);
      case 'duplicate_id':
        throw new DuplicateEventId(firstId, row.last_tx ?? streamName);
      default:
        throw new Error(`ledger_append: unknown status ${row.status}`);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const maxCount = Math.min(options.maxCount ?? eventsPerReadMax, eventsPerReadMax);
    const head = await this.#pool.query<{ revision: string; deleted: boolean }>(
      'SELECT revision::text AS revision, deleted FROM ledger_streams WHERE stream_name = $1',
      [streamName],
    );
    const stream = head.rows[0];
    if (stream?.deleted) throw new StreamDeleted(streamName);
    if (stream === undefined || stream.revision === '-1') throw new StreamNotFound(streamName);
    const forwards = direction === 'forwards';
    const from = options.fromRevision ?? (forwards ? 0n : BigInt(stream.revision));
    const { rows } = await this.#pool.query<EventRow>(
      `SELECT ${selectColumns} FROM ledger_events
        WHERE stream_name = $1 AND revision ${forwards ? '>=' : '<='} $2
        ORDER BY ledger_events.revision ${forwards ? 'ASC' : 'DESC'} LIMIT $3`,
      [streamName, from.toString(), maxCount],
    );
    return rows.map((r) => this.#toRecorded(r));
  }

  async streamRevision(streamName: string): Promise<bigint | null> {
    const { rows } = await this.#pool.query<{ revision: string; deleted: boolean }>(
      'SELECT revision::text AS revision, deleted FROM ledger_streams WHERE stream_name = $1',
      [streamName],
    );
    const row = rows[0];
    if (row?.deleted) throw new StreamDeleted(streamName);
    return row === undefined || row.revision === '-1' ? null : BigInt(row.revision);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = Math.min(options.maxCount ?? eventsPerReadDefault, eventsPerReadMax);
    const { events } = await this.#readSettled(options.after ?? START, maxCount, options.filter);
    return events;
  }

  /**
   * Reads the next settled rows after `after`. Returns the matching events and the position of the
   * last row looked at (matching or not), so a filtered subscriber can still move its checkpoint.
   */
  async #readSettled(
    after: GlobalPosition,
    maxCount: number,
    filter: SubscriptionFilter | undefined,
    /** A snapshot taken at subscribe('end'): events it could already see are passed over. */
    seenBefore: string | null = null,
  ): Promise<{ events: RecordedEvent[]; scanned: number; lastScanned: GlobalPosition | null }> {
    const { transactionId, globalPosition } = decodePosition(after);
    const types = filter?.eventTypes;
    const prefixes = filter?.streamPrefixes?.map(escapeLike);
    const hasFilter = types !== undefined || prefixes !== undefined || seenBefore !== null;
    const params: unknown[] = [transactionId, globalPosition, maxCount];
    const conditions: string[] = [];
    if (seenBefore !== null) {
      params.push(seenBefore);
      conditions.push(`NOT pg_visible_in_snapshot(transaction_id, $${params.length}::pg_snapshot)`);
    }
    if (types !== undefined) {
      params.push(types);
      conditions.push(`event_type = ANY($${params.length}::text[])`);
    }
    if (prefixes !== undefined) {
      params.push(prefixes);
      conditions.push(`stream_name LIKE ANY($${params.length}::text[])`);
    }
    const match = conditions.join(' AND ');
    // Rows the filter drops are still scanned (to advance the position) but their bodies stay home.
    const columns = hasFilter
      ? `${positionText}, (${match}) AS matched,
         CASE WHEN ${match} THEN stream_name END AS stream_name, revision::text AS revision,
         event_id::text AS event_id, event_type, schema_version,
         CASE WHEN ${match} THEN data END AS data, CASE WHEN ${match} THEN metadata END AS metadata,
         ${recordedAtText}, hash`
      : selectColumns;
    const { rows } = await this.#pool.query<EventRow & { matched?: boolean }>(
      `SELECT ${columns} FROM ledger_events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) AND ${settled}
        ORDER BY transaction_id, global_position LIMIT $3`,
      params,
    );
    const last = rows.at(-1);
    const events: RecordedEvent[] = [];
    for (const row of rows) if (!hasFilter || row.matched) events.push(this.#toRecorded(row));
    return {
      events,
      scanned: rows.length,
      lastScanned: last === undefined ? null : last.position,
    };
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    const batchSize = Math.min(options.batchSize ?? subscriptionBatchDefault, eventsPerReadMax);
    let stopped = false;
    let wake: (() => void) | null = null;
    let dirty = true;
    const onAppended = () => {
      dirty = true;
      wake?.();
    };
    const store = this;

    async function* iterate(): AsyncGenerator<SubscriptionMessage> {
      store.#appended.on('appended', onAppended);
      await store.#retainListener();
      try {
        let position: GlobalPosition =
          options.after === 'end' || options.after === undefined ? START : options.after;
        let seenBefore: string | null = null;
        if (options.after === 'end') {
          // "From the end" means: nothing that is committed now. The settled head alone is not
          // enough (a commit may still be unsettled behind an older running transaction), so the
          // snapshot taken in the same statement marks everything visible now as already seen.
          const marker = await store.#endMarker();
          position = marker.position;
          seenBefore = marker.snapshot;
        }
        let announcedCaughtUp: GlobalPosition | null = null;
        while (!stopped && !store.#closed) {
          dirty = false;
          const batch = await store.#readSettled(position, batchSize, options.filter, seenBefore);
          for (const event of batch.events) {
            if (stopped) return;
            yield { kind: 'event', event };
          }
          if (batch.lastScanned !== null) position = batch.lastScanned;
          if (batch.scanned < batchSize) {
            if (announcedCaughtUp !== position) {
              announcedCaughtUp = position;
              yield { kind: 'caughtUp', position };
            }
            if (!dirty && !stopped) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, store.#pollIntervalMs);
                wake = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
              wake = null;
            }
          }
        }
      } finally {
        store.#appended.off('appended', onAppended);
        await store.#releaseListener();
      }
    }

    const generator = iterate();
    return {
      [Symbol.asyncIterator]: () => generator,
      async stop() {
        stopped = true;
        wake?.();
        await generator.return(undefined);
      },
    };
  }

  async tombstone(streamName: string): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ledger_streams (stream_name, revision, head_hash, deleted) VALUES ($1, -1, repeat('0', 64), true)
       ON CONFLICT (stream_name) DO UPDATE SET deleted = true`,
      [streamName],
    );
  }

  async #endMarker(): Promise<{ position: GlobalPosition; snapshot: string }> {
    const { rows } = await this.#pool.query<{ snapshot: string; tx: string | null; gp: string | null }>(
      `SELECT pg_current_snapshot()::text AS snapshot, h.tx, h.gp FROM (SELECT 1) AS one LEFT JOIN LATERAL (
         SELECT transaction_id::text AS tx, global_position::text AS gp FROM ledger_events WHERE ${settled}
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1) AS h ON true`,
    );
    const row = rows[0]!;
    return { position: row.tx === null ? START : encodePosition(row.tx, row.gp!), snapshot: row.snapshot };
  }

  headPosition(): Promise<GlobalPosition> {
    return this.#lastPosition(settled);
  }

  committedHead(): Promise<GlobalPosition> {
    // No horizon here: an append that committed is visible to this snapshot even while an older
    // one is still in flight, and the caller needs a position at or after its own events.
    return this.#lastPosition('true');
  }

  async #lastPosition(condition: string): Promise<GlobalPosition> {
    const { rows } = await this.#pool.query<{ position: string }>(
      `SELECT ${positionText} FROM ledger_events WHERE ${condition}
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows[0]?.position ?? START;
  }

  async listStreams(afterStreamName: string | null, maxCount: number): Promise<StreamSummary[]> {
    const { rows } = await this.#pool.query<{ stream_name: string; revision: string; head_hash: string }>(
      `SELECT stream_name, revision::text AS revision, head_hash FROM ledger_streams
        WHERE revision >= 0 AND ($1::text IS NULL OR stream_name > $1) ORDER BY stream_name LIMIT $2`,
      [afterStreamName, Math.min(maxCount, eventsPerReadMax)],
    );
    return rows.map((r) => ({
      streamName: r.stream_name,
      revision: BigInt(r.revision),
      headHash: r.head_hash,
    }));
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1 FROM ledger_streams LIMIT 1');
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#notifyTimer !== null) clearTimeout(this.#notifyTimer);
    this.#appended.emit('appended');
    if (this.#unlisten !== null) await (await this.#unlisten)();
    this.#unlisten = null;
  }

  #toRecorded(row: EventRow): RecordedEvent {
    const upcast = this.#catalog.upcast(row.event_type, row.schema_version, row.data);
    return {
      id: row.event_id,
      streamName: row.stream_name,
      revision: BigInt(row.revision),
      type: row.event_type,
      schemaVersion: upcast.schemaVersion,
      storedSchemaVersion: row.schema_version,
      data: upcast.data,
      storedData: row.data,
      metadata: row.metadata as RecordedEvent['metadata'],
      recordedAt: row.recorded_at instanceof Date ? row.recorded_at.toISOString() : String(row.recorded_at),
      position: row.position,
      hash: row.hash,
    };
  }

  /** Wakes local subscribers now and, coalesced, those in other processes through NOTIFY. */
  #announce(): void {
    this.#appended.emit('appended');
    if (this.#pool.backend !== 'postgres' || this.#notifyTimer !== null || this.#closed) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = null;
      this.#pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`).catch(() => undefined);
    }, this.#notifyCoalesceMs);
  }

  async #retainListener(): Promise<void> {
    this.#listeners += 1;
    if (this.#pool.backend === 'postgres' && this.#unlisten === null) {
      this.#unlisten = this.#pool.listen(EVENTS_CHANNEL, () => this.#appended.emit('appended'));
      // A LISTEN that fails leaves polling in charge; the subscriber still sees every event.
      this.#unlisten.catch(() => {
        this.#unlisten = null;
      });
    }
  }

  async #releaseListener(): Promise<void> {
    this.#listeners -= 1;
    if (this.#listeners === 0 && this.#unlisten !== null) {
      const unlisten = this.#unlisten;
      this.#unlisten = null;
      await (await unlisten.catch(() => async () => undefined))();
    }
  }
}
