// Proves the access matrix of every operation in the OpenAPI document, read from the document so a
// new route is covered unasked: without credentials it is a 401, for a role without its permission a
// 403, for a role with it neither; a malformed request is a 400 naming the field; a tenant's callers
// sending another tenant's ids get a 404 (a 403 when their role lacks the permission) and never that
// tenant's data; and no refused call records anything.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, createUser } from './auth/accounts.ts';
import {
  type Permission,
  type Role,
  permissions,
  rolePermissions,
  roles,
  tokenPermissions,
} from './auth/permissions.ts';
import { type ProblemKind, problemType } from './problems.ts';
import {
  type Caller,
  givenIssuedInvoice,
  givenTenant,
  testApi,
  testPassword,
  tenantRegistration,
} from './testing.ts';

// ---- The operations, from the OpenAPI document --------------------------------------------------

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly minItems?: number;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

interface Operation {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  /** `security: []` in the document: reachable without credentials. */
  readonly isPublic: boolean;
  /** `x-permission` in the document; null on a route any signed-in caller may use. */
  readonly permission: Permission | null;
  readonly parameters: readonly Parameter[];
  readonly body: JsonSchema | null;
  /** The media type the body is sent as: JSON unless the route reads only something else. */
  readonly contentType: string | null;
}

const api = await testApi({
  API_SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000',
  // The one provider that works on one machine, so a payment request reaches its invoice checks.
  SANDBOX_PAYMENTS_ENABLED: 'true',
  SANDBOX_WEBHOOK_SECRET: 'sandbox-secret-for-the-route-matrix',
  PAYMENTS_PUBLIC_BASE_URL: 'https://ledger.example.test',
});
const document = (await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        'x-permission'?: string;
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
};

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => {
    const permission = operation['x-permission'] ?? null;
    if (permission !== null && !(permissions as readonly string[]).includes(permission))
      throw new Error(`${method} ${path}: unknown x-permission ${permission}`);
    const content = operation.requestBody?.content ?? {};
    const contentType =
      'application/json' in content ? 'application/json' : (Object.keys(content)[0] ?? null);
    return {
      label: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase() as Operation['method'],
      path,
      isPublic: Array.isArray(operation.security) && operation.security.length === 0,
      permission: permission as Permission | null,
      parameters: operation.parameters ?? [],
      body: contentType === null ? null : (content[contentType]?.schema ?? null),
      contentType,
    };
  }),
);
const guarded = operations.filter((op) => !op.isPublic);

// ---- Two tenants with one of everything ---------------------------------------------------------

/** The ids of one tenant's resources; a path or body field of that name takes the value. */
interface TenantIds {
  readonly tenantId: string;
  readonly invoiceId: string;
  readonly creditNoteId: string;
  readonly paymentId: string;
  readonly subscriptionId: string;
  readonly tokenId: string;
  readonly userId: string;
}
/** Ids that belong to one tenant: another tenant's caller must not reach them. */
const tenantScopedNames: ReadonlySet<string> = new Set<keyof TenantIds>([
  'tenantId',
  'invoiceId',
  'creditNoteId',
  'paymentId',
  'subscriptionId',
  'tokenId',
]);
/** Path parameters that name something shared by every tenant, or a user only super-admins manage. */
const sharedPathNames = new Set(['planCode', 'userId', 'provider', 'sessionId']);

/** What tenant A's records hold beyond their ids: none of it may reach tenant B's callers. */
const tenantAData = {
  legalName: 'Clinique Les Almadies SARL',
  invoiceNumber: 'F-2026-900001',
  creditNoteNumber: 'AV-2026-900001',
};
const planCode = 'essential';
const existingEmail = 'matrix-user-a@example.test';

