import { z } from 'zod';
import { ApiError } from './problems.ts';

/**
 * Schemas shared by routes. Strings get a maximum length everywhere: nothing a client sends is
 * unbounded.
 */
export const pageSizeDefault = 50;
export const pageSizeMax = 200;
export const searchLengthMax = 100;

export const idSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" or "-"');

/** Query parameters of every list. The cursor is opaque: pass back `nextCursor` as it came. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(pageSizeMax).default(pageSizeDefault),
  cursor: z.string().max(500).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Absent on the last page. */
    nextCursor: z.string().nullable(),
  });
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor and checks its shape; a tampered cursor is a 400, not a 500. */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, schema: T): z.infer<T> | null {
  if (cursor === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the validation error
  }
  throw new ApiError('validation', 'the cursor is not one this API gave out', {
    errors: [{ in: 'querystring', field: 'cursor', message: 'pass back nextCursor unchanged' }],
  });
}

/** What every command answers: its events' log position, for read-your-writes. */
export const commandResultSchema = z.object({
  /** Global log position of the last event; wait for projections to reach it before reading. */
  position: z.string().nullable(),
  /** The stream's revision after the command: send it as `If-Match: "<revision>"` next time. */
  revision: z.string().nullable(),
  /** True when this command had been handled before: nothing new was recorded. */
  replayed: z.boolean(),
  events: z.array(z.object({ type: z.string() })),
});
