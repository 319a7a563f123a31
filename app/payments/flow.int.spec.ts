// Proves on real PostgreSQL that a payment is recorded and allocated exactly once however often
// and however concurrently its webhook arrives, that racing payments never over-allocate an
// invoice (the excess becomes credit), and that refused notifications record nothing and are logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBalanceDecider } from '../../domain/customer-balance/customer-balance.decide.ts';
import { customerBalanceStreamName } from '../../domain/customer-balance/customer-balance.ts';
import { invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import { invoiceStreamName, isIssued } from '../../domain/invoice/invoice.ts';
import { type Money, moneyOf } from '../../domain/money/index.ts';
import type { OnlineProvider } from '../../domain/payment/payment.ts';
import { paymentStreamName } from '../../domain/payment/payment.ts';
import { fold } from '../../domain/shared/decider.ts';
import { StreamNotFound } from '../../eventstore/errors.ts';
import type { RecordedEvent } from '../../eventstore/port.ts';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { testContext } from '../../test/support/context.ts';
import { issueInvoice } from '../billing/issue-invoice.ts';
import { handleCommand } from '../command-handler.ts';
import {
  acceptFlaggedPayment,
  allocateReceivedPayment,
  handlePaymentNotification,
  initiatePayment,
  loadPayment,
  type PaymentFlowDependencies,
  recordManualPayment,
  type SecurityLogEntry,
} from './flow.ts';
import type { PaymentProvider } from './port.ts';
import { buildSandboxNotification, createSandboxProvider, sandboxSignatureHeader } from './sandbox.ts';
import { type ProviderStub, startProviderStub } from './testing/provider-stub.ts';
import { timestampedSignatureHeader } from './wire.ts';
import { createOrangeMoneyProvider } from './orange-money.ts';

const secret = 'sandbox-test-secret';
const now = new Date('2026-03-10T09:00:00Z');
const xof = (major: string) => moneyOf(major, 'XOF');

let t: TestEventStore;
const securityLog: SecurityLogEntry[] = [];
let openInvoices: Record<string, string[]> = {};
let deps: PaymentFlowDependencies;

beforeAll(async () => {
  t = await freshEventStore('postgres');
  const sandbox = createSandboxProvider({
    webhookSecret: secret,
    toleranceSeconds: 300,
    publicBaseUrl: 'http://127.0.0.1:3000',
  });
  deps = {
    store: t.store,
    providers: new Map<OnlineProvider, PaymentProvider>([['sandbox', sandbox]]),
    publicBaseUrl: 'http://127.0.0.1:3000',
    openInvoiceIds: async (tenantId) => openInvoices[tenantId] ?? [],
    // Tenants here are in Dakar, on UTC all year.
    calendarDate: async (_tenantId, instant) => instant.toISOString().slice(0, 10),
    securityLog: (entry) => securityLog.push(entry),
    now: () => now,
  };
});
afterAll(async () => {
  await t.close();
});

/** An issued, tax-exempt XOF invoice whose total is `totalMajor`, through the real use cases. */
async function givenIssuedInvoice(
  tenantId: string,
  invoiceId: string,
  totalMajor: string,
  issuedOn = '2026-03-01',
) {
  const stream = invoiceStreamName(invoiceId);
  const at = '2026-03-01T08:00:00Z';
  const created = await handleCommand(
    t.store,
    invoiceDecider,
    stream,
    {
      type: 'CreateDraft',
      invoiceId,
      tenantId,
      currency: 'XOF',
      country: 'SN',
      taxExemptionMention: 'Exonéré de TVA',
      now: at,
    },
    testContext(`draft-${invoiceId}`),
  );
  expect(created.ok).toBe(true);
  const line = await handleCommand(
    t.store,
    invoiceDecider,
    stream,
    {
      type: 'AddLine',
      lineId: 'l1',
      kind: 'one_off',
      description: 'Abonnement',
      quantity: '1',
      unitPrice: xof(totalMajor),
      period: null,
      now: at,
    },
    testContext(`line-${invoiceId}`),
  );
  expect(line.ok).toBe(true);
  const issued = await issueInvoice(
    t.store,
    { invoiceId, issuedOn, today: '2026-03-10' },
    testContext(`issue-${invoiceId}`),
  );
  expect(issued.ok).toBe(true);
}

async function events(streamName: string): Promise<RecordedEvent[]> {
  try {
    return (await t.store.readStream(streamName)).sort((a, b) => (a.revision < b.revision ? -1 : 1));
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

async function invoiceAccount(invoiceId: string) {
  const history = await events(invoiceStreamName(invoiceId));
  const state = fold(
    invoiceDecider,
    history.map((e) => ({ type: e.type, data: e.data }) as never),
  );
  if (!isIssued(state)) throw new Error(`invoice ${invoiceId} not issued`);
  return {
    status: state.status,
    paid: state.account.paid.amountMinor,
    creditApplied: state.account.customerCreditApplied.amountMinor,
    due: state.account.amountDue.amountMinor,
  };
}

async function creditBalance(tenantId: string): Promise<bigint> {
  const history = await events(customerBalanceStreamName(tenantId));
  const state = fold(
    customerBalanceDecider,
    history.map((e) => ({ type: e.type, data: e.data }) as never),
  );
  return state.status === 'none' ? 0n : state.balance.amountMinor;
}

async function initiate(tenantId: string, key: string, invoiceIds: string[], amount: Money) {
  const outcome = await initiatePayment(
    deps,
    { tenantId, provider: 'sandbox', invoiceIds, amount, description: 'Facture' },
    testContext(key),
  );
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.value;
}

function paid(paymentId: string, providerSessionId: string, amount: Money, eventId = `EV-${paymentId}`) {
  return buildSandboxNotification({
    webhookSecret: secret,
    session: { providerSessionId, clientReference: paymentId },
    outcome: 'succeeded',
    amount,
    eventId,
    transactionId: `T-${paymentId}`,
    now,
  });
}

const deliver = (notification: { headers: Record<string, string>; rawBody: string }, at = now) =>
  handlePaymentNotification(deps, 'sandbox', {
    headers: notification.headers,
    rawBody: notification.rawBody,
    now: at,
  });

describe('payment flow on PostgreSQL', () => {
  it('pays an invoice end to end through the sandbox, with no read model running', async () => {
    await givenIssuedInvoice('tenant-a', 'inv-a1', '11800');
    const session = await initiate('tenant-a', 'init-a1', ['inv-a1'], xof('11800'));
    expect(session.isSandbox).toBe(true);
    expect(session.paymentUrl).toBe(`http://127.0.0.1:3000/sandbox/checkout/sbx-${session.paymentId}`);

    const handled = await deliver(paid(session.paymentId, session.providerSessionId, xof('11800')));
    expect(handled).toEqual({ httpStatus: 200, outcome: 'recorded', paymentId: session.paymentId });
    expect((await events(paymentStreamName(session.paymentId))).map((e) => e.type)).toEqual([
      'PaymentInitiated',
      'PaymentSucceeded',
      'PaymentAllocated',
    ]);
    expect(await invoiceAccount('inv-a1')).toEqual({
      status: 'paid',
      paid: 11800n,
      creditApplied: 0n,
      due: 0n,
    });
    expect(await creditBalance('tenant-a')).toBe(0n);
  });

  it('records one payment and one allocation when the same webhook arrives 20 times at once', async () => {
    await givenIssuedInvoice('tenant-b', 'inv-b1', '25000');
    const session = await initiate('tenant-b', 'init-b1', ['inv-b1'], xof('25000'));
    const notification = paid(session.paymentId, session.providerSessionId, xof('25000'));

    const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(notification)));
    expect(answers.every((a) => a.httpStatus === 200)).toBe(true);
    expect(answers.filter((a) => a.outcome === 'recorded')).toHaveLength(1);

    const types = (await events(paymentStreamName(session.paymentId))).map((e) => e.type);
    expect(types).toEqual(['PaymentInitiated', 'PaymentSucceeded', 'PaymentAllocated']);
    const applied = (await events(invoiceStreamName('inv-b1'))).filter(
      (e) => e.type === 'InvoicePaymentApplied',
    );
    expect(applied).toHaveLength(1);
    expect(await invoiceAccount('inv-b1')).toEqual({
      status: 'paid',
      paid: 25000n,
      creditApplied: 0n,
      due: 0n,
    });
    expect(await creditBalance('tenant-b')).toBe(0n);
  });

  it('never over-allocates an invoice two payments race for: the excess becomes credit', async () => {
    await givenIssuedInvoice('tenant-c', 'inv-c1', '10000');
    const first = await initiate('tenant-c', 'init-c1', ['inv-c1'], xof('10000'));
    const second = await initiate('tenant-c', 'init-c2', ['inv-c1'], xof('7000'));

    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        deliver(paid(first.paymentId, first.providerSessionId, xof('10000'))),
      ),
      ...Array.from({ length: 5 }, () =>
        deliver(paid(second.paymentId, second.providerSessionId, xof('7000'))),
      ),
    ]);
    expect(answers.every((a) => a.httpStatus === 200)).toBe(true);

    const account = await invoiceAccount('inv-c1');
    expect(account).toMatchObject({ paid: 10000n, due: 0n });
    // 17 000 received for a 10 000 invoice: exactly 7 000 is credit, whichever payment won.
    expect(await creditBalance('tenant-c')).toBe(7000n);
    const applied = (await events(invoiceStreamName('inv-c1'))).filter(
      (e) => e.type === 'InvoicePaymentApplied',
    );
    expect(applied.length).toBeLessThanOrEqual(2);
  });

  it('conserves money when six payments race over three invoices, each webhook delivered three times', async () => {
    const invoices = { 'inv-k1': 7000n, 'inv-k2': 5000n, 'inv-k3': 9000n };
    for (const [invoiceId, total] of Object.entries(invoices))
      await givenIssuedInvoice('tenant-k', invoiceId, total.toString());
    openInvoices = { 'tenant-k': Object.keys(invoices) };
    const plans: Array<[string[], bigint]> = [
      [['inv-k1'], 4000n],
      [['inv-k1', 'inv-k2'], 6000n],
      [['inv-k3'], 9000n],
      [['inv-k2'], 3000n],
      [['inv-k3', 'inv-k1'], 2500n],
      [['inv-k2'], 1500n],
    ];
    const sessions = [];
    for (const [index, [invoiceIds, amount]] of plans.entries()) {
      sessions.push({
        amount,
        session: await initiate('tenant-k', `init-k${index}`, invoiceIds, moneyOf(amount.toString(), 'XOF')),
      });
    }
    const deliveries = sessions.flatMap(({ amount, session }) =>
      Array.from({ length: 3 }, () =>
        paid(session.paymentId, session.providerSessionId, moneyOf(amount.toString(), 'XOF')),
      ),
    );
    const answers = await Promise.all(deliveries.map((notification) => deliver(notification)));
    expect(answers.every((a) => a.httpStatus === 200)).toBe(true);

    let settledTotal = 0n;
    for (const [invoiceId, total] of Object.entries(invoices)) {
      const account = await invoiceAccount(invoiceId);
      // Settled by payments and by the credit their excess became, never beyond the total.
      expect(account.paid + account.creditApplied + account.due).toBe(total);
      expect(account.due >= 0n).toBe(true);
      settledTotal += account.paid + account.creditApplied;
    }
    const received = plans.reduce((sum, [, amount]) => sum + amount, 0n);
    // Every franc received is on an invoice or in the tenant's credit, exactly once.
    expect(settledTotal + (await creditBalance('tenant-k'))).toBe(received);
    for (const { session } of sessions) {
      const types = (await events(paymentStreamName(session.paymentId))).map((e) => e.type);
      expect(types).toEqual(['PaymentInitiated', 'PaymentSucceeded', 'PaymentAllocated']);
    }
    openInvoices = {};
  });

  it('pays named invoices first, then the oldest, and credits an overpayment', async () => {
    await givenIssuedInvoice('tenant-d', 'inv-d-old', '3000', '2025-12-15');
    await givenIssuedInvoice('tenant-d', 'inv-d-new', '5000', '2026-03-01');
    openInvoices = { 'tenant-d': ['inv-d-new', 'inv-d-old'] };
    const session = await initiate('tenant-d', 'init-d1', ['inv-d-new'], xof('9000'));
    await deliver(paid(session.paymentId, session.providerSessionId, xof('9000')));
    expect(await invoiceAccount('inv-d-new')).toMatchObject({ status: 'paid', paid: 5000n });
    expect(await invoiceAccount('inv-d-old')).toMatchObject({ status: 'paid', paid: 3000n });
    expect(await creditBalance('tenant-d')).toBe(1000n);
    // Running the allocation again (a crash-recovery job) changes nothing.
    const again = await allocateReceivedPayment(deps, session.paymentId, testContext('allocate-again'));
    expect(again.ok).toBe(true);
    expect(await creditBalance('tenant-d')).toBe(1000n);
    openInvoices = {};
  });

  it('flags an amount that differs from the session and allocates nothing', async () => {
    await givenIssuedInvoice('tenant-e', 'inv-e1', '11800');
    const session = await initiate('tenant-e', 'init-e1', ['inv-e1'], xof('11800'));
    const handled = await deliver(paid(session.paymentId, session.providerSessionId, xof('100')));
    expect(handled).toMatchObject({ httpStatus: 200, outcome: 'flagged' });
    expect((await events(paymentStreamName(session.paymentId))).map((e) => e.type)).toEqual([
      'PaymentInitiated',
      'PaymentFlaggedForReview',
    ]);
    expect(await invoiceAccount('inv-e1')).toMatchObject({ status: 'issued', paid: 0n });

    // An accountant accepts what was really collected: it is allocated, the invoice partly paid.
    const accepted = await acceptFlaggedPayment(deps, session.paymentId, testContext('accept-e1'));
    expect(accepted.ok).toBe(true);
    expect(await invoiceAccount('inv-e1')).toMatchObject({
      status: 'partially_paid',
      paid: 100n,
      due: 11700n,
    });
  });

  it('answers 401, 401, 404 and 400 to forged, stale, unknown and malformed notifications, records nothing, logs each', async () => {
    await givenIssuedInvoice('tenant-f', 'inv-f1', '5000');
    const session = await initiate('tenant-f', 'init-f1', ['inv-f1'], xof('5000'));
    const genuine = paid(session.paymentId, session.providerSessionId, xof('5000'));
    const forged = {
      headers: {
        ...genuine.headers,
        [sandboxSignatureHeader]: `t=${now.getTime() / 1000},v1=${'0'.repeat(64)}`,
      },
      rawBody: genuine.rawBody,
    };
    const stale = genuine;
    const unknown = paid('pay-nobody', 'sbx-pay-nobody', xof('5000'));
    const malformedBody = '{"id":"EV","type":"checkout.session.completed","data":{}}';
    const before = securityLog.length;

    const answers = [
      await deliver(forged),
      await deliver(stale, new Date(now.getTime() + 10 * 60_000)),
      await deliver(unknown),
      await handlePaymentNotification(deps, 'sandbox', {
        // Genuinely signed, but not a checkout session Wave would send.
        headers: { [sandboxSignatureHeader]: timestampedSignatureHeader(secret, malformedBody, now) },
        rawBody: malformedBody,
        now,
      }),
      await handlePaymentNotification(deps, 'wave', {
        headers: genuine.headers,
        rawBody: genuine.rawBody,
        now,
      }),
    ];
    expect(answers.map((a) => [a.httpStatus, 'reason' in a ? a.reason : a.outcome])).toEqual([
      [401, 'bad_signature'],
      [401, 'stale_timestamp'],
      [404, 'unknown_session'],
      [400, 'malformed'],
      [404, 'provider_disabled'],
    ]);
    expect((await events(paymentStreamName(session.paymentId))).map((e) => e.type)).toEqual([
      'PaymentInitiated',
    ]);
    expect(securityLog.slice(before).map((entry) => entry.reason)).toEqual([
      'bad_signature',
      'stale_timestamp',
      'unknown_session',
      'malformed',
      'provider_disabled',
    ]);
    expect(JSON.stringify(securityLog)).not.toContain(secret);
  });

  it('refuses to open a payment for another tenant’s invoice', async () => {
    await givenIssuedInvoice('tenant-g', 'inv-g1', '5000');
    const outcome = await initiatePayment(
      deps,
      {
        tenantId: 'tenant-h',
        provider: 'sandbox',
        invoiceIds: ['inv-g1'],
        amount: xof('5000'),
        description: 'x',
      },
      testContext('init-h-steal'),
    );
    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'invoice_not_payable' } });
  });

  it('records a manual bank transfer and allocates it oldest first', async () => {
    await givenIssuedInvoice('tenant-i', 'inv-i1', '4000', '2025-12-20');
    openInvoices = { 'tenant-i': ['inv-i1'] };
    const outcome = await recordManualPayment(
      deps,
      {
        tenantId: 'tenant-i',
        method: 'bank_transfer',
        reference: 'VIR-0042',
        receivedOn: '2026-03-09',
        amount: xof('4500'),
        invoiceIds: [],
      },
      testContext('manual-i1'),
    );
    expect(outcome.ok).toBe(true);
    expect(await invoiceAccount('inv-i1')).toMatchObject({ status: 'paid', paid: 4000n });
    expect(await creditBalance('tenant-i')).toBe(500n);
    if (outcome.ok) expect((await loadPayment(t.store, outcome.value.paymentId)).status).toBe('succeeded');
    openInvoices = {};
  });
});

