// The service as `ledger serve` runs it, plus the UI plugin: the e2e suite's server until
// scripts/serve.ts registers `uiPlugin` itself (then this file can go and the suite can spawn
// `node bin/ledger.mjs serve`).
import { loadConfig } from '../../../app/config.ts';
import { openLedger } from '../../../app/runtime.ts';
import { buildApp } from '../../../api/app.ts';
import { uiPlugin } from '../../../api/ui.ts';

const config = loadConfig();
const ledger = await openLedger(config);
const app = await buildApp({ ledger });
await app.register(uiPlugin);
const address = await app.listen({ port: config.PORT, host: config.HOST });
process.stdout.write(`listening ${address}\n`);
const stop = async () => {
  await app.close();
  await ledger.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
