import type { Ledger } from '../app/runtime.ts';
import type { Decider, DomainEvent } from '../domain/shared/decider.ts';
import { fold } from '../domain/shared/decider.ts';
import { StreamNotFound } from '../eventstore/errors.ts';
import type { RecordedEvent } from '../eventstore/port.ts';

/**
 * Reading one aggregate's stream for a query. Lists and searches belong to the read models in
 * `projections/`; a single aggregate read straight from its stream is always current, which is
 * what a detail page, an ETag and a PDF reprint want.
 */
export const streamEventsMax = 10_000;

export async function readStreamEvents(ledger: Ledger, streamName: string): Promise<RecordedEvent[]> {
  try {
    return await ledger.store.readStream(streamName, { maxCount: streamEventsMax });
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

export interface Loaded<TState> {
  readonly state: TState;
  readonly events: readonly RecordedEvent[];
  /** The last revision, or null when the stream does not exist. */
  readonly revision: bigint | null;
}

export async function loadAggregate<TEvent extends DomainEvent, TState>(
  ledger: Ledger,
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  streamName: string,
): Promise<Loaded<TState>> {
  const events = await readStreamEvents(ledger, streamName);
  return {
    state: fold(
      decider,
      events.map((e) => ({ type: e.type, data: e.data }) as TEvent),
    ),
    events,
    revision: events.at(-1)?.revision ?? null,
  };
}

/**
 * Stream names with a prefix, in name order after `after`, at most `limit`. Used for the small
 * lists (plans) until their read model lands.
 */
export async function streamNamesWithPrefix(
  ledger: Ledger,
  prefix: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const names: string[] = [];
  let cursor = after === null ? prefix : `${prefix}${after}`;
  for (;;) {
    const batch = await ledger.store.listStreams(cursor, Math.min(limit, 500));
    for (const summary of batch) {
      if (!summary.streamName.startsWith(prefix)) return names;
      names.push(summary.streamName.slice(prefix.length));
      if (names.length >= limit) return names;
    }
    if (batch.length === 0) return names;
    cursor = batch.at(-1)!.streamName;
  }
}

/** The last event of a stream (its revision and log position), or null when there is none. */
export async function streamHead(
  ledger: Ledger,
  streamName: string,
): Promise<{ revision: bigint; position: string } | null> {
  try {
    const [last] = await ledger.store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last === undefined ? null : { revision: last.revision, position: last.position };
  } catch (error) {
    if (error instanceof StreamNotFound) return null;
    throw error;
  }
}
