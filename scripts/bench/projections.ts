import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';
import type { Config } from '../../app/config.ts';
import { uuidV5 } from '../../eventstore/ids.ts';
import type { NewEvent } from '../../eventstore/port.ts';
import { PostgresEventStore } from '../../eventstore/postgres/postgres-event-store.ts';
import { createPostgresPool, quoteIdent, type SqlPool } from '../../eventstore/sql.ts';
import { migrateToLatest } from '../../migrations/index.ts';
import { createKysely } from '../../projections/database.ts';
import { allProjections } from '../../projections/index.ts';
import { rebuildProjections } from '../../projections/runtime/rebuild.ts';
import { writeSection } from './report.ts';
import {
  creditNoteIssued,
  type GivenEvent,
  issuedInvoice,
  metadata,
  paidWith,
  paymentFailed,
  planChanged,
  projectionTestCatalog,
  subscriptionStarted,
  tenantRegistered,
} from '../../projections/testing/history.ts';

/**
 * `ledger bench projections`: rebuild every read model from a generated history of realistic
 * shape (tenants, subscriptions, monthly invoices with lines, Mobile Money payments, failures,
 * plan changes, credit notes), beside the ceiling of reading the same events without projecting,
 * in the same run on the same server. Not a test: it prints a table.
 */

/** Named limits. */
const appendConcurrency = 16;
const readBatch = 10_000;
const rebuildBatch = 10_000;
const eventsPerSecondTarget = 30_000;
const rssBytesTarget = 400 * 2 ** 20;

/** One tenant's months: ~11 events a month, with a failure every 7th month and a change every 11th. */
function* tenantHistory(t: number, months: number): Generator<GivenEvent[]> {
  const tenantId = `bt-${t}`;
  const subscriptionId = `bs-${t}`;
  const price = BigInt(10_000 + (t % 7) * 5_000);
  yield [tenantRegistered(tenantId, `Tenant ${t}`, '2024-01-02T09:00:00Z')];
  yield [
    subscriptionStarted({
      subscriptionId,
      tenantId,
      interval: 'monthly',
      priceMinor: price,
      startedOn: '2024-01-02',
    }),
  ];
  let current = price;
  for (let m = 0; m < months; m += 1) {
    const year = 2024 + Math.floor(m / 12);
    const month = String((m % 12) + 1).padStart(2, '0');
    const issuedOn = `${year}-${month}-01`;
    const invoiceId = `bi-${t}-${m}`;
    const number = `F-${year}-${String(t * 100 + m).padStart(6, '0')}`;
    const invoice = issuedInvoice({
      invoiceId,
      tenantId,
      number,
      linesMinor: [current, 2_500n],
      issuedOn,
      dueOn: `${year}-${month}-16`,
    });
    const total = current + 2_500n + ((current + 2_500n) * 18n + 50n) / 100n;
    if (m % 7 === 3) yield paymentFailed(`bf-${t}-${m}`, tenantId, invoiceId, total, `${year}-${month}-05`);
    if (m % 13 === 5) {
      const credit = creditNoteIssued({
        invoiceId,
        creditNoteId: `bc-${t}-${m}`,
        number: `AV-${year}-${String(t * 100 + m).padStart(6, '0')}`,
        invoiceNumber: number,
        netMinor: 1_000n,
        amountDueBeforeMinor: total,
        on: `${year}-${month}-03`,
      });
      const credited = 1_000n + (1_000n * 18n + 50n) / 100n;
      yield [...invoice, credit];
      yield paidWith({
        paymentId: `bp-${t}-${m}`,
        tenantId,
        invoiceId,
        amountMinor: total - credited,
        amountDueBeforeMinor: total - credited,
        on: `${year}-${month}-10`,
      });
    } else {
      yield invoice;
      yield paidWith({
        paymentId: `bp-${t}-${m}`,
        tenantId,
        invoiceId,
        amountMinor: total,
        amountDueBeforeMinor: total,
        on: `${year}-${month}-10`,
      });
    }
    if (m % 11 === 10) {
      const next = current + 5_000n;
      yield [planChanged(subscriptionId, `${year}-${month}-20`, current, next)];
      current = next;
    }
  }
}

/** Splits a list of events into per-stream appends (consecutive events of one stream go together). */
function toAppends(events: GivenEvent[], seq: { n: number }): { stream: string; events: NewEvent[] }[] {
  const appends: { stream: string; events: NewEvent[] }[] = [];
  for (const e of events) {
    seq.n += 1;
    const event: NewEvent = {
      id: uuidV5(`bench:${seq.n}`),
      type: e.type,
      data: e.data,
      metadata: metadata(e.occurredAt ?? '2026-01-01T00:00:00.000Z', `bench-${Math.floor(seq.n / 8)}`),
    };
    const last = appends.at(-1);
    if (last !== undefined && last.stream === e.stream) last.events.push(event);
    else appends.push({ stream: e.stream, events: [event] });
  }
  return appends;
}

