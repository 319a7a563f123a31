import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { z } from 'zod';
import type { Config } from '../../app/config.ts';
import { defineEvent, EventCatalog } from '../../domain/events/catalog.ts';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import type { NewEvent } from '../../eventstore/port.ts';
import { START } from '../../eventstore/port.ts';
import { PostgresEventStore } from '../../eventstore/postgres/postgres-event-store.ts';
import { createPostgresPool, quoteIdent } from '../../eventstore/sql.ts';
import { migrateToLatest } from '../../migrations/index.ts';
import { createKysely } from '../../projections/database.ts';
import { writeSection } from './report.ts';

/**
 * `ledger bench eventstore`: the PostgreSQL event log against plain SQL on the same server, in the
 * same run, so the ratios mean something on a noisy 2-core machine. Not a test: it prints a table.
 *
 * Baselines: rows of the same shape as ledger_events (same columns, a primary key), written with
 * single-row and 100-row INSERTs at the same durability (synchronous_commit as configured); COPY
 * as the ceiling for writes; a cursor SELECT over the same rows as the ceiling for reads.
 */
const benchEvent = defineEvent({
  type: 'BenchInvoiceLineRecorded',
  version: 1,
  schema: z.object({
    invoiceId: z.string().uuid(),
    tenantId: z.string().uuid(),
    line: z.object({
      kind: z.enum(['subscription', 'usage', 'proration', 'one_off']),
      description: z.string().max(200),
      quantity: z.string().regex(/^\d+$/),
      unitPrice: z.object({ amountMinor: z.string().regex(/^-?\d+$/), currency: z.string().length(3) }),
      periodStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      periodEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
  }),
});
const catalog = new EventCatalog([benchEvent]);

function eventData(i: number) {
  return {
    invoiceId: randomUUID(),
    tenantId: '5b6f3c0e-2a41-4c8e-9d7a-1f0e6b2c3d4e',
    line: {
      kind: 'subscription' as const,
      description: `Abonnement Professional — période ${i}`,
      quantity: '1',
      unitPrice: { amountMinor: '45000', currency: 'XOF' },
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
    },
  };
}

const metadata: EventMetadata = {
  correlationId: 'bench-correlation-0001',
  causationId: null,
  actor: { kind: 'job', id: 'bench' },
  idempotencyKey: null,
  occurredAt: '2026-11-25T10:00:00.000Z',
};

function newEvents(count: number, seq: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: benchEvent.type,
    data: eventData(seq + i),
    metadata,
  }));
}

interface Row {
  scenario: string;
  writers: number | string;
  baseline: number;
  measured: number;
  unit: string;
  target: number | null;
  note?: string;
}

async function runFor(
  seconds: number,
  writers: number,
  work: (writer: number, iteration: number) => Promise<number>,
) {
  const result = await slice(seconds, writers, work, new Array<number>(writers).fill(0));
  return result.count / result.seconds;
}

/** Runs `writers` loops of `work` for `seconds`, continuing each writer's iteration count. */
async function slice(
  seconds: number,
  writers: number,
  work: (writer: number, iteration: number) => Promise<number>,
  iterations: number[],
): Promise<{ count: number; seconds: number }> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (performance.now() < deadline) {
        const i = iterations[w]!;
        iterations[w] = i + 1;
        count += await work(w, i);
      }
    }),
  );
  return { count, seconds: (performance.now() - started) / 1000 };
}

/**
 * The baseline and the event store take turns in short slices, so both see the same machine: on a
 * shared 2-core box the load changes from one second to the next, and back-to-back runs of a few
 * seconds each would compare two different machines.
 */
async function interleaved(
  seconds: number,
  writers: number,
  baselineWork: (writer: number, iteration: number) => Promise<number>,
  storeWork: (writer: number, iteration: number) => Promise<number>,
  rounds = 6,
): Promise<{ baseline: number; measured: number }> {
  const baseIterations = new Array<number>(writers).fill(0);
  const storeIterations = new Array<number>(writers).fill(0);
  let base = { count: 0, seconds: 0 };
  let store = { count: 0, seconds: 0 };
  for (let round = 0; round < rounds; round += 1) {
    const b = await slice(seconds / rounds, writers, baselineWork, baseIterations);
    const m = await slice(seconds / rounds, writers, storeWork, storeIterations);
    base = { count: base.count + b.count, seconds: base.seconds + b.seconds };
    store = { count: store.count + m.count, seconds: store.seconds + m.seconds };
  }
  return { baseline: base.count / base.seconds, measured: store.count / store.seconds };
}

