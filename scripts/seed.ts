import cliProgress from 'cli-progress';
import { publishDefaultCatalog } from '../app/billing/catalog.ts';
import { loadInvoiceState } from '../app/billing/invoicing.ts';
import {
  attachPaymentMethod,
  cancelSubscription,
  changePlan,
  invoiceTrialUpfront,
  loadSubscription,
  startSubscription,
  subscriptionOfInvoice,
  writeOff,
} from '../app/billing/subscriptions.ts';
import { localDate } from '../app/billing/support.ts';
import { closeTenant, registerTenant, updateTenant } from '../app/billing/tenants.ts';
import type { CommandContext } from '../app/command-handler.ts';
import type { Config } from '../app/config.ts';
import { newJobIndex, runDailyJobs } from '../app/jobs/daily.ts';
import {
  handlePaymentNotification,
  initiatePayment,
  type PaymentFlowDependencies,
  recordManualPayment,
} from '../app/payments/flow.ts';
import { buildSandboxNotification, createSandboxProvider } from '../app/payments/sandbox.ts';
import { openLedger } from '../app/runtime.ts';
import type { BillingInterval } from '../domain/catalog/plan.ts';
import { isIssued } from '../domain/invoice/invoice.ts';
import { type Money, moneyOf } from '../domain/money/index.ts';
import type { ManualPaymentMethod } from '../domain/payment/payment.ts';
import { addDays, daysBetween } from '../domain/shared/calendar-date.ts';
import { ledgerCatalog } from '../domain/events/index.ts';
import { StreamNotFound } from '../eventstore/errors.ts';
import type {
  AppendResult,
  EventStore,
  ExpectedState,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  StreamSummary,
} from '../eventstore/port.ts';

/**
 * `ledger seed`: a realistic, deterministic history for demos and benchmarks. Every fact goes
 * through the same use cases as real traffic (app/billing, app/payments, app/jobs), day by day:
 * the day's sign-ups and customer actions first, then the daily jobs (trial ends, renewals, overdue,
 * reminders, suspensions), then the payments that fall due that day.
 *
 * Deterministic: one seeded PRNG draws every choice up front per tenant, ids and idempotency keys
 * derive from the tenant number, and every instant comes from the simulated clock, so the same
 * `--seed`, size and end date give the same events, byte for byte, hence the same stream heads.
 *
 * Payments: online ones go through the labelled `sandbox` provider end to end (initiation, a
 * signed notification, verification, allocation), some failing once first; the others are manual
 * (bank transfer, cash, cheque). Wave, Orange Money and Free Money need their servers to confirm a
 * payment, so the seed cannot use them without mocking their HTTP APIs.
 */

export interface SeedOptions {
  readonly seed: number;
  readonly tenants: number;
  /** The history's length in days, ending on `until`. */
  readonly days: number;
  /** The last simulated day (YYYY-MM-DD); the demo passes today. */
  readonly until: string;
  /** Called after each simulated day. */
  readonly onDay?: (dayIndex: number, day: string) => void;
}

