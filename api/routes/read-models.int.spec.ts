// Proves the list and dashboard routes read the projections: invoice, credit-note, payment and
// subscription lists with filters and cursor pages, MRR figures, overdue risk, projection status,
// read-your-writes by log position, statement reconciliation; and that tenant-scoped callers only
// ever list their own rows while roles without the permission are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenIssuedInvoice, givenTenant, type TestApi, testApi } from '../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  await givenIssuedInvoice(api, {
    invoiceId: 'inv-a1',
    tenantId: 'tenant-a',
    number: 'F-2026-000001',
    creditNote: { creditNoteId: 'cn-a1', number: 'AV-2026-000001' },
  });
  await givenIssuedInvoice(api, { invoiceId: 'inv-a2', tenantId: 'tenant-a', number: 'F-2026-000002' });
  await givenIssuedInvoice(api, { invoiceId: 'inv-b1', tenantId: 'tenant-b', number: 'F-2026-000003' });
  await api.project();
});
afterAll(async () => {
  await api.close();
});

const ids = (body: { items: { invoiceId?: string; paymentId?: string }[] }) =>
  body.items.map((i) => i.invoiceId ?? i.paymentId).sort();

describe('GET /api/v1/invoices', () => {
  it('lists with filters, search and cursor pages', async () => {
    const accountant = await api.signedIn('accountant');
    const all = await accountant.inject({ method: 'GET', url: '/api/v1/invoices' });
    expect(all.statusCode).toBe(200);
    expect(ids(all.json())).toEqual(['inv-a1', 'inv-a2', 'inv-b1']);
    expect(all.json().items[0]).toMatchObject({ currency: 'XOF', totalMinor: expect.any(String) });
    const first = await accountant.inject({ method: 'GET', url: '/api/v1/invoices?limit=2&sort=due_asc' });
    expect(first.json().items).toHaveLength(2);
    const second = await accountant.inject({
      method: 'GET',
      url: `/api/v1/invoices?limit=2&sort=due_asc&cursor=${first.json().nextCursor}`,
    });
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    const search = await accountant.inject({ method: 'GET', url: '/api/v1/invoices?search=F-2026-000003' });
    expect(ids(search.json())).toEqual(['inv-b1']);
    const byTenant = await accountant.inject({
      method: 'GET',
      url: '/api/v1/invoices?tenantId=tenant-a&open=true',
    });
    expect(ids(byTenant.json())).toEqual(['inv-a1', 'inv-a2']);
  });

  it('rejects bad filters and forged cursors', async () => {
    const accountant = await api.signedIn('accountant');
    for (const query of [
      'status=unknown',
      'limit=0',
      'limit=201',
      'issuedFrom=2026-13-01',
      'cursor=bm9wZQ',
      'sort=random',
    ]) {
      const response = await accountant.inject({ method: 'GET', url: `/api/v1/invoices?${query}` });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it("lists only the caller's tenant for a tenant admin or a token, whatever tenant it asks for", async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const token = await api.withToken('tenant-a', ['invoices:read']);
    for (const caller of [tenantAdmin, token]) {
      expect(ids((await caller.inject({ method: 'GET', url: '/api/v1/invoices' })).json())).toEqual([
        'inv-a1',
        'inv-a2',
      ]);
      expect(
        (await caller.inject({ method: 'GET', url: '/api/v1/invoices?tenantId=tenant-b' })).statusCode,
      ).toBe(404);
      const notes = await caller.inject({ method: 'GET', url: '/api/v1/credit-notes' });
      expect(notes.json().items.map((n: { creditNoteId: string }) => n.creditNoteId)).toEqual(['cn-a1']);
    }
  });

  it('is refused without credentials or permission', async () => {
    expect((await api.anonymous.inject({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(401);
    const service = await api.withToken('tenant-a', ['usage:write']);
    expect((await service.inject({ method: 'GET', url: '/api/v1/invoices' })).statusCode).toBe(403);
  });

  it('waits for the read model to reach a command position (read your writes)', async () => {
    const accountant = await api.signedIn('accountant');
    const written = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: {
        tenantId: 'tenant-a',
        method: 'cash',
        reference: 'CASH-1',
        receivedOn: '2026-11-24',
        amount: { amountMinor: '1000', currency: 'XOF' },
      },
    });
    expect(written.statusCode).toBe(201);
    const { position } = written.json();
    const behind = await accountant.inject({
      method: 'GET',
      url: `/api/v1/payments?minPosition=${position}`,
    });
    expect(behind.statusCode).toBe(503);
    expect(behind.headers['retry-after']).toBe('1');
    await api.project();
    const caughtUp = await accountant.inject({
      method: 'GET',
      url: `/api/v1/payments?minPosition=${position}`,
    });
    expect(caughtUp.statusCode).toBe(200);
    expect(caughtUp.json().items.map((p: { reference?: string; tenantId: string }) => p.tenantId)).toContain(
      'tenant-a',
    );
    const tenantB = await api.signedIn('tenant_admin', 'tenant-b');
    expect((await tenantB.inject({ method: 'GET', url: '/api/v1/payments' })).json().items).toEqual([]);
  });
});

describe('dashboard and system', () => {
  it('answers MRR, its series and movements, overdue risk and projection status for readers', async () => {
    const auditor = await api.signedIn('auditor');
    const mrr = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/mrr?asOf=2026-11-25&currency=XOF',
    });
    expect(mrr.statusCode).toBe(200);
    expect(mrr.json()).toMatchObject({ asOf: '2026-11-25', mrrMinor: expect.any(String) });
    const series = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/mrr/series?from=2026-11-01&to=2026-11-25',
    });
    expect(series.json().points).toHaveLength(25);
    const movements = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/mrr/movements?from=2026-11-01&to=2026-11-25',
    });
    expect(movements.statusCode).toBe(200);
    const tooLong = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/mrr/series?from=2020-01-01&to=2026-11-25',
    });
    expect(tooLong.statusCode).toBe(400);
    const month = await auditor.inject({ method: 'GET', url: '/api/v1/metrics/month?month=2026-11' });
    expect(month.statusCode, month.body).toBe(200);
    expect(month.json()).toMatchObject({ month: '2026-11', currency: 'XOF', activeCustomers: 0 });
    expect(
      (await auditor.inject({ method: 'GET', url: '/api/v1/metrics/month?month=2026-13' })).statusCode,
    ).toBe(400);
    const risk = await auditor.inject({ method: 'GET', url: '/api/v1/overdue-risk' });
    expect(risk.statusCode).toBe(200);
    const status = await auditor.inject({ method: 'GET', url: '/api/v1/projections' });
    expect(status.json().items.map((s: { name: string }) => s.name)).toContain('invoices');
  });

  it('keeps the dashboard from tenant admins and tokens', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    for (const url of [
      '/api/v1/metrics/mrr',
      '/api/v1/overdue-risk',
      '/api/v1/projections',
      '/api/v1/overdue-risk/tenant-b',
    ]) {
      expect((await tenantAdmin.inject({ method: 'GET', url })).statusCode, url).toBe(403);
    }
  });
});

