// Proves the same event store meets the shared contract on embedded PGlite (the default backend).
import { eventStoreContract } from '../contract.ts';
import { freshEventStore } from '../../test/support/db.ts';

eventStoreContract('PGlite', async (catalog) => {
  const t = await freshEventStore('pglite', catalog);
  return { store: t.store, reopen: (c) => t.reopen(c), close: () => t.close() };
});
