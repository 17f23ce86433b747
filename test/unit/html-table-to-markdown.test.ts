import { htmlTableToMarkdown } from '../../core/text/html-table-to-markdown';

describe('htmlTableToMarkdown', () => {
	it('turns rows into a pipe table with the first row as header', () => {
		expect(
			htmlTableToMarkdown(
				'<table><tr><td>Bundesland</td><td>HE</td></tr><tr><td>Anteil</td><td>16</td></tr></table>',
			),
		).toBe('| Bundesland | HE |\n| --- | --- |\n| Anteil | 16 |');
	});

	it('repeats merged cells, decodes entities and escapes pipes', () => {
		const html =
			'<table><tr><th colspan="2">Total &amp; tax</th><th>A|B</th></tr><tr><td rowspan="2">x</td><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>';
		expect(htmlTableToMarkdown(html)).toBe(
			'| Total & tax | Total & tax | A\\|B |\n| --- | --- | --- |\n| x | 1 | 2 |\n| x | 3 | 4 |',
		);
	});
});
