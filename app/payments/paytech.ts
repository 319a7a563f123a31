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
  constantTimeEqualHex,
  exactNumber,
  headerValue,
  hmacSha256Hex,
  isRecord,
  jsonWithExactNumbers,
  notificationBytesMax,
  sha256Hex,
  stringField,
} from './wire.ts';

/**
 * Free Money, reached through PayTech (paytech.sn). Free Money publishes no merchant API of its
 * own; PayTech publishes both its payment request and its IPN signature, and lets a request target
 * one wallet (`target_payment: "Free Money"`). See docs/payments.md for why PayTech.
 *
 * - Request: `POST /payment/request-payment` with `API_KEY` and `API_SECRET` headers → `{success: 1,
 *   token, redirect_url}`.
 * - IPN (JSON or form-encoded): `type_event` (`sale_complete`, `sale_canceled`, `refund_complete`),
 *   `ref_command`, `item_price`, `final_item_price`, `token`, `hmac_compute`, `api_key_sha256`,
 *   `api_secret_sha256`…
 * - Verification, PayTech's recommended method: `hmac_compute` = hex HMAC-SHA256 keyed with the API
 *   secret over `<final_item_price or item_price>|<ref_command>|<API key>`. The older method
 *   (SHA-256 of each key) is accepted only when PAYTECH_ACCEPT_KEY_HASH_IPN is set, because it
 *   binds nothing in the notification.
 * - PayTech documents no status call we could verify, so `confirm` answers from the verified IPN;
 *   the amount is still checked against the session by the payment decider.
 */

export interface PayTechOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly baseUrl: string;
  readonly env: 'test' | 'prod';
  readonly acceptKeyHashIpn: boolean;
  readonly fetch: Fetch;
}

export const payTechTargetPayment = 'Free Money';

const outcomeByTypeEvent: Readonly<Record<string, 'succeeded' | 'failed'>> = {
  sale_complete: 'succeeded',
  sale_canceled: 'failed',
};

/** Reads an IPN body, JSON or form-encoded, into flat text fields. Numbers stay exact strings. */
export function readPayTechIpn(request: NotificationRequest): Record<string, string> | null {
  const raw = bodyBytes(request.rawBody);
  if (raw.length > notificationBytesMax) return null;
  const text = raw.toString('utf8');
  const contentType = headerValue(request.headers, 'content-type') ?? '';
  const fields: Record<string, string> = {};
  if (contentType.includes('json') || text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isRecord(parsed)) return null;
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') fields[key] = value;
      // A safe integer is exact in JS; it is written back as the same digits PayTech signed.
      else if (typeof value === 'number' && Number.isSafeInteger(value)) fields[key] = String(value);
    }
    return fields;
  }
  for (const [key, value] of new URLSearchParams(text)) fields[key] = value;
  return fields;
}

