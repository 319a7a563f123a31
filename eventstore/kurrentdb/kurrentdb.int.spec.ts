// Proves the KurrentDB adapter meets the shared event-store contract on the server KURRENTDB_URL names; without one, that the adapter loads and refuses a malformed connection string.
import { describe, expect, it } from 'vitest';
import type { EventCatalog } from '../../domain/events/catalog.ts';
import { contractCatalog, eventStoreContract } from '../contract.ts';
import type { EventStore } from '../port.ts';
import { createKurrentDbEventStore, KurrentDbConfigurationError } from './index.ts';

const url = process.env.KURRENTDB_URL;

if (url !== undefined && url !== '') {
  eventStoreContract('KurrentDB', async (catalog: EventCatalog) => {
    // KurrentDB has no schemas to isolate a test file in: the contract names its streams uniquely
    // and reads the log only after a position it took itself, so a shared server is fine.
    const opened: EventStore[] = [];
    const open = (c: EventCatalog): EventStore => {
      const store = createKurrentDbEventStore({ connectionString: url, catalog: c });
      opened.push(store);
      return store;
    };
    return {
      store: open(catalog),
      reopen: (c) => open(c),
      async close() {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  });
} else {
  describe('KurrentDB adapter without a server (set KURRENTDB_URL to run the contract)', () => {
    it('loads, and refuses a malformed connection string with a message naming the variable', async () => {
      for (const bad of ['http://localhost:2113', 'kurrentdb://localhost:abc?tls=false', '']) {
        let error: unknown;
        try {
          createKurrentDbEventStore({ connectionString: bad, catalog: contractCatalog });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(KurrentDbConfigurationError);
        expect((error as Error).message).toMatch(/^KURRENTDB_URL is not a valid KurrentDB connection string/);
      }
      const store = createKurrentDbEventStore({
        connectionString: 'kurrentdb://127.0.0.1:2113?tls=false',
        catalog: contractCatalog,
      });
      expect(store.kind).toBe('kurrentdb');
      await store.close();
    });
  });
}
