/** One row per event in the log: who did what to which entity, when it happened and when it was recorded. */
export interface AuditTrailRow {
  position: string;
  event_id: string;
  stream_name: string;
  entity_type: string;
  entity_id: string;
  revision: string;
  event_type: string;
  schema_version: number;
  tenant_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  actor_kind: string;
  actor_id: string;
  correlation_id: string;
  causation_id: string | null;
  idempotency_key: string | null;
}

/** The tenant that owns a stream, from the first event of the stream that names it. */
export interface AuditStreamRow {
  stream_name: string;
  tenant_id: string;
}

export interface AuditTrailTables {
  rm_audit_trail: AuditTrailRow;
  rm_audit_streams: AuditStreamRow;
}
