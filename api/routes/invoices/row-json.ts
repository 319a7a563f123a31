import type { InvoiceRow } from '../../../projections/invoices/invoices.table.ts';
import { rowJson } from '../../read-models.ts';

/**
 * The invoice list's rows as JSON, the same shape `rowJson` gives, without its per-key regular
 * expression and recursion: profiling `ledger bench api` showed camel-casing ~40 keys × 50 rows
 * on every page was the largest CPU cost of the list after the query itself. An invoice row holds
 * only scalars and instants, so one flat pass with the key names converted once suffices; anything
 * else (a column added later as JSON) goes through `rowJson` unchanged. What remains is mostly
 * `Date#toISOString` for the three instants of each row (the query returns them as Date objects).
 */
const camelKeys = new Map<string, string>();
/** The column names an invoice row can have are few; the cache never grows past this. */
const camelKeysMax = 200;

function camelKey(key: string): string {
  let camel = camelKeys.get(key);
  if (camel === undefined) {
    camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camelKeys.size < camelKeysMax) camelKeys.set(key, camel);
  }
  return camel;
}

// biome-ignore lint/suspicious/noExplicitAny: checked by the route's response schema at serialisation.
export function invoiceRowJson(row: InvoiceRow): any {
  const out: Record<string, unknown> = {};
  const source = row as unknown as Record<string, unknown>;
  // for…in over a plain row object: no [key, value] array per column, as Object.entries makes.
  for (const key in source) {
    const value = source[key];
    out[camelKey(key)] =
      value === null || value === undefined
        ? null
        : value instanceof Date
          ? value.toISOString()
          : typeof value === 'bigint'
            ? value.toString()
            : typeof value === 'object'
              ? rowJson(value)
              : value;
  }
  return out;
}
