export { currencyCode, findAmounts, parseAmount, type AmountToken } from './amounts';
export { findDates, monthNumber, parseDate, type DateToken } from './dates';
export {
	findIbans,
	findVatNumbers,
	isValidIban,
	isValidVatNumber,
	type IdentifierToken,
} from './identifiers';
export { INVOICE_FIELDS, readInvoiceFields, type InvoiceField } from './read-invoice-fields';
