// Proves, in a real browser against the running service, that sign-in works, that each role is
// offered only its pages and sees a forbidden state at the URL of any other (a tenant admin cannot
// open another organisation), and that a super-admin registers an organisation through the form
// (with the API's field errors shown first).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  service = await startService();
  await service.createUser('admin@e2e.sn', password, 'superadmin');
  await service.createUser('audit@e2e.sn', password, 'auditor');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function freshPage(viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR' });
  return context.newPage();
}

const navLinks = (page: Page) => page.locator('#main-nav a').allTextContents();

describe('sign-in and navigation by role', () => {
  it('sends visitors to sign-in, in French, with English a click away', async () => {
    const page = await freshPage();
    await page.goto(`${service.baseUrl}/users`);
    await page.waitForURL(/\/sign-in\?next=%2Fusers/);
    await expect(page.getByRole('heading', { name: 'Connexion' }).isVisible()).resolves.toBe(true);
    await snap(page, 'navigation-01-sign-in-fr');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await snap(page, 'navigation-02-sign-in-en');
    await page.getByRole('button', { name: 'Passer en français' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();

    await page.getByLabel('Adresse e-mail').fill('admin@e2e.sn');
    await page.getByLabel('Mot de passe').fill('wrong password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-mail ou mot de passe incorrect.' }).waitFor();
    await snap(page, 'navigation-03-sign-in-refused');
    await page.context().close();
  });

  it('offers a super-admin every back-office page and returns to the page asked for', async () => {
    const page = await freshPage();
    await page.goto(`${service.baseUrl}/users`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Adresse e-mail').fill('admin@e2e.sn');
    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${service.baseUrl}/users`);
    const links = await navLinks(page);
    expect(links).toEqual(
      expect.arrayContaining([
        'Tableau de bord',
        'Organisations',
        'Factures',
        'Utilisateurs',
        'Jetons d’API',
      ]),
    );
    expect(links).not.toContain('Mes factures');
    await snap(page, 'navigation-04-superadmin-users');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${service.baseUrl}/organisations`);
    await page.waitForURL(/\/sign-in/);
    await page.context().close();
  });

  it('hides administration from an auditor and answers forbidden at its URL', async () => {
    const page = await freshPage();
    await signIn(page, service.baseUrl, 'audit@e2e.sn', password);
    expect(page.url()).toBe(`${service.baseUrl}/dashboard`);
    const links = await navLinks(page);
    expect(links).toContain('Factures');
    expect(links).not.toContain('Utilisateurs');
    expect(links).not.toContain('Jetons d’API');
    await page.goto(`${service.baseUrl}/users`);
    await page.locator('[data-state="forbidden"]').waitFor();
    await expect(page.getByRole('heading', { name: 'Accès refusé' }).isVisible()).resolves.toBe(true);
    await snap(page, 'navigation-05-auditor-forbidden');
    await page.context().close();
  });

  it('registers an organisation, showing the API field errors first, and opens it', async () => {
    const page = await freshPage();
    await signIn(page, service.baseUrl, 'admin@e2e.sn', password);
    await page.goto(`${service.baseUrl}/organisations/new`);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.field.invalid').first().waitFor();
    expect(await page.locator('.field.invalid').count()).toBeGreaterThanOrEqual(5);
    await snap(page, 'navigation-06-organisation-required');

    await page.getByLabel('Raison sociale').fill('Clinique Teranga SARL');
    await page.getByLabel('NINEA / identifiant fiscal').fill('005123456');
    await page.getByLabel('Registre du commerce').fill('SN-DKR-2024-B-1234');
    await page.getByLabel('Adresse (ligne 1)').fill('12 avenue Cheikh Anta Diop');
    await page.getByLabel('Ville').fill('Dakar');
    await page.getByLabel('E-mail').fill('facturation@teranga.sn');
    await page.getByLabel('Téléphone').fill('+221');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    // The API refuses the short phone number: its message appears beside that field, and the
    // page stays on the form (nothing was recorded).
    await page
      .locator('.field.invalid')
      .filter({ has: page.getByLabel('Téléphone') })
      .waitFor();
    expect(await page.locator('.field.invalid').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/organisations/new');
    await snap(page, 'navigation-07-organisation-api-error');

    await page.getByLabel('Téléphone').fill('+221771234567');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Clinique Teranga SARL' }).waitFor();
    await snap(page, 'navigation-08-organisation-detail');

    await page.goto(`${service.baseUrl}/organisations?search=clinique`);
    await page.getByRole('link', { name: 'Clinique Teranga SARL' }).waitFor();
    await snap(page, 'navigation-09-organisation-list');
    await page.context().close();
  });

  it('fits a phone-sized screen behind a menu button', async () => {
    const page = await freshPage({ width: 390, height: 780 });
    await signIn(page, service.baseUrl, 'admin@e2e.sn', password);
    await expect(page.locator('#main-nav').isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.locator('#main-nav').isVisible()).resolves.toBe(true);
    await snap(page, 'navigation-10-phone-menu');
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.waitForURL(/\/organisations$/);
    await snap(page, 'navigation-11-phone-organisations');
    await page.context().close();
  });

  it('keeps a tenant admin in its own portal: another organisation answers forbidden, by page and by API', async () => {
    const admin = await apiSession(service.baseUrl, 'admin@e2e.sn', password);
    const own = await admin.call<{ tenantId: string }>('POST', '/api/v1/tenants', {
      details: senegalTenant('Pharmacie Keur Massar', 'compta@keurmassar.sn'),
    });
    const other = await admin.call<{ tenantId: string }>('POST', '/api/v1/tenants', {
      details: senegalTenant('Banque Sahel', 'dsi@sahel.sn'),
    });
    expect([own.status, other.status]).toEqual([201, 201]);
    await service.createUser('portal@keurmassar.sn', password, 'tenant_admin', own.body.tenantId);

    const page = await freshPage();
    await signIn(page, service.baseUrl, 'portal@keurmassar.sn', password);
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.getByRole('heading', { name: /Pharmacie Keur Massar/ }).waitFor();
    const links = await navLinks(page);
    expect(links).toEqual(
      expect.arrayContaining(['Mon espace', 'Mes factures', 'Mon offre', 'Contact de facturation']),
    );
    expect(links).not.toContain('Organisations');
    expect(links).not.toContain('Factures');
    await snap(page, 'navigation-12-tenant-portal');

    await page.goto(`${service.baseUrl}/organisations/${other.body.tenantId}`);
    await page.locator('[data-state="forbidden"]').waitFor();
    await snap(page, 'navigation-13-tenant-admin-other-organisation');
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/v1/tenants/${id}`)).status,
      other.body.tenantId,
    );
    expect([403, 404]).toContain(status);
    await page.context().close();
  });

  it('draws the dashboard and the four analytics charts from the metrics API, with their CSV', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await signIn(page, service.baseUrl, 'admin@e2e.sn', password);
    await page.getByText('MRR', { exact: true }).first().waitFor();
    await expect(page.locator('.stat').count()).resolves.toBe(5);
    await snap(page, 'navigation-14-dashboard');

    await page.locator('#main-nav').getByRole('link', { name: 'Analyses', exact: true }).click();
    await page.waitForURL(/\/analytics/);
    for (const chart of ['mrr', 'movements', 'churn', 'arpu']) {
      await page.locator(`[data-chart="${chart}"] figure`).waitFor();
    }
    const mrr = page.locator('[data-chart="mrr"] .plot');
    await mrr.focus();
    await page.keyboard.press('End');
    await page.locator('[data-chart="mrr"] .tooltip').waitFor();
    await snap(page, 'navigation-15-analytics');

    const download = page.waitForEvent('download');
    await page.locator('[data-chart="mrr"]').getByRole('button', { name: 'CSV des données' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^mrr_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile((await file.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toBe('date,mrr');
    expect(csv.split('\r\n')[1]).toMatch(/^\d{2}\/\d{2}\/\d{4},0$/);
    await context.close();
  });
});
