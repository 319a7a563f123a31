// Proves the billing pages on a seeded history (`ledger seed`, through the real use cases), in a
// real browser against the running service: invoices list and detail with their PDF, an accountant
// settling an open invoice by a manual payment, MRR above zero on the analytics page, a tenant
// admin's portal with its own invoices and PDFs, and another tenant's invoice refused by its URL,
// on the page and at the API.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSession,
  launchBrowser,
  type Service,
  signIn,
  snap,
  startService,
} from './support/service.ts';

const password = 'correct horse battery staple';
const projectionWaitMs = 60_000;
let service: Service;
let browser: Browser;
let admin: ApiSession;

interface InvoiceRow {
  invoiceId: string;
  tenantId: string;
  number: string | null;
  amountDueMinor: string;
}

/** The read models fill in behind the log: wait until the seeded invoices are listed. */
async function seededInvoices(): Promise<InvoiceRow[]> {
  const deadline = Date.now() + projectionWaitMs;
  for (;;) {
    const page = await admin.call<{ items: InvoiceRow[] }>('GET', '/api/v1/invoices?limit=200');
    const issued = (page.body?.items ?? []).filter((i) => i.number !== null);
    if (issued.length > 0) return issued;
    if (Date.now() > deadline) throw new Error('the seeded invoices never reached the read model');
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  service = await startService({ seed: { tenants: 12, years: 1 } });
  await service.createUser('admin@billing.sn', password, 'superadmin');
  await service.createUser('compta@billing.sn', password, 'accountant');
  admin = await apiSession(service.baseUrl, 'admin@billing.sn', password);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  return context.newPage();
}

async function downloadPdf(page: Page): Promise<Buffer> {
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le PDF' }).click();
  return readFile((await (await download).path()) ?? '');
}

describe('billing pages on a seeded history', () => {
  it('lists invoices, opens one with its lines and totals, and downloads its PDF', async () => {
    const invoices = await seededInvoices();
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@billing.sn', password);
    await page.goto(`${service.baseUrl}/invoices`);
    const first = page.locator('table tbody tr a').first();
    await first.waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(1);
    await snap(page, 'billing-01-invoices');

    const invoice = invoices[0]!;
    await page.goto(`${service.baseUrl}/invoices/${invoice.invoiceId}`);
    await page.getByRole('heading', { name: `Facture ${invoice.number}` }).waitFor();
    await page.getByRole('heading', { name: 'Lignes' }).waitFor();
    await expect(page.locator('tfoot').textContent()).resolves.toMatch(/FCFA|€/);
    await snap(page, 'billing-02-invoice-detail');
    const pdf = await downloadPdf(page);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().close();
  });

  it('shows MRR above zero on the dashboard and the analytics page', async () => {
    await seededInvoices();
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@billing.sn', password);
    const mrrCard = page.locator('.stat').first();
    await mrrCard.waitFor();
    await expect(mrrCard.textContent()).resolves.not.toMatch(/^MRR\s*0\s/);
    await snap(page, 'billing-03-dashboard');

    await page.goto(`${service.baseUrl}/analytics`);
    const plot = page.locator('[data-chart="mrr"] .plot');
    await plot.waitFor();
    await plot.focus();
    await page.keyboard.press('End');
    const tooltip = page.locator('[data-chart="mrr"] .tooltip');
    await tooltip.waitFor();
    await expect(tooltip.textContent()).resolves.not.toMatch(/MRR : 0\sFCFA/);
    await page.locator('[data-chart="movements"] rect[fill="#0f766e"]').first().waitFor();
    await snap(page, 'billing-04-analytics');

    // Cohort retention: the seeded tenants by the month they first paid, with hover details and the CSV.
    const cohorts = page.locator('[data-chart="cohorts"]');
    await cohorts.locator('rect.cell').first().waitFor();
    expect(await cohorts.locator('rect.cell').count()).toBeGreaterThan(1);
    await cohorts.locator('.plot').focus();
    await page.keyboard.press('ArrowRight');
    await expect(cohorts.locator('.tooltip').textContent()).resolves.toMatch(/Clients payants : \d+ sur \d+/);
    await cohorts.locator('.plot').scrollIntoViewIfNeeded();
    await snap(page, 'billing-04b-cohorts');
    await cohorts.getByRole('button', { name: 'Rétention du revenu' }).click();
    await expect(cohorts.locator('h2').textContent()).resolves.toContain('Rétention du revenu');
    const download = page.waitForEvent('download');
    await cohorts.getByRole('button', { name: 'CSV des données' }).click();
    const csv = (await readFile((await (await download).path()) ?? '', 'utf8')).split('\r\n');
    expect(csv[0]).toBe(
      'cohort,size,starting_mrr_minor,offset,month,paying_customers,mrr_minor,customer_retention,revenue_retention',
    );
    expect(csv[1]).toMatch(/^\d{4}-\d{2},\d+,\d+(\.\d+)?,0,\d{4}-\d{2},\d+,/);
    await page.context().close();
  });

  it('gives a tenant admin its own invoices and PDFs, and refuses another tenant’s invoice by URL', async () => {
    const invoices = await seededInvoices();
    const own = invoices[0]!;
    const foreign = invoices.find((i) => i.tenantId !== own.tenantId);
    expect(foreign).toBeDefined();
    await service.createUser('compta@client.sn', password, 'tenant_admin', own.tenantId);

    const page = await newPage();
    await signIn(page, service.baseUrl, 'compta@client.sn', password);
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.goto(`${service.baseUrl}/portal/invoices`);
    await page.locator('table tbody tr').first().waitFor();
    const listed = await page.locator('table tbody tr a').allTextContents();
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).not.toContain(foreign!.number);
    await snap(page, 'billing-05-portal-invoices');

    await page.goto(`${service.baseUrl}/portal/invoices/${own.invoiceId}`);
    await page.getByRole('heading', { name: `Facture ${own.number}` }).waitFor();
    const pdf = await downloadPdf(page);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await snap(page, 'billing-06-portal-invoice');

    await page.goto(`${service.baseUrl}/portal/invoices/${foreign!.invoiceId}`);
    await page.locator('[data-state="not_found"], [data-state="forbidden"]').waitFor();
    await expect(page.getByText(foreign!.number ?? '—').count()).resolves.toBe(0);
    await snap(page, 'billing-07-foreign-invoice-refused');
    const statuses = await page.evaluate(async (id) => {
      const json = await fetch(`/api/v1/invoices/${id}`);
      const pdf = await fetch(`/api/v1/invoices/${id}/pdf`);
      return [json.status, pdf.status];
    }, foreign!.invoiceId);
    for (const status of statuses) expect([403, 404]).toContain(status);
    await page.context().close();
  });

  it('lets an accountant settle an open invoice with a manual payment', async () => {
    const open = (await seededInvoices()).find((i) => i.amountDueMinor !== '0');
    expect(open).toBeDefined();
    const page = await newPage();
    await signIn(page, service.baseUrl, 'compta@billing.sn', password);
    await page.goto(`${service.baseUrl}/invoices/${open!.invoiceId}`);
    await page.getByRole('link', { name: 'Saisir un paiement' }).click();
    await page.waitForURL(/\/payments\/new\?/);
    await page.getByLabel('Référence').fill('VIR-E2E-0001');
    await page.getByLabel(/^Montant/).fill(open!.amountDueMinor);
    await snap(page, 'billing-08-manual-payment');
    await page.getByRole('button', { name: 'Saisir un paiement' }).click();
    await page.waitForURL(
      (url) => /^\/payments\/[^/]+$/.test(url.pathname) && url.pathname !== '/payments/new',
    );
    await page.getByText('Paiement enregistré.').waitFor();
    await snap(page, 'billing-09-payment');

    await page.goto(`${service.baseUrl}/invoices/${open!.invoiceId}`);
    await expect(page.getByTestId('amount-due').textContent()).resolves.toMatch(/^0\s/);
    await snap(page, 'billing-10-invoice-settled');
    await page.context().close();
  });
});
