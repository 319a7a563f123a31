import { notFound } from '../problems.ts';
import type { Principal } from './permissions.ts';

/**
 * Tenant isolation in one place. A tenant-scoped caller (tenant admin, service user, API token)
 * is bound to its tenant; every route that touches tenant data passes the tenant the data belongs
 * to through `assertTenantAccess`, and every list passes its filter through `tenantScope`.
 *
 * Another tenant's resource answers 404, as an id that does not exist would: a 403 would confirm
 * to a stranger that the id is real.
 */
export function boundTenant(principal: Principal): string | null {
  return principal.kind === 'token' ? principal.tenantId : principal.tenantId;
}

export function assertTenantAccess(principal: Principal, ownerTenantId: string | null, what: string): void {
  const bound = boundTenant(principal);
  if (bound !== null && ownerTenantId !== bound) throw notFound(what);
}

/**
 * The tenant a list must be filtered to: the caller's own when it is bound (asking for another
 * tenant finds nothing), otherwise the one it asked for, or none.
 */
export function tenantScope(principal: Principal, requested: string | undefined): string | undefined {
  const bound = boundTenant(principal);
  if (bound === null) return requested;
  if (requested !== undefined && requested !== bound) throw notFound(`tenant ${requested}`);
  return bound;
}
