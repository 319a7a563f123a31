// Proves the overdue page's dunning commands through the HTTP API on PostgreSQL: an operator
// reminds a tenant of one overdue invoice or of all of them (the reminder names its sender and
// channel and counts in the risk score), records a promise to pay that the overdue list then shows
// (active, kept once paid, broken once its day is over), and every refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billInvoice } from '../../../app/billing/invoicing.ts';
import { moneyOf } from '../../../domain/money/index.ts';
import { dunningOfTenants } from '../../../projections/dunning/dunning.queries.ts';
import { readStreamEvents } from '../../streams.ts';
import { type Caller, givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
let accountant: Caller;

/** An invoice of 45 000 FCFA before TVA (53 100 with it), issued on a day of the simulated past. */
async function givenInvoice(invoiceId: string, tenantId: string, issuedOn: string): Promise<void> {
  const outcome = await billInvoice(
    { store: api.ledger.store },
    {
      invoiceId,
      tenantId,
      issuedOn,
      lines: [
        {
          lineId: 'line-1',
          kind: 'one_off',
          description: 'Installation et formation',
          quantity: '1',
          unitPrice: moneyOf('45000', 'XOF'),
          period: null,
        },
      ],
    },
    {
      idempotencyKey: `given:${invoiceId}`,
      actor: { kind: 'user', id: 'test' },
      correlationId: invoiceId,
      causationId: null,
      occurredAt: `${issuedOn}T09:00:00.000Z`,
    },
  );
  if (!outcome.ok) throw new Error(`billing ${invoiceId} refused: ${outcome.refusal.code}`);
}

const post = (caller: Caller, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  caller.inject({ method: 'POST', url, payload: payload as object, headers });

async function dunningEvents(invoiceId: string) {
  const events = await readStreamEvents(api.ledger, `dunning-${invoiceId}`);
  return events.map((e) => ({ event_type: e.type, data: e.data as Record<string, unknown> }));
}

// The API's clock says 2026-11-25 (testNow); the tenants' payment terms are 15 days.
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a', 'Clinique Almadies SARL');
  await givenTenant(api, 'tenant-b', 'Banque Sahel SA');
  // In issue order: numbers are gapless and dated in order.
  await givenInvoice('inv-b1', 'tenant-b', '2026-09-01'); // due 2026-09-16
  await givenInvoice('inv-a1', 'tenant-a', '2026-10-01'); // due 2026-10-16: 40 days late
  await givenInvoice('inv-b2', 'tenant-b', '2026-10-05'); // due 2026-10-20
  await givenInvoice('inv-b3', 'tenant-b', '2026-11-15'); // due 2026-11-30: not yet due
  await givenInvoice('inv-a2', 'tenant-a', '2026-11-20'); // due 2026-12-05: not yet due
  await api.project();
  accountant = await api.signedIn('accountant');
}, 60_000);

afterAll(async () => {
  await api.close();
});

