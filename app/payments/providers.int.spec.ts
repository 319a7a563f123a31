// Proves each adapter sends the requests its provider documents and reads the documented answers,
// by replaying those shapes from a local HTTP server on 127.0.0.1 (no real network).
import { afterEach, describe, expect, it } from 'vitest';
import { moneyOf } from '../../domain/money/index.ts';
import { paymentsConfigFrom } from './config.ts';
import { createOrangeMoneyProvider } from './orange-money.ts';
import { createPayTechProvider } from './paytech.ts';
import { type KnownSession, ProviderCallFailed, type SessionRequest } from './port.ts';
import { enabledPaymentProviders, PaymentsConfigInvalid } from './providers.ts';
import { type ProviderStub, type StubRoutes, startProviderStub } from './testing/provider-stub.ts';
import { createWaveProvider } from './wave.ts';

let stub: ProviderStub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});
async function serve(routes: StubRoutes): Promise<ProviderStub> {
  stub = await startProviderStub(routes);
  return stub;
}

const sessionRequest: SessionRequest = {
  paymentId: 'pay-0001',
  tenantId: 'tenant-1',
  amount: moneyOf('11800', 'XOF'),
  clientReference: 'pay-0001',
  description: 'Facture F-2026-000001',
  successUrl: 'https://ledger.example.sn/pay/ok',
  errorUrl: 'https://ledger.example.sn/pay/ko',
  notificationUrl: 'https://ledger.example.sn/webhooks/x/pay-0001',
};

// A checkout session object as Wave documents it (fields from docs/reference §4.1).
const waveSession = (over: Record<string, unknown> = {}) => ({
  id: 'cos-18qq25rgr100a',
  amount: '11800',
  checkout_status: 'open',
  client_reference: 'pay-0001',
  currency: 'XOF',
  error_url: 'https://ledger.example.sn/pay/ko',
  last_payment_error: null,
  business_name: 'SmartQueue',
  payment_status: 'processing',
  success_url: 'https://ledger.example.sn/pay/ok',
  wave_launch_url: 'https://pay.wave.com/c/cos-18qq25rgr100a?a=11800&c=XOF&m=SmartQueue',
  when_completed: null,
  when_created: '2026-03-01T10:00:00Z',
  when_expires: '2026-03-02T10:00:00Z',
  transaction_id: null,
  ...over,
});

describe('Wave Checkout adapter', () => {
  const known: KnownSession = {
    paymentId: 'pay-0001',
    provider: 'wave',
    providerSessionId: 'cos-18qq25rgr100a',
    clientReference: 'pay-0001',
    amount: moneyOf('11800', 'XOF'),
    notifTokenSha256: null,
  };
  const wave = (baseUrl: string) =>
    createWaveProvider({
      apiKey: 'wave_sn_prod_key',
      webhookSecret: 's',
      baseUrl,
      toleranceSeconds: 300,
      fetch,
    });

  it('creates a checkout session with the amount as a string and a bearer key', async () => {
    const server = await serve({
      'POST /v1/checkout/sessions': () => ({ status: 200, body: waveSession() }),
    });
    const session = await wave(server.baseUrl).createSession(sessionRequest);
    expect(session).toEqual({
      providerSessionId: 'cos-18qq25rgr100a',
      paymentUrl: 'https://pay.wave.com/c/cos-18qq25rgr100a?a=11800&c=XOF&m=SmartQueue',
      notifToken: null,
    });
    const [sent] = server.requests;
    expect(sent?.headers.authorization).toBe('Bearer wave_sn_prod_key');
    expect(JSON.parse(sent!.body)).toEqual({
      amount: '11800',
      currency: 'XOF',
      client_reference: 'pay-0001',
      success_url: 'https://ledger.example.sn/pay/ok',
      error_url: 'https://ledger.example.sn/pay/ko',
    });
  });

  it('turns a refused request into ProviderCallFailed', async () => {
    const server = await serve({
      'POST /v1/checkout/sessions': () => ({
        status: 400,
        body: { code: 'request-validation-error', message: 'bad amount' },
      }),
    });
    await expect(wave(server.baseUrl).createSession(sessionRequest)).rejects.toThrow(ProviderCallFailed);
    await expect(wave(server.baseUrl).createSession(sessionRequest)).rejects.toThrow(
      /request-validation-error: bad amount/,
    );
  });

  it('confirms by reading the session back: succeeded, processing, expired', async () => {
    let answer = waveSession({
      checkout_status: 'complete',
      payment_status: 'succeeded',
      transaction_id: 'TCN4Y4ZC3FM',
    });
    const server = await serve({
      'GET /v1/checkout/sessions/cos-18qq25rgr100a': () => ({ status: 200, body: answer }),
    });
    const provider = wave(server.baseUrl);
    const notification = {
      provider: 'wave' as const,
      eventId: 'EV_1',
      clientReference: 'pay-0001',
      providerSessionId: 'cos-18qq25rgr100a',
      providerTransactionId: null,
      outcome: 'succeeded' as const,
      amount: moneyOf('11800', 'XOF'),
      failure: null,
    };
    await expect(provider.confirm(known, notification)).resolves.toEqual({
      status: 'succeeded',
      amount: moneyOf('11800', 'XOF'),
      providerTransactionId: 'TCN4Y4ZC3FM',
    });
    answer = waveSession();
    await expect(provider.confirm(known, notification)).resolves.toEqual({ status: 'pending' });
    answer = waveSession({ checkout_status: 'expired' });
    await expect(provider.confirm(known, notification)).resolves.toMatchObject({
      status: 'failed',
      code: 'expired',
    });
    expect(
      server.requests.every(
        (r) => r.method === 'GET' && r.headers.authorization === 'Bearer wave_sn_prod_key',
      ),
    ).toBe(true);
  });
});

