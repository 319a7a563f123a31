// Proves GET /api/health answers 200 when the event store and read models respond, and 503 when
// the database is down.
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { createLogger } from '../../app/logger.ts';
import type { Ledger } from '../../app/runtime.ts';
import { freshEventStore } from '../../test/support/db.ts';
import { buildApp } from '../app.ts';

describe('GET /api/health', async () => {
  const t = await freshEventStore('postgres');
  const ledger: Ledger = {
    config: loadConfig({}),
    logger: createLogger('silent'),
    catalog: (await import('../../domain/events/index.ts')).ledgerCatalog(),
    pool: t.pool,
    db: t.db,
    store: t.store,
    close: async () => undefined,
  };
  const app = await buildApp({ ledger });
  afterAll(async () => {
    await app.close();
  });

  it('answers 200 with both checks when both stores respond', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      checks: { eventStore: { ok: true, detail: { kind: 'postgres' } }, readModels: { ok: true } },
    });
  });

  it('answers 503 naming what is down when the database is gone', async () => {
    await t.close();
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      checks: { eventStore: { ok: false }, readModels: { ok: false } },
    });
  });
});