async function givenTenantWithEverything(
  tenantId: string,
  legalName: string,
  suffix: 'a' | 'b',
): Promise<TenantIds> {
  await givenTenant(api, tenantId, legalName);
  const invoiceId = `inv-matrix-${suffix}`;
  const creditNoteId = `cn-matrix-${suffix}`;
  await givenIssuedInvoice(api, {
    invoiceId,
    tenantId,
    number: `F-2026-90000${suffix === 'a' ? 1 : 2}`,
    creditNote: { creditNoteId, number: `AV-2026-90000${suffix === 'a' ? 1 : 2}` },
  });
  const admin = await api.signedIn('superadmin');
  const subscription = await admin.inject({
    method: 'POST',
    url: '/api/v1/subscriptions',
    headers: { 'idempotency-key': `matrix-subscription-${suffix}` },
    payload: { tenantId, planCode, interval: 'monthly', trial: false },
  });
  if (subscription.statusCode !== 201) throw new Error(subscription.body);
  const payment = await admin.inject({
    method: 'POST',
    url: '/api/v1/payments/manual',
    headers: { 'idempotency-key': `matrix-payment-${suffix}` },
    payload: {
      tenantId,
      method: 'bank_transfer',
      reference: `VIR-MATRIX-${suffix}`,
      receivedOn: '2026-11-24',
      amount: { amountMinor: '10000', currency: 'XOF' },
      invoiceIds: [invoiceId],
    },
  });
  if (payment.statusCode !== 201) throw new Error(payment.body);
  const token = await createToken(api.ledger.db, {
    name: `matrix ${suffix}`,
    tenantId,
    permissions: ['invoices:read'],
    createdBy: 'test',
    expiresAt: null,
  });
  if (token === 'limit_reached') throw new Error('token limit reached');
  const user = await createUser(api.ledger.db, {
    email: suffix === 'a' ? existingEmail : 'matrix-user-b@example.test',
    password: testPassword,
    role: 'tenant_admin',
    tenantId,
  });
  return {
    tenantId,
    invoiceId,
    creditNoteId,
    paymentId: (payment.json() as { paymentId: string }).paymentId,
    subscriptionId: (subscription.json() as { subscriptionId: string }).subscriptionId,
    tokenId: token.row.tokenId,
    userId: user.userId,
  };
}

let tenantA: TenantIds;
let tenantB: TenantIds;
/** One signed-in caller per role, tenant-scoped roles in tenant A. */
const callers = {} as Record<Role, Caller>;
/** Tenant B's callers, for the other-tenant rows. */
const strangers = {} as Record<
  'tenant admin' | 'service user' | 'API token',
  Caller & { holds: ReadonlySet<Permission> }
>;

beforeAll(async () => {
  const superadmin = await api.signedIn('superadmin');
  const plan = await superadmin.inject({
    method: 'POST',
    url: '/api/v1/plans',
    payload: {
      planCode,
      terms: {
        name: 'Essentiel',
        trialDays: 14,
        pricing: {
          kind: 'list',
          prices: [{ interval: 'monthly', price: { amountMinor: '15000', currency: 'XOF' } }],
        },
        meters: [],
      },
    },
  });
  if (plan.statusCode !== 201) throw new Error(plan.body);
  tenantA = await givenTenantWithEverything('tenant-a', tenantAData.legalName, 'a');
  tenantB = await givenTenantWithEverything('tenant-b', 'Pharmacie du Plateau SARL', 'b');
  for (const role of roles) {
    callers[role] = await api.signedIn(role, scopedTenant(role));
  }
  strangers['tenant admin'] = {
    ...(await api.signedIn('tenant_admin', tenantB.tenantId)),
    holds: rolePermissions.tenant_admin,
  };
  strangers['service user'] = {
    ...(await api.signedIn('service', tenantB.tenantId)),
    holds: rolePermissions.service,
  };
  strangers['API token'] = {
    ...(await api.withToken(tenantB.tenantId, [...tokenPermissions])),
    holds: new Set(tokenPermissions),
  };
  await api.project();
}, 60_000);
afterAll(async () => {
  await api.close();
});

function scopedTenant(role: Role): string | null {
  return role === 'tenant_admin' || role === 'service' ? 'tenant-a' : null;
}

// ---- Well-formed requests, generated from the schemas -------------------------------------------

/**
 * Values by field name where the schema alone cannot tell a valid one: ids of the tenant's own
 * records, money, a registration, the test password.
 */
