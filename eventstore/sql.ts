import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * One shape for the two PostgreSQL backends: a `pg.Pool` on a server, or embedded PGlite behind a
 * pool-shaped shim. Kysely's PostgresDialect and the event store both speak to this shape, so the
 * same SQL runs on both.
 *
 * int8 and numeric come back as strings on both backends (PGlite would otherwise return numbers,
 * which would lose precision past 2^53 and let money slip into floating point).
 */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number | null;
  readonly command: string;
}

export interface SqlClient {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs `COPY … FROM STDIN` with `text` (COPY's text format) as the input. Only on a PostgreSQL
   * server connection; PGlite has none, and callers fall back to INSERT.
   */
  copyFrom?(statement: string, text: string): Promise<void>;
}

export interface PoolClient extends SqlClient {
  release(): void;
}

export interface SqlPool extends SqlClient {
  readonly backend: 'postgres' | 'pglite';
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
  /** Runs `fn` in one transaction on one connection; commits, or rolls back on a throw. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on `channel`; returns the function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

async function inTransaction<T>(client: PoolClient, fn: (client: SqlClient) => Promise<T>): Promise<T> {
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface PostgresPoolOptions {
  readonly connectionString: string;
  /** Sets `search_path` on every connection: tests give each file its own schema. */
  readonly schema?: string;
  readonly max?: number;
  readonly applicationName?: string;
}

export function createPostgresPool(options: PostgresPoolOptions): SqlPool {
  const pool = new pg.Pool({
    // pg lets the URL's parameters override the ones given beside it, so the URL's `options`
    // (merged into `options` below) must not travel in it too.
    connectionString: withoutUrlOptions(options.connectionString),
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'ledger',
    // A session left idle inside a transaction would hold back the event log's safe horizon
    // (see eventstore/postgres); end such sessions rather than stall every subscriber.
    options: [
      // Options given in the URL (`?options=-c search_path=…`) are kept: pg would drop them otherwise.
      urlOptions(options.connectionString),
      options.schema === undefined ? '' : `-c search_path=${quoteIdent(options.schema)}`,
      '-c idle_in_transaction_session_timeout=60000',
    ]
      .filter(Boolean)
      .join(' '),
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const self: SqlPool = {
    backend: 'postgres',
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await pool.query(statement(text, params));
      return { rows: result.rows as R[], rowCount: result.rowCount, command: result.command };
    },
    async connect() {
      const client = await pool.connect();
      return {
        async query<R>(text: string, params?: readonly unknown[]) {
          const result = await client.query(statement(text, params));
          return { rows: result.rows as R[], rowCount: result.rowCount, command: result.command };
        },
        async copyFrom(statement: string, text: string) {
          await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
        },
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
    async transaction(fn) {
      return inTransaction(await self.connect(), fn);
    },
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: options.connectionString });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
  };
  return self;
}

/** A FIFO lock: PGlite has one connection, so each pool "client" holds it until released. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

const stringParsers = {
  20: (value: string) => value, // int8
  1700: (value: string) => value, // numeric
};

function commandOf(text: string): string {
  const match = /^\s*(?:WITH\b[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(text);
  return (match?.[1] ?? '').toUpperCase();
}

export interface PgliteOptions {
  /** A directory for the data; omitted means in memory. */
  readonly dataDir?: string;
}

export async function createPglitePool(options: PgliteOptions = {}): Promise<SqlPool> {
  const db = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const mutex = new Mutex();
  let ended = false;

  const run = async <R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    if (ended) throw new Error('the embedded database is closed');
    if ((params === undefined || params.length === 0) && text.includes(';')) {
      // Several statements (migrations): the simple protocol.
      const results = await db.exec(text);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as R[], rowCount: last?.affectedRows ?? 0, command: commandOf(text) };
    }
    const result = await db.query<R>(text, params as unknown[] | undefined, { parsers: stringParsers });
    return {
      rows: result.rows,
      rowCount: result.affectedRows ?? result.rows.length,
      command: commandOf(text),
    };
  };

  const self: SqlPool = {
    backend: 'pglite',
    async query<R>(text: string, params?: readonly unknown[]) {
      const release = await mutex.acquire();
      try {
        return await run<R>(text, params);
      } finally {
        release();
      }
    },
    async connect() {
      const release = await mutex.acquire();
      let released = false;
      return {
        query: run,
        release: () => {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    async end() {
      const release = await mutex.acquire();
      ended = true;
      try {
        await db.close();
      } finally {
        release();
      }
    },
    async transaction(fn) {
      return inTransaction(await self.connect(), fn);
    },
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, () => onNotify());
      return async () => {
        if (!ended) await unlisten();
      };
    },
  };
  return self;
}

/**
 * Marks a statement worth preparing once per connection: SQL that starts with this comment runs
 * as a named prepared statement, so the server parses and plans it once instead of at every call
 * (on the invoice list, a third of the server's work per request). Only for statements of a fixed
 * shape with their values as parameters, run often; PGlite ignores the comment.
 */
export const preparedMarker = '/* prepared */';

/** Prepared statements' names by their text, so the hot path hashes each text once. */
const preparedNames = new Map<string, string>();
/** Named limit: marked statements are few fixed shapes; past this the names are hashed again. */
const preparedNamesMax = 1000;

function statement(text: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  const values = params as unknown[] | undefined;
  if (!text.startsWith(preparedMarker)) return { text, ...(values === undefined ? {} : { values }) };
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `p${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (preparedNames.size < preparedNamesMax) preparedNames.set(text, name);
  }
  return { name, text, values: values ?? [] };
}

function withoutUrlOptions(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (!url.searchParams.has('options')) return connectionString;
    url.searchParams.delete('options');
    return url.toString();
  } catch {
    return connectionString;
  }
}

function urlOptions(connectionString: string): string {
  try {
    return new URL(connectionString).searchParams.get('options') ?? '';
  } catch {
    return '';
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
