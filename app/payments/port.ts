import type { Money } from '../../domain/money/index.ts';
import type { OnlineProvider } from '../../domain/payment/payment.ts';

/**
 * The one port every payment provider adapter implements (Wave, Orange Money, Free Money through
 * PayTech, and the sandbox). The flow talks to this interface only; each adapter owns its
 * provider's wire format and its way of proving a notification is genuine.
 */

/** The `fetch` the adapters call; tests pass one bound to a local server. */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** HTTP headers as Node and Fastify give them: lower-case names. */
export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SessionRequest {
  readonly paymentId: string;
  readonly tenantId: string;
  readonly amount: Money;
  /**
   * Our reference, sent to the provider and echoed in its notifications (Wave `client_reference`,
   * Orange Money `order_id`, PayTech `ref_command`). The flow uses the payment id, so a
   * notification names its payment stream directly and never waits for a read model.
   */
  readonly clientReference: string;
  /** Shown to the payer (PayTech `item_name`, Orange Money `reference`). */
  readonly description: string;
  readonly successUrl: string;
  readonly errorUrl: string;
  /** Where the provider sends its notification, for providers that take it per payment. */
  readonly notificationUrl: string;
}

export interface ProviderSession {
  /** Wave `cos-…`, Orange Money `pay_token`, PayTech `token`, sandbox `sbx-…`. */
  readonly providerSessionId: string;
  /** Where to send the payer. */
  readonly paymentUrl: string;
  /**
   * Orange Money's `notif_token`. Returned once; the flow stores only its SHA-256 and the token
   * itself must not be logged.
   */
  readonly notifToken: string | null;
}

/** What the flow knows about a payment when a notification arrives, read from its stream. */
export interface KnownSession {
  readonly paymentId: string;
  readonly provider: OnlineProvider;
  readonly providerSessionId: string;
  readonly clientReference: string;
  readonly amount: Money;
  readonly notifTokenSha256: string | null;
}

export interface NotificationRequest {
  readonly headers: IncomingHeaders;
  /** The body exactly as received: signatures are computed over these bytes. */
  readonly rawBody: string | Uint8Array;
  readonly now: Date;
  /**
   * A reference carried by the notification URL itself (`/webhooks/orange-money/<paymentId>`), for
   * providers whose notification does not name our order.
   */
  readonly routeReference?: string;
}

export interface ProviderNotification {
  readonly provider: OnlineProvider;
  /** Deduplication key: the provider's event id, or a value derived from the notification. */
  readonly eventId: string;
  /**
   * Our reference as the notification gives it; the flow reads `payment-<clientReference>`. Null
   * only on `ignored` notifications.
   */
  readonly clientReference: string | null;
  readonly providerSessionId: string | null;
  readonly providerTransactionId: string | null;
  /** `ignored`: genuine but not about a payment outcome (a portal test event, …). */
  readonly outcome: 'succeeded' | 'failed' | 'ignored';
  /** The amount the notification claims, when it carries one. */
  readonly amount: Money | null;
  readonly failure: { readonly code: string; readonly message: string } | null;
}

export const rejectionReasons = ['bad_signature', 'stale_timestamp', 'malformed', 'unknown_session'] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export type NotificationVerdict =
  | { readonly kind: 'verified'; readonly notification: ProviderNotification }
  | { readonly kind: 'rejected'; readonly reason: RejectionReason; readonly detail: string };

/** The HTTP status the webhook route answers for each rejection. */
export const httpStatusByRejection: Readonly<Record<RejectionReason, 400 | 401 | 404>> = {
  bad_signature: 401,
  stale_timestamp: 401,
  malformed: 400,
  unknown_session: 404,
};

/** What the provider says when asked directly, after a notification. */
export type ConfirmedOutcome =
  | { readonly status: 'succeeded'; readonly amount: Money; readonly providerTransactionId: string | null }
  | { readonly status: 'failed'; readonly code: string; readonly message: string }
  | { readonly status: 'pending' };

export interface PaymentProvider {
  readonly name: OnlineProvider;
  /** True for the sandbox only: it moves no money and every screen must say so. */
  readonly isSandbox: boolean;
  createSession(request: SessionRequest): Promise<ProviderSession>;
  /** Which payment a notification claims to be about, before anything is trusted; null if unreadable. */
  claimedReference(request: NotificationRequest): string | null;
  /**
   * Checks a notification. Pure apart from hashing: no I/O. `session` is the payment the flow found
   * for `claimedReference`, or null when there is none.
   */
  verifyNotification(request: NotificationRequest, session: KnownSession | null): NotificationVerdict;
  /**
   * Asks the provider what really happened, where its documentation says to (Wave: read the
   * session; Orange Money: the transaction-status call). Providers without such a call answer
   * from the verified notification.
   */
  confirm(session: KnownSession, notification: ProviderNotification): Promise<ConfirmedOutcome>;
}

/** A provider call that did not give a usable answer. Nothing is recorded; the caller may retry. */
export class ProviderCallFailed extends Error {
  override readonly name = 'ProviderCallFailed';
  constructor(
    readonly provider: OnlineProvider,
    readonly operation: string,
    readonly httpStatus: number | null,
    detail: string,
  ) {
    super(`${provider} ${operation} failed${httpStatus === null ? '' : ` (HTTP ${httpStatus})`}: ${detail}`);
  }
}
