import type { RecordedEvent } from '../../eventstore/port.ts';
import type { SqlClient } from '../../eventstore/sql.ts';

/**
 * What a read model is to the runner: a name, a version, the tables it owns, the events it reads,
 * and a pure `evolve(event) → row operations`. The runner owns the transaction: it merges the
 * operations of a whole batch by row key, writes them as a few multi-row statements and commits
 * them with the checkpoint.
 *
 * A projection that must look at rows to decide (risk scores, MRR per day) adds `afterBatch`,
 * which runs in the same transaction once the batch's rows are written.
 */
export interface Projection {
  readonly name: string;
  /** Bump it when the rows a given history produces change: the runner then asks for a rebuild. */
  readonly version: number;
  readonly tables: readonly TableSpec[];
  /** The event types `evolve` reads (`'all'` for every one); other events only move the checkpoint. */
  readonly eventTypes: readonly string[] | 'all';
  evolve(event: RecordedEvent): readonly RowOp[];
  afterBatch?(tx: SqlClient, context: BatchContext): Promise<void>;
}

export interface TableSpec {
  /** The live name; during a rebuild the runner writes to a shadow table beside it. */
  readonly name: string;
  /** The primary key columns: upserts and patches find their row by them. */
  readonly key: readonly string[];
  /**
   * Columns the projection's own `afterBatch` finds rows by (besides the key). A rebuild loads its
   * shadow tables with the primary key only, so it keeps an index on each of these while it loads:
   * without one, every batch would scan the whole shadow table, which grows with the log.
   */
  readonly lookups?: readonly (readonly string[])[];
  /**
   * Each row is written once, whole, and never changed (the audit trail: one row per event, keyed
   * by its position). Such rows are loaded with COPY, much cheaper for the server than an upsert;
   * a key written twice is then an error, as it should be for a row that only an event creates.
   */
  readonly insertOnly?: boolean;
}

/** A column value as it goes into `json_populate_recordset`: money as strings, never a JS number. */
export type Value = string | number | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };
export type Row = Readonly<Record<string, Value>>;

export type RowOp =
  /** Insert the row, or on a key conflict overwrite the columns given. */
  | { readonly kind: 'upsert'; readonly table: string; readonly row: Row }
  /**
   * Change an existing row found by `key`: `set` overwrites columns, `add` adds integer deltas
   * (minor units, counts) to bigint columns. A patch on a row that does not exist changes nothing.
   */
  | {
      readonly kind: 'patch';
      readonly table: string;
      readonly key: Row;
      readonly set?: Row;
      readonly add?: Readonly<Record<string, bigint>>;
    };

export interface BatchContext {
  /** The quoted name to use in SQL for a table: the live one, or its shadow during a rebuild. */
  table(name: string): string;
  /** The events of this batch that the projection reads, in log order. */
  readonly events: readonly RecordedEvent[];
}

/** The event types of each projection as a set: `handles` runs for every event and projection. */
const eventTypeSets = new WeakMap<Projection, ReadonlySet<string>>();

export function handles(projection: Projection, eventType: string): boolean {
  const types = handledTypes(projection);
  return types === 'all' || types.has(eventType);
}

/** The event types a projection reads, as a set to test each event of a batch against. */
export function handledTypes(projection: Projection): ReadonlySet<string> | 'all' {
  if (projection.eventTypes === 'all') return 'all';
  let types = eventTypeSets.get(projection);
  if (types === undefined) {
    types = new Set(projection.eventTypes);
    eventTypeSets.set(projection, types);
  }
  return types;
}

/** Small helpers so `evolve` functions read as data. */
export const upsert = (table: string, row: Row): RowOp => ({ kind: 'upsert', table, row });
export const patch = (
  table: string,
  key: Row,
  changes: { set?: Row; add?: Readonly<Record<string, bigint>> },
): RowOp => ({ kind: 'patch', table, key, ...changes });

/** Raised when a projection cannot apply an event: the projection stops on it, naming it. */
export class PoisonEvent extends Error {
  override readonly name = 'PoisonEvent';
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'id' | 'type' | 'streamName' | 'position' | 'revision'>,
    readonly reason: unknown,
  ) {
    super(
      `projection ${projection} cannot apply event ${event.type} ${event.id} (${event.streamName}@${event.revision}, position ${event.position}): ${
        reason instanceof Error ? reason.message : String(reason)
      }`,
      { cause: reason },
    );
  }
}
