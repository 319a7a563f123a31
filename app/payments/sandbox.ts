import { type Money, toMajorString } from '../../domain/money/index.ts';
import { outcomeFromNotification } from './paytech.ts';
import type {
  ConfirmedOutcome,
  KnownSession,
  NotificationRequest,
  PaymentProvider,
  ProviderNotification,
  ProviderSession,
  SessionRequest,
} from './port.ts';
import { bodyBytes, isRecord, parseJsonObject, stringField, timestampedSignatureHeader } from './wire.ts';
import { verifyWaveNotification } from './wave.ts';

/**
 * THE SANDBOX PROVIDER MOVES NO MONEY. It exists so a demo can pay an invoice end to end on one
 * machine, with nothing to sign up for. It is off unless SANDBOX_PAYMENTS_ENABLED is set, and every
 * screen that shows a sandbox payment must show `sandboxLabel`.
 *
 * It is built to exercise the real path, not a shortcut: its notifications are Wave-shaped events
 * signed exactly as Wave signs (`t=…,v1=…`, HMAC-SHA256 over timestamp + raw body) with the
 * sandbox's own secret and in its own header, and they go through the same webhook route,
 * verification, idempotency and allocation as real ones.
 */

export const sandboxLabel =
  'BAC À SABLE — paiement simulé, aucun argent réel / SANDBOX — simulated, no real money';
export const sandboxSignatureHeader = 'sandbox-signature';

export interface SandboxOptions {
  readonly webhookSecret: string;
  readonly toleranceSeconds: number;
  /** Origin of the ledger's own sandbox checkout page, e.g. `http://127.0.0.1:3000`. */
  readonly publicBaseUrl: string;
}

export function sandboxSessionId(paymentId: string): string {
  return `sbx-${paymentId}`;
}

export function createSandboxProvider(options: SandboxOptions): PaymentProvider & { readonly label: string } {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  return {
    name: 'sandbox',
    isSandbox: true,
    label: sandboxLabel,

    async createSession(request: SessionRequest): Promise<ProviderSession> {
      const providerSessionId = sandboxSessionId(request.paymentId);
      return {
        providerSessionId,
        paymentUrl: `${base}/sandbox/checkout/${encodeURIComponent(providerSessionId)}`,
        notifToken: null,
      };
    },

    claimedReference(request: NotificationRequest): string | null {
      const event = parseJsonObject(bodyBytes(request.rawBody));
      if (event === null || !isRecord(event.data)) return null;
      return stringField(event.data, 'client_reference');
    },

    verifyNotification(request, session) {
      return verifyWaveNotification(request, session, {
        webhookSecret: options.webhookSecret,
        toleranceSeconds: options.toleranceSeconds,
        provider: 'sandbox',
        signatureHeader: sandboxSignatureHeader,
      });
    },

    async confirm(_session: KnownSession, notification: ProviderNotification): Promise<ConfirmedOutcome> {
      // There is nobody to ask: the signed notification is the whole truth in the sandbox.
      return outcomeFromNotification(notification);
    },
  };
}

export interface SandboxNotificationInput {
  readonly webhookSecret: string;
  readonly session: Pick<KnownSession, 'providerSessionId' | 'clientReference'>;
  readonly outcome: 'succeeded' | 'failed';
  /** What the simulated payer paid; a demo may pay a different amount to show the review flag. */
  readonly amount: Money;
  readonly eventId: string;
  readonly transactionId: string;
  readonly now: Date;
}

/** A signed notification, ready to POST to the sandbox webhook route. */
export function buildSandboxNotification(input: SandboxNotificationInput): {
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
} {
  const succeeded = input.outcome === 'succeeded';
  const rawBody = JSON.stringify({
    id: input.eventId,
    type: succeeded ? 'checkout.session.completed' : 'checkout.session.payment_failed',
    data: {
      id: input.session.providerSessionId,
      amount: toMajorString(input.amount),
      currency: input.amount.currency,
      client_reference: input.session.clientReference,
      checkout_status: succeeded ? 'complete' : 'open',
      payment_status: succeeded ? 'succeeded' : 'cancelled',
      transaction_id: succeeded ? input.transactionId : null,
      last_payment_error: succeeded ? null : { code: 'sandbox-declined', message: 'declined in the sandbox' },
      sandbox: true,
    },
  });
  return {
    headers: {
      'content-type': 'application/json',
      [sandboxSignatureHeader]: timestampedSignatureHeader(input.webhookSecret, rawBody, input.now),
    },
    rawBody,
  };
}
