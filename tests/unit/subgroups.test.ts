// Subgroups, the value of heterogeneity and horizons given to an age (issue 19, item 1).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, compileJson, mergeSettings, horizonToAge, run, runPsa, subgroupAnalysis, subgroupOptions, subgroupPsa, valueOfHeterogeneity, ModelError, wtpRange, type ModelInput } from '../../src/lib/engine';

/**
 * One live state, one cycle, values counted at the start of the cycle, no discounting: each
 * strategy's QALYs are its utility and its cost is its cost per cycle, so every figure below
 * is worked by hand.
 */
function twoGroupModel(over: Partial<ModelInput> = {}): ModelInput {
	const param = (value: number, kind: 'cost' | 'utility') => ({
		value,
		kind,
		unit: kind === 'cost' ? 'GBP per year' : 'QALY weight',
		description: `test ${kind}`,
		group: 'test',
		assumption: 'test value',
		...(kind === 'cost' ? { currency: 'GBP', priceYear: 2024 } : {})
	});
	return {
		formatVersion: 1,
		id: 'two-groups',
		title: 'Two subgroups',
		description: 'test',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 1,
		startAge: 40,
		discountRates: { costs: 0, outcomes: 0 },
		cycleCorrection: 'start',
		willingnessToPay: 20000,
		costCategories: [{ id: 'all', label: 'All' }],
		parameters: { cA: param(1000, 'cost'), uA: param(0.5, 'utility'), cB: param(5000, 'cost'), uB: param(0.8, 'utility') },
		states: [
			{ id: 'well', label: 'Well' },
			{ id: 'dead', label: 'Dead', dead: true }
		],
		strategies: (['A', 'B'] as const).map((s) => ({
			id: s,
			label: `Strategy ${s}`,
			start: { well: 1 },
			transitions: { well: { well: 1 }, dead: { dead: 1 } },
			stateValues: { well: { costs: { all: `c${s}` }, utility: `u${s}` } }
		})),
		subgroups: [
			{ id: 'young', label: 'Young', weight: 0.6, assumption: 'test share', parameters: { uB: 0.8 } },
			{ id: 'old', label: 'Old', weight: 0.4, assumption: 'test share', parameters: { uB: 0.6 } }
		],
		...over
	} as ModelInput;
}

function issuesOf(f: () => unknown): { path: string; message: string }[] {
	try {
		f();
	} catch (e) {
		if (e instanceof ModelError) return e.issues;
		throw e;
	}
	throw new Error('expected a ModelError');
}

describe('value of heterogeneity (Espinoza et al. 2014) on a two-subgroup case worked by hand', () => {
	// At GBP 20,000 per QALY: NB = 20000 x QALYs - cost.
	//   young (w 0.6): A 20000 x 0.5 - 1000 = 9000; B 20000 x 0.8 - 5000 = 11000 -> B
	//   old   (w 0.4): A 9000;                      B 20000 x 0.6 - 5000 = 7000  -> A
	// individualised = 0.6 x 11000 + 0.4 x 9000 = 10200
	// one for all: A 0.6 x 9000 + 0.4 x 9000 = 9000; B 0.6 x 11000 + 0.4 x 7000 = 9400 -> B
	// value of heterogeneity = 10200 - 9400 = 800 per person
	it('from the model run per subgroup', () => {
		const a = subgroupAnalysis(compile(twoGroupModel()));
		expect(a.heterogeneity.individualised).toBeCloseTo(10200, 8);
		expect(a.heterogeneity.oneForAll).toBeCloseTo(9400, 8);
		expect(a.heterogeneity.value).toBeCloseTo(800, 8);
		expect(a.heterogeneity.oneForAllStrategy).toBe('B');
		expect(a.heterogeneity.bestBySubgroup).toEqual({ young: 'B', old: 'A' });
		// weighted totals: B costs 5000 in both; its QALYs 0.6 x 0.8 + 0.4 x 0.6 = 0.72
		const b = a.population.strategies.find((s) => s.id === 'B')!;
		expect(b.cost).toBeCloseTo(5000, 8);
		expect(b.qaly).toBeCloseTo(0.72, 12);
		expect(a.population.best).toEqual(['B']);
		expect(a.subgroups.map((g) => g.best)).toEqual([['B'], ['A']]);
		// incremental analysis on the weighted totals: B vs A, 4000 / 0.22 per QALY
		const inc = a.population.incremental.find((r) => r.id === 'B')!;
		expect(inc.icer).toBeCloseTo(4000 / 0.22, 6);
		// in the old subgroup B is 4000 dearer for 0.1 QALY: 40,000 per QALY
		expect(a.subgroups[1].pairwise.find((r) => r.id === 'B')?.icer ?? NaN).toBeCloseTo(40000, 6);
	});

	it('is zero when one strategy is best in every subgroup', () => {
		const v = valueOfHeterogeneity([0.5, 0.5], [[1, 3], [2, 5]], ['A', 'B'], ['x', 'y']);
		expect(v.value).toBe(0);
		expect(v.oneForAllStrategy).toBe('B');
	});

	it('with a PSA of fixed parameters equals the deterministic value, with no EVPI', () => {
		const p = subgroupPsa(compile(twoGroupModel()), { iterations: 20, seed: 3, wtp: wtpRange(0, 50000, 10000) });
		expect(p.heterogeneity.value).toBeCloseTo(800, 8);
		expect(p.evpiStratified).toBe(0);
		expect(p.population.evpi).toBe(0);
		// the population's CEAC at 20,000 (index 2): B in every iteration
		expect(p.population.ceac.probability[1][2]).toBe(1);
		expect(p.subgroups[1].ceac.probability[0][2]).toBe(1);
	});
});

