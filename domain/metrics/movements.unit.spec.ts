// Proves MRR movement classification between two states of one tenant, the per-kind totals and net new MRR, with the 1 000 → 1 050 example.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { sum } from './decimal.ts';
import {
  classifyMovement,
  customerCountDelta,
  type MovementInput,
  movementsFromStates,
  summariseMovements,
} from './movements.ts';

describe('classifyMovement', () => {
  it.each([
    ['0', '100', false, 'new', '100'],
    ['0', '100', true, 'reactivation', '100'],
    ['100', '150', true, 'expansion', '50'],
    ['100', '60', true, 'contraction', '-40'],
    ['100', '0', true, 'churn', '-100'],
  ] as const)('%s → %s (paid before: %s) is %s of %s', (previous, current, hadMrrBefore, kind, delta) => {
    const movement = classifyMovement({ previousMrrMinor: previous, currentMrrMinor: current, hadMrrBefore });
    expect(movement?.kind).toBe(kind);
    expect(movement?.amountMinor.toString()).toBe(delta);
  });

  it.each([
    ['0', '0'],
    ['100', '100'],
  ])('%s → %s is no movement', (previous, current) => {
    expect(
      classifyMovement({ previousMrrMinor: previous, currentMrrMinor: current, hadMrrBefore: true }),
    ).toBe(null);
  });
});

describe('summariseMovements', () => {
  it('start 1 000, +100 new, +50 expansion, −40 contraction, −60 churn ends at 1 050', () => {
    const summary = summariseMovements([
      { kind: 'new', amountMinor: '100' },
      { kind: 'expansion', amountMinor: '50' },
      { kind: 'contraction', amountMinor: '-40' },
      { kind: 'churn', amountMinor: '-60' },
    ]);
    expect(summary.netNewMinor.toString()).toBe('50');
    expect(summary.contractionMinor.toString()).toBe('-40');
    expect(summary.churnMinor.toString()).toBe('-60');
    expect(summary.reactivationMinor.toString()).toBe('0');
    expect(summary.netNewMinor.plus(1000).toString()).toBe('1050');
  });

  it('refuses a movement whose sign contradicts its kind', () => {
    expect(() => summariseMovements([{ kind: 'churn', amountMinor: '60' }])).toThrow(/churn movement/);
    expect(() => summariseMovements([{ kind: 'new', amountMinor: '0' }])).toThrow(/new movement/);
  });
});

describe('movementsFromStates', () => {
  it('names each change of one tenant over time', () => {
    const movements = movementsFromStates('t1', 'XOF', [
      { on: '2026-01-01', mrrMinor: '0' },
      { on: '2026-01-05', mrrMinor: '10000' },
      { on: '2026-02-05', mrrMinor: '15000' },
      { on: '2026-03-05', mrrMinor: '15000' },
      { on: '2026-04-05', mrrMinor: '0' },
      { on: '2026-06-01', mrrMinor: '8000' },
      { on: '2026-07-01', mrrMinor: '5000' },
    ]);
    expect(movements.map((m) => [m.on, m.kind, m.amountMinor.toString()])).toEqual([
      ['2026-01-05', 'new', '10000'],
      ['2026-02-05', 'expansion', '5000'],
      ['2026-04-05', 'churn', '-15000'],
      ['2026-06-01', 'reactivation', '8000'],
      ['2026-07-01', 'contraction', '-3000'],
    ]);
  });

  it('for every history, the movements add up to the last MRR and paying customers to 0 or 1', () => {
    const mrr = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 1_000_000n }));
    fc.assert(
      fc.property(fc.array(mrr, { maxLength: 40 }), (values) => {
        const states = values.map((v, i) => ({ on: addDays('2026-01-01', i), mrrMinor: String(v) }));
        const movements = movementsFromStates('t1', 'XOF', states);
        const last = values.at(-1) ?? 0n;
        expect(sum(movements.map((m) => m.amountMinor)).toString()).toBe(String(last));
        expect(summariseMovements(movements as MovementInput[]).netNewMinor.toString()).toBe(String(last));
        const paying = movements.reduce((n, m) => n + customerCountDelta(m.kind), 0);
        expect(paying).toBe(last > 0n ? 1 : 0);
        // The first movement is the first start, `new`; every later start from zero is a reactivation.
        if (movements.length > 0) expect(movements[0]?.kind).toBe('new');
        expect(movements.filter((m) => m.kind === 'new').length).toBe(movements.length > 0 ? 1 : 0);
      }),
    );
  });
});
