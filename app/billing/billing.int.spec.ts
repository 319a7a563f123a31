/**
 * Proves the billing use cases on the PostgreSQL event store: a trial that converts and is invoiced
 * at renewal with TVA 18 % and gapless numbers, an upgrade billed by its proration, a preview that
 * commits nothing, an immediate cancellation credited, and retries with the same key that record
 * nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIssued } from '../../domain/invoice/invoice.ts';
import { moneyOf } from '../../domain/money/index.ts';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { testContext } from '../../test/support/context.ts';
import { publishDefaultCatalog } from './catalog.ts';
import { loadInvoiceState, voidDraft } from './invoicing.ts';
import {
  attachPaymentMethod,
  cancelSubscription,
  changeInvoiceId,
  changePlan,
  endTrial,
  invoiceTrialUpfront,
  loadSubscription,
  periodInvoiceId,
  previewPlanChange,
  renewSubscription,
  startSubscription,
} from './subscriptions.ts';
import { closeTenant, reactivateTenant, registerTenant, suspendTenant } from './tenants.ts';
import { handleCommand } from '../command-handler.ts';
import { subscriptionDecider } from '../../domain/subscription/subscription.decide.ts';
import { recordManualPayment } from '../payments/flow.ts';

let db: TestEventStore;

async function eventCount(): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events');
  return Number(rows[0]!.n);
}

const at = (date: string) => ({ occurredAt: `${date}T09:00:00.000Z` });

async function givenTenant(tenantId: string) {
  const outcome = await registerTenant(
    { store: db.store },
    {
      tenantId,
      details: {
        legalName: `Clinique ${tenantId}`,
        taxId: '0012345672G3',
        tradeRegisterNumber: 'SN-DKR-2020-B-12345',
        address: { line1: 'Route de Ouakam', city: 'Dakar' },
        country: 'SN',
        billingCurrency: 'XOF',
        billingEmail: `compta@${tenantId}.sn`,
        billingPhone: '+221771234567',
      },
    },
    testContext(`register-${tenantId}`, at('2026-01-01')),
  );
  expect(outcome.ok).toBe(true);
}

beforeAll(async () => {
  db = await freshEventStore('postgres');
  const catalog = await publishDefaultCatalog(
    { store: db.store },
    {},
    testContext('catalog', at('2026-01-01')),
  );
  expect(catalog.ok).toBe(true);
});

afterAll(async () => {
  await db.close();
});

describe('billing use cases', () => {
  it('publishing the default catalog again, under any key, records nothing', async () => {
    const before = await eventCount();
    const again = await publishDefaultCatalog(
      { store: db.store },
      {},
      testContext('catalog-2', at('2026-01-02')),
    );
    expect(again).toMatchObject({
      ok: true,
      value: { published: [], alreadyPublished: ['essential', 'professional', 'enterprise'] },
    });
    expect(await eventCount()).toBe(before);
  });

  it('a trial converts with a payment method on file and is invoiced at renewal with TVA 18 % and gapless numbers', async () => {
    const deps = { store: db.store };
    await givenTenant('t1');
    const started = await startSubscription(
      deps,
      {
        subscriptionId: 's1',
        tenantId: 't1',
        planCode: 'essential',
        interval: 'monthly',
        trial: true,
        today: '2026-01-05',
      },
      testContext('start-s1', at('2026-01-05')),
    );
    expect(started).toMatchObject({ ok: true, value: { status: 'trialing', invoices: [] } });
    expect(
      (
        await attachPaymentMethod(
          deps,
          { subscriptionId: 's1', paymentMethodId: 'wave-221771234567', today: '2026-01-10' },
          testContext('pm-s1'),
        )
      ).ok,
    ).toBe(true);

    const converted = await endTrial(
      deps,
      { subscriptionId: 's1', today: '2026-01-19' },
      testContext('trial-s1', at('2026-01-19')),
    );
    expect(converted).toMatchObject({ ok: true, value: { status: 'active' } });
    const first = await loadInvoiceState(deps, periodInvoiceId('s1', '2026-01-19'));
    expect(isIssued(first)).toBe(true);
    if (!isIssued(first)) return;
    expect(first.invoice).toMatchObject({
      number: 'F-2026-000001',
      issuedOn: '2026-01-19',
      dueOn: '2026-02-03',
      taxRatePercent: '18',
      subtotal: moneyOf('15000', 'XOF'),
      tax: moneyOf('2700', 'XOF'),
      total: moneyOf('17700', 'XOF'),
    });

    const renewed = await renewSubscription(
      deps,
      { subscriptionId: 's1', today: '2026-02-19' },
      testContext('renew-s1', at('2026-02-19')),
    );
    expect(renewed.ok).toBe(true);
    const second = await loadInvoiceState(deps, periodInvoiceId('s1', '2026-02-19'));
    expect(isIssued(second) && second.invoice.number).toBe('F-2026-000002');
    expect(isIssued(second) && second.invoice.total).toEqual(moneyOf('17700', 'XOF'));
  });

  it('an upgrade on day 16 of a 30-day period bills −7 500 unused, +22 500 remaining, plus TVA; the preview commits nothing', async () => {
    const deps = { store: db.store };
    await givenTenant('t2');
    const started = await startSubscription(
      deps,
      {
        subscriptionId: 's2',
        tenantId: 't2',
        planCode: 'essential',
        interval: 'monthly',
        trial: false,
        today: '2026-04-01',
      },
      testContext('start-s2', at('2026-04-01')),
    );
    expect(started.ok && started.value.invoices.map((i) => i.number)).toEqual(['F-2026-000003']);

    const before = await eventCount();
    const preview = await previewPlanChange(deps, {
      subscriptionId: 's2',
      planCode: 'professional',
      interval: 'monthly',
      today: '2026-04-16',
    });
    expect(preview).toMatchObject({
      ok: true,
      value: {
        direction: 'upgrade',
        timing: 'immediately',
        proration: {
          usedDays: 15,
          remainingDays: 15,
          credit: { amountMinor: '7500' },
          charge: { amountMinor: '22500' },
          net: { amountMinor: '15000' },
        },
      },
    });
    expect(await eventCount()).toBe(before);

    const changed = await changePlan(
      deps,
      { subscriptionId: 's2', planCode: 'professional', interval: 'monthly', today: '2026-04-16' },
      testContext('change-s2', at('2026-04-16')),
    );
    expect(changed).toMatchObject({ ok: true, value: { timing: 'immediately' } });
    const state = await loadSubscription(deps, 's2');
    const revision = 1n; // SubscriptionStarted is 0, PlanChanged 1.
    expect(state.status).toBe('active');
    const proration = await loadInvoiceState(deps, changeInvoiceId('s2', revision));
    expect(isIssued(proration)).toBe(true);
    if (!isIssued(proration)) return;
    expect(proration.invoice.lines.map((l) => l.amount.amountMinor)).toEqual([-7500n, 22500n]);
    expect(proration.invoice).toMatchObject({
      number: 'F-2026-000004',
      subtotal: moneyOf('15000', 'XOF'),
      tax: moneyOf('2700', 'XOF'),
    });

    // A downgrade waits for the period end and bills nothing now.
    const down = await changePlan(
      deps,
      { subscriptionId: 's2', planCode: 'essential', interval: 'monthly', today: '2026-04-20' },
      testContext('down-s2', at('2026-04-20')),
    );
    expect(down).toMatchObject({ ok: true, value: { timing: 'at_period_end', invoices: [] } });
  });

  it('a retried use case with the same key records nothing twice', async () => {
    const deps = { store: db.store };
    await givenTenant('t3');
    const input = {
      subscriptionId: 's3',
      tenantId: 't3',
      planCode: 'professional',
      interval: 'monthly' as const,
      trial: false,
      today: '2026-04-21',
    };
    const first = await startSubscription(deps, input, testContext('start-s3', at('2026-04-21')));
    const after = await eventCount();
    const again = await startSubscription(deps, input, testContext('start-s3', at('2026-04-21')));
    expect(await eventCount()).toBe(after);
    expect(again.ok && again.value.invoices.map((i) => i.number)).toEqual(
      first.ok ? first.value.invoices.map((i) => i.number) : null,
    );

    const cancel = {
      subscriptionId: 's3',
      mode: 'immediately' as const,
      reason: 'customer_request' as const,
      today: '2026-05-06',
    };
    const canceled = await cancelSubscription(deps, cancel, testContext('cancel-s3', at('2026-05-06')));
    expect(canceled).toMatchObject({
      ok: true,
      value: { status: 'canceled', creditNotes: ['AV-2026-000001'] },
    });
    const afterCancel = await eventCount();
    const replay = await cancelSubscription(deps, cancel, testContext('cancel-s3', at('2026-05-06')));
    expect(replay).toMatchObject({ ok: true, value: { creditNotes: ['AV-2026-000001'] } });
    expect(await eventCount()).toBe(afterCancel);
  });

  it('a renewal interrupted after SubscriptionRenewed is completed by a retry, once, with the next number', async () => {
    const deps = { store: db.store };
    await givenTenant('t4');
    await startSubscription(
      deps,
      {
        subscriptionId: 's4',
        tenantId: 't4',
        planCode: 'essential',
        interval: 'monthly',
        trial: false,
        today: '2026-05-07',
      },
      testContext('start-s4', at('2026-05-07')),
    );
    // The crash: the subscription renewed under the use case's step key, and nothing was billed.
    const crashed = await handleCommand(
      db.store,
      subscriptionDecider,
      'subscription-s4',
      { type: 'RenewSubscription', subscriptionId: 's4', today: '2026-06-07' },
      testContext('renew-s4:renew:2026-06-07', at('2026-06-07')),
    );
    expect(crashed.ok).toBe(true);
    expect((await loadInvoiceState(deps, periodInvoiceId('s4', '2026-06-07'))).status).toBe('none');

    const retried = await renewSubscription(
      deps,
      { subscriptionId: 's4', today: '2026-06-07' },
      testContext('renew-s4', at('2026-06-07')),
    );
    expect(retried.ok && retried.value.invoices.map((i) => i.invoiceId)).toContain(
      periodInvoiceId('s4', '2026-06-07'),
    );
    const billed = await loadInvoiceState(deps, periodInvoiceId('s4', '2026-06-07'));
    expect(isIssued(billed) && billed.invoice.number).toMatch(/^F-2026-\d{6}$/);
    const after = await eventCount();
    // Another caller (the next day's job, another key) finds everything billed and records nothing.
    await renewSubscription(
      deps,
      { subscriptionId: 's4', today: '2026-06-08' },
      testContext('another-key', at('2026-06-08')),
    );
    expect(await eventCount()).toBe(after);
  });

  it('a trial whose first invoice was paid converts on that payment at its end, and the period is billed once', async () => {
    const deps = { store: db.store };
    await givenTenant('t5');
    await startSubscription(
      deps,
      {
        subscriptionId: 's5',
        tenantId: 't5',
        planCode: 'essential',
        interval: 'monthly',
        trial: true,
        today: '2026-06-10',
      },
      testContext('start-s5', at('2026-06-10')),
    );
    const upfront = await invoiceTrialUpfront(
      deps,
      { subscriptionId: 's5', today: '2026-06-12' },
      testContext('upfront-s5', at('2026-06-12')),
    );
    expect(upfront.ok).toBe(true);
    if (!upfront.ok) return;
    const paid = await recordManualPayment(
      {
        store: db.store,
        providers: new Map(),
        publicBaseUrl: 'http://localhost',
        openInvoiceIds: async () => [upfront.value.invoiceId],
        calendarDate: async () => '2026-06-12',
        securityLog: () => {},
        now: () => new Date('2026-06-12T10:00:00.000Z'),
      },
      {
        tenantId: 't5',
        method: 'bank_transfer',
        reference: 'VIR-0001',
        receivedOn: '2026-06-12',
        amount: moneyOf('17700', 'XOF'),
        invoiceIds: [upfront.value.invoiceId],
      },
      testContext('pay-s5', at('2026-06-12')),
    );
    expect(paid.ok).toBe(true);
    const ended = await endTrial(
      deps,
      { subscriptionId: 's5', today: '2026-06-24' },
      testContext('end-s5', at('2026-06-24')),
    );
    expect(ended).toMatchObject({ ok: true, value: { status: 'active' } });
    const { rows } = await db.pool.query<{ trigger: string }>(
      `SELECT data->>'trigger' AS trigger FROM ledger_events WHERE stream_name = 'subscription-s5' AND event_type = 'TrialConverted'`,
    );
    expect(rows).toEqual([{ trigger: 'first_invoice_paid' }]);
    const drafted = await db.pool.query(
      `SELECT 1 FROM ledger_events WHERE event_type = 'InvoiceDrafted' AND data->>'invoiceId' LIKE 's5_%'`,
    );
    expect(drafted.rowCount).toBe(1);
  });

  it('a paid period canceled at once is credited to the balance, which the next invoice takes', async () => {
    const deps = { store: db.store };
    await givenTenant('t6');
    const started = await startSubscription(
      deps,
      {
        subscriptionId: 's6',
        tenantId: 't6',
        planCode: 'essential',
        interval: 'monthly',
        trial: false,
        today: '2026-09-01',
      },
      testContext('start-s6', at('2026-09-01')),
    );
    expect(started.ok).toBe(true);
    const invoiceId = periodInvoiceId('s6', '2026-09-01');
    const flow = {
      store: db.store,
      providers: new Map(),
      publicBaseUrl: 'http://localhost',
      openInvoiceIds: async () => [invoiceId],
      calendarDate: async () => '2026-09-02',
      securityLog: () => {},
      now: () => new Date('2026-09-02T10:00:00.000Z'),
    };
    const paid = await recordManualPayment(
      flow,
      {
        tenantId: 't6',
        method: 'cash',
        reference: 'REC-6',
        receivedOn: '2026-09-02',
        amount: moneyOf('17700', 'XOF'),
        invoiceIds: [invoiceId],
      },
      testContext('pay-s6', at('2026-09-02')),
    );
    expect(paid.ok).toBe(true);
    // 15 of 30 days unused: 7 500 net, 1 350 TVA, all already paid, so 8 850 goes to the balance.
    const canceled = await cancelSubscription(
      deps,
      { subscriptionId: 's6', mode: 'immediately', reason: 'customer_request', today: '2026-09-16' },
      testContext('cancel-s6', at('2026-09-16')),
    );
    expect(canceled.ok && canceled.value.creditNotes.length).toBe(1);
    const restarted = await startSubscription(
      deps,
      {
        subscriptionId: 's6b',
        tenantId: 't6',
        planCode: 'essential',
        interval: 'monthly',
        trial: false,
        today: '2026-09-17',
      },
      testContext('start-s6b', at('2026-09-17')),
    );
    expect(restarted.ok && restarted.value.invoices[0]?.creditApplied).toEqual(moneyOf('8850', 'XOF'));
    const next = await loadInvoiceState(deps, periodInvoiceId('s6b', '2026-09-17'));
    expect(isIssued(next) && next.account.amountDue).toEqual(moneyOf('8850', 'XOF'));
  });

  it('tenants: invalid input names the field; a suspended tenant buys nothing until reactivated; closed is final; only a draft is voided', async () => {
    const deps = { store: db.store };
    const invalid = await registerTenant(
      deps,
      {
        tenantId: 'bad',
        details: {
          legalName: 'Sans NINEA',
          taxId: 'ABC',
          tradeRegisterNumber: 'SN-DKR-2020-B-1',
          address: { line1: 'x', city: 'Dakar' },
          country: 'SN',
          billingCurrency: 'XOF',
          billingEmail: 'a@b.sn',
          billingPhone: '+221771234567',
        },
      },
      testContext('register-bad'),
    );
    expect(invalid).toMatchObject({ ok: false, refusal: { code: 'tenant_field_invalid', field: 'taxId' } });

    await givenTenant('t7');
    expect(
      (await suspendTenant(deps, { tenantId: 't7', reason: 'non_payment' }, testContext('suspend-t7'))).ok,
    ).toBe(true);
    const refused = await startSubscription(
      deps,
      {
        subscriptionId: 's7',
        tenantId: 't7',
        planCode: 'essential',
        interval: 'monthly',
        trial: true,
        today: '2026-09-20',
      },
      testContext('start-s7', at('2026-09-20')),
    );
    expect(refused).toMatchObject({ ok: false, refusal: { code: 'tenant_not_active' } });
    expect((await reactivateTenant(deps, { tenantId: 't7' }, testContext('reactivate-t7'))).ok).toBe(true);
    expect(
      (await closeTenant(deps, { tenantId: 't7', reason: 'customer_request' }, testContext('close-t7'))).ok,
    ).toBe(true);
    expect(
      await reactivateTenant(deps, { tenantId: 't7' }, testContext('reactivate-t7-again')),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'tenant_closed' },
    });

    const issued = periodInvoiceId('s6', '2026-09-01');
    expect(
      await voidDraft(deps, { invoiceId: issued, reason: 'erreur' }, testContext('void-issued')),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'invoice_not_draft' },
    });
  });
});
