// Proves the PostgreSQL event store meets the shared contract on a real PostgreSQL server.
import { eventStoreContract } from '../contract.ts';
import { freshEventStore } from '../../test/support/db.ts';

eventStoreContract('PostgreSQL', async (catalog) => {
  const t = await freshEventStore('postgres', catalog);
  return { store: t.store, reopen: (c) => t.reopen(c), close: () => t.close() };
});
