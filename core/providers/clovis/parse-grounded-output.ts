/**
 * DeepSeek-OCR's grounded output, in both forms it reaches us:
 * raw      `<|ref|>label<|/ref|><|det|>[[x0, y0, x1, y1], …]<|/det|>\ncontent`
 * stripped `label[[x0, y0, x1, y1], …]\ncontent` (an OpenAI server with skip_special_tokens on deletes the tags).
 * Coordinates are 0–999, relative to the image that was sent.
 */

export type NormalizedBox = [x0: number, y0: number, x1: number, y1: number];

export interface GroundedBlock {
	label: string;
	boxes: NormalizedBox[];
	content: string;
}

export interface GroundedOutput {
	blocks: GroundedBlock[];
	/** Output cut short (max tokens): the dangling last tag was dropped. */
	truncated: boolean;
}

const RAW_HEADER = /<\|ref\|>([\s\S]*?)<\|\/ref\|><\|det\|>(\[\[[\d\s,[\]]*\]\])<\|\/det\|>/g;
const STRIPPED_HEADER =
	/^([^\n[]{1,64}?)\[\[(\d+,\s*\d+,\s*\d+,\s*\d+(?:\],\s*\[\d+,\s*\d+,\s*\d+,\s*\d+)*)\]\]/gm;
/** What generation cut at max_tokens leaves after the last complete header: a tag or box list never closed. */
const DANGLING = /<\|(?:ref|\/ref|det|\/det)\|>|<\|?[a-z/]*\|?$|^[^\n[]{1,64}?\[\[[\d,\s[\]]*$/m;

interface Header {
	start: number;
	end: number;
	label: string;
	boxes: NormalizedBox[];
}

function parseBoxes(list: string): NormalizedBox[] {
	const numbers = list.match(/\d+/g)?.map(Number) ?? [];
	const boxes: NormalizedBox[] = [];
	for (let index = 0; index + 3 < numbers.length; index += 4) {
		boxes.push([numbers[index], numbers[index + 1], numbers[index + 2], numbers[index + 3]]);
	}
	return boxes;
}

function findHeaders(text: string): Header[] {
	const raw = [...text.matchAll(RAW_HEADER)].map((match) => ({
		start: match.index ?? 0,
		end: (match.index ?? 0) + match[0].length,
		label: match[1].trim(),
		boxes: parseBoxes(match[2]),
	}));
	if (raw.length) return raw;
	return [...text.matchAll(STRIPPED_HEADER)].map((match) => ({
		start: match.index ?? 0,
		end: (match.index ?? 0) + match[0].length,
		label: match[1].trim(),
		boxes: parseBoxes(match[2]),
	}));
}

/** `&amp;gt;` → `&gt;`: some outputs escape table entities twice. */
function undoDoubleEscaping(text: string): string {
	return text.replace(/&amp;(lt|gt|amp|quot|#39|nbsp);/g, '&$1;');
}

export function parseGroundedOutput(text: string, finishReason?: string | null): GroundedOutput {
	let body = text.replace(/<｜end▁of▁sentence｜>\s*$/, '');
	let truncated = finishReason === 'length';
	const complete = findHeaders(body);
	const tailStart = complete.length ? complete[complete.length - 1].end : 0;
	const dangling = DANGLING.exec(body.slice(tailStart));
	if (dangling) {
		body = body.slice(0, tailStart + dangling.index);
		truncated = true;
	}
	const headers = findHeaders(body);
	const blocks: GroundedBlock[] = headers.map((header, index) => ({
		label: header.label,
		boxes: header.boxes,
		content: undoDoubleEscaping(
			body.slice(header.end, headers[index + 1]?.start ?? body.length).trim(),
		),
	}));
	// Text before the first tag (or a reply with no tags at all, e.g. Free OCR) is one untyped block.
	const lead = body.slice(0, headers[0]?.start ?? body.length).trim();
	if (lead) blocks.unshift({ label: 'text', boxes: [], content: undoDoubleEscaping(lead) });

	// A table is often followed by its caption, with the table's HTML after the caption text.
	for (let index = 1; index < blocks.length; index++) {
		const previous = blocks[index - 1];
		const block = blocks[index];
		const html = /<table[\s\S]*<\/table>/i.exec(block.content);
		if (previous.label === 'table' && !previous.content && /caption/.test(block.label) && html) {
			previous.content = html[0];
			block.content = (
				block.content.slice(0, html.index) + block.content.slice(html.index + html[0].length)
			).trim();
		}
	}
	return { blocks, truncated };
}
