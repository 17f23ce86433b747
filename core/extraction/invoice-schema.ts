/**
 * The Invoice preset for structured extraction: the fields accounting steps need, as a JSON schema a
 * provider fills from the document. Amounts are numbers in the invoice currency; dates ISO 8601.
 */
export const INVOICE_SCHEMA: Record<string, unknown> = {
	type: 'object',
	title: 'Invoice',
	additionalProperties: false,
	properties: {
		supplierName: { type: 'string', description: 'Company that issued the invoice' },
		supplierVatNumber: { type: ['string', 'null'], description: 'VAT or tax id of the supplier' },
		customerName: { type: ['string', 'null'], description: 'Company or person billed' },
		customerVatNumber: { type: ['string', 'null'], description: 'VAT or tax id of the customer' },
		invoiceNumber: { type: 'string' },
		invoiceDate: { type: ['string', 'null'], description: 'Issue date, YYYY-MM-DD' },
		dueDate: { type: ['string', 'null'], description: 'Payment due date, YYYY-MM-DD' },
		currency: { type: ['string', 'null'], description: 'ISO 4217 code, e.g. EUR' },
		netAmount: { type: ['number', 'null'], description: 'Total before tax' },
		taxAmount: { type: ['number', 'null'], description: 'Total tax' },
		totalAmount: { type: ['number', 'null'], description: 'Total to pay, tax included' },
		iban: { type: ['string', 'null'], description: 'IBAN to pay to, without spaces' },
		lineItems: {
			type: 'array',
			items: {
				type: 'object',
				additionalProperties: false,
				properties: {
					description: { type: 'string' },
					quantity: { type: ['number', 'null'] },
					unitPrice: { type: ['number', 'null'] },
					amount: { type: ['number', 'null'], description: 'Line total before tax' },
				},
				required: ['description', 'quantity', 'unitPrice', 'amount'],
			},
		},
	},
	required: [
		'supplierName',
		'supplierVatNumber',
		'customerName',
		'customerVatNumber',
		'invoiceNumber',
		'invoiceDate',
		'dueDate',
		'currency',
		'netAmount',
		'taxAmount',
		'totalAmount',
		'iban',
		'lineItems',
	],
};
