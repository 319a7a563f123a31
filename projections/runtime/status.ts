import type { HealthCheck } from '../../api/app.ts';
import type { EventStore, GlobalPosition } from '../../eventstore/port.ts';
import type { SqlClient } from '../../eventstore/sql.ts';
import { readCheckpoints } from './checkpoints.ts';
import type { Projection } from './projection.ts';

/** Named limits: lag is counted up to this many events, and a wait never exceeds this. */
export const lagEventsCountedMax = 1000;
export const waitTimeoutMsMax = 30_000;
const waitPollMs = 20;
/** A projection further behind than this is reported unhealthy. */
export const lagSecondsHealthyMax = 60;

export interface ProjectionStatus {
  readonly name: string;
  readonly codeVersion: number;
  readonly storedVersion: number | null;
  /** The stored rows were built by another version of the code: run `ledger rebuild NAME`. */
  readonly needsRebuild: boolean;
  readonly status: 'running' | 'failed' | 'unregistered';
  readonly position: GlobalPosition;
  readonly headPosition: GlobalPosition;
  /** Events between the checkpoint and the head, counted up to `lagEventsCountedMax`. */
  readonly eventsBehind: number;
  readonly eventsBehindCapped: boolean;
  /** How long ago the oldest event not yet projected was recorded; 0 when caught up. */
  readonly lagSeconds: number;
  readonly eventsProcessed: string;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: string | null;
  readonly error: {
    readonly message: string;
    readonly eventId: string | null;
    readonly eventType: string | null;
    readonly streamName: string | null;
    readonly position: string | null;
    readonly failedAt: string | null;
  } | null;
}

export async function projectionStatus(
  db: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  now: () => number = Date.now,
): Promise<ProjectionStatus[]> {
  const [rows, head] = await Promise.all([readCheckpoints(db), store.headPosition()]);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lagAt = new Map<GlobalPosition, Promise<{ count: number; oldestMs: number | null }>>();
  const lagOf = (position: GlobalPosition) => {
    let lag = lagAt.get(position);
    if (lag === undefined) {
      lag =
        position >= head
          ? Promise.resolve({ count: 0, oldestMs: null })
          : store.readAll({ after: position, maxCount: lagEventsCountedMax }).then((events) => ({
              count: events.length,
              oldestMs: events[0] === undefined ? null : Date.parse(events[0].recordedAt),
            }));
      lagAt.set(position, lag);
    }
    return lag;
  };
  return Promise.all(
    projections.map(async (projection) => {
      const row = byName.get(projection.name);
      const position = row?.position ?? '';
      const lag = await lagOf(position);
      return {
        name: projection.name,
        codeVersion: projection.version,
        storedVersion: row?.version ?? null,
        needsRebuild: row !== undefined && row.version !== projection.version,
        status: row?.status ?? 'unregistered',
        position,
        headPosition: head,
        eventsBehind: lag.count,
        eventsBehindCapped: lag.count >= lagEventsCountedMax,
        lagSeconds: lag.oldestMs === null ? 0 : Math.max(0, Math.round((now() - lag.oldestMs) / 1000)),
        eventsProcessed: row?.eventsProcessed ?? '0',
        leaseOwner: row?.leaseOwner ?? null,
        leaseExpiresAt: row?.leaseExpiresAt ?? null,
        error: row?.error ?? null,
      } satisfies ProjectionStatus;
    }),
  );
}

/** `/api/health` sees every projection's lag; a failed or stale projection makes it 503. */
export function projectionsHealthCheck(
  db: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  lagSecondsMax = lagSecondsHealthyMax,
): HealthCheck {
  return {
    name: 'projections',
    async check() {
      const statuses = await projectionStatus(db, store, projections);
      const unhealthy = statuses.filter(
        (s) => s.status !== 'running' || s.needsRebuild || s.lagSeconds > lagSecondsMax,
      );
      return {
        ok: unhealthy.length === 0,
        detail: Object.fromEntries(
          statuses.map((s) => [
            s.name,
            {
              status: s.needsRebuild ? 'needs_rebuild' : s.status,
              eventsBehind: s.eventsBehindCapped ? `${s.eventsBehind}+` : s.eventsBehind,
              lagSeconds: s.lagSeconds,
              ...(s.error === null ? {} : { error: s.error.message, eventId: s.error.eventId }),
            },
          ]),
        ),
      };
    },
  };
}

export interface WaitResult {
  readonly reached: boolean;
  /** The projections still short of the position when the wait ended. */
  readonly behind: readonly string[];
}

/**
 * Read-your-writes: waits until every named projection (all, by default) has applied the log up
 * to `position`, at most `timeoutMs`. The API answers 503 with Retry-After when it is not reached.
 */
export async function waitForPosition(
  db: SqlClient,
  position: GlobalPosition,
  timeoutMs: number,
  names?: readonly string[],
): Promise<WaitResult> {
  const deadline = Date.now() + Math.min(Math.max(timeoutMs, 0), waitTimeoutMsMax);
  for (;;) {
    const rows = await readCheckpoints(db, names);
    const behind = rows.filter((r) => r.position < position).map((r) => r.name);
    const missing = (names ?? []).filter((n) => !rows.some((r) => r.name === n));
    const short = [...behind, ...missing];
    if (short.length === 0) return { reached: true, behind: [] };
    // A failed projection will not move: waiting longer cannot help.
    const failed = rows.some((r) => r.status === 'failed' && short.includes(r.name));
    if (failed || Date.now() >= deadline) return { reached: false, behind: short };
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(waitPollMs, Math.max(1, deadline - Date.now()))),
    );
  }
}
