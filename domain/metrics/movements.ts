import type { Decimal } from 'decimal.js';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, dayNumber } from './calendar.ts';
import { type AmountInput, amount, sum, ZERO } from './decimal.ts';
import type { DatedChange } from './series.ts';

/**
 * MRR movements: why one tenant's MRR changed between two states, and the net new MRR of a set of
 * movements. Definitions: docs/metrics.md § MRR movements.
 *
 * The projection compares a tenant's MRR at the end of one day with the end of the previous day
 * (per currency), so changes that cancel out within a day produce no movement.
 */
export const movementKinds = ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const;
export type MovementKind = (typeof movementKinds)[number];

export interface TenantMrrChange {
  readonly previousMrrMinor: AmountInput;
  readonly currentMrrMinor: AmountInput;
  /** Whether the tenant had MRR above zero at any time before `previousMrrMinor` was measured. */
  readonly hadMrrBefore: boolean;
}

export interface MrrMovement {
  readonly kind: MovementKind;
  /** Signed: positive for new, expansion and reactivation; negative for contraction and churn. */
  readonly amountMinor: Decimal;
}

/** Classifies one change of a tenant's MRR, or null when MRR did not change. */
export function classifyMovement(change: TenantMrrChange): MrrMovement | null {
  const previous = amount(change.previousMrrMinor, 'previousMrrMinor');
  const current = amount(change.currentMrrMinor, 'currentMrrMinor');
  if (previous.isNegative() || current.isNegative()) throw new InvariantViolation('MRR is never negative');
  const delta = current.minus(previous);
  if (delta.isZero()) return null;
  if (previous.isZero()) {
    // A tenant that paid before, left, and pays again is won back, not acquired.
    const wasPaying = change.hadMrrBefore;
    return { kind: wasPaying ? 'reactivation' : 'new', amountMinor: delta };
  }
  if (current.isZero()) return { kind: 'churn', amountMinor: delta };
  return { kind: delta.greaterThan(0) ? 'expansion' : 'contraction', amountMinor: delta };
}

export interface DatedMovement extends MrrMovement {
  readonly tenantId: string;
  readonly currency: string;
  readonly on: CalendarDate;
}

export interface TenantMrrState {
  /** The calendar date whose end-of-day MRR this is. */
  readonly on: CalendarDate;
  readonly mrrMinor: AmountInput;
}

/**
 * Turns a tenant's end-of-day MRR states (any order, one per date) into its dated movements. The
 * tenant starts with no MRR and no paying history, so its first positive state is `new`.
 */
export function movementsFromStates(
  tenantId: string,
  currency: string,
  states: readonly TenantMrrState[],
): DatedMovement[] {
  const ordered = [...states].sort((a, b) => dayNumber(a.on) - dayNumber(b.on));
  const movements: DatedMovement[] = [];
  let previous: Decimal = ZERO;
  let hadMrrBefore = false;
  let previousOn: CalendarDate | null = null;
  for (const state of ordered) {
    if (previousOn === state.on)
      throw new InvariantViolation(`two MRR states for ${tenantId} on ${state.on}`);
    const current = amount(state.mrrMinor, 'mrrMinor');
    const movement = classifyMovement({ previousMrrMinor: previous, currentMrrMinor: current, hadMrrBefore });
    if (movement !== null) movements.push({ ...movement, tenantId, currency, on: state.on });
    if (previous.greaterThan(0)) hadMrrBefore = true;
    previous = current;
    previousOn = state.on;
  }
  return movements;
}

export interface MovementInput {
  readonly kind: MovementKind;
  readonly amountMinor: AmountInput;
}

export interface MovementSummary {
  readonly newMinor: Decimal;
  readonly expansionMinor: Decimal;
  readonly reactivationMinor: Decimal;
  /** Negative or zero. */
  readonly contractionMinor: Decimal;
  /** Negative or zero. */
  readonly churnMinor: Decimal;
  /** new + expansion + reactivation + contraction + churn (the last two are negative). */
  readonly netNewMinor: Decimal;
}

function assertSign(kind: MovementKind, value: Decimal): void {
  const positive = kind === 'new' || kind === 'expansion' || kind === 'reactivation';
  if (positive ? !value.greaterThan(0) : !value.lessThan(0)) {
    throw new InvariantViolation(`a ${kind} movement cannot be ${value.toString()}`);
  }
}

/** Totals per kind and net new MRR. Opening MRR + `netNewMinor` is the closing MRR. */
export function summariseMovements(movements: Iterable<MovementInput>): MovementSummary {
  const byKind: Record<MovementKind, Decimal[]> = {
    new: [],
    expansion: [],
    contraction: [],
    churn: [],
    reactivation: [],
  };
  for (const movement of movements) {
    const value = amount(movement.amountMinor, 'amountMinor');
    assertSign(movement.kind, value);
    byKind[movement.kind].push(value);
  }
  const summary = {
    newMinor: sum(byKind.new),
    expansionMinor: sum(byKind.expansion),
    reactivationMinor: sum(byKind.reactivation),
    contractionMinor: sum(byKind.contraction),
    churnMinor: sum(byKind.churn),
  };
  return {
    ...summary,
    netNewMinor: sum(Object.values(summary)),
  };
}

/** How a movement changes the count of paying customers (the active-customers series uses it). */
export function customerCountDelta(kind: MovementKind): -1 | 0 | 1 {
  switch (kind) {
    case 'new':
    case 'reactivation':
      return 1;
    case 'churn':
      return -1;
    case 'expansion':
    case 'contraction':
      return 0;
    default:
      return assertNever(kind, 'movement kind');
  }
}

/** The MRR series' input: each movement's signed amount on its date. */
export function mrrChanges(
  movements: Iterable<{ readonly on: CalendarDate } & MovementInput>,
): DatedChange[] {
  return [...movements].map((m) => ({ on: m.on, delta: m.amountMinor }));
}

/**
 * The active-customers series' input: +1 on new and reactivation, −1 on churn. An active
 * customer is a tenant with MRR above zero at the end of the day (one currency).
 */
export function activeCustomerChanges(
  movements: Iterable<{ readonly on: CalendarDate; readonly kind: MovementKind }>,
): DatedChange[] {
  const changes: DatedChange[] = [];
  for (const m of movements) {
    const delta = customerCountDelta(m.kind);
    if (delta !== 0) changes.push({ on: m.on, delta: String(delta) });
  }
  return changes;
}
