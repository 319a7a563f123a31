import { type Kysely, sql } from 'kysely';

/**
 * MRR of the whole business on any date without visiting every tenant. `rm_mrr_days` holds one
 * row per tenant per day its MRR changed, so "MRR as it stood on D" had to find each tenant's last
 * row on or before D (a DISTINCT ON over every tenant: ~150 ms at 10 000 tenants, and the
 * dashboard asks for it on every load). A tenant's day rows chain (each day starts where its
 * previous one ended, the first starts at 0), so the sum of `end − start` over a tenant's rows up
 * to D is its ARR on D. This table keeps those changes summed per day and currency; ARR on D is
 * the sum of at most one row per day, and the count of paying tenants moves the same way.
 *
 * Filled by the metrics projection (version 2): the version change rebuilds it from the log.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rm_mrr_day_totals (
      day date NOT NULL,
      currency text NOT NULL,
      arr_change_minor numeric NOT NULL,
      paying_change integer NOT NULL,
      PRIMARY KEY (currency, day)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rm_mrr_day_totals`.execute(db);
}
