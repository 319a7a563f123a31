import type { FastifyRequest } from 'fastify';
import { type CommandContext, type CommandOutcome, handleCommand } from '../app/command-handler.ts';
import type { Ledger } from '../app/runtime.ts';
import type { Actor } from '../domain/events/metadata.ts';
import type { Decider, DomainEvent } from '../domain/shared/decider.ts';
import { principalOf } from './auth/plugin.ts';
import { commandKey } from './idempotency.ts';
import { ApiError, refusal, validationError } from './problems.ts';

/**
 * The way a route runs a command: the caller becomes the actor, the Idempotency-Key becomes the
 * command's key, an `If-Match` revision is checked, and a refusal becomes a 409 with its code.
 */
export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  if (principal === null) return { kind: 'system', id: 'anonymous' };
  return principal.kind === 'user'
    ? { kind: 'user', id: principal.userId }
    : { kind: 'token', id: principal.tokenId };
}

export function commandContext(request: FastifyRequest, now: Date): CommandContext {
  const correlation = request.headers['x-correlation-id'];
  return {
    idempotencyKey: commandKey(request),
    actor: actorOf(request),
    correlationId:
      typeof correlation === 'string' && /^[\x21-\x7e]{1,100}$/.test(correlation) ? correlation : request.id,
    causationId: null,
    occurredAt: now.toISOString(),
  };
}

/**
 * The revision a client read (from the ETag of a GET), sent back in `If-Match`. Only the strong
 * form `"<revision>"` is accepted; `*` means "any existing version".
 */
export function expectedRevision(request: FastifyRequest): bigint | '*' | null {
  const header = request.headers['if-match'];
  if (header === undefined) return null;
  if (header === '*') return '*';
  const match = typeof header === 'string' ? /^"(\d{1,18})"$/.exec(header.trim()) : null;
  if (match === null) {
    throw validationError([
      { in: 'headers', field: 'if-match', message: 'a revision in quotes, e.g. "3", or *' },
    ]);
  }
  return BigInt(match[1]!);
}

export const etag = (revision: bigint | null): string => `"${revision ?? -1n}"`;

export interface CommandResult<TEvent> {
  /** The event types, as the response shows them. */
  events: { type: string }[];
  /** The events themselves, for routes that answer with something derived from them. */
  readonly domainEvents: readonly TEvent[];
  /** The log position of the last event; null when the command changed nothing. */
  readonly position: string | null;
  readonly revision: string | null;
  readonly replayed: boolean;
}

/**
 * Refuses the command with 412 when the caller sent `If-Match` and the stream moved on since (or
 * does not exist). Routes that run a use case call it themselves; `runCommand` calls it for them.
 */
export async function assertRevisionMatches(
  ledger: Ledger,
  request: FastifyRequest,
  streamName: string,
): Promise<void> {
  const expected = expectedRevision(request);
  if (expected === null) return;
  const current = await ledger.store.streamRevision(streamName);
  if (current === null || (expected !== '*' && current !== expected)) {
    throw new ApiError('stale_revision', `the current revision is ${etag(current)}; read it again`);
  }
}

/** A command's outcome as a route answers it: a refusal becomes a 409 with its code. */
export function commandResult<TEvent extends DomainEvent>(
  outcome: CommandOutcome<TEvent>,
): CommandResult<TEvent> {
  if (!outcome.ok) throw refusal(outcome.refusal.code, outcome.refusal.message, outcome.refusal.field);
  return {
    events: outcome.events.map((e) => ({ type: e.type })),
    domainEvents: outcome.events,
    position: outcome.position,
    revision: outcome.revision === null ? null : outcome.revision.toString(),
    replayed: outcome.replayed,
  };
}

export async function runCommand<TCommand, TEvent extends DomainEvent, TState>(
  ledger: Ledger,
  request: FastifyRequest,
  decider: Decider<TCommand, TEvent, TState>,
  streamName: string,
  command: TCommand,
  now: Date,
): Promise<CommandResult<TEvent>> {
  principalOf(request);
  await assertRevisionMatches(ledger, request, streamName);
  return commandResult(
    await handleCommand(ledger.store, decider, streamName, command, commandContext(request, now)),
  );
}
