import type { Kysely } from 'kysely';
import { decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../pagination.ts';
import type { AuditTrailRow, AuditTrailTables } from './audit-trail.table.ts';

export interface AuditTrailFilter {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly streamName?: string;
  /** Events naming the tenant, and every event of the streams it owns. */
  readonly tenantId?: string;
  readonly correlationId?: string;
  readonly eventType?: string;
}

/** The audit trail in log order (oldest first), filtered by entity, tenant, correlation or type. */
export async function listAuditTrail(
  db: Kysely<AuditTrailTables>,
  filter: AuditTrailFilter,
  page: PageRequest = {},
): Promise<Page<AuditTrailRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 1);
  let query = db.selectFrom('rm_audit_trail').selectAll();
  if (filter.entityType !== undefined) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
  if (filter.streamName !== undefined) query = query.where('stream_name', '=', filter.streamName);
  if (filter.tenantId !== undefined) {
    // Every event of the tenant's streams, including those whose data names only the aggregate.
    const tenantId = filter.tenantId;
    query = query.where((eb) =>
      eb.or([
        eb('tenant_id', '=', tenantId),
        eb(
          'stream_name',
          'in',
          eb.selectFrom('rm_audit_streams').select('stream_name').where('tenant_id', '=', tenantId),
        ),
      ]),
    );
  }
  if (filter.correlationId !== undefined) query = query.where('correlation_id', '=', filter.correlationId);
  if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
  if (after !== null) query = query.where('position', '>', after[0] ?? '');
  const rows = await query
    .orderBy('position')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (r) => [r.position]);
}