function hinted(name: string, ids: TenantIds): unknown {
  if (name in ids) return ids[name as keyof TenantIds];
  switch (name) {
    case 'planCode':
      return planCode;
    case 'currency':
      return 'XOF';
    case 'amountMinor':
      return '1000';
    case 'email':
      // An existing user's: sign-in succeeds, creating another user with it is a conflict.
      return existingEmail;
    case 'password':
    case 'currentPassword':
      return testPassword;
    case 'newPassword':
      return 'another correct horse battery staple';
    case 'details':
      return tenantRegistration();
    case 'role':
      return 'tenant_admin';
    case 'sessionId':
      return 'sbx-route-matrix';
    case 'provider':
      return 'sandbox';
    default:
      return undefined;
  }
}

const patternCandidates = ['sample', '1000', '2026-11', '2026-11-25', 'XOF', 'Sample'];

function sample(schema: JsonSchema, name: string, ids: TenantIds): unknown {
  if (schema.$ref !== undefined) {
    const resolved = document.components.schemas[schema.$ref.split('/').at(-1)!];
    if (resolved === undefined) throw new Error(`unresolved ${schema.$ref}`);
    return sample(resolved, name, ids);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined)
    return sample(branches.find((b) => b.type !== 'null') ?? branches[0]!, name, ids);
  const hint = hinted(name, ids);
  if (hint !== undefined) return hint;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        // Required fields, and any field naming a tenant's record: isolation must hold for those too.
        if (
          schema.required?.includes(key) ||
          tenantScopedNames.has(key) ||
          tenantScopedNames.has(key.replace(/s$/, ''))
        )
          body[key] = sample(property, key, ids);
      }
      return body;
    }
    case 'array': {
      const itemName = name.replace(/s$/, '');
      const count = Math.max(schema.minItems ?? 0, tenantScopedNames.has(itemName) ? 1 : 0);
      return Array.from({ length: count }, () => sample(schema.items ?? {}, itemName, ids));
    }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'date') return '2026-11-25';
      if (schema.format === 'date-time') return '2026-12-31T00:00:00.000Z';
      if (schema.format === 'uri') return 'https://example.test/back';
      const pattern = schema.pattern === undefined ? null : new RegExp(schema.pattern);
      const value = patternCandidates.find((c) => pattern === null || pattern.test(c));
      if (value === undefined) throw new Error(`no sample for ${name} /${schema.pattern}/`);
      return value.padEnd(schema.minLength ?? 0, 'x');
    }
    default:
      throw new Error(`no sample for ${name}: ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

let requests = 0;

function payloadOf(op: Operation, body: unknown): string {
  return op.contentType === 'application/json' ? JSON.stringify(body) : String(body);
}

/**
 * A request the route's schemas accept, about `ids`' tenant: every path parameter, the required
 * query parameters and any naming a tenant's record, a body with its required fields.
 */
function wellFormed(
  op: Operation,
  ids: TenantIds,
  change: { query?: Record<string, string> } = {},
): InjectOptions {
  requests += 1;
  const url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (!tenantScopedNames.has(name) && !sharedPathNames.has(name))
      throw new Error(`${op.label}: say whether the path parameter ${name} names one tenant's record`);
    const parameter = op.parameters.find((p) => p.in === 'path' && p.name === name);
    return encodeURIComponent(String(sample(parameter?.schema ?? { type: 'string' }, name, ids)));
  });
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    if (p.in === 'query' && (p.required === true || tenantScopedNames.has(p.name)))
      query.set(p.name, String(sample(p.schema, p.name, ids)));
  }
  for (const [key, value] of Object.entries(change.query ?? {})) query.set(key, value);
  const search = query.toString();
  return {
    method: op.method,
    url: search === '' ? url : `${url}?${search}`,
    headers: {
      ...(op.method === 'GET' ? {} : { 'idempotency-key': `route-matrix-${requests}` }),
      ...(op.contentType === null ? {} : { 'content-type': op.contentType }),
    },
    ...(op.body === null ? {} : { payload: payloadOf(op, sample(op.body, 'body', ids)) }),
  };
}

// ---- Assertions ---------------------------------------------------------------------------------

async function unrecorded(call: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  const before = await api.eventCount();
  const response = await call();
  expect(await api.eventCount(), 'a refused call recorded an event').toBe(before);
  return response;
}

function expectProblem(response: LightMyRequestResponse, status: number, kind: ProblemKind): void {
  expect(response.statusCode, response.body.slice(0, 500)).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status, type: problemType(kind) });
}

