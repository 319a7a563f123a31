import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../../api/app.ts';
import { createUser } from '../../api/auth/accounts.ts';
import { type Config, configSchema } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import type { Ledger } from '../../app/runtime.ts';
import { ledgerCatalog } from '../../domain/events/index.ts';
import { PostgresEventStore } from '../../eventstore/postgres/postgres-event-store.ts';
import { createPostgresPool, quoteIdent } from '../../eventstore/sql.ts';
import { migrateToLatest } from '../../migrations/index.ts';
import { createKysely } from '../../projections/database.ts';
import { writeSection } from './report.ts';

/**
 * `ledger bench api`: the two reads the back office makes most, through the whole HTTP stack
 * (security headers, session lookup, rate limit, validation, the read-model query, serialisation),
 * beside a bare Fastify route in the same run, so the ratio says what the stack costs on this
 * machine. Not a test: it prints a table, and with --write puts it under "## HTTP API" in a file.
 *
 * The read models are seeded with SQL (tenants × invoices, a year of month-end MRR rows per
 * tenant): the queries and the HTTP layer are measured, not the projector.
 */
export interface BenchApiOptions {
  readonly seconds: number;
  readonly tenants: number;
  readonly invoicesPerTenant: number;
  readonly connections: number;
  readonly write?: string | undefined;
}

/** The issue's targets for the invoice list. */
const invoiceListRequestsPerSecondMin = 1000;
const invoiceListP99MsMax = 50;

interface Measured {
  readonly scenario: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
}

async function measure(
  scenario: string,
  url: string,
  headers: Record<string, string>,
  options: BenchApiOptions,
): Promise<Measured> {
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.seconds,
  });
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

async function seed(pool: pg.Pool, options: BenchApiOptions): Promise<void> {
  const { tenants, invoicesPerTenant } = options;
  // One statement per table: the server generates the rows, nothing crosses the wire.
  await pool.query(
    `INSERT INTO rm_invoices (invoice_id, tenant_id, currency, country, payment_terms_days, state, number,
       issued_on, due_on, tax_rate_percent, subtotal_minor, tax_minor, total_minor, amount_due_minor,
       paid_minor, lines_count, drafted_at, issued_at, position)
     SELECT 'inv-' || t || '-' || i, 'tenant-' || t, 'XOF', 'SN', 15,
            CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'issued' END,
            'F-2026-' || lpad(((t - 1) * $2 + i)::text, 6, '0'),
            d, d + 15, '18', 45000, 8100, 53100,
            CASE WHEN i % 3 = 0 THEN 0 ELSE 53100 END, CASE WHEN i % 3 = 0 THEN 53100 ELSE 0 END,
            1, d::timestamptz, d::timestamptz, lpad(((t - 1) * $2 + i)::text, 20, '0')
       FROM generate_series(1, $1::int) AS t, generate_series(1, $2::int) AS i,
            LATERAL (SELECT DATE '2026-01-01' + ((t * 7 + i * 31) % 330) AS d) AS days`,
    [tenants, invoicesPerTenant],
  );
  await pool.query(
    `INSERT INTO rm_mrr_days (tenant_id, day, currency, arr_start_minor, arr_end_minor, movement)
     SELECT 'tenant-' || t, (DATE '2026-01-31' + (m || ' month')::interval)::date, 'XOF',
            540000, 540000 + (CASE WHEN m = 0 THEN 0 ELSE 12000 END), CASE WHEN m = 0 THEN 'new' ELSE 'expansion' END
       FROM generate_series(1, $1::int) AS t, generate_series(0, 10) AS m`,
    [tenants],
  );
  // What the metrics projection keeps beside the day rows: their changes summed per day.
  await pool.query(
    `INSERT INTO rm_mrr_day_totals (day, currency, arr_change_minor, paying_change)
     SELECT day, currency, sum(arr_end_minor - arr_start_minor),
            sum((arr_end_minor > 0)::int - (arr_start_minor > 0)::int)
       FROM rm_mrr_days GROUP BY day, currency`,
  );
  await pool.query('ANALYZE rm_invoices; ANALYZE rm_mrr_days; ANALYZE rm_mrr_day_totals');
}

