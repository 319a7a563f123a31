// Proves cursors round-trip, forged cursors are refused, pages stop at their limit and search text cannot inject LIKE wildcards.
import { describe, expect, it } from 'vitest';
import { entityOf } from './audit-trail/audit-trail.projection.ts';
import {
  decodeCursor,
  encodeCursor,
  InvalidCursor,
  likePattern,
  pageLimit,
  pageSizeDefault,
  pageSizeMax,
  toPage,
} from './pagination.ts';

describe('cursor pagination', () => {
  it('round-trips a sort key and refuses anything it did not produce', () => {
    const cursor = encodeCursor(['2026-03-01', 'inv-1']);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-03-01', 'inv-1']);
    expect(decodeCursor(null, 2)).toBeNull();
    expect(decodeCursor('', 2)).toBeNull();
    expect(() => decodeCursor(cursor, 3)).toThrow(InvalidCursor);
    expect(() => decodeCursor('not base64 json', 2)).toThrow(InvalidCursor);
    expect(() => decodeCursor(encodeCursor([{ a: 1 } as never, 'x']), 2)).toThrow(InvalidCursor);
  });

  it('bounds the page size and keeps the extra row only as a "there is more" signal', () => {
    expect(pageLimit({})).toBe(pageSizeDefault);
    expect(pageLimit({ limit: 10_000 })).toBe(pageSizeMax);
    expect(() => pageLimit({ limit: 0 })).toThrow(RangeError);
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const first = toPage(rows, 2, (r) => [r.id]);
    expect(first.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(decodeCursor(first.nextCursor, 1)).toEqual(['b']);
    expect(toPage(rows, 3, (r) => [r.id]).nextCursor).toBeNull();
  });

  it('escapes LIKE wildcards in search text', () => {
    expect(likePattern('50%_off', 'prefix')).toBe('50\\%\\_off%');
    expect(likePattern('a\\b')).toBe('%a\\\\b%');
  });
});

describe('audit trail entities', () => {
  it.each([
    ['invoice-inv-1', 'invoice', 'inv-1'],
    ['customer-balance-t-1', 'customer-balance', 't-1'],
    ['tenant-abc', 'tenant', 'abc'],
    ['usage-t1-2026-03', 'usage', 't1-2026-03'],
    ['orphan', 'orphan', ''],
  ])('%s is entity %s %s', (stream, type, id) => {
    expect(entityOf(stream)).toEqual({ type, id });
  });
});
