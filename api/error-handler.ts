import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { WrongExpectedRevision } from '../eventstore/errors.ts';
import { InvalidCursor } from '../projections/pagination.ts';
import {
  ApiError,
  type FieldError,
  type Problem,
  type ProblemKind,
  problemKinds,
  problemType,
} from './problems.ts';

/** A message longer than this is cut: a hostile input must not come back amplified. */
const detailLengthMax = 500;
const fieldErrorsMax = 20;

function clip(text: string, max = detailLengthMax): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function problemBody(
  kind: ProblemKind,
  request: FastifyRequest,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const { status, title } = problemKinds[kind];
  return {
    type: problemType(kind),
    title,
    status,
    ...(detail === undefined ? {} : { detail: clip(detail) }),
    instance: clip(request.url.split('?')[0] ?? request.url, 300),
    requestId: request.id,
    ...extensions,
  };
}

export function sendProblem(
  reply: FastifyReply,
  kind: ProblemKind,
  detail?: string,
  extensions: Record<string, unknown> = {},
): FastifyReply {
  const body = problemBody(kind, reply.request, detail, extensions);
  return reply.code(body.status).type('application/problem+json').send(body);
}

function fieldErrors(error: FastifyError & { validationContext?: string }): FieldError[] {
  const where = error.validationContext ?? 'body';
  return (error.validation ?? [])
    .slice(0, fieldErrorsMax)
    .flatMap((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      // A field the schema does not take is named as that field, so a form can show it beside its input.
      const keys = issue.keyword === 'unrecognized_keys' ? issue.params.keys : undefined;
      if (Array.isArray(keys) && keys.length > 0) {
        return keys.slice(0, fieldErrorsMax).map((key) => ({
          in: where,
          field: clip(path === '' ? String(key) : `${path}.${String(key)}`, 200),
          message: 'this field cannot be set here',
        }));
      }
      return [{ in: where, field: path, message: clip(issue.message ?? 'invalid', 200) }];
    })
    .slice(0, fieldErrorsMax);
}

/** Fastify's own error codes for requests it could not read, with the kind each one maps to. */
const fastifyCodes: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
  FST_ERR_BAD_URL: 'malformed_request',
  FST_ERR_ASYNC_CONSTRAINT: 'malformed_request',
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: 'internal',
};

/**
 * The one error handler. Typed errors become their problem; the errors Fastify raises for bodies it
 * cannot read become 400/413/415; a lost race on a stream becomes 412; everything else is logged
 * with its stack and answered as a 500 that carries only the request id.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.kind === 'internal') request.log.error({ err: error }, 'internal error');
      return sendProblem(reply, error.kind, error.message, error.extensions);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = fieldErrors(error as FastifyError & { validationContext?: string });
      return sendProblem(reply, 'validation', 'some fields are not valid', { errors });
    }
    if (error instanceof InvalidCursor) {
      return sendProblem(reply, 'validation', 'the cursor is not one this API gave out', {
        errors: [{ in: 'querystring', field: 'cursor', message: 'pass back nextCursor unchanged' }],
      });
    }
    if (error instanceof WrongExpectedRevision) {
      return sendProblem(
        reply,
        'stale_revision',
        'the resource changed while the command ran; read it again',
      );
    }
    const mapped = error.code === undefined ? undefined : fastifyCodes[error.code];
    if (mapped !== undefined && mapped !== 'internal') {
      return sendProblem(reply, mapped, error.message);
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && error.code?.startsWith('FST_'))) {
      return sendProblem(reply, 'malformed_request', 'the body is not valid JSON');
    }
    if (error.statusCode === 429) return sendProblem(reply, 'rate_limited', error.message);
    request.log.error({ err: error }, 'unexpected error');
    return sendProblem(reply, 'internal', 'an unexpected error happened; quote the request id');
  });

  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
}
