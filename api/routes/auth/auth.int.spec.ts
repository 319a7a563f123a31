// Proves sign-in, sessions with CSRF, sign-out, password change, lock-out and sign-in history work
// end to end through HTTP against real PostgreSQL, and that no failure reveals which e-mails exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  failedSignInsMax,
  resolveSessionForRequest,
  sessionReuseMs,
} from '../../auth/accounts.ts';
import { type TestApi, testApi, testNow, testPassword } from '../../testing.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => {
  await api.close();
});

async function signIn(email: string, password: string, ip = '10.9.0.1') {
  return api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });
}

describe('sign-in', () => {
  it('sets an httpOnly SameSite=Lax cookie and returns a CSRF token', async () => {
    await createUser(api.ledger.db, {
      email: 'ada@example.test',
      password: testPassword,
      role: 'accountant',
      tenantId: null,
    });
    const response = await signIn('ADA@example.test', testPassword);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'ledger_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.path).toBe('/api');
    const body = response.json();
    expect(body.user.role).toBe('accountant');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // The session id is stored only as a digest.
    const { rows } = await api.database.pool.query<{ session_id_sha256: string }>(
      'SELECT session_id_sha256 FROM api_sessions',
    );
    expect(rows.some((r) => r.session_id_sha256 === cookie.value)).toBe(false);
  });

  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const wrong = await signIn('ada@example.test', 'not the password', '10.9.0.2');
    const unknown = await signIn('nobody@example.test', 'not the password', '10.9.0.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().type).toBe('/api/problems/sign-in-failed');
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('rejects a malformed body with the field at fault', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'x@y.z' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ in: 'body', field: 'password' })]);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    await createUser(api.ledger.db, {
      email: 'lock@example.test',
      password: testPassword,
      role: 'auditor',
      tenantId: null,
    });
    for (let i = 0; i < failedSignInsMax; i += 1) {
      expect((await signIn('lock@example.test', 'wrong password', `10.9.1.${i}`)).statusCode).toBe(401);
    }
    expect((await signIn('lock@example.test', testPassword, '10.9.1.99')).statusCode).toBe(401);
    const { rows } = await api.database.pool.query<{ reason: string }>(
      `SELECT s.reason FROM api_sign_ins s JOIN api_users u USING (user_id) WHERE u.email = 'lock@example.test' ORDER BY sign_in_id`,
    );
    expect(rows.map((r) => r.reason)).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'wrong_password_locked',
      'locked',
    ]);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await testApi({ API_SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/sign-in',
          payload: { email: 'a@b.c', password: 'x' },
          remoteAddress: '10.1.1.1',
        });
        statuses.push(r.statusCode);
      }
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('a session', () => {
  it('needs the CSRF token on a state-changing request, not on a read', async () => {
    const user = await api.signedIn('superadmin');
    const me = await user.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { 'x-csrf-token': '' } });
    expect(me.statusCode).toBe(200);
    expect(me.json().role).toBe('superadmin');
    const noToken = await user.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().type).toBe('/api/problems/csrf-token-invalid');
  });

  it('ends at sign-out, for reads made a moment before too', async () => {
    const user = await api.signedIn('auditor');
    // A read first, so this process has the session in hand when it signs out.
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/sign-ins' })).statusCode).toBe(200);
    expect((await user.inject({ method: 'POST', url: '/api/v1/auth/sign-out' })).statusCode).toBe(204);
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/sign-ins' })).statusCode).toBe(401);
  });

  it('revoked by another process: refused for writes at once, for reads within the reuse delay', async () => {
    const user = await api.signedIn('accountant');
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/sign-ins' })).statusCode).toBe(200);
    // Another process revokes it: this one's memory of the session is not told.
    await api.database.pool.query('UPDATE api_sessions SET revoked_at = now()');
    const write = await user.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: testPassword, newPassword: 'never set by a revoked session' },
    });
    expect(write.statusCode).toBe(401);
    // The write looked the session up afresh, which also forgot it for reads.
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/sign-ins' })).statusCode).toBe(401);
    // Without a write in between, a read trusts the look-up for at most sessionReuseMs.
    await createUser(api.ledger.db, {
      email: 'reuse@example.test',
      password: testPassword,
      role: 'auditor',
      tenantId: null,
    });
    const signedIn = await signIn('reuse@example.test', testPassword, '10.9.0.9');
    const sessionId = signedIn.cookies.find((c) => c.name === 'ledger_session')!.value;
    const t0 = testNow; // the app's clock, which dated the session
    expect(await resolveSessionForRequest(api.ledger.db, sessionId, t0, true)).not.toBeNull();
    await api.database.pool.query('UPDATE api_sessions SET revoked_at = now()');
    expect(await resolveSessionForRequest(api.ledger.db, sessionId, t0, true)).not.toBeNull();
    const later = new Date(t0.getTime() + sessionReuseMs + 1);
    expect(await resolveSessionForRequest(api.ledger.db, sessionId, later, true)).toBeNull();
    expect(await resolveSessionForRequest(api.ledger.db, sessionId, t0, false)).toBeNull();
  });

  it('changes the password only with the current one, and keeps the session', async () => {
    const user = await api.signedIn('accountant');
    const wrong = await user.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'nope', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    const right = await user.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: testPassword, newPassword: 'a brand new passphrase' },
    });
    expect(right.statusCode).toBe(204);
    expect((await user.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });

  it('lists its own sign-in history', async () => {
    const user = await api.signedIn('auditor');
    const history = await user.inject({ method: 'GET', url: '/api/v1/auth/sign-ins' });
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([expect.objectContaining({ succeeded: true, reason: 'password' })]);
  });

  it('is refused without credentials', async () => {
    const response = await api.anonymous.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ type: '/api/problems/unauthenticated', status: 401 });
  });
});
