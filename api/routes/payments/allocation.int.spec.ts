// Proves a payment that names no invoice is allocated to the tenant's open invoices oldest first,
// as the invoices read model lists them (issue date, not the order the streams were written), never
// to another tenant's invoice, and that the manual-payment route refuses bad input, anonymous
// callers, roles without payments:write and another tenant's invoice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../../app/command-handler.ts';
import { type InvoiceCommand, invoiceDecider, invoiceStreamName } from '../../../domain/invoice/index.ts';
import { moneyOf } from '../../../domain/money/index.ts';
import { openInvoiceIds } from '../../payment-flow.ts';
import { givenTenant, type TestApi, testApi } from '../../testing.ts';

let api: TestApi;

/** An issued invoice of 40 000 XOF + 18 % TVA = 47 200 XOF, issued on the given day. */
async function givenInvoiceIssuedOn(invoiceId: string, tenantId: string, number: string, issuedOn: string) {
  const at = `${issuedOn}T09:00:00.000Z`;
  const commands: InvoiceCommand[] = [
    {
      type: 'CreateDraft',
      invoiceId,
      tenantId,
      currency: 'XOF',
      country: 'SN',
      taxExemptionMention: null,
      now: at,
    },
    {
      type: 'AddLine',
      lineId: 'line-1',
      kind: 'one_off',
      description: 'Mise en service',
      quantity: '1',
      unitPrice: moneyOf('40000', 'XOF'),
      period: null,
      now: at,
    },
    { type: 'Issue', number, issuedOn, today: issuedOn, now: at },
  ];
  for (const [index, command] of commands.entries()) {
    const outcome = await handleCommand(
      api.ledger.store,
      invoiceDecider,
      invoiceStreamName(invoiceId),
      command,
      {
        idempotencyKey: `${invoiceId}-${index}`,
        actor: { kind: 'user', id: 'test' },
        correlationId: invoiceId,
        causationId: null,
        occurredAt: at,
      },
    );
    if (!outcome.ok) throw new Error(`${command.type} refused: ${outcome.refusal.code}`);
  }
}

beforeAll(async () => {
  api = await testApi();
  await givenTenant(api, 'tenant-a');
  await givenTenant(api, 'tenant-b');
  // Written newest first, so only the issue dates can put them in the right order.
  await givenInvoiceIssuedOn('inv-new', 'tenant-a', 'F-2026-000010', '2026-11-20');
  await givenInvoiceIssuedOn('inv-old', 'tenant-a', 'F-2026-000003', '2026-10-20');
  await givenInvoiceIssuedOn('inv-b', 'tenant-b', 'F-2026-000001', '2026-09-01');
  await api.project();
});
afterAll(async () => {
  await api.close();
});

const manual = (tenantId: string, amountMinor: string, invoiceIds: string[] = []) => ({
  tenantId,
  method: 'bank_transfer',
  reference: 'VIR-2026-11-042',
  receivedOn: '2026-11-24',
  amount: { amountMinor, currency: 'XOF' },
  invoiceIds,
});

describe('allocation oldest first', () => {
  it("lists the tenant's open invoices oldest first from the read model", async () => {
    expect(await openInvoiceIds(api.ledger, 'tenant-a')).toEqual(['inv-old', 'inv-new']);
    expect(await openInvoiceIds(api.ledger, 'tenant-b')).toEqual(['inv-b']);
    expect(await openInvoiceIds(api.ledger, 'tenant-none')).toEqual([]);
  });

  it('pays the oldest invoice in full, then the next in part, and nothing of another tenant', async () => {
    const accountant = await api.signedIn('accountant');
    const recorded = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-a', '60000'),
      headers: { 'idempotency-key': 'oldest-first-1' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().allocation).toEqual({
      applied: [
        { invoiceId: 'inv-old', amount: { amountMinor: '47200', currency: 'XOF' } },
        { invoiceId: 'inv-new', amount: { amountMinor: '12800', currency: 'XOF' } },
      ],
      credit: { amountMinor: '0', currency: 'XOF' },
    });
    const read = async (id: string) =>
      (await accountant.inject({ method: 'GET', url: `/api/v1/invoices/${id}` })).json();
    expect(await read('inv-old')).toMatchObject({ status: 'paid', amountDue: { amountMinor: '0' } });
    expect(await read('inv-new')).toMatchObject({
      status: 'partially_paid',
      amountDue: { amountMinor: '34400' },
    });
    expect(await read('inv-b')).toMatchObject({ status: 'issued', amountDue: { amountMinor: '47200' } });
    await api.project();
    expect(await openInvoiceIds(api.ledger, 'tenant-a')).toEqual(['inv-new']);
  });

  it('refuses bad input, anonymous callers, a tenant admin, and naming another tenant’s invoice', async () => {
    const accountant = await api.signedIn('accountant');
    const before = await api.eventCount();
    const invalid = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: { ...manual('tenant-b', '100'), invoiceIds: 'inv-b' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      (
        await api.anonymous.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-b', '100'),
        })
      ).statusCode,
    ).toBe(401);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-b');
    expect(
      (
        await tenantAdmin.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-b', '100'),
        })
      ).statusCode,
    ).toBe(403);
    const crossTenant = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-b', '100', ['inv-new']),
    });
    expect(crossTenant.statusCode).toBe(409);
    expect(crossTenant.json().code).toBe('invoice_not_payable');
    expect(await api.eventCount()).toBe(before);
  });
});
