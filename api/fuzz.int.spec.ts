// Proves that no route, whatever malformed or hostile input it is sent (wrong types, huge strings,
// injection text, unknown fields, deep nesting, odd headers), answers a 500 or records an event, and
// that every route but the few public ones needs credentials and its permission: the routes come
// from the OpenAPI document, so a new route is covered unasked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type TestApi, testApi } from './testing.ts';

let api: TestApi;
let callers: Record<string, Caller>;

beforeAll(async () => {
  api = await testApi({ API_SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000' });
  callers = {
    superadmin: await api.signedIn('superadmin'),
    tenantAdmin: await api.signedIn('tenant_admin', 'tenant-a'),
    token: await api.withToken('tenant-a', ['tenants:read', 'usage:write', 'entitlements:read']),
    anonymous: api.anonymous,
  };
});
afterAll(async () => {
  await api.close();
});

const huge = 'A'.repeat(100_000);
const hostileStrings = [
  "'; DROP TABLE ledger_events; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00\u0000nul',
  '${jndi:ldap://x}',
  '{{constructor.constructor("return process")()}}',
  '\u202e\ud83d\ude00',
  '-1',
  '1e309',
  huge,
];

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

const hostileBodies: unknown[] = [
  null,
  42,
  'a string',
  [],
  [1, 2, 3],
  {},
  { __proto__: { admin: true }, constructor: { prototype: { admin: true } } },
  { unknownField: 'x', another: 1 },
  { email: 12, password: [], tenantId: { $ne: null }, amount: { amountMinor: 1.5, currency: 'XOF' } },
  { planCode: huge, terms: huge, details: huge, tenantId: huge, name: huge },
  { tenantId: "' OR 1=1 --", details: { legalName: '<script>', country: 'ZZ' } },
  nested(2000),
];

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly queryNames: string[];
}

async function operations(): Promise<Operation[]> {
  const document = (await api.anonymous.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  const found: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      found.push({
        method: method.toUpperCase(),
        path,
        queryNames: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return found;
}

function fill(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

describe('fuzzing every route from the OpenAPI document', () => {
  it('never answers 500 and records nothing', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(15);
    const before = await api.eventCount();
    const failures: string[] = [];
    const check = async (caller: string, label: string, run: () => ReturnType<Caller['inject']>) => {
      const response = await run();
      if (response.statusCode >= 500)
        failures.push(`${caller} ${label} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (response.statusCode >= 400) {
        expect(response.headers['content-type'], label).toContain('application/problem+json');
        expect(response.body.length, label).toBeLessThan(20_000);
      }
    };
    for (const [name, caller] of Object.entries(callers)) {
      for (const op of ops) {
        const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
        for (const value of hostileStrings) {
          const url = fill(op.path, value);
          const query = op.queryNames.map((q) => `${q}=${encodeURIComponent(value)}`).join('&');
          await check(name, `${op.method} ${op.path} [${value.slice(0, 20)}]`, () =>
            caller.inject({
              method: op.method as 'GET',
              url: query === '' ? url : `${url}?${query}`,
              ...(hasBody ? { payload: { value } } : {}),
              headers: { 'idempotency-key': value.slice(0, 300), 'if-match': value.slice(0, 50) },
            }),
          );
        }
        if (!hasBody) continue;
        for (const body of hostileBodies) {
          await check(name, `${op.method} ${op.path} body ${JSON.stringify(body)?.slice(0, 40)}`, () =>
            caller.inject({
              method: op.method as 'POST',
              url: fill(op.path, 'fuzz-id'),
              headers: { 'content-type': 'application/json' },
              payload: JSON.stringify(body),
            }),
          );
        }
        await check(name, `${op.method} ${op.path} as text/xml`, () =>
          caller.inject({
            method: op.method as 'POST',
            url: fill(op.path, 'fuzz-id'),
            headers: { 'content-type': 'text/xml' },
            payload: '<a>&xxe;</a>',
          }),
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await api.eventCount()).toBe(before);
  }, 300_000);
});

describe('every route from the OpenAPI document', () => {
  const publicRoutes = new Set([
    'GET /api/health',
    'POST /api/v1/auth/sign-in',
    'POST /api/v1/webhooks/{provider}',
    'POST /api/v1/webhooks/{provider}/{paymentId}',
    'POST /api/v1/sandbox/checkout/{sessionId}',
  ]);

  it('needs credentials unless it is one of the few public routes', async () => {
    const open: string[] = [];
    for (const op of await operations()) {
      const label = `${op.method} ${op.path}`;
      const response = await api.anonymous.inject({
        method: op.method as 'GET',
        url: fill(op.path, 'x'),
        ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
      });
      if (response.statusCode !== 401) open.push(`${label} → ${response.statusCode}`);
    }
    expect(open.filter((line) => !publicRoutes.has(line.split(' → ')[0]!))).toEqual([]);
  });

  it('refuses a token without the permission on every route that needs one', async () => {
    const narrow = await api.withToken('tenant-a', ['usage:write']);
    const allowed: string[] = [];
    for (const op of await operations()) {
      const label = `${op.method} ${op.path}`;
      if (publicRoutes.has(label)) continue;
      const response = await narrow.inject({
        method: op.method as 'GET',
        url: fill(op.path, 'x'),
        ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: {} }),
      });
      if (response.statusCode !== 403) allowed.push(`${label} → ${response.statusCode}`);
    }
    // Routes about the caller itself, which any authenticated caller may use (a token has no password: 400/403).
    expect(allowed).toEqual([
      'POST /api/v1/auth/sign-out → 204',
      'GET /api/v1/auth/me → 200',
      'POST /api/v1/auth/password → 400',
    ]);
  });
});
