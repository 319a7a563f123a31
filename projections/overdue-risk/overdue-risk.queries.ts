import { type Kysely, sql } from 'kysely';
import { decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../pagination.ts';
import type { OverdueRiskRow, OverdueRiskTables } from './overdue-risk.table.ts';

/**
 * The current score of each tenant: the newer of the projector's (as of its last event) and the
 * daily job's (as of the day it ran); on the same day, the one that saw more of the log.
 */
const current = sql`(
  SELECT DISTINCT ON (tenant_id) * FROM (
    SELECT tenant_id, as_of, currency, amount_due_minor, score, band, model_version, factors, position FROM rm_overdue_risk
    UNION ALL
    SELECT tenant_id, as_of, currency, amount_due_minor, score, band, model_version, factors, position FROM overdue_risk_daily
  ) AS scores ORDER BY tenant_id, as_of DESC, position DESC)`;

const columns = sql`r.tenant_id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, r.currency, r.amount_due_minor::text AS amount_due_minor,
  r.score, r.band, r.model_version, r.factors, r.position`;

export async function getOverdueRisk(
  db: Kysely<OverdueRiskTables>,
  tenantId: string,
): Promise<OverdueRiskRow | null> {
  const { rows } =
    await sql<OverdueRiskRow>`SELECT ${columns} FROM ${current} AS r WHERE r.tenant_id = ${tenantId}`.execute(
      db,
    );
  return rows[0] ?? null;
}

/** Tenants with money due, riskiest first. */
export async function listOverdueRisk(
  db: Kysely<OverdueRiskTables>,
  page: PageRequest = {},
): Promise<Page<OverdueRiskRow>> {
  const limit = pageLimit(page);
  const after = decodeCursor(page.cursor, 2);
  const afterCondition =
    after === null ? sql`true` : sql`(r.score, r.tenant_id) < (${Number(after[0])}::int, ${after[1]})`;
  const { rows } = await sql<OverdueRiskRow>`
    SELECT ${columns} FROM ${current} AS r WHERE r.amount_due_minor > 0 AND ${afterCondition}
     ORDER BY r.score DESC, r.tenant_id DESC LIMIT ${limit + 1}`.execute(db);
  return toPage(rows, limit, (r) => [String(r.score), r.tenant_id]);
}
