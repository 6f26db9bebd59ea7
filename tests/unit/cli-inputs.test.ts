/** `model inputs`: the evidence tables the MS docs quote hold every parameter of the file once, as written. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { inputTables } from '../../src/cli/inputs';
import { compileJson } from '../../src/lib/engine';

describe('model inputs', () => {
	const text = readFileSync('models/ms.json', 'utf8');
	const model = JSON.parse(text);
	const out = inputTables(compileJson(text).written);
	const subgroupIds: string[] = (model.subgroups ?? []).map((g: { id: string }) => g.id);
	const isSubgroupRow = (l: string) => subgroupIds.some((id) => l.startsWith(`| \`${id}\` `));
	const rows = out.split('\n').filter((l) => l.startsWith('| `') && !isSubgroupRow(l));

	it('one row per parameter, plain ones with their value as written and derived ones with their expression', () => {
		const ids = Object.keys(model.parameters);
		expect(rows).toHaveLength(ids.length);
		for (const id of ids) {
			const row = rows.filter((r) => r.startsWith(`| \`${id}\` `));
			expect(row, id).toHaveLength(1);
			const p = model.parameters[id];
			if (p.expression === undefined) expect(row[0].split(' | ')[1], id).toBe(String(p.value));
			else expect(row[0]).toContain('`');
		}
	});

	it('one row per subgroup, with its weight, its values and whether the weight has a source', () => {
		const lines = out.split('\n').filter(isSubgroupRow);
		expect(lines).toHaveLength(subgroupIds.length);
		for (const g of model.subgroups) {
			const cells = lines.find((l) => l.startsWith(`| \`${g.id}\` `))!.split(' | ');
			expect(cells[1]).toBe(String(g.weight));
			expect(cells[2]).toContain(`startAge = ${g.settings.startAge}`);
			expect(cells[3]).toBe(g.source ? 'verified' : 'assumption');
		}
	});

	it('a cost shows its currency and price year, and the status follows the source', () => {
		const ocr = rows.find((r) => r.startsWith('| `c_ocr` '))!;
		expect(ocr).toContain(`| ${model.parameters.c_ocr.currency} ${model.parameters.c_ocr.priceYear} |`);
		expect(ocr).toContain('| verified |');
		const assumed = rows.find((r) => r.startsWith('| `c_hesc` '))!;
		expect(assumed).toContain('(assumed)');
		expect(assumed).toContain('| assumption |');
		const plain = Object.values(model.parameters as Record<string, { expression?: string; source?: unknown }>).filter((p) => p.expression === undefined);
		expect(out).toContain(`Of ${plain.length} plain parameters, ${plain.filter((p) => p.source).length} cite a source`);
	});
});