export function verifyPayTechNotification(
  request: NotificationRequest,
  session: KnownSession | null,
  options: Pick<PayTechOptions, 'apiKey' | 'apiSecret' | 'acceptKeyHashIpn'>,
): NotificationVerdict {
  const ipn = readPayTechIpn(request);
  const refCommand = ipn?.ref_command;
  const typeEvent = ipn?.type_event;
  const price = ipn?.final_item_price ?? ipn?.item_price;
  if (ipn === null || refCommand === undefined || typeEvent === undefined || price === undefined) {
    return {
      kind: 'rejected',
      reason: 'malformed',
      detail: 'expected type_event, ref_command and item_price',
    };
  }

  const hmacCompute = ipn.hmac_compute;
  let authentic: boolean;
  if (hmacCompute !== undefined) {
    const expected = hmacSha256Hex(options.apiSecret, `${price}|${refCommand}|${options.apiKey}`);
    authentic = constantTimeEqualHex(expected, hmacCompute);
  } else if (options.acceptKeyHashIpn) {
    const keyOk = constantTimeEqualHex(sha256Hex(options.apiKey), ipn.api_key_sha256);
    const secretOk = constantTimeEqualHex(sha256Hex(options.apiSecret), ipn.api_secret_sha256);
    authentic = keyOk && secretOk;
  } else {
    authentic = false;
  }
  if (!authentic) {
    return { kind: 'rejected', reason: 'bad_signature', detail: 'hmac_compute missing or wrong' };
  }

  const token = ipn.token ?? null;
  const outcome = outcomeByTypeEvent[typeEvent] ?? 'ignored';
  if (outcome !== 'ignored' && (session === null || session.providerSessionId !== token)) {
    return {
      kind: 'rejected',
      reason: 'unknown_session',
      detail: `no payment opened PayTech token ${token ?? '(none)'}`,
    };
  }
  const amount = amountFromProvider(price, ipn.currency ?? 'XOF');
  if (amount === null) return { kind: 'rejected', reason: 'malformed', detail: 'unreadable price' };
  const notification: ProviderNotification = {
    provider: 'free_money',
    // PayTech's documentation deduplicates on ref_command + token; the event type tells a sale from a refund.
    eventId: `paytech:${refCommand}:${token ?? ''}:${typeEvent}`,
    clientReference: outcome === 'ignored' ? null : refCommand,
    providerSessionId: token,
    providerTransactionId: token,
    outcome,
    amount,
    failure:
      outcome === 'failed' ? { code: 'sale_canceled', message: 'PayTech reported the sale canceled' } : null,
  };
  return { kind: 'verified', notification };
}

export function createPayTechProvider(options: PayTechOptions): PaymentProvider {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    name: 'free_money',
    isSandbox: false,

    async createSession(request: SessionRequest): Promise<ProviderSession> {
      const answer = await callProvider(
        options.fetch,
        'free_money',
        'request payment',
        `${base}/payment/request-payment`,
        {
          method: 'POST',
          headers: {
            API_KEY: options.apiKey,
            API_SECRET: options.apiSecret,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: jsonWithExactNumbers({
            item_name: request.description,
            item_price: exactNumber(toMajorString(request.amount)),
            currency: request.amount.currency,
            ref_command: request.clientReference,
            command_name: request.description,
            env: options.env,
            ipn_url: request.notificationUrl,
            success_url: request.successUrl,
            cancel_url: request.errorUrl,
            target_payment: payTechTargetPayment,
            custom_field: JSON.stringify({ paymentId: request.paymentId, tenantId: request.tenantId }),
          }),
        },
      );
      const body = answer.body;
      const success = isRecord(body) && (body.success === 1 || body.success === '1' || body.success === true);
      const token = isRecord(body) ? stringField(body, 'token') : null;
      const redirectUrl = isRecord(body) ? stringField(body, 'redirect_url') : null;
      if (answer.status !== 200 || !success || token === null || redirectUrl === null) {
        throw new ProviderCallFailed('free_money', 'request payment', answer.status, describeError(body));
      }
      return { providerSessionId: token, paymentUrl: redirectUrl, notifToken: null };
    },

    claimedReference(request: NotificationRequest): string | null {
      return readPayTechIpn(request)?.ref_command ?? null;
    },

    verifyNotification(request, session) {
      return verifyPayTechNotification(request, session, options);
    },

    async confirm(_session: KnownSession, notification: ProviderNotification): Promise<ConfirmedOutcome> {
      return outcomeFromNotification(notification);
    },
  };
}

/** For providers without a status call: the verified notification is the answer. */
export function outcomeFromNotification(notification: ProviderNotification): ConfirmedOutcome {
  if (notification.outcome === 'succeeded' && notification.amount !== null) {
    return {
      status: 'succeeded',
      amount: notification.amount,
      providerTransactionId: notification.providerTransactionId,
    };
  }
  if (notification.outcome === 'failed') {
    return {
      status: 'failed',
      code: notification.failure?.code ?? 'failed',
      message: notification.failure?.message ?? '',
    };
  }
  return { status: 'pending' };
}

function describeError(body: unknown): string {
  if (isRecord(body)) {
    if (Array.isArray(body.errors)) return body.errors.filter((e) => typeof e === 'string').join('; ');
    const message = stringField(body, 'message');
    if (message !== null) return message;
  }
  return 'unexpected answer';
}
