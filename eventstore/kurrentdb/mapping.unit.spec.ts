// Proves the KurrentDB adapter's pure translations: positions, expected states, errors, the metadata layout, filters and delivery order.
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, EventCatalog } from '../../domain/events/catalog.ts';
import { type EventMetadata, eventMetadataSchema } from '../../domain/events/metadata.ts';
import { StreamDeleted, StreamNotFound, WrongExpectedRevision } from '../errors.ts';
import { START } from '../port.ts';
import { DeliveryOrder } from './delivery-order.ts';
import {
  checkpointCommit,
  decodePosition,
  encodePosition,
  exactTypesRegex,
  fromStoredMetadata,
  mapClientError,
  matchesFilter,
  NotALedgerEvent,
  RESERVED_METADATA_KEYS,
  serverFilter,
  toRecordedEvent,
  toStoredMetadata,
  toStreamState,
} from './mapping.ts';

const metadata: EventMetadata = {
  correlationId: 'corr-1',
  causationId: null,
  actor: { kind: 'user', id: 'u-1' },
  idempotencyKey: 'key-1',
  occurredAt: '2026-11-25T10:00:00.000Z',
};

describe('positions', () => {
  it('encodes a commit position in 20 digits so that string order is log order', () => {
    expect(encodePosition(0n)).toBe('00000000000000000000');
    expect(encodePosition(1056n)).toBe('00000000000000001056');
    expect(encodePosition(18_446_744_073_709_551_615n)).toBe('18446744073709551615');
    const commits = [5n, 40n, 300n, 1_000_000n, 99_999_999_999n];
    const encoded = commits.map(encodePosition);
    expect([...encoded].sort()).toEqual(encoded);
    expect(encodePosition(9n) < encodePosition(10n)).toBe(true);
    expect(START < encodePosition(0n)).toBe(true);
  });

  it('refuses what is not a u64', () => {
    expect(() => encodePosition(-1n)).toThrow(RangeError);
    expect(() => encodePosition(18_446_744_073_709_551_616n)).toThrow(RangeError);
  });

  it('decodes to the client position with prepare equal to commit, START to the log start', () => {
    expect(decodePosition(START)).toBe('start');
    expect(decodePosition('00000000000000001056')).toEqual({ commit: 1056n, prepare: 1056n });
    expect(() => decodePosition('1056')).toThrow(TypeError);
    expect(() => decodePosition('00000000000000000012:00000000000000000034')).toThrow(TypeError);
  });

  it('takes the commit part of a server checkpoint, and nothing from a "-1" marker', () => {
    expect(checkpointCommit(undefined)).toBeNull();
    expect(checkpointCommit({ commit: 500n, prepare: 500n })).toBe(500n);
    // The start of a page the server read: a record boundary it can resume from.
    expect(checkpointCommit({ commit: 500n, prepare: 0n })).toBe(500n);
    expect(checkpointCommit({ commit: 0n, prepare: 0n })).toBe(0n);
    // The server's "-1" markers arrive as huge unsigned numbers: no position.
    expect(
      checkpointCommit({ commit: 18_446_744_073_709_551_615n, prepare: 18_446_744_073_709_551_615n }),
    ).toBeNull();
  });
});

describe('expected state', () => {
  it('maps each port state to the client streamState, revisions unchanged (both 0-based)', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('stream_exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(0n)).toBe(0n);
    expect(toStreamState(41n)).toBe(41n);
    expect(() => toStreamState(-1n)).toThrow(RangeError);
  });
});

