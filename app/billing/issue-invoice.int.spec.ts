// Proves on real PostgreSQL that invoice numbers are gapless and unique under 50 concurrent issues,
// that a refused issue takes no number, and that an issue interrupted after its number was taken is
// completed with that number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceDecider } from '../../domain/invoice/invoice.decide.ts';
import { invoiceStreamName, isIssued } from '../../domain/invoice/invoice.ts';
import { seriesStreamName } from '../../domain/invoice/numbering.ts';
import { moneyOf } from '../../domain/money/index.ts';
import { testContext } from '../../test/support/context.ts';
import { freshEventStore, type TestEventStore } from '../../test/support/db.ts';
import { handleCommand } from '../command-handler.ts';
import { completeAssignedIssues, issueInvoice, loadInvoice, reserveNumber } from './issue-invoice.ts';

const now = '2026-03-01T09:00:00.000Z';

async function givenDraft(t: TestEventStore, invoiceId: string, options: { lines?: number } = {}) {
  const stream = invoiceStreamName(invoiceId);
  const created = await handleCommand(
    t.store,
    invoiceDecider,
    stream,
    {
      type: 'CreateDraft',
      invoiceId,
      tenantId: 'tenant-1',
      currency: 'XOF',
      country: 'SN',
      taxExemptionMention: null,
      now,
    },
    testContext(`draft-${invoiceId}`),
  );
  expect(created.ok).toBe(true);
  for (let line = 0; line < (options.lines ?? 1); line += 1) {
    const added = await handleCommand(
      t.store,
      invoiceDecider,
      stream,
      {
        type: 'AddLine',
        lineId: `l${line}`,
        kind: 'subscription_period',
        description: 'Essentiel — mars 2026',
        quantity: '1',
        unitPrice: moneyOf('15000', 'XOF'),
        period: { from: '2026-03-01', to: '2026-03-31' },
        now,
      },
      testContext(`line-${invoiceId}-${line}`),
    );
    expect(added.ok).toBe(true);
  }
}

/** The numbers in a series stream, in revision order (sorted here: see readStreamInOrder). */
async function seriesNumbers(t: TestEventStore, year: number): Promise<string[]> {
  if ((await t.store.streamRevision(seriesStreamName('F', year))) === null) return [];
  const events = await t.store.readStream(seriesStreamName('F', year));
  return events
    .sort((a, b) => (a.revision < b.revision ? -1 : 1))
    .map((event) => (event.data as { number: string }).number);
}

describe('issueInvoice', () => {
  let t: TestEventStore;
  beforeAll(async () => {
    t = await freshEventStore('postgres');
  });
  afterAll(async () => {
    await t.close();
  });

  it('given 50 drafts issued at once, then they get F-2026-000001…000050 with no gap and no duplicate', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    for (const id of ids) await givenDraft(t, id);

    const outcomes = await Promise.all(
      ids.map((invoiceId) =>
        issueInvoice(
          t.store,
          { invoiceId, issuedOn: '2026-03-01', today: '2026-03-01' },
          testContext(`issue-${invoiceId}`),
        ),
      ),
    );

    const expected = Array.from({ length: 50 }, (_, i) => `F-2026-${String(i + 1).padStart(6, '0')}`);
    const numbers = outcomes.map((outcome) => (outcome.ok ? outcome.number : outcome.refusal.code));
    expect([...numbers].sort()).toEqual(expected);
    expect(await seriesNumbers(t, 2026)).toEqual(expected);
    // Each invoice carries the number the series gave it, and it is 18 % TVA on 15 000 XOF.
    for (const [index, invoiceId] of ids.entries()) {
      const state = await loadInvoice(t.store, invoiceId);
      if (!isIssued(state)) throw new Error(`${invoiceId} is ${state.status}`);
      expect(state.invoice.number).toBe(numbers[index]);
      expect(state.invoice.total).toEqual(moneyOf('17700', 'XOF'));
    }
  });

  it('given an empty draft, then the issue is refused and no number is taken', async () => {
    await givenDraft(t, 'empty', { lines: 0 });
    const before = await seriesNumbers(t, 2026);
    const outcome = await issueInvoice(
      t.store,
      { invoiceId: 'empty', issuedOn: '2026-03-02', today: '2026-03-02' },
      testContext('issue-empty'),
    );
    expect(outcome.ok ? 'issued' : outcome.refusal.code).toBe('invoice_has_no_lines');
    expect(await seriesNumbers(t, 2026)).toEqual(before);
  });

  it('given an issue retried, then the invoice keeps its number and the series does not move', async () => {
    await givenDraft(t, 'retried');
    const input = { invoiceId: 'retried', issuedOn: '2026-03-02', today: '2026-03-02' };
    const first = await issueInvoice(t.store, input, testContext('issue-retried'));
    const again = await issueInvoice(t.store, input, testContext('issue-retried-2'));
    expect(first).toMatchObject({ ok: true, number: 'F-2026-000051' });
    expect(again).toMatchObject({ ok: true, number: 'F-2026-000051', completed: false });
    expect((await seriesNumbers(t, 2027)).length).toBe(0);
    expect((await seriesNumbers(t, 2026)).at(-1)).toBe('F-2026-000051');
  });

  it('given a crash after the number was assigned, then the issue is completed from the assignment', async () => {
    await givenDraft(t, 'crashed');
    await givenDraft(t, 'after-crash');
    // The crash: the issue is started and the number assigned, then the process dies before the
    // invoice is written.
    const started = await handleCommand(
      t.store,
      invoiceDecider,
      invoiceStreamName('crashed'),
      { type: 'StartIssue', issuedOn: '2026-03-03', today: '2026-03-03', now },
      testContext('crashed#start'),
    );
    expect(started.ok).toBe(true);
    const assigned = await reserveNumber(
      t.store,
      { series: 'F', invoiceId: 'crashed', creditNoteId: null, issuedOn: '2026-03-03' },
      testContext('crashed'),
    );
    expect(assigned.ok).toBe(true);
    expect((await loadInvoice(t.store, 'crashed')).status).toBe('issuing');
    // Nobody can void it now and orphan the number.
    const voided = await handleCommand(
      t.store,
      invoiceDecider,
      invoiceStreamName('crashed'),
      { type: 'Void', reason: 'changed my mind', now },
      testContext('void-crashed'),
    );
    expect(voided.ok ? 'voided' : voided.refusal.code).toBe('invoice_not_draft');

    // Another invoice is issued meanwhile and takes the next number: no gap, no reuse.
    const other = await issueInvoice(
      t.store,
      { invoiceId: 'after-crash', issuedOn: '2026-03-03', today: '2026-03-03' },
      testContext('issue-after-crash'),
    );
    expect(other).toMatchObject({ ok: true, number: 'F-2026-000053' });

    const completed = await completeAssignedIssues(t.store, 2026, '2026-03-04', testContext('recovery'));
    expect(completed).toEqual(['F-2026-000052']);
    const state = await loadInvoice(t.store, 'crashed');
    expect(state).toMatchObject({
      status: 'issued',
      invoice: { number: 'F-2026-000052', issuedOn: '2026-03-03' },
    });
    // A second recovery finds nothing left to do.
    expect(await completeAssignedIssues(t.store, 2026, '2026-03-04', testContext('recovery-2'))).toEqual([]);
  });
});
