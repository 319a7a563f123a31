import { randomUUID } from 'node:crypto';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../eventstore/port.ts';
import type { SqlClient, SqlPool } from '../../eventstore/sql.ts';
import { applyEvents, type TableResolver } from './apply.ts';
import { acquireLeases, registerProjections, releaseLeases } from './checkpoints.ts';
import type { Projection, TableSpec } from './projection.ts';
import { ident } from './row-writer.ts';
import { eventsPerBatchMax, ProjectionRunner } from './runner.ts';

/** Shadow tables sit beside the live ones under this suffix until the swap. */
export const shadowSuffix = '__rebuild';
/**
 * Events per batch: the bigger, the fewer statements and the more operations on one row merge
 * before they are written (10 000 rebuilt a million events in 58 s where 5 000 took 84 s); the
 * reader stays at most `batchesAheadMax` batches ahead, which bounds memory.
 */
const eventsPerBatchDefault = 10_000;
const leaseWaitMsMax = 120_000;

export interface RebuildProgress {
  readonly eventsDone: number;
  readonly position: GlobalPosition;
}

export interface RebuildOptions {
  readonly pool: SqlPool;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  readonly eventsPerBatch?: number;
  /**
   * Determinism check: freeze the live projections (take their leases), bring them to the head,
   * rebuild to exactly the same position, and compare every table's checksum before swapping.
   */
  readonly check?: boolean;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

export interface TableChecksum {
  readonly table: string;
  readonly rows: string;
  readonly md5: string;
}

export interface RebuildReport {
  readonly projections: readonly string[];
  readonly eventsDone: number;
  readonly position: GlobalPosition;
  /** With `check`: the live and rebuilt checksums, table by table. */
  readonly comparison: readonly { table: string; live: TableChecksum; rebuilt: TableChecksum }[] | null;
  readonly identical: boolean | null;
  /** Seconds spent loading the shadows from the log, making them durable and indexed, and swapping. */
  readonly seconds: { readonly load: number; readonly finish: number; readonly swap: number };
}

export class RebuildMismatch extends Error {
  override readonly name = 'RebuildMismatch';
  constructor(readonly tables: readonly string[]) {
    super(`rebuild is not deterministic: ${tables.join(', ')} differ from the live rows`);
  }
}

const shadowName = (table: string) => `${table}${shadowSuffix}`;
const shadowTables: TableResolver = (table) => ident(shadowName(table));

/**
 * An order-independent checksum of a table's rows: the md5 of the sorted md5s of every row's text
 * form, and the row count. Two tables with the same rows in any physical order agree.
 */
export async function tableChecksum(db: SqlClient, table: string): Promise<TableChecksum> {
  const { rows } = await db.query<{ rows: string; md5: string }>(
    `SELECT count(*)::text AS rows,
            md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS md5
       FROM (SELECT md5(t::text) AS h FROM ${ident(table)} t) s`,
  );
  return { table, rows: rows[0]!.rows, md5: rows[0]!.md5 };
}

/**
 * Shadow tables start with the live table's columns, defaults and checks but only its primary key
 * (the upserts need it): maintaining every secondary index row by row costs more than building it
 * once over the loaded table, which `finishShadows` does before the swap.
 *
 * On a server, a shadow whose rows are rewritten as the log goes by is unlogged while it loads
 * (logging every version of a row would multiply the WAL) and made durable in one copy at the end.
 * An insert-only shadow writes each row once, so it is logged from the start: the WAL it needs is
 * written during the load, when the disk is idle, instead of in the final copy everything waits for.
 */
const unloggedWhileLoading = (pool: SqlPool, table: TableSpec) =>
  pool.backend === 'postgres' && table.insertOnly !== true;

async function createShadows(pool: SqlPool, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections) {
    for (const table of projection.tables) {
      const { name, key } = table;
      const unlogged = unloggedWhileLoading(pool, table) ? 'UNLOGGED ' : '';
      await pool.query(`DROP TABLE IF EXISTS ${shadowTables(name)}`);
      await pool.query(
        `CREATE ${unlogged}TABLE ${shadowTables(name)} (LIKE ${ident(name)} INCLUDING ALL EXCLUDING INDEXES)`,
      );
      await pool.query(`ALTER TABLE ${shadowTables(name)} ADD PRIMARY KEY (${key.map(ident).join(', ')})`);
    }
    for (const { name, lookups = [] } of projection.tables) {
      for (const [i, columns] of lookups.entries())
        await pool.query(
          `CREATE INDEX ${ident(lookupIndexName(name, i))} ON ${shadowTables(name)} (${columns.map(ident).join(', ')})`,
        );
    }
  }
}

