import {
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type CaughtUp,
  type KurrentDBClient,
  START as CLIENT_START,
} from '@kurrent/kurrentdb-client';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import type {
  GlobalPosition,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionFilter,
  SubscriptionMessage,
} from '../port.ts';
import { START } from '../port.ts';
import { DeliveryOrder, type DeliveryStep } from './delivery-order.ts';
import { checkpointCommit, decodePosition, matchesFilter, serverFilter, toRecordedEvent } from './mapping.ts';

/** Messages held for a slow consumer before we stop reading from the server. */
export const subscriptionBufferDefault = 500;
export const subscriptionBufferMax = 10_000;
/** Consecutive failed (re)subscriptions before the subscription gives up and throws. */
export const resubscribeAttemptsMax = 8;
const resubscribeDelayFirstMs = 100;
const resubscribeDelayMaxMs = 5_000;

export interface KurrentDbSubscriptionOptions {
  readonly client: KurrentDBClient;
  readonly catalog: EventCatalog;
  readonly options: SubscribeOptions;
  /** The last ledger event's position, to turn `after: 'end'` into a concrete position. */
  readonly headPosition: () => Promise<GlobalPosition>;
  readonly onStopped: (subscription: KurrentDbSubscription) => void;
}

const ignore = (): void => undefined;

/**
 * A catch-up subscription to `$all` (KurrentDB's `subscribeToAll`) behind the port's
 * `Subscription`.
 *
 * - Start: the port's `after` is exclusive, and so is KurrentDB's subscription start position.
 *   `after: 'end'` is resolved to the current last ledger event first, so the subscription has a
 *   real position to report and to resume from.
 * - Order: `DeliveryOrder` keeps events and caught-up markers in server order and drops repeats.
 * - Drops: the client reconnects its channel but does not resume a dropped subscription (the
 *   server drops slow consumers, a node can restart). We subscribe again after the last position
 *   we saw, with a growing delay, up to `resubscribeAttemptsMax` consecutive failures.
 * - Back-pressure: above `batchSize` undelivered messages we pause the client stream; gRPC flow
 *   control then slows the server, and if the server drops us instead we resubscribe.
 */
export class KurrentDbSubscription implements Subscription {
  readonly #client: KurrentDBClient;
  readonly #catalog: EventCatalog;
  readonly #filter: SubscriptionFilter | undefined;
  readonly #bufferMax: number;
  readonly #onStopped: (subscription: KurrentDbSubscription) => void;
  readonly #queue: SubscriptionMessage[] = [];
  readonly #waiters = new Set<() => void>();
  #order: DeliveryOrder<RecordedEvent> | null = null;
  #upstream: AllStreamSubscription | null = null;
  #paused = false;
  #failedAttempts = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  #failure: { error: unknown } | null = null;
  #stopped = false;

