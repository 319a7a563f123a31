import { chainHash, contentHash, GENESIS_HASH } from './hashing.ts';
import type { EventStore } from './port.ts';

/**
 * Recomputes every stream's hash chain from what the store returns and reports the first event
 * whose stored hash differs from the recomputed one. Works the same on every adapter.
 */
export interface ChainBreak {
  readonly streamName: string;
  readonly revision: bigint;
  readonly expectedHash: string;
  readonly foundHash: string;
  readonly reason: 'hash_mismatch' | 'revision_gap' | 'head_mismatch';
}

export interface VerifySummary {
  readonly streams: number;
  readonly events: number;
  /** Each stream's last hash: publish or archive these to anchor the log outside the database. */
  readonly heads: ReadonlyArray<{ streamName: string; revision: bigint; hash: string }>;
}

export type VerifyResult =
  | { ok: true; summary: VerifySummary }
  | { ok: false; break: ChainBreak; summary: VerifySummary };

export type VerifyProgress = (done: { streams: number; events: number }) => void;

const streamsPerPage = 500;
const eventsPerPage = 2000;

export async function verifyChains(store: EventStore, onProgress?: VerifyProgress): Promise<VerifyResult> {
  let streams = 0;
  let events = 0;
  const heads: Array<{ streamName: string; revision: bigint; hash: string }> = [];
  let after: string | null = null;
  const summary = () => ({ streams, events, heads });
  for (;;) {
    const page = await store.listStreams(after, streamsPerPage);
    for (const stream of page) {
      let prev = GENESIS_HASH;
      let expectedRevision = 0n;
      for (;;) {
        const batch = await store.readStream(stream.streamName, {
          fromRevision: expectedRevision,
          maxCount: eventsPerPage,
        });
        for (const event of batch) {
          if (event.revision !== expectedRevision) {
            return {
              ok: false,
              break: {
                streamName: stream.streamName,
                revision: expectedRevision,
                expectedHash: '(an event)',
                foundHash: `(revision ${event.revision})`,
                reason: 'revision_gap',
              },
              summary: summary(),
            };
          }
          // The content is hashed as it was written (its stored schema version), not as upcast.
          const recomputed = chainHash(
            prev,
            stream.streamName,
            event.revision,
            contentHash({
              id: event.id,
              type: event.type,
              schemaVersion: event.storedSchemaVersion,
              data: event.storedData,
              metadata: event.metadata,
            }),
          );
          if (recomputed !== event.hash) {
            return {
              ok: false,
              break: {
                streamName: stream.streamName,
                revision: event.revision,
                expectedHash: recomputed,
                foundHash: event.hash,
                reason: 'hash_mismatch',
              },
              summary: summary(),
            };
          }
          prev = event.hash;
          expectedRevision += 1n;
          events += 1;
        }
        if (batch.length < eventsPerPage) break;
      }
      if (prev !== stream.headHash || expectedRevision - 1n !== stream.revision) {
        return {
          ok: false,
          break: {
            streamName: stream.streamName,
            revision: stream.revision,
            expectedHash: prev,
            foundHash: stream.headHash,
            reason: 'head_mismatch',
          },
          summary: summary(),
        };
      }
      heads.push({ streamName: stream.streamName, revision: stream.revision, hash: prev });
      streams += 1;
      onProgress?.({ streams, events });
    }
    if (page.length < streamsPerPage) break;
    after = page.at(-1)!.streamName;
  }
  return { ok: true, summary: summary() };
}
