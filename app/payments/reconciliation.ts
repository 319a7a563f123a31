import { equals, type Money, parseMajor } from '../../domain/money/index.ts';
import type { OnlineProvider } from '../../domain/payment/payment.ts';

/**
 * Reconciliation of a provider statement against our payments: which statement lines match a
 * payment, which match with another amount, and what is left unmatched on either side.
 *
 * Our reference notes document no column layout for Wave's or Orange Money's statement exports,
 * so we do not guess one. We accept one generic CSV, `ledger-statement-v1`, the same for every
 * provider; an operator maps an export to it (rename or reorder columns in a spreadsheet). See
 * docs/payments.md for the format. Everything here is pure: text in, report out.
 */

export const statementColumns = {
  /** Any reference the provider shows: our payment id (client reference / order id / ref_command), its session id (Wave `cos-…`, OM `pay_token`, PayTech `token`) or its transaction id (Wave `T…`, OM `txnid`). */
  reference: 'reference',
  /** Major units with `.` for decimals and no grouping: `11800`, `45.16`. Negative for money going out. */
  amount: 'amount',
  currency: 'currency',
  /** Optional: when the provider booked it, as it writes it. Kept for the report, never parsed. */
  occurredAt: 'occurred_at',
} as const;

export const statementLinesMax = 100_000;
export const statementBytesMax = 20 * 1024 * 1024;
const fieldCharsMax = 500;

export interface StatementLine {
  /** 1-based line number in the file, the header being line 1. */
  readonly lineNumber: number;
  readonly reference: string;
  readonly amount: Money;
  readonly occurredAt: string | null;
}

export interface StatementError {
  readonly lineNumber: number;
  readonly message: string;
}

export interface ParsedStatement {
  readonly lines: readonly StatementLine[];
  /** Lines we could not read; the rest is still reconciled, and the operator sees these. */
  readonly errors: readonly StatementError[];
}

/**
 * Reads a `ledger-statement-v1` CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF). A
 * semicolon separator is accepted too, as French spreadsheets write it; the header line decides.
 * A leading byte-order mark is ignored. Column names are matched without regard to case.
 */
export function parseStatementCsv(text: string): ParsedStatement {
  if (text.length > statementBytesMax) {
    return {
      lines: [],
      errors: [{ lineNumber: 0, message: `statement larger than ${statementBytesMax} bytes` }],
    };
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLineEnd = body.search(/\r?\n/);
  const headerText = firstLineEnd < 0 ? body : body.slice(0, firstLineEnd);
  const separator = headerText.includes(';') && !headerText.includes(',') ? ';' : ',';
  const records = splitCsv(body, separator);
  const header = records[0];
  if (header === undefined) return { lines: [], errors: [{ lineNumber: 1, message: 'empty statement' }] };

  const index = new Map(header.fields.map((name, position) => [name.trim().toLowerCase(), position]));
  const missing = [statementColumns.reference, statementColumns.amount, statementColumns.currency].filter(
    (name) => !index.has(name),
  );
  if (missing.length > 0) {
    return { lines: [], errors: [{ lineNumber: 1, message: `missing column(s): ${missing.join(', ')}` }] };
  }
  const at = (fields: readonly string[], name: string): string => {
    const position = index.get(name);
    return position === undefined ? '' : (fields[position] ?? '').trim();
  };

  const lines: StatementLine[] = [];
  const errors: StatementError[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.every((field) => field.trim() === '')) continue;
    if (lines.length + errors.length >= statementLinesMax) {
      errors.push({
        lineNumber: record.lineNumber,
        message: `more than ${statementLinesMax} lines; the rest is not read`,
      });
      break;
    }
    const reference = at(record.fields, statementColumns.reference);
    const amountText = at(record.fields, statementColumns.amount);
    const currency = at(record.fields, statementColumns.currency).toUpperCase();
    const occurredAt = at(record.fields, statementColumns.occurredAt);
    if (reference === '' || reference.length > fieldCharsMax) {
      errors.push({ lineNumber: record.lineNumber, message: 'reference is empty or too long' });
      continue;
    }
    const amount = parseMajor(amountText, currency);
    if (!amount.ok) {
      errors.push({ lineNumber: record.lineNumber, message: amount.message });
      continue;
    }
    lines.push({
      lineNumber: record.lineNumber,
      reference,
      amount: amount.money,
      occurredAt: occurredAt === '' ? null : occurredAt,
    });
  }
  return { lines, errors };
}

