import type { BBox, PageDimensions } from './model';

/** Four decimals: enough for shares of a page, short in JSON. */
export const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/** A size for messages: `12.3 MB`. */
export const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** `data:` URL of some bytes, the form vision and OCR APIs take inline files in. */
export const dataUrl = (mimeType: string, bytes: Buffer) =>
	`data:${mimeType};base64,${bytes.toString('base64')}`;

/** A pixel box as shares of the page's width and height (0–1), or null without a box or a page size. */
export function normalizeBox(
	bbox: BBox | null,
	dimensions: PageDimensions | null,
): [number, number, number, number] | null {
	if (!bbox || !dimensions || dimensions.width <= 0 || dimensions.height <= 0) return null;
	return [
		round4(bbox[0] / dimensions.width),
		round4(bbox[1] / dimensions.height),
		round4(bbox[2] / dimensions.width),
		round4(bbox[3] / dimensions.height),
	];
}
