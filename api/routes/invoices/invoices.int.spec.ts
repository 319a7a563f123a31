// Proves invoices and credit notes are read from their streams with totals and amount due, that
// their PDFs are byte-identical on reprint and follow the tenant's language, and that a tenant's
// caller never reaches another tenant's invoice whatever id it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { givenIssuedInvoice, givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  await givenIssuedInvoice(api, {
    invoiceId: 'inv-a',
    tenantId: 'tenant-a',
    number: 'F-2026-000001',
    creditNote: { creditNoteId: 'cn-a', number: 'AV-2026-000001' },
  });
  await givenIssuedInvoice(api, { invoiceId: 'inv-b', tenantId: 'tenant-b', number: 'F-2026-000002' });
});
afterAll(async () => {
  await api.close();
});

describe('reading an invoice', () => {
  it('shows lines, totals with TVA, the amount due and the credit notes', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({ method: 'GET', url: '/api/v1/invoices/inv-a' });
    expect(response.statusCode).toBe(200);
    const invoice = response.json();
    expect(invoice).toMatchObject({
      number: 'F-2026-000001',
      subtotal: { amountMinor: '40000', currency: 'XOF' },
      tax: { amountMinor: '7200', currency: 'XOF' },
      total: { amountMinor: '47200', currency: 'XOF' },
      taxRatePercent: '18',
    });
    expect(invoice.lines).toHaveLength(2);
    expect(invoice.creditNotes).toEqual([expect.objectContaining({ number: 'AV-2026-000001' })]);
    expect(response.headers.etag).toMatch(/^"\d+"$/);
  });

  it("keeps a tenant's callers to their own invoices", async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const token = await api.withToken('tenant-a', ['invoices:read']);
    for (const caller of [tenantAdmin, token]) {
      expect((await caller.inject({ method: 'GET', url: '/api/v1/invoices/inv-a' })).statusCode).toBe(200);
      for (const url of [
        '/api/v1/invoices/inv-b',
        '/api/v1/invoices/inv-b/pdf',
        '/api/v1/invoices/inv-b/credit-notes',
        '/api/v1/invoices/inv-b/credit-notes/cn-a/pdf',
      ]) {
        expect((await caller.inject({ method: 'GET', url })).statusCode, url).toBe(404);
      }
    }
  });

  it('is refused without credentials or without invoices:read, and 404 for an unknown id', async () => {
    expect((await api.anonymous.inject({ method: 'GET', url: '/api/v1/invoices/inv-a' })).statusCode).toBe(
      401,
    );
    const service = await api.withToken('tenant-a', ['usage:write']);
    expect((await service.inject({ method: 'GET', url: '/api/v1/invoices/inv-a' })).statusCode).toBe(403);
    const auditor = await api.signedIn('auditor');
    expect((await auditor.inject({ method: 'GET', url: '/api/v1/invoices/nope' })).statusCode).toBe(404);
    expect(
      (await auditor.inject({ method: 'GET', url: '/api/v1/invoices/inv-a/pdf?lang=de' })).statusCode,
    ).toBe(400);
  });
});

describe('PDFs', () => {
  it('reprints an invoice byte for byte, in French by default and in English on request', async () => {
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    const first = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/inv-a/pdf' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const again = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/inv-a/pdf' });
    expect(Buffer.compare(first.rawPayload, again.rawPayload)).toBe(0);
    const english = await tenantAdmin.inject({ method: 'GET', url: '/api/v1/invoices/inv-a/pdf?lang=en' });
    expect(Buffer.compare(first.rawPayload, english.rawPayload)).not.toBe(0);
  });

  it('keeps the buyer as it was at issue when the tenant changes its details later', async () => {
    const admin = await api.signedIn('superadmin');
    const before = await admin.inject({ method: 'GET', url: '/api/v1/invoices/inv-b/pdf' });
    const renamed = await admin.inject({
      method: 'PATCH',
      url: '/api/v1/tenants/tenant-b',
      payload: { legalName: 'Beta Renamed SA', preferredLanguage: 'en' },
    });
    expect(renamed.statusCode).toBe(200);
    const after = await admin.inject({ method: 'GET', url: '/api/v1/invoices/inv-b/pdf' });
    expect(Buffer.compare(before.rawPayload, after.rawPayload)).toBe(0);
  });

  it('prints a credit note', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({
      method: 'GET',
      url: '/api/v1/invoices/inv-a/credit-notes/cn-a/pdf',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('AV-2026-000001.pdf');
    expect(
      (await accountant.inject({ method: 'GET', url: '/api/v1/invoices/inv-a/credit-notes/none/pdf' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('invoice commands', () => {
  it('writes off what is due for an accountant, not for an auditor or another tenant', async () => {
    const before = await api.eventCount();
    const auditor = await api.signedIn('auditor');
    const refused = await auditor.inject({
      method: 'POST',
      url: '/api/v1/invoices/inv-b/write-off',
      payload: { reason: 'bankrupt', writtenOffOn: '2026-11-25' },
    });
    expect(refused.statusCode).toBe(403);
    expect(await api.eventCount()).toBe(before);
    const accountant = await api.signedIn('accountant');
    const invalid = await accountant.inject({
      method: 'POST',
      url: '/api/v1/invoices/inv-b/write-off',
      payload: { reason: '', writtenOffOn: 'yesterday' },
    });
    expect(invalid.statusCode).toBe(400);
    const done = await accountant.inject({
      method: 'POST',
      url: '/api/v1/invoices/inv-b/write-off',
      payload: { reason: 'bankrupt', writtenOffOn: '2026-11-25' },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().events).toEqual([{ type: 'InvoiceWrittenOff' }]);
    const voidIssued = await accountant.inject({
      method: 'POST',
      url: '/api/v1/invoices/inv-a/void',
      payload: { reason: 'mistake' },
    });
    expect(voidIssued.statusCode).toBe(409);
    expect(voidIssued.json().code).toBe('invoice_not_draft');
  });
});
