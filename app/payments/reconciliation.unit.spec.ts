// Proves a ledger-statement-v1 CSV is read exactly (quotes, semicolons, BOM, bad lines reported)
// and that reconciliation lists matches, amount differences and what is unmatched on both sides.
import { describe, expect, it } from 'vitest';
import { moneyOf } from '../../domain/money/index.ts';
import { parseStatementCsv, type ReconcilablePayment, reconcileStatement } from './reconciliation.ts';

describe('parseStatementCsv', () => {
  it('reads columns by name, in any order, with quoted fields and CRLF', () => {
    const csv =
      'Currency,Amount,Reference,Occurred_At\r\nXOF,11800,cos-1,2026-03-01T10:00:00Z\r\n"XOF","5000","ref, with comma",\r\n';
    expect(parseStatementCsv(csv)).toEqual({
      lines: [
        {
          lineNumber: 2,
          reference: 'cos-1',
          amount: moneyOf('11800', 'XOF'),
          occurredAt: '2026-03-01T10:00:00Z',
        },
        { lineNumber: 3, reference: 'ref, with comma', amount: moneyOf('5000', 'XOF'), occurredAt: null },
      ],
      errors: [],
    });
  });

  it('accepts a semicolon separator and a byte-order mark, and skips blank lines', () => {
    const csv = '\uFEFFreference;amount;currency\n"say ""hi""";45.16;eur\n\n';
    expect(parseStatementCsv(csv).lines).toEqual([
      { lineNumber: 2, reference: 'say "hi"', amount: moneyOf('45.16', 'EUR'), occurredAt: null },
    ]);
  });

  it('reports unreadable lines by number and keeps the others', () => {
    const csv = 'reference,amount,currency\nA,11 800,XOF\n,100,XOF\nB,1.5,XOF\nC,100,ZZZ\nD,200,XOF\n';
    const parsed = parseStatementCsv(csv);
    expect(parsed.lines.map((l) => l.reference)).toEqual(['D']);
    expect(parsed.errors.map((e) => e.lineNumber)).toEqual([2, 3, 4, 5]);
  });

  it('refuses a statement without the required columns', () => {
    expect(parseStatementCsv('ref,amount\nA,1\n')).toEqual({
      lines: [],
      errors: [{ lineNumber: 1, message: 'missing column(s): reference, currency' }],
    });
  });
});

describe('reconcileStatement', () => {
  const payment = (
    paymentId: string,
    sessionId: string,
    txn: string | null,
    major: string,
  ): ReconcilablePayment => ({
    paymentId,
    provider: 'wave',
    clientReference: paymentId,
    providerSessionId: sessionId,
    providerTransactionId: txn,
    amount: moneyOf(major, 'XOF'),
  });
  const payments = [
    payment('pay-1', 'cos-1', 'T-1', '11800'),
    payment('pay-2', 'cos-2', 'T-2', '5000'),
    payment('pay-3', 'cos-3', null, '7000'),
    payment('pay-4', 'cos-4', 'T-4', '1000'),
  ];

  it('matches by any reference, and lists differences and leftovers on both sides', () => {
    const csv = [
      'reference,amount,currency',
      'T-1,11800,XOF', // transaction id
      'pay-2,4000,XOF', // our id, another amount
      'cos-3,7000,XOF', // session id
      'cos-1,11800,XOF', // pay-1 again
      'T-999,300,XOF', // nobody's
      'bad,,XOF',
    ].join('\n');
    const report = reconcileStatement(parseStatementCsv(csv), payments);
    expect(report).toEqual({
      matched: [
        { lineNumber: 2, paymentId: 'pay-1' },
        { lineNumber: 4, paymentId: 'pay-3' },
      ],
      amountMismatches: [
        {
          lineNumber: 3,
          paymentId: 'pay-2',
          expected: moneyOf('5000', 'XOF'),
          onStatement: moneyOf('4000', 'XOF'),
        },
      ],
      unmatchedLines: [
        { lineNumber: 5, reference: 'cos-1', reason: 'payment_already_matched' },
        { lineNumber: 6, reference: 'T-999', reason: 'no_payment' },
      ],
      unmatchedPayments: ['pay-4'],
      errors: [{ lineNumber: 7, message: expect.any(String) }],
    });
  });

  it('treats a currency difference as an amount mismatch', () => {
    const report = reconcileStatement(
      parseStatementCsv('reference,amount,currency\nT-4,10.00,EUR\n'),
      payments,
    );
    expect(report.amountMismatches).toHaveLength(1);
    expect(report.matched).toHaveLength(0);
  });
});
