import type { GlobalPosition } from '../port.ts';
import { START } from '../port.ts';
import { encodePosition } from './mapping.ts';

export type DeliveryStep<E> =
  | { readonly kind: 'event'; readonly event: E }
  | { readonly kind: 'caughtUp'; readonly position: GlobalPosition };

/**
 * Puts what a KurrentDB catch-up subscription reports into the order it happened, without
 * repeats, and remembers where to resume after a drop.
 *
 * The client reports events as stream `data` but reports "caught up" as a separate emitter
 * event, fired while earlier events may still sit in the stream's read buffer. `caughtUp` takes
 * the number of events still buffered ahead of it and holds the marker back until that many more
 * events have gone through `event`, so a consumer never sees "caught up" before the history it
 * covers.
 *
 * Positions are the events' commit positions. Every event the server sends, delivered or dropped
 * by our filter, moves the resume position forward; an event at or before it is a repeat (after
 * a resubscription) and is not delivered again.
 */
export class DeliveryOrder<E> {
  #last: bigint | null;
  #pending: Array<{ remaining: number; commit: bigint | null }> = [];

  constructor(after: GlobalPosition) {
    this.#last = after === START ? null : BigInt(after);
  }

  /** Where a new subscription must start (exclusive) to continue with no gap and no repeat. */
  get position(): GlobalPosition {
    return this.#last === null ? START : encodePosition(this.#last);
  }

  /** An event arrived; `event` is null when our filter drops it (it still counts as seen). */
  event(commit: bigint, event: E | null): DeliveryStep<E>[] {
    const steps: DeliveryStep<E>[] = [];
    if (this.#last === null || commit > this.#last) {
      this.#last = commit;
      if (event !== null) steps.push({ kind: 'event', event });
    }
    for (const marker of this.#pending) marker.remaining -= 1;
    while (this.#pending.length > 0 && this.#pending[0]!.remaining <= 0) {
      steps.push(this.#caughtUp(this.#pending.shift()!.commit));
    }
    return steps;
  }

  /**
   * The server says the subscription caught up. `serverCommit` is the checkpoint it sent (null
   * when it sent none); `bufferedAhead` is how many events it sent before this that we have not
   * yet been given.
   */
  caughtUp(serverCommit: bigint | null, bufferedAhead: number): DeliveryStep<E>[] {
    if (bufferedAhead > 0) {
      this.#pending.push({ remaining: bufferedAhead, commit: serverCommit });
      return [];
    }
    return [this.#caughtUp(serverCommit)];
  }

  /** A subscription dropped: markers that waited on its buffer will never come due. */
  reset(): void {
    this.#pending = [];
  }

  #caughtUp(serverCommit: bigint | null): DeliveryStep<E> {
    // The server's checkpoint covers events its filter skipped, so it may be ahead of the last
    // event we saw; it is never behind what it already sent.
    if (serverCommit !== null && (this.#last === null || serverCommit > this.#last))
      this.#last = serverCommit;
    return { kind: 'caughtUp', position: this.position };
  }
}
