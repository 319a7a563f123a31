/**
 * The decider shape every aggregate follows (after Jérémie Chassaing's "functional event
 * sourcing" decider): `decide` turns a command and the current state into events or a refusal;
 * `evolve` folds one event into the state. Both are pure: time, ids and prices come in with the
 * command.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** An expected refusal: a code from the aggregate's closed vocabulary, a sentence, and the field at fault. */
export interface Refusal<TCode extends string = string> {
  readonly code: TCode;
  readonly message: string;
  readonly field?: string;
}

export type Decision<TEvent, TCode extends string = string> =
  | { readonly ok: true; readonly events: readonly TEvent[] }
  | { readonly ok: false; readonly refusal: Refusal<TCode> };

export function accept<TEvent>(...events: TEvent[]): {
  readonly ok: true;
  readonly events: readonly TEvent[];
} {
  return { ok: true, events };
}

export function refuse<TCode extends string>(
  code: TCode,
  message: string,
  field?: string,
): { readonly ok: false; readonly refusal: Refusal<TCode> } {
  return { ok: false, refusal: field === undefined ? { code, message } : { code, message, field } };
}

export interface Decider<TCommand, TEvent extends DomainEvent, TState, TCode extends string = string> {
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly decide: (command: TCommand, state: TState) => Decision<TEvent, TCode>;
}

/** Folds a history into a state. */
export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
): TState {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Raised when an invariant that can only break through a bug is broken. Not a refusal. */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function assertNever(value: never, what = 'value'): never {
  throw new InvariantViolation(`unexpected ${what}: ${JSON.stringify(value)}`);
}
