// Builds the back office once on a fresh checkout, so `npm start` serves pages as well as the API.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../ui/build/handler.js', import.meta.url))) {
  process.stdout.write('Building the back office (first start only)…\n');
  const result = spawnSync('npm', ['run', 'build:ui'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