const lookupIndexName = (table: string, i: number) => `${table.slice(0, 40)}_lookup${i}${shadowSuffix}`;

/**
 * Memory for each index build once the shadows are loaded (PostgreSQL's default, 64 MB, makes the
 * sort of a million-row index spill to disk); per build, `indexBuildsAtOnce` at a time.
 */
const indexBuildMemory = '256MB';

/** Statements running at once while the shadows are finished (each on its own connection). */
const indexBuildsAtOnce = 3;

/**
 * Readies the loaded shadows for the swap: drops the lookup indexes the load needed, makes each
 * unlogged shadow durable (one sequential copy of the table into the WAL instead of a WAL record
 * per row written), then builds the live table's other indexes under temporary names the swap
 * renames. Work runs `indexBuildsAtOnce` statements at a time, biggest table first, and a table's
 * index builds go ahead of everything else as soon as it is durable (making a table durable
 * rewrites its indexes, so they come after): the audit trail, the largest table by far, sets the
 * pace, and the small tables fill the gaps around it.
 */
async function finishShadows(pool: SqlPool, projections: readonly Projection[]): Promise<void> {
  const tables = projections.flatMap((p) => p.tables);
  for (const { name, lookups = [] } of tables)
    for (const i of lookups.keys())
      await pool.query(`DROP INDEX IF EXISTS ${ident(lookupIndexName(name, i))}`);
  const sizes = new Map<string, number>();
  if (pool.backend === 'postgres') {
    const { rows } = await pool.query<{ name: string; bytes: string }>(
      `SELECT t.name, pg_total_relation_size(format('%I', t.name || $2)::regclass)::text AS bytes
         FROM unnest($1::text[]) AS t(name)`,
      [tables.map((t) => t.name), shadowSuffix],
    );
    for (const row of rows) sizes.set(row.name, Number(row.bytes));
  }
  const bySize = [...tables].sort((a, b) => (sizes.get(b.name) ?? 0) - (sizes.get(a.name) ?? 0));
  const slots = new Slots(indexBuildsAtOnce);
  await Promise.all(
    bySize.map(async (table, rank) => {
      const { name } = table;
      if (unloggedWhileLoading(pool, table))
        await slots.run(rank, () => pool.query(`ALTER TABLE ${shadowTables(name)} SET LOGGED`));
      const statements = await missingIndexes(pool, name);
      await Promise.all(
        statements.map((statement) =>
          // An index build goes before any table still to be made durable.
          slots.run(rank - bySize.length, () =>
            pool.transaction(async (tx) => {
              if (pool.backend === 'postgres')
                await tx.query(`SET LOCAL maintenance_work_mem = '${indexBuildMemory}'`);
              await tx.query(statement);
            }),
          ),
        ),
      );
    }),
  );
}

/** At most `size` tasks at once; a waiting task with a lower rank starts first. */
class Slots {
  #free: number;
  readonly #waiting: { rank: number; start: () => void }[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(rank: number, task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else
      await new Promise<void>((start) => {
        this.#waiting.push({ rank, start });
        this.#waiting.sort((a, b) => a.rank - b.rank);
      });
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next.start();
    }
  }
}

/** The CREATE INDEX statements that give a table's shadow the live table's other indexes. */
async function missingIndexes(db: SqlClient, name: string): Promise<string[]> {
  const statements: string[] = [];
  const shadow = await indexes(db, shadowName(name));
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
    [name],
  );
  for (const { indexname, indexdef } of rows) {
    const match = /^(CREATE (?:UNIQUE )?INDEX )\S+ ON \S+ (.*)$/.exec(indexdef);
    if (match === null) throw new Error(`cannot read the definition of index ${indexname}: ${indexdef}`);
    if (shadow.has(match[2]!)) continue;
    const temporary = `${indexname.slice(0, 50)}${shadowSuffix}`;
    statements.push(`${match[1]}${ident(temporary)} ON ${shadowTables(name)} ${match[2]}`);
  }
  return statements;
}

async function dropShadows(db: SqlClient, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections)
    for (const { name } of projection.tables) await db.query(`DROP TABLE IF EXISTS ${shadowTables(name)}`);
}

/** The index names of a table with the part that names the table cut out, to pair live and shadow. */
async function indexes(db: SqlClient, table: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.indexdef.replace(/^.*? ON \S+ /, ''), r.indexname]));
}

