// Proves `ledger verify` finds exactly the event someone changed directly in PostgreSQL, and
// passes an untouched log with a summary.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCatalog } from './contract.ts';
import { eventIds } from './ids.ts';
import type { NewEvent } from './port.ts';
import { verifyChains } from './verify.ts';
import { freshEventStore, type TestEventStore, testDatabaseUrl } from '../test/support/db.ts';

const run = promisify(execFile);

function counted(key: string, values: number[]): NewEvent[] {
  const ids = eventIds(key, values.length);
  return values.map((n, i) => ({
    id: ids[i]!,
    type: 'Counted',
    data: { n },
    metadata: {
      correlationId: 'c',
      causationId: null,
      actor: { kind: 'system', id: 'test' },
      idempotencyKey: key,
      occurredAt: '2026-11-25T10:00:00.000Z',
    },
  }));
}

async function ledgerVerify(schema: string) {
  const url = `${testDatabaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  try {
    const { stdout } = await run(process.execPath, ['bin/ledger.mjs', 'verify'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ledger verify', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await freshEventStore('postgres', contractCatalog);
    await t.store.append('invoice-a', counted('a', [1, 2, 3]), 'no_stream');
    await t.store.append('invoice-b', counted('b', [10, 20]), 'no_stream');
    await t.store.append('invoice-b', counted('b2', [30]), 1n);
  });
  afterAll(async () => {
    await t.close();
  });

  it('given an untouched log, reports every stream and event and exits 0', async () => {
    const result = await verifyChains(t.store);
    expect(result.ok).toBe(true);
    expect(result.summary.streams).toBe(2);
    expect(result.summary.events).toBe(6);
    const cli = await ledgerVerify(t.schema!);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('2 streams, 6 events');
  });

  it('given one event changed in the database, names that stream and revision and exits 1', async () => {
    await expect(
      t.pool.query(`UPDATE ledger_events SET data = '{"n": 99}' WHERE stream_name = 'invoice-b'`),
    ).rejects.toThrow(/append-only/);
    // A tamperer with owner rights can switch the guard off; the hash chain still tells.
    await t.pool.query('ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only');
    await t.pool.query(
      `UPDATE ledger_events SET data = '{"n": 21}' WHERE stream_name = 'invoice-b' AND revision = 1`,
    );
    await t.pool.query('ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_append_only');

    const result = await verifyChains(t.store);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.break).toMatchObject({ streamName: 'invoice-b', revision: 1n, reason: 'hash_mismatch' });
      expect(result.break.expectedHash).not.toBe(result.break.foundHash);
    }
    const cli = await ledgerVerify(t.schema!);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('stream invoice-b, revision 1');
  });
});
