import { toMajorString } from '../../domain/money/index.ts';
import type {
  ConfirmedOutcome,
  Fetch,
  KnownSession,
  NotificationRequest,
  NotificationVerdict,
  PaymentProvider,
  ProviderNotification,
  ProviderSession,
  SessionRequest,
} from './port.ts';
import { ProviderCallFailed } from './port.ts';
import {
  amountFromProvider,
  bodyBytes,
  callProvider,
  checkTimestampedSignature,
  headerValue,
  isRecord,
  parseJsonObject,
  stringField,
} from './wire.ts';

/**
 * Wave Checkout (Senegal). https://docs.wave.com/checkout and https://docs.wave.com/webhook
 *
 * - Sessions: `POST /v1/checkout/sessions` with `Authorization: Bearer <api key>`; the amount is a
 *   string in major units (XOF has none below the franc).
 * - Webhooks carry `Wave-Signature: t=<unix>,v1=<hex>[,v1=…]`, the hex HMAC-SHA256 of the
 *   timestamp immediately followed by the raw body, keyed with the webhook secret.
 * - Before booking money we read the session back (`GET /v1/checkout/sessions/:id`), as the
 *   reference notes recommend: the webhook says something happened, the session says what.
 */

export interface WaveOptions {
  readonly apiKey: string;
  readonly webhookSecret: string;
  readonly baseUrl: string;
  readonly toleranceSeconds: number;
  readonly fetch: Fetch;
}

export const waveSignatureHeader = 'wave-signature';

const outcomeByEventType: Readonly<Record<string, 'succeeded' | 'failed'>> = {
  'checkout.session.completed': 'succeeded',
  'checkout.session.payment_failed': 'failed',
};

/**
 * Checks a Wave webhook: signature, then timestamp, then shape, then that it names the session we
 * opened. Events that are not about a checkout outcome (`test.test_event`, `merchant.payment_received`…)
 * are verified and marked `ignored`, so the route can answer 2xx and Wave stops retrying.
 */
export function verifyWaveNotification(
  request: NotificationRequest,
  session: KnownSession | null,
  options: {
    readonly webhookSecret: string;
    readonly toleranceSeconds: number;
    /** The sandbox reuses this check under its own name and header. */
    readonly provider?: 'wave' | 'sandbox';
    readonly signatureHeader?: string;
  },
): NotificationVerdict {
  const provider = options.provider ?? 'wave';
  const headerName = options.signatureHeader ?? waveSignatureHeader;
  const rawBody = bodyBytes(request.rawBody);
  const check = checkTimestampedSignature({
    header: headerValue(request.headers, headerName),
    rawBody,
    secret: options.webhookSecret,
    now: request.now,
    toleranceSeconds: options.toleranceSeconds,
  });
  switch (check) {
    case 'malformed_header':
      return {
        kind: 'rejected',
        reason: 'bad_signature',
        detail: `missing or unreadable ${headerName} header`,
      };
    case 'bad_signature':
      return { kind: 'rejected', reason: 'bad_signature', detail: 'no v1 signature matches' };
    case 'stale_timestamp':
      return {
        kind: 'rejected',
        reason: 'stale_timestamp',
        detail: 'signature timestamp outside the tolerance',
      };
    case 'ok':
      break;
    default:
      return check satisfies never;
  }

  const event = parseJsonObject(rawBody);
  const eventId = event === null ? null : stringField(event, 'id');
  const type = event === null ? null : stringField(event, 'type');
  if (event === null || eventId === null || type === null) {
    return { kind: 'rejected', reason: 'malformed', detail: 'expected {"id","type","data"}' };
  }
  const outcome = outcomeByEventType[type];
  if (outcome === undefined) {
    return {
      kind: 'verified',
      notification: {
        provider,
        eventId,
        clientReference: null,
        providerSessionId: null,
        providerTransactionId: null,
        outcome: 'ignored',
        amount: null,
        failure: null,
      },
    };
  }
  const data = event.data;
  if (!isRecord(data)) return { kind: 'rejected', reason: 'malformed', detail: 'event without data' };
  const sessionId = stringField(data, 'id');
  const clientReference = stringField(data, 'client_reference');
  const amount = amountFromProvider(data.amount, data.currency);
  if (sessionId === null || clientReference === null || amount === null) {
    return {
      kind: 'rejected',
      reason: 'malformed',
      detail: 'checkout session without id, client_reference or amount',
    };
  }
  if (
    session === null ||
    session.providerSessionId !== sessionId ||
    session.clientReference !== clientReference
  ) {
    return {
      kind: 'rejected',
      reason: 'unknown_session',
      detail: `no payment opened checkout session ${sessionId}`,
    };
  }
  const lastError = isRecord(data.last_payment_error) ? data.last_payment_error : null;
  const notification: ProviderNotification = {
    provider,
    eventId,
    clientReference,
    providerSessionId: sessionId,
    providerTransactionId: stringField(data, 'transaction_id'),
    outcome,
    amount,
    failure:
      outcome === 'failed'
        ? {
            code: (lastError && stringField(lastError, 'code')) ?? 'payment_failed',
            message: (lastError && stringField(lastError, 'message')) ?? '',
          }
        : null,
  };
  return { kind: 'verified', notification };
}