/** Swaps every shadow in for its live table, keeping the live index names. Runs inside the swap transaction. */
async function swapTables(tx: SqlClient, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections) {
    for (const { name } of projection.tables) {
      const live = await indexes(tx, name);
      const shadow = await indexes(tx, shadowName(name));
      await tx.query(`DROP TABLE ${ident(name)}`);
      await tx.query(`ALTER TABLE ${shadowTables(name)} RENAME TO ${ident(name)}`);
      for (const [definition, shadowIndex] of shadow) {
        const liveIndex = live.get(definition);
        if (liveIndex !== undefined)
          await tx.query(`ALTER INDEX ${ident(shadowIndex)} RENAME TO ${ident(liveIndex)}`);
      }
    }
  }
}

/**
 * Rebuilds projections beside the live ones: fresh shadow tables fed from the start of the log in
 * big batches (one read serves every projection) until it has caught up with the log, then one
 * transaction that locks the live checkpoints, swaps the tables in and moves the checkpoints. Until that
 * moment the live tables keep answering and the live projector keeps them current. A crash before
 * the swap leaves the live tables untouched; the next rebuild starts over.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  const { pool, store, projections } = options;
  const batch = Math.min(options.eventsPerBatch ?? eventsPerBatchDefault, eventsPerBatchMax);
  await registerProjections(pool, projections);
  const owner = `rebuild:${randomUUID().slice(0, 8)}`;
  let frozenAt: GlobalPosition | null = null;
  if (options.check === true) {
    await takeLeases(pool, owner, projections);
    // Bring the live rows to the head while nobody else may write them, then hold them there.
    await new ProjectionRunner({
      pool,
      store,
      projections,
      owner,
      eventsPerBatch: batch,
      leaseMs: leaseWaitMsMax,
    }).catchUp();
    frozenAt = await store.headPosition();
  }
  await createShadows(pool, projections);
  const started = performance.now();
  let position: GlobalPosition = '';
  let eventsDone = 0;
  try {
    // Each projection writes its shadow tables in its own transaction, side by side on separate
    // connections: the shadows are private until the swap, and a crash starts the rebuild over,
    // so nothing needs one transaction across projections.
    const apply = (projection: Projection, events: readonly RecordedEvent[]) =>
      pool.transaction(async (tx) => {
        // A crash loses the whole rebuild anyway, so its batches need not wait for the WAL
        // flush; the swap commits with the configured durability. On a server the shadows are
        // unlogged, whose commits never wait for a flush, so the extra round trip is skipped.
        if (pool.backend !== 'postgres') await tx.query('SET LOCAL synchronous_commit = off');
        await applyEvents(tx, projection, events, shadowTables);
      });
    const fed = await feedProjections({
      read: async (after) => {
        const events = await store.readAll({ after, maxCount: batch });
        const kept = frozenAt === null ? events : events.filter((e) => e.position <= frozenAt!);
        // A short read (or one cut at the frozen position) is the end of what this rebuild covers.
        return { events: kept, last: kept.length < batch || events.length < batch };
      },
      consumers: projections.map((projection) => (events) => apply(projection, events)),
      onBatchDone: (events, last) => {
        eventsDone += events.length;
        options.onProgress?.({ eventsDone, position: last });
      },
    });
    position = fed.position;
    const loaded = performance.now();
    await finishShadows(pool, projections);
    const finished = performance.now();

    let comparison: { table: string; live: TableChecksum; rebuilt: TableChecksum }[] | null = null;
    if (frozenAt !== null) {
      comparison = [];
      for (const projection of projections) {
        for (const { name } of projection.tables) {
          const [live, rebuilt] = [
            await tableChecksum(pool, name),
            await tableChecksum(pool, shadowName(name)),
          ];
          comparison.push({ table: name, live, rebuilt: { ...rebuilt, table: name } });
        }
      }
      const differing = comparison.filter(
        (c) => c.live.md5 !== c.rebuilt.md5 || c.live.rows !== c.rebuilt.rows,
      );
      if (differing.length > 0) throw new RebuildMismatch(differing.map((d) => d.table));
    }

    const swapping = performance.now();
    await swap(pool, projections, position, frozenAt === null ? null : owner);
    return {
      projections: projections.map((p) => p.name),
      eventsDone,
      position,
      comparison,
      identical: comparison === null ? null : true,
      seconds: {
        load: (loaded - started) / 1000,
        finish: (finished - loaded) / 1000,
        swap: (performance.now() - swapping) / 1000,
      },
    };
  } catch (error) {
    await dropShadows(pool, projections).catch(() => undefined);
    throw error;
  } finally {
    if (frozenAt !== null) await releaseLeases(pool, owner).catch(() => undefined);
  }
}

/** How many batches the log reader may run ahead of the slowest projection (1: 386 MiB peak on a million events, 2: 428 MiB for 3 % more speed). */
const batchesAheadMax = 1;

