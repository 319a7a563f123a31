// Proves, in a real browser against the running service, that an accountant issues a partial credit
// note from an issued invoice's page: the dialog shows the API's refusal beside the amount when it
// exceeds what is left, then the credit note is numbered in the AV series, listed on the invoice
// with its PDF, and the amount due drops by its total; an auditor is not offered the action.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { essentialTerms } from '../../domain/catalog/default-catalog.ts';
import {
  type ApiSession,
  freshPage,
  launchBrowser,
  publishPlan,
  registerTenant,
  type Service,
  signIn,
  snap,
  startPaidSubscription,
  startService,
  superadminSession,
} from './support/service.ts';

const password = 'correct horse battery staple';
let service: Service;
let browser: Browser;
let admin: ApiSession;
let invoiceId = '';

interface InvoiceJson {
  number: string;
  subtotal: { amountMinor: string };
  amountDue: { amountMinor: string };
  creditNotes: { number: string; total: { amountMinor: string } }[];
}

beforeAll(async () => {
  service = await startService();
  admin = await superadminSession(service, 'admin@avoirs.sn', password);
  await service.createUser('compta@avoirs.sn', password, 'accountant');
  await service.createUser('audit@avoirs.sn', password, 'auditor');
  // A fresh store has no catalog: the plan is published as an operator would, then a paid
  // subscription issues its first invoice at once.
  await publishPlan(admin, 'essential', essentialTerms);
  const tenantId = await registerTenant(admin, 'Clinique des Avoirs SARL', 'compta@clinique-avoirs.sn');
  ({ invoiceId } = await startPaidSubscription(admin, tenantId, 'essential'));
  expect(invoiceId).not.toBe('');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const newPage = () => freshPage(browser);

const readInvoice = async () => (await admin.call<InvoiceJson>('GET', `/api/v1/invoices/${invoiceId}`)).body;
const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

describe('credit notes in the back office', () => {
  it('lets an accountant issue a partial credit note, listed with its PDF, lowering the amount due', async () => {
    const before = await readInvoice();
    const page = await newPage();
    await signIn(page, service.baseUrl, 'compta@avoirs.sn', password);
    await snap(page, 'credit-notes-01-signed-in');

    await page.goto(`${service.baseUrl}/invoices/${invoiceId}`);
    await page.getByRole('heading', { name: `Facture ${before.number}` }).waitFor();
    await expect(page.getByTestId('amount-due').textContent().then(digits)).resolves.toBe(
      before.amountDue.amountMinor,
    );
    await snap(page, 'credit-notes-02-invoice');

    await page.getByRole('button', { name: 'Émettre un avoir' }).click();
    const dialog = page.getByRole('dialog', { name: 'Émettre un avoir' });
    await dialog.waitFor();
    await dialog.getByText(/Reste à créditer/).waitFor();
    // One franc more than the invoice's net: the API refuses, and says so beside the amount.
    const tooMuch = (BigInt(before.subtotal.amountMinor) + 1n).toString();
    await dialog.getByLabel(/Montant HT à créditer/).fill(tooMuch);
    await dialog.getByLabel('Motif').fill('Remise commerciale');
    await dialog.getByRole('button', { name: 'Émettre l’avoir' }).click();
    await dialog
      .locator('.field.invalid')
      .getByText(/left to credit/)
      .waitFor();
    await snap(page, 'credit-notes-03-refused-amount');

    await dialog.getByLabel(/Montant HT à créditer/).fill('1 000');
    await dialog.getByRole('button', { name: 'Émettre l’avoir' }).click();
    await page.getByText(/^Avoir AV-\d{4}-\d{6} émis\.$/).waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const after = await readInvoice();
    expect(after.creditNotes).toHaveLength(1);
    const [note] = after.creditNotes;
    expect(note!.number).toMatch(/^AV-\d{4}-000001$/);
    expect(BigInt(after.amountDue.amountMinor)).toBe(
      BigInt(before.amountDue.amountMinor) - BigInt(note!.total.amountMinor),
    );
    const listed = page.locator('section', { has: page.getByRole('heading', { name: 'Avoirs' }) });
    await listed.getByText(note!.number).waitFor();
    await expect(page.getByTestId('amount-due').textContent().then(digits)).resolves.toBe(
      after.amountDue.amountMinor,
    );
    await snap(page, 'credit-notes-04-issued');

    const download = page.waitForEvent('download');
    await listed.getByRole('link', { name: 'PDF' }).click();
    const pdf = await readFile((await (await download).path()) ?? '');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().close();
  });

  it('does not offer the action to an auditor', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'audit@avoirs.sn', password);
    await page.goto(`${service.baseUrl}/invoices/${invoiceId}`);
    await page.getByRole('heading', { name: 'Lignes' }).waitFor();
    await expect(page.getByRole('button', { name: 'Émettre un avoir' }).count()).resolves.toBe(0);
    await snap(page, 'credit-notes-05-auditor');
    await page.context().close();
  });
});
