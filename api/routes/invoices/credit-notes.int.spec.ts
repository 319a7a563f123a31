// Proves POST /api/v1/invoices/:invoiceId/credit-notes through the real HTTP server on PostgreSQL:
// a credit note gets the next gapless AV number and lowers what is due (a full one credits the
// invoice), never credits more than is left, replays by Idempotency-Key, honours If-Match, and is
// refused with a problem and no event to invalid input, anonymous callers and roles without
// invoices:write, whichever tenant's invoice they name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, givenIssuedInvoice, givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
let accountant: Caller;

// Each invoice of the fixture: 40 000 XOF HT, 7 200 XOF TVA (18 %), 47 200 XOF TTC.
const xof = (amountMinor: string) => ({ amountMinor, currency: 'XOF' });
const partial = (amountMinor: string) => ({ kind: 'partial', net: xof(amountMinor) });

beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  for (const [invoiceId, tenantId, number] of [
    ['inv-partial', 'tenant-a', 'F-2026-000001'],
    ['inv-full', 'tenant-a', 'F-2026-000002'],
    ['inv-other', 'tenant-b', 'F-2026-000003'],
    ['inv-keyed', 'tenant-b', 'F-2026-000004'],
  ] as const) {
    await givenIssuedInvoice(api, { invoiceId, tenantId, number });
  }
  accountant = await api.signedIn('accountant');
});
afterAll(async () => {
  await api.close();
});

const issue = (caller: Caller, invoiceId: string, payload: unknown, headers: Record<string, string> = {}) =>
  caller.inject({
    method: 'POST',
    url: `/api/v1/invoices/${invoiceId}/credit-notes`,
    payload: payload as object,
    headers,
  });

