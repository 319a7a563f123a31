// The service as `ledger serve` runs it (API, projectors, scheduler), plus the UI plugin: the e2e
// suite's server until scripts/serve.ts registers `uiPlugin` itself (then this file can go and
// the suite can spawn `node bin/ledger.mjs serve`).
import { join } from 'node:path';
import { loadConfig } from '../../../app/config.ts';
import { startScheduler } from '../../../app/jobs/scheduler.ts';
import { openLedger } from '../../../app/runtime.ts';
import { buildApp } from '../../../api/app.ts';
import { uiPlugin } from '../../../api/ui.ts';
import { allProjections } from '../../../projections/index.ts';
import { ProjectionRunner } from '../../../projections/runtime/runner.ts';
import { projectionsHealthCheck } from '../../../projections/runtime/status.ts';

const config = loadConfig();
const ledger = await openLedger(config);
const projector = new ProjectionRunner({
  pool: ledger.pool,
  store: ledger.store,
  projections: allProjections,
  logger: ledger.logger,
});
projector.start();
const app = await buildApp({
  ledger,
  healthChecks: [projectionsHealthCheck(ledger.pool, ledger.store, allProjections)],
});
await app.register(uiPlugin);
const address = await app.listen({ port: config.PORT, host: config.HOST });
const scheduler = startScheduler({
  store: ledger.store,
  logger: ledger.logger,
  stateFile: join(config.LEDGER_DATA_DIR, 'scheduler', 'last-run.json'),
});
process.stdout.write(`listening ${address}\n`);
const stop = async () => {
  await app.close();
  await scheduler.stop();
  await projector.stop();
  await ledger.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