describe('subgroups in the model file: bad input names the field', () => {
	it('an unknown parameter', () => {
		const m = twoGroupModel();
		m.subgroups![0].parameters = { nothing: 1 };
		expect(issuesOf(() => compile(m)).map((i) => i.path)).toContain('subgroups.young.parameters.nothing');
	});
	it('a value the parameter kind refuses', () => {
		const m = twoGroupModel();
		m.subgroups![1].parameters = { uB: 1.5 };
		const found = issuesOf(() => compile(m)).find((i) => i.path === 'subgroups.old.parameters.uB');
		expect(found?.message).toMatch(/utility/i);
	});
	it('weights not summing to 1', () => {
		const m = twoGroupModel();
		m.subgroups![1].weight = 0.5;
		const found = issuesOf(() => compile(m)).find((i) => i.path === 'subgroups');
		expect(found?.message).toMatch(/sum to 1\.1, not 1/);
	});
	it('weights summing to 1 within 1e-9 are accepted', () => {
		const m = twoGroupModel();
		m.subgroups = [0.1, 0.2, 0.7].map((w, k) => ({ id: `g${k}`, label: `G${k}`, weight: w, assumption: 'test' }));
		expect(() => compile(m)).not.toThrow(); // 0.1 + 0.2 + 0.7 is 0.9999999999999999 in floating point
	});
	it('an unknown setting', () => {
		const m = twoGroupModel();
		(m.subgroups![0] as { settings?: unknown }).settings = { discountRates: { costs: 0, outcomes: 0 } };
		expect(issuesOf(() => compile(m)).map((i) => i.path)).toEqual(['subgroups.young.settings.discountRates']);
	});
	it('a weight with neither source nor assumption', () => {
		const m = twoGroupModel();
		delete m.subgroups![0].assumption;
		expect(issuesOf(() => compile(m)).map((i) => i.path)).toContain('subgroups.young.weight');
	});
	it('a weight above 1 in the schema is named by the subgroup id too', () => {
		const m = twoGroupModel();
		m.subgroups![1].weight = 1.5;
		expect(issuesOf(() => compile(m)).map((i) => i.path)).toEqual(['subgroups.old.weight']);
	});
	it('a model without subgroups asked for them', () => {
		const m = twoGroupModel({ subgroups: undefined });
		expect(issuesOf(() => subgroupAnalysis(compile(m))).map((i) => i.path)).toEqual(['subgroups']);
	});
});

describe('horizon to an age', () => {
	it('gives ceil((horizonAge - startAge) / cycleLength) cycles', () => {
		expect(horizonToAge(100, 36, 1)).toBe(64);
		expect(horizonToAge(100, 25, 1)).toBe(75);
		expect(horizonToAge(100, 29.1, 1)).toBe(71); // 70.9 cycles: the last ends at 100.1
		expect(horizonToAge(100, 36, 1 / 12)).toBe(768); // (100 - 36) x 12, not 769 from rounding
		expect(horizonToAge(90, 40, 0.5)).toBe(100);
	});
	it('a run with another start age runs to the same age', () => {
		const cm = compile(twoGroupModel({ horizon: undefined, horizonAge: 50, cycleCorrection: 'end' }));
		expect(cm.settings.horizon).toBe(10);
		const r = run(cm, { settings: { startAge: 25 } });
		expect(r.settings.horizon).toBe(25);
		expect(r.strategies[0].trace.length).toBe((25 + 1) * 2); // time points 0..25, two states
		// a horizon in cycles replaces the age
		expect(run(cm, { settings: { horizon: 3, startAge: 25 } }).settings.horizon).toBe(3);
	});
	it('a horizon age not above the start age, or disagreeing with horizon, names the field', () => {
		expect(issuesOf(() => compile(twoGroupModel({ horizon: undefined, horizonAge: 30 }))).map((i) => i.path)).toEqual(['horizonAge']);
		expect(issuesOf(() => compile(twoGroupModel({ horizon: 5, horizonAge: 50 }))).map((i) => i.path)).toEqual(['horizon']);
		const cm = compile(twoGroupModel({ horizon: undefined, horizonAge: 50 }));
		expect(issuesOf(() => run(cm, { settings: { startAge: 60 } })).map((i) => i.path)).toEqual(['settings.startAge']);
		const m = twoGroupModel({ horizon: undefined, horizonAge: 50 });
		m.subgroups![0].settings = { startAge: 55 };
		expect(issuesOf(() => compile(m)).map((i) => i.path)).toContain('subgroups.young.settings.startAge');
	});
	it('mergeSettings keeps the other form out', () => {
		const base = compile(twoGroupModel({ horizon: undefined, horizonAge: 50 })).settings;
		expect(mergeSettings(base, { horizon: 4 }).horizonAge).toBeUndefined();
		expect(mergeSettings(base, { horizonAge: 60 }).horizon).toBe(20);
	});
});

