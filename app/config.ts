import { z } from 'zod';
import { paymentsConfigSchema } from './payments/config.ts';

/**
 * Configuration comes from environment variables only, validated once at start. A bad variable
 * stops the process with a message naming it (exit code 2); nothing else reads `process.env`.
 */
/** An unset variable and an empty one mean the same: not configured. */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional());

export const configSchema = z.object({
  DATABASE_URL: optionalUrl.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'must be a postgres:// or postgresql:// URL',
  }),
  LEDGER_DATA_DIR: z.string().trim().min(1).default('./var'),
  KURRENTDB_URL: optionalUrl.refine(
    (v) => v === undefined || /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//.test(v),
    { message: 'must be a kurrentdb:// (or esdb://) connection string' },
  ),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEDGER_ROLE: z.enum(['all', 'api', 'projector', 'scheduler']).default('all'),
  /** Origins allowed to call the API from a browser, comma separated. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** Public base URL of the service (used in payment links and provider callbacks). */
  PUBLIC_URL: z.string().url().optional(),
  /** Secret for signing session cookies and CSRF tokens; generated per data dir when absent. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Requests per minute allowed to one user, API token (or address, before sign-in). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Sign-in attempts per minute allowed from one address. */
  API_SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** The largest request body accepted, in bytes. */
  API_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1_048_576)
    .default(1_048_576),
  /** The payment providers' variables (app/payments/config.ts), validated with the rest. */
  ...paymentsConfigSchema.shape,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}
