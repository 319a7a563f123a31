import type { Decimal } from 'decimal.js';
import { assertNever, InvariantViolation } from '../shared/decider.ts';
import { type CalendarDate, daysBetween, wholeMonthsBetween } from '../metrics/calendar.ts';
import { type AmountInput, amount, MetricDecimal } from '../metrics/decimal.ts';

/**
 * The overdue risk score of a tenant with money due: 0–100 and a band, from seven factors with
 * fixed point tables, each factor's points returned beside the score so a person sees why.
 * The model is deliberately a table, not a fit: a collections agent must be able to check a score
 * by hand, and changing a table is a reviewed change that bumps `overdueRiskModelVersion`, which
 * the read model stores beside every score. Tables and reasons: docs/metrics.md § Overdue risk.
 */
export const overdueRiskModelVersion = 1;

export interface OverdueRiskInput {
  readonly tenantId: string;
  /** The day the score is for; recomputing daily moves only this. */
  readonly asOf: CalendarDate;
  readonly currency: string;
  /** Sum of open invoice balances (issued, not yet paid, credited or written off). */
  readonly amountDueMinor: AmountInput;
  /** Due date of the oldest invoice with an open balance. */
  readonly oldestUnpaidDueOn: CalendarDate;
  /**
   * Totals of the tenant's most recent invoices, newest first, this currency; the first
   * `usualInvoiceLookbackMax` are used. Their median is the tenant's usual invoice.
   */
  readonly recentInvoiceTotalsMinor: readonly AmountInput[];
  /** Invoices settled in the past (the caller's lookback, normally 12 months). */
  readonly settledInvoices: { readonly count: number; readonly paidLateCount: number };
  /** Failed payment attempts since the oldest open invoice was issued. */
  readonly failedPaymentAttempts: number;
  /** Reminders already sent for the open invoices. */
  readonly remindersSent: number;
  /** The start of the tenant's first paid subscription. */
  readonly customerSince: CalendarDate;
  /** Usage units in the last 30 days and the 30 before; null when the tenant has no usage product. */
  readonly usage: { readonly last30DaysUnits: AmountInput; readonly previous30DaysUnits: AmountInput } | null;
}

export const riskFactors = [
  'days_past_due',
  'amount_vs_usual_invoice',
  'late_payment_history',
  'failed_payment_attempts',
  'reminders_sent',
  'tenure',
  'usage_trend',
] as const;
export type RiskFactor = (typeof riskFactors)[number];

export const riskBands = ['low', 'medium', 'high', 'critical'] as const;
export type RiskBand = (typeof riskBands)[number];

export interface FactorContribution {
  readonly factor: RiskFactor;
  readonly points: number;
  readonly pointsMax: number;
  /** The measured value the points came from, machine-readable (a day count, a ratio), or null. */
  readonly observed: string | null;
  /** One sentence a person can read (the UI may render its own from factor and observed). */
  readonly explanation: string;
}

export interface OverdueRisk {
  readonly tenantId: string;
  readonly asOf: CalendarDate;
  readonly modelVersion: number;
  /** Sum of the factors' points, 0–100. */
  readonly score: number;
  readonly band: RiskBand;
  /** In the fixed order of `riskFactors`. */
  readonly factors: readonly FactorContribution[];
}

/** Points by threshold: the first row whose `upTo` is at least the value gives the points. */
interface Step {
  readonly upTo: number;
  readonly points: number;
}

function stepPoints(steps: readonly Step[], value: number): number {
  for (const step of steps) if (value <= step.upTo) return step.points;
  throw new InvariantViolation(`no step for ${value}`);
}

