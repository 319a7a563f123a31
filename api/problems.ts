import { z } from 'zod';

/**
 * RFC 9457 problem details. Every error the API answers is one of these kinds; the `type` URI of
 * a kind never changes once published, so clients may branch on it (docs/api.md lists them).
 */
export const problemKinds = {
  validation: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request could not be read' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  sign_in_failed: { status: 401, title: 'Sign-in failed' },
  forbidden: { status: 403, title: 'Not allowed' },
  csrf_token_invalid: { status: 403, title: 'CSRF token missing or wrong' },
  not_found: { status: 404, title: 'Not found' },
  business_rule: { status: 409, title: 'Refused by a business rule' },
  conflict: { status: 409, title: 'Conflict' },
  idempotency_key_in_flight: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  stale_revision: { status: 412, title: 'The resource changed since the revision in If-Match' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: {
    status: 422,
    title: 'This Idempotency-Key was used with another request',
  },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  provider_unavailable: { status: 502, title: 'The payment provider did not answer usably' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemKind = keyof typeof problemKinds;

/** The stable identifier of a kind: a relative URI, resolved against the API's own address. */
export function problemType(kind: ProblemKind): string {
  return `/api/problems/${kind.replaceAll('_', '-')}`;
}

export const fieldErrorSchema = z.object({
  /** Where the field is: body, querystring, params or headers. */
  in: z.string(),
  /** The dotted path inside it (`lines.0.quantity`); empty for the whole part. */
  field: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** The body of every error response. Extension members depend on the kind. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    /** validation: the fields at fault. */
    errors: z.array(fieldErrorSchema).optional(),
    /** business_rule: the refusal code from the aggregate's closed vocabulary. */
    code: z.string().optional(),
    field: z.string().optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** An error the handler turns into a problem response; anything else becomes a 500. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(
    readonly kind: ProblemKind,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? problemKinds[kind].title);
    this.status = problemKinds[kind].status;
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} was not found`);
export const forbidden = (detail = 'your role does not allow this') => new ApiError('forbidden', detail);
export const unauthenticated = (detail = 'sign in, or send an API token') =>
  new ApiError('unauthenticated', detail);
export const validationError = (errors: FieldError[], detail = 'some fields are not valid') =>
  new ApiError('validation', detail, { errors });
export const refusal = (code: string, message: string, field?: string) =>
  new ApiError('business_rule', message, field === undefined ? { code } : { code, field });

/** The statuses every route may answer with a problem, beside its own success statuses. */
export const problemStatuses = [400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 500, 502, 503] as const;

/**
 * Adds the problem schema for every error status to a route's `response` map, so the OpenAPI
 * document shows them and the serializer accepts them.
 */
export function withProblems<T extends Record<number, z.ZodType>>(
  success: T,
): T & Record<(typeof problemStatuses)[number], typeof problemSchema> {
  const all: Record<number, z.ZodType> = { ...success };
  for (const status of problemStatuses) all[status] ??= problemSchema;
  return all as T & Record<(typeof problemStatuses)[number], typeof problemSchema>;
}
