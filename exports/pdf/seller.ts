/**
 * The seller's identity as printed on invoices, with the day each version took effect. The
 * invoice events carry the buyer's side and every amount but not the seller's, so the seller is
 * looked up by the invoice's issue date: a change (new address, new bank) is a new entry here,
 * never an edit of an old one, and a reprint of an old invoice shows the identity of its day.
 */
export interface SellerIdentity {
  /** First calendar day (YYYY-MM-DD) this version applies to. */
  readonly validFrom: string;
  readonly legalName: string;
  /** Numéro d'identification national des entreprises et associations (Senegal). */
  readonly ninea: string;
  /** Registre du commerce et du crédit mobilier. */
  readonly tradeRegisterNumber: string;
  readonly addressLines: readonly string[];
  readonly email: string;
  readonly phone: string;
  readonly bank: { readonly name: string; readonly iban: string; readonly bic: string };
  /** The Wave / Orange Money merchant names customers pay to. */
  readonly mobileMoney: readonly string[];
  /** The page where a customer pays an invoice by Mobile Money; the invoice id is appended. */
  readonly paymentLinkBase: string;
}

export const sellerIdentities: readonly SellerIdentity[] = [
  {
    validFrom: '2024-01-01',
    legalName: 'SmartQueue SAS',
    ninea: '009876543 2V2',
    tradeRegisterNumber: 'SN-DKR-2023-B-45678',
    addressLines: ['Immeuble Fahd, Boulevard Djily Mbaye', 'BP 15000, Dakar, Sénégal'],
    email: 'facturation@smartqueue.sn',
    phone: '+221 33 800 00 00',
    bank: { name: 'Ecobank Sénégal', iban: 'SN08 SN010 01001 000123456789 12', bic: 'ECOCSNDA' },
    mobileMoney: ['Wave : SmartQueue', 'Orange Money : SmartQueue'],
    paymentLinkBase: 'https://pay.smartqueue.sn/invoices/',
  },
];

/** The identity in force on `issuedOn`: the latest version that started on or before it. */
export function sellerOn(
  issuedOn: string,
  identities: readonly SellerIdentity[] = sellerIdentities,
): SellerIdentity {
  let found: SellerIdentity | null = null;
  for (const identity of identities) {
    if (identity.validFrom <= issuedOn && (found === null || identity.validFrom > found.validFrom))
      found = identity;
  }
  if (found === null) throw new Error(`no seller identity in force on ${issuedOn}`);
  return found;
}
