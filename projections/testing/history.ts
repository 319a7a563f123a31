import { allEventDefinitions } from '../../domain/events/index.ts';
import { EventCatalog, type EventDefinition } from '../../domain/events/catalog.ts';
import type { EventMetadata } from '../../domain/events/metadata.ts';
import { customerBalanceEvents } from '../../domain/customer-balance/customer-balance.ts';
import { invoiceEvents } from '../../domain/invoice/invoice.ts';
import { uuidV5 } from '../../eventstore/ids.ts';
import type { EventStore, NewEvent } from '../../eventstore/port.ts';

/**
 * Histories for projection specs and the bench, built from the domain's event shapes so a `given`
 * is a history the system can record (the store validates every event against its schema).
 */

/**
 * The ledger's catalog plus the aggregates whose definitions are written but not yet listed in
 * `domain/events/index.ts`, so the read models can be proven against them today.
 */
export function projectionTestCatalog(extra: readonly EventDefinition<string, unknown>[] = []): EventCatalog {
  const byType = new Map<string, EventDefinition<string, unknown>>();
  for (const d of [
    ...allEventDefinitions,
    ...invoiceEvents,
    ...customerBalanceEvents,
    ...extra,
  ] as EventDefinition<string, unknown>[]) {
    if (!byType.has(d.type)) byType.set(d.type, d);
  }
  return new EventCatalog([...byType.values()]);
}

export interface GivenEvent {
  readonly stream: string;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt?: string;
}

let sequence = 0;

export function metadata(
  occurredAt = '2026-03-01T09:00:00.000Z',
  correlationId = 'corr-test',
): EventMetadata {
  return {
    correlationId,
    causationId: null,
    actor: { kind: 'user', id: 'admin-1' },
    idempotencyKey: null,
    occurredAt,
  };
}

/** Appends the events in order, one append per run of events on the same stream. */
export async function appendHistory(
  store: EventStore,
  events: readonly GivenEvent[],
  runId = `${++sequence}`,
): Promise<string> {
  let position = '';
  for (let i = 0; i < events.length; ) {
    const stream = events[i]!.stream;
    const run: NewEvent[] = [];
    while (i < events.length && events[i]!.stream === stream && run.length < 1000) {
      const e = events[i]!;
      run.push({
        id: uuidV5(`${runId}:${i}:${stream}:${e.type}`),
        type: e.type,
        data: e.data,
        metadata: metadata(e.occurredAt),
      });
      i += 1;
    }
    position = (await store.append(stream, run, 'any')).position;
  }
  return position;
}

const xof = (amountMinor: bigint | string) => ({ amountMinor: String(amountMinor), currency: 'XOF' });

export function tenantRegistered(
  tenantId: string,
  legalName = `Tenant ${tenantId}`,
  registeredAt = '2026-01-05T10:00:00Z',
): GivenEvent {
  return {
    stream: `tenant-${tenantId}`,
    type: 'TenantRegistered',
    data: {
      tenantId,
      registeredAt,
      details: {
        legalName,
        taxId: `NINEA${tenantId.replace(/\W/g, '').slice(0, 20)}`,
        tradeRegisterNumber: 'SN-DKR-2020-B-12345',
        address: { line1: 'Rue 10', line2: null, city: 'Dakar', postalCode: null },
        country: 'SN',
        billingCurrency: 'XOF',
        billingEmail: 'billing@example.sn',
        billingPhone: '+221771234567',
        timeZone: 'Africa/Dakar',
        taxExempt: false,
        taxExemptionNote: null,
        paymentTermsDays: 15,
        preferredLanguage: 'fr',
      },
    },
  };
}

export function planPublished(planCode: string, monthlyMinor: bigint): GivenEvent {
  return {
    stream: `plan-${planCode}`,
    type: 'PlanPublished',
    data: {
      planCode,
      version: 1,
      publishedAt: '2026-01-01T00:00:00Z',
      terms: {
        name: planCode,
        trialDays: 14,
        meters: [],
        pricing: {
          kind: 'list',
          prices: [
            { interval: 'monthly', price: xof(monthlyMinor) },
            { interval: 'annual', price: xof(monthlyMinor * 10n) },
          ],
        },
      },
    },
  };
}

export interface InvoiceSpec {
  readonly invoiceId: string;
  readonly tenantId: string;
  readonly number: string;
  /** Net amounts of the lines; tax is 18 % of their sum, rounded half up. */
  readonly linesMinor: readonly bigint[];
  readonly issuedOn?: string;
  readonly dueOn?: string;
}

export function taxOf(subtotal: bigint): bigint {
  return (subtotal * 18n + 50n) / 100n;
}

