import { z } from 'zod';

/** Who caused an event: a person, an API token, a scheduled job, a payment provider, or the system. */
export const actorSchema = z.object({
  kind: z.enum(['user', 'token', 'job', 'provider', 'system']),
  id: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * Metadata on every event. `occurredAt` is when the fact happened (an ISO-8601 instant supplied by
 * the command); the store adds the recording time separately. Auditors need both.
 */
export const eventMetadataSchema = z.object({
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
  actor: actorSchema,
  idempotencyKey: z.string().min(1).max(300).nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type EventMetadata = z.infer<typeof eventMetadataSchema>;
