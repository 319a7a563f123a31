import { sql, type RawBuilder } from 'kysely';

/**
 * Keyset (cursor) pagination shared by every list query. A cursor is the sort key of the last row
 * of a page, opaque to clients (base64url JSON); the next page starts strictly after it, so pages
 * stay stable while rows are added and no OFFSET scan grows with the page number.
 */

/** Named limits: a page never holds more than this, and defaults to this. */
export const pageSizeMax = 200;
export const pageSizeDefault = 50;

export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass it back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('the cursor is not one this list produced');
  }
}

export type CursorKey = readonly (string | null)[];

export function pageLimit(request: PageRequest): number {
  const limit = request.limit ?? pageSizeDefault;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit is a whole number from 1');
  return Math.min(limit, pageSizeMax);
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor into `arity` key parts, or null when there is none; refuses a forged one. */
export function decodeCursor(cursor: string | null | undefined, arity: number): CursorKey | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== arity ||
    !parsed.every((v) => v === null || (typeof v === 'string' && v.length <= 500))
  ) {
    throw new InvalidCursor();
  }
  return parsed as CursorKey;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page, and
 * the cursor is the key of the last row kept.
 */
export function toPage<R, T = R>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => CursorKey,
  map: (row: R) => T = (row) => row as unknown as T,
): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: kept.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/**
 * The "after the cursor" condition for a sort on (a, b, …) all ascending or all descending:
 * a row tuple comparison, which PostgreSQL answers from a matching composite index.
 */
export function afterKey(
  columns: readonly (string | RawBuilder<unknown>)[],
  key: CursorKey,
  direction: 'asc' | 'desc',
): RawBuilder<boolean> {
  const left = sql.join(columns.map((c) => (typeof c === 'string' ? sql.ref(c) : c)));
  const right = sql.join(key.map((v) => sql`${v}`));
  return direction === 'asc' ? sql<boolean>`(${left}) > (${right})` : sql<boolean>`(${left}) < (${right})`;
}

/** Escapes a user's search text for LIKE/ILIKE so `%` and `_` match themselves. */
export function likePattern(text: string, where: 'prefix' | 'contains' = 'contains'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return where === 'prefix' ? `${escaped}%` : `%${escaped}%`;
}
