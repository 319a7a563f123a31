import type { EventDefinition } from '../events/catalog.ts';
import { invoiceEvents } from './invoice.ts';
import { numberingEvents } from './numbering.ts';

export * from './calendar.ts';
export * from './invoice.decide.ts';
export * from './invoice.ts';
export * from './numbering.decide.ts';
export * from './numbering.ts';
export * from './tax.ts';

/** The invoice stream's events and the numbering series' event, for the ledger's catalog. */
export const invoiceEventDefinitions: ReadonlyArray<EventDefinition<string, unknown>> = [
  ...invoiceEvents,
  ...numberingEvents,
];
