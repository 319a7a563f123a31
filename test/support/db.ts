import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import { ledgerCatalog } from '../../domain/events/index.ts';
import { PostgresEventStore } from '../../eventstore/postgres/postgres-event-store.ts';
import { createPglitePool, createPostgresPool, quoteIdent, type SqlPool } from '../../eventstore/sql.ts';
import { migrateToLatest } from '../../migrations/index.ts';
import { createKysely } from '../../projections/database.ts';

/** The server every integration test uses; each test file gets its own schema on it. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly pool: SqlPool;
  readonly db: Kysely<any>;
  /** The schema's name on PostgreSQL; null on PGlite. */
  readonly schema: string | null;
  close(): Promise<void>;
}

/** A fresh schema on the test server, migrated to the latest version. Dropped on close. */
export async function freshPostgresDatabase(): Promise<TestDatabase> {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = createPostgresPool({ connectionString: testDatabaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await admin.end();
  const pool = createPostgresPool({ connectionString: testDatabaseUrl, schema, max: 20 });
  const db = createKysely<any>(pool);
  await migrateToLatest(db);
  return {
    pool,
    db,
    schema,
    async close() {
      await db.destroy();
      const cleanup = createPostgresPool({ connectionString: testDatabaseUrl, max: 1 });
      await cleanup.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await cleanup.end();
    },
  };
}

/** A fresh in-memory PGlite, migrated. */
export async function freshPgliteDatabase(): Promise<TestDatabase> {
  const pool = await createPglitePool();
  const db = createKysely<any>(pool);
  await migrateToLatest(db);
  return {
    pool,
    db,
    schema: null,
    async close() {
      await db.destroy();
    },
  };
}

export interface TestEventStore extends TestDatabase {
  readonly store: PostgresEventStore;
  /** Another store over the same database (another catalog, as after a deploy). */
  reopen(catalog: EventCatalog): PostgresEventStore;
}

export async function freshEventStore(
  backend: 'postgres' | 'pglite' = 'postgres',
  catalog: EventCatalog = ledgerCatalog(),
): Promise<TestEventStore> {
  const database = backend === 'postgres' ? await freshPostgresDatabase() : await freshPgliteDatabase();
  const stores: PostgresEventStore[] = [];
  const open = (c: EventCatalog) => {
    const store = new PostgresEventStore({ pool: database.pool, catalog: c, pollIntervalMs: 50 });
    stores.push(store);
    return store;
  };
  const store = open(catalog);
  return {
    ...database,
    store,
    reopen: open,
    async close() {
      for (const s of stores) await s.close();
      await database.close();
    },
  };
}
