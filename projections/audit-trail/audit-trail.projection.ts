import type { RecordedEvent } from '../../eventstore/port.ts';
import { type Projection, upsert } from '../runtime/projection.ts';

/**
 * Stream prefixes that contain a dash, checked before the generic "type-id" split so that
 * `customer-balance-t1` is the customer balance of `t1`, not a "customer" called `balance-t1`.
 */
const compoundPrefixes = ['customer-balance', 'invoice-series', 'numbering-series'];

export function entityOf(streamName: string): { type: string; id: string } {
  for (const prefix of compoundPrefixes) {
    if (streamName.startsWith(`${prefix}-`)) return { type: prefix, id: streamName.slice(prefix.length + 1) };
  }
  const dash = streamName.indexOf('-');
  return dash <= 0
    ? { type: streamName, id: '' }
    : { type: streamName.slice(0, dash), id: streamName.slice(dash + 1) };
}

function tenantOf(event: RecordedEvent): string | null {
  const data = event.data as { tenantId?: unknown } | null;
  if (data !== null && typeof data === 'object' && typeof data.tenantId === 'string') return data.tenantId;
  return event.streamName.startsWith('tenant-') ? event.streamName.slice('tenant-'.length) : null;
}

/** Every event by entity, for auditors: any number on any screen traces back to these rows. */
export const auditTrailProjection: Projection = {
  name: 'audit-trail',
  // 2: stream owners (rm_audit_streams) so a tenant's trail includes events naming only their aggregate.
  version: 2,
  tables: [
    { name: 'rm_audit_trail', key: ['position'], insertOnly: true },
    { name: 'rm_audit_streams', key: ['stream_name'] },
  ],
  eventTypes: 'all',
  evolve(event) {
    const entity = entityOf(event.streamName);
    const meta = event.metadata;
    const tenantId = tenantOf(event);
    return [
      ...(tenantId === null
        ? []
        : [upsert('rm_audit_streams', { stream_name: event.streamName, tenant_id: tenantId })]),
      upsert('rm_audit_trail', {
        position: event.position,
        event_id: event.id,
        stream_name: event.streamName,
        entity_type: entity.type,
        entity_id: entity.id,
        revision: event.revision.toString(),
        event_type: event.type,
        schema_version: event.storedSchemaVersion,
        tenant_id: tenantId,
        occurred_at: meta.occurredAt,
        recorded_at: event.recordedAt,
        actor_kind: meta.actor.kind,
        actor_id: meta.actor.id,
        correlation_id: meta.correlationId,
        causation_id: meta.causationId,
        idempotency_key: meta.idempotencyKey,
      }),
    ];
  },
};
