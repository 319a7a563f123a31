import { toMajorString } from '../../domain/money/index.ts';
import type {
  ConfirmedOutcome,
  Fetch,
  KnownSession,
  NotificationRequest,
  NotificationVerdict,
  PaymentProvider,
  ProviderSession,
  SessionRequest,
} from './port.ts';
import { ProviderCallFailed } from './port.ts';
import {
  bodyBytes,
  callProvider,
  constantTimeEqualHex,
  exactNumber,
  isRecord,
  jsonWithExactNumbers,
  parseJsonObject,
  sha256Hex,
  stringField,
} from './wire.ts';

/**
 * Orange Money Web Payment ("OM WebPay", Orange Developer).
 *
 * 1. `POST /oauth/v3/token` with HTTP Basic client id:secret and `grant_type=client_credentials`.
 * 2. `POST /orange-money-webpay/{country}/v1/webpayment` → HTTP 201 with `pay_token`,
 *    `payment_url` and `notif_token`.
 * 3. Orange POSTs `{"status","notif_token","txnid"}` to our `notif_url`. There is no signature:
 *    the notification is genuine only if its `notif_token` is the one we got at step 2, which we
 *    keep as a SHA-256 in the PaymentInitiated event.
 * 4. Before booking, `POST /orange-money-webpay/{country}/v1/transactionstatus` with
 *    `{order_id, amount, pay_token}` says what really happened.
 *
 * The notification does not name our order, so the `notif_url` carries the payment id in its path
 * (`…/webhooks/orange-money/<paymentId>`); the route passes it as `routeReference`.
 */

export interface OrangeMoneyOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly merchantKey: string;
  readonly baseUrl: string;
  /** `dev` (Orange's sandbox), `sn`, `ci`… */
  readonly country: string;
  /** Orange's sandbox only takes its play currency `OUV`; production takes `XOF`. */
  readonly currency: 'XOF' | 'OUV';
  readonly merchantName: string;
  readonly fetch: Fetch;
  readonly now: () => Date;
}

/** Orange refuses longer `order_id`s. */
export const orangeOrderIdLengthMax = 30;
/** A token is renewed this long before Orange says it expires, so a call never races the expiry. */
const tokenRenewalMarginMs = 60_000;

const outcomeByStatus: Readonly<Record<string, 'succeeded' | 'failed'>> = {
  SUCCESS: 'succeeded',
  FAILED: 'failed',
};

export function verifyOrangeMoneyNotification(
  request: NotificationRequest,
  session: KnownSession | null,
): NotificationVerdict {
  const body = parseJsonObject(bodyBytes(request.rawBody));
  const status = body === null ? null : stringField(body, 'status');
  const notifToken = body === null ? null : stringField(body, 'notif_token');
  if (body === null || status === null || notifToken === null) {
    return { kind: 'rejected', reason: 'malformed', detail: 'expected {"status","notif_token","txnid"}' };
  }
  if (session === null || session.notifTokenSha256 === null) {
    return {
      kind: 'rejected',
      reason: 'unknown_session',
      detail: 'no Orange Money payment at this notification URL',
    };
  }
  if (!constantTimeEqualHex(session.notifTokenSha256, sha256Hex(notifToken))) {
    return { kind: 'rejected', reason: 'bad_signature', detail: 'notif_token does not match the one issued' };
  }
  const outcome = outcomeByStatus[status];
  const txnid = stringField(body, 'txnid');
  return {
    kind: 'verified',
    notification: {
      provider: 'orange_money',
      eventId: `orange_money:${session.paymentId}:${status}:${txnid ?? ''}`,
      clientReference: session.clientReference,
      providerSessionId: session.providerSessionId,
      providerTransactionId: txnid,
      outcome: outcome ?? 'ignored',
      amount: null,
      failure:
        outcome === 'failed' ? { code: 'FAILED', message: 'Orange Money reported the payment failed' } : null,
    },
  };
}

