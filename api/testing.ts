import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { handleCommand } from '../app/command-handler.ts';
import { configSchema } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { ledgerCatalog } from '../domain/events/index.ts';
import { type InvoiceCommand, invoiceDecider, invoiceStreamName } from '../domain/invoice/index.ts';
import { moneyOf } from '../domain/money/index.ts';
import { allProjections } from '../projections/index.ts';
import { ProjectionRunner } from '../projections/runtime/runner.ts';
import type { Ledger } from '../app/runtime.ts';
import { freshEventStore, type TestEventStore } from '../test/support/db.ts';
import { buildApp } from './app.ts';
import { createToken, createUser } from './auth/accounts.ts';
import type { Permission, Role } from './auth/permissions.ts';

/**
 * Test support for API specs: a real app over a fresh PostgreSQL schema, and callers of every
 * kind (a signed-in user of any role, an API token) that carry their credentials on each call.
 */
export const testPassword = 'correct horse battery staple';
export const testNow = new Date('2026-11-25T10:00:00.000Z');

export interface TestApi {
  readonly app: FastifyInstance;
  readonly ledger: Ledger;
  readonly database: TestEventStore;
  /** Signs a new user of this role in and returns a caller that sends its cookie and CSRF token. */
  signedIn(role: Role, tenantId?: string | null): Promise<Caller>;
  /** A caller with a new API token for the tenant. */
  withToken(tenantId: string, permissions: Permission[]): Promise<Caller>;
  readonly anonymous: Caller;
  /** How many events the log holds: a refused or invalid call must not change it. */
  eventCount(): Promise<bigint>;
  /** Runs every projection until it has caught up with the log. */
  project(): Promise<void>;
  close(): Promise<void>;
}

export interface Caller {
  readonly userId: string | null;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

let users = 0;

export async function testApi(env: Record<string, string> = {}): Promise<TestApi> {
  const database = await freshEventStore('postgres');
  const config = configSchema.parse({ LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_MINUTE: '100000', ...env });
  const ledger: Ledger = {
    config,
    logger: createLogger('silent'),
    catalog: ledgerCatalog(),
    pool: database.pool,
    db: database.db,
    store: database.store,
    close: async () => undefined,
  };
  const app = await buildApp({ ledger, now: () => testNow });
  await app.ready();

  const caller = (headers: Record<string, string>, userId: string | null): Caller => ({
    userId,
    inject: (options) => app.inject({ ...options, headers: { ...headers, ...(options.headers ?? {}) } }),
  });

  return {
    app,
    ledger,
    database,
    anonymous: caller({}, null),
    async signedIn(role, tenantId = null) {
      users += 1;
      const email = `${role}-${users}-${Date.now()}@example.test`;
      const user = await createUser(ledger.db, { email, password: testPassword, role, tenantId });
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email, password: testPassword },
        remoteAddress: `10.0.${users % 250}.${(users * 7) % 250}`,
      });
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'ledger_session')!;
      const { csrfToken } = response.json() as { csrfToken: string };
      return caller({ cookie: `ledger_session=${cookie.value}`, 'x-csrf-token': csrfToken }, user.userId);
    },
    async withToken(tenantId, permissions) {
      const created = await createToken(ledger.db, {
        name: 'test',
        tenantId,
        permissions,
        createdBy: 'test',
        expiresAt: null,
      });
      if (created === 'limit_reached') throw new Error('token limit reached');
      return caller({ authorization: `Bearer ${created.token}` }, null);
    },
    async project() {
      const runner = new ProjectionRunner({
        pool: database.pool,
        store: database.store,
        projections: allProjections,
        owner: 'api-test',
      });
      for (let step = 0; step < 1000; step += 1) {
        if ((await runner.step()).caughtUp) return;
      }
      throw new Error('the projections did not catch up');
    },
    async eventCount() {
      const { rows } = await database.pool.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM ledger_events',
      );
      return BigInt(rows[0]!.n);
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** A valid registration for a Senegalese tenant. */
export function tenantRegistration(legalName = 'Clinique Les Almadies SARL') {
  return {
    legalName,
    taxId: '0012345672A2',
    tradeRegisterNumber: 'SN-DKR-2020-B-12345',
    address: { line1: 'Route des Almadies', city: 'Dakar' },
    country: 'SN',
    billingCurrency: 'XOF',
    billingEmail: 'compta@almadies.example.test',
    billingPhone: '+221771234567',
  };
}

/** Registers a tenant through the API as a super-admin and returns its id. */
export async function givenTenant(api: TestApi, tenantId: string, legalName?: string): Promise<string> {
  const admin = await api.signedIn('superadmin');
  const response = await admin.inject({
    method: 'POST',
    url: '/api/v1/tenants',
    payload: { tenantId, details: tenantRegistration(legalName) },
  });
  if (response.statusCode !== 201) throw new Error(`tenant registration failed: ${response.body}`);
  return tenantId;
}

/**
 * An issued invoice built by the invoice decider from real commands (draft, a subscription line,
 * a discount, issue), optionally with a credit note.
 */
export async function givenIssuedInvoice(
  api: TestApi,
  input: {
    invoiceId: string;
    tenantId: string;
    number: string;
    creditNote?: { creditNoteId: string; number: string };
  },
): Promise<void> {
  const stream = invoiceStreamName(input.invoiceId);
  const at = '2026-11-20T09:00:00.000Z';
  const commands: InvoiceCommand[] = [
    {
      type: 'CreateDraft',
      invoiceId: input.invoiceId,
      tenantId: input.tenantId,
      currency: 'XOF',
      country: 'SN',
      taxExemptionMention: null,
      now: at,
    },
    {
      type: 'AddLine',
      lineId: 'line-1',
      kind: 'subscription_period',
      description: 'Abonnement Professionnel',
      quantity: '1',
      unitPrice: moneyOf('45000', 'XOF'),
      period: { from: '2026-11-01', to: '2026-11-30' },
      now: at,
    },
    {
      type: 'AddLine',
      lineId: 'line-2',
      kind: 'discount',
      description: 'Code promo BIENVENUE',
      quantity: '1',
      unitPrice: moneyOf('-5000', 'XOF'),
      period: null,
      now: at,
    },
    { type: 'Issue', number: input.number, issuedOn: '2026-11-20', today: '2026-11-20', now: at },
  ];
  if (input.creditNote !== undefined) {
    commands.push({
      type: 'IssueCreditNote',
      creditNoteId: input.creditNote.creditNoteId,
      number: input.creditNote.number,
      issuedOn: '2026-11-21',
      today: '2026-11-21',
      reason: 'Remise commerciale',
      credit: { kind: 'partial', net: moneyOf('10000', 'XOF') },
      now: '2026-11-21T09:00:00.000Z',
    });
  }
  for (const [index, command] of commands.entries()) {
    const outcome = await handleCommand(api.ledger.store, invoiceDecider, stream, command, {
      idempotencyKey: `${input.invoiceId}-${index}`,
      actor: { kind: 'user', id: 'test' },
      correlationId: input.invoiceId,
      causationId: null,
      occurredAt: at,
    });
    if (!outcome.ok) throw new Error(`${command.type} refused: ${outcome.refusal.code}`);
  }
}