function expectNothingOfTenantA(response: LightMyRequestResponse): void {
  for (const value of Object.values(tenantAData)) expect(response.body).not.toContain(value);
}

/** The answer is not a refusal to identify or authorise the caller, and not a failure of ours. */
function expectAdmitted(response: LightMyRequestResponse): void {
  const detail = `${response.statusCode} ${response.body.slice(0, 500)}`;
  expect(response.statusCode, detail).toBeLessThan(500);
  expect([401, 403], detail).not.toContain(response.statusCode);
  // The generated request must pass the route's schemas, or the handler was never reached.
  if (response.statusCode === 400) expect(response.json().errors ?? [], detail).toEqual([]);
}

// ---- The matrix ---------------------------------------------------------------------------------

/** Rows for `it.each` named by their full label (an object's `$label` would be cut at 40 characters). */
function titled<T extends { readonly label: string }>(rows: readonly T[]): [string, T][] {
  return rows.map((row) => [row.label, row]);
}

describe('the OpenAPI document', () => {
  it('names the permission of every route that is not public or about the caller itself', () => {
    expect(operations.length).toBeGreaterThan(50);
    const withoutPermission = guarded.filter((op) => op.permission === null).map((op) => op.label);
    expect(withoutPermission).toEqual([
      'POST /api/v1/auth/sign-out',
      'GET /api/v1/auth/me',
      'POST /api/v1/auth/password',
      'GET /api/v1/auth/sign-ins',
    ]);
  });
});

describe('without credentials', () => {
  it.each(titled(operations.filter((op) => op.isPublic)))(
    '%s is public: it answers the same with credentials or without',
    async (_, op) => {
      const anonymous = await api.anonymous.inject(wellFormed(op, tenantA));
      const signedIn = await callers.superadmin.inject(wellFormed(op, tenantA));
      expect(anonymous.statusCode, anonymous.body).toBeLessThan(500);
      expect(anonymous.statusCode, anonymous.body).toBe(signedIn.statusCode);
    },
  );

  it.each(titled(guarded))('%s answers 401 and records nothing', async (_, op) => {
    const response = await unrecorded(() => api.anonymous.inject(wellFormed(op, tenantA)));
    expectProblem(response, 401, 'unauthenticated');
  });
});

const roleRows = guarded.flatMap((op) =>
  roles.map((role) => ({
    op,
    role,
    label: `${op.label} as ${role}`,
    allowed: op.permission === null || rolePermissions[role].has(op.permission),
  })),
);

describe('a role without the permission', () => {
  const rows = titled(roleRows.filter((row) => !row.allowed));
  it.each(rows)('%s answers 403 and records nothing', async (_, { op, role }) => {
    const response = await unrecorded(() => callers[role].inject(wellFormed(op, tenantA)));
    expectProblem(response, 403, 'forbidden');
    expect(response.json().detail).toContain(op.permission);
  });
});

function invalidValue(schema: JsonSchema): string | null {
  if (schema.minimum !== undefined) return String(schema.minimum - 1);
  const constrained =
    schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined;
  if (!constrained || (schema.pattern !== undefined && new RegExp(schema.pattern).test('!'))) return null;
  return '!';
}

/** The one part of a request a schema refuses, when the route takes any input. */
function malformed(op: Operation): { request: InjectOptions; field: string } | null {
  const request = wellFormed(op, tenantA);
  if (op.body !== null) {
    const body = sample(op.body, 'body', tenantA);
    if (typeof body === 'object' && body !== null && !Array.isArray(body))
      return {
        request: { ...request, payload: payloadOf(op, { ...body, unexpectedField: true }) },
        field: 'unexpectedField',
      };
    // A body that is not an object (a CSV statement): empty, below any minimum length.
    return { request: { ...request, payload: payloadOf(op, '') }, field: '' };
  }
  const required = op.parameters.find((p) => p.in === 'query' && p.required === true);
  if (required !== undefined) {
    const url = new URL(request.url as string, 'http://x');
    url.searchParams.delete(required.name);
    return { request: { ...request, url: `${url.pathname}${url.search}` }, field: required.name };
  }
  // Else a parameter given a value its schema refuses: below its minimum, or a character no
  // pattern, format or enum here takes.
  const refused = op.parameters.find((p) => invalidValue(p.schema) !== null);
  if (refused !== undefined) {
    const value = invalidValue(refused.schema)!;
    if (refused.in === 'query')
      return { request: wellFormed(op, tenantA, { query: { [refused.name]: value } }), field: refused.name };
    const url = new URL(request.url as string, 'http://x');
    const parts = op.path.split('/');
    const at = parts.indexOf(`{${refused.name}}`);
    const path = url.pathname.split('/');
    path[at] = encodeURIComponent(value);
    return { request: { ...request, url: `${path.join('/')}${url.search}` }, field: refused.name };
  }
  return null;
}

