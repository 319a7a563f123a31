// Proves the payments and invoices CSV exports: a header row, exact major-unit amounts beside their
// currency, YYYY-MM-DD dates, the period/provider/status/tenant filters, keyset pages that chain to
// the end, a spreadsheet formula neutralised, and the roles: accountant and auditor see all, a
// tenant admin only its own tenant, anonymous callers and roles without the permission nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenIssuedInvoice, givenTenant, type TestApi, testApi } from '../../testing.ts';
import { invoiceExportPage } from '../invoices/export.ts';
import { amountCell, textCell } from './csv.ts';
import { paymentExportPage } from './export.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b', '=HYPERLINK("http://evil") SARL');
  await givenIssuedInvoice(api, { invoiceId: 'inv-a', tenantId: 'tenant-a', number: 'F-2026-000001' });
  await givenIssuedInvoice(api, { invoiceId: 'inv-b', tenantId: 'tenant-b', number: 'F-2026-000002' });
  const accountant = await api.signedIn('accountant');
  const manual = async (
    key: string,
    tenantId: string,
    receivedOn: string,
    amountMinor: string,
    method: string,
    invoiceId: string,
  ) => {
    const response = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      headers: { 'idempotency-key': key },
      payload: {
        tenantId,
        method,
        reference: `REF-${key}`,
        receivedOn,
        amount: { amountMinor, currency: 'XOF' },
        invoiceIds: [invoiceId],
      },
    });
    if (response.statusCode !== 201) throw new Error(response.body);
  };
  await manual('p1', 'tenant-a', '2026-10-05', '10000', 'bank_transfer', 'inv-a');
  await manual('p2', 'tenant-a', '2026-11-02', '47200', 'cash', 'inv-a');
  await manual('p3', 'tenant-b', '2026-11-03', '5000', 'cheque', 'inv-b');
  await api.project();
});
afterAll(async () => {
  await api.close();
});

const parse = (body: string) =>
  body
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('GET /api/v1/payments/export.csv', () => {
  it('streams every payment for an accountant, oldest first, with exact amounts and a filename', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({ method: 'GET', url: '/api/v1/payments/export.csv' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="payments_start_2026-11-25.csv"',
    );
    const [header, ...rows] = parse(response.body);
    expect(header).toEqual([
      'payment_date',
      'payment_id',
      'tenant_id',
      'tenant_name',
      'provider',
      'method',
      'status',
      'currency',
      'expected',
      'paid',
      'refunded',
      'allocated',
      'credit_to_balance',
      'client_reference',
      'provider_transaction_id',
      'invoice_ids',
    ]);
    expect(rows.map((r) => [r[0], r[2], r[5], r[7], r[9]])).toEqual([
      ['2026-10-05', 'tenant-a', 'bank_transfer', 'XOF', '10000'],
      ['2026-11-02', 'tenant-a', 'cash', 'XOF', '47200'],
      ['2026-11-03', 'tenant-b', 'cheque', 'XOF', '5000'],
    ]);
    // Allocated to the invoice it names; the second payment's excess went to the credit balance.
    expect([rows[0]![11], rows[0]![15]]).toEqual(['10000', 'inv-a']);
    expect([rows[1]![11], rows[1]![12]]).toEqual(['37200', '10000']);
    // A legal name a spreadsheet would run as a formula is exported as text.
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil"") SARL"`);
  });

  it('filters by period on the payment date, provider, status and tenant', async () => {
    const auditor = await api.signedIn('auditor');
    const rowsOf = async (query: string) => {
      const response = await auditor.inject({ method: 'GET', url: `/api/v1/payments/export.csv?${query}` });
      expect(response.statusCode, response.body).toBe(200);
      return parse(response.body).slice(1);
    };
    expect((await rowsOf('from=2026-11-01&to=2026-11-02')).map((r) => r[0])).toEqual(['2026-11-02']);
    expect(await rowsOf('provider=manual&status=succeeded,refunded')).toHaveLength(3);
    expect(await rowsOf('provider=sandbox')).toHaveLength(0);
    expect(await rowsOf('status=failed')).toHaveLength(0);
    expect((await rowsOf('tenantId=tenant-b')).map((r) => r[2])).toEqual(['tenant-b']);
    const named = await auditor.inject({
      method: 'GET',
      url: '/api/v1/payments/export.csv?tenantId=tenant-b&from=2026-11-01&to=2026-11-30',
    });
    expect(named.headers['content-disposition']).toContain('payments_tenant-b_2026-11-01_2026-11-30.csv');
  });

  it('reads keyset pages that chain to the last row', async () => {
    const first = await paymentExportPage(api.ledger.db, {}, null, 2);
    expect(first.rows.map((r) => r.payment_date)).toEqual(['2026-10-05', '2026-11-02']);
    expect(first.next).not.toBeNull();
    const second = await paymentExportPage(api.ledger.db, {}, first.next, 2);
    expect(second.rows.map((r) => r.payment_date)).toEqual(['2026-11-03']);
    expect(second.next).toBeNull();
  });

  it('refuses a bad period, an unknown provider and a period in the wrong order with 400', async () => {
    const accountant = await api.signedIn('accountant');
    for (const query of [
      'from=2026-13-01',
      'provider=paypal',
      'from=2026-11-30&to=2026-11-01',
      'status=lost',
    ]) {
      const response = await accountant.inject({
        method: 'GET',
        url: `/api/v1/payments/export.csv?${query}`,
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().type).toBe('/api/problems/validation');
    }
  });

  it('keeps a tenant admin to its own tenant and refuses anonymous callers and other roles', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const own = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/payments/export.csv' });
    expect(own.statusCode).toBe(200);
    expect(
      new Set(
        parse(own.body)
          .slice(1)
          .map((r) => r[2]),
      ),
    ).toEqual(new Set(['tenant-a']));
    const other = await tenantAdmin.inject({
      method: 'GET',
      url: '/api/v1/payments/export.csv?tenantId=tenant-b',
    });
    expect(other.statusCode).toBe(404);
    expect(
      (await api.anonymous.inject({ method: 'GET', url: '/api/v1/payments/export.csv' })).statusCode,
    ).toBe(401);
    const service = await api.withToken('tenant-a', ['usage:write']);
    expect((await service.inject({ method: 'GET', url: '/api/v1/payments/export.csv' })).statusCode).toBe(
      403,
    );
    const serviceUser = await api.signedIn('service', 'tenant-a');
    expect((await serviceUser.inject({ method: 'GET', url: '/api/v1/payments/export.csv' })).statusCode).toBe(
      403,
    );
  });
});