/**
 * Feeds the same batches of the log to every projection, each at its own pace: a projection that
 * is done with a batch starts the next at once instead of waiting for the slowest one, so the
 * JavaScript work of one projection overlaps the SQL of the others and the reads. The reader stays
 * at most `batchesAheadMax` batches ahead of the slowest projection, which bounds memory. The
 * first failure stops every loop and is thrown once all have stopped.
 */
async function feedProjections(options: {
  read: (after: GlobalPosition) => Promise<{ events: readonly RecordedEvent[]; last: boolean }>;
  consumers: readonly ((events: readonly RecordedEvent[]) => Promise<void>)[];
  onBatchDone: (events: readonly RecordedEvent[], position: GlobalPosition) => void;
}): Promise<{ position: GlobalPosition }> {
  if (options.consumers.length === 0) return { position: '' };
  const batches = new Map<number, readonly RecordedEvent[]>();
  const done = options.consumers.map(() => 0);
  let end: number | null = null;
  let failure: { error: unknown } | null = null;
  let position: GlobalPosition = '';
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const notify = () => {
    const previous = wake;
    changed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    previous();
  };
  const slowest = () => Math.min(...done);
  let reported = 0;
  const report = () => {
    while (reported < slowest()) {
      const events = batches.get(reported)!;
      batches.delete(reported);
      options.onBatchDone(events, events.at(-1)!.position);
      reported += 1;
    }
  };

  const reader = async () => {
    for (let k = 0; ; k += 1) {
      while (failure === null && k - slowest() >= batchesAheadMax) await changed;
      if (failure !== null) return;
      const { events, last } = await options.read(position);
      if (events.length > 0) {
        batches.set(k, events);
        position = events.at(-1)!.position;
      }
      if (events.length === 0 || last) {
        end = events.length === 0 ? k : k + 1;
        notify();
        return;
      }
      notify();
    }
  };
  const consumer = async (i: number) => {
    for (let k = 0; ; k += 1) {
      while (failure === null && !batches.has(k) && (end === null || k < end)) await changed;
      if (failure !== null || (end !== null && k >= end)) return;
      await options.consumers[i]!(batches.get(k)!);
      done[i] = k + 1;
      report();
      notify();
    }
  };
  const guard = (work: Promise<void>) =>
    work.catch((error: unknown) => {
      failure ??= { error };
      notify();
    });
  await Promise.all([guard(reader()), ...options.consumers.map((_, i) => guard(consumer(i)))]);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return { position };
}

async function takeLeases(pool: SqlPool, owner: string, projections: readonly Projection[]): Promise<void> {
  const deadline = Date.now() + leaseWaitMsMax;
  for (;;) {
    const held = await acquireLeases(pool, owner, leaseWaitMsMax, projections);
    if (held.size === projections.length) return;
    if (Date.now() > deadline) {
      const missing = projections.filter((p) => !held.has(p.name)).map((p) => p.name);
      throw new Error(`could not take the lease of ${missing.join(', ')} (failed, another version, or busy)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Swaps the shadows in and moves the live checkpoints to the position they were built to, in one
 * transaction. Locking the checkpoint rows (in name order, so two swaps cannot deadlock) makes a
 * live batch in flight wait; it then finds its checkpoint moved and starts again from it, so any
 * event after `position` the old tables had seen is applied again, to the new ones. No event is
 * read inside this transaction: on PGlite the transaction holds the only connection.
 */
async function swap(
  pool: SqlPool,
  projections: readonly Projection[],
  position: GlobalPosition,
  leaseOwner: string | null,
): Promise<void> {
  await pool.transaction(async (tx) => {
    const names = projections.map((p) => p.name).sort();
    await tx.query(
      'SELECT name FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE',
      [names],
    );
    await swapTables(tx, projections);
    await tx.query(
      `UPDATE projection_checkpoints c
          SET version = p.version, position = $1, status = 'running', error_message = NULL, error_event_id = NULL,
              error_event_type = NULL, error_stream_name = NULL, error_position = NULL, failed_at = NULL,
              lease_owner = CASE WHEN c.lease_owner = $2 THEN NULL ELSE c.lease_owner END,
              lease_expires_at = CASE WHEN c.lease_owner = $2 THEN NULL ELSE c.lease_expires_at END,
              updated_at = now()
         FROM unnest($3::text[], $4::int[]) AS p(name, version)
        WHERE c.name = p.name`,
      [position, leaseOwner, projections.map((p) => p.name), projections.map((p) => p.version)],
    );
  });
}