describe('errors', () => {
  it('maps WrongExpectedVersionError to WrongExpectedRevision with the caller expectation and the actual revision', () => {
    const clientError = new WrongExpectedVersionError(undefined, {
      streamName: 'invoice-1',
      expected: 4n,
      current: 7n,
    });
    const mapped = mapClientError(clientError, 'invoice-1', 'stream_exists');
    expect(mapped).toBeInstanceOf(WrongExpectedRevision);
    expect(mapped).toMatchObject({ streamName: 'invoice-1', expected: 'stream_exists', actual: 7n });
  });

  it('uses the client expectation when the caller gave none, and null for a missing or deleted stream', () => {
    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 'invoice-2',
      expected: 0n,
      current: 'no_stream',
    });
    expect(mapClientError(missing, 'invoice-2')).toMatchObject({ expected: 0n, actual: null });
    const deleted = new WrongExpectedVersionError(undefined, {
      streamName: 'invoice-3',
      expected: 'no_stream',
      current: -6n,
    });
    expect(mapClientError(deleted, 'invoice-3')).toMatchObject({ expected: 'no_stream', actual: null });
  });

  it('maps stream-not-found and stream-deleted, and passes unknown errors through', () => {
    expect(mapClientError(new StreamNotFoundError(undefined, 'x'), 'x')).toBeInstanceOf(StreamNotFound);
    expect(mapClientError(StreamDeletedError.fromStreamName('x'), 'x')).toBeInstanceOf(StreamDeleted);
    const other = new Error('14 UNAVAILABLE');
    expect(mapClientError(other, 'x')).toBe(other);
  });
});

