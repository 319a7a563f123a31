import { z } from 'zod';

/**
 * The environment variables the payment adapters read. Every one is optional: a provider whose
 * secrets are absent is disabled, so a fresh checkout runs with none of them (and the sandbox
 * only when asked for). The lead's env loader merges this schema into the application's.
 */
const secret = z.string().min(1).max(500);
const baseUrl = z.url().max(500);
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .optional();

export const paymentsConfigSchema = z.object({
  /** Public https origin of the ledger, for provider callbacks: `https://ledger.example.sn`. */
  PAYMENTS_PUBLIC_BASE_URL: baseUrl.optional(),

  WAVE_API_KEY: secret.optional(),
  WAVE_WEBHOOK_SECRET: secret.optional(),
  WAVE_BASE_URL: baseUrl.default('https://api.wave.com'),
  WAVE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),

  ORANGE_MONEY_CLIENT_ID: secret.optional(),
  ORANGE_MONEY_CLIENT_SECRET: secret.optional(),
  ORANGE_MONEY_MERCHANT_KEY: secret.optional(),
  ORANGE_MONEY_BASE_URL: baseUrl.default('https://api.orange.com'),
  /** `dev` for Orange's sandbox, `sn` for Senegal, `ci` for Côte d'Ivoire… */
  ORANGE_MONEY_COUNTRY: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .default('sn'),
  /** `OUV` in Orange's sandbox, `XOF` in production. */
  ORANGE_MONEY_CURRENCY: z.enum(['XOF', 'OUV']).default('XOF'),
  /** Shown on Orange's payment page; at most 30 characters. */
  ORANGE_MONEY_MERCHANT_NAME: z.string().min(1).max(30).default('SmartQueue'),

  PAYTECH_API_KEY: secret.optional(),
  PAYTECH_API_SECRET: secret.optional(),
  PAYTECH_BASE_URL: baseUrl.default('https://paytech.sn/api'),
  PAYTECH_ENV: z.enum(['test', 'prod']).default('prod'),
  /**
   * Accept IPNs that carry only `api_key_sha256`/`api_secret_sha256` and no `hmac_compute`. Off by
   * default: those hashes are the same on every IPN, so anyone who has seen one can forge others.
   */
  PAYTECH_ACCEPT_KEY_HASH_IPN: flag,

  /** Turns on the sandbox provider (demo only, no real money). */
  SANDBOX_PAYMENTS_ENABLED: flag,
  SANDBOX_WEBHOOK_SECRET: secret.optional(),
  SANDBOX_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;

/** Parses the payment variables out of an environment (for scripts and tests; the API uses the lead's loader). */
export function paymentsConfigFrom(env: Readonly<Record<string, string | undefined>>): PaymentsConfig {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(paymentsConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return paymentsConfigSchema.parse(picked);
}
