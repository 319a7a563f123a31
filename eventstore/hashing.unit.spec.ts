// Proves the canonical form is stable (key order, nesting, unicode) and that the fast content hash
// equals the hash of the canonical whole, so both adapters and verify agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  chainHash,
  contentHash,
  contentHashOfCanonical,
  GENESIS_HASH,
  sha256Hex,
} from './hashing.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'é' }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":"é","z":1}]},"b":1}',
    );
  });

  it('refuses bigint and non-finite numbers', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
  });

  it('survives a JSON round trip unchanged (as through jsonb) for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });
});

describe('content and chain hashes', () => {
  it('the composed content hash equals the hash of the canonical whole', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.string(),
        fc.integer({ min: 1, max: 9 }),
        fc.jsonValue(),
        fc.jsonValue(),
        (id, type, v, data, metadata) => {
          const whole = sha256Hex(canonicalJson({ id, type, schemaVersion: v, data, metadata }));
          expect(contentHash({ id, type, schemaVersion: v, data, metadata })).toBe(whole);
          expect(
            contentHashOfCanonical(
              { id, type, schemaVersion: v },
              canonicalJson(data),
              canonicalJson(metadata),
            ),
          ).toBe(whole);
        },
      ),
    );
  });

  it('chains on the previous hash, the stream and the revision', () => {
    const h = contentHash({ id: 'x', type: 'T', schemaVersion: 1, data: {}, metadata: {} });
    const first = chainHash(GENESIS_HASH, 's', 0n, h);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, 's', 1n, h)).not.toBe(first);
    expect(chainHash(GENESIS_HASH, 't', 0n, h)).not.toBe(first);
    expect(chainHash(first, 's', 0n, h)).not.toBe(first);
  });
});
