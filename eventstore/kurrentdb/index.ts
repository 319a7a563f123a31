/** The KurrentDB / EventStoreDB adapter of the event-store port (see docs/kurrentdb.md). */
export {
  createKurrentDbEventStore,
  KurrentDbConfigurationError,
  KurrentDbEventStore,
  type KurrentDbEventStoreOptions,
} from './kurrentdb-event-store.ts';
