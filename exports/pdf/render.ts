import { createRequire } from 'node:module';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatMoney, fromMoneyJson, type MoneyJson } from '../../domain/money/index.ts';
import type { CreditNoteDocument, DocumentLine, InvoiceDocument, Language, Party } from './document.ts';
import type { SellerIdentity } from './seller.ts';

/**
 * Renders invoice and credit-note documents with pdfmake 0.2 on the server. The PDF standard
 * fonts (Helvetica) need no font files and cover French accents; amounts use ASCII spaces because
 * those fonts have no narrow no-break space. The creation date is the event's recording time, so
 * the same events always give the same bytes.
 */
const require = createRequire(import.meta.url);
interface Printer {
  createPdfKitDocument(definition: TDocumentDefinitions): NodeJS.ReadableStream & { end(): void };
}
const PdfPrinter = require('pdfmake/src/printer') as new (
  fonts: Record<string, Record<string, string>>,
) => Printer;

const printer = new PdfPrinter({
  Helvetica: {
    normal: 'Helvetica',
    bold: 'Helvetica-Bold',
    italics: 'Helvetica-Oblique',
    bolditalics: 'Helvetica-BoldOblique',
  },
});

const labels = {
  fr: {
    invoice: 'FACTURE',
    creditNote: 'AVOIR',
    number: 'Numéro',
    issuedOn: "Date d'émission",
    dueOn: "Date d'échéance",
    seller: 'Émetteur',
    buyer: 'Client',
    ninea: 'NINEA',
    taxId: 'Identifiant fiscal',
    rccm: 'RCCM',
    description: 'Désignation',
    period: 'Période',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire HT',
    amount: 'Montant HT',
    discount: 'Remise',
    subtotal: 'Total HT',
    tax: 'TVA',
    total: 'Total TTC',
    amountDue: 'Montant à payer',
    paymentInstructions: 'Modalités de paiement',
    bankTransfer: 'Virement bancaire',
    mobileMoney: 'Mobile Money',
    payOnline: 'Payer en ligne (Wave, Orange Money)',
    invoiceRef: 'Facture concernée',
    reason: 'Motif',
    net: 'Montant HT crédité',
    toBalance: 'Porté au crédit de votre compte',
    from: 'du',
    to: 'au',
  },
  en: {
    invoice: 'INVOICE',
    creditNote: 'CREDIT NOTE',
    number: 'Number',
    issuedOn: 'Issue date',
    dueOn: 'Due date',
    seller: 'From',
    buyer: 'Bill to',
    ninea: 'NINEA',
    taxId: 'Tax id',
    rccm: 'Trade register',
    description: 'Description',
    period: 'Period',
    quantity: 'Qty',
    unitPrice: 'Unit price excl. VAT',
    amount: 'Amount excl. VAT',
    discount: 'Discount',
    subtotal: 'Subtotal',
    tax: 'VAT',
    total: 'Total incl. VAT',
    amountDue: 'Amount due',
    paymentInstructions: 'How to pay',
    bankTransfer: 'Bank transfer',
    mobileMoney: 'Mobile Money',
    payOnline: 'Pay online (Wave, Orange Money)',
    invoiceRef: 'Invoice',
    reason: 'Reason',
    net: 'Amount credited excl. VAT',
    toBalance: 'Credited to your account balance',
    from: 'from',
    to: 'to',
  },
} as const satisfies Record<Language, Record<string, string>>;

type Labels = (typeof labels)[Language];

function money(amount: MoneyJson, language: Language): string {
  return formatMoney(fromMoneyJson(amount), language, { spaces: 'ascii' });
}

/** Calendar dates as the reader's language writes them, without any time zone arithmetic. */
function date(day: string, language: Language): string {
  const [year, month, dayOfMonth] = day.split('-');
  return language === 'fr' ? `${dayOfMonth}/${month}/${year}` : `${year}-${month}-${dayOfMonth}`;
}

function quantity(value: string, language: Language): string {
  return language === 'fr' ? value.replace('.', ',') : value;
}

function rate(percent: string, language: Language): string {
  return `${quantity(percent, language)} %`;
}

function sellerBlock(seller: SellerIdentity, l: Labels): Content {
  return {
    stack: [
      { text: l.seller, style: 'label' },
      { text: seller.legalName, bold: true },
      ...seller.addressLines.map((line) => ({ text: line })),
      { text: `${l.ninea} : ${seller.ninea}` },
      { text: `${l.rccm} : ${seller.tradeRegisterNumber}` },
      { text: `${seller.email} · ${seller.phone}` },
    ],
  };
}

function buyerBlock(buyer: Party, l: Labels): Content {
  return {
    stack: [
      { text: l.buyer, style: 'label' },
      { text: buyer.legalName, bold: true },
      ...buyer.addressLines.map((line) => ({ text: line })),
      { text: `${l.taxId} : ${buyer.taxId}` },
      { text: `${l.rccm} : ${buyer.tradeRegisterNumber}` },
      { text: buyer.email },
    ],
  };
}