export async function benchApi(config: Config, options: BenchApiOptions): Promise<void> {
  const url =
    config.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_api_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  const pool = createPostgresPool({ connectionString: url, schema, max: 20 });
  const raw = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${quoteIdent(schema)}` });
  const db = createKysely<any>(pool);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const bare = Fastify({ logger: false });
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    await migrateToLatest(db);
    log(`seeding ${options.tenants} tenants × ${options.invoicesPerTenant} invoices…`);
    await seed(raw, options);
    const benchConfig = configSchema.parse({
      ...process.env,
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      API_SIGN_IN_RATE_LIMIT_PER_MINUTE: '100',
    });
    const store = new PostgresEventStore({ pool, catalog: ledgerCatalog() });
    const ledger: Ledger = {
      config: benchConfig,
      logger: createLogger('silent'),
      catalog: ledgerCatalog(),
      pool,
      db,
      store,
      close: async () => store.close(),
    };
    app = await buildApp({ ledger });
    const apiAddress = await app.listen({ host: '127.0.0.1', port: 0 });
    bare.get('/bare', async () => ({ ok: true }));
    const bareAddress = await bare.listen({ host: '127.0.0.1', port: 0 });

    const password = randomBytes(18).toString('base64url');
    await createUser(db, { email: 'bench@example.test', password, role: 'accountant', tenantId: null });
    const signIn = await fetch(`${apiAddress}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.test', password }),
    });
    if (signIn.status !== 200) throw new Error(`bench sign-in failed: ${signIn.status}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const headers = { cookie };

    // A warm-up so the first measurement does not pay for JIT and connection set-up.
    await measure('warm-up', `${apiAddress}/api/v1/invoices?limit=50`, headers, { ...options, seconds: 1 });
    const rows: Measured[] = [];
    rows.push(await measure('bare Fastify route (baseline)', `${bareAddress}/bare`, {}, options));
    log(`bare: ${rows.at(-1)!.requestsPerSecond.toFixed(0)} req/s`);
    rows.push(
      await measure(
        'GET /api/v1/invoices?limit=50 (all tenants)',
        `${apiAddress}/api/v1/invoices?limit=50`,
        headers,
        options,
      ),
    );
    log(`invoice list: ${rows.at(-1)!.requestsPerSecond.toFixed(0)} req/s`);
    // Migration 2026_11_25_1750 indexes the list's ORDER BY (coalesce(issued_on|due_on), id), so
    // both sorts are index range scans; the second sort is measured too.
    rows.push(
      await measure(
        'GET /api/v1/invoices?limit=50&sort=due_asc (all tenants)',
        `${apiAddress}/api/v1/invoices?limit=50&sort=due_asc`,
        headers,
        options,
      ),
    );
    log(`invoice list by due date: ${rows.at(-1)!.requestsPerSecond.toFixed(0)} req/s`);
    rows.push(
      await measure(
        'GET /api/v1/invoices?limit=50&tenantId=… (one tenant)',
        `${apiAddress}/api/v1/invoices?limit=50&tenantId=tenant-42`,
        headers,
        options,
      ),
    );
    rows.push(
      await measure(
        'GET /api/v1/metrics/mrr?asOf=2026-11-25 (dashboard)',
        `${apiAddress}/api/v1/metrics/mrr?asOf=2026-11-25`,
        headers,
        options,
      ),
    );
    log(`dashboard: ${rows.at(-1)!.requestsPerSecond.toFixed(0)} req/s`);
    const table = renderTable(rows, options);
    process.stdout.write(`${table}\n`);
    if (options.write !== undefined) {
      writeSection(
        options.write,
        'HTTP API',
        'Measured with `ledger bench api` (scripts/bench/api.ts).',
        table,
      );
    }
    await store.close();
  } finally {
    if (app !== null) await app.close();
    await bare.close();
    await db.destroy();
    await raw.end();
    await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    await admin.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function renderTable(rows: readonly Measured[], options: BenchApiOptions): string {
  const baseline = rows[0]!.requestsPerSecond;
  const lines = [
    `HTTP API — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ${fmt(options.tenants)} tenants × ${options.invoicesPerTenant} invoices = ${fmt(options.tenants * options.invoicesPerTenant)} rows; autocannon ${options.connections} connections, ${options.seconds} s each, server and load generator in one process`,
    '',
    '| scenario | requests/s | vs bare | p50 | p99 | non-2xx | target |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const [index, r] of rows.entries()) {
    const isList = r.scenario.startsWith('GET /api/v1/invoices?limit=50 (all');
    const target = isList
      ? `≥ ${fmt(invoiceListRequestsPerSecondMin)}/s, p99 ≤ ${invoiceListP99MsMax} ms: ${r.requestsPerSecond >= invoiceListRequestsPerSecondMin && r.p99Ms <= invoiceListP99MsMax ? 'met' : 'MISSED'}`
      : '—';
    lines.push(
      `| ${r.scenario} | ${fmt(r.requestsPerSecond)} | ${index === 0 ? '—' : `${((r.requestsPerSecond / baseline) * 100).toFixed(0)} %`} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.non2xx} | ${target} |`,
    );
  }
  return lines.join('\n');
}
