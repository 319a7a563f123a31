import { expect } from 'vitest';
import { type Decider, type DomainEvent, fold, type Refusal } from './decider.ts';

/**
 * Given/when/then for deciders:
 *
 *   spec(subscriptionDecider).given([started]).when(changePlan).thenEvents([planChanged]);
 *   spec(subscriptionDecider).given([]).when(changePlan).thenRefuses('subscription_not_found');
 */
export function spec<TCommand, TEvent extends DomainEvent, TState, TCode extends string>(
  decider: Decider<TCommand, TEvent, TState, TCode>,
) {
  return {
    given(history: readonly TEvent[]) {
      return {
        when(command: TCommand) {
          const state = fold(decider, history);
          const decision = decider.decide(command, state);
          return {
            thenEvents(expected: readonly TEvent[]): void {
              if (!decision.ok) {
                throw new Error(
                  `expected events, got refusal ${decision.refusal.code}: ${decision.refusal.message}`,
                );
              }
              expect(decision.events).toEqual(expected);
            },
            /** Returns the events for further assertions. */
            events(): readonly TEvent[] {
              if (!decision.ok) {
                throw new Error(
                  `expected events, got refusal ${decision.refusal.code}: ${decision.refusal.message}`,
                );
              }
              return decision.events;
            },
            thenRefuses(code: TCode, field?: string): Refusal<TCode> {
              if (decision.ok)
                throw new Error(`expected refusal ${code}, got ${JSON.stringify(decision.events)}`);
              expect(decision.refusal.code).toBe(code);
              if (field !== undefined) expect(decision.refusal.field).toBe(field);
              return decision.refusal;
            },
          };
        },
      };
    },
  };
}
