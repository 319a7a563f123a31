import type { Locale } from '../format.ts';
import { type MessageKey, type MessageParams, translate, translateDynamic } from './messages.ts';

const storageKey = 'ledger.locale';

/** The reader's language: French unless they chose English (kept in this browser). */
export const i18n = $state<{ locale: Locale }>({ locale: 'fr' });

export function restoreLocale(): void {
  if (typeof localStorage === 'undefined') return;
  const saved = localStorage.getItem(storageKey);
  if (saved === 'fr' || saved === 'en') setLocale(saved);
}

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  if (typeof localStorage !== 'undefined') localStorage.setItem(storageKey, locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** Reads `i18n.locale`, so markup that calls it re-renders when the language changes. */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(i18n.locale, key, params);
}

/** `td('status', 'paid')`: a message for a value the API sends, or the value itself. */
export function td(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return translateDynamic(i18n.locale, `${prefix}.${value}`, value);
}
