import { api, ApiError, setCsrfToken } from './api/client.ts';
import type { Me, SessionUser, SignInResult } from './api/types.ts';
import { normaliseRole, type Role } from './roles.ts';

/**
 * Who is signed in, as the API says. The session itself is the API's httpOnly cookie; this store
 * only mirrors `/api/v1/auth/me` so the layout can draw the right navigation. The CSRF token comes
 * with the sign-in answer and is kept in sessionStorage so a reload keeps it (the cookie alone
 * cannot be read by scripts, by design).
 */
export const session = $state<{ user: SessionUser | null; role: Role | null; checked: boolean }>({
  user: null,
  role: null,
  checked: false,
});

const csrfKey = 'ledger.csrf';
const emailKey = 'ledger.email';

function stored(key: string): string | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(key);
}

function store(key: string, value: string | null): void {
  if (typeof sessionStorage === 'undefined') return;
  if (value === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, value);
}

function remember(user: SessionUser | null, csrfToken: string | null): void {
  session.user = user;
  session.role = user === null ? null : normaliseRole(user.role);
  session.checked = true;
  setCsrfToken(csrfToken);
  store(csrfKey, csrfToken);
  store(emailKey, user?.email ?? null);
}

/**
 * Asks the API who we are; a 401 means signed out. `/auth/me` names no e-mail, so the one given
 * at sign-in (kept for this tab) is shown. An API token's identity opens no pages.
 */
export async function refreshSession(fetcher: typeof fetch = fetch): Promise<void> {
  try {
    const me = await api<Me>('/api/v1/auth/me', { fetch: fetcher });
    if (me.kind !== 'user' || me.userId === null || me.role === null) {
      remember(null, null);
      return;
    }
    const user: SessionUser = {
      userId: me.userId,
      email: stored(emailKey) ?? '',
      role: me.role,
      tenantId: me.tenantId,
    };
    remember(user, me.csrfToken ?? stored(csrfKey));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) remember(null, null);
    else throw e;
  }
}

export async function signIn(email: string, password: string): Promise<SessionUser> {
  const result = await api<SignInResult>('/api/v1/auth/sign-in', {
    method: 'POST',
    body: { email, password },
  });
  remember(result.user, result.csrfToken);
  return result.user;
}

export async function signOut(): Promise<void> {
  try {
    await api('/api/v1/auth/sign-out', { method: 'POST' });
  } finally {
    remember(null, null);
  }
}
