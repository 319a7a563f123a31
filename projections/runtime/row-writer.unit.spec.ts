// Proves the COPY text the row writer sends for insert-only tables escapes what COPY's text format
// treats specially and writes null as \N, so a value arrives exactly as the upsert path would store it;
// and that operations on one key merge into one row change, as if applied one by one.
import { describe, expect, it } from 'vitest';
import type { SqlClient } from '../../eventstore/sql.ts';
import { patch, upsert } from './projection.ts';
import { copyText, RowWriter } from './row-writer.ts';

describe('copyText', () => {
  it('given rows with tabs, newlines, backslashes, nulls and JSON, then one escaped line per row', () => {
    const text = copyText(
      ['a', 'b', 'c', 'd', 'e'],
      [
        { a: 'plain', b: 'tab\there', c: null, d: 42, e: true },
        { a: 'back\\slash', b: 'line\nbreak\r', c: { k: 'v\t' }, d: '9007199254740993', e: false },
      ],
    );
    expect(text).toBe(
      'plain\ttab\\there\t\\N\t42\tt\n' +
        'back\\\\slash\tline\\nbreak\\r\t{"k":"v\\\\t"}\t9007199254740993\tf\n',
    );
  });

  it('when a column is missing from a row, then it is null', () => {
    expect(copyText(['a', 'b'], [{ a: 'x' }])).toBe('x\t\\N\n');
  });

  it('when a value is an array, then it refuses (COPY would need an array literal)', () => {
    expect(() => copyText(['a'], [{ a: ['x'] }])).toThrow(/array columns/);
  });
});

describe('RowWriter', () => {
  /** Captures the statements a flush sends, with their JSON rows parsed back. */
  async function flushed(writer: RowWriter) {
    const sent: { text: string; rows: unknown }[] = [];
    const tx = {
      async query(text: string, params?: readonly unknown[]) {
        sent.push({ text, rows: JSON.parse(String(params?.[0])) });
        return { rows: [], rowCount: 0, command: 'INSERT' };
      },
    } as unknown as SqlClient;
    await writer.flush(tx, (t) => `"${t}"`);
    return sent;
  }
  const tables = [
    { name: 'inv', key: ['id'] },
    { name: 'line', key: ['id', 'no'] },
  ];

  it('given an upsert then patches on its key, then one row carries them all, and the row given is left as it was', async () => {
    const writer = new RowWriter(tables);
    const row = { id: 'i1', total: '10', status: 'draft' };
    writer.push(upsert('inv', row));
    writer.push(patch('inv', { id: 'i1' }, { set: { status: 'issued' }, add: { total: 5n } }));
    writer.push(patch('inv', { id: 'i1' }, { add: { total: 1n } }));
    const sent = await flushed(writer);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.rows).toEqual([{ id: 'i1', total: '16', status: 'issued' }]);
    expect(row).toEqual({ id: 'i1', total: '10', status: 'draft' });
  });

  it('given patches only, then one update per shape with the deltas summed and the key columns', async () => {
    const writer = new RowWriter(tables);
    writer.push(patch('line', { id: 'i1', no: 1 }, { add: { paid: 2n } }));
    writer.push(patch('line', { id: 'i1', no: 2 }, { add: { paid: 7n } }));
    writer.push(patch('line', { id: 'i1', no: 1 }, { add: { paid: 3n } }));
    writer.push(patch('inv', { id: 'i2' }, { set: { status: 'paid' } }));
    const sent = await flushed(writer);
    expect(sent.map((s) => s.rows)).toEqual([
      [
        { id: 'i1', no: 1, paid: '5' },
        { id: 'i1', no: 2, paid: '7' },
      ],
      [{ id: 'i2', status: 'paid' }],
    ]);
    expect(sent[0]!.text).toMatch(/^UPDATE "line"/);
  });

  it('given a patch then an upsert of the same key, then the upsert wins and earlier deltas on its columns are dropped', async () => {
    const writer = new RowWriter(tables);
    writer.push(patch('inv', { id: 'i1' }, { add: { total: 4n } }));
    writer.push(upsert('inv', { id: 'i1', total: '100' }));
    const sent = await flushed(writer);
    expect(sent.map((s) => s.rows)).toEqual([[{ id: 'i1', total: '100' }]]);
    expect(sent[0]!.text).toMatch(/^INSERT INTO "inv"/);
  });
});
