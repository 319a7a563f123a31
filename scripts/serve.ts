import { join } from 'node:path';
import { publishDefaultCatalog } from '../app/billing/catalog.ts';
import type { Config } from '../app/config.ts';
import { startScheduler } from '../app/jobs/scheduler.ts';
import { openLedger } from '../app/runtime.ts';
import { buildApp } from '../api/app.ts';
import { uiPlugin } from '../api/ui.ts';
import { allProjections } from '../projections/index.ts';
import { rebuildOutdated } from '../projections/runtime/outdated.ts';
import { ProjectionRunner } from '../projections/runtime/runner.ts';
import { projectionsHealthCheck } from '../projections/runtime/status.ts';

export interface ServeOptions {
  /** Seed demo data when the store is empty. */
  readonly demo?: boolean;
}

export async function serve(config: Config, options: ServeOptions = {}): Promise<void> {
  const ledger = await openLedger(config);
  // The demo seeds an empty store before anything else reads it (seeding is the only writer then).
  let demoSignIns: ReadonlyArray<{ role: string; email: string; password: string }> = [];
  if (options.demo === true) {
    const { ensureDemoUsers, runSeedOn, seedDefaults } = await import('./seed.ts');
    await runSeedOn(ledger.store, { ...seedDefaults, progress: process.stdout.isTTY === true }, (line) =>
      process.stdout.write(`${line}\n`),
    );
    demoSignIns = await ensureDemoUsers(ledger.db);
  }
  // The default plans exist from the first start, so a fresh install can take subscribers at once.
  // The key is fixed: every later start replays it and records nothing.
  const catalog = await publishDefaultCatalog(
    { store: ledger.store },
    {},
    {
      idempotencyKey: 'startup:default-catalog:v1',
      actor: { kind: 'system', id: 'ledger-serve' },
      correlationId: 'startup:default-catalog',
      causationId: null,
      occurredAt: new Date().toISOString(),
    },
  );
  if (!catalog.ok) ledger.logger.warn({ refusal: catalog.refusal }, 'default catalog not published');
  // Projectors run in the `projector` and `all` roles; every role reports their lag in /api/health.
  const projector =
    config.LEDGER_ROLE === 'all' || config.LEDGER_ROLE === 'projector'
      ? new ProjectionRunner({
          pool: ledger.pool,
          store: ledger.store,
          projections: allProjections,
          logger: ledger.logger,
        })
      : null;
  projector?.start();
  if (projector !== null) {
    // A deploy that changed a projection's version rebuilds it beside the live tables, which keep
    // answering meanwhile; one process does it (advisory lock), the runner resumes it after the swap.
    rebuildOutdated(ledger.pool, ledger.store, allProjections, ledger.logger).catch((error: unknown) =>
      ledger.logger.error({ err: error }, 'rebuilding outdated projections failed'),
    );
  }
  const app = await buildApp({
    ledger,
    healthChecks: [projectionsHealthCheck(ledger.pool, ledger.store, allProjections)],
  });
  // The back office and tenant portal, on the same port; registered last so API routes win.
  await app.register(uiPlugin);
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  ledger.logger.info({ address, demo: options.demo === true }, 'SmartQueue Ledger is listening');
  process.stdout.write(`\nSmartQueue Ledger: ${address.replace('127.0.0.1', 'localhost')}/\n`);
  // Scheduled jobs (renewals, trial ends, overdue, dunning) run in the `scheduler` and `all` roles,
  // started once the API listens: their first run reads every subscription and open invoice.
  const scheduler =
    config.LEDGER_ROLE === 'all' || config.LEDGER_ROLE === 'scheduler'
      ? startScheduler({
          store: ledger.store,
          logger: ledger.logger,
          stateFile: join(config.LEDGER_DATA_DIR, 'scheduler', 'last-run.json'),
        })
      : null;
  if (demoSignIns.length > 0) {
    process.stdout.write('Demo sign-ins (demo data only):\n');
    for (const signIn of demoSignIns) {
      process.stdout.write(`  ${signIn.role.padEnd(13)} ${signIn.email.padEnd(30)} ${signIn.password}\n`);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ledger.logger.info({ signal }, 'shutting down');
    await app.close();
    await scheduler?.stop();
    await projector?.stop();
    await ledger.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