describe('Orange Money Web Payment adapter', () => {
  const now = new Date('2026-03-01T10:00:00Z');
  const routes = (tokens: string[], statusAnswer: () => unknown): StubRoutes => ({
    'POST /oauth/v3/token': () => ({
      status: 200,
      body: { token_type: 'Bearer', access_token: tokens.shift() ?? 'exhausted', expires_in: 7776000 },
    }),
    'POST /orange-money-webpay/dev/v1/webpayment': (request) =>
      request.headers.authorization === 'Bearer revoked'
        ? { status: 401, body: { message: 'Invalid Credentials' } }
        : {
            status: 201,
            body: {
              status: 201,
              message: 'OK',
              pay_token: 'f5720dd9c5f0a1e0f4a2c6e1',
              payment_url:
                'https://webpayment-qualif.orange-money.com/payment/pay_token/f5720dd9c5f0a1e0f4a2c6e1',
              notif_token: 'dd497bda3b250e536186fc0663f32f40',
            },
          },
    'POST /orange-money-webpay/dev/v1/transactionstatus': () => ({ status: 201, body: statusAnswer() }),
  });
  const orange = (baseUrl: string) =>
    createOrangeMoneyProvider({
      clientId: 'client-id',
      clientSecret: 'client-secret',
      merchantKey: 'merchant-key',
      baseUrl,
      country: 'dev',
      currency: 'OUV',
      merchantName: 'SmartQueue',
      fetch,
      now: () => now,
    });

  it('obtains a token once, then creates a web payment with an exact numeric amount', async () => {
    const server = await serve(routes(['tok-1'], () => ({})));
    const provider = orange(server.baseUrl);
    const session = await provider.createSession(sessionRequest);
    await provider.createSession({ ...sessionRequest, paymentId: 'pay-0002', clientReference: 'pay-0002' });
    expect(session).toEqual({
      providerSessionId: 'f5720dd9c5f0a1e0f4a2c6e1',
      paymentUrl: 'https://webpayment-qualif.orange-money.com/payment/pay_token/f5720dd9c5f0a1e0f4a2c6e1',
      notifToken: 'dd497bda3b250e536186fc0663f32f40',
    });
    const tokenCalls = server.requests.filter((r) => r.path === '/oauth/v3/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('client-id:client-secret').toString('base64')}`,
    );
    expect(tokenCalls[0]?.body).toBe('grant_type=client_credentials');
    const create = server.requests.find((r) => r.path.endsWith('/webpayment'))!;
    expect(create.headers.authorization).toBe('Bearer tok-1');
    expect(create.body).toContain('"amount":11800');
    expect(JSON.parse(create.body)).toEqual({
      merchant_key: 'merchant-key',
      currency: 'OUV',
      order_id: 'pay-0001',
      amount: 11800,
      return_url: 'https://ledger.example.sn/pay/ok',
      cancel_url: 'https://ledger.example.sn/pay/ko',
      notif_url: 'https://ledger.example.sn/webhooks/x/pay-0001',
      lang: 'fr',
      reference: 'SmartQueue',
    });
  });

  it('fetches a new token once when Orange refuses the cached one', async () => {
    const server = await serve(routes(['revoked', 'tok-2'], () => ({})));
    await orange(server.baseUrl).createSession(sessionRequest);
    expect(server.requests.filter((r) => r.path === '/oauth/v3/token')).toHaveLength(2);
  });

  it('refuses an order id Orange would refuse (over 30 characters)', async () => {
    const server = await serve(routes(['tok'], () => ({})));
    await expect(
      orange(server.baseUrl).createSession({ ...sessionRequest, clientReference: 'x'.repeat(31) }),
    ).rejects.toThrow(ProviderCallFailed);
    expect(server.requests).toHaveLength(0);
  });

  it('confirms with the transaction-status call before anything is booked', async () => {
    let status = 'SUCCESS';
    const server = await serve(
      routes(['tok'], () => ({ status, order_id: 'pay-0001', txnid: 'MP150709.1341.A00073' })),
    );
    const provider = orange(server.baseUrl);
    const known: KnownSession = {
      paymentId: 'pay-0001',
      provider: 'orange_money',
      providerSessionId: 'f5720dd9c5f0a1e0f4a2c6e1',
      clientReference: 'pay-0001',
      amount: moneyOf('11800', 'XOF'),
      notifTokenSha256: null,
    };
    const notification = {
      provider: 'orange_money' as const,
      eventId: 'e',
      clientReference: 'pay-0001',
      providerSessionId: known.providerSessionId,
      providerTransactionId: null,
      outcome: 'succeeded' as const,
      amount: null,
      failure: null,
    };
    await expect(provider.confirm(known, notification)).resolves.toEqual({
      status: 'succeeded',
      amount: moneyOf('11800', 'XOF'),
      providerTransactionId: 'MP150709.1341.A00073',
    });
    const statusCall = server.requests.find((r) => r.path.endsWith('/transactionstatus'))!;
    expect(JSON.parse(statusCall.body)).toEqual({
      order_id: 'pay-0001',
      amount: 11800,
      pay_token: 'f5720dd9c5f0a1e0f4a2c6e1',
    });
    status = 'PENDING';
    await expect(provider.confirm(known, notification)).resolves.toEqual({ status: 'pending' });
    status = 'EXPIRED';
    await expect(provider.confirm(known, notification)).resolves.toMatchObject({
      status: 'failed',
      code: 'EXPIRED',
    });
  });
});

