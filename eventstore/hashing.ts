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
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in event data');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('bigint is not allowed in event data: use a string');
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      // Plain loops and one sort of the keys: this runs for every event written and verified.
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`cannot put a ${typeof value} in event data`);
  }
}

export interface HashableEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

export function contentHash(event: HashableEvent): string {
  return contentHashOfCanonical(event, canonicalJson(event.data), canonicalJson(event.metadata));
}

/**
 * The same hash from data and metadata already in canonical form (the append path serialises each
 * once and sends that text to the database). Keys in sorted order: data, id, metadata,
 * schemaVersion, type — exactly what canonicalJson of the whole object gives.
 */
export function contentHashOfCanonical(
  event: Pick<HashableEvent, 'id' | 'type' | 'schemaVersion'>,
  canonicalData: string,
  canonicalMetadata: string,
): string {
  return sha256Hex(
    `{"data":${canonicalData},"id":${JSON.stringify(event.id)},"metadata":${canonicalMetadata},"schemaVersion":${canonicalJson(event.schemaVersion)},"type":${JSON.stringify(event.type)}}`,
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
