import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as eventLog from './2026_11_25_1600_event_log.ts';
import * as projectionCheckpoints from './2026_11_25_1700_projection_checkpoints.ts';
import * as readModels from './2026_11_25_1710_read_models.ts';
import * as subscriptionsMetricsRisk from './2026_11_25_1720_subscriptions_metrics_risk.ts';
import * as riskReminders from './2026_11_25_1730_risk_reminders.ts';
import * as auditStreams from './2026_11_25_1740_audit_streams.ts';
import * as invoiceListIndexes from './2026_11_25_1750_invoice_list_indexes.ts';
import * as mrrDayTotals from './2026_11_25_1800_mrr_day_totals.ts';
import * as dunning from './2026_11_25_1810_dunning.ts';
import * as readModelCollation from './2026_11_25_1900_read_model_collation.ts';
import * as apiAccess from './2026_11_25_1630_api_access.ts';

/**
 * Every migration, by name. Listed here rather than read from the folder so that the bundle, the
 * tests and `ledger migrate` see exactly the same set. Names sort in the order they apply.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_25_1600_event_log': eventLog,
  '2026_11_25_1700_projection_checkpoints': projectionCheckpoints,
  '2026_11_25_1710_read_models': readModels,
  '2026_11_25_1720_subscriptions_metrics_risk': subscriptionsMetricsRisk,
  '2026_11_25_1730_risk_reminders': riskReminders,
  '2026_11_25_1740_audit_streams': auditStreams,
  '2026_11_25_1750_invoice_list_indexes': invoiceListIndexes,
  '2026_11_25_1800_mrr_day_totals': mrrDayTotals,
  '2026_11_25_1810_dunning': dunning,
  '2026_11_25_1900_read_model_collation': readModelCollation,
  '2026_11_25_1630_api_access': apiAccess,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export interface MigrationReport {
  readonly applied: string[];
}

/** How often a migration run is retried when another schema vanished under Kysely's introspection. */
const introspectionRetriesMax = 3;

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  // Name the schema explicitly: Kysely looks its bookkeeping tables up across every schema, so
  // with one schema per test file it would otherwise find another file's tables and skip its own.
  const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'ledger_migrations',
    migrationLockTableName: 'ledger_migrations_lock',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  for (let attempt = 0; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) {
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    }
    // Kysely's introspection reads every schema's catalog entries. Failures there are not our
    // migration's: a schema (3F000) or one of its tables (42P01, when no migration of ours failed)
    // dropped by someone else at that instant, and a parallel worker of that read missing a table
    // our own open migration transaction just created. The migration transaction rolled back, so
    // nothing was applied: try again.
    const { code, where } = error as { code?: string; where?: string };
    const ownFailure = results?.some((r) => r.status === 'Error') ?? false;
    const transient =
      code === '3F000' || (code === '42P01' && !ownFailure) || (where ?? '').includes('parallel worker');
    if (transient && attempt < introspectionRetriesMax) {
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      continue;
    }
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`,
      { cause: error },
    );
  }
}
