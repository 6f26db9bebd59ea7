/** The comparison CSV is one tidy table: one header, one row per scenario and figure. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { compileJson, createRunner } from '$lib/engine';
import { resultRows } from '$lib/ui/resultsTable';
import { compareCsv, COMPARISON_FIELDS } from '$lib/downloads/compareCsv';
import type { RunOutcome } from '$lib/state/session.svelte';
import type { InputDifference } from '$lib/state/compare';

const compiled = compileJson(readFileSync('models/sick-sicker-intro.json', 'utf8'));
const runner = createRunner(compiled);
const outcome = (parameters: Record<string, number>): RunOutcome => {
	const result = runner.run({ parameters });
	return { ok: true, result, rows: resultRows(result) };
};

describe('comparison CSV', () => {
	const id = Object.keys(compiled.model.parameters).find((k) => compiled.model.parameters[k].kind === 'cost')!;
	const base = compiled.model.parameters[id].value as number;
	const scenarios = [
		{ name: 'A', inputs: { modelId: compiled.model.id, parameters: {}, settings: {} } },
		{ name: '=B', inputs: { modelId: compiled.model.id, parameters: { [id]: base * 2 }, settings: {} } }
	];
	const diffs: InputDifference[] = [{ key: `parameters.${id}`, label: 'a cost', unit: 'GBP', values: [base, base * 2, base], differs: true }];
	const outcomes = [outcome({}), outcome({ [id]: base * 2 }), { ok: false, issues: [{ path: 'x', code: 'not-finite', message: 'broke' }] } as RunOutcome];
	const text = compareCsv([...scenarios, { name: 'C', inputs: scenarios[0].inputs }], diffs, outcomes);

	it('has one header and no second section', () => {
		const lines = text.trim().split('\n');
		expect(lines[0]).toBe(COMPARISON_FIELDS.join(','));
		expect(lines.filter((l) => l.startsWith('scenario,'))).toHaveLength(1);
		expect(text.trim()).not.toMatch(/\n\s*\n/);
	});

	it('holds each input value, each result and an error, by scenario', () => {
		const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
		const inputs = rows.filter((r) => r.section === 'input');
		expect(inputs.map((r) => [r.scenario, Number(r.value), r.differs])).toEqual([['A', base, 'yes'], ["'=B", base * 2, 'yes'], ['C', base, 'yes']]);
		const strategies = compiled.model.strategies.length;
		// six measures per strategy for each scenario that ran, one error row for the one that did not
		expect(rows.filter((r) => r.section === 'result' && r.scenario === 'A')).toHaveLength(6 * strategies);
		expect(rows.find((r) => r.scenario === 'C')).toMatchObject({ section: 'input' });
		expect(rows.find((r) => r.scenario === 'C' && r.section === 'result')).toMatchObject({ measure: 'error', value: 'broke' });
		const sA = (outcomes[0] as Extract<RunOutcome, { ok: true }>).result.strategies[1];
		const cost = rows.find((r) => r.scenario === 'A' && r.item === sA.id && r.measure === 'cost')!;
		expect(Number(cost.value)).toBe(sA.discounted.cost);
		expect(cost.unit).toContain('prices, discounted');
	});
});