describe('models/ms.json subgroups', () => {
	const cm = compileJson(readFileSync('models/ms.json', 'utf8'));
	const groups = cm.model.subgroups ?? [];

	it('declares start-age subgroups whose weights each have a source or a labelled assumption', () => {
		expect(groups.length).toBeGreaterThanOrEqual(2);
		for (const g of groups) expect(g.source ?? g.assumption).toBeTruthy();
		expect(cm.settings.horizonAge).toBe(100);
		expect(cm.settings.horizon).toBe(64); // start age 36 to 100
	});

	it('weighted totals equal the weighted sum of separate runs with each subgroup\'s values', () => {
		const a = subgroupAnalysis(cm);
		const separate = groups.map((g) => run(cm, { parameters: g.parameters, settings: g.settings }));
		cm.strategies.forEach((st, s) => {
			const cost = groups.reduce((x, g, k) => x + g.weight * separate[k].strategies[s].discounted.cost, 0);
			const qaly = groups.reduce((x, g, k) => x + g.weight * separate[k].strategies[s].discounted.qaly, 0);
			expect(a.population.strategies[s].cost).toBeCloseTo(cost, 6);
			expect(a.population.strategies[s].qaly).toBeCloseTo(qaly, 10);
		});
		// each subgroup runs to age 100
		// each subgroup runs to age 100: from 29.1, 71 cycles (the last ends at 100.1); from 42.9, 58
		expect(separate.map((r) => r.settings.horizon)).toEqual([71, 58]);
		expect(a.subgroups.map((g) => g.horizon)).toEqual([71, 58]);
		expect(a.heterogeneity.value).toBeGreaterThanOrEqual(0);
	});

	it('its subgroup PSAs draw the same values in every subgroup (same seed)', () => {
		const p = subgroupPsa(cm, { iterations: 8, seed: 7, wtp: [20000] });
		const psas = groups.map((g) => runPsa(cm, { iterations: 8, seed: 7, options: subgroupOptions(g) }));
		for (const r of psas.slice(1)) {
			expect(r.parameterIds).toEqual(psas[0].parameterIds);
			expect(Array.from(r.draws)).toEqual(Array.from(psas[0].draws));
		}
		expect(new Set(p.subgroups.map((g) => g.psa.cost[0])).size).toBe(groups.length); // different subgroups, different costs
		expect(Object.values(p.heldDrawn).flat()).toEqual([]); // no subgroup holds a drawn parameter
		// heterogeneity + stratified EVPI = sum_g w_g E[max NB_g] - max E[sum_g w_g NB_g]
		const S = p.strategyIds.length;
		const meanMax = p.subgroups.reduce((acc, g) => {
			let m = 0;
			for (let i = 0; i < p.iterations; i++) m += Math.max(...Array.from({ length: S }, (_, s) => 20000 * g.psa.qaly[i * S + s] - g.psa.cost[i * S + s]));
			return acc + (g.weight * m) / p.iterations;
		}, 0);
		const maxMean = Math.max(...p.strategyIds.map((_, s) => 20000 * p.population.meanQaly[s] - p.population.meanCost[s]));
		expect(p.valueOfIndividualisedInformation).toBeCloseTo(meanMax - maxMean, 2);
	});
});

describe('the app applies a horizon given as an age the way the engine does', () => {
	it('effectiveSettings moves the horizon with the start age, and a horizon in cycles replaces it', async () => {
		const { effectiveSettings } = await import('../../src/lib/state/inputs');
		const defaults = compile(twoGroupModel({ horizon: undefined, horizonAge: 50 })).settings; // start age 40: 10 cycles
		expect(effectiveSettings(defaults, { startAge: 30 }).horizon).toBe(20);
		expect(effectiveSettings(defaults, { horizon: 7 }).horizon).toBe(7);
		expect(effectiveSettings(defaults, { horizon: 7 }).horizonAge).toBeUndefined();
	});
});
