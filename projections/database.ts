import { Kysely, PostgresDialect } from 'kysely';
import type { SqlPool } from '../eventstore/sql.ts';

/**
 * Kysely over our pool shape, so read models run the same on a PostgreSQL server and on PGlite.
 * `DB` is the read-model schema; callers that only run raw SQL (migrations) use `Kysely<any>`.
 */
export function createKysely<DB>(pool: SqlPool): Kysely<DB> {
  // The pool satisfies the subset of pg.Pool that PostgresDialect calls (connect, query, release, end).
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
}