  constructor(options: KurrentDbSubscriptionOptions) {
    this.#client = options.client;
    this.#catalog = options.catalog;
    this.#filter = options.options.filter;
    this.#bufferMax = Math.max(
      1,
      Math.min(options.options.batchSize ?? subscriptionBufferDefault, subscriptionBufferMax),
    );
    this.#onStopped = options.onStopped;
    void this.#start(options.options.after ?? START, options.headPosition);
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.#next(),
      return: async () => {
        await this.stop();
        return { done: true, value: undefined };
      },
    };
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const upstream = this.#upstream;
    this.#upstream = null;
    this.#wake();
    this.#onStopped(this);
    if (upstream !== null) await detach(upstream);
  }

  async #start(after: GlobalPosition | 'end', headPosition: () => Promise<GlobalPosition>): Promise<void> {
    try {
      const from = after === 'end' ? await headPosition() : after;
      if (from !== START) decodePosition(from); // refuses a malformed position before subscribing
      this.#order = new DeliveryOrder(from);
      if (!this.#stopped) this.#connect();
    } catch (error) {
      this.#fail(error);
    }
  }

  #connect(): void {
    const order = this.#order!;
    const resume = order.position;
    const upstream = this.#client.subscribeToAll(
      {
        fromPosition:
          resume === START ? CLIENT_START : (decodePosition(resume) as { commit: bigint; prepare: bigint }),
        filter: serverFilter(this.#filter),
      },
      { highWaterMark: this.#bufferMax },
    );
    this.#upstream = upstream;
    upstream.on('data', (resolved: AllStreamResolvedEvent) => this.#onData(upstream, resolved));
    upstream.on('caughtUp', (info: CaughtUp) => this.#onCaughtUp(upstream, info));
    upstream.on('error', (error: Error) => this.#onDrop(upstream, error));
    upstream.on('end', () => this.#onDrop(upstream, new Error('the server ended the subscription')));
    if (this.#queue.length >= this.#bufferMax) {
      upstream.pause();
      this.#paused = true;
    } else {
      this.#paused = false;
    }
  }

  #onData(upstream: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    if (upstream !== this.#upstream) return;
    try {
      const event = resolved.event;
      const commit = event?.position?.commit ?? resolved.commitPosition;
      if (commit === undefined) throw new Error('KurrentDB sent a subscription event without a position');
      const recorded =
        event !== undefined && matchesFilter(event.streamId, event.type, this.#filter)
          ? toRecordedEvent(event, this.#catalog, commit)
          : null;
      this.#failedAttempts = 0;
      this.#enqueue(this.#order!.event(commit, recorded));
    } catch (error) {
      this.#fail(error);
    }
  }

  #onCaughtUp(upstream: AllStreamSubscription, info: CaughtUp): void {
    if (upstream !== this.#upstream) return;
    this.#failedAttempts = 0;
    this.#enqueue(this.#order!.caughtUp(checkpointCommit(info.position), upstream.readableLength));
  }

  #onDrop(upstream: AllStreamSubscription, error: unknown): void {
    if (upstream !== this.#upstream || this.#stopped) return;
    this.#upstream = null;
    void detach(upstream);
    this.#order!.reset();
    this.#failedAttempts += 1;
    if (this.#failedAttempts > resubscribeAttemptsMax) {
      this.#fail(error);
      return;
    }
    const delayMs = Math.min(
      resubscribeDelayFirstMs * 2 ** (this.#failedAttempts - 1),
      resubscribeDelayMaxMs,
    );
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#stopped) return;
      try {
        this.#connect();
      } catch (connectError) {
        this.#fail(connectError);
      }
    }, delayMs);
  }

  #enqueue(steps: DeliveryStep<RecordedEvent>[]): void {
    if (steps.length === 0 || this.#stopped) return;
    for (const step of steps) this.#queue.push(step);
    if (this.#queue.length >= this.#bufferMax && !this.#paused && this.#upstream !== null) {
      this.#upstream.pause();
      this.#paused = true;
    }
    this.#wake();
  }

  #fail(error: unknown): void {
    if (this.#stopped || this.#failure !== null) return;
    this.#failure = { error };
    const upstream = this.#upstream;
    this.#upstream = null;
    if (upstream !== null) void detach(upstream);
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  async #next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      // Once stopped, messages still queued are abandoned: stop() ends the iteration now.
      if (this.#stopped) return { done: true, value: undefined };
      const message = this.#queue.shift();
      if (message !== undefined) {
        if (this.#paused && this.#queue.length <= this.#bufferMax / 2 && this.#upstream !== null) {
          this.#paused = false;
          this.#upstream.resume();
        }
        return { done: false, value: message };
      }
      if (this.#failure !== null) {
        const { error } = this.#failure;
        await this.stop();
        throw error;
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }
}

/** Cancels a client subscription, keeping an error listener so a late error cannot crash us. */
async function detach(upstream: AllStreamSubscription): Promise<void> {
  upstream.removeAllListeners('data');
  upstream.removeAllListeners('caughtUp');
  upstream.removeAllListeners('end');
  upstream.removeAllListeners('error');
  upstream.on('error', ignore);
  await upstream.unsubscribe().catch(ignore);
}
