// Proves the service starts on a fresh machine's default (embedded PGlite in a data directory),
// migrates, answers its health check, and that a bad variable stops it with exit code 2.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
} {
  const child = spawn(process.execPath, ['bin/ledger.mjs', 'serve'], {
    env: { ...process.env, DATABASE_URL: '', KURRENTDB_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /SmartQueue Ledger: (http:\/\/\S+?)\/?\n/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, output: () => out, url };
}

describe('ledger serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-serve-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on embedded PGlite, migrates, and reports both stores healthy', async () => {
    const service = start({ LEDGER_DATA_DIR: dataDir, PORT: '0' });
    children.push(service.child);
    const url = await service.url;
    const response = await fetch(`${url}/api/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ok');
    expect(body.checks.eventStore?.ok).toBe(true);
    expect(body.checks.readModels?.ok).toBe(true);
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
  });

  it('names a bad variable and exits with code 2', async () => {
    const child = spawn(process.execPath, ['bin/ledger.mjs', 'serve'], {
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
  });
});
