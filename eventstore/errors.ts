import type { ExpectedState } from './port.ts';

/** The stream's state was not what the append expected; nothing was written. */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedState,
    /** The stream's last revision, or null when it does not exist. */
    readonly actual: bigint | null,
  ) {
    super(
      `stream ${streamName}: expected ${typeof expected === 'bigint' ? `revision ${expected}` : expected}, found ${actual === null ? 'no stream' : `revision ${actual}`}`,
    );
  }
}

export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound';
  constructor(readonly streamName: string) {
    super(`stream ${streamName} not found`);
  }
}

export class StreamDeleted extends Error {
  override readonly name = 'StreamDeleted';
  constructor(readonly streamName: string) {
    super(`stream ${streamName} is deleted`);
  }
}

/** An event id was reused for different content or in another stream. */
export class DuplicateEventId extends Error {
  override readonly name = 'DuplicateEventId';
  constructor(
    readonly eventId: string,
    readonly streamName: string,
  ) {
    super(`event id ${eventId} is already recorded in stream ${streamName} at another place`);
  }
}