describe('a reminder for one overdue invoice', () => {
  it('records who sent it and how, answers its position, and counts in the risk score', async () => {
    const response = await post(
      accountant,
      '/api/v1/invoices/inv-a1/reminders',
      { channel: 'sms', note: 'Relance après appel du DAF' },
      { 'idempotency-key': 'remind-a1' },
    );
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      events: [{ type: 'ReminderSent' }],
      replayed: false,
      reminders: [{ invoiceId: 'inv-a1', sentOn: '2026-11-25', channel: 'sms', daysAfterDue: 40 }],
      skipped: [],
    });
    expect(body.position).toEqual(expect.any(String));
    const [event] = await dunningEvents('inv-a1');
    expect(event).toMatchObject({
      event_type: 'ReminderSent',
      data: {
        trigger: 'operator',
        stage: null,
        channel: 'sms',
        sentBy: { kind: 'user', id: accountant.userId },
        note: 'Relance après appel du DAF',
        amountDue: { amountMinor: '53100', currency: 'XOF' },
      },
    });

    const again = await post(
      accountant,
      '/api/v1/invoices/inv-a1/reminders',
      { channel: 'sms', note: 'Relance après appel du DAF' },
      { 'idempotency-key': 'remind-a1' },
    );
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().position).toBe(body.position);

    // Read-your-writes: the list waits for the projections to reach the reminder, then answers 503.
    const riskUrl = `/api/v1/overdue-risk/tenant-a?minPosition=${encodeURIComponent(body.position)}`;
    const behind = await accountant.inject({ method: 'GET', url: riskUrl });
    expect([behind.statusCode, behind.headers['retry-after']]).toEqual([503, '1']);
    await api.project();
    const risk = await accountant.inject({ method: 'GET', url: riskUrl });
    expect(risk.statusCode).toBe(200);
    const factors = risk.json().factors as { factor: string; observed: string; points: number }[];
    expect(factors.find((f) => f.factor === 'reminders_sent')).toMatchObject({ observed: '1', points: 1 });
    expect(risk.json().dunning.lastReminder).toEqual({
      invoiceId: 'inv-a1',
      trigger: 'operator',
      channel: 'sms',
      sentOn: '2026-11-25',
      sentBy: { kind: 'user', id: accountant.userId },
    });
  });

  it('refuses a second reminder the same day, and an invoice not yet due, recording nothing', async () => {
    const before = await api.eventCount();
    const twice = await post(accountant, '/api/v1/invoices/inv-a1/reminders', { channel: 'email' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'reminder_sent_today', status: 409 });
    const early = await post(accountant, '/api/v1/invoices/inv-a2/reminders', {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('invoice_not_overdue');
    expect(await api.eventCount()).toBe(before);
  });

  it('answers 400 for a channel or a field it does not know, 404 for an unknown invoice', async () => {
    const fax = await post(accountant, '/api/v1/invoices/inv-a1/reminders', { channel: 'fax' });
    expect(fax.statusCode).toBe(400);
    expect(fax.json().errors).toEqual([expect.objectContaining({ in: 'body', field: 'channel' })]);
    const extra = await post(accountant, '/api/v1/invoices/inv-a1/reminders', {
      channel: 'sms',
      urgent: true,
    });
    expect(extra.statusCode).toBe(400);
    const long = await post(accountant, '/api/v1/invoices/inv-a1/reminders', { note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    const unknown = await post(accountant, '/api/v1/invoices/inv-nope/reminders', {});
    expect(unknown.statusCode).toBe(404);
  });
});

describe('reminders for all of a tenant’s overdue invoices', () => {
  it('reminds each invoice past its due date, oldest first, and not the one still running', async () => {
    const admin = await api.signedIn('superadmin');
    const response = await post(admin, '/api/v1/overdue-risk/tenant-b/reminders', { channel: 'phone' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      events: [{ type: 'ReminderSent' }, { type: 'ReminderSent' }],
      reminders: [
        { invoiceId: 'inv-b1', daysAfterDue: 70, channel: 'phone' },
        { invoiceId: 'inv-b2', daysAfterDue: 36, channel: 'phone' },
      ],
      skipped: [],
    });
    expect(await dunningEvents('inv-b3')).toEqual([]);

    const again = await post(admin, '/api/v1/overdue-risk/tenant-b/reminders', { channel: 'email' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('reminder_sent_today');

    await api.project();
    const risk = (await admin.inject({ method: 'GET', url: '/api/v1/overdue-risk/tenant-b' })).json();
    expect(risk.factors.find((f: { factor: string }) => f.factor === 'reminders_sent').observed).toBe('2');
  });

  it('answers 404 for an unknown tenant and 409 for a tenant with nothing overdue', async () => {
    expect((await post(accountant, '/api/v1/overdue-risk/tenant-zz/reminders', {})).statusCode).toBe(404);
    await givenTenant(api, 'tenant-c', 'Mairie de Thiès');
    const none = await post(accountant, '/api/v1/overdue-risk/tenant-c/reminders', {});
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('tenant_not_overdue');
  });
});

describe('a promise to pay', () => {
  const url = '/api/v1/invoices/inv-a1/payment-promises';

  it('is recorded with its date, amount, note and operator, and the overdue list shows it active', async () => {
    const response = await post(accountant, url, {
      promisedOn: '2026-12-05',
      amountMinor: '30000',
      note: 'Virement après la clôture du mois',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      events: [{ type: 'PaymentPromised' }],
      promise: {
        invoiceId: 'inv-a1',
        promisedOn: '2026-12-05',
        amount: { amountMinor: '30000', currency: 'XOF' },
      },
    });
    const events = await dunningEvents('inv-a1');
    expect(events.at(-1)).toMatchObject({
      event_type: 'PaymentPromised',
      data: {
        recordedOn: '2026-11-25',
        recordedBy: { kind: 'user', id: accountant.userId },
        amountDue: { amountMinor: '53100' },
        note: 'Virement après la clôture du mois',
      },
    });

    await api.project();
    const list = await accountant.inject({
      method: 'GET',
      url: `/api/v1/overdue-risk?minPosition=${encodeURIComponent(body.position)}`,
    });
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((i: { tenantId: string }) => i.tenantId === 'tenant-a');
    expect(row.dunning.promise).toMatchObject({
      invoiceId: 'inv-a1',
      promisedOn: '2026-12-05',
      amountMinor: '30000',
      paidSinceMinor: '0',
      status: 'active',
    });
    expect(row.dunning.overdueInvoices).toEqual([
      expect.objectContaining({ invoiceId: 'inv-a1', dueOn: '2026-10-16', amountDueMinor: '53100' }),
    ]);
    expect(row.dunning.overdueInvoices[0].promise.status).toBe('active');
    // Days later, unpaid, the same promise reads as broken.
    const later = await dunningOfTenants(api.ledger.db, ['tenant-a'], '2026-12-06');
    expect(later.get('tenant-a')?.promise?.status).toBe('broken');
  });

  it('reads as kept once the promised amount has been paid', async () => {
    const payment = await post(accountant, '/api/v1/payments/manual', {
      tenantId: 'tenant-a',
      method: 'bank_transfer',
      reference: 'VIR-2026-1125',
      receivedOn: '2026-11-25',
      amount: { amountMinor: '30000', currency: 'XOF' },
      invoiceIds: ['inv-a1'],
    });
    expect(payment.statusCode).toBe(201);
    await api.project();
    const later = await dunningOfTenants(api.ledger.db, ['tenant-a'], '2026-12-06');
    expect(later.get('tenant-a')?.promise).toMatchObject({
      status: 'kept',
      paidSinceMinor: '30000',
      amountDueMinor: '23100',
    });
  });

  it('refuses, from the top rule down, with the field at fault, recording nothing', async () => {
    const before = await api.eventCount();
    const cases: [string, unknown, string, string | undefined][] = [
      [
        '/api/v1/invoices/inv-a2/payment-promises',
        { promisedOn: '2026-12-01', amountMinor: '1' },
        'invoice_not_overdue',
        undefined,
      ],
      [url, { promisedOn: '2026-11-24', amountMinor: '1000' }, 'promise_date_in_past', 'promisedOn'],
      [url, { promisedOn: '2027-02-24', amountMinor: '1000' }, 'promise_date_too_far', 'promisedOn'],
      [url, { promisedOn: '2026-11-25', amountMinor: '0' }, 'promise_amount_not_positive', 'amountMinor'],
      [url, { promisedOn: '2026-11-25', amountMinor: '23101' }, 'promise_amount_above_due', 'amountMinor'],
    ];
    for (const [path, payload, code, field] of cases) {
      const response = await post(accountant, path, payload);
      expect([response.statusCode, response.json().code, response.json().field]).toEqual([409, code, field]);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('answers 400 for a malformed date or amount, 404 for an unknown invoice', async () => {
    for (const payload of [
      { promisedOn: 'next week', amountMinor: '1000' },
      { promisedOn: '2026-12-01', amountMinor: '-5' },
      { promisedOn: '2026-12-01', amountMinor: 1000 },
      { promisedOn: '2026-12-01' },
    ]) {
      const response = await post(accountant, url, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    const field = (await post(accountant, url, { promisedOn: '2026-13-01', amountMinor: '1' })).json();
    expect(field.errors).toEqual([expect.objectContaining({ field: 'promisedOn' })]);
    const unknown = await post(accountant, '/api/v1/invoices/inv-nope/payment-promises', {
      promisedOn: '2026-12-01',
      amountMinor: '1',
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('who may act', () => {
  const routes: [string, unknown][] = [
    ['/api/v1/invoices/inv-b2/reminders', { channel: 'email' }],
    ['/api/v1/overdue-risk/tenant-b/reminders', { channel: 'email' }],
    ['/api/v1/invoices/inv-b2/payment-promises', { promisedOn: '2026-12-01', amountMinor: '1000' }],
  ];

  it('refuses the anonymous, auditors, tenant admins (even their own tenant’s) and API tokens', async () => {
    const before = await api.eventCount();
    const callers: [Caller, number][] = [
      [api.anonymous, 401],
      [await api.signedIn('auditor'), 403],
      [await api.signedIn('tenant_admin', 'tenant-b'), 403],
      [await api.signedIn('tenant_admin', 'tenant-a'), 403],
      [await api.withToken('tenant-b', ['invoices:read', 'payments:initiate']), 403],
    ];
    for (const [path, payload] of routes) {
      for (const [caller, status] of callers) {
        expect((await post(caller, path, payload)).statusCode, `${path} ${status}`).toBe(status);
      }
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('lets auditors read the overdue list with its dunning, and refuses tenant admins', async () => {
    const auditor = await api.signedIn('auditor');
    const list = await auditor.inject({ method: 'GET', url: '/api/v1/overdue-risk' });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((i: { tenantId: string }) => i.tenantId)
        .sort(),
    ).toEqual(['tenant-a', 'tenant-b']);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect((await tenantAdmin.inject({ method: 'GET', url: '/api/v1/overdue-risk' })).statusCode).toBe(403);
  });
});