describe('metadata layout', () => {
  const chain = { schemaVersion: 2, hash: 'a'.repeat(64), prevHash: 'b'.repeat(64) };

  it('stores our fields, the chain and the reserved correlation keys side by side', () => {
    const stored = toStoredMetadata({ ...metadata, causationId: 'cause-1' }, chain);
    expect(stored).toEqual({
      ...metadata,
      causationId: 'cause-1',
      schemaVersion: 2,
      hash: 'a'.repeat(64),
      prevHash: 'b'.repeat(64),
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
    expect('$causationId' in toStoredMetadata(metadata, chain)).toBe(false);
  });

  it('gives back exactly the EventMetadata that was appended after a JSON round trip', () => {
    const stored = JSON.parse(JSON.stringify(toStoredMetadata(metadata, chain)));
    const read = fromStoredMetadata(stored, 'invoice-1', 0n);
    expect(read.metadata).toEqual(metadata);
    expect(read.chain).toEqual(chain);
  });

  it('keeps the reserved keys out of EventMetadata', () => {
    const fields = Object.keys(eventMetadataSchema.shape);
    for (const key of RESERVED_METADATA_KEYS) expect(fields).not.toContain(key);
    for (const key of fields) expect(key.startsWith('$')).toBe(false);
  });

  it('refuses events the ledger did not write', () => {
    expect(() => fromStoredMetadata(undefined, 's', 0n)).toThrow(NotALedgerEvent);
    expect(() => fromStoredMetadata({ ...metadata }, 's', 0n)).toThrow(/schemaVersion/);
    expect(() => fromStoredMetadata({ ...metadata, schemaVersion: 1 }, 's', 0n)).toThrow(/hash chain/);
  });

  it('maps a client event to a RecordedEvent, upcast, with recordedAt from created', () => {
    const v1 = defineEvent({ type: 'NoteAdded', version: 1, schema: z.object({ text: z.string() }) });
    const v2 = defineEvent({
      type: 'NoteAdded',
      version: 2,
      schema: z.object({ body: z.string() }),
      upcasters: { 1: (old) => ({ body: (old as { text: string }).text }) },
    });
    const created = new Date('2026-11-25T11:00:00.000Z');
    const event = {
      streamId: 'note-1',
      id: '3b0f7f4e-6f0a-5c33-9a53-5e6c1d2b7a10',
      revision: 3n,
      type: 'NoteAdded',
      isJson: true,
      created,
      data: { text: 'bonjour' },
      metadata: toStoredMetadata(metadata, { ...chain, schemaVersion: 1 }),
      position: { commit: 777n, prepare: 777n },
    };
    expect(toRecordedEvent(event, new EventCatalog([v2]))).toEqual({
      id: event.id,
      streamName: 'note-1',
      revision: 3n,
      type: 'NoteAdded',
      schemaVersion: 2,
      storedSchemaVersion: 1,
      data: { body: 'bonjour' },
      storedData: { text: 'bonjour' },
      metadata,
      recordedAt: '2026-11-25T11:00:00.000Z',
      position: '00000000000000000777',
      hash: chain.hash,
    });
    expect(toRecordedEvent(event, new EventCatalog([v1])).data).toEqual({ text: 'bonjour' });
    expect(() => toRecordedEvent({ ...event, isJson: false }, new EventCatalog([v1]))).toThrow(
      NotALedgerEvent,
    );
  });
});

describe('filters', () => {
  it('matches event types exactly, stream names by prefix, and never system events', () => {
    const filter = { eventTypes: ['InvoiceIssued'], streamPrefixes: ['invoice-'] };
    expect(matchesFilter('invoice-1', 'InvoiceIssued', filter)).toBe(true);
    expect(matchesFilter('invoice-1', 'InvoiceIssuedV2', filter)).toBe(false);
    expect(matchesFilter('payment-1', 'InvoiceIssued', filter)).toBe(false);
    expect(matchesFilter('invoice-1', '$streamDeleted', undefined)).toBe(false);
    expect(matchesFilter('$$ledger-event-id-x', '$metadata', undefined)).toBe(false);
    expect(matchesFilter('invoice-1', 'Anything', undefined)).toBe(true);
    expect(matchesFilter('invoice-1', 'InvoiceIssued', { eventTypes: [] })).toBe(false);
  });

  it('builds an anchored, escaped regex of event types for the server', () => {
    const regex = new RegExp(exactTypesRegex(['Invoice.Issued', 'Paid']));
    expect(regex.test('Invoice.Issued')).toBe(true);
    expect(regex.test('InvoiceXIssued')).toBe(false);
    expect(regex.test('Paid2')).toBe(false);
    expect(new RegExp(exactTypesRegex([])).test('')).toBe(false);
  });

  it('asks the server for types first, else stream prefixes, else everything but system events', () => {
    expect(serverFilter({ eventTypes: ['A'], streamPrefixes: ['s-'] })).toMatchObject({
      filterOn: 'eventType',
      regex: '^(?:A)$',
    });
    expect(serverFilter({ streamPrefixes: ['s-'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['s-'],
    });
    expect(serverFilter(undefined)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });
});

describe('delivery order', () => {
  it('holds a caught-up marker back until the events buffered before it have gone through', () => {
    const order = new DeliveryOrder<string>(START);
    expect(order.caughtUp(null, 2)).toEqual([]);
    expect(order.event(10n, 'a')).toEqual([{ kind: 'event', event: 'a' }]);
    expect(order.event(20n, 'b')).toEqual([
      { kind: 'event', event: 'b' },
      { kind: 'caughtUp', position: encodePosition(20n) },
    ]);
  });

  it('reports the server checkpoint when it is ahead of the last event (filtered events count)', () => {
    const order = new DeliveryOrder<string>(encodePosition(5n));
    expect(order.event(10n, null)).toEqual([]);
    expect(order.caughtUp(30n, 0)).toEqual([{ kind: 'caughtUp', position: encodePosition(30n) }]);
    expect(order.position).toBe(encodePosition(30n));
    // A checkpoint behind what was seen never moves the position back.
    expect(order.caughtUp(12n, 0)).toEqual([{ kind: 'caughtUp', position: encodePosition(30n) }]);
  });

  it('never delivers an event at or before the resume position again', () => {
    const order = new DeliveryOrder<string>(encodePosition(10n));
    expect(order.event(10n, 'old')).toEqual([]);
    expect(order.event(11n, 'new')).toEqual([{ kind: 'event', event: 'new' }]);
    order.reset();
    expect(order.event(11n, 'new')).toEqual([]);
    expect(order.position).toBe(encodePosition(11n));
  });

  it('drops markers that waited on a dropped subscription', () => {
    const order = new DeliveryOrder<string>(START);
    order.caughtUp(null, 3);
    order.reset();
    expect(order.event(1n, 'a')).toEqual([{ kind: 'event', event: 'a' }]);
    expect(order.event(2n, 'b')).toEqual([{ kind: 'event', event: 'b' }]);
    expect(order.event(3n, 'c')).toEqual([{ kind: 'event', event: 'c' }]);
  });
});