describe('receivables and the audit trail', () => {
  it('lists what tenants owe for accountants, and only its own balance for a tenant admin', async () => {
    await api.project();
    const accountant = await api.signedIn('accountant');
    const all = await accountant.inject({ method: 'GET', url: '/api/v1/receivables' });
    expect(all.statusCode).toBe(200);
    expect(
      all
        .json()
        .items.map((b: { tenantId: string }) => b.tenantId)
        .sort(),
    ).toEqual(['tenant-a', 'tenant-b']);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const own = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/receivables' });
    expect(own.json().items.map((b: { tenantId: string }) => b.tenantId)).toEqual(['tenant-a']);
    expect(
      (await tenantAdmin.inject({ method: 'GET', url: '/api/v1/tenants/tenant-b/balance' })).statusCode,
    ).toBe(404);
    expect(
      (await tenantAdmin.inject({ method: 'GET', url: '/api/v1/tenants/tenant-a/balance' })).statusCode,
    ).toBe(200);
  });

  it('traces an invoice to its events for an auditor, and is closed to tenant admins', async () => {
    const auditor = await api.signedIn('auditor');
    const trail = await auditor.inject({
      method: 'GET',
      url: '/api/v1/audit-trail?streamName=invoice-inv-a1',
    });
    expect(trail.statusCode).toBe(200);
    expect(trail.json().items.map((e: { eventType: string }) => e.eventType)).toContain('InvoiceIssued');
    expect(
      (await auditor.inject({ method: 'GET', url: '/api/v1/audit-trail?eventType=drop%20table' })).statusCode,
    ).toBe(400);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect((await tenantAdmin.inject({ method: 'GET', url: '/api/v1/audit-trail' })).statusCode).toBe(403);
  });
});

describe('POST /api/v1/payments/reconciliation', () => {
  it('reports unmatched statement lines for an accountant and refuses an auditor', async () => {
    const accountant = await api.signedIn('accountant');
    const csv = 'reference,amount,currency\nT-unknown,1000,XOF\n';
    const report = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/reconciliation?provider=wave',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(report.statusCode).toBe(200);
    expect(report.json().unmatchedLines).toEqual([
      expect.objectContaining({ reference: 'T-unknown', reason: 'no_payment' }),
    ]);
    const auditor = await api.signedIn('auditor');
    const refused = await auditor.inject({
      method: 'POST',
      url: '/api/v1/payments/reconciliation?provider=wave',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(refused.statusCode).toBe(403);
  });
});