export interface SeedReport {
  readonly from: string;
  readonly until: string;
  readonly tenants: number;
  readonly invoicesPaid: number;
  readonly writeOffs: number;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for demo data, and identical on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Payer = 'prompt' | 'late' | 'very_late' | 'never';
type Channel = 'sandbox' | ManualPaymentMethod;

interface TenantPlan {
  readonly n: number;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly arrivesOn: string;
  readonly country: 'SN' | 'CI' | 'ML';
  readonly taxExempt: boolean;
  readonly paymentTermsDays: number;
  readonly planCode: 'essential' | 'professional' | 'enterprise';
  readonly interval: BillingInterval;
  readonly negotiatedMonthly: number;
  readonly trial: 'none' | 'converts' | 'pays_upfront' | 'expires';
  /** Days into the trial when the payment method is attached (conversions). */
  readonly paymentMethodAfterDays: number;
  readonly payer: Payer;
  readonly channel: Channel;
  readonly failsFirst: boolean;
  readonly change: { readonly afterDays: number; readonly to: 'professional' | 'essential' } | null;
  readonly cancel: { readonly afterDays: number; readonly mode: 'immediately' | 'at_period_end' } | null;
  readonly updatesDetailsAfterDays: number | null;
}

const cities: Record<TenantPlan['country'], readonly string[]> = {
  SN: ['Dakar', 'Thiès', 'Saint-Louis', 'Ziguinchor', 'Kaolack', 'Mbour'],
  CI: ['Abidjan', 'Bouaké', 'Yamoussoukro', 'San-Pédro'],
  ML: ['Bamako', 'Sikasso', 'Kayes'],
};
const kinds = ['Clinique', 'Banque', 'Mairie', 'Hôpital', 'Agence', 'Cabinet', 'Pharmacie', 'Assurances'];
const names = [
  'Teranga',
  'Baobab',
  'Sahel',
  'Atlantique',
  'Lagune',
  'Niger',
  'Casamance',
  'Keur',
  'Djoliba',
  'Sine',
];
const phonePrefix: Record<TenantPlan['country'], string> = { SN: '+22177', CI: '+22507', ML: '+22376' };

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function planTenants(options: SeedOptions, from: string): TenantPlan[] {
  const random = prng(options.seed);
  const plans: TenantPlan[] = [];
  // Arrivals lean towards the recent past, as a growing business's do; none in the last week.
  const spanDays = Math.max(1, options.days - 7);
  for (let n = 1; n <= options.tenants; n += 1) {
    const arrival = Math.floor(Math.sqrt(random()) * spanDays);
    const r = random();
    const planCode = r < 0.6 ? 'essential' : r < 0.9 ? 'professional' : 'enterprise';
    const t = random();
    const p = random();
    const c = random();
    const tenantId = `demo-${String(n).padStart(4, '0')}`;
    plans.push({
      n,
      tenantId,
      subscriptionId: `${tenantId}-s1`,
      arrivesOn: addDays(from, arrival),
      country: c < 0.7 ? 'SN' : c < 0.9 ? 'CI' : 'ML',
      taxExempt: random() < 0.03,
      paymentTermsDays: random() < 0.8 ? 15 : 30,
      planCode,
      interval: random() < 0.2 ? 'annual' : 'monthly',
      negotiatedMonthly: 150_000 + Math.floor(random() * 10) * 25_000,
      trial: t < 0.3 ? 'none' : t < 0.65 ? 'converts' : t < 0.75 ? 'pays_upfront' : 'expires',
      paymentMethodAfterDays: 1 + Math.floor(random() * 12),
      payer: p < 0.7 ? 'prompt' : p < 0.85 ? 'late' : p < 0.93 ? 'very_late' : 'never',
      channel: pick(random, [
        'sandbox',
        'sandbox',
        'sandbox',
        'bank_transfer',
        'bank_transfer',
        'cash',
        'cheque',
      ] as const),
      failsFirst: random() < 0.1,
      // Three in ten tenants change plan within their first half-year: Essential moves up (billed
      // at once with its proration), the others move down (applied at the period end).
      change:
        random() < 0.3
          ? {
              afterDays: 15 + Math.floor(random() * 165),
              to: planCode === 'essential' ? 'professional' : 'essential',
            }
          : null,
      cancel:
        random() < 0.12
          ? {
              afterDays: 40 + Math.floor(random() * 400),
              mode: random() < 0.6 ? 'at_period_end' : 'immediately',
            }
          : null,
      updatesDetailsAfterDays: random() < 0.1 ? 10 + Math.floor(random() * 200) : null,
    });
  }
  return plans;
}

function taxIdFor(plan: TenantPlan): string {
  const digits = String(1_000_000 + plan.n * 7919).padStart(9, '0');
  return plan.country === 'SN' ? `${digits}2G3` : `${plan.country}${digits}`;
}

/** Days from issue to payment for each kind of payer (the seed's only model of behaviour). */
function paymentDelayDays(payer: Payer, random: () => number, termsDays: number): number | null {
  switch (payer) {
    case 'prompt':
      return Math.floor(random() * Math.max(1, termsDays - 2));
    case 'late':
      return termsDays + 4 + Math.floor(random() * 12);
    case 'very_late':
      return termsDays + 22 + Math.floor(random() * 15);
    case 'never':
      return null;
    default:
      return payer satisfies never;
  }
}

/** Days past the due date after which a never-paid invoice is written off. */
const writeOffDaysPastDue = 60;

/**
 * The store as the seed sees it when it is the only writer of a log that started empty: appends go
 * to the database as always, and every stream read is answered from the events this process wrote
 * (validated by the same catalog, so they read back as the store would return them). On embedded
 * PGlite a read costs a few milliseconds and the use cases read before every command; answering
 * them from memory is what lets two years of history seed in minutes. The events written are the
 * same either way: only where reads come from changes.
 */
export function writeThroughCache(store: EventStore): EventStore {
  const catalog = ledgerCatalog();
  const streams = new Map<string, RecordedEvent[]>();
  const cache: EventStore = Object.create(store) as EventStore;
  const read = async (streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> => {
    const events = streams.get(streamName);
    if (events === undefined || events.length === 0) throw new StreamNotFound(streamName);
    const max = options.maxCount ?? 1000;
    if (options.direction === 'backwards') {
      const from = Number(options.fromRevision ?? BigInt(events.length - 1));
      return events.slice(Math.max(0, from - max + 1), from + 1).reverse();
    }
    const from = Number(options.fromRevision ?? 0n);
    return events.slice(from, from + max);
  };
  const append = async (
    streamName: string,
    batch: readonly NewEvent[],
    expected: ExpectedState,
  ): Promise<AppendResult> => {
    const result = await store.append(streamName, batch, expected);
    if (result.idempotent) return result;
    const events = streams.get(streamName) ?? [];
    const first = result.nextExpectedRevision - BigInt(batch.length - 1);
    if (first !== BigInt(events.length)) throw new Error(`seed cache out of step on ${streamName}`);
    for (const [i, event] of batch.entries()) {
      const checked = catalog.validate(event.type, event.data);
      events.push({
        id: event.id,
        streamName,
        revision: first + BigInt(i),
        type: event.type,
        schemaVersion: checked.schemaVersion,
        storedSchemaVersion: checked.schemaVersion,
        data: checked.data,
        storedData: checked.data,
        metadata: event.metadata,
        recordedAt: event.metadata.occurredAt,
        position: result.position,
        hash: '',
      });
    }
    streams.set(streamName, events);
    return result;
  };
  const listStreams = async (after: string | null, maxCount: number): Promise<StreamSummary[]> =>
    [...streams.keys()]
      .filter((name) => after === null || name > after)
      .sort()
      .slice(0, maxCount)
      .map((streamName) => ({
        streamName,
        revision: BigInt(streams.get(streamName)!.length - 1),
        headHash: '',
      }));
  const streamRevision = async (streamName: string): Promise<bigint | null> => {
    const events = streams.get(streamName);
    return events === undefined ? null : BigInt(events.length - 1);
  };
  for (const [name, value] of Object.entries({ readStream: read, append, listStreams, streamRevision })) {
    Object.defineProperty(cache, name, { value });
  }
  for (const method of [
    'readAll',
    'subscribe',
    'tombstone',
    'headPosition',
    'committedHead',
    'ping',
    'close',
  ] as const) {
    Object.defineProperty(cache, method, {
      value: (store[method] as (...a: unknown[]) => unknown).bind(store),
    });
  }
  return cache;
}

export async function seedHistory(store: EventStore, options: SeedOptions): Promise<SeedReport> {
  const seedStore = (await storeIsEmpty(store)) ? writeThroughCache(store) : store;
  const from = addDays(options.until, -(options.days - 1));
  const tenants = planTenants(options, from);
  const byTenant = new Map(tenants.map((t) => [t.tenantId, t]));
  const byDay = new Map<string, TenantPlan[]>();
  for (const tenant of tenants) byDay.set(tenant.arrivesOn, [...(byDay.get(tenant.arrivesOn) ?? []), tenant]);
  const random = prng(options.seed ^ 0x5eed);

  let simulatedNow = new Date(`${from}T08:00:00.000Z`);
  const clock = () => simulatedNow;
  const deps = { store: seedStore, clock };
  const context = (key: string, day: string, minute = 0): CommandContext => {
    simulatedNow = new Date(Date.parse(`${day}T08:00:00.000Z`) + minute * 60_000);
    return {
      idempotencyKey: `seed:${options.seed}:${key}`,
      actor: { kind: 'system', id: 'seed' },
      correlationId: `seed:${options.seed}:${key}`.slice(0, 200),
      causationId: null,
      occurredAt: simulatedNow.toISOString(),
    };
  };
  const sandboxSecret = `seed-sandbox-${options.seed}`;
  const openInvoices = new Map<string, Set<string>>();
  const flow: PaymentFlowDependencies = {
    store: seedStore,
    providers: new Map([
      [
        'sandbox',
        createSandboxProvider({
          webhookSecret: sandboxSecret,
          toleranceSeconds: 300,
          publicBaseUrl: 'http://localhost:3000',
        }),
      ],
    ]),
    publicBaseUrl: 'http://localhost:3000',
    openInvoiceIds: async (tenantId) => [...(openInvoices.get(tenantId) ?? [])],
    calendarDate: async (_tenantId, instant) => localDate(instant, 'Africa/Dakar'),
    securityLog: () => {},
    now: clock,
  };

  const refusedSteps: string[] = [];
  const must = <T extends { ok: boolean }>(what: string, outcome: T): T => {
    // A refusal in a seed is a change in a rule the seed does not know yet: say so, carry on.
    if (!outcome.ok && refusedSteps.length < 20)
      refusedSteps.push(`${what}: ${JSON.stringify((outcome as { refusal?: unknown }).refusal)}`);
    return outcome;
  };

  await publishDefaultCatalog(deps, {}, context('catalog', from));

  /** Payments to make: day → invoice ids. */
  const paymentsDue = new Map<string, string[]>();
  const writeOffsDue = new Map<string, string[]>();
  const scheduled = new Set<string>();
  const actions = new Map<string, Array<() => Promise<void>>>();
  const at = (day: string, action: () => Promise<void>) => {
    if (day > options.until) return;
    actions.set(day, [...(actions.get(day) ?? []), action]);
  };
  let invoicesPaid = 0;
  let writeOffs = 0;

  const pay = async (invoiceId: string, day: string) => {
    const invoice = await loadInvoiceState(deps, invoiceId);
    if (!isIssued(invoice) || invoice.status === 'written_off' || invoice.account.amountDue.amountMinor <= 0n)
      return;
    const tenant = byTenant.get(invoice.invoice.tenantId);
    if (tenant === undefined) return;
    const amount: Money = invoice.account.amountDue;
    if (tenant.channel === 'sandbox') {
      const attempts = tenant.failsFirst ? (['failed', 'succeeded'] as const) : (['succeeded'] as const);
      for (const [i, outcome] of attempts.entries()) {
        const ctx = context(`pay:${invoiceId}:${i}`, day, 600 + i * 5);
        const initiated = must(
          'initiate',
          await initiatePayment(
            flow,
            {
              tenantId: tenant.tenantId,
              provider: 'sandbox',
              invoiceIds: [invoiceId],
              amount,
              description: `Facture ${invoice.invoice.number}`,
            },
            ctx,
          ),
        );
        if (!initiated.ok) return;
        const notification = buildSandboxNotification({
          webhookSecret: sandboxSecret,
          session: {
            providerSessionId: initiated.value.providerSessionId,
            clientReference: initiated.value.paymentId,
          },
          outcome,
          amount,
          eventId: `evt-${initiated.value.paymentId}-${outcome}`,
          transactionId: `sbx-tx-${initiated.value.paymentId}`,
          now: clock(),
        });
        await handlePaymentNotification(flow, 'sandbox', {
          headers: notification.headers,
          rawBody: notification.rawBody,
          now: clock(),
        });
      }
    } else {
      must(
        'manual payment',
        await recordManualPayment(
          flow,
          {
            tenantId: tenant.tenantId,
            method: tenant.channel,
            reference: `${tenant.channel === 'cheque' ? 'CHQ' : tenant.channel === 'cash' ? 'REC' : 'VIR'}-${invoice.invoice.number}`,
            receivedOn: day,
            amount,
            invoiceIds: [invoiceId],
          },
          context(`pay:${invoiceId}:manual`, day, 610),
        ),
      );
    }
    invoicesPaid += 1;
    openInvoices.get(tenant.tenantId)?.delete(invoiceId);
  };

  const schedulePayment = (invoiceId: string, issuedOn: string, dueOn: string, tenant: TenantPlan) => {
    if (scheduled.has(invoiceId)) return;
    scheduled.add(invoiceId);
    const open = openInvoices.get(tenant.tenantId) ?? new Set<string>();
    open.add(invoiceId);
    openInvoices.set(tenant.tenantId, open);
    const delay = paymentDelayDays(tenant.payer, random, tenant.paymentTermsDays);
    if (delay === null) {
      const day = addDays(dueOn, writeOffDaysPastDue);
      writeOffsDue.set(day, [...(writeOffsDue.get(day) ?? []), invoiceId]);
      return;
    }
    const day = addDays(issuedOn, delay);
    paymentsDue.set(day, [...(paymentsDue.get(day) ?? []), invoiceId]);
  };

  const onboard = async (tenant: TenantPlan, day: string) => {
    const city = cities[tenant.country][tenant.n % cities[tenant.country].length]!;
    const legalName = `${kinds[tenant.n % kinds.length]} ${names[(tenant.n * 7) % names.length]} ${tenant.n}`;
    must(
      'register',
      await registerTenant(
        deps,
        {
          tenantId: tenant.tenantId,
          details: {
            legalName,
            taxId: taxIdFor(tenant),
            tradeRegisterNumber: `${tenant.country}-${city.slice(0, 3).toUpperCase()}-20${10 + (tenant.n % 15)}-B-${10000 + tenant.n}`,
            address: { line1: `${1 + (tenant.n % 120)} avenue ${names[tenant.n % names.length]}`, city },
            country: tenant.country,
            billingCurrency: 'XOF',
            billingEmail: `facturation@${tenant.tenantId}.example`,
            billingPhone: `${phonePrefix[tenant.country]}${String(1_000_000 + tenant.n * 37).slice(-7)}`,
            taxExempt: tenant.taxExempt,
            taxExemptionNote: tenant.taxExempt
              ? 'Exonération de TVA — convention d’établissement (art. 361 CGI)'
              : null,
            paymentTermsDays: tenant.paymentTermsDays,
          },
        },
        context(`${tenant.tenantId}:register`, day, tenant.n % 240),
      ),
    );
    const started = must(
      'start',
      await startSubscription(
        deps,
        {
          subscriptionId: tenant.subscriptionId,
          tenantId: tenant.tenantId,
          planCode: tenant.planCode,
          interval: tenant.interval,
          negotiatedPrice:
            tenant.planCode === 'enterprise'
              ? moneyOf(String(tenant.negotiatedMonthly * (tenant.interval === 'annual' ? 10 : 1)), 'XOF')
              : undefined,
          trial: tenant.trial !== 'none',
          today: day,
        },
        context(`${tenant.tenantId}:start`, day, 1 + (tenant.n % 240)),
      ),
    );
    if (!started.ok) return;
    if (tenant.trial === 'converts') {
      at(addDays(day, tenant.paymentMethodAfterDays), async () => {
        const d = addDays(day, tenant.paymentMethodAfterDays);
        must(
          'payment method',
          await attachPaymentMethod(
            deps,
            {
              subscriptionId: tenant.subscriptionId,
              paymentMethodId: `pm-${tenant.channel}-${tenant.n}`,
              today: d,
            },
            context(`${tenant.tenantId}:payment-method`, d, 300),
          ),
        );
      });
    }
    if (tenant.trial === 'pays_upfront') {
      const d = addDays(day, tenant.paymentMethodAfterDays);
      at(d, async () => {
        const billed = must(
          'upfront',
          await invoiceTrialUpfront(
            deps,
            { subscriptionId: tenant.subscriptionId, today: d },
            context(`${tenant.tenantId}:upfront`, d, 300),
          ),
        );
        if (billed.ok) await pay(billed.value.invoiceId, d);
      });
    }
    if (tenant.change !== null) {
      const d = addDays(day, tenant.change.afterDays);
      const to = tenant.change.to;
      at(d, async () => {
        const state = await loadSubscription(deps, tenant.subscriptionId);
        if (state.status !== 'active' && state.status !== 'trialing') return;
        must(
          'change',
          await changePlan(
            deps,
            { subscriptionId: tenant.subscriptionId, planCode: to, interval: state.terms.interval, today: d },
            context(`${tenant.tenantId}:change`, d, 400),
          ),
        );
      });
    }
    if (tenant.cancel !== null) {
      const d = addDays(day, tenant.cancel.afterDays);
      const mode = tenant.cancel.mode;
      at(d, async () => {
        const state = await loadSubscription(deps, tenant.subscriptionId);
        if (state.status !== 'active') return;
        must(
          'cancel',
          await cancelSubscription(
            deps,
            { subscriptionId: tenant.subscriptionId, mode, reason: 'customer_request', today: d },
            context(`${tenant.tenantId}:cancel`, d, 450),
          ),
        );
      });
    }
    if (tenant.updatesDetailsAfterDays !== null) {
      const d = addDays(day, tenant.updatesDetailsAfterDays);
      at(d, async () => {
        must(
          'update',
          await updateTenant(
            deps,
            {
              tenantId: tenant.tenantId,
              changes: { billingEmail: `comptabilite@${tenant.tenantId}.example` },
            },
            context(`${tenant.tenantId}:update`, d, 200),
          ),
        );
      });
    }
  };

  const index = newJobIndex();
  const total = daysBetween(from, options.until) + 1;
  for (let i = 0; i < total; i += 1) {
    const day = addDays(from, i);
    for (const tenant of byDay.get(day) ?? []) await onboard(tenant, day);
    for (const action of actions.get(day) ?? []) await action();

    simulatedNow = new Date(`${day}T00:30:00.000Z`);
    await runDailyJobs({ store: seedStore, clock, index }, day);

    // Newly issued invoices get a payment (or a write-off) on the day the payer's habit says.
    for (const { id, state } of await index.invoices.refresh(seedStore)) {
      if (scheduled.has(id) || !isIssued(state)) continue;
      const tenant = byTenant.get(state.invoice.tenantId);
      if (tenant === undefined || state.account.amountDue.amountMinor <= 0n) {
        scheduled.add(id);
        continue;
      }
      schedulePayment(id, state.invoice.issuedOn, state.invoice.dueOn, tenant);
    }
    for (const invoiceId of paymentsDue.get(day) ?? []) await pay(invoiceId, day);
    for (const invoiceId of writeOffsDue.get(day) ?? []) {
      const invoice = await loadInvoiceState(deps, invoiceId);
      if (
        !isIssued(invoice) ||
        invoice.account.amountDue.amountMinor <= 0n ||
        invoice.status === 'written_off'
      )
        continue;
      const done = must(
        'write-off',
        await writeOff(
          deps,
          { invoiceId, reason: 'Créance irrécouvrable après relances', today: day },
          context(`write-off:${invoiceId}`, day, 700),
        ),
      );
      if (done.ok) {
        writeOffs += 1;
        const subscriptionId = subscriptionOfInvoice(invoiceId);
        const tenant = byTenant.get(invoice.invoice.tenantId);
        if (subscriptionId !== null && tenant !== undefined) {
          must(
            'close',
            await closeTenant(
              deps,
              { tenantId: tenant.tenantId, reason: 'non_payment' },
              context(`${tenant.tenantId}:close`, day, 710),
            ),
          );
        }
      }
    }
    options.onDay?.(i, day);
  }
  if (refusedSteps.length > 0)
    process.stderr.write(
      `seed: steps refused (first ${refusedSteps.length}):\n  ${refusedSteps.join('\n  ')}\n`,
    );
  return { from, until: options.until, tenants: tenants.length, invoicesPaid, writeOffs };
}

/** Whether the log holds any event (the demo seeds only an empty store). */
export async function storeIsEmpty(store: EventStore): Promise<boolean> {
  return (await store.headPosition()) === '';
}

export interface RunSeedOptions {
  readonly seed: number;
  readonly tenants: number;
  readonly years: number;
  readonly until?: string;
  readonly progress: boolean;
  /** Seed even when the store already holds events (a second seed with another number adds to it). */
  readonly force?: boolean;
}

export const seedDefaults = { seed: 42, tenants: 200, years: 2 } as const;

export async function runSeedOn(
  store: EventStore,
  options: RunSeedOptions,
  log: (line: string) => void,
): Promise<SeedReport | null> {
  if (options.force !== true && !(await storeIsEmpty(store))) {
    log('seed: the event store is not empty; nothing seeded (use --force to add to it)');
    return null;
  }
  const until = options.until ?? localDate(new Date(), 'Africa/Dakar');
  const days = Math.round(options.years * 365);
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: 'seed |{bar}| {value}/{total} days | {day} | ETA {eta_formatted}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(days, 0, { day: '' });
  const startedAt = Date.now();
  const report = await seedHistory(store, {
    seed: options.seed,
    tenants: options.tenants,
    days,
    until,
    onDay: (i, day) => bar?.update(i + 1, { day }),
  });
  bar?.stop();
  log(
    `seed ${options.seed}: ${report.tenants} tenants from ${report.from} to ${report.until}, ` +
      `${report.invoicesPaid} invoices paid, ${report.writeOffs} written off, in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
  );
  return report;
}

export async function runSeed(config: Config, options: RunSeedOptions): Promise<number> {
  const ledger = await openLedger(config);
  try {
    const report = await runSeedOn(ledger.store, options, (line) => process.stdout.write(`${line}\n`));
    return report === null ? 1 : 0;
  } finally {
    await ledger.close();
  }
}

export interface DemoSignIn {
  readonly role: string;
  readonly email: string;
  readonly password: string;
  readonly tenantId: string | null;
}

/**
 * One sign-in per role for the demo, printed by `ledger demo`. Plainly demo credentials: they exist
 * only in a store the demo seeded, and the passwords are printed on the console for that reason.
 */
export const demoSignIns: readonly DemoSignIn[] = [
  { role: 'superadmin', email: 'admin@demo.smartqueue.sn', password: 'demo-admin-2026', tenantId: null },
  { role: 'accountant', email: 'compta@demo.smartqueue.sn', password: 'demo-compta-2026', tenantId: null },
  { role: 'auditor', email: 'audit@demo.smartqueue.sn', password: 'demo-audit-2026', tenantId: null },
  {
    role: 'tenant_admin',
    email: 'admin@demo-0001.example',
    password: 'demo-tenant-2026',
    tenantId: 'demo-0001',
  },
];

/** Creates the demo users that do not exist yet (the API's user module: api/auth/accounts.ts). */
export async function ensureDemoUsers(db: import('kysely').Kysely<any>): Promise<readonly DemoSignIn[]> {
  const { AccountError, createUser } = await import('../api/auth/accounts.ts');
  for (const signIn of demoSignIns) {
    try {
      await createUser(db, {
        email: signIn.email,
        password: signIn.password,
        role: signIn.role as Parameters<typeof createUser>[1]['role'],
        tenantId: signIn.tenantId,
      });
    } catch (error) {
      if (!(error instanceof AccountError && error.code === 'email_taken')) throw error;
    }
  }
  return demoSignIns;
}
