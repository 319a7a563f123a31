import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { fromMinor, toMajorString } from '../../../domain/money/index.ts';

/**
 * CSV exports streamed from the read models: RFC 4180 quoting, CRLF line ends, a header row, and
 * keyset pages fetched one at a time as the client reads, so an export of any size holds one page
 * in memory and no database connection between pages (PGlite has only one).
 */

/** Rows fetched per page of an export: large enough to amortise the query, small enough to stay cheap. */
export const exportPageSize = 500;
/** An export stops after this many pages (1 000 000 rows): a limit on everything. */
export const exportPagesMax = 2000;

/**
 * A text cell. A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
 * leading apostrophe, so a hostile legal name cannot run in an accountant's spreadsheet.
 */
export function textCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** An amount in major units with the currency's decimals (`15000`, `45.16`), exact: never a JS number. */
export function amountCell(minor: string | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return '';
  return toMajorString(fromMinor(minor, currency));
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

export interface CsvPage<R> {
  readonly rows: readonly R[];
  /** The key to continue after, or null on the last page. */
  readonly next: readonly string[] | null;
}

/**
 * Sends a CSV export. The first page is read before the headers go out, so a failing query still
 * answers a problem; later pages are read as the client consumes the stream (backpressure).
 */
export async function sendCsv<R>(
  reply: FastifyReply,
  options: {
    readonly filename: string;
    readonly header: readonly string[];
    readonly line: (row: R) => string[];
    readonly page: (after: readonly string[] | null) => Promise<CsvPage<R>>;
  },
): Promise<FastifyReply> {
  const first = await options.page(null);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(options.header);
    let current: CsvPage<R> = first;
    for (let pageNo = 1; ; pageNo += 1) {
      // One chunk per page: fewer, larger writes than a chunk per row.
      yield current.rows.map((row) => csvLine(options.line(row))).join('');
      if (current.next === null || pageNo >= exportPagesMax) return;
      current = await options.page(current.next);
    }
  }
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${options.filename}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(lines(), { objectMode: false }));
}
