import type { EventStore } from '../../eventstore/port.ts';
import type { SqlPool } from '../../eventstore/sql.ts';
import { readCheckpoints } from './checkpoints.ts';
import type { Projection } from './projection.ts';
import { rebuildProjections } from './rebuild.ts';
import type { RunnerLogger } from './runner.ts';

/** One rebuild at a time in this process (PGlite has a single connection and a single process). */
let rebuilding = false;
const advisoryLockKey = 'ledger:projections:rebuild';

/**
 * Rebuilds, beside the live tables, every projection whose stored rows were built by another
 * version of its code, then swaps them in; the live projector picks them up from the swapped
 * checkpoint. Across processes a PostgreSQL advisory lock, held on a connection of its own for
 * the whole rebuild, lets only one of them do it; the others return at once. Returns the names
 * rebuilt.
 */
export async function rebuildOutdated(
  pool: SqlPool,
  store: EventStore,
  projections: readonly Projection[],
  logger?: RunnerLogger,
): Promise<string[]> {
  const stored = new Map((await readCheckpoints(pool)).map((c) => [c.name, c.version]));
  const outdated = projections.filter((p) => stored.has(p.name) && stored.get(p.name) !== p.version);
  if (outdated.length === 0 || rebuilding) return [];
  rebuilding = true;
  const lock = pool.backend === 'postgres' ? await pool.connect() : null;
  try {
    if (lock !== null) {
      const { rows } = await lock.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [advisoryLockKey],
      );
      if (rows[0]?.locked !== true) return [];
    }
    const names = outdated.map((p) => p.name);
    logger?.info({ projections: names }, 'rebuilding projections whose code version changed');
    await rebuildProjections({ pool, store, projections: outdated });
    logger?.info({ projections: names }, 'rebuilt and swapped in');
    return names;
  } finally {
    if (lock !== null) {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [advisoryLockKey]).catch(() => undefined);
      lock.release();
    }
    rebuilding = false;
  }
}
