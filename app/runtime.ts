import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { EventCatalog } from '../domain/events/catalog.ts';
import { ledgerCatalog } from '../domain/events/index.ts';
import type { EventStore } from '../eventstore/port.ts';
import { PostgresEventStore } from '../eventstore/postgres/postgres-event-store.ts';
import { createPglitePool, createPostgresPool, type SqlPool } from '../eventstore/sql.ts';
import { migrateToLatest } from '../migrations/index.ts';
import { createKysely } from '../projections/database.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * Everything a process needs, opened from the configuration: the read-model database (PostgreSQL
 * when DATABASE_URL is set, else embedded PGlite under LEDGER_DATA_DIR), the event store (KurrentDB
 * when KURRENTDB_URL is set, else the PostgreSQL event log on the same database), the catalog and
 * the logger.
 */
export interface Ledger {
  readonly config: Config;
  readonly logger: Logger;
  readonly catalog: EventCatalog;
  readonly pool: SqlPool;
  readonly db: Kysely<any>;
  readonly store: EventStore;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly migrate?: boolean;
  readonly logger?: Logger;
}

export async function openLedger(config: Config, options: OpenOptions = {}): Promise<Ledger> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const catalog = ledgerCatalog();
  let pool: SqlPool;
  if (config.DATABASE_URL !== undefined) {
    pool = createPostgresPool({ connectionString: config.DATABASE_URL, max: 20 });
  } else {
    const dataDir = resolve(config.LEDGER_DATA_DIR, 'pglite');
    mkdirSync(dataDir, { recursive: true });
    pool = await createPglitePool({ dataDir });
    logger.info(
      { dataDir: join(config.LEDGER_DATA_DIR, 'pglite') },
      'embedded PGlite database (set DATABASE_URL for PostgreSQL)',
    );
  }
  const db = createKysely<any>(pool);
  if (options.migrate !== false) {
    const report = await migrateToLatest(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'migrations applied');
  }
  let store: EventStore;
  if (config.KURRENTDB_URL !== undefined) {
    // Loaded on demand: the gRPC client and its native bridge stay out of processes that do not use them.
    const kurrent: string = '../eventstore/kurrentdb/index.ts';
    const { createKurrentDbEventStore } = (await import(kurrent)) as {
      createKurrentDbEventStore(options: {
        connectionString: string;
        catalog: EventCatalog;
      }): Promise<EventStore> | EventStore;
    };
    store = await createKurrentDbEventStore({ connectionString: config.KURRENTDB_URL, catalog });
    logger.info('event log in KurrentDB');
  } else {
    store = new PostgresEventStore({ pool, catalog });
  }
  return {
    config,
    logger,
    catalog,
    pool,
    db,
    store,
    async close() {
      await store.close();
      await db.destroy();
    },
  };
}