/**
 * CPU seconds used so far by each server process serving this bench's connections (found by
 * application name), read from /proc: the server runs on this machine, and the split between
 * Node and PostgreSQL says which side a faster rebuild has to shrink. Empty where /proc is not
 * readable (another host, another OS).
 */
async function serverCpu(pool: SqlPool, applicationName: string): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Not on this machine, or already gone: counted as nothing.
    }
  }
  return seconds;
}

function cpuSpent(before: Map<number, number>, after: Map<number, number>): number | null {
  if (after.size === 0) return null;
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Samples resident memory while `work` runs; returns its result, seconds, peak RSS and CPU used. */
async function measured<T>(
  work: () => Promise<T>,
  server?: () => Promise<Map<number, number>>,
): Promise<{ result: T; seconds: number; peakRssBytes: number; nodeCpu: number; serverCpu: number | null }> {
  const serverBefore = server === undefined ? new Map<number, number>() : await server();
  const cpuBefore = process.cpuUsage();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      result,
      seconds,
      peakRssBytes: Math.max(peak, process.memoryUsage.rss()),
      nodeCpu: (cpu.user + cpu.system) / 1e6,
      serverCpu: server === undefined ? null : cpuSpent(serverBefore, await server()),
    };
  } finally {
    clearInterval(timer);
  }
}

const cpuText = (m: { nodeCpu: number; serverCpu: number | null }) =>
  `${m.nodeCpu.toFixed(1)} + ${m.serverCpu === null ? '?' : m.serverCpu.toFixed(1)}`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Appends about `events` events of generated history through the store, 16 tenants at a time. */
export async function generateHistory(
  store: PostgresEventStore,
  events: number,
  log: (line: string) => void = () => undefined,
): Promise<{ events: number; tenants: number; months: number }> {
  const months = 24;
  const seq = { n: 0 };
  let tenant = 0;
  const queue: Promise<void>[] = [];
  const runTenant = async (appends: { stream: string; events: NewEvent[] }[]) => {
    for (const a of appends) await store.append(a.stream, a.events, 'any');
  };
  while (seq.n < events) {
    const history: GivenEvent[] = [];
    for (const chunk of tenantHistory(tenant, months)) history.push(...chunk);
    tenant += 1;
    queue.push(runTenant(toAppends(history.slice(0, events - seq.n), seq)));
    if (queue.length >= appendConcurrency) {
      await Promise.all(queue.splice(0));
      if (tenant % 200 === 0) log(`generated ${fmt(seq.n)} events`);
    }
  }
  await Promise.all(queue);
  return { events: seq.n, tenants: tenant, months };
}

