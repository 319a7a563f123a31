// Proves manual payments and refunds go through the payment decider with the caller's key, that a
// refund above what was paid is a 409 with its code, and that one tenant never reads another's payment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.close();
});

const manual = (tenantId: string, paymentId: string, amountMinor = '15000') => ({
  paymentId,
  tenantId,
  method: 'bank_transfer',
  reference: 'VIR-2026-11-001',
  receivedOn: '2026-11-24',
  amount: { amountMinor, currency: 'XOF' },
  invoiceIds: [],
});

describe('payments', () => {
  it('records a manual payment, reads it, refunds part of it', async () => {
    const accountant = await api.signedIn('accountant');
    const recorded = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-a', 'pay-1'),
      headers: { 'idempotency-key': 'pay-1' },
    });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json().paymentId).toBe('pay-1');
    const read = await accountant.inject({ method: 'GET', url: '/api/v1/payments/pay-1' });
    expect(read.json()).toMatchObject({
      status: 'succeeded',
      paid: { amountMinor: '15000', currency: 'XOF' },
    });
    const refund = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/pay-1/refunds',
      payload: { amount: { amountMinor: '5000', currency: 'XOF' }, reason: 'double billing' },
    });
    expect(refund.statusCode).toBe(201);
    const before = await api.eventCount();
    const tooMuch = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/pay-1/refunds',
      payload: { amount: { amountMinor: '50000', currency: 'XOF' }, reason: 'again' },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('refund_exceeds_paid');
    expect(await api.eventCount()).toBe(before);
  });

  it('rejects a float amount', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: { ...manual('tenant-a', 'pay-x'), amount: { amountMinor: 150.5, currency: 'XOF' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('amount.amountMinor');
  });

  it('is refused to anonymous callers, auditors and tenant admins', async () => {
    expect(
      (
        await api.anonymous.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('t', 'p'),
        })
      ).statusCode,
    ).toBe(401);
    const auditor = await api.signedIn('auditor');
    expect(
      (await auditor.inject({ method: 'POST', url: '/api/v1/payments/manual', payload: manual('t', 'p') }))
        .statusCode,
    ).toBe(403);
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect(
      (
        await tenantAdmin.inject({
          method: 'POST',
          url: '/api/v1/payments/manual',
          payload: manual('tenant-a', 'p'),
        })
      ).statusCode,
    ).toBe(403);
  });

  it("hides another tenant's payment", async () => {
    const accountant = await api.signedIn('accountant');
    await accountant.inject({
      method: 'POST',
      url: '/api/v1/payments/manual',
      payload: manual('tenant-b', 'pay-b'),
    });
    const tenantAdmin = await api.signedIn('tenant_admin', 'tenant-a');
    expect((await tenantAdmin.inject({ method: 'GET', url: '/api/v1/payments/pay-b' })).statusCode).toBe(404);
    expect((await tenantAdmin.inject({ method: 'GET', url: '/api/v1/payments/pay-1' })).statusCode).toBe(200);
    const token = await api.withToken('tenant-a', ['payments:read']);
    expect((await token.inject({ method: 'GET', url: '/api/v1/payments/pay-b' })).statusCode).toBe(404);
  });
});
