import type { z } from 'zod';

/**
 * The event catalog: every event type we record, its current schema version and its zod schema,
 * plus upcasters that lift an older stored version to the current shape on read.
 *
 * The catalog is data, not a registry with side effects: each aggregate exports its definitions
 * and `domain/events/index.ts` assembles them into the one catalog the event store is given.
 */
export interface EventDefinition<TType extends string = string, TData = unknown> {
  readonly type: TType;
  /** The schema version written by this code. Starts at 1. */
  readonly version: number;
  readonly schema: z.ZodType<TData>;
  /**
   * `upcasters[n]` turns data stored at version n into version n + 1. Reading an event stored at
   * version k applies k, k+1, … until the current version.
   */
  readonly upcasters?: Readonly<Record<number, (data: unknown) => unknown>>;
}

export function defineEvent<TType extends string, TData>(
  definition: EventDefinition<TType, TData>,
): EventDefinition<TType, TData> {
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`event ${definition.type}: version must be an integer >= 1`);
  }
  for (let v = 1; v < definition.version; v += 1) {
    if (definition.upcasters !== undefined && definition.upcasters[v] === undefined) {
      // A gap in the upcaster chain would leave old events unreadable; catch it at start-up.
      throw new Error(`event ${definition.type}: missing upcaster from version ${v}`);
    }
  }
  return definition;
}

export type EventOf<D> = D extends EventDefinition<infer T, infer P> ? { type: T; data: P } : never;

/** Raised when data does not match its event schema; nothing is written. */
export class EventSchemaViolation extends Error {
  override readonly name = 'EventSchemaViolation';
  constructor(
    readonly eventType: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(
      `event ${eventType} does not match its schema: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}

export class UnknownEventType extends Error {
  override readonly name = 'UnknownEventType';
  constructor(readonly eventType: string) {
    super(`unknown event type ${eventType}: add it to the event catalog`);
  }
}

export class EventCatalog {
  readonly #byType = new Map<string, EventDefinition>();

  constructor(definitions: ReadonlyArray<EventDefinition<string, unknown>>) {
    for (const definition of definitions) {
      if (this.#byType.has(definition.type)) throw new Error(`event ${definition.type} defined twice`);
      this.#byType.set(definition.type, definition);
    }
  }

  has(type: string): boolean {
    return this.#byType.has(type);
  }

  types(): string[] {
    return [...this.#byType.keys()];
  }

  definition(type: string): EventDefinition {
    const definition = this.#byType.get(type);
    if (definition === undefined) throw new UnknownEventType(type);
    return definition;
  }

  /** Validates data for writing; returns the parsed data and the version it is written at. */
  validate(type: string, data: unknown): { data: unknown; schemaVersion: number } {
    const definition = this.definition(type);
    const parsed = definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new EventSchemaViolation(
        type,
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    return { data: parsed.data, schemaVersion: definition.version };
  }

  /** Brings stored data up to the current version. Unknown types pass through untouched. */
  upcast(type: string, schemaVersion: number, data: unknown): { data: unknown; schemaVersion: number } {
    const definition = this.#byType.get(type);
    if (definition === undefined || schemaVersion >= definition.version) return { data, schemaVersion };
    let current = data;
    for (let v = schemaVersion; v < definition.version; v += 1) {
      const up = definition.upcasters?.[v];
      if (up === undefined) throw new Error(`event ${type}: no upcaster from version ${v}`);
      current = up(current);
    }
    return { data: current, schemaVersion: definition.version };
  }
}
