import type { SqlClient } from '../../eventstore/sql.ts';
import type { Row, RowOp, TableSpec, Value } from './projection.ts';

/** A named limit: one statement never carries more rows than this. */
export const rowsPerStatementMax = 5000;

interface Pending {
  readonly table: string;
  /** Where the key's values are read: the first operation's row or key (never changed). */
  readonly keySource: Row;
  /** Set when the batch inserts (or overwrites) the row: later patches fold into it. */
  row: Record<string, Value> | null;
  /** False while `row` is still the object `evolve` returned: it is copied before any change. */
  owned: boolean;
  set: Record<string, Value> | null;
  add: Record<string, bigint> | null;
}

/**
 * Collects a batch's row operations, merged by row key in log order, and writes them as one
 * multi-row statement per table and column shape (rows travel as one JSON array: parsing json is
 * cheaper than jsonb, and `json_populate_recordset` types each column from the table itself): first the upserts, then the patches. Because
 * every operation on a key is folded into one pending change before anything is written, the
 * result is the same as applying the operations one by one, at a fraction of the round trips.
 */
export class RowWriter {
  readonly #specs: ReadonlyMap<string, TableSpec>;
  /**
   * Pending changes by table, then by key: a single-column key's own value is the map key, so the
   * common case builds no string; several columns are joined with a control character (never in
   * ids or positions). A rebuild pushes millions of operations: every allocation here shows.
   */
  readonly #pending = new Map<string, Map<string, Pending>>();
  #pendingCount = 0;
  /**
   * Rows of insert-only tables, in order: each is written once and never merged, so it skips the
   * pending map (no key to build, no copy kept) — the audit trail is a row per event.
   */
  readonly #inserts: { readonly table: string; readonly row: Row }[] = [];

  constructor(tables: readonly TableSpec[]) {
    this.#specs = new Map(tables.map((t) => [t.name, t]));
  }

  get size(): number {
    return this.#pendingCount + this.#inserts.length;
  }

  push(op: RowOp): void {
    const spec = this.#specs.get(op.table);
    if (spec === undefined) throw new Error(`table ${op.table} is not one of the projection's tables`);
    if (spec.insertOnly === true) {
      if (op.kind !== 'upsert') throw new Error(`${op.table} is insert-only: its rows are never patched`);
      this.#inserts.push({ table: op.table, row: op.row });
      return;
    }
    const source = op.kind === 'upsert' ? op.row : op.key;
    let id = '';
    for (let i = 0; i < spec.key.length; i += 1) {
      const column = spec.key[i]!;
      const value = source[column];
      if (value === undefined || value === null)
        throw new Error(`${op.table}: key column ${column} is missing`);
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      id = i === 0 ? text : `${id}\u0000${text}`;
    }
    let rows = this.#pending.get(op.table);
    if (rows === undefined) {
      rows = new Map();
      this.#pending.set(op.table, rows);
    }
    let entry = rows.get(id);
    if (entry === undefined) {
      this.#pendingCount += 1;
      if (op.kind === 'upsert') {
        // The common case of a rebuild: the first operation on a row inserts it whole.
        rows.set(id, { table: op.table, keySource: op.row, row: op.row, owned: false, set: null, add: null });
        return;
      }
      entry = { table: op.table, keySource: op.key, row: null, owned: false, set: null, add: null };
      rows.set(id, entry);
    }
    if (op.kind === 'upsert') {
      entry.row =
        entry.row === null || !entry.owned
          ? { ...entry.row, ...entry.set, ...op.row }
          : Object.assign(entry.row, entry.set, op.row);
      entry.owned = true;
      if (entry.add !== null) for (const column in entry.add) if (column in op.row) delete entry.add[column];
      entry.set = null;
      return;
    }
    if (entry.row !== null && !entry.owned) {
      entry.row = { ...entry.row };
      entry.owned = true;
    }
    if (op.set !== undefined) {
      for (const column in op.set) {
        const value = op.set[column]!;
        if (entry.add !== null && column in entry.add) delete entry.add[column];
        if (entry.row !== null) entry.row[column] = value;
        else {
          entry.set ??= {};
          entry.set[column] = value;
        }
      }
    }
    if (op.add !== undefined) {
      for (const column in op.add) {
        const delta = op.add[column]!;
        const target =
          entry.row !== null && column in entry.row
            ? entry.row
            : entry.set !== null && column in entry.set
              ? entry.set
              : null;
        if (target !== null) target[column] = (BigInt(String(target[column] ?? '0')) + delta).toString();
        else {
          entry.add ??= {};
          entry.add[column] = (entry.add[column] ?? 0n) + delta;
        }
      }
    }
  }

  *#entries(): Generator<Pending> {
    for (const rows of this.#pending.values()) yield* rows.values();
  }