describe('issuing a credit note', () => {
  it('numbers a partial credit note in the AV series, adds the TVA and lowers the amount due', async () => {
    const first = await issue(accountant, 'inv-partial', {
      reason: 'Geste commercial',
      credit: partial('10000'),
    });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body.creditNote).toMatchObject({
      number: 'AV-2026-000001',
      issuedOn: '2026-11-25',
      reason: 'Geste commercial',
      net: xof('10000'),
      tax: xof('1800'),
      total: xof('11800'),
    });
    expect(body.invoice).toMatchObject({ status: 'issued', amountDue: xof('35400') });
    expect(body.toCustomerBalance).toEqual(xof('0'));
    expect(body.position).toMatch(/\d/);

    const read = await accountant.inject({ method: 'GET', url: '/api/v1/invoices/inv-partial' });
    expect(read.json().amountDue).toEqual(xof('35400'));
    expect(read.json().creditNotes).toEqual([body.creditNote]);
    expect(read.headers.etag).toBe(`"${body.invoice.revision}"`);

    // The next credit note takes the next number: the series has no gap.
    const second = await issue(accountant, 'inv-partial', {
      reason: 'Second geste',
      credit: partial('5000'),
    });
    expect(second.json().creditNote.number).toBe('AV-2026-000002');
    await api.project();
    const listed = await accountant.inject({
      method: 'GET',
      url: '/api/v1/credit-notes?invoiceId=inv-partial',
    });
    expect(
      listed
        .json()
        .items.map((c: { number: string }) => c.number)
        .sort(),
    ).toEqual(['AV-2026-000001', 'AV-2026-000002']);
  });

  it('credits everything left with a full credit note: the invoice is credited, nothing is due', async () => {
    const admin = await api.signedIn('superadmin');
    const response = await issue(admin, 'inv-full', {
      reason: 'Facture émise par erreur',
      credit: { kind: 'full' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().creditNote).toMatchObject({
      net: xof('40000'),
      tax: xof('7200'),
      total: xof('47200'),
    });
    expect(response.json().invoice).toMatchObject({ status: 'credited', amountDue: xof('0') });
    const read = await admin.inject({ method: 'GET', url: '/api/v1/invoices/inv-full' });
    expect(read.json()).toMatchObject({ status: 'credited', amountDue: xof('0') });

    const again = await issue(admin, 'inv-full', { reason: 'Encore', credit: partial('1') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      type: '/api/problems/business-rule',
      code: 'invoice_fully_credited',
    });
  });

  it('refuses to credit more than is left with 409 and the domain code, recording nothing', async () => {
    // inv-partial has 40 000 − 10 000 − 5 000 = 25 000 XOF HT left to credit.
    const before = await api.eventCount();
    const response = await issue(accountant, 'inv-partial', { reason: 'Trop', credit: partial('25001') });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      type: '/api/problems/business-rule',
      code: 'credit_exceeds_invoice',
      field: 'credit.net',
    });
    const wrongCurrency = await issue(accountant, 'inv-partial', {
      reason: 'Devise',
      credit: { kind: 'partial', net: { amountMinor: '100', currency: 'EUR' } },
    });
    expect(wrongCurrency.json()).toMatchObject({ code: 'currency_mismatch', field: 'credit.net' });
    expect(await api.eventCount()).toBe(before);
  });

  it('answers invalid input with 400 and the fields at fault, recording nothing', async () => {
    const before = await api.eventCount();
    const cases: [unknown, string][] = [
      [{ reason: '  ', credit: partial('100') }, 'reason'],
      [{ reason: 'x', credit: partial('10.5') }, 'credit.net.amountMinor'],
      [{ reason: 'x', credit: { kind: 'half' } }, 'credit.kind'],
      [{ reason: 'x', credit: partial('100'), issuedOn: '2026-01-01' }, 'issuedOn'],
    ];
    for (const [payload, field] of cases) {
      const response = await issue(accountant, 'inv-partial', payload);
      expect(response.statusCode, field).toBe(400);
      expect(response.json().type).toBe('/api/problems/validation');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('needs credentials and invoices:write; a tenant admin is refused on its own and on other invoices', async () => {
    const before = await api.eventCount();
    const payload = { reason: 'x', credit: partial('100') };
    expect((await issue(api.anonymous, 'inv-other', payload)).statusCode).toBe(401);
    const auditor = await api.signedIn('auditor');
    const ownAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const token = await api.withToken('tenant-a', ['invoices:read']);
    for (const caller of [auditor, ownAdmin, token]) {
      for (const invoiceId of ['inv-partial', 'inv-other', 'no-such-invoice']) {
        const response = await issue(caller, invoiceId, payload);
        // The same answer whatever the id: a tenant's caller learns nothing about other invoices.
        expect(response.statusCode, invoiceId).toBe(403);
        expect(response.json().type).toBe('/api/problems/forbidden');
      }
    }
    expect((await issue(accountant, 'no-such-invoice', payload)).statusCode).toBe(404);
    expect(await api.eventCount()).toBe(before);
  });

  it('answers the same Idempotency-Key with the first answer, and another body under it with 422', async () => {
    const headers = { 'idempotency-key': 'credit-inv-keyed-1' };
    const payload = { reason: 'Remise négociée', credit: partial('2000') };
    const first = await issue(accountant, 'inv-keyed', payload, headers);
    expect(first.statusCode).toBe(201);
    const events = await api.eventCount();
    const again = await issue(accountant, 'inv-keyed', payload, headers);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await api.eventCount()).toBe(events);
    const other = await issue(accountant, 'inv-keyed', { ...payload, reason: 'Autre' }, headers);
    expect(other.statusCode).toBe(422);
    const read = await accountant.inject({ method: 'GET', url: '/api/v1/invoices/inv-keyed' });
    expect(read.json().creditNotes).toHaveLength(1);
  });

  it('refuses a stale If-Match with 412 and takes the current revision', async () => {
    const read = await accountant.inject({ method: 'GET', url: '/api/v1/invoices/inv-other' });
    const current = read.headers.etag as string;
    const stale = await issue(
      accountant,
      'inv-other',
      { reason: 'x', credit: partial('100') },
      { 'if-match': '"0"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe('/api/problems/stale-revision');
    const fresh = await issue(
      accountant,
      'inv-other',
      { reason: 'x', credit: partial('100') },
      { 'if-match': current },
    );
    expect(fresh.statusCode).toBe(201);
    expect(BigInt(fresh.json().invoice.revision)).toBeGreaterThan(BigInt(current.replaceAll('"', '')));
  });

  it('is in the OpenAPI document with its request and its 201 answer', async () => {
    const document = (await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const operation = document.paths['/api/v1/invoices/{invoiceId}/credit-notes'].post;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '412']));
    expect(JSON.stringify(operation.requestBody)).toContain('CreditNoteRequest');
  });
});
