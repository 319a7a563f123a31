import { error, redirect } from '@sveltejs/kit';
import { type Problem, toProblem } from './problem.ts';

/**
 * The one door to the API. Pages run their loads in the browser (`ssr = false` in the root layout),
 * so every call is same-origin and carries the session cookie by itself; state-changing calls add
 * the CSRF token the API handed out at sign-in, and an Idempotency-Key so a retried click never
 * records twice.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
}

type Fetch = typeof fetch;

let csrfToken: string | null = null;

/**
 * Read-your-writes: lists come from read models that the projectors fill a moment after a command.
 * The log position of this tab's last command rides along as `minPosition` on every later read, so
 * the API waits (a bounded time) until its read models include that write; a read that does not
 * need it ignores the parameter.
 */
const positionKey = 'ledger.position';
const positionPattern = /^[0-9A-Za-z:/_-]{1,100}$/;
let lastPosition: string | null =
  typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(positionKey);

function remember(body: unknown): void {
  if (typeof body !== 'object' || body === null) return;
  const position = (body as Record<string, unknown>).position;
  if (typeof position !== 'string' || !positionPattern.test(position)) return;
  lastPosition = position;
  // Kept for this tab, so a reload right after a command still reads its own write.
  if (typeof sessionStorage !== 'undefined') sessionStorage.setItem(positionKey, position);
}

function withPosition(path: string): string {
  if (lastPosition === null || !path.startsWith('/api/v1/') || path.startsWith('/api/v1/auth/')) return path;
  if (/[?&]minPosition=/.test(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}minPosition=${encodeURIComponent(lastPosition)}`;
}

/** How long to wait before the one retry of a read the projections were behind for (503). */
const behindRetryMs = 1000;

/** Set by the session after sign-in or `/auth/me`; cleared at sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /** Reuse the same key when retrying the same submission. */
  readonly idempotencyKey?: string;
  readonly ifMatch?: string;
  readonly fetch?: Fetch;
  /** For a string body sent as it is (a CSV statement); other bodies go as JSON. */
  readonly contentType?: string;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (typeof options.body === 'string' && options.contentType !== undefined) {
    headers['content-type'] = options.contentType;
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET') {
    if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    headers['idempotency-key'] = options.idempotencyKey ?? newIdempotencyKey();
  }
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const run = options.fetch ?? fetch;
  const target = method === 'GET' ? withPosition(path) : path;
  let response: Response;
  try {
    response = await run(target, { method, headers, body, credentials: 'same-origin' });
    if (response.status === 503 && method === 'GET' && target !== path) {
      await new Promise((resolve) => setTimeout(resolve, behindRetryMs));
      response = await run(target, { method, headers, body, credentials: 'same-origin' });
    }
  } catch {
    throw new ApiError({ type: 'network', title: 'Network error', status: 0, errors: [] });
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) throw new ApiError(toProblem(response.status, parsed, response.statusText || 'Error'));
  if (method !== 'GET') remember(parsed);
  return parsed as T;
}

/** Builds `/api/v1/x?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/**
 * For load functions: a GET whose expected failures become SvelteKit errors the error page shows
 * as a state (sign-in, forbidden, not found, not yet available).
 */
export async function load<T>(fetcher: Fetch, path: string, currentPath?: string): Promise<T> {
  try {
    return await api<T>(path, { fetch: fetcher });
  } catch (e) {
    throw toKitError(e, currentPath);
  }
}

export function toKitError(e: unknown, currentPath?: string): unknown {
  if (!(e instanceof ApiError)) return e;
  const { problem } = e;
  if (problem.status === 401) {
    const next = currentPath === undefined ? '' : `?next=${encodeURIComponent(currentPath)}`;
    return redirect(303, `/sign-in${next}`);
  }
  if (problem.status === 403) return error(403, { message: problem.title, kind: 'forbidden' });
  if (problem.status === 404) {
    // The API answers a path it has no route for with "no route …": the feature is not there yet.
    const kind =
      problem.type === 'about:blank' || problem.detail?.startsWith('no route ') ? 'unavailable' : 'not_found';
    return error(404, { message: problem.title, kind });
  }
  if (problem.status === 0 || problem.status >= 500) {
    return error(problem.status === 0 ? 503 : problem.status, {
      message: problem.requestId ?? problem.title,
      kind: 'unexpected',
    });
  }
  return error(problem.status, { message: problem.detail ?? problem.title, kind: 'unexpected' });
}

/**
 * For data a page can live without (a route the API may not publish yet, a panel beside the main
 * content): null when the API has no such route or resource, the error otherwise.
 */
export async function optional<T>(fetcher: Fetch, path: string): Promise<T | null> {
  try {
    return await api<T>(path, { fetch: fetcher });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