  /** Writes everything pending through `tx`; `resolve` maps a table to its quoted SQL name. */
  async flush(tx: SqlClient, resolve: (table: string) => string): Promise<number> {
    const upserts = new Map<string, { table: string; columns: string[]; rows: Record<string, Value>[] }>();
    const patches = new Map<
      string,
      { table: string; set: string[]; add: string[]; rows: Record<string, Value>[] }
    >();
    // The group the last row of each table went to, with that row's columns in their order: rows
    // built by the same code come in runs of one shape, recognised without building a key.
    const lastOfTable = new Map<string, { columns: string[]; group: { rows: Record<string, Value>[] } }>();
    const addRow = (table: string, row: Record<string, Value>) => {
      // Rows built by the same code list their columns in the same order: group by that order
      // and sort only once per group (json_populate_recordset matches columns by name anyway).
      const columns = Object.keys(row);
      const last = lastOfTable.get(table);
      if (last !== undefined && sameColumns(last.columns, columns)) {
        last.group.rows.push(row);
        return;
      }
      const shape = `${table}\u0000${columns.join(',')}`;
      let group = upserts.get(shape);
      if (group === undefined) {
        group = { table, columns: [...columns].sort(), rows: [] };
        upserts.set(shape, group);
      }
      group.rows.push(row);
      lastOfTable.set(table, { columns, group });
    };
    for (const { table, row } of this.#inserts) addRow(table, row);
    for (const entry of this.#entries()) {
      if (entry.row !== null) addRow(entry.table, entry.row);
      if (entry.set === null && entry.add === null) continue;
      const set = entry.set === null ? [] : Object.keys(entry.set);
      const add = entry.add === null ? [] : Object.keys(entry.add);
      if (set.length + add.length > 0) {
        set.sort();
        add.sort();
        const shape = `${entry.table}\u0000${set.join(',')}\u0000${add.join(',')}`;
        let group = patches.get(shape);
        if (group === undefined) {
          group = { table: entry.table, set, add, rows: [] };
          patches.set(shape, group);
        }
        const row: Record<string, Value> = {};
        for (const column of this.#specs.get(entry.table)!.key) row[column] = entry.keySource[column]!;
        Object.assign(row, entry.set);
        for (const column of add) row[column] = entry.add![column]!.toString();
        group.rows.push(row);
      }
    }
    let statements = 0;
    for (const group of upserts.values()) {
      const spec = this.#specs.get(group.table)!;
      const name = resolve(group.table);
      const columns = group.columns.map(ident).join(', ');
      if (spec.insertOnly === true && tx.copyFrom !== undefined) {
        await tx.copyFrom(`COPY ${name} (${columns}) FROM STDIN`, copyText(group.columns, group.rows));
        statements += 1;
        continue;
      }
      const updates = group.columns.filter((c) => !spec.key.includes(c));
      const onConflict =
        updates.length === 0
          ? 'DO NOTHING'
          : `DO UPDATE SET ${updates.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}`;
      const text = `INSERT INTO ${name} (${columns})
        SELECT ${columns} FROM json_populate_recordset(NULL::${name}, $1::json)
        ON CONFLICT (${spec.key.map(ident).join(', ')}) ${onConflict}`;
      for (let i = 0; i < group.rows.length; i += rowsPerStatementMax) {
        await tx.query(text, [JSON.stringify(group.rows.slice(i, i + rowsPerStatementMax))]);
        statements += 1;
      }
    }
    for (const group of patches.values()) {
      const spec = this.#specs.get(group.table)!;
      const name = resolve(group.table);
      const assignments = [
        ...group.set.map((c) => `${ident(c)} = v.${ident(c)}`),
        ...group.add.map((c) => `${ident(c)} = t.${ident(c)} + v.${ident(c)}`),
      ].join(', ');
      const match = spec.key.map((c) => `t.${ident(c)} = v.${ident(c)}`).join(' AND ');
      const text = `UPDATE ${name} AS t SET ${assignments}
        FROM json_populate_recordset(NULL::${name}, $1::json) AS v WHERE ${match}`;
      for (let i = 0; i < group.rows.length; i += rowsPerStatementMax) {
        await tx.query(text, [JSON.stringify(group.rows.slice(i, i + rowsPerStatementMax))]);
        statements += 1;
      }
    }
    this.#pending.clear();
    this.#pendingCount = 0;
    this.#inserts.length = 0;
    return statements;
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Characters COPY's text format escapes; most values have none and are sent as they are. */
const copySpecial = /[\\\n\r\t]/;
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function copyValue(value: Value | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  // A JSON array is how an array column travels to json_populate_recordset; COPY would need {…}.
  if (Array.isArray(value)) throw new Error('an insert-only table cannot have array columns');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return copySpecial.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => copyEscapes[c]!) : text;
}

/** Rows in COPY's text format: one line a row, tab-separated, `\N` for null. */
export function copyText(columns: readonly string[], rows: readonly Record<string, Value>[]): string {
  let text = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i += 1) text += (i === 0 ? '' : '\t') + copyValue(row[columns[i]!]);
    text += '\n';
  }
  return text;
}
