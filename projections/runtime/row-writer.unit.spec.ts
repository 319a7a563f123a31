// Proves the COPY text the row writer sends for insert-only tables escapes what COPY's text format
// treats specially and writes null as \N, so a value arrives exactly as the upsert path would store it.
import { describe, expect, it } from 'vitest';
import { copyText } from './row-writer.ts';

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