export async function benchProjections(
  config: Config,
  options: { events: number; write?: string | undefined; keep?: boolean; reuse?: string | undefined },
): Promise<void> {
  const url =
    config.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = options.reuse ?? `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  if (options.reuse === undefined) await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  const applicationName = `ledger-${schema}`;
  const pool = createPostgresPool({
    connectionString: url,
    schema,
    max: appendConcurrency + 4,
    applicationName,
  });
  const server = () => serverCpu(pool, applicationName);
  const db = createKysely<any>(pool);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    await migrateToLatest(db);
    const store = new PostgresEventStore({ pool, catalog: projectionTestCatalog() });

    const generation =
      options.reuse === undefined
        ? await measured(() => generateHistoryQuickly(url, schema, options.events, log))
        : await measured(() => keptHistory(pool));
    const { events: total, tenants: tenant, months } = generation.result;
    log(`generated ${fmt(total)} events for ${fmt(tenant)} tenants in ${generation.seconds.toFixed(0)} s`);
    if (options.keep === true) log(`history kept in schema ${schema} (measure again with --reuse ${schema})`);
    await pool.query('ANALYZE');

    const rebuild = await measured(
      () =>
        rebuildProjections({
          pool,
          store,
          projections: allProjections,
          eventsPerBatch: rebuildBatch,
          onProgress: ({ eventsDone }) => {
            if (eventsDone % 100_000 < rebuildBatch) log(`projected ${fmt(eventsDone)} events`);
          },
        }),
      server,
    );
    const phases = rebuild.result.seconds;
    log(
      `rebuilt ${allProjections.length} projections from ${fmt(rebuild.result.eventsDone)} events in ${rebuild.seconds.toFixed(1)} s (load ${phases.load.toFixed(1)} s, durable and indexed ${phases.finish.toFixed(1)} s, swap ${phases.swap.toFixed(1)} s)`,
    );
    // The ceiling: read the same events through the store, without projecting. Measured after the
    // rebuild, so the rebuild's peak memory is that of a process that has done nothing else.
    const read = await measured(async () => {
      let after = '';
      let count = 0;
      for (;;) {
        const events = await store.readAll({ after, maxCount: readBatch });
        count += events.length;
        if (events.length === 0) return count;
        after = events.at(-1)!.position;
        if (events.length < readBatch) return count;
      }
    }, server);
    log(`read ${fmt(read.result)} events in ${read.seconds.toFixed(1)} s`);

    const rows = await pool.query<{ n: string }>(
      `SELECT sum(n_live_tup)::text AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname LIKE 'rm\\_%'`,
    );

    const readRate = read.result / read.seconds;
    const rebuildRate = rebuild.result.eventsDone / rebuild.seconds;
    const table = [
      `Projections on PostgreSQL — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB; ${fmt(total)} events (${fmt(tenant)} tenants × up to ${months} months), ${allProjections.length} projections, ~${fmt(Number(rows.rows[0]?.n ?? '0'))} rows written`,
      '',
      '| run | events | seconds | events/s | peak RSS | CPU s: Node + PostgreSQL | target |',
      '|---|---:|---:|---:|---:|---:|---|',
      `| read the log, no projection (ceiling) | ${fmt(read.result)} | ${read.seconds.toFixed(1)} | ${fmt(readRate)} | ${mib(read.peakRssBytes)} | ${cpuText(read)} | — |`,
      `| rebuild every read model | ${fmt(rebuild.result.eventsDone)} | ${rebuild.seconds.toFixed(1)} | ${fmt(rebuildRate)} | ${mib(rebuild.peakRssBytes)} | ${cpuText(rebuild)} | ≥ ${fmt(eventsPerSecondTarget)}/s, < ${mib(rssBytesTarget)}: ${rebuildRate >= eventsPerSecondTarget && rebuild.peakRssBytes < rssBytesTarget ? 'met' : 'MISSED'} |`,
      '',
      `Rebuild at ${((rebuildRate / readRate) * 100).toFixed(0)} % of the read ceiling; of its ${rebuild.seconds.toFixed(1)} s, loading the shadow tables took ${rebuild.result.seconds.load.toFixed(1)} s, making them durable and indexing them ${rebuild.result.seconds.finish.toFixed(1)} s, the swap ${rebuild.result.seconds.swap.toFixed(1)} s. ${
        options.reuse === undefined
          ? `Generating the history (appends through the store, ${appendConcurrency} at a time) took ${generation.seconds.toFixed(0)} s.`
          : 'The history was generated by an earlier run (--keep) and reused.'
      }`,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    if (options.write !== undefined) {
      writeSection(
        options.write,
        'Projections',
        'Measured with `ledger bench projections` (see scripts/bench/projections.ts).',
        table,
      );
    }
    await store.close();
  } finally {
    await db.destroy();
    if (options.keep !== true) await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    await admin.end();
  }
}

/**
 * Generates the history through the store on connections that do not wait for the WAL flush at
 * each commit: how the history gets there is not what is measured, and waiting for the disk on
 * each of a million small appends made generating it take longer than everything else together.
 */
async function generateHistoryQuickly(
  url: string,
  schema: string,
  events: number,
  log: (line: string) => void,
): Promise<{ events: number; tenants: number; months: number }> {
  const noFlushWait = new URL(url);
  noFlushWait.searchParams.set(
    'options',
    `${noFlushWait.searchParams.get('options') ?? ''} -c synchronous_commit=off`.trim(),
  );
  const pool = createPostgresPool({
    connectionString: noFlushWait.toString(),
    schema,
    max: appendConcurrency,
  });
  const store = new PostgresEventStore({ pool, catalog: projectionTestCatalog() });
  try {
    return await generateHistory(store, events, log);
  } finally {
    await store.close();
    await pool.end();
  }
}

/** The size of a history an earlier run kept. */
async function keptHistory(pool: SqlPool): Promise<{ events: number; tenants: number; months: number }> {
  const { rows } = await pool.query<{ events: string; tenants: string }>(
    `SELECT (SELECT count(*) FROM ledger_events)::text AS events,
            (SELECT count(*) FROM ledger_streams WHERE stream_name LIKE 'tenant-%')::text AS tenants`,
  );
  return { events: Number(rows[0]!.events), tenants: Number(rows[0]!.tenants), months: 24 };
}
