// Proves, in a real browser against the running service, that a super-admin manages users from the
// users page: a role change that needs a tenant is refused beside the tenant field, a role change
// with its tenant is saved and still shown after a reload, and a user is disabled then enabled.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
const member = 'compta@users-e2e.sn';
let service: Service;
let browser: Browser;
let tenantId = '';

beforeAll(async () => {
  service = await startService();
  const admin = await superadminSession(service, 'admin@users-e2e.sn', password);
  await service.createUser(member, password, 'accountant');
  tenantId = await registerTenant(admin, 'Boulangerie Rôles SARL', 'compta@boulangerie-roles.sn');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** The table row of the user with this e-mail. */
const rowOf = (page: Page, email: string) => page.locator('tbody tr', { hasText: email });

describe('the users page', () => {
  it('changes a user role (and its tenant), kept after a reload, and disables then enables it', async () => {
    const page = await freshPage(browser);
    await signIn(page, service.baseUrl, 'admin@users-e2e.sn', password);
    await page.goto(`${service.baseUrl}/users`);
    const row = rowOf(page, member);
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe('Comptable');
    await snap(page, 'users-01-list');

    // A tenant admin belongs to one tenant: without one the API refuses, beside the field.
    await row.getByRole('button', { name: `Modifier le rôle ${member}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Rôle').selectOption('tenant_admin');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await dialog.locator('.field.invalid').getByText('belongs to one tenant').waitFor();
    await snap(page, 'users-02-tenant-required');

    await dialog.getByLabel('Organisation').fill(tenantId);
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Utilisateur mis à jour.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.reload();
    await expect(rowOf(page, member).locator('td').nth(1).textContent()).resolves.toBe(
      'Administrateur client',
    );
    await expect(rowOf(page, member).getByRole('link').textContent()).resolves.toBe(tenantId);
    await snap(page, 'users-03-role-changed');

    await rowOf(page, member)
      .getByRole('button', { name: `Désactiver ${member}` })
      .click();
    await rowOf(page, member).getByText('Désactivé').waitFor();
    await page.reload();
    await rowOf(page, member).getByText('Désactivé').waitFor();
    await snap(page, 'users-04-disabled');
    await rowOf(page, member)
      .getByRole('button', { name: `Réactiver ${member}` })
      .click();
    await rowOf(page, member)
      .getByRole('button', { name: `Désactiver ${member}` })
      .waitFor();
    await expect(rowOf(page, member).getByText('Désactivé').count()).resolves.toBe(0);
    await snap(page, 'users-05-enabled');
    await page.context().close();
  });
});
