import { api, ApiError, setCsrfToken } from './api/client.ts';
import type { SessionUser, SignInResult } from './api/types.ts';
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

function remember(user: SessionUser | null, csrfToken: string | null): void {
  session.user = user;
  session.role = user === null ? null : normaliseRole(user.role);
  session.checked = true;
  setCsrfToken(csrfToken);
  if (typeof sessionStorage === 'undefined') return;
  if (csrfToken === null) sessionStorage.removeItem(csrfKey);
  else sessionStorage.setItem(csrfKey, csrfToken);
}

/** `/auth/me` may answer the user alone or `{ user, csrfToken }`; both are accepted. */
function readMe(body: unknown): { user: SessionUser; csrfToken: string | null } | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const user = (typeof b.user === 'object' && b.user !== null ? b.user : b) as SessionUser;
  if (typeof user.id !== 'string' || typeof user.role !== 'string') return null;
  const token = typeof b.csrfToken === 'string' ? b.csrfToken : null;
  return { user, csrfToken: token };
}

/** Asks the API who we are; a 401 means signed out. Other failures leave the session unknown. */
export async function refreshSession(fetcher: typeof fetch = fetch): Promise<void> {
  try {
    const me = readMe(await api<unknown>('/api/v1/auth/me', { fetch: fetcher }));
    const stored = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(csrfKey);
    remember(me?.user ?? null, me?.csrfToken ?? stored);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) remember(null, null);
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
    await api('/api/v1/auth/sign-out', { method: 'POST', body: {} });
  } finally {
    remember(null, null);
  }
}
