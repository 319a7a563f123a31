// Proves a projector killed in the middle of a batch resumes without losing or double counting an event: the rows after resuming equal a rebuild from scratch.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEventStore, type TestEventStore, testDatabaseUrl } from '../../test/support/db.ts';
import { allProjections } from '../index.ts';
import {
  appendHistory,
  type GivenEvent,
  issuedInvoice,
  paidWith,
  projectionTestCatalog,
  tenantRegistered,
} from '../testing/history.ts';
import { readCheckpoints } from './checkpoints.ts';
import { rebuildProjections } from './rebuild.ts';
import { ProjectionRunner } from './runner.ts';

let t: TestEventStore;
const child = fileURLToPath(new URL('../testing/crash-child.ts', import.meta.url));

/** Runs the child until it reports `MID-BATCH`, then SIGKILLs it. */
function runAndKill(crashAtBatch: number): Promise<'killed' | 'caught-up'> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` rather than the tsx CLI, which would put a wrapper process between the
    // signal and the projector.
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: {
        ...process.env,
        CRASH_DATABASE_URL: testDatabaseUrl,
        CRASH_SCHEMA: t.schema!,
        CRASH_AT_BATCH: String(crashAtBatch),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let outcome: 'killed' | 'caught-up' | null = null;
    proc.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    proc.stdout.on('data', (chunk) => {
      const text = String(chunk);
      if (outcome === null && text.includes('MID-BATCH')) outcome = 'killed';
      else if (outcome === null && text.includes('CAUGHT-UP')) outcome = 'caught-up';
      if (outcome !== null) proc.kill('SIGKILL');
    });
    proc.on('exit', (_code, signal) => {
      if (outcome !== null && signal === 'SIGKILL') resolve(outcome);
      else reject(new Error(`child ended without being killed (${signal}): ${stderr}`));
    });
  });
}

function history(tenants: number): GivenEvent[] {
  const events: GivenEvent[] = [];
  for (let i = 0; i < tenants; i += 1) {
    const tenantId = `crash-${i}`;
    const invoiceId = `crash-inv-${i}`;
    events.push(tenantRegistered(tenantId));
    events.push(
      ...issuedInvoice({
        invoiceId,
        tenantId,
        number: `F-2026-${String(i + 1).padStart(6, '0')}`,
        linesMinor: [10_000n, 2_500n],
      }),
    );
    // Two partial payments: a double-applied batch would show as paid > total.
    events.push(
      ...paidWith({
        paymentId: `crash-p1-${i}`,
        tenantId,
        invoiceId,
        amountMinor: 4_000n,
        amountDueBeforeMinor: 14_750n,
      }),
    );
    events.push(
      ...paidWith({
        paymentId: `crash-p2-${i}`,
        tenantId,
        invoiceId,
        amountMinor: 3_000n,
        amountDueBeforeMinor: 10_750n,
      }),
    );
  }
  return events;
}

beforeAll(async () => {
  t = await freshEventStore('postgres', projectionTestCatalog());
});
afterAll(async () => {
  await t.close();
});

describe('a projector killed mid-batch', () => {
  it('resumes from its checkpoint without loss or double count', async () => {
    await appendHistory(t.store, history(20));
    // Killed three times at different batches, each run resuming where the last one committed.
    for (const crashAt of [2, 3, 5]) {
      expect(await runAndKill(crashAt)).toBe('killed');
      const checkpoints = await readCheckpoints(
        t.pool,
        allProjections.map((p) => p.name),
      );
      expect(checkpoints.every((c) => c.status === 'running')).toBe(true);
    }
    // The child's lease (500 ms) runs out; a new process takes over and finishes.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const resume = new ProjectionRunner({
      pool: t.pool,
      store: t.store,
      projections: allProjections,
      owner: 'resumer',
    });
    await resume.catchUp();
    await resume.stop();

    const events = await t.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events');
    const audit = await t.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM rm_audit_trail');
    expect(audit.rows[0]!.n).toBe(events.rows[0]!.n);
    const sums = await t.pool.query<{ paid: string; due: string; payments: string }>(
      'SELECT sum(paid_minor)::text AS paid, sum(amount_due_minor)::text AS due, sum(payments_count)::text AS payments FROM rm_invoices',
    );
    expect(sums.rows[0]).toEqual({ paid: String(20 * 7_000), due: String(20 * 7_750), payments: '40' });
    const balances = await t.pool.query<{ receivable: string }>(
      'SELECT sum(receivable_minor)::text AS receivable FROM rm_customer_balances',
    );
    expect(balances.rows[0]!.receivable).toBe(String(20 * 7_750));
    const processed = await readCheckpoints(
      t.pool,
      allProjections.map((p) => p.name),
    );
    for (const c of processed) expect(c.eventsProcessed).toBe(events.rows[0]!.n);

    // And every table equals a rebuild from scratch, checksum for checksum.
    const checked = await rebuildProjections({
      pool: t.pool,
      store: t.store,
      projections: allProjections,
      check: true,
    });
    expect(checked.identical).toBe(true);
  });
});
