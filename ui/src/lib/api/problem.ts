/**
 * RFC 9457 problem details as the API sends them (`application/problem+json`), and the field
 * errors a form shows next to each input. Pure, so the mapping is tested without a browser.
 */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly requestId?: string;
  readonly errors: readonly FieldError[];
}

/** Reads a response body as a problem; anything else becomes a generic problem for the status. */
export function toProblem(status: number, body: unknown, fallbackTitle: string): Problem {
  if (typeof body !== 'object' || body === null) {
    return { type: 'about:blank', title: fallbackTitle, status, errors: [] };
  }
  const b = body as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const errors: FieldError[] = [];
  if (Array.isArray(b.errors)) {
    for (const e of b.errors.slice(0, 100)) {
      if (typeof e !== 'object' || e === null) continue;
      const r = e as Record<string, unknown>;
      const field = Array.isArray(r.path) ? r.path.join('.') : (text(r.field) ?? text(r.pointer));
      const message = text(r.message) ?? text(r.detail);
      if (message !== undefined) errors.push({ field: normaliseField(field ?? ''), message });
    }
  }
  // A business refusal may name its field at the top level, beside its code.
  const topField = text(b.field);
  if (errors.length === 0 && topField !== undefined) {
    errors.push({
      field: normaliseField(topField),
      message: text(b.detail) ?? text(b.title) ?? fallbackTitle,
    });
  }
  return {
    type: text(b.type) ?? 'about:blank',
    title: text(b.title) ?? text(b.message) ?? fallbackTitle,
    status: typeof b.status === 'number' ? b.status : status,
    detail: text(b.detail),
    code: text(b.code),
    requestId: text(b.requestId) ?? text(b.instance),
    errors,
  };
}

/**
 * `body.billingContact.email`, `/billingContact/email` (a JSON pointer) and `billingContact.email`
 * all name the same input.
 */
export function normaliseField(field: string): string {
  return field
    .replace(/^\/+/, '')
    .replace(/\//g, '.')
    .replace(/^(body|querystring|params)\./, '');
}

/** Field errors keyed by field, first message wins; errors without a field go under `''`. */
export function fieldErrors(problem: Problem | null): Record<string, string> {
  const byField: Record<string, string> = {};
  if (problem === null) return byField;
  for (const e of problem.errors) if (byField[e.field] === undefined) byField[e.field] = e.message;
  return byField;
}
