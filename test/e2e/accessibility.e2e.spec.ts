// Proves, in a real browser against the running service, that every page in the navigation of a
// super-admin and of a tenant admin, on a desktop screen and on a 390×844 phone, has no axe-core
// violation of serious or critical impact, and that the navigation works from the keyboard alone
// (Tab to a link, Enter opens it; on the phone through the menu button).
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { essentialTerms, professionalTerms } from '../../domain/catalog/default-catalog.ts';
import { navFor, type Role } from '../../ui/src/lib/roles.ts';
import {
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
const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
type Viewport = keyof typeof viewports;
const people: Record<'superadmin' | 'tenant_admin', string> = {
  superadmin: 'admin@a11y.sn',
  tenant_admin: 'gerant@a11y.sn',
};

let service: Service;
let browser: Browser;
/** The ids of the seeded organisation's records, for the detail pages' URLs. */
const seeded = { tenantId: '', subscriptionId: '', invoiceId: '', paymentId: '' };
/** One signed-in page per role and screen, reused by every row of that pair. */
const pages = new Map<string, Page>();

beforeAll(async () => {
  service = await startService();
  const admin = await superadminSession(service, people.superadmin, password);
  await publishPlan(admin, 'essential', essentialTerms);
  await publishPlan(admin, 'professional', professionalTerms);
  // An organisation with a paid subscription (so an issued invoice) and a part payment: the pages
  // show tables, statuses and amounts rather than only empty states.
  const tenantId = await registerTenant(admin, 'Clinique Accessible SARL', 'compta@accessible.sn');
  const started = await startPaidSubscription(admin, tenantId, 'essential');
  const paid = await admin.call<{ paymentId: string }>('POST', '/api/v1/payments/manual', {
    tenantId,
    method: 'bank_transfer',
    reference: 'VIR-A11Y-001',
    receivedOn: new Date().toISOString().slice(0, 10),
    amount: { amountMinor: '5000', currency: 'XOF' },
    invoiceIds: [started.invoiceId],
  });
  expect(paid.status).toBe(201);
  seeded.tenantId = tenantId;
  seeded.subscriptionId = started.subscriptionId;
  seeded.invoiceId = started.invoiceId;
  seeded.paymentId = paid.body.paymentId;
  await service.createUser(people.tenant_admin, password, 'tenant_admin', tenantId);

  browser = await launchBrowser();
  for (const role of Object.keys(people) as (keyof typeof people)[]) {
    for (const viewport of Object.keys(viewports) as Viewport[]) {
      // axe is injected as an inline script, which the app's CSP (rightly) forbids.
      const context = await browser.newContext({
        viewport: viewports[viewport],
        locale: 'fr-FR',
        bypassCSP: true,
      });
      const page = await context.newPage();
      await signIn(page, service.baseUrl, people[role], password);
      pages.set(`${role} ${viewport}`, page);
    }
  }
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/** Runs axe-core on the page as it is and returns its serious and critical violations, one line each. */
const seriousViolations = (page: Page): Promise<string[]> =>
  violations(page, (v) => v.impact === 'serious' || v.impact === 'critical');

/** Runs axe-core on the page as it is and returns the violations `keep` selects, one line each. */
async function violations(page: Page, keep: (violation: AxeViolation) => boolean): Promise<string[]> {
  await page.addScriptTag({ path: axeScript });
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return found.filter(keep).map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 4)
        .join(', ')}`,
  );
}

/** Waits until the page has rendered its title and stopped fetching. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
}

const rows = (Object.keys(people) as (keyof typeof people)[]).flatMap((role) =>
  (Object.keys(viewports) as Viewport[]).flatMap((viewport) =>
    navFor(role as Role)
      .flatMap((group) => group.entries)
      .map(
        (entry) =>
          [`${entry.href} as ${role} on a ${viewport}`, { role, viewport, href: entry.href }] as const,
      ),
  ),
);

describe('accessibility of every page in the navigation', () => {
  it.each(rows)('%s has no serious or critical axe violation', async (_, { role, viewport, href }) => {
    const page = pages.get(`${role} ${viewport}`)!;
    await page.goto(`${service.baseUrl}${href}`);
    await settled(page);
    expect(new URL(page.url()).pathname).toBe(href);
    await snap(page, `a11y-${role}-${viewport}${href.replaceAll('/', '-')}`);
    expect(await seriousViolations(page)).toEqual([]);
    if (viewport === 'phone') {
      // Usable on a phone: nothing makes the page itself scroll sideways (wide tables scroll in
      // their own box), and the menu, once open, passes too.
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0], 'the page scrolls sideways').toBeLessThanOrEqual(widths[1]!);
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.locator('#main-nav').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Menu' }).click();
    }
  });

  // Pages reached from the lists rather than the navigation, with the seeded records' ids.
  const detailPages = [
    ['superadmin', '/organisations/new'],
    ['superadmin', '/organisations/{tenantId}'],
    ['superadmin', '/organisations/{tenantId}/edit'],
    ['superadmin', '/subscriptions/{subscriptionId}'],
    ['superadmin', '/plans/essential'],
    ['superadmin', '/invoices/{invoiceId}'],
    ['superadmin', '/payments/{paymentId}'],
    ['superadmin', '/payments/new'],
    ['superadmin', '/payments/reconciliation'],
    ['tenant_admin', '/portal/invoices/{invoiceId}'],
  ] as const;
  it.each(detailPages)('%s at %s has no serious or critical axe violation', async (role, template) => {
    const path = template.replace(/\{(\w+)\}/, (_, name: keyof typeof seeded) => seeded[name]);
    const page = pages.get(`${role} desktop`)!;
    await page.goto(`${service.baseUrl}${path}`);
    await settled(page);
    await snap(page, `a11y-${role}-detail${template.replace(/[{}]/g, '').replaceAll('/', '-')}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('keeps the analytics headings in order: chart titles sit under the page title', async () => {
    const page = pages.get('superadmin desktop')!;
    await page.goto(`${service.baseUrl}/analytics`);
    await settled(page);
    await page.locator('figure.chart h2').first().waitFor();
    expect(await violations(page, (v) => v.id === 'heading-order')).toEqual([]);
  });

  it('keeps a dialog accessible: issuing a credit note from the invoice page', async () => {
    const page = pages.get('superadmin desktop')!;
    await page.goto(`${service.baseUrl}/invoices/${seeded.invoiceId}`);
    await settled(page);
    await page.getByRole('button', { name: 'Émettre un avoir' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await snap(page, 'a11y-superadmin-dialog-credit-note');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('offers the sign-in page without serious or critical violations', async () => {
    const context = await browser.newContext({ viewport: viewports.phone, locale: 'fr-FR', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${service.baseUrl}/sign-in`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await snap(page, 'a11y-sign-in-phone');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});

/** Presses Tab until the focused element is the link named `name` inside the navigation. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 40; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      return element?.closest('#main-nav') !== null && element instanceof HTMLAnchorElement
        ? (element.textContent ?? '').trim()
        : null;
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached the navigation link ${name}`);
}

describe('the navigation from the keyboard', () => {
  it('reaches a link with Tab and opens it with Enter, on a desktop and through the phone menu', async () => {
    const desktop = pages.get('superadmin desktop')!;
    await desktop.goto(`${service.baseUrl}/dashboard`);
    await settled(desktop);
    await tabTo(desktop, 'Factures');
    const outline = await desktop.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline, 'the focused link shows where the focus is').not.toBe('none');
    await snap(desktop, 'a11y-keyboard-01-desktop-focus');
    await desktop.keyboard.press('Enter');
    await desktop.waitForURL(`${service.baseUrl}/invoices`);
    await settled(desktop);
    await expect(desktop.locator('#main-nav a[aria-current="page"]').textContent()).resolves.toBe('Factures');

    const phone = pages.get('tenant_admin phone')!;
    await phone.goto(`${service.baseUrl}/portal`);
    await settled(phone);
    await expect(phone.locator('#main-nav').isVisible()).resolves.toBe(false);
    const menu = phone.getByRole('button', { name: 'Menu' });
    for (
      let presses = 0;
      presses < 10 && !(await menu.evaluate((b) => b === document.activeElement));
      presses += 1
    )
      await phone.keyboard.press('Tab');
    await phone.keyboard.press('Enter');
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    await tabTo(phone, 'Mes factures');
    await snap(phone, 'a11y-keyboard-02-phone-menu');
    await phone.keyboard.press('Enter');
    await phone.waitForURL(`${service.baseUrl}/portal/invoices`);
    await settled(phone);
    await expect(phone.locator('#main-nav').isVisible()).resolves.toBe(false);
  });
});
