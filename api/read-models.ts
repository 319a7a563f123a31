import type { FastifyReply, FastifyRequest } from 'fastify';
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Ledger } from '../app/runtime.ts';
import { waitForPosition } from '../projections/runtime/status.ts';
import { ApiError } from './problems.ts';

/**
 * Glue between routes and the read models in `projections/`. Rows come out of the queries in
 * snake_case with bigint money as strings; the API answers camelCase, instants as ISO strings and
 * exact decimals as strings, so no amount ever turns into a JavaScript number on the way.
 */
export const readYourWritesWaitMs = 2000;

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    // decimal.js values keep their exact text form.
    if (Decimal.isDecimal(value)) return value.toString();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), toJson(v)]));
  }
  return value as Json;
}

/**
 * The row as JSON. Typed loosely on purpose: the response schema of the route checks the shape
 * when the answer is serialised, which is where a mismatch must surface.
 */
// biome-ignore lint/suspicious/noExplicitAny: checked by the route's response schema at serialisation.
export function rowJson<T>(row: T): any {
  return toJson(row);
}

/** A read-model row in the response: its main fields are declared, the rest pass through. */
export function rowSchema<T extends z.ZodRawShape>(shape: T, id: string) {
  return z.looseObject(shape).meta({ id });
}

/**
 * `?minPosition=<position>`: the caller wrote a command and wants to read its effect. The read
 * waits (a bounded time) until the read models have applied the log up to that position, and
 * answers 503 with Retry-After when they have not.
 */
export const minPositionSchema = z
  .string()
  .max(100)
  .regex(/^[0-9A-Za-z:/_-]{1,100}$/, 'a log position returned by a command')
  .optional();

export async function readYourWrites(
  ledger: Ledger,
  request: FastifyRequest,
  reply: FastifyReply,
  minPosition: string | undefined,
  projections: readonly string[],
): Promise<void> {
  if (minPosition === undefined) return;
  const result = await waitForPosition(ledger.pool, minPosition, readYourWritesWaitMs, projections);
  if (!result.reached) {
    reply.header('retry-after', '1');
    request.log.info({ behind: result.behind }, 'read models behind the requested position');
    throw new ApiError('unavailable', `the read models have not reached position ${minPosition} yet`, {
      behind: result.behind,
    });
  }
}

/** A comma-separated list in a query string (`status=issued,overdue`), each value checked. */
export function csvOf<T extends [string, ...string[]]>(values: T) {
  return z
    .string()
    .max(500)
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length))
    .optional();
}

export const booleanQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
