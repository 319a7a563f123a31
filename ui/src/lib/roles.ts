import type { MessageKey } from './i18n/messages.ts';

/**
 * Who may open which page. Every page of the app has one entry here: the navigation offers only
 * the entries a role may open, and the layout answers a forbidden state for the others, so adding
 * a page is adding one line. The API enforces the same rules on every route; this table only
 * spares people links they cannot use.
 */
export const roles = ['superadmin', 'accountant', 'auditor', 'tenant_admin'] as const;
export type Role = (typeof roles)[number];

/**
 * The API's spelling of a role, whatever separator it uses (`super-admin`, `superAdmin`,
 * `tenant_admin`…), to ours; null for roles that have no pages (the `service` machine role).
 */
export function normaliseRole(value: string): Role | null {
  const compact = value.toLowerCase().replace(/[^a-z]/g, '');
  switch (compact) {
    case 'superadmin':
      return 'superadmin';
    case 'accountant':
      return 'accountant';
    case 'auditor':
      return 'auditor';
    case 'tenantadmin':
      return 'tenant_admin';
    default:
      return null;
  }
}

export type NavSection = 'overview' | 'customers' | 'billing' | 'admin' | 'portal';

export interface PageEntry {
  /** The path prefix the entry covers: `/invoices` covers `/invoices/inv-1` too. */
  readonly href: string;
  readonly label: MessageKey;
  readonly section: NavSection;
  readonly roles: readonly Role[];
  /** Listed in the navigation; detail pages are covered by their parent's prefix instead. */
  readonly inNav: boolean;
}

const staff: readonly Role[] = ['superadmin', 'accountant', 'auditor'];

export const pages: readonly PageEntry[] = [
  { href: '/dashboard', label: 'nav.dashboard', section: 'overview', roles: staff, inNav: true },
  { href: '/analytics', label: 'nav.analytics', section: 'overview', roles: staff, inNav: true },
  { href: '/organisations', label: 'nav.organisations', section: 'customers', roles: staff, inNav: true },
  { href: '/subscriptions', label: 'nav.subscriptions', section: 'customers', roles: staff, inNav: true },
  { href: '/overdue', label: 'nav.overdue', section: 'customers', roles: staff, inNav: true },
  { href: '/plans', label: 'nav.plans', section: 'billing', roles: staff, inNav: true },
  { href: '/invoices', label: 'nav.invoices', section: 'billing', roles: staff, inNav: true },
  { href: '/payments', label: 'nav.payments', section: 'billing', roles: staff, inNav: true },
  {
    href: '/exports',
    label: 'nav.exports',
    section: 'billing',
    roles: ['superadmin', 'accountant', 'auditor'],
    inNav: true,
  },
  { href: '/users', label: 'nav.users', section: 'admin', roles: ['superadmin'], inNav: true },
  { href: '/portal', label: 'nav.portal', section: 'portal', roles: ['tenant_admin'], inNav: true },
  {
    href: '/portal/invoices',
    label: 'nav.portalInvoices',
    section: 'portal',
    roles: ['tenant_admin'],
    inNav: true,
  },
  { href: '/portal/plan', label: 'nav.portalPlan', section: 'portal', roles: ['tenant_admin'], inNav: true },
  {
    href: '/portal/contact',
    label: 'nav.portalContact',
    section: 'portal',
    roles: ['tenant_admin'],
    inNav: true,
  },
  {
    href: '/tokens',
    label: 'nav.tokens',
    section: 'admin',
    roles: ['superadmin', 'tenant_admin'],
    inNav: true,
  },
];

/**
 * Actions inside pages that only some roles may take (the auditor reads everything and changes
 * nothing). Buttons for other roles are not shown.
 */
export const actions = {
  editTenants: ['superadmin'],
  manageSubscriptions: ['superadmin'],
  managePlans: ['superadmin'],
  issueInvoices: ['superadmin', 'accountant'],
  correctInvoices: ['superadmin', 'accountant'],
  recordPayments: ['superadmin', 'accountant'],
  dunning: ['superadmin', 'accountant'],
  exportData: ['superadmin', 'accountant', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Action = keyof typeof actions;

export function can(role: Role | null, action: Action): boolean {
  return role !== null && (actions[action] as readonly Role[]).includes(role);
}

/** The most specific entry covering a path, or null for paths outside the registry. */
export function pageFor(pathname: string): PageEntry | null {
  let best: PageEntry | null = null;
  for (const entry of pages) {
    const covers = pathname === entry.href || pathname.startsWith(`${entry.href}/`);
    if (covers && (best === null || entry.href.length > best.href.length)) best = entry;
  }
  return best;
}

export type Access = 'public' | 'allowed' | 'forbidden';

/** Pages outside the registry (sign-in, the root redirect) are public; the others need a role. */
export function accessTo(pathname: string, role: Role | null): Access {
  const entry = pageFor(pathname);
  if (entry === null) return 'public';
  return role !== null && entry.roles.includes(role) ? 'allowed' : 'forbidden';
}

export interface NavGroup {
  readonly section: NavSection;
  readonly entries: readonly PageEntry[];
}

/** The navigation a role sees, grouped by section in the registry's order. */
export function navFor(role: Role | null): NavGroup[] {
  if (role === null) return [];
  const groups: NavGroup[] = [];
  for (const entry of pages) {
    if (!entry.inNav || !entry.roles.includes(role)) continue;
    const group = groups.find((g) => g.section === entry.section);
    if (group === undefined) groups.push({ section: entry.section, entries: [entry] });
    else (group.entries as PageEntry[]).push(entry);
  }
  return groups;
}

/** Where a role lands after signing in. */
export function homeFor(role: Role | null): string {
  return role === 'tenant_admin' ? '/portal' : '/dashboard';
}