/** The tables. Each ends at Infinity, and the maxima add up to 100. */
export const overdueRiskTables = {
  daysPastDue: [
    { upTo: 0, points: 0 },
    { upTo: 7, points: 5 },
    { upTo: 15, points: 10 },
    { upTo: 30, points: 18 },
    { upTo: 60, points: 26 },
    { upTo: 90, points: 31 },
    { upTo: Number.POSITIVE_INFINITY, points: 35 },
  ],
  /** On amount due ÷ usual invoice, in hundredths (150 = 1.5 ×). */
  amountVsUsualHundredths: [
    { upTo: 100, points: 0 },
    { upTo: 150, points: 4 },
    { upTo: 300, points: 9 },
    { upTo: Number.POSITIVE_INFINITY, points: 15 },
  ],
  amountVsUsualWithoutHistoryPoints: 5,
  /** On the share of settled invoices paid late, in percent. */
  latePaymentSharePercent: [
    { upTo: 0, points: 0 },
    { upTo: 10, points: 3 },
    { upTo: 25, points: 6 },
    { upTo: 50, points: 10 },
    { upTo: Number.POSITIVE_INFINITY, points: 15 },
  ],
  latePaymentWithoutHistoryPoints: 5,
  failedPaymentAttempts: [
    { upTo: 0, points: 0 },
    { upTo: 1, points: 4 },
    { upTo: 2, points: 7 },
    { upTo: Number.POSITIVE_INFINITY, points: 10 },
  ],
  remindersSent: [
    { upTo: 0, points: 0 },
    { upTo: 1, points: 1 },
    { upTo: 2, points: 3 },
    { upTo: Number.POSITIVE_INFINITY, points: 5 },
  ],
  /** On whole months as a paying customer. Newer customers are riskier. */
  tenureMonths: [
    { upTo: 2, points: 10 },
    { upTo: 5, points: 7 },
    { upTo: 11, points: 4 },
    { upTo: 23, points: 2 },
    { upTo: Number.POSITIVE_INFINITY, points: 0 },
  ],
  /** On the usage drop (previous − last) ÷ previous, in percent; growth counts as 0. */
  usageDropPercent: [
    { upTo: 10, points: 0 },
    { upTo: 25, points: 3 },
    { upTo: 50, points: 6 },
    { upTo: Number.POSITIVE_INFINITY, points: 10 },
  ],
} as const satisfies Record<string, readonly Step[] | number>;

export const usualInvoiceLookbackMax = 12;

/** Band floors: a score at or above the floor is in the band. */
export const riskBandFloors: Readonly<Record<Exclude<RiskBand, 'low'>, number>> = {
  medium: 25,
  high: 50,
  critical: 75,
};

export function riskBand(score: number): RiskBand {
  if (score >= riskBandFloors.critical) return 'critical';
  if (score >= riskBandFloors.high) return 'high';
  if (score >= riskBandFloors.medium) return 'medium';
  return 'low';
}

function maxPoints(steps: readonly Step[]): number {
  return Math.max(...steps.map((s) => s.points));
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvariantViolation(`${what} must be a whole number >= 0, got ${value}`);
  }
}

/**
 * A ratio as a whole number of hundredths (percent), rounded up, so that any excess over a
 * threshold counts: a record with one late payment in 1 000 is not a clean record.
 */
function hundredthsUp(ratio: Decimal): number {
  return ratio.times(100).ceil().toNumber();
}

function median(values: readonly Decimal[]): Decimal | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return sorted[middle - 1]!.plus(sorted[middle]!).dividedBy(2);
}

function factor(
  name: RiskFactor,
  points: number,
  pointsMax: number,
  observed: string | null,
  explanation: string,
): FactorContribution {
  return { factor: name, points, pointsMax, observed, explanation };
}

