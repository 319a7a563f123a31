// Proves the billing core end to end in a real browser against the running service: a super-admin
// registers an organisation, starts a trial and converts it, the invoice is issued, the tenant admin
// pays it through the sandbox provider and finds its organisation and invoices again after a full
// page reload of the portal, the organisation page shows the payment, balance, risk and history, the
// invoice and payment exports download, MRR moves on the analytics page, the PDF downloads, and a
// tenant admin cannot open another tenant's invoice by its URL.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { essentialTerms, professionalTerms } from '../../domain/catalog/default-catalog.ts';
import { termsToJson } from '../../domain/catalog/plan.ts';
import {
  apiSession,
  launchBrowser,
  type Service,
  senegalTenant,
  signIn,
  snap,
  startService,
} from './support/service.ts';

const password = 'correct horse battery staple';
let service: Service;
let browser: Browser;

beforeAll(async () => {
  // The service inherits this environment: the sandbox provider is what the tenant admin pays with.
  process.env.SANDBOX_PAYMENTS_ENABLED = 'true';
  process.env.SANDBOX_WEBHOOK_SECRET = 'e2e-sandbox-webhook-secret';
  // Providers need a callback base before the service's port is known; the sandbox never calls it
  // back (its checkout page is served by the ledger itself, which the portal opens on its own origin).
  process.env.PAYMENTS_PUBLIC_BASE_URL = 'https://callbacks.e2e.invalid';
  service = await startService();
  await service.createUser('admin@flow.sn', password, 'superadmin');
  // A fresh store has no catalog: the plans a trial is started on are published as an operator would.
  const admin = await apiSession(service.baseUrl, 'admin@flow.sn', password);
  for (const [planCode, terms] of [
    ['essential', essentialTerms],
    ['professional', professionalTerms],
  ] as const) {
    const published = await admin.call('POST', '/api/v1/plans', { planCode, terms: termsToJson(terms) });
    expect(published.status).toBe(201);
  }
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

describe('the billing core, end to end', () => {
  let tenantId = '';
  let invoiceId = '';

  it('registers an organisation, starts a trial and converts it, which issues an invoice', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@flow.sn', password);
    await page.goto(`${service.baseUrl}/organisations/new`);
    await page.getByLabel('Raison sociale').fill('Hôpital Principal de Dakar');
    await page.getByLabel('NINEA / identifiant fiscal').fill('004567890');
    await page.getByLabel('Registre du commerce').fill('SN-DKR-2019-B-4321');
    await page.getByLabel('Adresse (ligne 1)').fill('1 avenue Nelson Mandela');
    await page.getByLabel('Ville').fill('Dakar');
    await page.getByLabel('E-mail').fill('finance@hpd.sn');
    await page.getByLabel('Téléphone').fill('+221338394040');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    tenantId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await snap(page, 'flow-01-organisation');

    await page.getByRole('button', { name: 'Démarrer un essai' }).click();
    await page
      .getByRole('link', { name: /essential|professional|enterprise/i })
      .first()
      .waitFor();
    await snap(page, 'flow-02-trial-started');
    await page
      .getByRole('link', { name: /essential|professional|enterprise/i })
      .first()
      .click();
    await page.getByRole('button', { name: 'Convertir l’essai' }).click();
    await page.getByText('Essai converti.').waitFor();
    await snap(page, 'flow-03-converted');

    await page.goto(`${service.baseUrl}/organisations/${tenantId}`);
    const invoiceLink = page.locator('section', { hasText: 'Factures' }).getByRole('link').first();
    await invoiceLink.waitFor();
    await invoiceLink.click();
    await page.waitForURL(/\/invoices\/[^/]+$/);
    invoiceId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await snap(page, 'flow-04-invoice');
    await page.context().close();
  });

  it('lets the tenant admin pay the invoice through the sandbox and download its PDF', async () => {
    await service.createUser('dsi@hpd.sn', password, 'tenant_admin', tenantId);
    const page = await newPage();
    await signIn(page, service.baseUrl, 'dsi@hpd.sn', password);
    await page.goto(`${service.baseUrl}/portal/invoices/${invoiceId}`);
    await page.getByRole('button', { name: /^Payer / }).click();
    await page.waitForURL(/\/sandbox\/checkout\//);
    await snap(page, 'flow-05-sandbox-checkout');
    await page.getByRole('button', { name: 'Approuver le paiement' }).click();
    await page.waitForURL(/\/portal\/invoices\/[^?]+\?paying=1/);
    await page.getByText('Paiement reçu. Merci !').waitFor({ timeout: 70_000 });
    await expect(page.getByTestId('amount-due').textContent()).resolves.toMatch(/^0\s/);
    await snap(page, 'flow-06-paid');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Télécharger le PDF' }).click();
    const pdf = await readFile((await (await download).path()) ?? '');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.context().close();
  });

  it('shows the tenant admin its organisation and invoices after a full page reload', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'dsi@hpd.sn', password);
    // A reload starts with no session known to the page: the portal waits for it rather than
    // asking the API about tenant ''.
    await page.goto(`${service.baseUrl}/portal`);
    await page.reload();
    await page.getByRole('heading', { name: 'Bienvenue, Hôpital Principal de Dakar' }).waitFor();
    await snap(page, 'flow-06a-portal-reloaded');
    await page.goto(`${service.baseUrl}/portal/invoices`);
    await page.reload();
    await page.locator(`main a[href="/portal/invoices/${invoiceId}"]`).waitFor();
    await snap(page, 'flow-06b-portal-invoices-reloaded');
    await page.context().close();
  });

  it('shows the back office the organisation’s payments, balance, risk and history', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@flow.sn', password);
    await page.goto(`${service.baseUrl}/organisations/${tenantId}`);
    const payments = page.locator('section', { has: page.getByRole('heading', { name: 'Paiements' }) });
    await payments.getByRole('cell', { name: 'Réussi' }).waitFor();
    await expect(page.getByTestId('balance').textContent()).resolves.toMatch(/Reste dû\s*0\sFCFA/);
    // Paid in full: the lowest band, no points.
    await expect(page.getByTestId('risk').textContent()).resolves.toMatch(/Faible · Score : 0\/100/);
    const history = page.getByTestId('history');
    await history.getByRole('cell', { name: /TenantRegistered/ }).waitFor();
    await history
      .getByRole('cell', { name: /InvoiceIssued/ })
      .first()
      .waitFor();
    await snap(page, 'flow-06c-organisation-history');
    await page.context().close();
  });

  it('downloads the invoice and payment exports as CSV from the exports page', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@flow.sn', password);
    await page.goto(`${service.baseUrl}/exports`);
    for (const [label, header] of [
      ['Factures (CSV)', 'issued_on,number,invoice_id,tenant_id,tenant_name'],
      ['Paiements (CSV)', 'payment_date,payment_id,tenant_id,tenant_name'],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: label }).click();
      const csv = await readFile((await (await download).path()) ?? '', 'utf8');
      expect(csv.startsWith(header), csv.slice(0, 200)).toBe(true);
      expect(csv).toContain('Hôpital Principal de Dakar');
    }
    await snap(page, 'flow-06d-exports');
    await page.context().close();
  });

  it('shows the new MRR on the analytics page', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'admin@flow.sn', password);
    await page.goto(`${service.baseUrl}/analytics`);
    const mrr = page.locator('[data-chart="mrr"] .plot');
    await mrr.waitFor();
    await mrr.focus();
    await page.keyboard.press('End');
    await expect(page.locator('[data-chart="mrr"] .tooltip').textContent()).resolves.not.toMatch(/MRR : 0\s/);
    await snap(page, 'flow-07-analytics');
    await page.context().close();
  });

  it('does not let a tenant admin open another tenant’s invoice by its URL', async () => {
    const admin = await apiSession(service.baseUrl, 'admin@flow.sn', password);
    const other = await admin.call<{ tenantId: string }>('POST', '/api/v1/tenants', {
      details: senegalTenant('Autre Client SA', 'autre@client.sn'),
    });
    await service.createUser('autre@client.sn', password, 'tenant_admin', other.body.tenantId);
    const page = await newPage();
    await signIn(page, service.baseUrl, 'autre@client.sn', password);
    await page.goto(`${service.baseUrl}/portal/invoices/${invoiceId}`);
    await page.locator('[data-state="not_found"], [data-state="forbidden"]').waitFor();
    await expect(page.getByText('Hôpital Principal de Dakar').count()).resolves.toBe(0);
    await snap(page, 'flow-08-other-tenant-invoice');
    await page.context().close();
  });
});