/** Reads a Wave checkout session object into an outcome. Exported for the sandbox, which mimics it. */
export function outcomeOfCheckoutSession(body: unknown, session: KnownSession): ConfirmedOutcome | null {
  if (!isRecord(body)) return null;
  if (stringField(body, 'id') !== session.providerSessionId) return null;
  // A session that does not carry our reference is not the one we opened for this payment.
  const reference = stringField(body, 'client_reference');
  if (reference !== null && reference !== session.clientReference) return null;
  const paymentStatus = stringField(body, 'payment_status');
  const checkoutStatus = stringField(body, 'checkout_status');
  if (paymentStatus === 'succeeded') {
    const amount = amountFromProvider(body.amount, body.currency);
    if (amount === null) return null;
    return { status: 'succeeded', amount, providerTransactionId: stringField(body, 'transaction_id') };
  }
  if (paymentStatus === 'cancelled') {
    const lastError = isRecord(body.last_payment_error) ? body.last_payment_error : null;
    return {
      status: 'failed',
      code: (lastError && stringField(lastError, 'code')) ?? 'cancelled',
      message: (lastError && stringField(lastError, 'message')) ?? '',
    };
  }
  if (checkoutStatus === 'expired')
    return { status: 'failed', code: 'expired', message: 'checkout session expired' };
  return { status: 'pending' };
}

export function createWaveProvider(options: WaveOptions): PaymentProvider {
  const authorization = `Bearer ${options.apiKey}`;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    name: 'wave',
    isSandbox: false,

    async createSession(request: SessionRequest): Promise<ProviderSession> {
      const answer = await callProvider(
        options.fetch,
        'wave',
        'create checkout session',
        `${base}/v1/checkout/sessions`,
        {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            amount: toMajorString(request.amount),
            currency: request.amount.currency,
            client_reference: request.clientReference,
            success_url: request.successUrl,
            error_url: request.errorUrl,
          }),
        },
      );
      const body = answer.body;
      if (answer.status < 200 || answer.status >= 300 || !isRecord(body)) {
        throw new ProviderCallFailed('wave', 'create checkout session', answer.status, describeError(body));
      }
      const id = stringField(body, 'id');
      const launchUrl = stringField(body, 'wave_launch_url');
      if (id === null || launchUrl === null) {
        throw new ProviderCallFailed(
          'wave',
          'create checkout session',
          answer.status,
          'no id or wave_launch_url',
        );
      }
      return { providerSessionId: id, paymentUrl: launchUrl, notifToken: null };
    },

    claimedReference(request: NotificationRequest): string | null {
      const event = parseJsonObject(bodyBytes(request.rawBody));
      if (event === null || !isRecord(event.data)) return null;
      return stringField(event.data, 'client_reference');
    },

    verifyNotification(request, session) {
      return verifyWaveNotification(request, session, options);
    },

    async confirm(session: KnownSession): Promise<ConfirmedOutcome> {
      const url = `${base}/v1/checkout/sessions/${encodeURIComponent(session.providerSessionId)}`;
      const answer = await callProvider(options.fetch, 'wave', 'read checkout session', url, {
        method: 'GET',
        headers: { authorization, accept: 'application/json' },
      });
      if (answer.status !== 200) {
        throw new ProviderCallFailed(
          'wave',
          'read checkout session',
          answer.status,
          describeError(answer.body),
        );
      }
      const outcome = outcomeOfCheckoutSession(answer.body, session);
      if (outcome === null) {
        throw new ProviderCallFailed(
          'wave',
          'read checkout session',
          answer.status,
          'unreadable checkout session',
        );
      }
      return outcome;
    },
  };
}

function describeError(body: unknown): string {
  if (isRecord(body)) {
    const code = stringField(body, 'code');
    const message = stringField(body, 'message');
    if (code !== null || message !== null) return [code, message].filter((x) => x !== null).join(': ');
  }
  return 'unexpected answer';
}
