import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Secrets and personal data stay out: the redaction list covers the headers and
 * fields where they could appear; everything else we log is ids.
 */
export function createLogger(level: string, name = 'ledger'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.headers["wave-signature"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  });
}
