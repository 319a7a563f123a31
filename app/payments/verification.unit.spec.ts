// Proves each provider's notification check accepts only what its documentation says is genuine:
// Wave's and the sandbox's timestamped HMAC, Orange Money's notif_token, PayTech's hmac_compute —
// and names the reason for everything it refuses.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../../domain/money/index.ts';
import { verifyOrangeMoneyNotification } from './orange-money.ts';
import { verifyPayTechNotification } from './paytech.ts';
import type { KnownSession, NotificationRequest, NotificationVerdict } from './port.ts';
import { buildSandboxNotification, createSandboxProvider, sandboxSignatureHeader } from './sandbox.ts';
import { verifyWaveNotification } from './wave.ts';
import { hmacSha256Hex, sha256Hex, timestampedSignatureHeader } from './wire.ts';

const reasonOf = (verdict: NotificationVerdict) =>
  verdict.kind === 'rejected' ? verdict.reason : 'verified';

describe('Wave webhook verification', () => {
  // The test vector from docs/reference (computed with Python's hmac, not by Wave).
  const secret = 'wave_sn_WHS_test_secret';
  const t = '1700000000';
  const body =
    '{"id":"EV_test","type":"checkout.session.completed","data":{"id":"cos-test","amount":"11800","currency":"XOF","client_reference":"INV-2025-000001","payment_status":"succeeded"}}';
  const v1 = '92591ed00d18a9bb7fd0e12dba46ff6b85260e3d1053abef580c0b15ecfa1423';
  const atT = new Date(Number(t) * 1000);
  const session: KnownSession = {
    paymentId: 'INV-2025-000001',
    provider: 'wave',
    providerSessionId: 'cos-test',
    clientReference: 'INV-2025-000001',
    amount: moneyOf('11800', 'XOF'),
    notifTokenSha256: null,
  };
  const options = { webhookSecret: secret, toleranceSeconds: 300 };
  const request = (header: string | undefined, raw = body, now = atT): NotificationRequest => ({
    headers: header === undefined ? {} : { 'wave-signature': header },
    rawBody: raw,
    now,
  });

  it('accepts the reference vector and reads the checkout session', () => {
    const verdict = verifyWaveNotification(request(`t=${t},v1=${v1}`), session, options);
    expect(verdict).toEqual({
      kind: 'verified',
      notification: {
        provider: 'wave',
        eventId: 'EV_test',
        clientReference: 'INV-2025-000001',
        providerSessionId: 'cos-test',
        providerTransactionId: null,
        outcome: 'succeeded',
        amount: moneyOf('11800', 'XOF'),
        failure: null,
      },
    });
  });

  it('accepts when any one of several v1 signatures matches (secret rotation)', () => {
    const other = 'a'.repeat(64);
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${other},v1=${v1}`), session, options))).toBe(
      'verified',
    );
  });

  it('reads the header case-insensitively and from a Uint8Array body', () => {
    const verdict = verifyWaveNotification(
      { headers: { 'Wave-Signature': `t=${t},v1=${v1}` }, rawBody: Buffer.from(body), now: atT },
      session,
      options,
    );
    expect(reasonOf(verdict)).toBe('verified');
  });

  it.each([
    ['no header', undefined, body],
    ['a forged signature', `t=${t},v1=${'0'.repeat(64)}`, body],
    ['a signature over another body', `t=${t},v1=${v1}`, body.replace('11800', '1')],
    ['the wrong "t.body" scheme', `t=${t},v1=${hmacSha256Hex(secret, `${t}.${body}`)}`, body],
    ['another timestamp with the same signature', `t=1700000001,v1=${v1}`, body],
    ['no v1 at all', `t=${t}`, body],
    ['garbage', 'hello', body],
  ])('refuses %s as bad_signature', (_name, header, raw) => {
    expect(reasonOf(verifyWaveNotification(request(header, raw), session, options))).toBe('bad_signature');
  });

  it('refuses a genuine signature outside the tolerance, either side, and honours a wider tolerance', () => {
    const late = new Date(atT.getTime() + 301_000);
    const early = new Date(atT.getTime() - 301_000);
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${v1}`, body, late), session, options))).toBe(
      'stale_timestamp',
    );
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${v1}`, body, early), session, options))).toBe(
      'stale_timestamp',
    );
    const edge = new Date(atT.getTime() + 300_000);
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${v1}`, body, edge), session, options))).toBe(
      'verified',
    );
    expect(
      reasonOf(
        verifyWaveNotification(request(`t=${t},v1=${v1}`, body, late), session, {
          ...options,
          toleranceSeconds: 600,
        }),
      ),
    ).toBe('verified');
  });

  it('refuses an unknown session, or a known reference with another checkout session', () => {
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${v1}`), null, options))).toBe(
      'unknown_session',
    );
    const other = { ...session, providerSessionId: 'cos-other' };
    expect(reasonOf(verifyWaveNotification(request(`t=${t},v1=${v1}`), other, options))).toBe(
      'unknown_session',
    );
  });

  const signed = (raw: string) => request(timestampedSignatureHeader(secret, raw, atT), raw);

  it('refuses a signed body that is not a Wave event as malformed', () => {
    expect(reasonOf(verifyWaveNotification(signed('not json'), session, options))).toBe('malformed');
    expect(reasonOf(verifyWaveNotification(signed('{"id":"EV_1"}'), session, options))).toBe('malformed');
    const noAmount =
      '{"id":"EV_1","type":"checkout.session.completed","data":{"id":"cos-test","client_reference":"x"}}';
    expect(reasonOf(verifyWaveNotification(signed(noAmount), session, options))).toBe('malformed');
  });

  it('marks events that are not checkout outcomes as ignored, even without a session', () => {
    const verdict = verifyWaveNotification(
      signed('{"id":"EV_2","type":"test.test_event","data":{}}'),
      null,
      options,
    );
    expect(verdict).toMatchObject({
      kind: 'verified',
      notification: { outcome: 'ignored', eventId: 'EV_2' },
    });
  });

  it('reads a failed payment with its error code', () => {
    const raw =
      '{"id":"EV_3","type":"checkout.session.payment_failed","data":{"id":"cos-test","amount":"11800","currency":"XOF","client_reference":"INV-2025-000001","payment_status":"processing","last_payment_error":{"code":"insufficient-funds","message":"Solde insuffisant"}}}';
    expect(verifyWaveNotification(signed(raw), session, options)).toMatchObject({
      kind: 'verified',
      notification: {
        outcome: 'failed',
        failure: { code: 'insufficient-funds', message: 'Solde insuffisant' },
      },
    });
  });
});

describe('Orange Money notification check', () => {
  const notifToken = 'dd497bda3b250e536186fc0663f32f40';
  const session: KnownSession = {
    paymentId: 'pay-om-1',
    provider: 'orange_money',
    providerSessionId: 'f5720dd9',
    clientReference: 'pay-om-1',
    amount: moneyOf('11800', 'XOF'),
    notifTokenSha256: sha256Hex(notifToken),
  };
  const request = (raw: string): NotificationRequest => ({
    headers: {},
    rawBody: raw,
    now: new Date(),
    routeReference: 'pay-om-1',
  });

  it('accepts a notification bearing the notif_token issued at initiation', () => {
    const raw = JSON.stringify({ status: 'SUCCESS', notif_token: notifToken, txnid: 'MP150709.1341.A00073' });
    expect(verifyOrangeMoneyNotification(request(raw), session)).toEqual({
      kind: 'verified',
      notification: {
        provider: 'orange_money',
        eventId: 'orange_money:pay-om-1:SUCCESS:MP150709.1341.A00073',
        clientReference: 'pay-om-1',
        providerSessionId: 'f5720dd9',
        providerTransactionId: 'MP150709.1341.A00073',
        outcome: 'succeeded',
        amount: null,
        failure: null,
      },
    });
  });

  it('reads FAILED as a failure', () => {
    const raw = JSON.stringify({ status: 'FAILED', notif_token: notifToken });
    expect(verifyOrangeMoneyNotification(request(raw), session)).toMatchObject({
      notification: { outcome: 'failed' },
    });
  });

  it('refuses another token, an unknown payment and a malformed body', () => {
    const forged = JSON.stringify({ status: 'SUCCESS', notif_token: 'x'.repeat(32), txnid: 'MP1' });
    expect(reasonOf(verifyOrangeMoneyNotification(request(forged), session))).toBe('bad_signature');
    const genuine = JSON.stringify({ status: 'SUCCESS', notif_token: notifToken });
    expect(reasonOf(verifyOrangeMoneyNotification(request(genuine), null))).toBe('unknown_session');
    expect(reasonOf(verifyOrangeMoneyNotification(request('{"status":"SUCCESS"}'), session))).toBe(
      'malformed',
    );
    expect(reasonOf(verifyOrangeMoneyNotification(request('status=SUCCESS'), session))).toBe('malformed');
  });
});

describe('PayTech (Free Money) IPN check', () => {
  // The test vector from docs/reference: API_KEY_TEST / API_SECRET_TEST, 11800, INV-2025-000001.
  const keys = { apiKey: 'API_KEY_TEST', apiSecret: 'API_SECRET_TEST', acceptKeyHashIpn: false };
  const hmac = 'd7112d8372bbe895994024b32893b8602641d16580b269797412fdc1073f3696';
  const session: KnownSession = {
    paymentId: 'INV-2025-000001',
    provider: 'free_money',
    providerSessionId: '4fe7bb6bedbd94689e89',
    clientReference: 'INV-2025-000001',
    amount: moneyOf('11800', 'XOF'),
    notifTokenSha256: null,
  };
  const ipn = {
    type_event: 'sale_complete',
    ref_command: 'INV-2025-000001',
    item_name: 'Facture',
    item_price: 11800,
    payment_method: 'Free Money',
    currency: 'XOF',
    env: 'test',
    token: '4fe7bb6bedbd94689e89',
    hmac_compute: hmac,
  };
  const json = (body: object): NotificationRequest => ({
    headers: { 'content-type': 'application/json' },
    rawBody: JSON.stringify(body),
    now: new Date(),
  });

  it('accepts the reference vector sent as JSON', () => {
    expect(verifyPayTechNotification(json(ipn), session, keys)).toEqual({
      kind: 'verified',
      notification: {
        provider: 'free_money',
        eventId: 'paytech:INV-2025-000001:4fe7bb6bedbd94689e89:sale_complete',
        clientReference: 'INV-2025-000001',
        providerSessionId: '4fe7bb6bedbd94689e89',
        providerTransactionId: '4fe7bb6bedbd94689e89',
        outcome: 'succeeded',
        amount: moneyOf('11800', 'XOF'),
        failure: null,
      },
    });
  });

  it('accepts the same IPN form-encoded', () => {
    const form = new URLSearchParams(
      Object.entries(ipn).map(([k, v]) => [k, String(v)] as [string, string]),
    ).toString();
    const verdict = verifyPayTechNotification(
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: form, now: new Date() },
      session,
      keys,
    );
    expect(reasonOf(verdict)).toBe('verified');
  });

  it('signs final_item_price when PayTech sends one', () => {
    const discounted = {
      ...ipn,
      final_item_price: 10000,
      hmac_compute: hmacSha256Hex('API_SECRET_TEST', '10000|INV-2025-000001|API_KEY_TEST'),
    };
    expect(verifyPayTechNotification(json(discounted), session, keys)).toMatchObject({
      notification: { amount: moneyOf('10000', 'XOF') },
    });
  });

  it('refuses a wrong hmac, a changed price, and key hashes alone unless allowed', () => {
    expect(
      reasonOf(verifyPayTechNotification(json({ ...ipn, hmac_compute: 'ab'.repeat(32) }), session, keys)),
    ).toBe('bad_signature');
    expect(reasonOf(verifyPayTechNotification(json({ ...ipn, item_price: 1 }), session, keys))).toBe(
      'bad_signature',
    );
    const { hmac_compute: _dropped, ...withoutHmac } = ipn;
    const hashed = {
      ...withoutHmac,
      api_key_sha256: sha256Hex('API_KEY_TEST'),
      api_secret_sha256: sha256Hex('API_SECRET_TEST'),
    };
    expect(reasonOf(verifyPayTechNotification(json(hashed), session, keys))).toBe('bad_signature');
    expect(
      reasonOf(verifyPayTechNotification(json(hashed), session, { ...keys, acceptKeyHashIpn: true })),
    ).toBe('verified');
    const wrongHash = { ...hashed, api_secret_sha256: sha256Hex('guess') };
    expect(
      reasonOf(verifyPayTechNotification(json(wrongHash), session, { ...keys, acceptKeyHashIpn: true })),
    ).toBe('bad_signature');
  });

  it('refuses an unknown token and a malformed body', () => {
    expect(reasonOf(verifyPayTechNotification(json(ipn), null, keys))).toBe('unknown_session');
    expect(
      reasonOf(verifyPayTechNotification(json(ipn), { ...session, providerSessionId: 'other' }, keys)),
    ).toBe('unknown_session');
    expect(reasonOf(verifyPayTechNotification(json({ type_event: 'sale_complete' }), session, keys))).toBe(
      'malformed',
    );
    expect(
      reasonOf(verifyPayTechNotification({ headers: {}, rawBody: '{oops', now: new Date() }, session, keys)),
    ).toBe('malformed');
  });

  it('reads sale_canceled as a failure', () => {
    expect(
      verifyPayTechNotification(json({ ...ipn, type_event: 'sale_canceled' }), session, keys),
    ).toMatchObject({
      notification: { outcome: 'failed' },
    });
  });
});

describe('sandbox provider', () => {
  const provider = createSandboxProvider({
    webhookSecret: 'sandbox-secret',
    toleranceSeconds: 300,
    publicBaseUrl: 'http://127.0.0.1:3000',
  });
  const now = new Date('2026-03-01T10:00:00Z');

  it('opens a session and verifies its own signed notifications, Wave-style', async () => {
    const opened = await provider.createSession({
      paymentId: 'pay-s-1',
      tenantId: 't-1',
      amount: moneyOf('15000', 'XOF'),
      clientReference: 'pay-s-1',
      description: 'Facture F-1',
      successUrl: 'http://127.0.0.1:3000/ok',
      errorUrl: 'http://127.0.0.1:3000/ko',
      notificationUrl: 'http://127.0.0.1:3000/webhooks/sandbox',
    });
    expect(opened.paymentUrl).toBe('http://127.0.0.1:3000/sandbox/checkout/sbx-pay-s-1');
    const session: KnownSession = {
      paymentId: 'pay-s-1',
      provider: 'sandbox',
      providerSessionId: opened.providerSessionId,
      clientReference: 'pay-s-1',
      amount: moneyOf('15000', 'XOF'),
      notifTokenSha256: null,
    };
    const built = buildSandboxNotification({
      webhookSecret: 'sandbox-secret',
      session,
      outcome: 'succeeded',
      amount: moneyOf('15000', 'XOF'),
      eventId: 'EV_sbx_1',
      transactionId: 'SBX-T-1',
      now,
    });
    const request = { headers: built.headers, rawBody: built.rawBody, now };
    expect(provider.claimedReference(request)).toBe('pay-s-1');
    const verdict = provider.verifyNotification(request, session);
    expect(verdict).toMatchObject({
      kind: 'verified',
      notification: { provider: 'sandbox', outcome: 'succeeded' },
    });
    if (verdict.kind !== 'verified') return;
    await expect(provider.confirm(session, verdict.notification)).resolves.toEqual({
      status: 'succeeded',
      amount: moneyOf('15000', 'XOF'),
      providerTransactionId: 'SBX-T-1',
    });
  });

  it('refuses a sandbox notification signed with another secret or under the Wave header', () => {
    const session = {
      paymentId: 'p',
      provider: 'sandbox' as const,
      providerSessionId: 'sbx-p',
      clientReference: 'p',
      amount: moneyOf('1', 'XOF'),
      notifTokenSha256: null,
    };
    const built = buildSandboxNotification({
      webhookSecret: 'not-the-secret',
      session,
      outcome: 'succeeded',
      amount: moneyOf('1', 'XOF'),
      eventId: 'E',
      transactionId: 'T',
      now,
    });
    expect(
      reasonOf(provider.verifyNotification({ headers: built.headers, rawBody: built.rawBody, now }, session)),
    ).toBe('bad_signature');
    const moved = { 'wave-signature': built.headers[sandboxSignatureHeader]! };
    expect(
      reasonOf(provider.verifyNotification({ headers: moved, rawBody: built.rawBody, now }, session)),
    ).toBe('bad_signature');
  });
});