interface CsvRecord {
  readonly lineNumber: number;
  readonly fields: string[];
}

function splitCsv(text: string, separator: ',' | ';'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '') {
      quoted = true;
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      records.push({ lineNumber: recordLine, fields });
      fields = [];
      field = '';
      line += 1;
      recordLine = line;
    } else {
      field += char;
    }
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ lineNumber: recordLine, fields });
  }
  return records;
}

/** A payment as the reconciliation needs it (from the payments read model or the streams). */
export interface ReconcilablePayment {
  readonly paymentId: string;
  readonly provider: OnlineProvider;
  readonly clientReference: string;
  readonly providerSessionId: string;
  readonly providerTransactionId: string | null;
  /** The amount received. */
  readonly amount: Money;
}

export interface ReconciliationReport {
  readonly matched: ReadonlyArray<{ readonly lineNumber: number; readonly paymentId: string }>;
  /** Found by reference, but the statement shows another amount or currency. */
  readonly amountMismatches: ReadonlyArray<{
    readonly lineNumber: number;
    readonly paymentId: string;
    readonly expected: Money;
    readonly onStatement: Money;
  }>;
  readonly unmatchedLines: ReadonlyArray<{
    readonly lineNumber: number;
    readonly reference: string;
    readonly reason: 'no_payment' | 'payment_already_matched';
  }>;
  /** Payments received that no statement line shows. */
  readonly unmatchedPayments: readonly string[];
  readonly errors: readonly StatementError[];
}

/**
 * Matches statement lines to payments by reference. A payment is matched by at most one line (a
 * second line naming it is reported, since a provider listing one payment twice is what an
 * accountant must see). Payments are expected to be the ones received in the statement's period.
 */
export function reconcileStatement(
  statement: ParsedStatement,
  payments: readonly ReconcilablePayment[],
): ReconciliationReport {
  const byReference = new Map<string, ReconcilablePayment>();
  for (const payment of payments) {
    const references = [
      payment.paymentId,
      payment.clientReference,
      payment.providerSessionId,
      payment.providerTransactionId,
    ];
    for (const reference of references) {
      if (reference !== null && !byReference.has(reference)) byReference.set(reference, payment);
    }
  }

  const matchedIds = new Set<string>();
  const matched: Array<{ lineNumber: number; paymentId: string }> = [];
  const amountMismatches: Array<{
    lineNumber: number;
    paymentId: string;
    expected: Money;
    onStatement: Money;
  }> = [];
  const unmatchedLines: Array<{
    lineNumber: number;
    reference: string;
    reason: 'no_payment' | 'payment_already_matched';
  }> = [];

  for (const line of statement.lines) {
    const payment = byReference.get(line.reference);
    if (payment === undefined) {
      unmatchedLines.push({ lineNumber: line.lineNumber, reference: line.reference, reason: 'no_payment' });
      continue;
    }
    if (matchedIds.has(payment.paymentId)) {
      unmatchedLines.push({
        lineNumber: line.lineNumber,
        reference: line.reference,
        reason: 'payment_already_matched',
      });
      continue;
    }
    matchedIds.add(payment.paymentId);
    if (equals(payment.amount, line.amount)) {
      matched.push({ lineNumber: line.lineNumber, paymentId: payment.paymentId });
    } else {
      amountMismatches.push({
        lineNumber: line.lineNumber,
        paymentId: payment.paymentId,
        expected: payment.amount,
        onStatement: line.amount,
      });
    }
  }

  const unmatchedPayments = payments.filter((p) => !matchedIds.has(p.paymentId)).map((p) => p.paymentId);
  return { matched, amountMismatches, unmatchedLines, unmatchedPayments, errors: statement.errors };
}
