import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, run } from '../../src/lib/engine';
import { resultRows } from '../../src/lib/ui/resultsTable';
import { resultsCsv, traceCsv, cycleCostsCsv, parseCsv } from '../../src/lib/downloads/csv';
import { fileName } from '../../src/lib/downloads/fileName';

const model = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));
const result = run(compile(model));
const rows = resultRows(result);

describe('CSV downloads', () => {
	it('results CSV: one row per strategy, full-precision figures, units in the headers', () => {
		const parsed = parseCsv(resultsCsv(result, rows, 'Base, "quoted"'));
		expect(parsed).toHaveLength(2);
		const costCol = Object.keys(parsed[0]).find((k) => k.startsWith('cost ('));
		expect(costCol).toBe('cost (GBP 1995, discounted)');
		for (const s of result.strategies) {
			const r = parsed.find((p) => p.strategy_id === s.id)!;
			expect(r.scenario).toBe('Base, "quoted"');
			expect(r[costCol!]).toBe(s.discounted.cost);
			expect(r['qalys (discounted)']).toBe(s.discounted.qaly);
		}
		// the published Chancellor/Briggs figures (Briggs, Claxton & Sculpher 2006, ch. 2): ICER about GBP 6,276 per life year
		const icer = parsed.find((p) => p.strategy_id === 'comb')![Object.keys(parsed[0]).find((k) => k.startsWith('icer'))!] as number;
		expect(icer).toBeGreaterThan(6200);
		expect(icer).toBeLessThan(6350);
	});

	it('trace CSV: shares per time point sum to 1; cycle costs sum to the discounted total', () => {
		const trace = parseCsv(traceCsv(result));
		expect(trace).toHaveLength(2 * (result.settings.horizon + 1));
		for (const row of trace) {
			const shares = Object.entries(row).filter(([k]) => k.includes('share')).map(([, v]) => v as number);
			expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
		}
		const cycles = parseCsv(cycleCostsCsv(result));
		for (const s of result.strategies) {
			const total = cycles.filter((r) => r.strategy_id === s.id).reduce((a, r) => a + (r['total (GBP 1995, discounted)'] as number), 0);
			expect(total).toBeCloseTo(s.discounted.cost, 6);
		}
	});

	it('file names say model, scenario and date', () => {
		expect(fileName('ms', 'DMT price −20% / UK', 'results', 'csv', new Date('2026-11-27T12:00:00Z'))).toBe('ms_dmt-price-20-uk_2026-11-27_results.csv');
	});
});
