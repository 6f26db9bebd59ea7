/**
 * The budget analysis on the MS model with the UK settings (models/budget/ms-uk.json), checked
 * against naive recomputations from plain cohort runs (a separate path from the budget engine).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, incrementalAnalysis, run } from '../../src/lib/engine';
import { parseBudgetSettings, runBudget, type BudgetSettingsInput } from '../../src/lib/engine/budget';

const modelText = readFileSync('models/ms.json', 'utf8');
const settings = JSON.parse(readFileSync('models/budget/ms-uk.json', 'utf8')) as BudgetSettingsInput;
const cm = compileJson(modelText);

describe('MS model, UK budget settings', () => {
	it('parses and names the MS model', () => {
		const s = parseBudgetSettings(settings);
		expect(s.modelId).toBe(cm.model.id);
	});

	it('with 100% lifelong DMT the budget is the naive sum of cohort costs', () => {
		const s = parseBudgetSettings({
			...settings,
			capacity: undefined,
			uptake: { current: { shares: { 'lifelong-dmt': [1] } }, new: { shares: { 'lifelong-dmt': [1] } }, assumption: 'test' }
		});
		const r = runBudget(cm, s, { years: 6 });
		// naive: one plain run with the life-table correction (annual cycles); a patient's cost in
		// year j since entry is the one-off start cost (j = 0) plus cycle j + 1
		const plain = run(cm, { settings: { cycleCorrection: 'life-table' } });
		const st = plain.strategies.find((x) => x.id === 'lifelong-dmt')!;
		const C = plain.categoryIds.length;
		const perPatient = (j: number) => {
			let v = 0;
			for (let c = 0; c < C; c++) v += st.cycleCostsUndiscounted[(j + 1) * C + c] + (j === 0 ? st.cycleCostsUndiscounted[c] : 0);
			return v;
		};
		const prevalent = 150000 * 0.6375 * 0.56 * 0.1;
		const incident = 7100 * 0.85 * 0.56 * 0.1;
		for (let t = 0; t < 6; t++) {
			let expected = prevalent * perPatient(t);
			for (let y = 0; y <= t; y++) expected += incident * perPatient(t - y);
			expect(r.budget.current.total[t]).toBeCloseTo(expected, 4);
			expect(r.budget.incremental[t]).toBe(0);
		}
	});

	it('upfront payment reproduces the model ICER of aHSCT versus lifelong DMT', () => {
		const r = runBudget(cm, parseBudgetSettings(settings));
		const plain = run(cm);
		const pick = (id: string) => plain.strategies.find((x) => x.id === id)!.discounted;
		const a = pick('ahsct');
		const d = pick('lifelong-dmt');
		const up = r.payment!.models.find((m) => m.id === 'upfront')!;
		expect(up.incrementalCost).toBeCloseTo(a.cost - d.cost, 6);
		expect(up.incrementalQaly).toBeCloseTo(a.qaly - d.qaly, 9);
		// and the price cap model's threshold price gives ICER = cap in an independent run
		const capped = r.payment!.models.find((m) => m.id === 'upfront')!.maxPriceAtCap!;
		const check = run(cm, { parameters: { c_ahsct_uk: (cm.model.parameters.c_ahsct_uk.value as number) + (capped - r.payment!.oneOffInModel) } });
		const rows = incrementalAnalysis(
			check.strategies
				.filter((x) => x.id === 'ahsct' || x.id === 'lifelong-dmt')
				.map((x) => ({ id: x.id, cost: x.discounted.cost, effect: x.discounted.qaly }))
		);
		expect(rows.find((x) => x.id === 'ahsct')!.icer!).toBeCloseTo(r.payment!.priceCapPerQaly, 4);
	});

	it('the failure curve rises and stays below the share ever alive', () => {
		const r = runBudget(cm, parseBudgetSettings(settings));
		const f = r.payment!.failure;
		for (let j = 1; j < f.failed.length; j++) {
			expect(f.failed[j]).toBeGreaterThanOrEqual(f.failed[j - 1] - 1e-12);
			expect(f.failed[j] + f.aliveNotFailed[j]).toBeLessThanOrEqual(1 + 1e-9);
		}
		expect(f.failed[5]).toBeGreaterThan(0);
	});

	it('capacity: aHSCT starts never exceed the slots, and the queue empties', () => {
		const r = runBudget(cm, parseBudgetSettings(settings));
		const S = r.strategyIds.length;
		const a = r.strategyIds.indexOf('ahsct');
		for (let t = 0; t < r.years; t++) expect(r.budget.new.starts[t * S + a]).toBeLessThanOrEqual(100 + 1e-9);
		expect(r.budget.new.waiting[r.years - 1]).toBeCloseTo(0, 9);
	});
});