describe('PayTech adapter (Free Money)', () => {
  it('requests a payment targeted at Free Money, with the keys in headers', async () => {
    const server = await serve({
      'POST /payment/request-payment': () => ({
        status: 200,
        body: {
          success: 1,
          token: '4fe7bb6bedbd94689e89',
          redirect_url: 'https://paytech.sn/payment/checkout/4fe7bb6bedbd94689e89',
        },
      }),
    });
    const provider = createPayTechProvider({
      apiKey: 'API_KEY_TEST',
      apiSecret: 'API_SECRET_TEST',
      baseUrl: server.baseUrl,
      env: 'test',
      acceptKeyHashIpn: false,
      fetch,
    });
    await expect(provider.createSession(sessionRequest)).resolves.toEqual({
      providerSessionId: '4fe7bb6bedbd94689e89',
      paymentUrl: 'https://paytech.sn/payment/checkout/4fe7bb6bedbd94689e89',
      notifToken: null,
    });
    const [sent] = server.requests;
    expect(sent?.headers.api_key).toBe('API_KEY_TEST');
    expect(sent?.headers.api_secret).toBe('API_SECRET_TEST');
    expect(JSON.parse(sent!.body)).toMatchObject({
      item_price: 11800,
      currency: 'XOF',
      ref_command: 'pay-0001',
      env: 'test',
      ipn_url: 'https://ledger.example.sn/webhooks/x/pay-0001',
      target_payment: 'Free Money',
    });
  });

  it('turns {success: 0, errors} into ProviderCallFailed with the errors', async () => {
    const server = await serve({
      'POST /payment/request-payment': () => ({
        status: 200,
        body: { success: 0, errors: ['Le montant doit être supérieur à 0'] },
      }),
    });
    const provider = createPayTechProvider({
      apiKey: 'k',
      apiSecret: 's',
      baseUrl: server.baseUrl,
      env: 'test',
      acceptKeyHashIpn: false,
      fetch,
    });
    await expect(provider.createSession(sessionRequest)).rejects.toThrow(
      /Le montant doit être supérieur à 0/,
    );
  });
});

describe('configuration', () => {
  const deps = { fetch, now: () => new Date() };

  it('enables no provider when no secret is set', () => {
    expect(enabledPaymentProviders(paymentsConfigFrom({}), deps).size).toBe(0);
  });

  it('enables exactly the providers whose secrets are all set', () => {
    const config = paymentsConfigFrom({
      PAYMENTS_PUBLIC_BASE_URL: 'https://ledger.example.sn',
      WAVE_API_KEY: 'k',
      WAVE_WEBHOOK_SECRET: 's',
      SANDBOX_PAYMENTS_ENABLED: 'true',
      SANDBOX_WEBHOOK_SECRET: 'x',
    });
    expect([...enabledPaymentProviders(config, deps).keys()].sort()).toEqual(['sandbox', 'wave']);
    expect(config.WAVE_WEBHOOK_TOLERANCE_SECONDS).toBe(300);
  });

  it('takes the application origin when PAYMENTS_PUBLIC_BASE_URL is not set, and refuses when neither is', () => {
    const config = paymentsConfigFrom({ SANDBOX_PAYMENTS_ENABLED: '1', SANDBOX_WEBHOOK_SECRET: 'x' });
    expect(() => enabledPaymentProviders(config, deps)).toThrow(/PAYMENTS_PUBLIC_BASE_URL/);
    const providers = enabledPaymentProviders(config, { ...deps, publicBaseUrl: 'http://127.0.0.1:3000' });
    expect([...providers.keys()]).toEqual(['sandbox']);
  });

  it('refuses a half-configured provider rather than silently disabling it', () => {
    const config = paymentsConfigFrom({
      PAYMENTS_PUBLIC_BASE_URL: 'https://l.example.sn',
      ORANGE_MONEY_CLIENT_ID: 'id',
    });
    expect(() => enabledPaymentProviders(config, deps)).toThrow(PaymentsConfigInvalid);
    expect(() => enabledPaymentProviders(config, deps)).toThrow(/ORANGE_MONEY_CLIENT_SECRET/);
  });
});
