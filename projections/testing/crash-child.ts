/**
 * The process the crash test kills: it projects every read model in small batches and, inside
 * the transaction of batch number CRASH_AT_BATCH (rows written, checkpoint not yet committed),
 * prints MID-BATCH and waits to be SIGKILLed.
 */
import { PostgresEventStore } from '../../eventstore/postgres/postgres-event-store.ts';
import { createPostgresPool } from '../../eventstore/sql.ts';
import { allProjections } from '../index.ts';
import type { Projection } from '../runtime/projection.ts';
import { ProjectionRunner } from '../runtime/runner.ts';
import { projectionTestCatalog } from './history.ts';

const url = process.env.CRASH_DATABASE_URL!;
const schema = process.env.CRASH_SCHEMA!;
const crashAt = Number(process.env.CRASH_AT_BATCH ?? '3');

const pool = createPostgresPool({ connectionString: url, schema, max: 4 });
const store = new PostgresEventStore({ pool, catalog: projectionTestCatalog() });
let batches = 0;
// A timer keeps the process alive while it waits for the signal.
const hang = (): Promise<never> => new Promise(() => setInterval(() => undefined, 1000));

// The customer balances run last in a step, after the others committed theirs: the kill lands
// with some projections ahead of others, as it would in production.
const projections: Projection[] = allProjections.map((p) =>
  p.name !== 'customer-balances'
    ? p
    : {
        ...p,
        async afterBatch(tx, context) {
          await p.afterBatch?.(tx, context);
          batches += 1;
          if (batches === crashAt) {
            process.stdout.write('MID-BATCH\n');
            await hang();
          }
        },
      },
);

const runner = new ProjectionRunner({
  pool,
  store,
  projections,
  owner: 'crash-child',
  eventsPerBatch: 25,
  leaseMs: 500,
});
for (;;) {
  const step = await runner.step();
  if (step.caughtUp) {
    process.stdout.write('CAUGHT-UP\n');
    await hang();
  }
}
