import { invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import type { InvoiceEvent, InvoiceState } from '../../domain/invoice/invoice.ts';
import { isIssued } from '../../domain/invoice/invoice.ts';
import { toMoneyJson } from '../../domain/money/index.ts';
import { addDays } from '../../domain/shared/calendar-date.ts';
import type { Refusal } from '../../domain/shared/decider.ts';
import { subscriptionDecider } from '../../domain/subscription/subscription.decide.ts';
import type { SubscriptionEvent, SubscriptionState } from '../../domain/subscription/subscription.ts';
import { UnknownEventType } from '../../domain/events/catalog.ts';
import { type CommandContext, handleCommand } from '../command-handler.ts';
import {
  endTrial,
  markOverdue,
  markSubscriptionPastDue,
  reinstateSubscription,
  renewSubscription,
  settleSubscription,
  subscriptionOfInvoice,
  suspendSubscription,
} from '../billing/subscriptions.ts';
import type { BillingDeps } from '../billing/support.ts';
import { dunningDecider, dunningSchedule, dunningStreamName, type ReminderStage } from './reminders.ts';
import { StreamIndex } from './stream-index.ts';

/**
 * The daily jobs, in the order a day needs them: trials that end, periods that renew, invoices
 * that fall overdue, reminders, suspensions, and reinstatements of accounts that paid.
 *
 * Every command a job sends has the key `job:<job>:<date>:<entity>` (the date is the day the fact
 * is due, not the day the job happens to run), and each use case derives its steps' keys from it or
 * from the documents it bills. So two schedulers running the same day at once, or a re-run after a
 * crash or downtime, write the same event ids: the store keeps the first and nothing is recorded
 * twice. `catchUp` replays each day missed since the last run, in order, so a renewal is dated on
 * the day it was due even after a week of downtime.
 */

export interface JobDeps extends BillingDeps {
  /** Kept between runs by a long-lived scheduler; a fresh one is built when absent. */
  readonly index?: JobIndex;
  /** Send reminders; defaults to whether the store's catalog knows `ReminderSent` (found by trying). */
  readonly reminders?: boolean;
}

export interface JobIndex {
  readonly subscriptions: StreamIndex<SubscriptionEvent, SubscriptionState>;
  readonly invoices: StreamIndex<InvoiceEvent, InvoiceState>;
  /** Subscriptions whose documents are known billed up to a revision (exclusive). */
  readonly settledFrom: Map<string, bigint>;
  remindersUnsupported: boolean;
}

export function newJobIndex(): JobIndex {
  return {
    subscriptions: new StreamIndex('subscription-', subscriptionDecider),
    invoices: new StreamIndex('invoice-', invoiceDecider, (name) => name.startsWith('invoice-series-')),
    settledFrom: new Map(),
    remindersUnsupported: false,
  };
}

/** How far back the first completion pass of a process looks, in days. */
export const settleLookBackDays = 45;

export const jobNames = [
  'trial_end',
  'renewal',
  'settle',
  'overdue',
  'reminder',
  'suspension',
  'reinstatement',
] as const;
export type JobName = (typeof jobNames)[number];

export interface DailyReport {
  readonly today: string;
  /** Commands that recorded something new, per job. */
  readonly done: Record<JobName, number>;
  /** Refusals the jobs met (a racing scheduler got there first, a state moved meanwhile). */
  readonly refusals: Array<{ readonly job: JobName; readonly entity: string; readonly refusal: Refusal }>;
  readonly remindersSkipped: boolean;
}

function jobContext(job: JobName, date: string, entity: string, occurredAt: string): CommandContext {
  return {
    idempotencyKey: `job:${job}:${date}:${entity}`,
    actor: { kind: 'job', id: job },
    correlationId: `job:${job}:${date}`,
    causationId: null,
    occurredAt,
  };
}

/** The instant a job records: the deps' clock, but never before the start of the day it runs for. */
function occurredAtFor(deps: JobDeps, today: string): string {
  const dayStart = `${today}T00:00:00.000Z`;
  const now = (deps.clock?.() ?? new Date()).toISOString();
  return now < dayStart ? dayStart : now;
}

const openStatuses = new Set<InvoiceState['status']>(['issued', 'partially_paid', 'overdue']);

export async function runDailyJobs(deps: JobDeps, today: string): Promise<DailyReport> {
  const index = deps.index ?? newJobIndex();
  const store = deps.store;
  const billing: BillingDeps = { store, clock: deps.clock };
  const occurredAt = occurredAtFor(deps, today);
  const done = Object.fromEntries(jobNames.map((name) => [name, 0])) as Record<JobName, number>;
  const refusals: DailyReport['refusals'] = [];
  const count = (
    job: JobName,
    entity: string,
    outcome: { ok: boolean; refusal?: Refusal },
    recorded = true,
  ) => {
    if (!outcome.ok && outcome.refusal !== undefined)
      refusals.push({ job, entity, refusal: outcome.refusal });
    else if (recorded) done[job] += 1;
  };

  // 1. Trials that end today or earlier.
  for (const { id, state } of await index.subscriptions.refresh(store)) {
    if (state.status !== 'trialing' || state.trialEndsOn > today) continue;
    const outcome = await endTrial(
      billing,
      { subscriptionId: id, today },
      jobContext('trial_end', state.trialEndsOn, id, occurredAt),
    );
    count('trial_end', id, outcome);
  }

  // 2. Periods that ended: renew and bill. Keyed by the end of the period renewed.
  for (const { id, state } of await index.subscriptions.refresh(store)) {
    if (state.status !== 'active' || state.currentPeriod.end > today) continue;
    const outcome = await renewSubscription(
      billing,
      { subscriptionId: id, today },
      jobContext('renewal', state.currentPeriod.end, id, occurredAt),
    );
    count('renewal', id, outcome);
  }

  // 3. Completion: every document a subscription's history calls for exists (after a crash
  // between a subscription event and its invoice, whoever sent the command).
  for (const { id, revision } of await index.subscriptions.refresh(store)) {
    const from = index.settledFrom.get(id);
    if (from !== undefined && from > revision) continue;
    // A process that has not seen this subscription yet looks back a bounded window: an interrupted
    // use case is the latest thing that happened to a subscription, and older history was settled
    // by the runs of those days. Without the bound a restart would re-check years of invoices.
    const outcome = await settleSubscription(
      billing,
      {
        subscriptionId: id,
        today,
        fromRevision: from,
        occurredSince:
          from === undefined ? `${addDays(today, -settleLookBackDays)}T00:00:00.000Z` : undefined,
      },
      jobContext('settle', today, id, occurredAt),
    );
    if (outcome.ok) index.settledFrom.set(id, revision + 1n);
    else count('settle', id, outcome);
  }

  // 4. Invoices past their due date, unpaid: overdue, and their subscription past due.
  const invoices = await index.invoices.refresh(store);
  for (const { id, state } of invoices) {
    if (!isIssued(state) || !openStatuses.has(state.status)) continue;
    if (state.invoice.dueOn >= today || state.account.amountDue.amountMinor <= 0n) continue;
    if (state.status === 'overdue') {
      // Completion of the second step, and a new past-due mark after a reinstatement for another invoice.
      const outcome = await markSubscriptionPastDue(
        billing,
        { invoiceId: id, today },
        jobContext('overdue', addDays(state.invoice.dueOn, 1), `${id}:subscription`, occurredAt),
      );
      count('overdue', id, outcome, outcome.ok && outcome.value);
      continue;
    }
    const outcome = await markOverdue(
      billing,
      { invoiceId: id, today },
      jobContext('overdue', addDays(state.invoice.dueOn, 1), id, occurredAt),
    );
    count('overdue', id, outcome);
  }

  // 5. Reminders 3, 7 and 14 days after the due date, keyed by the day each was due.
  let remindersSkipped = deps.reminders === false || index.remindersUnsupported;
  if (!remindersSkipped) {
    for (const { id, state } of await index.invoices.refresh(store)) {
      if (!isIssued(state) || state.status !== 'overdue' || state.account.amountDue.amountMinor <= 0n)
        continue;
      for (const [i, days] of dunningSchedule.reminderDaysAfterDue.entries()) {
        const scheduledOn = addDays(state.invoice.dueOn, days);
        if (scheduledOn > today) break;
        const stage = (i + 1) as ReminderStage;
        try {
          const outcome = await handleCommand(
            store,
            dunningDecider,
            dunningStreamName(id),
            {
              type: 'SendReminder',
              data: {
                invoiceId: id,
                tenantId: state.invoice.tenantId,
                stage,
                daysAfterDue: days,
                dueOn: state.invoice.dueOn,
                scheduledOn,
                sentOn: today,
                amountDue: toMoneyJson(state.account.amountDue),
                channel: 'email',
                sentAt: occurredAt,
              },
            },
            jobContext('reminder', scheduledOn, id, occurredAt),
          );
          // A reminder sent before (by a racing scheduler, under its own key) is not a failure.
          if (outcome.ok) done.reminder += outcome.events.length > 0 && !outcome.replayed ? 1 : 0;
        } catch (error) {
          if (!(error instanceof UnknownEventType)) throw error;
          index.remindersUnsupported = true;
          remindersSkipped = true;
          break;
        }
      }
      if (remindersSkipped) break;
    }
  }

  // 6 and 7. Past-due subscriptions: suspended 21 days after the due date of an invoice still
  // unpaid; past-due or suspended ones reinstated once none of their invoices is overdue. The
  // invoices say which is which (a suspended state does not keep the invoice that caused it).
  const overdueBySubscription = new Map<string, string[]>();
  for (const { id, state } of await index.invoices.refresh(store)) {
    if (!isIssued(state) || state.status !== 'overdue' || state.account.amountDue.amountMinor <= 0n) continue;
    const subscriptionId = subscriptionOfInvoice(id);
    if (subscriptionId === null) continue;
    const list = overdueBySubscription.get(subscriptionId) ?? [];
    list.push(state.invoice.dueOn);
    overdueBySubscription.set(subscriptionId, list);
  }
  for (const { id, state } of await index.subscriptions.refresh(store)) {
    if (state.status !== 'past_due' && state.status !== 'suspended') continue;
    const dueDates = overdueBySubscription.get(id) ?? [];
    if (dueDates.length === 0) {
      const outcome = await reinstateSubscription(
        billing,
        { subscriptionId: id, today },
        jobContext('reinstatement', today, id, occurredAt),
      );
      count('reinstatement', id, outcome);
      continue;
    }
    if (state.status !== 'past_due') continue;
    const oldestDue = dueDates.reduce((a, b) => (a < b ? a : b));
    const suspendOn = addDays(oldestDue, dunningSchedule.suspensionDaysAfterDue);
    if (suspendOn > today) continue;
    const outcome = await suspendSubscription(
      billing,
      { subscriptionId: id, today },
      jobContext('suspension', suspendOn, id, occurredAt),
    );
    count('suspension', id, outcome);
  }

  return { today, done, refusals, remindersSkipped };
}

/** The state a catch-up resumes from: the last day fully run. */
export interface CatchUpDeps extends JobDeps {
  readonly lastRunOn: () => Promise<string | null>;
  readonly recordRun: (day: string) => Promise<void>;
}

/** Days a catch-up replays at most in one call: a limit so a wrong clock cannot loop for ever. */
export const catchUpDaysMax = 3660;

/**
 * Runs every day from the day after the last run through `today`, in order; the first run ever
 * runs `today` only. Returns one report per day run.
 */
export async function catchUp(deps: CatchUpDeps, today: string): Promise<DailyReport[]> {
  const last = await deps.lastRunOn();
  const reports: DailyReport[] = [];
  let day = last === null ? today : addDays(last, 1);
  const index = deps.index ?? newJobIndex();
  for (let n = 0; day <= today && n < catchUpDaysMax; n += 1) {
    reports.push(await runDailyJobs({ ...deps, index }, day));
    await deps.recordRun(day);
    day = addDays(day, 1);
  }
  return reports;
}

export { subscriptionOfInvoice };
