/**
 * ISO 4217 currencies the ledger may hold, with the number of minor-unit digits the standard gives
 * each one. The table is closed on purpose: an amount in a currency we have not listed is refused at
 * the edge rather than guessed at, and adding a row is a reviewed change.
 *
 * Source: ISO 4217 list one (minor unit column). Currencies whose everyday use differs from the
 * standard (the Mauritanian ouguiya's khoums) follow the standard, because that is what payment
 * providers and accounting exports use.
 */
export const minorUnitDigitsByCurrency = {
  // CFA francs and other zero-decimal African currencies: the tenants' home currencies.
  XOF: 0,
  XAF: 0,
  GNF: 0,
  KMF: 0,
  RWF: 0,
  BIF: 0,
  DJF: 0,
  UGX: 0,
  XPF: 0,
  JPY: 0,
  KRW: 0,
  // Two-decimal currencies.
  EUR: 2,
  USD: 2,
  GBP: 2,
  CHF: 2,
  CAD: 2,
  CNY: 2,
  MAD: 2,
  DZD: 2,
  EGP: 2,
  NGN: 2,
  GHS: 2,
  KES: 2,
  TZS: 2,
  ZAR: 2,
  CDF: 2,
  CVE: 2,
  GMD: 2,
  LRD: 2,
  SLE: 2,
  MRU: 2,
  // Three-decimal currencies.
  TND: 3,
  LYD: 3,
  BHD: 3,
  KWD: 3,
  JOD: 3,
  OMR: 3,
  IQD: 3,
} as const;

export type CurrencyCode = keyof typeof minorUnitDigitsByCurrency;

export const currencyCodes = Object.keys(minorUnitDigitsByCurrency) as CurrencyCode[];

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(minorUnitDigitsByCurrency, value);
}

/** How many decimal digits the currency's minor unit has (XOF 0, EUR 2, TND 3). */
export function minorUnitDigits(currency: CurrencyCode): number {
  return minorUnitDigitsByCurrency[currency];
}

/** How many minor units make one major unit (XOF 1n, EUR 100n, TND 1000n). */
export function minorUnitsPerMajor(currency: CurrencyCode): bigint {
  return 10n ** BigInt(minorUnitDigitsByCurrency[currency]);
}