describe('GET /api/v1/invoices/export.csv', () => {
  it('streams issued invoices for a superadmin with exact amounts in major units', async () => {
    const admin = await api.signedIn('superadmin');
    const response = await admin.inject({ method: 'GET', url: '/api/v1/invoices/export.csv' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="invoices_start_2026-11-25.csv"',
    );
    const [header, ...rows] = parse(response.body);
    expect(header!.slice(0, 3)).toEqual(['issued_on', 'number', 'invoice_id']);
    expect(header!.at(-1)).toBe('amount_due');
    const a = rows.find((r) => r[2] === 'inv-a')!;
    // 40 000 net, 7 200 TVA, 47 200 total; tenant-a's 10 000 + 47 200 paid it in full.
    expect([a[0], a[5], a[8], a[9], a[10], a[11], a[12], a[16]]).toEqual([
      '2026-11-20',
      'paid',
      'XOF',
      '40000',
      '7200',
      '47200',
      '47200',
      '0',
    ]);
    const b = rows.find((r) => r[2] === 'inv-b')!;
    expect([b[5], b[12], b[16]]).toEqual(['partially_paid', '5000', '42200']);
  });

  it('filters by issue period, status and tenant; pages chain', async () => {
    const accountant = await api.signedIn('accountant');
    const rowsOf = async (query: string) => {
      const response = await accountant.inject({
        method: 'GET',
        url: `/api/v1/invoices/export.csv?${query}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      return parse(response.body).slice(1);
    };
    expect(await rowsOf('from=2026-11-20&to=2026-11-20')).toHaveLength(2);
    expect(await rowsOf('to=2026-11-19')).toHaveLength(0);
    expect((await rowsOf('status=paid')).map((r) => r[2])).toEqual(['inv-a']);
    expect((await rowsOf('tenantId=tenant-b')).map((r) => r[2])).toEqual(['inv-b']);
    const first = await invoiceExportPage(api.ledger.db, {}, null, 1);
    const second = await invoiceExportPage(api.ledger.db, {}, first.next, 1);
    expect([first.rows[0]!.invoice_id, second.rows[0]!.invoice_id, second.next]).toEqual([
      'inv-a',
      'inv-b',
      null,
    ]);
  });

  it('answers 400, 401, 403 and 404 as the payments export does', async () => {
    const accountant = await api.signedIn('accountant');
    const invalid = await accountant.inject({
      method: 'GET',
      url: '/api/v1/invoices/export.csv?status=draft',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].field).toMatch(/^status/);
    expect(
      (await api.anonymous.inject({ method: 'GET', url: '/api/v1/invoices/export.csv' })).statusCode,
    ).toBe(401);
    const service = await api.withToken('tenant-a', ['usage:write']);
    expect((await service.inject({ method: 'GET', url: '/api/v1/invoices/export.csv' })).statusCode).toBe(
      403,
    );
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-b');
    const own = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/export.csv' });
    expect(
      parse(own.body)
        .slice(1)
        .map((r) => r[2]),
    ).toEqual(['inv-b']);
    expect(
      (await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/export.csv?tenantId=tenant-a' }))
        .statusCode,
    ).toBe(404);
  });

  it('is in the OpenAPI document beside the other routes', async () => {
    const document = (await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/payments/export.csv', '/api/v1/invoices/export.csv']) {
      expect(Object.keys(document.paths[path].get.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '403', '500']),
      );
    }
  });
});

describe('cells', () => {
  it('writes amounts exactly in major units and quotes text', () => {
    expect(amountCell('4516', 'EUR')).toBe('45.16');
    expect(amountCell('123456789012345678901', 'XOF')).toBe('123456789012345678901');
    expect(amountCell('-5', 'EUR')).toBe('-0.05');
    expect(textCell('a,"b"')).toBe('"a,""b"""');
    expect(textCell('+221 77')).toBe("'+221 77");
  });
});
