// Proves the daily series and value-on-a-date: one point per day, changes before the range folded in, and the end value equal to the opening plus every change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.ts';
import { activeCustomerChanges, mrrChanges, movementsFromStates } from './movements.ts';
import { dailySeries, seriesDaysMax, valueOn } from './series.ts';

const changes = [
  { on: '2026-03-02', delta: '100' },
  { on: '2026-02-27', delta: '1000' },
  { on: '2026-03-04', delta: '-60' },
  { on: '2026-03-02', delta: '50' },
  { on: '2026-03-09', delta: '7' },
];

describe('dailySeries', () => {
  it('gives one point per day, ends of days, with earlier changes in the first point', () => {
    const points = dailySeries({ changes, from: '2026-03-01', to: '2026-03-05' });
    expect(points.map((p) => [p.date, p.value.toString()])).toEqual([
      ['2026-03-01', '1000'],
      ['2026-03-02', '1150'],
      ['2026-03-03', '1150'],
      ['2026-03-04', '1090'],
      ['2026-03-05', '1090'],
    ]);
  });

  it('crosses month and leap-year ends', () => {
    const points = dailySeries({ changes: [], from: '2028-02-28', to: '2028-03-01', opening: '5' });
    expect(points.map((p) => p.date)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('refuses reversed ranges, impossible dates and ranges over the limit', () => {
    expect(() => dailySeries({ changes, from: '2026-03-05', to: '2026-03-01' })).toThrow(/ends before/);
    expect(() => dailySeries({ changes, from: '2026-02-30', to: '2026-03-01' })).toThrow(
      /not a calendar date/,
    );
    expect(() =>
      dailySeries({ changes, from: '2026-01-01', to: addDays('2026-01-01', seriesDaysMax) }),
    ).toThrow(/exceeds/);
  });
});

describe('valueOn', () => {
  it('is the value as it stood at the end of any past date', () => {
    expect(valueOn(changes, '2026-02-26').toString()).toBe('0');
    expect(valueOn(changes, '2026-03-02').toString()).toBe('1150');
    expect(valueOn(changes, '2026-12-31', '10').toString()).toBe('1107');
  });
});

describe('for every list of dated changes', () => {
  const change = fc.record({
    offset: fc.integer({ min: 0, max: 60 }),
    delta: fc.bigInt({ min: -1_000_000n, max: 1_000_000n }),
  });
  const arbitrary = fc.record({
    opening: fc.bigInt({ min: 0n, max: 1_000_000n }),
    changes: fc.array(change, { maxLength: 50 }),
    from: fc.integer({ min: 0, max: 60 }),
    length: fc.integer({ min: 1, max: 60 }),
  });

  it('the series ends at opening + the changes up to its last day, and every point equals valueOn', () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        const dated = input.changes.map((c) => ({
          on: addDays('2026-01-01', c.offset),
          delta: String(c.delta),
        }));
        const from = addDays('2026-01-01', input.from);
        const to = addDays(from, input.length - 1);
        const points = dailySeries({ changes: dated, from, to, opening: String(input.opening) });
        expect(points).toHaveLength(input.length);
        const lastOffset = input.from + input.length - 1;
        const expectedEnd = input.changes
          .filter((c) => c.offset <= lastOffset)
          .reduce((total, c) => total + c.delta, input.opening);
        expect(points.at(-1)?.value.toString()).toBe(String(expectedEnd));
        for (const point of points) {
          expect(point.value.toString()).toBe(valueOn(dated, point.date, String(input.opening)).toString());
        }
      }),
    );
  });

  it('a range covering every change ends at opening + the sum of all changes', () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        const dated = input.changes.map((c) => ({
          on: addDays('2026-01-01', c.offset),
          delta: String(c.delta),
        }));
        const points = dailySeries({
          changes: dated,
          from: '2026-01-01',
          to: '2026-03-31',
          opening: String(input.opening),
        });
        const total = input.changes.reduce((t, c) => t + c.delta, input.opening);
        expect(points.at(-1)?.value.toString()).toBe(String(total));
      }),
    );
  });
});

describe('MRR and active customers from movements', () => {
  it('start 1 000, +100 new, +50 expansion, −40 contraction, −60 churn: 1 050, as it stood each day', () => {
    const movements = [
      { on: '2026-02-28', kind: 'new', amountMinor: '1000' },
      { on: '2026-03-02', kind: 'new', amountMinor: '100' },
      { on: '2026-03-03', kind: 'expansion', amountMinor: '50' },
      { on: '2026-03-04', kind: 'contraction', amountMinor: '-40' },
      { on: '2026-03-05', kind: 'churn', amountMinor: '-60' },
    ] as const;
    const mrr = dailySeries({ changes: mrrChanges(movements), from: '2026-03-01', to: '2026-03-05' });
    expect(mrr.map((p) => p.value.toString())).toEqual(['1000', '1100', '1150', '1110', '1050']);
    const customers = dailySeries({
      changes: activeCustomerChanges(movements),
      from: '2026-03-01',
      to: '2026-03-05',
    });
    expect(customers.map((p) => p.value.toString())).toEqual(['1', '2', '2', '2', '1']);
  });

  it('counts a tenant who left and came back once', () => {
    const movements = movementsFromStates('t1', 'XOF', [
      { on: '2026-01-01', mrrMinor: '5000' },
      { on: '2026-01-10', mrrMinor: '0' },
      { on: '2026-01-20', mrrMinor: '6000' },
    ]);
    const customers = activeCustomerChanges(movements);
    expect(valueOn(customers, '2026-01-15').toString()).toBe('0');
    expect(valueOn(customers, '2026-01-31').toString()).toBe('1');
    expect(valueOn(mrrChanges(movements), '2026-01-31').toString()).toBe('6000');
  });
});
