// Proves, in a real browser against the running service, that "cancel now" on a subscription asks
// first: the dialog states that the subscription ends today with a credit note for the unused days,
// dismissing it changes nothing, and only confirming cancels.
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
let subscriptionId = '';

beforeAll(async () => {
  service = await startService();
  admin = await superadminSession(service, 'admin@cancel.sn', password);
  await publishPlan(admin, 'essential', essentialTerms);
  const tenantId = await registerTenant(admin, 'Garage Résiliation SARL', 'compta@garage-resiliation.sn');
  ({ subscriptionId } = await startPaidSubscription(admin, tenantId, 'essential'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const statusOf = async () =>
  (await admin.call<{ status: string }>('GET', `/api/v1/subscriptions/${subscriptionId}`)).body.status;

describe('cancelling a subscription now', () => {
  it('asks first, stating the credit for unused days, and cancels only once confirmed', async () => {
    const page = await freshPage(browser);
    await signIn(page, service.baseUrl, 'admin@cancel.sn', password);
    await page.goto(`${service.baseUrl}/subscriptions/${subscriptionId}`);
    await page.getByRole('button', { name: 'Résilier immédiatement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Résilier immédiatement ?' });
    await dialog.waitFor();
    await dialog.getByText('L’abonnement prend fin aujourd’hui').waitFor();
    await dialog.getByText('Un avoir est émis pour les jours non utilisés').waitFor();
    await snap(page, 'subscription-cancel-01-confirm');
    await expect(statusOf()).resolves.toBe('active');

    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(statusOf()).resolves.toBe('active');

    await page.getByRole('button', { name: 'Résilier immédiatement' }).click();
    await dialog.getByRole('button', { name: 'Résilier maintenant' }).click();
    await page.getByText('Abonnement résilié.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await expect(statusOf()).resolves.toBe('canceled');
    await page.locator('.badge.status-canceled').first().waitFor();
    await snap(page, 'subscription-cancel-02-canceled');
    await page.context().close();
  });
});
