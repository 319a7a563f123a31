// Proves GET /api/v1/metrics/cohorts on PostgreSQL: tenants grouped by the month they first paid,
// with the customer and revenue retention of a small history computed by hand, the range and
// currency respected, bad ranges refused, and only staff who read metrics let in.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendHistory,
  planChanged,
  subscriptionCanceled,
  subscriptionStarted,
} from '../../../projections/testing/history.ts';
import { type TestApi, testApi } from '../../testing.ts';

let api: TestApi;

const monthly = (tenant: string, priceMinor: bigint, startedOn: string) =>
  subscriptionStarted({
    subscriptionId: `sub-${tenant}`,
    tenantId: tenant,
    interval: 'monthly',
    priceMinor,
    startedOn,
  });

/**
 * January 2026: t1 pays 10 000 a month, t2 20 000, t3 120 000 a year (10 000 a month): 3 tenants,
 * 40 000 of MRR. t2 leaves on 10 February; t1 moves up to 15 000 on 3 March.
 * February 2026: t4 pays 8 000 and leaves on 2 April.
 * Outside the triangle: t0 first paid in December 2025 (an earlier cohort, though it churns in
 * February), t5 is on a trial that never converts, and a EUR tenant is another currency.
 */
beforeAll(async () => {
  api = await testApi();
  await appendHistory(api.ledger.store, [
    monthly('t0', 5_000n, '2025-12-10'),
    monthly('t1', 10_000n, '2026-01-05'),
    monthly('t2', 20_000n, '2026-01-20'),
    subscriptionStarted({
      subscriptionId: 'sub-t3',
      tenantId: 't3',
      interval: 'annual',
      priceMinor: 120_000n,
      startedOn: '2026-01-25',
    }),
    subscriptionStarted({
      subscriptionId: 'sub-t5',
      tenantId: 't5',
      interval: 'monthly',
      priceMinor: 9_000n,
      startedOn: '2026-01-15',
      trial: true,
    }),
    subscriptionCanceled('sub-t0', '2026-02-01'),
    subscriptionCanceled('sub-t2', '2026-02-10'),
    monthly('t4', 8_000n, '2026-02-14'),
    planChanged('sub-t1', '2026-03-03', 10_000n, 15_000n),
    subscriptionCanceled('sub-t4', '2026-04-02'),
  ]);
  await api.project();
}, 60_000);

afterAll(async () => {
  await api.close();
});

const fourDigits = (ratio: string) => new Decimal(ratio).toSignificantDigits(4).toString();

describe('cohort retention', () => {
  it('follows each cohort month by month, as computed by hand', async () => {
    const accountant = await api.signedIn('accountant');
    const response = await accountant.inject({
      method: 'GET',
      url: '/api/v1/metrics/cohorts?from=2026-01&to=2026-04&currency=XOF',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ from: '2026-01', to: '2026-04', currency: 'XOF' });
    const rows = body.cohorts.map(
      (c: { month: string; size: number; startingMrrMinor: string; cells: Record<string, unknown>[] }) => [
        c.month,
        c.size,
        c.startingMrrMinor,
        c.cells.map((cell) => [
          cell.offset,
          cell.month,
          cell.payingCustomers,
          cell.mrrMinor,
          fourDigits(cell.customerRetention as string),
          fourDigits(cell.revenueRetention as string),
        ]),
      ],
    );
    expect(rows).toEqual([
      [
        '2026-01',
        3,
        '40000',
        [
          [0, '2026-01', 3, '40000', '1', '1'],
          [1, '2026-02', 2, '20000', '0.6667', '0.5'],
          [2, '2026-03', 2, '25000', '0.6667', '0.625'],
          [3, '2026-04', 2, '25000', '0.6667', '0.625'],
        ],
      ],
      [
        '2026-02',
        1,
        '8000',
        [
          [0, '2026-02', 1, '8000', '1', '1'],
          [1, '2026-03', 1, '8000', '1', '1'],
          [2, '2026-04', 0, '0', '0', '0'],
        ],
      ],
    ]);
  });

  it('leaves out cohorts before the range, stops at its end, and keeps to one currency', async () => {
    const auditor = await api.signedIn('auditor');
    const february = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/cohorts?from=2026-02&to=2026-03',
    });
    expect(february.statusCode).toBe(200);
    expect(
      february.json().cohorts.map((c: { month: string; cells: unknown[] }) => [c.month, c.cells.length]),
    ).toEqual([['2026-02', 2]]);
    const december = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/cohorts?from=2025-12&to=2026-02',
    });
    expect(december.json().cohorts[0]).toMatchObject({
      month: '2025-12',
      size: 1,
      cells: [{ payingCustomers: 1 }, { payingCustomers: 1 }, { payingCustomers: 0, revenueRetention: '0' }],
    });
    const euro = await auditor.inject({
      method: 'GET',
      url: '/api/v1/metrics/cohorts?from=2026-01&to=2026-04&currency=EUR',
    });
    expect([euro.statusCode, euro.json().cohorts]).toEqual([200, []]);
  });

  it('refuses a malformed, reversed or too wide range and an unknown currency with 400', async () => {
    const admin = await api.signedIn('superadmin');
    const cases: [string, string][] = [
      ['from=2026-1&to=2026-04', 'from'],
      ['from=2026-01&to=2026-13', 'to'],
      ['from=2026-04&to=2026-01', 'to'],
      ['from=2021-01&to=2026-01', 'to'],
      ['from=2026-01&to=2026-04&currency=ZZZ', 'currency'],
      ['to=2026-04', 'from'],
    ];
    for (const [query, field] of cases) {
      const response = await admin.inject({ method: 'GET', url: `/api/v1/metrics/cohorts?${query}` });
      expect([query, response.statusCode, response.json().errors?.[0]?.field]).toEqual([query, 400, field]);
    }
  });

  it('is for staff who read metrics: 401 without credentials, 403 for a tenant admin or a token', async () => {
    const url = '/api/v1/metrics/cohorts?from=2026-01&to=2026-04';
    expect((await api.anonymous.inject({ method: 'GET', url })).statusCode).toBe(401);
    const tenantAdmin = await api.signedIn('tenant_admin', 't1');
    expect((await tenantAdmin.inject({ method: 'GET', url })).statusCode).toBe(403);
    const token = await api.withToken('t1', ['invoices:read']);
    expect((await token.inject({ method: 'GET', url })).statusCode).toBe(403);
  });
});