function contribution(name: RiskFactor, input: OverdueRiskInput, amountDue: Decimal): FactorContribution {
  const t = overdueRiskTables;
  switch (name) {
    case 'days_past_due': {
      const days = Math.max(0, daysBetween(input.oldestUnpaidDueOn, input.asOf));
      return factor(
        name,
        stepPoints(t.daysPastDue, days),
        maxPoints(t.daysPastDue),
        String(days),
        days === 0 ? 'Nothing is past due yet.' : `The oldest open invoice is ${days} days past due.`,
      );
    }
    case 'amount_vs_usual_invoice': {
      const recent = input.recentInvoiceTotalsMinor
        .slice(0, usualInvoiceLookbackMax)
        .map((v) => amount(v, 'recentInvoiceTotalsMinor'));
      const usual = median(recent);
      const pointsMax = Math.max(maxPoints(t.amountVsUsualHundredths), t.amountVsUsualWithoutHistoryPoints);
      if (usual === null || !usual.greaterThan(0)) {
        return factor(
          name,
          t.amountVsUsualWithoutHistoryPoints,
          pointsMax,
          null,
          'No usual invoice to compare with yet.',
        );
      }
      const ratio = amountDue.dividedBy(usual);
      const shown = ratio.toDecimalPlaces(2, MetricDecimal.ROUND_HALF_UP).toString();
      return factor(
        name,
        stepPoints(t.amountVsUsualHundredths, hundredthsUp(ratio)),
        pointsMax,
        shown,
        `The amount due is ${shown} × the usual invoice.`,
      );
    }
    case 'late_payment_history': {
      const { count, paidLateCount } = input.settledInvoices;
      const pointsMax = Math.max(maxPoints(t.latePaymentSharePercent), t.latePaymentWithoutHistoryPoints);
      if (count === 0) {
        return factor(name, t.latePaymentWithoutHistoryPoints, pointsMax, null, 'No settled invoice yet.');
      }
      const share = new MetricDecimal(paidLateCount).dividedBy(count);
      return factor(
        name,
        stepPoints(t.latePaymentSharePercent, hundredthsUp(share)),
        pointsMax,
        share.toDecimalPlaces(4, MetricDecimal.ROUND_HALF_UP).toString(),
        `${paidLateCount} of ${count} settled invoices were paid late.`,
      );
    }
    case 'failed_payment_attempts':
      return factor(
        name,
        stepPoints(t.failedPaymentAttempts, input.failedPaymentAttempts),
        maxPoints(t.failedPaymentAttempts),
        String(input.failedPaymentAttempts),
        `${input.failedPaymentAttempts} failed payment attempts since the oldest open invoice.`,
      );
    case 'reminders_sent':
      return factor(
        name,
        stepPoints(t.remindersSent, input.remindersSent),
        maxPoints(t.remindersSent),
        String(input.remindersSent),
        `${input.remindersSent} reminders already sent.`,
      );
    case 'tenure': {
      const months = Math.max(0, wholeMonthsBetween(input.customerSince, input.asOf));
      return factor(
        name,
        stepPoints(t.tenureMonths, months),
        maxPoints(t.tenureMonths),
        String(months),
        `A paying customer for ${months} whole months.`,
      );
    }
    case 'usage_trend': {
      const pointsMax = maxPoints(t.usageDropPercent);
      if (input.usage === null) return factor(name, 0, pointsMax, null, 'No usage product to follow.');
      const last = amount(input.usage.last30DaysUnits, 'last30DaysUnits');
      const previous = amount(input.usage.previous30DaysUnits, 'previous30DaysUnits');
      if (last.isNegative() || previous.isNegative()) throw new InvariantViolation('usage is never negative');
      if (previous.isZero()) {
        return factor(name, 0, pointsMax, null, 'No usage in the previous 30 days to compare with.');
      }
      const drop = MetricDecimal.max(0, previous.minus(last).dividedBy(previous));
      const dropPercent = hundredthsUp(drop);
      return factor(
        name,
        stepPoints(t.usageDropPercent, dropPercent),
        pointsMax,
        drop.toDecimalPlaces(4, MetricDecimal.ROUND_HALF_UP).toString(),
        dropPercent === 0
          ? 'Usage held or grew over the last 30 days.'
          : `Usage fell ${dropPercent} % over the last 30 days.`,
      );
    }
    default:
      return assertNever(name, 'risk factor');
  }
}

/** Scores a tenant's overdue risk, or returns null when nothing is due. */
export function scoreOverdueRisk(input: OverdueRiskInput): OverdueRisk | null {
  const amountDue = amount(input.amountDueMinor, 'amountDueMinor');
  if (!amountDue.greaterThan(0)) return null;
  assertCount(input.settledInvoices.count, 'settledInvoices.count');
  assertCount(input.settledInvoices.paidLateCount, 'settledInvoices.paidLateCount');
  if (input.settledInvoices.paidLateCount > input.settledInvoices.count) {
    throw new InvariantViolation('more invoices paid late than settled');
  }
  assertCount(input.failedPaymentAttempts, 'failedPaymentAttempts');
  assertCount(input.remindersSent, 'remindersSent');
  const factors = riskFactors.map((name) => contribution(name, input, amountDue));
  const score = factors.reduce((total, f) => total + f.points, 0);
  if (score < 0 || score > 100) throw new InvariantViolation(`risk score out of range: ${score}`);
  return {
    tenantId: input.tenantId,
    asOf: input.asOf,
    modelVersion: overdueRiskModelVersion,
    score,
    band: riskBand(score),
    factors,
  };
}