export async function benchEventStore(
  config: Config,
  options: { seconds: number; write?: string | undefined; writers?: number[] | undefined },
): Promise<void> {
  const url =
    config.DATABASE_URL ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  const pool = createPostgresPool({ connectionString: url, schema, max: 40 });
  const raw = new pg.Pool({
    connectionString: url,
    max: 40,
    options: `-c search_path=${quoteIdent(schema)}`,
  });
  const db = createKysely<any>(pool);
  const rows: Row[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    await migrateToLatest(db);
    const store = new PostgresEventStore({ pool, catalog });
    await raw.query(`CREATE TABLE baseline (
      id bigint GENERATED ALWAYS AS IDENTITY, stream_name text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL,
      event_type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), content_hash text NOT NULL, hash text NOT NULL,
      PRIMARY KEY (stream_name, revision))`);
    const durability = (await raw.query('SHOW synchronous_commit')).rows[0].synchronous_commit as string;
    const meta = JSON.stringify(metadata);
    const hash = 'a'.repeat(64);
    const insertSql = `INSERT INTO baseline (stream_name, revision, event_id, event_type, schema_version, data, metadata, content_hash, hash)
       SELECT $1, $2::bigint + o - 1, gen_random_uuid(), 'BenchInvoiceLineRecorded', 1, d, $4::jsonb, $5, $5
       FROM unnest($3::jsonb[]) WITH ORDINALITY AS u(d, o)`;
    let streamSeq = 0;
    const nextStream = (prefix: string) => {
      streamSeq += 1;
      return `${prefix}-${streamSeq}`;
    };

    for (const batch of [1, 100]) {
      for (const writers of options.writers ?? [1, 8, 32]) {
        const label = batch === 1 ? 'append, single event' : 'append, 100-event batch';
        const baseStreams = Array.from({ length: writers }, () => nextStream('b'));
        const storeStreams = Array.from({ length: writers }, () => nextStream('s'));
        const { baseline, measured } = await interleaved(
          options.seconds,
          writers,
          async (w, i) => {
            const data = Array.from({ length: batch }, (_, k) => JSON.stringify(eventData(i * batch + k)));
            await raw.query(insertSql, [baseStreams[w], i * batch, data, meta, hash]);
            return batch;
          },
          async (w, i) => {
            await store.append(
              storeStreams[w]!,
              newEvents(batch, i * batch),
              i === 0 ? 'no_stream' : BigInt(i * batch - 1),
            );
            return batch;
          },
        );
        const target = batch === 1 ? (writers === 8 ? 0.5 : null) : 0.75;
        rows.push({ scenario: label, writers, baseline, measured, unit: 'events/s', target });
        log(
          `${label}, ${writers} writers: baseline ${baseline.toFixed(0)}/s, store ${measured.toFixed(0)}/s`,
        );
      }
    }

    // COPY: the ceiling for writing rows of this shape.
    const copyRows = 200_000;
    const copyClient = await raw.connect();
    const copyStarted = performance.now();
    const dataText = JSON.stringify(eventData(0)).replace(/\\/g, '\\\\');
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < copyRows; i += 1) {
            yield `copy-stream\t${i}\t${randomUUID()}\tBenchInvoiceLineRecorded\t1\t${dataText}\t${meta}\t${hash}\t${hash}\n`;
          }
        })(),
      ),
      copyClient.query(
        copyFrom(
          'COPY baseline (stream_name, revision, event_id, event_type, schema_version, data, metadata, content_hash, hash) FROM STDIN',
        ),
      ),
    );
    copyClient.release();
    const copyRate = copyRows / ((performance.now() - copyStarted) / 1000);
    rows.push({
      scenario: 'COPY (write ceiling)',
      writers: 1,
      baseline: copyRate,
      measured: copyRate,
      unit: 'rows/s',
      target: null,
    });
    log(`COPY: ${copyRate.toFixed(0)} rows/s`);

    // Reading the whole log through the subscription path vs a plain cursor SELECT.
    const total = Number((await raw.query('SELECT count(*) FROM ledger_events')).rows[0].count);
    const cursorStarted = performance.now();
    const cursorClient = await raw.connect();
    let cursorRows = 0;
    await cursorClient.query('BEGIN');
    await cursorClient.query(
      `DECLARE c NO SCROLL CURSOR FOR SELECT transaction_id::text, global_position, stream_name, revision, event_id,
       event_type, schema_version, data, metadata, recorded_at, hash FROM ledger_events ORDER BY transaction_id, global_position`,
    );
    for (;;) {
      const { rows: page } = await cursorClient.query('FETCH 500 FROM c');
      cursorRows += page.length;
      if (page.length < 500) break;
    }
    await cursorClient.query('COMMIT');
    cursorClient.release();
    const cursorRate = cursorRows / ((performance.now() - cursorStarted) / 1000);
    const readStarted = performance.now();
    let delivered = 0;
    const subscription = store.subscribe({ after: START, batchSize: 500 });
    for await (const message of subscription) {
      if (message.kind === 'event') delivered += 1;
      else break;
    }
    await subscription.stop();
    const readRate = delivered / ((performance.now() - readStarted) / 1000);
    rows.push({
      scenario: 'read whole log (subscription)',
      writers: '—',
      baseline: cursorRate,
      measured: readRate,
      unit: 'events/s',
      target: 0.5,
      note: `${total} events; delivered ${delivered}`,
    });
    log(
      `read: cursor ${cursorRate.toFixed(0)}/s, subscription ${readRate.toFixed(0)}/s over ${total} events`,
    );

    // Read while 8 writers append: every event delivered exactly once.
    const before = await store.headPosition();
    const seen = new Map<string, number>();
    let writing = true;
    const reader = (async () => {
      const sub = store.subscribe({ after: before, batchSize: 500 });
      for await (const message of sub) {
        if (message.kind === 'event') seen.set(message.event.id, (seen.get(message.event.id) ?? 0) + 1);
        else if (!writing) {
          const head = await store.headPosition();
          if (message.position >= head) break;
        }
      }
      await sub.stop();
    })();
    const written: string[] = [];
    const concurrentStreams = Array.from({ length: 8 }, () => nextStream('c'));
    await runFor(options.seconds, 8, async (w, i) => {
      const events = newEvents(1, i);
      await store.append(concurrentStreams[w]!, events, i === 0 ? 'no_stream' : BigInt(i - 1));
      written.push(events[0]!.id);
      return 1;
    });
    writing = false;
    // Wake the reader once more so it sees the final head.
    await store.append(nextStream('c-final'), newEvents(1, 0), 'no_stream');
    written.push('');
    await reader;
    const missing = written.filter((id) => id !== '' && !seen.has(id)).length;
    const repeated = [...seen.values()].filter((n) => n > 1).length;
    rows.push({
      scenario: 'read during 8 writers',
      writers: 8,
      baseline: written.length - 1,
      measured: written.length - 1 - missing,
      unit: 'events delivered',
      target: null,
      note: `${missing} missing, ${repeated} repeated`,
    });
    log(`concurrent read: ${written.length - 1} written, ${missing} missing, ${repeated} repeated`);

    const table = renderTable(rows, { durability, seconds: options.seconds });
    process.stdout.write(`${table}\n`);
    if (options.write !== undefined) {
      writeSection(
        options.write,
        'Event store',
        'Measured with `ledger bench eventstore` (see scripts/bench/eventstore.ts). Baselines run in the same process against\nthe same server, so read the ratios, not the absolute figures.',
        table,
      );
    }
    await store.close();
  } finally {
    await db.destroy();
    await raw.end();
    await admin.query(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    await admin.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function renderTable(rows: Row[], context: { durability: string; seconds: number }): string {
  const lines = [
    `Event store on PostgreSQL — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 2 ** 30)} GiB, synchronous_commit=${context.durability}, ${context.seconds} s per measurement`,
    '',
    '| scenario | writers | baseline | event store | ratio | target | |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const ratio = r.baseline === 0 ? 0 : r.measured / r.baseline;
    const verdict = r.target === null ? '' : ratio >= r.target ? 'met' : 'MISSED';
    lines.push(
      `| ${r.scenario} | ${r.writers} | ${fmt(r.baseline)} | ${fmt(r.measured)} ${r.unit} | ${(ratio * 100).toFixed(0)} % | ${r.target === null ? '—' : `≥ ${r.target * 100} %`} | ${[verdict, r.note].filter(Boolean).join('; ')} |`,
    );
  }
  return lines.join('\n');
}
