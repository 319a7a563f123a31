// Proves, in a real browser against the running service, that a tenant admin edits its own billing
// contact on the portal: a bad e-mail is refused beside the field, a good one is saved and is still
// there after a reload, and the legal identity shown beside the form is left as it was.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  freshPage,
  launchBrowser,
  registerTenant,
  type Service,
  signIn,
  snap,
  startService,
  superadminSession,
} from './support/service.ts';

const password = 'correct horse battery staple';
let service: Service;
let browser: Browser;
let admin: ApiSession;
let tenantId = '';

beforeAll(async () => {
  service = await startService();
  admin = await superadminSession(service, 'admin@contact.sn', password);
  tenantId = await registerTenant(admin, 'Pharmacie du Port SARL', 'compta@pharmacie-port.sn');
  await service.createUser('gerant@pharmacie-port.sn', password, 'tenant_admin', tenantId);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const newPage = () => freshPage(browser);

describe('the portal billing contact', () => {
  it('lets a tenant admin change its billing e-mail, kept after a reload', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'gerant@pharmacie-port.sn', password);
    expect(new URL(page.url()).pathname).toBe('/portal');
    await snap(page, 'portal-contact-01-portal');

    await page.getByRole('link', { name: 'Contact de facturation' }).click();
    await page.waitForURL(/\/portal\/contact$/);
    const email = page.getByLabel('E-mail');
    await expect(email.inputValue()).resolves.toBe('compta@pharmacie-port.sn');
    await page.getByRole('heading', { name: 'Pharmacie du Port SARL' }).waitFor();
    await snap(page, 'portal-contact-02-form');

    await email.fill('compta@');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.field.invalid').getByText('an e-mail address').waitFor();
    await snap(page, 'portal-contact-03-refused');

    await email.fill('factures@pharmacie-port.sn');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Contact de facturation enregistré.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Pharmacie du Port SARL' }).waitFor();
    await expect(page.getByLabel('E-mail').inputValue()).resolves.toBe('factures@pharmacie-port.sn');
    await snap(page, 'portal-contact-04-saved');
    await page.context().close();

    const tenant = await admin.call<{ details: { legalName: string; billingEmail: string } }>(
      'GET',
      `/api/v1/tenants/${tenantId}`,
    );
    expect(tenant.body.details).toMatchObject({
      legalName: 'Pharmacie du Port SARL',
      billingEmail: 'factures@pharmacie-port.sn',
    });
  });
});