export function createOrangeMoneyProvider(options: OrangeMoneyOptions): PaymentProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  const webpay = `${base}/orange-money-webpay/${options.country}/v1`;
  let cachedToken: { readonly value: string; readonly renewAtMs: number } | null = null;

  async function accessToken(): Promise<string> {
    if (cachedToken !== null && options.now().getTime() < cachedToken.renewAtMs) return cachedToken.value;
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64');
    const answer = await callProvider(
      options.fetch,
      'orange_money',
      'obtain token',
      `${base}/oauth/v3/token`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      },
    );
    const body = answer.body;
    const token = isRecord(body) ? stringField(body, 'access_token') : null;
    if (answer.status !== 200 || !isRecord(body) || token === null) {
      throw new ProviderCallFailed('orange_money', 'obtain token', answer.status, 'no access_token');
    }
    // expires_in counts seconds, not money: a plain number is right here.
    const expiresInSeconds = typeof body.expires_in === 'number' ? body.expires_in : 0;
    cachedToken = {
      value: token,
      renewAtMs: options.now().getTime() + Math.max(0, expiresInSeconds * 1000 - tokenRenewalMarginMs),
    };
    return token;
  }

  /** Calls with the cached token; on a 401 (token revoked early) fetches a new one and tries once more. */
  async function callWithToken(operation: string, url: string, payload: unknown) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const token = await accessToken();
      const answer = await callProvider(options.fetch, 'orange_money', operation, url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: jsonWithExactNumbers(payload),
      });
      if (answer.status !== 401) return answer;
      cachedToken = null;
    }
    throw new ProviderCallFailed('orange_money', operation, 401, 'token refused twice');
  }

  function currencyFor(session: { readonly amount: KnownSession['amount'] }): string {
    if (session.amount.currency !== 'XOF') {
      throw new ProviderCallFailed(
        'orange_money',
        'currency',
        null,
        `Orange Money takes XOF, not ${session.amount.currency}`,
      );
    }
    return options.currency;
  }

  return {
    name: 'orange_money',
    isSandbox: false,

    async createSession(request: SessionRequest): Promise<ProviderSession> {
      if (request.clientReference.length > orangeOrderIdLengthMax) {
        throw new ProviderCallFailed(
          'orange_money',
          'create web payment',
          null,
          'order_id longer than 30 characters',
        );
      }
      const answer = await callWithToken('create web payment', `${webpay}/webpayment`, {
        merchant_key: options.merchantKey,
        currency: currencyFor(request),
        order_id: request.clientReference,
        amount: exactNumber(toMajorString(request.amount)),
        return_url: request.successUrl,
        cancel_url: request.errorUrl,
        notif_url: request.notificationUrl,
        lang: 'fr',
        reference: options.merchantName,
      });
      const body = answer.body;
      if (answer.status !== 201 || !isRecord(body)) {
        throw new ProviderCallFailed(
          'orange_money',
          'create web payment',
          answer.status,
          describeError(body),
        );
      }
      const payToken = stringField(body, 'pay_token');
      const paymentUrl = stringField(body, 'payment_url');
      const notifToken = stringField(body, 'notif_token');
      if (payToken === null || paymentUrl === null || notifToken === null) {
        throw new ProviderCallFailed(
          'orange_money',
          'create web payment',
          answer.status,
          'missing pay_token, payment_url or notif_token',
        );
      }
      return { providerSessionId: payToken, paymentUrl, notifToken };
    },

    claimedReference(request: NotificationRequest): string | null {
      return request.routeReference ?? null;
    },

    verifyNotification(request, session) {
      return verifyOrangeMoneyNotification(request, session);
    },

    async confirm(session: KnownSession): Promise<ConfirmedOutcome> {
      const answer = await callWithToken('transaction status', `${webpay}/transactionstatus`, {
        order_id: session.clientReference,
        amount: exactNumber(toMajorString(session.amount)),
        pay_token: session.providerSessionId,
      });
      const body = answer.body;
      const status = isRecord(body) ? stringField(body, 'status') : null;
      if (answer.status < 200 || answer.status >= 300 || !isRecord(body) || status === null) {
        throw new ProviderCallFailed(
          'orange_money',
          'transaction status',
          answer.status,
          describeError(body),
        );
      }
      switch (status) {
        case 'SUCCESS':
          // Orange answers for the (order_id, amount, pay_token) we asked about: the amount is ours.
          return {
            status: 'succeeded',
            amount: session.amount,
            providerTransactionId: stringField(body, 'txnid'),
          };
        case 'FAILED':
        case 'EXPIRED':
          return {
            status: 'failed',
            code: status,
            message: `Orange Money transaction ${status.toLowerCase()}`,
          };
        default:
          // INITIATED, PENDING, or a status Orange adds later: not money yet.
          return { status: 'pending' };
      }
    },
  };
}

function describeError(body: unknown): string {
  if (isRecord(body)) {
    const message = stringField(body, 'message') ?? stringField(body, 'description');
    if (message !== null) return message;
  }
  return 'unexpected answer';
}
