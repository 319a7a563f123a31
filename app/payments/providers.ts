import type { OnlineProvider } from '../../domain/payment/payment.ts';
import type { PaymentsConfig } from './config.ts';
import { createOrangeMoneyProvider } from './orange-money.ts';
import { createPayTechProvider } from './paytech.ts';
import type { Fetch, PaymentProvider } from './port.ts';
import { createSandboxProvider } from './sandbox.ts';
import { createWaveProvider } from './wave.ts';

/**
 * Builds the providers the configuration enables. A provider with none of its secrets is off; a
 * provider with only some of them is a mistake we refuse at start-up rather than a provider that
 * silently does nothing.
 */

const requiredByProvider: Readonly<
  Record<Exclude<OnlineProvider, 'sandbox'>, ReadonlyArray<keyof PaymentsConfig>>
> = {
  wave: ['WAVE_API_KEY', 'WAVE_WEBHOOK_SECRET'],
  orange_money: ['ORANGE_MONEY_CLIENT_ID', 'ORANGE_MONEY_CLIENT_SECRET', 'ORANGE_MONEY_MERCHANT_KEY'],
  free_money: ['PAYTECH_API_KEY', 'PAYTECH_API_SECRET'],
};

/**
 * Problems in the configuration, as sentences; empty when it is usable. `fallbackPublicBaseUrl`
 * is the application's own public origin, used when PAYMENTS_PUBLIC_BASE_URL is not set.
 */
export function paymentsConfigProblems(config: PaymentsConfig, fallbackPublicBaseUrl?: string): string[] {
  const problems: string[] = [];
  let anyEnabled = false;
  for (const [provider, keys] of Object.entries(requiredByProvider)) {
    const present = keys.filter((key) => config[key] !== undefined);
    if (present.length > 0 && present.length < keys.length) {
      const missing = keys.filter((key) => config[key] === undefined);
      problems.push(
        `${provider} is half configured: set ${missing.join(', ')} or unset ${present.join(', ')}`,
      );
    }
    if (present.length === keys.length) anyEnabled = true;
  }
  if (config.SANDBOX_PAYMENTS_ENABLED === true) {
    anyEnabled = true;
    if (config.SANDBOX_WEBHOOK_SECRET === undefined) {
      problems.push('SANDBOX_PAYMENTS_ENABLED needs SANDBOX_WEBHOOK_SECRET');
    }
  }
  if (anyEnabled && (config.PAYMENTS_PUBLIC_BASE_URL ?? fallbackPublicBaseUrl) === undefined) {
    problems.push('PAYMENTS_PUBLIC_BASE_URL is needed for provider callbacks');
  }
  return problems;
}

export class PaymentsConfigInvalid extends Error {
  override readonly name = 'PaymentsConfigInvalid';
  constructor(readonly problems: readonly string[]) {
    super(`payment configuration: ${problems.join('; ')}`);
  }
}

export function enabledPaymentProviders(
  config: PaymentsConfig,
  dependencies: { readonly fetch: Fetch; readonly now: () => Date; readonly publicBaseUrl?: string },
): ReadonlyMap<OnlineProvider, PaymentProvider> {
  const problems = paymentsConfigProblems(config, dependencies.publicBaseUrl);
  const publicBaseUrl = config.PAYMENTS_PUBLIC_BASE_URL ?? dependencies.publicBaseUrl;
  if (problems.length > 0) throw new PaymentsConfigInvalid(problems);
  const providers = new Map<OnlineProvider, PaymentProvider>();
  if (config.WAVE_API_KEY !== undefined && config.WAVE_WEBHOOK_SECRET !== undefined) {
    providers.set(
      'wave',
      createWaveProvider({
        apiKey: config.WAVE_API_KEY,
        webhookSecret: config.WAVE_WEBHOOK_SECRET,
        baseUrl: config.WAVE_BASE_URL,
        toleranceSeconds: config.WAVE_WEBHOOK_TOLERANCE_SECONDS,
        fetch: dependencies.fetch,
      }),
    );
  }
  if (
    config.ORANGE_MONEY_CLIENT_ID !== undefined &&
    config.ORANGE_MONEY_CLIENT_SECRET !== undefined &&
    config.ORANGE_MONEY_MERCHANT_KEY !== undefined
  ) {
    providers.set(
      'orange_money',
      createOrangeMoneyProvider({
        clientId: config.ORANGE_MONEY_CLIENT_ID,
        clientSecret: config.ORANGE_MONEY_CLIENT_SECRET,
        merchantKey: config.ORANGE_MONEY_MERCHANT_KEY,
        baseUrl: config.ORANGE_MONEY_BASE_URL,
        country: config.ORANGE_MONEY_COUNTRY,
        currency: config.ORANGE_MONEY_CURRENCY,
        merchantName: config.ORANGE_MONEY_MERCHANT_NAME,
        fetch: dependencies.fetch,
        now: dependencies.now,
      }),
    );
  }
  if (config.PAYTECH_API_KEY !== undefined && config.PAYTECH_API_SECRET !== undefined) {
    providers.set(
      'free_money',
      createPayTechProvider({
        apiKey: config.PAYTECH_API_KEY,
        apiSecret: config.PAYTECH_API_SECRET,
        baseUrl: config.PAYTECH_BASE_URL,
        env: config.PAYTECH_ENV,
        acceptKeyHashIpn: config.PAYTECH_ACCEPT_KEY_HASH_IPN === true,
        fetch: dependencies.fetch,
      }),
    );
  }
  if (
    config.SANDBOX_PAYMENTS_ENABLED === true &&
    config.SANDBOX_WEBHOOK_SECRET !== undefined &&
    publicBaseUrl !== undefined
  ) {
    providers.set(
      'sandbox',
      createSandboxProvider({
        webhookSecret: config.SANDBOX_WEBHOOK_SECRET,
        toleranceSeconds: config.SANDBOX_WEBHOOK_TOLERANCE_SECONDS,
        publicBaseUrl,
      }),
    );
  }
  return providers;
}