function header(title: string, rows: [string, string][]): Content {
  return {
    columns: [
      { text: title, style: 'title' },
      {
        width: 'auto',
        table: {
          body: rows.map(([k, v]) => [
            { text: k, style: 'label' },
            { text: v, bold: true },
          ]),
        },
        layout: 'noBorders',
      },
    ],
    margin: [0, 0, 0, 16],
  };
}

function lineRow(line: DocumentLine, language: Language, l: Labels): TableCell[] {
  const period =
    line.period === null
      ? ''
      : `\n${l.period} ${l.from} ${date(line.period.from, language)} ${l.to} ${date(line.period.to, language)}`;
  const description = line.kind === 'discount' ? `${l.discount} : ${line.description}` : line.description;
  return [
    { text: `${description}${period}` },
    { text: quantity(line.quantity, language), alignment: 'right' },
    { text: money(line.unitPrice, language), alignment: 'right' },
    { text: money(line.amount, language), alignment: 'right' },
  ];
}

function totals(rows: [string, string, boolean?][]): Content {
  return {
    columns: [
      { text: '', width: '*' },
      {
        width: 'auto',
        table: {
          body: rows.map(([k, v, strong]) => [
            { text: k, bold: strong === true },
            { text: v, alignment: 'right', bold: strong === true },
          ]),
        },
        layout: 'lightHorizontalLines',
      },
    ],
    margin: [0, 12, 0, 12],
  };
}

const styles = {
  title: { fontSize: 20, bold: true },
  label: { fontSize: 8, color: '#555555' },
  tableHeader: { bold: true, fontSize: 9 },
};

function definition(title: string, created: string, content: Content[]): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 50],
    defaultStyle: { font: 'Helvetica', fontSize: 9 },
    styles,
    info: {
      title,
      author: 'SmartQueue Ledger',
      creator: 'SmartQueue Ledger',
      producer: 'SmartQueue Ledger',
      creationDate: new Date(created),
      modDate: new Date(created),
    } as TDocumentDefinitions['info'],
    content,
  };
}

export function invoiceDefinition(doc: InvoiceDocument): TDocumentDefinitions {
  const l = labels[doc.language];
  const lang = doc.language;
  const taxLine: [string, string] =
    doc.taxExemptionMention === null
      ? [`${l.tax} ${rate(doc.taxRatePercent, lang)}`, money(doc.tax, lang)]
      : [`${l.tax} (${doc.taxExemptionMention})`, money(doc.tax, lang)];
  return definition(`${l.invoice} ${doc.number}`, doc.recordedAt, [
    header(l.invoice, [
      [l.number, doc.number],
      [l.issuedOn, date(doc.issuedOn, lang)],
      [l.dueOn, date(doc.dueOn, lang)],
    ]),
    { columns: [sellerBlock(doc.seller, l), buyerBlock(doc.buyer, l)], margin: [0, 0, 0, 16] },
    {
      table: {
        headerRows: 1,
        widths: ['*', 'auto', 'auto', 'auto'],
        body: [
          [l.description, l.quantity, l.unitPrice, l.amount].map((text) => ({ text, style: 'tableHeader' })),
          ...doc.lines.map((line) => lineRow(line, lang, l)),
        ],
      },
      layout: 'lightHorizontalLines',
    },
    totals([
      [l.subtotal, money(doc.subtotal, lang)],
      taxLine,
      [l.total, money(doc.total, lang), true],
      [l.amountDue, money(doc.amountDue, lang), true],
    ]),
    { text: l.paymentInstructions, bold: true, margin: [0, 8, 0, 4] },
    {
      ul: [
        `${l.bankTransfer} : ${doc.seller.bank.name}, IBAN ${doc.seller.bank.iban}, BIC ${doc.seller.bank.bic} (${l.number} ${doc.number})`,
        `${l.mobileMoney} : ${doc.seller.mobileMoney.join(' · ')}`,
        { text: [`${l.payOnline} : `, { text: doc.paymentLink, link: doc.paymentLink, color: '#1a56db' }] },
      ],
    },
  ]);
}

export function creditNoteDefinition(doc: CreditNoteDocument): TDocumentDefinitions {
  const l = labels[doc.language];
  const lang = doc.language;
  return definition(`${l.creditNote} ${doc.number}`, doc.recordedAt, [
    header(l.creditNote, [
      [l.number, doc.number],
      [l.issuedOn, date(doc.issuedOn, lang)],
      [l.invoiceRef, doc.invoiceNumber],
    ]),
    { columns: [sellerBlock(doc.seller, l), buyerBlock(doc.buyer, l)], margin: [0, 0, 0, 16] },
    { text: `${l.reason} : ${doc.reason}`, margin: [0, 0, 0, 8] },
    totals([
      [l.net, money(doc.net, lang)],
      [`${l.tax} ${rate(doc.taxRatePercent, lang)}`, money(doc.tax, lang)],
      [l.total, money(doc.total, lang), true],
      [l.toBalance, money(doc.toCustomerBalance, lang)],
    ]),
  ]);
}

export function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const document = printer.createPdfKitDocument(definition);
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
    document.end();
  });
}