describe('Orange Money through the flow (Orange answered by a local stub)', () => {
  let stub: ProviderStub;
  let omDeps: PaymentFlowDependencies;
  let status = 'SUCCESS';
  const notifToken = 'dd497bda3b250e536186fc0663f32f40';

  beforeAll(async () => {
    stub = await startProviderStub({
      'POST /oauth/v3/token': () => ({
        status: 200,
        body: { token_type: 'Bearer', access_token: 'tok', expires_in: 7776000 },
      }),
      'POST /orange-money-webpay/sn/v1/webpayment': () => ({
        status: 201,
        body: {
          status: 201,
          message: 'OK',
          pay_token: 'om-pay-token-1',
          payment_url: 'https://webpayment.orange-money.com/payment/pay_token/om-pay-token-1',
          notif_token: notifToken,
        },
      }),
      'POST /orange-money-webpay/sn/v1/transactionstatus': () => ({
        status: 201,
        body: { status, order_id: 'x', txnid: 'MP260310.0900.A00001' },
      }),
    });
    const orange = createOrangeMoneyProvider({
      clientId: 'id',
      clientSecret: 'secret',
      merchantKey: 'mk',
      baseUrl: stub.baseUrl,
      country: 'sn',
      currency: 'XOF',
      merchantName: 'SmartQueue',
      fetch,
      now: () => now,
    });
    omDeps = { ...deps, providers: new Map<OnlineProvider, PaymentProvider>([['orange_money', orange]]) };
  });
  afterAll(async () => {
    await stub.close();
  });

  const omNotification = (paymentId: string, body: object) =>
    handlePaymentNotification(omDeps, 'orange_money', {
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify(body),
      now,
      routeReference: paymentId,
    });

  it('keeps only a hash of notif_token, refuses another token, and books after transactionstatus says SUCCESS', async () => {
    await givenIssuedInvoice('tenant-om', 'inv-om1', '11800');
    const opened = await initiatePayment(
      omDeps,
      {
        tenantId: 'tenant-om',
        provider: 'orange_money',
        invoiceIds: ['inv-om1'],
        amount: xof('11800'),
        description: 'Facture',
      },
      testContext('init-om1'),
    );
    if (!opened.ok) throw new Error(opened.refusal.message);
    const { paymentId } = opened.value;
    const initiated = (await events(paymentStreamName(paymentId)))[0]!;
    expect(JSON.stringify(initiated.data)).not.toContain(notifToken);
    const webpayment = stub.requests.find((r) => r.path.endsWith('/webpayment'))!;
    expect(JSON.parse(webpayment.body).notif_url).toBe(
      `http://127.0.0.1:3000/webhooks/payments/orange_money/${paymentId}`,
    );

    const forged = await omNotification(paymentId, {
      status: 'SUCCESS',
      notif_token: 'f'.repeat(32),
      txnid: 'MP1',
    });
    expect(forged).toMatchObject({ httpStatus: 401, reason: 'bad_signature' });

    status = 'PENDING';
    const early = await omNotification(paymentId, {
      status: 'SUCCESS',
      notif_token: notifToken,
      txnid: 'MP1',
    });
    expect(early).toMatchObject({ httpStatus: 503, outcome: 'not_confirmed' });
    expect((await events(paymentStreamName(paymentId))).map((e) => e.type)).toEqual(['PaymentInitiated']);

    status = 'SUCCESS';
    const landed = await omNotification(paymentId, {
      status: 'SUCCESS',
      notif_token: notifToken,
      txnid: 'MP1',
    });
    expect(landed).toMatchObject({ httpStatus: 200, outcome: 'recorded' });
    expect(await invoiceAccount('inv-om1')).toMatchObject({ status: 'paid', paid: 11800n });
    const succeeded = (await events(paymentStreamName(paymentId))).find((e) => e.type === 'PaymentSucceeded');
    expect(succeeded?.data).toMatchObject({ providerTransactionId: 'MP260310.0900.A00001' });

    // Orange delivers again: acknowledged without asking Orange a second time.
    const statusCalls = stub.requests.filter((r) => r.path.endsWith('/transactionstatus')).length;
    const again = await omNotification(paymentId, {
      status: 'SUCCESS',
      notif_token: notifToken,
      txnid: 'MP1',
    });
    expect(again).toMatchObject({ httpStatus: 200, outcome: 'already_recorded' });
    expect(stub.requests.filter((r) => r.path.endsWith('/transactionstatus'))).toHaveLength(statusCalls);
  });
});
