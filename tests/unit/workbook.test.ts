/**
 * The .xlsx workbook, read back with another library (read-excel-file): its figures are those of
 * `model run --json`, every sheet is there, PSA sheets hold the PSA's numbers, and a text cell that
 * would run as a formula is escaped.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import readXlsxFile from 'read-excel-file/node';
import { compileJson, createRunner, runPsa } from '$lib/engine';
import { resultRows } from '$lib/ui/resultsTable';
import { workbookBlob, workbookSheets } from '$lib/downloads/workbook';

type Sheets = { sheet: string; data: unknown[][] }[];
const dir = mkdtempSync(join(tmpdir(), 'xlsx-'));
const byHeader = (s: Sheets, name: string) => {
	const data = s.find((x) => x.sheet === name)!.data;
	const header = data[0] as string[];
	return data.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

describe('workbook', { timeout: 120_000 }, () => {
	it('model run --xlsx writes the figures of model run --json', async () => {
		const file = join(dir, 'ms.xlsx');
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', 'models/ms.json', '--json', '--xlsx', file], { encoding: 'utf8' });
		expect(r.status).toBe(0);
		const json = JSON.parse(r.stdout);
		const sheets = (await readXlsxFile(readFileSync(file))) as Sheets;
		expect(sheets.map((s) => s.sheet)).toEqual(['About', 'Inputs', 'Results', 'Incremental', 'Trace', 'Costs per cycle']);
		const results = byHeader(sheets, 'Results');
		for (const s of json.strategies) {
			const row = results.find((x) => x.strategy_id === s.id)!;
			expect(row['cost (GBP 2024, discounted)']).toBe(s.cost);
			expect(row['qalys (discounted)']).toBe(s.qaly);
			expect(row['life_years (discounted)']).toBe(s.lifeYears);
			expect(row['net_monetary_benefit (GBP 2024, wtp 20000 per QALY)']).toBe(s.netMonetaryBenefit);
		}
		const inc = byHeader(sheets, 'Incremental');
		for (const i of json.incremental) {
			const row = inc.find((x) => x.strategy_id === i.id)!;
			expect(row['icer (GBP 2024 per QALY)'] ?? null).toBe(i.icer);
			expect(row['incremental_cost (GBP 2024)'] ?? null).toBe(i.incrementalCost);
		}
		const model = JSON.parse(readFileSync('models/ms.json', 'utf8'));
		const inputs = byHeader(sheets, 'Inputs');
		expect(inputs).toHaveLength(Object.keys(model.parameters).length);
		const ocr = inputs.find((x) => x.parameter_id === 'c_ocr')!;
		// the value the model uses: the file's value converted to the model's price year (the
		// conversion itself is checked by hand in price-year.test.ts)
		expect(ocr.value_used).toBe(compileJson(readFileSync('models/ms.json', 'utf8')).model.parameters.c_ocr.value);
		expect(ocr.source).toBe(model.parameters.c_ocr.source.citation);
		// one row per strategy and time point, 0 to the horizon (64 annual cycles: age 36 to the file's horizonAge, 100)
		expect(model.horizonAge).toBe(100);
		expect(byHeader(sheets, 'Trace')).toHaveLength(model.strategies.length * (64 + 1));
		// the per-cycle discounted totals add up to the discounted cost of model run --json
		const cycles = byHeader(sheets, 'Costs per cycle').filter((x) => x.strategy_id === 'ahsct');
		const total = cycles.reduce((a, x) => a + (x['total (GBP 2024, discounted)'] as number), 0);
		expect(total).toBeCloseTo(json.strategies.find((s: { id: string }) => s.id === 'ahsct').cost, 6);
	});

	it('holds the PSA draws and results when a PSA ran, and escapes text that would run as a formula', async () => {
		const m = JSON.parse(readFileSync('models/sick-sicker-intro.json', 'utf8'));
		m.parameters[Object.keys(m.parameters)[0]].description = '=HYPERLINK("http://x")';
		const compiled = compileJson(JSON.stringify(m));
		const result = createRunner(compiled).run();
		const psa = runPsa(compiled, { iterations: 20, seed: 7 });
		const blob = await workbookBlob(workbookSheets({ model: compiled.model, result, rows: resultRows(result), options: {}, scenarioName: '+cmd', psa }));
		const sheets = (await readXlsxFile(Buffer.from(await blob.arrayBuffer()))) as Sheets;
		expect(sheets.map((s) => s.sheet)).toContain('PSA draws');
		const draws = byHeader(sheets, 'PSA draws');
		expect(draws).toHaveLength(20);
		const K = psa.parameterIds.length;
		expect(draws[4][psa.parameterIds[1]]).toBe(psa.draws[4 * K + 1]);
		const res = byHeader(sheets, 'PSA results');
		const S = psa.strategyIds.length;
		expect(res[19][`${psa.strategyIds[2]} qalys (discounted)`]).toBe(psa.qaly[19 * S + 2]);
		const inputs = byHeader(sheets, 'Inputs');
		expect(inputs[0].description).toBe('\'=HYPERLINK("http://x")');
		expect(byHeader(sheets, 'Results')[0].scenario).toBe("'+cmd");
	});
});