/** Drafted, lines added, issued: the events an issued invoice starts with. */
export function issuedInvoice(spec: InvoiceSpec): GivenEvent[] {
  const stream = `invoice-${spec.invoiceId}`;
  const issuedOn = spec.issuedOn ?? '2026-03-01';
  const subtotal = spec.linesMinor.reduce((a, b) => a + b, 0n);
  const tax = taxOf(subtotal);
  return [
    {
      stream,
      type: 'InvoiceDrafted',
      data: {
        invoiceId: spec.invoiceId,
        tenantId: spec.tenantId,
        currency: 'XOF',
        country: 'SN',
        taxExemptionMention: null,
        paymentTermsDays: 15,
        draftedAt: `${issuedOn}T08:00:00Z`,
      },
    },
    ...spec.linesMinor.map((amount, i) => ({
      stream,
      type: 'InvoiceLineAdded',
      data: {
        invoiceId: spec.invoiceId,
        lineId: `l${i + 1}`,
        kind: 'subscription_period',
        description: `Abonnement ${i + 1}`,
        quantity: '1',
        unitPrice: xof(amount),
        amount: xof(amount),
        period: { from: issuedOn, to: issuedOn },
      },
    })),
    {
      stream,
      type: 'InvoiceIssued',
      data: {
        invoiceId: spec.invoiceId,
        tenantId: spec.tenantId,
        number: spec.number,
        issuedOn,
        dueOn: spec.dueOn ?? '2026-03-16',
        taxRatePercent: '18',
        taxExemptionMention: null,
        subtotal: xof(subtotal),
        tax: xof(tax),
        total: xof(subtotal + tax),
        issuedAt: `${issuedOn}T09:00:00Z`,
      },
    },
  ];
}

/** A payment that succeeded and was applied to one invoice (and paid it when nothing is left due). */
export function paidWith(args: {
  readonly paymentId: string;
  readonly tenantId: string;
  readonly invoiceId: string;
  readonly amountMinor: bigint;
  readonly amountDueBeforeMinor: bigint;
  readonly on?: string;
}): GivenEvent[] {
  const on = args.on ?? '2026-03-10';
  const applied = args.amountMinor < args.amountDueBeforeMinor ? args.amountMinor : args.amountDueBeforeMinor;
  const dueAfter = args.amountDueBeforeMinor - applied;
  const payment = `payment-${args.paymentId}`;
  const events: GivenEvent[] = [
    {
      stream: payment,
      type: 'PaymentInitiated',
      data: {
        paymentId: args.paymentId,
        tenantId: args.tenantId,
        provider: 'wave',
        invoiceIds: [args.invoiceId],
        amount: xof(args.amountMinor),
        providerSessionId: `cos-${args.paymentId}`,
        clientReference: `ref-${args.paymentId}`,
        notifTokenSha256: null,
        paymentUrl: null,
        initiatedAt: `${on}T10:00:00Z`,
      },
    },
    {
      stream: payment,
      type: 'PaymentSucceeded',
      data: {
        paymentId: args.paymentId,
        tenantId: args.tenantId,
        amount: xof(args.amountMinor),
        providerTransactionId: `T-${args.paymentId}`,
        succeededAt: `${on}T10:01:00Z`,
      },
    },
    {
      stream: `invoice-${args.invoiceId}`,
      type: 'InvoicePaymentApplied',
      data: {
        invoiceId: args.invoiceId,
        paymentId: args.paymentId,
        amountReceived: xof(args.amountMinor),
        amountApplied: xof(applied),
        excess: xof(args.amountMinor - applied),
        amountDueAfter: xof(dueAfter),
        appliedOn: on,
        appliedAt: `${on}T10:02:00Z`,
      },
    },
  ];
  if (dueAfter === 0n) {
    events.push({
      stream: `invoice-${args.invoiceId}`,
      type: 'InvoicePaid',
      data: { invoiceId: args.invoiceId, paidOn: on, paidAt: `${on}T10:02:00Z` },
    });
  }
  return events;
}

export function paymentFailed(
  paymentId: string,
  tenantId: string,
  invoiceId: string,
  amountMinor: bigint,
  on = '2026-03-12',
): GivenEvent[] {
  const stream = `payment-${paymentId}`;
  return [
    {
      stream,
      type: 'PaymentInitiated',
      data: {
        paymentId,
        tenantId,
        provider: 'orange_money',
        invoiceIds: [invoiceId],
        amount: xof(amountMinor),
        providerSessionId: `om-${paymentId}`,
        clientReference: `ref-${paymentId}`,
        notifTokenSha256: null,
        paymentUrl: null,
        initiatedAt: `${on}T10:00:00Z`,
      },
    },
    {
      stream,
      type: 'PaymentFailed',
      data: {
        paymentId,
        tenantId,
        failureCode: 'insufficient-funds',
        failureMessage: 'solde insuffisant',
        failedAt: `${on}T10:05:00Z`,
      },
    },
  ];
}

