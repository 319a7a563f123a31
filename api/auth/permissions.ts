import { z } from 'zod';

/**
 * Who may do what. A route names the one permission it needs; a role is a fixed set of
 * permissions; an API token carries a subset of its tenant's permissions. Keeping the check to
 * one permission per route keeps the matrix readable in one table (docs/api.md).
 */
export const permissions = [
  'tenants:read',
  'tenants:write',
  /** Change a tenant's billing contact (e-mail, phone, address) and nothing else. */
  'tenants:contact',
  'plans:read',
  'plans:write',
  'subscriptions:read',
  'subscriptions:write',
  'invoices:read',
  'invoices:write',
  'payments:read',
  'payments:write',
  'payments:initiate',
  'metrics:read',
  'usage:write',
  'entitlements:read',
  'system:read',
  'audit:read',
  'users:manage',
  'tokens:manage',
] as const;
export type Permission = (typeof permissions)[number];

export const roles = ['superadmin', 'accountant', 'auditor', 'tenant_admin', 'service'] as const;
export type Role = (typeof roles)[number];
export const roleSchema = z.enum(roles);

/** Roles whose holder belongs to one tenant and never sees another's data. */
export const tenantScopedRoles: ReadonlySet<Role> = new Set(['tenant_admin', 'service']);

const readEverything: Permission[] = permissions.filter(
  (p) => p.endsWith(':read') && p !== 'entitlements:read',
);

export const rolePermissions: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  superadmin: new Set(permissions),
  accountant: new Set<Permission>([
    ...readEverything,
    'invoices:write',
    'payments:write',
    'payments:initiate',
  ]),
  auditor: new Set<Permission>(readEverything),
  tenant_admin: new Set<Permission>([
    'tenants:read',
    'tenants:contact',
    'plans:read',
    'subscriptions:read',
    'subscriptions:write',
    'invoices:read',
    'payments:read',
    'payments:initiate',
    'entitlements:read',
    'tokens:manage',
  ]),
  service: new Set<Permission>(['usage:write', 'entitlements:read', 'plans:read']),
};

/** The permissions an API token may be given: at most what a tenant admin holds, plus usage. */
export const tokenPermissions: readonly Permission[] = [
  ...new Set<Permission>([...rolePermissions.tenant_admin, ...rolePermissions.service]),
].filter((p) => p !== 'tokens:manage');
export const tokenPermissionSchema = z.enum(tokenPermissions as [Permission, ...Permission[]]);

/** The caller, once authenticated. */
export type Principal =
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly role: Role;
      /** Set exactly when the role is tenant-scoped. */
      readonly tenantId: string | null;
      readonly permissions: ReadonlySet<Permission>;
      /** How the request proved who it is: a cookie needs a CSRF token on writes. */
      readonly via: 'session';
      readonly sessionIdHash: string;
    }
  | {
      readonly kind: 'token';
      readonly tokenId: string;
      readonly tenantId: string;
      readonly permissions: ReadonlySet<Permission>;
      readonly via: 'token';
    };

export function principalId(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `token:${principal.tokenId}`;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}
