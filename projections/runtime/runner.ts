import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventStore, GlobalPosition, RecordedEvent } from '../../eventstore/port.ts';
import type { SqlPool } from '../../eventstore/sql.ts';
import { applyEvents, isDeterministicFailure, liveTables } from './apply.ts';
import {
  acquireLeases,
  advanceCheckpoint,
  lockCheckpoint,
  recordFailure,
  registerProjections,
  releaseLeases,
} from './checkpoints.ts';
import { PoisonEvent, type Projection } from './projection.ts';

/** Named limits and defaults. */
export const eventsPerBatchMax = 10_000;
const eventsPerBatchDefault = 2000;
const leaseMsDefault = 30_000;
const idleMsDefault = 100;
const retryDelayMsMax = 30_000;

export interface RunnerLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface RunnerOptions {
  readonly pool: SqlPool;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Who holds the leases; unique per process. */
  readonly owner?: string;
  readonly eventsPerBatch?: number;
  readonly leaseMs?: number;
  /** How long the loop sleeps once it has caught up before it looks again. */
  readonly idleMs?: number;
  readonly logger?: RunnerLogger;
}

export interface StepResult {
  /** Events read from the log in this step. */
  readonly read: number;
  readonly caughtUp: boolean;
  /** Projections this runner held the lease of. */
  readonly leased: readonly string[];
}

const silent: RunnerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Runs projections from their checkpoints. One read of the log per step feeds every projection
 * this process holds the lease of; each projection then commits its rows and its checkpoint in
 * its own transaction, so a poison event stops only the projection it poisons.
 */
export class ProjectionRunner {
  readonly owner: string;
  readonly #pool: SqlPool;
  readonly #store: EventStore;
  readonly #projections: readonly Projection[];
  readonly #batch: number;
  readonly #leaseMs: number;
  readonly #idleMs: number;
  readonly #logger: RunnerLogger;
  #registered = false;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;

  constructor(options: RunnerOptions) {
    this.#pool = options.pool;
    this.#store = options.store;
    this.#projections = options.projections;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#batch = Math.min(options.eventsPerBatch ?? eventsPerBatchDefault, eventsPerBatchMax);
    this.#leaseMs = options.leaseMs ?? leaseMsDefault;
    this.#idleMs = options.idleMs ?? idleMsDefault;
    this.#logger = options.logger ?? silent;
    const names = new Set<string>();
    for (const p of this.#projections) {
      if (names.has(p.name)) throw new Error(`projection ${p.name} is listed twice`);
      names.add(p.name);
    }
  }

  /** One batch: take the leases, read once from the lowest checkpoint, apply, commit. */
  async step(): Promise<StepResult> {
    if (!this.#registered) {
      await registerProjections(this.#pool, this.#projections);
      this.#registered = true;
    }
    const positions = await acquireLeases(this.#pool, this.owner, this.#leaseMs, this.#projections);
    if (positions.size === 0) return { read: 0, caughtUp: true, leased: [] };
    let from: GlobalPosition | null = null;
    for (const position of positions.values()) if (from === null || position < from) from = position;
    const events = await this.#store.readAll({ after: from ?? '', maxCount: this.#batch });
    for (const projection of this.#projections) {
      const position = positions.get(projection.name);
      if (position === undefined) continue;
      const slice = events.filter((e) => e.position > position);
      if (slice.length > 0) await this.#applyWithBisect(projection, position, slice);
    }
    return { read: events.length, caughtUp: events.length < this.#batch, leased: [...positions.keys()] };
  }

  /** Runs `step` until every leased projection has caught up (tests, the rebuild's check). */
  async catchUp(stepsMax = 100_000): Promise<void> {
    for (let i = 0; i < stepsMax; i += 1) if ((await this.step()).caughtUp) return;
    throw new Error(`still behind after ${stepsMax} steps`);
  }

  start(): void {
    if (this.#loop !== null) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = null;
    await releaseLeases(this.#pool, this.owner).catch(() => undefined);
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let idle = false;
      try {
        const result = await this.step();
        idle = result.caughtUp;
        failures = 0;
      } catch (error) {
        failures += 1;
        const delayMs = Math.min(retryDelayMsMax, 100 * 2 ** Math.min(failures, 10));
        this.#logger.warn({ err: error, delayMs }, 'projector step failed; retrying');
        await this.#sleep(delayMs);
        continue;
      }
      if (idle) await this.#sleep(this.#idleMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Applies a slice in one transaction. When a statement fails for a reason that would fail again,
   * the slice is replayed one event per transaction so the failure is pinned on one event: the
   * events before it commit, the projection stops on it, and nothing after it is applied.
   */
  async #applyWithBisect(
    projection: Projection,
    position: GlobalPosition,
    slice: RecordedEvent[],
  ): Promise<void> {
    try {
      await this.#commit(projection, position, slice);
      return;
    } catch (error) {
      if (!isDeterministicFailure(error)) throw error;
      if (slice.length === 1) {
        await this.#fail(
          error instanceof PoisonEvent ? error : new PoisonEvent(projection.name, slice[0]!, error),
        );
        return;
      }
    }
    let at = position;
    for (const event of slice) {
      try {
        if (!(await this.#commit(projection, at, [event]))) return;
        at = event.position;
      } catch (error) {
        if (!isDeterministicFailure(error)) throw error;
        await this.#fail(
          error instanceof PoisonEvent ? error : new PoisonEvent(projection.name, event, error),
        );
        return;
      }
    }
  }

  /** Returns false when the checkpoint moved under us (lease lost, rebuild swapped): nothing written. */
  async #commit(
    projection: Projection,
    position: GlobalPosition,
    slice: readonly RecordedEvent[],
  ): Promise<boolean> {
    const last = slice.at(-1)!;
    return this.#pool.transaction(async (tx) => {
      if (!(await lockCheckpoint(tx, projection.name, this.owner, position))) return false;
      await applyEvents(tx, projection, slice, liveTables);
      await advanceCheckpoint(
        tx,
        projection.name,
        last.position,
        slice.length,
        last.recordedAt,
        this.#leaseMs,
      );
      return true;
    });
  }

  async #fail(poison: PoisonEvent): Promise<void> {
    this.#logger.error(
      {
        projection: poison.projection,
        eventId: poison.event.id,
        eventType: poison.event.type,
        position: poison.event.position,
      },
      poison.message,
    );
    await recordFailure(this.#pool, poison);
  }
}
