import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { isCurrencyCode, type Money, parseMajor } from '../../domain/money/index.ts';
import type { OnlineProvider } from '../../domain/payment/payment.ts';
import { type Fetch, type IncomingHeaders, ProviderCallFailed } from './port.ts';

/** Helpers the adapters share: headers, hashes, constant-time comparison, exact amounts on the wire. */

/** The longest provider answer we read, and how long we wait for it. */
export const providerResponseBytesMax = 1_000_000;
export const providerCallTimeoutMs = 15_000;
/** Notifications larger than this are refused unread: real ones are a few hundred bytes. */
export const notificationBytesMax = 64 * 1024;

export function headerValue(headers: IncomingHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}

export function bodyBytes(rawBody: string | Uint8Array): Buffer {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hmacSha256Hex(key: string, ...parts: ReadonlyArray<string | Uint8Array>): string {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/**
 * Compares two hex digests without leaking, through timing, how many leading characters match.
 * Inputs of the wrong length or not hex are simply unequal (a digest's length is public).
 */
export function constantTimeEqualHex(expected: string, received: unknown): boolean {
  if (typeof received !== 'string' || !/^[0-9a-fA-F]+$/.test(received)) return false;
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(received.toLowerCase(), 'hex');
  if (a.length === 0 || a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

export interface TimestampedSignature {
  readonly timestamp: string;
  readonly signatures: readonly string[];
}

/** Reads `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` (Wave's scheme, also the sandbox's). */
export function parseTimestampedSignature(header: string | undefined): TimestampedSignature | null {
  if (header === undefined || header.length > 2000) return null;
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) return null;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = value;
    } else if (key === 'v1') {
      signatures.push(value);
    }
    // Other schemes (v0, future versions) are ignored, as the sender may add them at any time.
  }
  if (timestamp === null || signatures.length === 0 || signatures.length > 10) return null;
  return { timestamp, signatures };
}

export type TimestampedCheck = 'ok' | 'malformed_header' | 'bad_signature' | 'stale_timestamp';

/**
 * Wave's signing rule: hex(HMAC-SHA256(secret, t + raw body)), no separator between the two. Any
 * `v1` may match (several are sent while a secret is rotated). The signature is checked before the
 * timestamp, so a forgery is reported as a forgery whatever time it claims.
 */
export function checkTimestampedSignature(input: {
  readonly header: string | undefined;
  readonly rawBody: Buffer;
  readonly secret: string;
  readonly now: Date;
  readonly toleranceSeconds: number;
}): TimestampedCheck {
  const parsed = parseTimestampedSignature(input.header);
  if (parsed === null) return 'malformed_header';
  const expected = hmacSha256Hex(input.secret, parsed.timestamp, input.rawBody);
  // Compare against every candidate so the time taken does not depend on which one matched.
  let matched = false;
  for (const candidate of parsed.signatures) {
    if (constantTimeEqualHex(expected, candidate)) matched = true;
  }
  if (!matched) return 'bad_signature';
  const nowSeconds = BigInt(Math.floor(input.now.getTime() / 1000));
  const skew = nowSeconds - BigInt(parsed.timestamp);
  const tolerance = BigInt(input.toleranceSeconds);
  if (skew > tolerance || skew < -tolerance) return 'stale_timestamp';
  return 'ok';
}

/** Signs a body the way Wave does; the sandbox and the tests use it. */
export function timestampedSignatureHeader(secret: string, rawBody: string | Uint8Array, now: Date): string {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return `t=${timestamp},v1=${hmacSha256Hex(secret, timestamp, bodyBytes(rawBody))}`;
}

/**
 * An amount a provider sent, as Money. Providers send XOF as a string (`"11800"`, Wave) or a JSON
 * number (`11800`, Orange Money, PayTech). A JSON number is accepted only when it is a safe
 * integer, which JavaScript holds exactly; it is turned into a string at once and never used in
 * arithmetic. Anything else is unreadable, not rounded.
 */
export function amountFromProvider(value: unknown, currency: unknown): Money | null {
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) return null;
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value);
  else return null;
  const parsed = parseMajor(text, currency);
  return parsed.ok ? parsed.money : null;
}

/**
 * JSON with some values written as bare numbers from exact strings. Orange Money and PayTech take
 * the amount as a JSON number; JSON.stringify cannot write a bigint, and going through a JS number
 * is what we promised never to do with money. Each `exactNumber(...)` becomes a placeholder keyed
 * by a fresh UUID (so no user text can collide with it), swapped for its digits afterwards.
 */
export function jsonWithExactNumbers(value: unknown): string {
  const marker = randomUUID();
  const text = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof ExactNumber ? `${marker}:${item.digits}` : item,
  );
  return text.replace(new RegExp(`"${marker}:(-?\\d+(?:\\.\\d+)?)"`, 'g'), '$1');
}

export class ExactNumber {
  constructor(readonly digits: string) {
    if (!/^-?\d+(?:\.\d+)?$/.test(digits)) throw new TypeError(`not a plain decimal: ${digits}`);
  }
}

export function exactNumber(digits: string): ExactNumber {
  return new ExactNumber(digits);
}

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One HTTP call to a provider with a timeout; the answer's body parsed as JSON. */
export async function callProvider(
  fetchImpl: Fetch,
  provider: OnlineProvider,
  operation: string,
  url: string,
  init: RequestInit,
): Promise<JsonAnswer> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(providerCallTimeoutMs) });
  } catch (error) {
    throw new ProviderCallFailed(
      provider,
      operation,
      null,
      error instanceof Error ? error.message : String(error),
    );
  }
  const text = await response.text();
  if (text.length > providerResponseBytesMax) {
    throw new ProviderCallFailed(provider, operation, response.status, 'answer too large');
  }
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new ProviderCallFailed(provider, operation, response.status, 'answer is not JSON');
  }
  return { status: response.status, body };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Parses a JSON notification body; null when it is not a JSON object. */
export function parseJsonObject(rawBody: Buffer): Record<string, unknown> | null {
  if (rawBody.length > notificationBytesMax) return null;
  try {
    const parsed: unknown = JSON.parse(rawBody.toString('utf8'));
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
