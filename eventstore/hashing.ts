import { createHash } from 'node:crypto';

/**
 * Tamper evidence: every event carries a hash chained to the previous event of its stream.
 *
 *   contentHash = sha256hex(canonicalJson({ id, type, schemaVersion, data, metadata }))
 *   hash        = sha256hex(prevHash + '|' + streamName + '|' + revision + '|' + contentHash)
 *
 * `prevHash` of revision 0 is GENESIS_HASH. The definition is ours, independent of the backend: the
 * PostgreSQL adapter evaluates the second line inside its append function (with the built-in
 * sha256), the KurrentDB adapter in the client before it appends; `ledger verify` recomputes both
 * lines from what it reads back. See docs/rfc/001-event-log.md.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every depth, no insignificant white space. Stable across a round
 * trip through PostgreSQL jsonb (which reorders keys) and KurrentDB (which keeps bytes).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('bigint is not allowed in event data: use a string');
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('non-finite number in event data');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashableEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

export function contentHash(event: HashableEvent): string {
  return sha256Hex(
    canonicalJson({
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
    }),
  );
}

export function chainHash(
  prevHash: string,
  streamName: string,
  revision: bigint,
  eventContentHash: string,
): string {
  return sha256Hex(`${prevHash}|${streamName}|${revision.toString()}|${eventContentHash}`);
}