describe('a malformed request', () => {
  const rows = guarded.filter((op) => op.body !== null || op.parameters.length > 0);
  it.each(titled(rows))('%s answers 400 naming the field and records nothing', async (_, op) => {
    const bad = malformed(op);
    expect(bad, 'the route takes input a schema can refuse').not.toBeNull();
    const caller = callers.superadmin;
    const response = await unrecorded(() => caller.inject(bad!.request));
    expectProblem(response, 400, 'validation');
    const fields = (response.json().errors as { field: string }[]).map((e) => e.field);
    expect(fields).toContain(bad!.field);
  });
});

/** Stand-in ids, to see which fields of a generated request name a tenant's record. */
const markedIds: TenantIds = {
  tenantId: 'marker-tenantId',
  invoiceId: 'marker-invoiceId',
  creditNoteId: 'marker-creditNoteId',
  paymentId: 'marker-paymentId',
  subscriptionId: 'marker-subscriptionId',
  tokenId: 'marker-tokenId',
  userId: 'marker-userId',
};
/** The names of tenant records a generated request of this route carries (path, query or body). */
function tenantRecordsNamed(op: Operation): (keyof TenantIds)[] {
  const request = wellFormed(op, markedIds);
  const sent = `${request.url} ${String(request.payload ?? '')}`;
  return [...tenantScopedNames].filter((name) => sent.includes(`marker-${name}`)) as (keyof TenantIds)[];
}

describe("another tenant's ids", () => {
  const rows = guarded
    .filter((op) => tenantRecordsNamed(op).length > 0)
    .flatMap((op) =>
      (['tenant admin', 'service user', 'API token'] as const).map((who) => ({
        op,
        who,
        label: `${op.label} by tenant B's ${who}`,
      })),
    );
  it.each(titled(rows))(
    "%s with tenant A's ids: 404 (403 without the permission), none of A's data, nothing recorded",
    async (_, { op, who }) => {
      const caller = strangers[who];
      const response = await unrecorded(() => caller.inject(wellFormed(op, tenantA)));
      if (op.permission !== null && !caller.holds.has(op.permission))
        expectProblem(response, 403, 'forbidden');
      else expectProblem(response, 404, 'not_found');
      expectNothingOfTenantA(response);
    },
  );
});

describe("a tenant's own ids mixed with another tenant's", () => {
  // Tenant B's admin names its own records but one of tenant A's (its invoice in a payment of B's,
  // A's credit note under B's invoice…): refused, or a list with nothing in it.
  const rows = guarded.flatMap((op) => {
    const names = tenantRecordsNamed(op);
    if (names.length < 2) return [];
    return names.map((name) => ({
      op,
      name,
      label: `${op.label} by tenant B's admin with tenant A's ${name}`,
    }));
  });
  it.each(titled(rows))(
    "%s: refused or empty, none of A's data, nothing recorded",
    async (_, { op, name }) => {
      const ids = { ...tenantB, [name]: tenantA[name] };
      const response = await unrecorded(() => strangers['tenant admin'].inject(wellFormed(op, ids)));
      expect(response.statusCode, response.body).toBeLessThan(500);
      if (response.statusCode < 400) expect(response.json().items).toEqual([]);
      expectNothingOfTenantA(response);
    },
  );
});

describe('a role with the permission', () => {
  it.each(titled(roleRows.filter((row) => row.allowed)))('%s is let through', async (_, { op, role }) => {
    // A route about the caller itself may end its session or change its password: it gets its own.
    const caller = op.permission === null ? await api.signedIn(role, scopedTenant(role)) : callers[role];
    expectAdmitted(await caller.inject(wellFormed(op, tenantA)));
  });
});
