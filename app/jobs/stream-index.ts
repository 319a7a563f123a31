import type { DomainEvent } from '../../domain/shared/decider.ts';
import type { EventStore } from '../../eventstore/port.ts';
import { loadState } from '../billing/support.ts';

/** Streams listed per call; the listing pages through every stream of a prefix. */
const streamsPerPageMax = 1000;

/**
 * The states of every stream of one kind (`subscription-…`, `invoice-…`), found from the event
 * store alone and folded again only when a stream's revision moved. The scheduler needs no read
 * model, so a lagging projector can never make it skip a renewal; and a process keeps the folded
 * states between days, so a day costs one listing plus the streams that changed.
 */
export class StreamIndex<TEvent extends DomainEvent, TState> {
  readonly #entries = new Map<string, { revision: bigint; state: TState }>();

  constructor(
    private readonly prefix: string,
    private readonly decider: {
      initialState: () => TState;
      evolve: (state: TState, event: TEvent) => TState;
    },
    /** Streams under the prefix that are something else (`invoice-series-…`). */
    private readonly exclude: (streamName: string) => boolean = () => false,
  ) {}

  /** Every stream's id (the name without the prefix), revision and state, in name order. */
  async refresh(store: EventStore): Promise<Array<{ id: string; revision: bigint; state: TState }>> {
    const out: Array<{ id: string; revision: bigint; state: TState }> = [];
    let after: string = this.prefix;
    for (;;) {
      const page = await store.listStreams(after, streamsPerPageMax);
      for (const summary of page) {
        if (!summary.streamName.startsWith(this.prefix)) return out;
        after = summary.streamName;
        if (this.exclude(summary.streamName)) continue;
        let entry = this.#entries.get(summary.streamName);
        if (entry === undefined || entry.revision !== summary.revision) {
          entry = {
            revision: summary.revision,
            state: await loadState<TEvent, TState>(store, summary.streamName, this.decider),
          };
          this.#entries.set(summary.streamName, entry);
        }
        out.push({
          id: summary.streamName.slice(this.prefix.length),
          revision: entry.revision,
          state: entry.state,
        });
      }
      if (page.length < streamsPerPageMax) return out;
    }
  }
}
