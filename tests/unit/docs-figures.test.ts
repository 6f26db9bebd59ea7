/**
 * Figures quoted in README.md and docs/*.md are the command line's output: each
 * `<!-- cli: ... -->` block is run again and must match. `npm run docs:figures` rewrites them.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { blocksOf, cliArgs, docFiles, outputOf, rewrite } from '../../scripts/docsFigures';

const files = docFiles();
const blocks = files.flatMap((file) => blocksOf(readFileSync(file, 'utf8')).map((b) => ({ file, ...b })));

describe('docs figures', { timeout: 300_000 }, () => {
	it('the budget impact and model format docs quote the CLI through blocks', () => {
		expect(blocks.some((b) => b.file.endsWith('budget-impact.md') && b.command.includes('budget models/ms.json'))).toBe(true);
		expect(blocks.some((b) => b.file.endsWith('model-format.md') && b.command.includes('run models/hiv-chancellor.json'))).toBe(true);
	});

	it('every block holds what its command prints today', async () => {
		const outputs = await Promise.all(blocks.map((b) => outputOf(b.command)));
		blocks.forEach((b, i) => expect(b.quoted, `${b.file}: ${b.command} (run npm run docs:figures)`).toBe(outputs[i]));
	});

	it('rewrites a block and refuses commands that are not the model CLI', () => {
		const text = 'a\n<!-- cli: npm run --silent model -- run x.json -->\n```\nold\n```\n<!-- /cli -->\nb';
		expect(rewrite(text, new Map([['npm run --silent model -- run x.json', 'new\n']]))).toBe('a\n<!-- cli: npm run --silent model -- run x.json -->\n```\nnew\n```\n<!-- /cli -->\nb');
		expect(cliArgs('npm run --silent model -- budget models/ms.json --years 10')).toEqual(['budget', 'models/ms.json', '--years', '10']);
		expect(() => cliArgs('rm -rf /')).toThrow(/runs "npm run --silent model --/);
		expect(() => cliArgs('npm run --silent model -- run x.json; rm y')).toThrow(/plain words/);
	});
});