export function creditNoteIssued(args: {
  readonly invoiceId: string;
  readonly creditNoteId: string;
  readonly number: string;
  readonly invoiceNumber: string;
  readonly netMinor: bigint;
  readonly amountDueBeforeMinor: bigint;
  readonly on?: string;
}): GivenEvent {
  const tax = taxOf(args.netMinor);
  const total = args.netMinor + tax;
  const toDue = total < args.amountDueBeforeMinor ? total : args.amountDueBeforeMinor;
  const on = args.on ?? '2026-03-05';
  return {
    stream: `invoice-${args.invoiceId}`,
    type: 'CreditNoteIssued',
    data: {
      invoiceId: args.invoiceId,
      creditNoteId: args.creditNoteId,
      number: args.number,
      invoiceNumber: args.invoiceNumber,
      issuedOn: on,
      reason: 'geste commercial',
      net: xof(args.netMinor),
      tax: xof(tax),
      total: xof(total),
      appliedToAmountDue: xof(toDue),
      toCustomerBalance: xof(total - toDue),
      amountDueAfter: xof(args.amountDueBeforeMinor - toDue),
      issuedAt: `${on}T12:00:00Z`,
    },
  };
}

export function creditBalanceIncreased(
  tenantId: string,
  invoiceId: string,
  amountMinor: bigint,
  balanceAfterMinor: bigint,
): GivenEvent {
  return {
    stream: `customer-balance-${tenantId}`,
    type: 'CreditBalanceIncreased',
    data: {
      tenantId,
      source: 'overpayment',
      sourceId: 'pay-x',
      invoiceId,
      amount: xof(amountMinor),
      balanceAfter: xof(balanceAfterMinor),
      increasedOn: '2026-03-10',
      increasedAt: '2026-03-10T10:03:00Z',
    },
  };
}

export function subscriptionStarted(args: {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly interval: 'monthly' | 'annual';
  readonly priceMinor: bigint;
  readonly startedOn: string;
  readonly trial?: boolean;
  readonly planCode?: string;
}): GivenEvent {
  const trialEndsOn = args.trial === true ? args.startedOn : null;
  return {
    stream: `subscription-${args.subscriptionId}`,
    type: 'SubscriptionStarted',
    data: {
      subscriptionId: args.subscriptionId,
      tenantId: args.tenantId,
      terms: {
        planCode: args.planCode ?? 'essential',
        planVersion: 1,
        interval: args.interval,
        price: xof(args.priceMinor),
        meters: [],
      },
      startedOn: args.startedOn,
      trialEndsOn,
      anchorDate: args.startedOn,
      period: args.trial === true ? null : { start: args.startedOn, end: args.startedOn },
      periodIndex: args.trial === true ? null : 0,
      firstPeriodCharge: args.trial === true ? null : xof(args.priceMinor),
      paymentMethodId: null,
    },
  };
}

export function planChanged(
  subscriptionId: string,
  on: string,
  fromMinor: bigint,
  toMinor: bigint,
): GivenEvent {
  const terms = (price: bigint) => ({
    planCode: 'essential',
    planVersion: 1,
    interval: 'monthly',
    price: xof(price),
    meters: [],
  });
  return {
    stream: `subscription-${subscriptionId}`,
    type: 'PlanChanged',
    data: {
      subscriptionId,
      changedOn: on,
      direction: toMinor > fromMinor ? 'upgrade' : toMinor < fromMinor ? 'downgrade' : 'lateral',
      from: terms(fromMinor),
      to: terms(toMinor),
      proration: null,
      anchorDate: on,
      period: { start: on, end: on },
      periodIndex: 0,
    },
  };
}

export function subscriptionCanceled(subscriptionId: string, on: string): GivenEvent {
  return {
    stream: `subscription-${subscriptionId}`,
    type: 'SubscriptionCanceled',
    data: { subscriptionId, mode: 'immediately', canceledOn: on, reason: 'customer_request', credit: null },
  };
}

export function reminderSent(
  invoiceId: string,
  tenantId: string,
  stage: 1 | 2 | 3,
  dueOn: string,
  sentOn: string,
): GivenEvent {
  return {
    stream: `dunning-${invoiceId}`,
    type: 'ReminderSent',
    data: {
      invoiceId,
      tenantId,
      trigger: 'schedule',
      stage,
      daysAfterDue: [3, 7, 14][stage - 1],
      dueOn,
      scheduledOn: sentOn,
      sentOn,
      amountDue: xof(1n),
      channel: 'email',
      sentBy: null,
      note: null,
      sentAt: `${sentOn}T08:00:00Z`,
    },
  };
}
