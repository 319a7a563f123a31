import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import cron from 'node-cron';
import type { EventStore } from '../../eventstore/port.ts';
import type { Logger } from '../logger.ts';
import { localDate } from '../billing/support.ts';
import { catchUp, type DailyReport, newJobIndex } from './daily.ts';

/**
 * The scheduler role: runs the daily jobs once at start (catching up every day missed while no
 * scheduler ran) and then every day shortly after midnight in the business's time zone, plus once
 * an hour as a safety net (a run for a day already done records nothing). Several schedulers may
 * run at once, on one machine or many: the jobs' keys make them agree (app/jobs/daily.ts).
 *
 * The last day run is kept in a small file under the data directory. Without it (a new machine) the
 * scheduler runs today only: each job takes everything due on or before the day it runs, so nothing
 * is lost, only dated on the day of the run rather than the day it was due.
 */

export interface SchedulerOptions {
  readonly store: EventStore;
  readonly logger: Logger;
  /** Where the last day run is kept, e.g. `<LEDGER_DATA_DIR>/scheduler/last-run.json`. */
  readonly stateFile: string;
  /** The calendar the days are counted in. */
  readonly timeZone?: string;
  readonly clock?: () => Date;
}

export interface RunningScheduler {
  /** Runs the catch-up now (what the cron triggers do); resolves when it is done. */
  runNow(): Promise<DailyReport[]>;
  stop(): Promise<void>;
}

export const dailyCronExpression = '15 0 * * *';
export const hourlyCronExpression = '5 * * * *';

export function startScheduler(options: SchedulerOptions): RunningScheduler {
  const timeZone = options.timeZone ?? 'Africa/Dakar';
  const clock = options.clock ?? (() => new Date());
  const index = newJobIndex();
  let running: Promise<DailyReport[]> | null = null;

  const runNow = (): Promise<DailyReport[]> => {
    // One run at a time in this process; another process may run at once, which is safe.
    running ??= (async () => {
      try {
        const today = localDate(clock(), timeZone);
        const reports = await catchUp(
          {
            store: options.store,
            clock,
            index,
            lastRunOn: () => readLastRun(options.stateFile),
            recordRun: (day) => writeLastRun(options.stateFile, day),
          },
          today,
        );
        for (const report of reports) {
          options.logger.info(
            {
              today: report.today,
              done: report.done,
              refusals: report.refusals.length,
              remindersSkipped: report.remindersSkipped,
            },
            'daily jobs ran',
          );
        }
        return reports;
      } catch (error) {
        options.logger.error({ err: error }, 'daily jobs failed; the next run completes them');
        return [];
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const tasks = [dailyCronExpression, hourlyCronExpression].map((expression) =>
    cron.schedule(expression, () => void runNow(), {
      timezone: timeZone,
      noOverlap: true,
      name: `ledger-jobs-${expression}`,
    }),
  );
  void runNow();
  return {
    runNow,
    async stop() {
      for (const task of tasks) await task.stop();
      await running;
    },
  };
}

async function readLastRun(file: string): Promise<string | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { lastRunOn?: unknown };
    return typeof parsed.lastRunOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(parsed.lastRunOn)
      ? parsed.lastRunOn
      : null;
  } catch {
    return null;
  }
}

async function writeLastRun(file: string, day: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // Write then rename, so a crash never leaves a half-written file.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ lastRunOn: day }));
  await rename(temporary, file);
}
