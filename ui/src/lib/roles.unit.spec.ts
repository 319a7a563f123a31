// Proves each role is offered exactly the pages it may open, and that the others answer forbidden.
import { describe, expect, it } from 'vitest';
import { accessTo, can, homeFor, navFor, normaliseRole } from './roles.ts';

describe('normaliseRole', () => {
  it.each([
    ['superadmin', 'superadmin'],
    ['super-admin', 'superadmin'],
    ['super_admin', 'superadmin'],
    ['tenant_admin', 'tenant_admin'],
    ['tenantAdmin', 'tenant_admin'],
    ['accountant', 'accountant'],
    ['auditor', 'auditor'],
    ['service', null],
  ] as const)('%s → %s', (raw, expected) => {
    expect(normaliseRole(raw)).toBe(expected);
  });
});

describe('accessTo', () => {
  it.each([
    ['/sign-in', null, 'public'],
    ['/dashboard', null, 'forbidden'],
    ['/dashboard', 'superadmin', 'allowed'],
    ['/invoices/inv-1', 'auditor', 'allowed'],
    ['/users', 'accountant', 'forbidden'],
    ['/users', 'superadmin', 'allowed'],
    ['/tokens', 'auditor', 'forbidden'],
    ['/invoices/inv-1', 'tenant_admin', 'forbidden'],
    ['/organisations', 'tenant_admin', 'forbidden'],
    ['/portal/invoices/inv-1', 'tenant_admin', 'allowed'],
    ['/portal', 'superadmin', 'forbidden'],
    ['/invoicesx', 'superadmin', 'public'],
  ] as const)('%s for %s is %s', (path, role, expected) => {
    expect(accessTo(path, role)).toBe(expected);
  });
});

describe('navFor', () => {
  const hrefs = (role: Parameters<typeof navFor>[0]) =>
    navFor(role).flatMap((g) => g.entries.map((e) => e.href));

  it('offers nothing before sign-in', () => {
    expect(hrefs(null)).toEqual([]);
  });

  it('offers users to super-admins only and tokens to super-admins and tenant admins', () => {
    expect(hrefs('superadmin')).toContain('/users');
    expect(hrefs('accountant')).not.toContain('/users');
    expect(hrefs('auditor')).not.toContain('/tokens');
    expect(hrefs('tenant_admin')).toContain('/tokens');
  });

  it('offers a tenant admin the portal and its own API tokens, nothing else of the back office', () => {
    expect(hrefs('tenant_admin')).toEqual([
      '/portal',
      '/portal/invoices',
      '/portal/plan',
      '/portal/contact',
      '/tokens',
    ]);
  });

  it('never offers a page the role would be refused', () => {
    for (const role of ['superadmin', 'accountant', 'auditor', 'tenant_admin'] as const) {
      for (const href of hrefs(role)) expect(accessTo(href, role)).toBe('allowed');
    }
  });
});

describe('actions and home', () => {
  it.each([
    ['auditor', 'recordPayments', false],
    ['accountant', 'recordPayments', true],
    ['accountant', 'editTenants', false],
    ['superadmin', 'editTenants', true],
    [null, 'exportData', false],
  ] as const)('%s may %s: %s', (role, action, expected) => {
    expect(can(role, action)).toBe(expected);
  });

  it('lands tenant admins on the portal and staff on the dashboard', () => {
    expect(homeFor('tenant_admin')).toBe('/portal');
    expect(homeFor('auditor')).toBe('/dashboard');
  });
});
