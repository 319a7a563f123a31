import type { Config } from '../app/config.ts';
import { openLedger } from '../app/runtime.ts';
import { buildApp } from '../api/app.ts';

export interface ServeOptions {
  /** Seed demo data when the store is empty. */
  readonly demo?: boolean;
}

export async function serve(config: Config, options: ServeOptions = {}): Promise<void> {
  const ledger = await openLedger(config);
  const app = await buildApp({ ledger });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  ledger.logger.info({ address, demo: options.demo === true }, 'SmartQueue Ledger is listening');
  process.stdout.write(`\nSmartQueue Ledger: ${address.replace('127.0.0.1', 'localhost')}/\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ledger.logger.info({ signal }, 'shutting down');
    await app.close();
    await ledger.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
