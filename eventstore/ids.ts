import { createHash } from 'node:crypto';

/**
 * Deterministic event ids (UUID version 5, RFC 9562 §5.5) derived from a command's idempotency key,
 * so that a retried command produces the same ids and the store recognises the retry.
 */
const LEDGER_NAMESPACE = '3b0f7f4e-6f0a-5c33-9a53-5e6c1d2b7a10';

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

export function uuidV5(name: string, namespace: string = LEDGER_NAMESPACE): string {
  const digest = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ids of the events one command records: the same key always gives the same ids. */
export function eventIds(idempotencyKey: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => uuidV5(`${idempotencyKey}#${index}`));
}
