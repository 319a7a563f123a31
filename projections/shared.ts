import { sql, type RawBuilder } from 'kysely';
import type { RecordedEvent } from '../eventstore/port.ts';

/**
 * The event's data as its aggregate defines it. The store validated it against the catalog's
 * schema when it was appended and upcast it on read, so the cast states a fact, not a hope.
 */
export function dataOf<T>(event: RecordedEvent): T {
  return event.data as T;
}

/** A legal date column read back as `YYYY-MM-DD` (pg would turn `date` into a local-time Date). */
export function dateText(column: string): RawBuilder<string | null> {
  return sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

/** A bigint column as a string of minor units, whatever the driver's parsers are. */
export function minorText(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)}::text`;
}
