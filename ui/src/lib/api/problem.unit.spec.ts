// Proves API problem bodies, in each shape the edge may send, become the messages shown beside inputs.
import { describe, expect, it } from 'vitest';
import { fieldErrors, normaliseField, toProblem } from './problem.ts';

describe('toProblem', () => {
  it('keeps the RFC 9457 members and the field errors', () => {
    const problem = toProblem(
      400,
      {
        type: 'https://ledger/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: 'name is required',
        errors: [
          { field: 'name', message: 'Required' },
          { field: '/billingContact/email', message: 'Invalid email' },
          { path: ['body', 'country'], message: 'Unknown country' },
          { field: 'ignored' },
        ],
      },
      'fallback',
    );
    expect(problem.title).toBe('Invalid request');
    expect(fieldErrors(problem)).toEqual({
      name: 'Required',
      'billingContact.email': 'Invalid email',
      country: 'Unknown country',
    });
  });

  it.each([
    [null, 'fallback'],
    ['text body', 'fallback'],
    [{ message: 'Route GET:/api/x not found', statusCode: 404 }, 'Route GET:/api/x not found'],
  ])('turns %j into a problem titled %j', (body, title) => {
    const problem = toProblem(404, body, 'fallback');
    expect(problem.title).toBe(title);
    expect(problem.status).toBe(404);
    expect(problem.errors).toEqual([]);
  });

  it('takes the field a business refusal names at the top level', () => {
    const problem = toProblem(
      409,
      {
        type: '/api/problems/business-rule',
        title: 'Refused',
        detail: 'already paid',
        code: 'invoice_paid',
        field: 'invoiceId',
      },
      '',
    );
    expect(problem.code).toBe('invoice_paid');
    expect(fieldErrors(problem)).toEqual({ invoiceId: 'already paid' });
  });

  it('keeps the first message per field', () => {
    const problem = toProblem(
      400,
      {
        errors: [
          { field: 'a', message: 'one' },
          { field: 'a', message: 'two' },
        ],
      },
      '',
    );
    expect(fieldErrors(problem)).toEqual({ a: 'one' });
  });
});

describe('normaliseField', () => {
  it.each([
    ['body.name', 'name'],
    ['/name', 'name'],
    ['/lines/0/amountMinor', 'lines.0.amountMinor'],
    ['querystring.limit', 'limit'],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseField(raw)).toBe(expected);
  });
});
