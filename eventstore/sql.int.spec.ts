// Proves the SQL pool's prepared statements: a statement marked `preparedMarker` is parsed and
// planned once per connection on PostgreSQL (it shows in pg_prepared_statements and keeps
// answering with new parameters), and runs as plain SQL on PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgliteDatabase, freshPostgresDatabase, type TestDatabase } from '../test/support/db.ts';
import { preparedMarker } from './sql.ts';

const marked = `${preparedMarker} SELECT $1::int + 1 AS n`;

describe('prepared statements on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('given a marked statement, when run twice on one connection, then it is prepared once and answers each time', async () => {
    const client = await database.pool.connect();
    try {
      expect((await client.query<{ n: number }>(marked, [1])).rows).toEqual([{ n: 2 }]);
      expect((await client.query<{ n: number }>(marked, [41])).rows).toEqual([{ n: 42 }]);
      const prepared = await client.query<{ statement: string }>(
        'SELECT statement FROM pg_prepared_statements',
      );
      expect(prepared.rows.map((r) => r.statement)).toEqual([marked]);
    } finally {
      client.release();
    }
  });

  it('given an unmarked statement, then nothing is prepared', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('DEALLOCATE ALL');
      await client.query('SELECT $1::int AS n', [1]);
      expect((await client.query('SELECT statement FROM pg_prepared_statements')).rows).toEqual([]);
    } finally {
      client.release();
    }
  });
});

describe('prepared statements on PGlite', () => {
  it('given a marked statement, then it runs as plain SQL', async () => {
    const database = await freshPgliteDatabase();
    try {
      expect((await database.pool.query<{ n: number }>(marked, [2])).rows).toEqual([{ n: 3 }]);
    } finally {
      await database.close();
    }
  });
});
