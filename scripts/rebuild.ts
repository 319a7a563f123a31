import cliProgress from 'cli-progress';
import type { Config } from '../app/config.ts';
import { openLedger } from '../app/runtime.ts';
import { allProjections, projectionsNamed } from '../projections/index.ts';
import { clearFailure } from '../projections/runtime/checkpoints.ts';
import { RebuildMismatch, rebuildProjections } from '../projections/runtime/rebuild.ts';
import { projectionStatus } from '../projections/runtime/status.ts';

/**
 * How many events the log holds, for the progress bar's total. Only the PostgreSQL log can say
 * cheaply; on KurrentDB the bar shows events done and rate without a total.
 */
async function eventsInLog(ledger: Awaited<ReturnType<typeof openLedger>>): Promise<number | null> {
  if (ledger.store.kind === 'kurrentdb') return null;
  const { rows } = await ledger.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM ledger_events');
  return Number(rows[0]?.n ?? '0');
}

export interface RebuildCommandOptions {
  readonly check: boolean;
  readonly json: boolean;
  readonly progress: boolean;
}

/** `ledger rebuild [name…] [--check]`: exit 0 when swapped (and identical with --check), 1 otherwise. */
export async function runRebuild(
  config: Config,
  names: readonly string[],
  options: RebuildCommandOptions,
): Promise<number> {
  const ledger = await openLedger(config);
  try {
    const projections = projectionsNamed(names);
    const total = await eventsInLog(ledger);
    const bar =
      options.progress && process.stderr.isTTY !== false
        ? new cliProgress.SingleBar(
            {
              format:
                total === null
                  ? 'rebuild |{bar}| {value} events | {rate} events/s'
                  : 'rebuild |{bar}| {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}',
              stream: process.stderr,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
    const started = performance.now();
    bar?.start(total ?? 0, 0, { rate: '0' });
    try {
      const report = await rebuildProjections({
        pool: ledger.pool,
        store: ledger.store,
        projections,
        check: options.check,
        onProgress: ({ eventsDone }) => {
          const seconds = (performance.now() - started) / 1000;
          if (total !== null && eventsDone > total) bar?.setTotal(eventsDone);
          bar?.update(eventsDone, { rate: Math.round(eventsDone / Math.max(seconds, 0.001)).toString() });
        },
      });
      bar?.stop();
      const seconds = (performance.now() - started) / 1000;
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...report, seconds }, null, 2)}\n`);
      } else {
        process.stdout.write(
          `rebuilt ${report.projections.join(', ')}: ${report.eventsDone} events in ${seconds.toFixed(1)} s, swapped in at ${report.position || '(start)'}\n`,
        );
        for (const c of report.comparison ?? []) {
          process.stdout.write(
            `  ${c.table.padEnd(28)} ${c.live.rows.padStart(9)} rows  ${c.live.md5}  identical\n`,
          );
        }
      }
      return 0;
    } catch (error) {
      bar?.stop();
      if (error instanceof RebuildMismatch) {
        process.stderr.write(`${error.message}\nThe live tables are unchanged.\n`);
        return 1;
      }
      throw error;
    }
  } finally {
    await ledger.close();
  }
}

/** `ledger projections status`: position, lag and errors of every projection. */
export async function runProjectionStatus(config: Config, options: { json: boolean }): Promise<number> {
  const ledger = await openLedger(config);
  try {
    const statuses = await projectionStatus(ledger.pool, ledger.store, allProjections);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
    } else {
      for (const s of statuses) {
        const state = s.needsRebuild ? 'needs rebuild' : s.status;
        const behind = `${s.eventsBehind}${s.eventsBehindCapped ? '+' : ''}`;
        process.stdout.write(
          `${s.name.padEnd(20)} ${state.padEnd(14)} behind ${behind.padStart(6)} events, ${String(s.lagSeconds).padStart(5)} s  lease ${s.leaseOwner ?? '-'}\n`,
        );
        if (s.error !== null) {
          process.stdout.write(
            `  stopped on ${s.error.eventType} ${s.error.eventId} (${s.error.streamName}, position ${s.error.position}): ${s.error.message}\n`,
          );
        }
      }
    }
    return statuses.some((s) => s.status === 'failed' || s.needsRebuild) ? 1 : 0;
  } finally {
    await ledger.close();
  }
}

/** `ledger projections retry NAME`: after a fix is deployed, run a failed projection again from its poison event. */
export async function runProjectionRetry(config: Config, name: string): Promise<number> {
  projectionsNamed([name]);
  const ledger = await openLedger(config);
  try {
    const cleared = await clearFailure(ledger.pool, name);
    process.stdout.write(
      cleared ? `${name}: will retry from its checkpoint\n` : `${name}: was not stopped\n`,
    );
    return 0;
  } finally {
    await ledger.close();
  }
}
