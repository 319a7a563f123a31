// Proves, in a real browser against the running service, that an accountant acts on an overdue
// tenant from the Overdue page: sends a reminder by SMS and sees it (and its risk factor) on the
// row, records a promise to pay (a date in the past first, shown as the API's field error) and
// sees it marked active with its amount and date; an auditor sees the same row without the actions.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billInvoice } from '../../app/billing/invoicing.ts';
import { configSchema } from '../../app/config.ts';
import { openLedger } from '../../app/runtime.ts';
import { moneyOf } from '../../domain/money/index.ts';
import { addDays } from '../../domain/shared/calendar-date.ts';
import {
  type ApiSession,
  launchBrowser,
  registerTenant,
  type Service,
  signIn,
  snap,
  startService,
  superadminSession,
} from './support/service.ts';

const password = 'correct horse battery staple';
const projectionWaitMs = 60_000;
let service: Service;
let browser: Browser;
let admin: ApiSession;
let tenantId: string;
// The tenant is in Dakar (UTC all year): its calendar day is the UTC one.
const today = new Date().toISOString().slice(0, 10);

/**
 * An invoice issued 17 days ago with the tenant's 15-day terms: 2 days past due, before the
 * schedule's first reminder (day 3), so only the operator's reminder is sent today. The API only
 * issues invoices dated today, so the history is written through the same use case, in process.
 */
async function givenOverdueInvoice(): Promise<void> {
  const ledger = await openLedger(
    configSchema.parse({ DATABASE_URL: service.databaseUrl, LOG_LEVEL: 'silent' }),
    { migrate: false },
  );
  try {
    const issuedOn = addDays(today, -17);
    const outcome = await billInvoice(
      { store: ledger.store },
      {
        invoiceId: `inv-overdue-${tenantId}`,
        tenantId,
        issuedOn,
        lines: [
          {
            lineId: 'line-1',
            kind: 'one_off',
            description: 'Installation des bornes',
            quantity: '1',
            unitPrice: moneyOf('45000', 'XOF'),
            period: null,
          },
        ],
      },
      {
        idempotencyKey: `e2e:overdue:${tenantId}`,
        actor: { kind: 'user', id: 'e2e' },
        correlationId: 'e2e-overdue',
        causationId: null,
        occurredAt: `${issuedOn}T09:00:00.000Z`,
      },
    );
    if (!outcome.ok) throw new Error(`billing refused: ${outcome.refusal.code}`);
  } finally {
    await ledger.close();
  }
}

/** The read models fill in behind the log: wait until the tenant is scored as overdue. */
async function overdueListed(): Promise<void> {
  const deadline = Date.now() + projectionWaitMs;
  for (;;) {
    const page = await admin.call<{ items: { tenantId: string; dunning: { overdueInvoices: unknown[] } }[] }>(
      'GET',
      '/api/v1/overdue-risk?limit=200',
    );
    const row = page.body?.items?.find((i) => i.tenantId === tenantId);
    if (row !== undefined && row.dunning.overdueInvoices.length > 0) return;
    if (Date.now() > deadline) throw new Error('the overdue tenant never reached the overdue list');
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  service = await startService();
  admin = await superadminSession(service, 'admin@overdue.sn', password);
  await service.createUser('compta@overdue.sn', password, 'accountant');
  await service.createUser('audit@overdue.sn', password, 'auditor');
  tenantId = await registerTenant(admin, 'Clinique Keur Yoff', 'compta@keuryoff.sn');
  await givenOverdueInvoice();
  await overdueListed();
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  return context.newPage();
}

describe('acting on an overdue tenant from the Overdue page', () => {
  it('sends a reminder and records a promise to pay, both shown on the tenant’s row', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'compta@overdue.sn', password);
    await page.goto(`${service.baseUrl}/overdue`);
    const row = page.locator(`article[data-tenant="${tenantId}"]`);
    await row.waitFor();
    await expect(row.getByTestId('last-reminder').count()).resolves.toBe(0);
    await snap(page, 'overdue-01-list');

    // A reminder by SMS, with a note.
    await row.getByRole('button', { name: 'Relancer' }).click();
    const reminderDialog = page.getByRole('dialog', { name: 'Relancer pour les factures en retard' });
    await reminderDialog.waitFor();
    await reminderDialog.getByLabel('Canal').selectOption('sms');
    await reminderDialog.getByLabel('Note').fill('Appel au DAF, SMS de rappel');
    await snap(page, 'overdue-02-reminder-dialog');
    await reminderDialog.getByRole('button', { name: 'Relancer' }).click();
    await page.getByText('1 relance(s) enregistrée(s).').waitFor();
    const [y, m, d] = today.split('-');
    await expect(row.getByTestId('last-reminder').textContent()).resolves.toContain(
      `Dernière relance : ${d}/${m}/${y} (SMS)`,
    );
    await row.getByText('Facteurs').click();
    await row.getByText('1 reminders already sent.').waitFor();
    await snap(page, 'overdue-03-reminder-sent');

    // A promise: a date in the past first is refused by the API, beside the date field.
    await row.getByRole('button', { name: 'Enregistrer une promesse de paiement' }).click();
    const promiseDialog = page.getByRole('dialog', { name: 'Enregistrer une promesse de paiement' });
    await promiseDialog.waitFor();
    await expect(promiseDialog.getByLabel(/^Montant promis/).inputValue()).resolves.toBe('53100');
    await promiseDialog.getByLabel('Date promise').fill(addDays(today, -1));
    await promiseDialog.getByLabel(/^Montant promis/).fill('30000');
    await promiseDialog.getByLabel('Note').fill('Virement après la clôture du mois');
    await promiseDialog.getByRole('button', { name: 'Confirmer' }).click();
    const dateField = promiseDialog
      .locator('.field.invalid')
      .filter({ has: page.getByLabel('Date promise') });
    await dateField.waitFor();
    await expect(dateField.textContent()).resolves.toMatch(/before today/);
    await snap(page, 'overdue-04-promise-refused');

    const promisedOn = addDays(today, 7);
    await promiseDialog.getByLabel('Date promise').fill(promisedOn);
    await promiseDialog.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Promesse de paiement enregistrée.').waitFor();
    const promise = row.getByTestId('promise');
    await promise.waitFor();
    await expect(promise.getAttribute('data-status')).resolves.toBe('active');
    const [py, pm, pd] = promisedOn.split('-');
    await expect(promise.textContent()).resolves.toMatch(
      new RegExp(`en cours\\s*30\\s000\\sFCFA promis pour le ${pd}/${pm}/${py}`),
    );
    await snap(page, 'overdue-05-promise-recorded');
    await page.context().close();
  });

  it('shows an auditor the reminder and the promise, without the actions', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, 'audit@overdue.sn', password);
    await page.goto(`${service.baseUrl}/overdue`);
    const row = page.locator(`article[data-tenant="${tenantId}"]`);
    await row.getByTestId('promise').waitFor();
    await row.getByTestId('last-reminder').waitFor();
    await expect(row.getByRole('button', { name: 'Relancer' }).count()).resolves.toBe(0);
    await expect(
      row.getByRole('button', { name: 'Enregistrer une promesse de paiement' }).count(),
    ).resolves.toBe(0);
    await snap(page, 'overdue-06-auditor');
    await page.context().close();
  });
});
