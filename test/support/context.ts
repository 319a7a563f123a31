import type { CommandContext } from '../../app/command-handler.ts';

/** A command context for tests: a fixed actor and time, a key that names the case. */
export function testContext(idempotencyKey: string, overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    idempotencyKey,
    actor: { kind: 'user', id: 'test-user' },
    correlationId: `corr-${idempotencyKey}`,
    causationId: null,
    occurredAt: '2026-11-25T10:00:00.000Z',
    ...overrides,
  };
}
