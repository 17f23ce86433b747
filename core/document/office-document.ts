import { DocumentError } from './document-error';
import type { FileType } from './file-type';
import type { OpenedDocument } from './rasterizer';

/**
 * A Word or PowerPoint file as the providers that read them get it: nothing is opened here (there is no
 * local engine for it), so its page count is unknown until the service answers. `pageBound` stands in
 * for it (the Max Pages bound): a page range is checked against it, and pages past it are dropped.
 */
export function unopenedOfficeDocument(fileType: FileType, pageBound: number): OpenedDocument {
	return {
		fileType,
		pageCount: pageBound,
		warnings: [],
		encrypted: false,
		renderPage() {
			return Promise.reject(
				new DocumentError(
					`The pages of a ${fileType.format.toUpperCase()} file cannot be rendered here`,
					'Convert the file to PDF first for this provider or node.',
				),
			);
		},
		close() {},
	};
}
