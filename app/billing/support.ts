import type { DomainEvent, Refusal } from '../../domain/shared/decider.ts';
import { fold } from '../../domain/shared/decider.ts';
import { StreamNotFound } from '../../eventstore/errors.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/port.ts';
import type { CommandContext } from '../command-handler.ts';

/**
 * What every billing use case needs: the event store, and a clock for the instants it records
 * when the caller does not bring one (the seed and the tests bring a simulated one).
 */
export interface BillingDeps {
  readonly store: EventStore;
  readonly clock?: () => Date;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: Refusal };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refused(code: string, message: string, field?: string): Outcome<never> {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}

/** The most events read from one stream per page. */
const eventsPerPageMax = 1000;

/** Every event of a stream in revision order; an absent stream is empty. */
export async function readStreamEvents(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for (;;) {
      const page = await store.readStream(streamName, {
        fromRevision: BigInt(events.length),
        maxCount: eventsPerPageMax,
      });
      events.push(...page);
      if (page.length < eventsPerPageMax) break;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return events;
}

/** The state of an aggregate as its stream holds it now. */
export async function loadState<TEvent extends DomainEvent, TState>(
  store: EventStore,
  streamName: string,
  decider: { initialState: () => TState; evolve: (state: TState, event: TEvent) => TState },
): Promise<TState> {
  const events = await readStreamEvents(store, streamName);
  return fold(
    decider,
    events.map((e) => ({ type: e.type, data: e.data }) as TEvent),
  );
}

/**
 * The context of one step of a multi-stream use case: the same parent key always derives the same
 * step key, so a retry of the whole use case replays each step instead of repeating it.
 */
export function step(context: CommandContext, name: string): CommandContext {
  return {
    ...context,
    idempotencyKey: `${context.idempotencyKey}:${name}`,
    causationId: context.causationId,
  };
}

/** The instant a use case records: the caller's `occurredAt`. */
export function nowOf(context: CommandContext): string {
  return context.occurredAt;
}

/**
 * The calendar date of an instant on a wall clock in `timeZone` (legal dates are local dates).
 * `en-CA` formats as YYYY-MM-DD.
 */
export function localDate(instant: string | Date, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}
