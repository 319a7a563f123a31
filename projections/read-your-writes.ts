import type { GlobalPosition } from '../eventstore/port.ts';
import type { SqlClient } from '../eventstore/sql.ts';
import { waitForPosition } from './runtime/status.ts';

/** The longest a request may wait for the projections; a client asking for more gets this. */
export const readYourWritesWaitMsMax = 5_000;

/**
 * Raised when the projections a query reads have not reached the position a client asked for
 * within the wait: the API answers 503 with `Retry-After: retryAfterSeconds`.
 */
export class ProjectionsBehind extends Error {
  override readonly name = 'ProjectionsBehind';
  constructor(
    readonly position: GlobalPosition,
    readonly behind: readonly string[],
    readonly retryAfterSeconds: number,
  ) {
    super(`the read models (${behind.join(', ')}) have not reached position ${position} yet`);
  }
}

/**
 * Read-your-writes for a query: when the client sends the position its command returned, wait
 * (bounded) until the projections the query reads have applied it; without a position, return at
 * once. Throws `ProjectionsBehind` when the wait runs out.
 */
export async function awaitReadModels(
  db: SqlClient,
  position: GlobalPosition | null | undefined,
  projectionNames: readonly string[],
  waitMs: number = readYourWritesWaitMsMax,
): Promise<void> {
  if (position === null || position === undefined || position === '') return;
  const result = await waitForPosition(
    db,
    position,
    Math.min(waitMs, readYourWritesWaitMsMax),
    projectionNames,
  );
  if (!result.reached) throw new ProjectionsBehind(position, result.behind, 1);
}
