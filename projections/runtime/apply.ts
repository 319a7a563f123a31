import type { RecordedEvent } from '../../eventstore/port.ts';
import type { SqlClient } from '../../eventstore/sql.ts';
import { handledTypes, PoisonEvent, type Projection } from './projection.ts';
import { ident, RowWriter } from './row-writer.ts';

/** Maps a live table name to the quoted name to write: itself, or its shadow during a rebuild. */
export type TableResolver = (table: string) => string;

export const liveTables: TableResolver = (table) => ident(table);

/**
 * Applies a slice of the log to one projection inside `tx`: evolve every event it reads, write the
 * merged rows, then run its `afterBatch`. An `evolve` that throws is a poison event, named at once;
 * a failing statement is attributed to an event by the caller (see `isDeterministicFailure`).
 */
export async function applyEvents(
  tx: SqlClient,
  projection: Projection,
  events: readonly RecordedEvent[],
  resolve: TableResolver,
): Promise<void> {
  const writer = new RowWriter(projection.tables);
  const relevant: RecordedEvent[] = [];
  const types = handledTypes(projection);
  for (const event of events) {
    if (types !== 'all' && !types.has(event.type)) continue;
    relevant.push(event);
    try {
      for (const op of projection.evolve(event)) writer.push(op);
    } catch (error) {
      throw new PoisonEvent(projection.name, event, error);
    }
  }
  if (relevant.length === 0) return;
  await writer.flush(tx, resolve);
  if (projection.afterBatch !== undefined)
    await projection.afterBatch(tx, { table: resolve, events: relevant });
}

/**
 * True when running the same statements again would fail the same way: bad data, a broken
 * constraint, a bug in the SQL. Connection losses and timeouts are not: those are retried.
 */
export function isDeterministicFailure(error: unknown): boolean {
  if (error instanceof PoisonEvent) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && !/^[0-9A-Z]{5}$/.test(code)) return false; // ECONNRESET and the like
  if (typeof code !== 'string')
    return !/closed|terminat|timeout|ECONN/i.test(String((error as Error)?.message));
  return ['22', '23', '42', 'P0', '2B', '44'].includes(code.slice(0, 2));
}
