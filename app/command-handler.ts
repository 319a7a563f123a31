import type { Decider, DomainEvent, Refusal } from '../domain/shared/decider.ts';
import { fold } from '../domain/shared/decider.ts';
import type { Actor, EventMetadata } from '../domain/events/metadata.ts';
import { StreamNotFound, WrongExpectedRevision } from '../eventstore/errors.ts';
import { eventIds } from '../eventstore/ids.ts';
import type { EventStore, GlobalPosition, RecordedEvent } from '../eventstore/port.ts';

/** What every command carries besides its own fields: who, why, when, and its idempotency key. */
export interface CommandContext {
  /** The same key always produces the same event ids, so a retried command records nothing new. */
  readonly idempotencyKey: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** When the fact happened (ISO-8601 instant). */
  readonly occurredAt: string;
}

export type CommandOutcome<TEvent> =
  | {
      readonly ok: true;
      /** The events this command recorded (or had recorded, when it is a retry). */
      readonly events: readonly TEvent[];
      readonly recorded: readonly RecordedEvent[];
      /** The log position of the last event: a query may wait for projections to reach it. */
      readonly position: GlobalPosition | null;
      readonly revision: bigint | null;
      /** True when this key had already been handled: nothing new was written. */
      readonly replayed: boolean;
    }
  | { readonly ok: false; readonly refusal: Refusal };

export interface HandleOptions {
  /** How many times a lost race is retried on fresh state before giving up. */
  readonly conflictRetriesMax?: number;
}

const conflictRetriesDefault = 5;

export function metadataFor(context: CommandContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: context.actor,
    idempotencyKey: context.idempotencyKey,
    occurredAt: context.occurredAt,
  };
}

async function loadStream(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
  try {
    // Aggregates are short-lived streams; reading in pages keeps each read bounded.
    const events: RecordedEvent[] = [];
    const page = 5000;
    for (;;) {
      const next = await store.readStream(streamName, {
        fromRevision: BigInt(events.length),
        maxCount: page,
      });
      events.push(...next);
      if (next.length < page) return events;
    }
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/**
 * The one way a command reaches the log: load the stream, fold it, decide, append with the revision
 * that was read. A lost race is retried on fresh state; a key already handled returns what it
 * recorded the first time.
 */
export async function handleCommand<TCommand, TEvent extends DomainEvent, TState>(
  store: EventStore,
  decider: Decider<TCommand, TEvent, TState>,
  streamName: string,
  command: TCommand,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<CommandOutcome<TEvent>> {
  const retriesMax = options.conflictRetriesMax ?? conflictRetriesDefault;
  for (let attempt = 0; ; attempt += 1) {
    const history = await loadStream(store, streamName);
    const firstId = eventIds(context.idempotencyKey, 1)[0]!;
    const already = history.findIndex((e) => e.id === firstId);
    if (already >= 0) {
      const recorded = history.filter((e) => e.metadata.idempotencyKey === context.idempotencyKey);
      const last = recorded.at(-1)!;
      return {
        ok: true,
        events: recorded.map((e) => ({ type: e.type, data: e.data }) as TEvent),
        recorded,
        position: last.position,
        revision: last.revision,
        replayed: true,
      };
    }
    const state = fold(
      decider,
      history.map((e) => ({ type: e.type, data: e.data }) as TEvent),
    );
    const decision = decider.decide(command, state);
    if (!decision.ok) return decision;
    if (decision.events.length === 0) {
      return {
        ok: true,
        events: [],
        recorded: [],
        position: null,
        revision: history.at(-1)?.revision ?? null,
        replayed: false,
      };
    }
    const ids = eventIds(context.idempotencyKey, decision.events.length);
    const metadata = metadataFor(context);
    const expected = history.length === 0 ? ('no_stream' as const) : history.at(-1)!.revision;
    try {
      const result = await store.append(
        streamName,
        decision.events.map((event, i) => ({ id: ids[i]!, type: event.type, data: event.data, metadata })),
        expected,
      );
      return {
        ok: true,
        events: decision.events,
        recorded: [],
        position: result.position,
        revision: result.nextExpectedRevision,
        replayed: result.idempotent,
      };
    } catch (error) {
      if (error instanceof WrongExpectedRevision && attempt < retriesMax) continue;
      throw error;
    }
  }
}
