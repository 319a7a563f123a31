import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type PlanTerms, termsToJson } from '../../../domain/catalog/plan.ts';

const run = promisify(execFile);
export const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const serverUrl = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const startTimeoutMs = 90_000;
export const screenshotDir = join(repositoryRoot, 'test-results', 'e2e');

/** The running service of one test file: its own database, port and users. */
export interface Service {
  readonly baseUrl: string;
  /** Its PostgreSQL database, for history the API cannot write (an invoice issued weeks ago). */
  readonly databaseUrl: string;
  createUser(email: string, password: string, role: string, tenantId?: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Builds the UI once when no build exists (a fresh checkout); later runs reuse it. */
export async function ensureUiBuild(): Promise<void> {
  if (existsSync(join(repositoryRoot, 'ui', 'build', 'handler.js'))) return;
  await run('npm', ['run', 'build:ui'], { cwd: repositoryRoot, maxBuffer: 50 * 1024 * 1024 });
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Starts the service as an operator would, on a fresh PostgreSQL database and a free port, and
 * waits for its health route. The server is `support/serve-with-ui.ts` (serve + the UI plugin).
 */
export interface StartOptions {
  /** `ledger seed` options (tenants, years) run on the empty store before the service starts. */
  readonly seed?: { readonly tenants: number; readonly years: number };
}

export async function startService(options: StartOptions = {}): Promise<Service> {
  await ensureUiBuild();
  const database = `e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${database}`));
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    LEDGER_DATA_DIR: dataDir,
    DATABASE_URL: `${serverUrl}/${database}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    API_SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
  };
  if (options.seed !== undefined) {
    const args = [
      'bin/ledger.mjs',
      'seed',
      '--tenants',
      String(options.seed.tenants),
      '--years',
      String(options.seed.years),
      '--no-progress',
    ];
    await run(process.execPath, args, { cwd: repositoryRoot, env });
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repositoryRoot, 'test', 'e2e', 'support', 'serve-with-ui.ts')],
    { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not answer /api/health within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    async createUser(email, password, role, tenantId) {
      const args = ['bin/ledger.mjs', 'user', 'create', '--email', email, '--role', role];
      if (tenantId !== undefined) args.push('--tenant', tenantId);
      await run(process.execPath, args, {
        cwd: repositoryRoot,
        env: { ...env, LEDGER_USER_PASSWORD: password },
      });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium from the system package (`apt-get install -y chromium`). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page in a fresh browser context (its own cookies): desktop size, French, downloads kept. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  return context.newPage();
}

/** Saves a full-page screenshot under test-results/e2e/ and returns its path. */
export async function snap(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the form and waits for the landing page. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/Adresse e-mail|E-mail address/).fill(email);
  await page.getByLabel(/Mot de passe|Password/).fill(password);
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** A signed-in API client for setting up a case faster than through the pages. */
export interface ApiSession {
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function apiSession(baseUrl: string, email: string, password: string): Promise<ApiSession> {
  const signIn = await fetch(`${baseUrl}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  return {
    async call(method, path, body) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          'idempotency-key': randomBytes(12).toString('hex'),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as never };
    },
  };
}

/** Registration details for a test organisation in Senegal. */
export function senegalTenant(legalName: string, email: string) {
  return {
    legalName,
    taxId: `00${Math.floor(Math.random() * 1e7)}`,
    tradeRegisterNumber: 'SN-DKR-2024-B-0001',
    address: { line1: '1 rue Carnot', city: 'Dakar' },
    country: 'SN',
    billingCurrency: 'XOF',
    billingEmail: email,
    billingPhone: '+221770000000',
  };
}

/** Creates a super-admin in the running service and signs it in through the API. */
export async function superadminSession(
  service: Service,
  email: string,
  password: string,
): Promise<ApiSession> {
  await service.createUser(email, password, 'superadmin');
  return apiSession(service.baseUrl, email, password);
}

/** Registers a Senegalese organisation through the API (201 expected); returns its id. */
export async function registerTenant(admin: ApiSession, legalName: string, email: string): Promise<string> {
  const tenant = await admin.call<{ tenantId: string }>('POST', '/api/v1/tenants', {
    details: senegalTenant(legalName, email),
  });
  expect(tenant.status).toBe(201);
  return tenant.body.tenantId;
}

/** Publishes a plan through the API, as an operator does on a fresh store (201 expected). */
export async function publishPlan(admin: ApiSession, planCode: string, terms: PlanTerms): Promise<void> {
  expect((await admin.call('POST', '/api/v1/plans', { planCode, terms: termsToJson(terms) })).status).toBe(
    201,
  );
}

/** Starts a paid monthly subscription (no trial), which issues its first invoice at once. */
export async function startPaidSubscription(
  admin: ApiSession,
  tenantId: string,
  planCode: string,
): Promise<{ subscriptionId: string; invoiceId: string }> {
  const started = await admin.call<{ subscriptionId: string; invoices: { invoiceId: string }[] }>(
    'POST',
    '/api/v1/subscriptions',
    { tenantId, planCode, interval: 'monthly', trial: false },
  );
  expect(started.status).toBe(201);
  return {
    subscriptionId: started.body.subscriptionId,
    invoiceId: started.body.invoices[0]?.invoiceId ?? '',
  };
}
