/**
 * Budget impact: every expected value here is written out by hand from the fixture's closed
 * forms (constant yearly cost, geometric survival), not read off the code under test.
 */
import { describe, expect, it } from 'vitest';
import { compile, ModelError } from '../../src/lib/engine';
import { budgetImpact, parseBudgetSettings, runBudget, type AnnualProfile } from '../../src/lib/engine/budget';
import { fixtureModel, fixtureSettings } from './budget-fixtures';

const close = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

describe('budget impact: 100% uptake of one strategy', () => {
	it('equals patients times per-patient costs (no deaths)', () => {
		const cm = compile(fixtureModel({ dmtCost: 1000 }));
		const r = runBudget(cm, parseBudgetSettings(fixtureSettings()));
		// 100 prevalent + 10 incident per year, all on DMT at 1000 a year, nobody dies:
		// year t (1-based) has 100 + 10 t patients.
		for (let t = 1; t <= 5; t++) close(r.budget.current.total[t - 1], (100 + 10 * t) * 1000);
		for (let t = 1; t <= 5; t++) close(r.budget.incremental[t - 1], 0);
	});

	it('equals the sum over yearly cohorts of size x survival x cost (deaths, life-table correction)', () => {
		const q = 0.1;
		const cm = compile(fixtureModel({ dmtCost: 1000, pDeath: q, cycleCorrection: 'life-table' }));
		const r = runBudget(cm, parseBudgetSettings(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { cell: [1] } } } })));
		// per patient in year j since entry: 1000 x (S_j + S_{j+1}) / 2 with S_j = 0.9^j
		const perPatient = (j: number) => (1000 * (Math.pow(1 - q, j) + Math.pow(1 - q, j + 1))) / 2;
		for (let t = 0; t < 5; t++) {
			let expected = 100 * perPatient(t);
			for (let y = 0; y <= t; y++) expected += 10 * perPatient(t - y);
			close(r.budget.current.total[t], expected);
			// patients alive on DMT at the start of year t
			let alive = 100 * Math.pow(1 - q, t);
			for (let y = 0; y <= t; y++) alive += 10 * Math.pow(1 - q, t - y);
			close(r.budget.current.alive[t * 2 + 0], alive);
		}
		// new world: everyone has the cell therapy, 50 000 once at entry, nothing after
		close(r.budget.new.total[0], 110 * 50000);
		for (let t = 1; t < 5; t++) close(r.budget.new.total[t], 10 * 50000);
		close(r.budget.new.byCategory[0 * 2 + 0], 110 * 50000); // all in the therapy category
		close(r.budget.new.starts[0 * 2 + 1], 110);
	});
});

describe('budget impact: cycle correction and budget years', () => {
	it('a half-cycle model does not put 1.5 years of cost in year 1', () => {
		const cm = compile(fixtureModel({ dmtCost: 1000, cycleCorrection: 'half-cycle' }));
		const r = runBudget(cm, parseBudgetSettings(fixtureSettings()));
		// nobody dies: each patient costs exactly 1000 in every budget year
		for (let t = 1; t <= 5; t++) close(r.budget.current.total[t - 1], (100 + 10 * t) * 1000);
	});
});

describe('budget impact: cohorts run on time since entry (the convolution)', () => {
	it('an incident cohort entering in year 3 pays year-1 costs in year 3', () => {
		// first-year DMT cost 5000, later years 1000: schedule(model_time, 5000, 1000)
		const cm = compile(fixtureModel({ dmtCost: 'schedule(model_time, 5000, 1000)' }));
		const r = runBudget(cm, parseBudgetSettings(fixtureSettings()));
		const profile = r.profiles[0];
		const b = budgetImpact({
			years: 5,
			strategyIds: ['dmt', 'cell'],
			categoryIds: ['therapy', 'drug'],
			profiles: r.profiles,
			prevalent: 0,
			incident: Float64Array.from([0, 0, 10, 0, 0]),
			current: { shares: { incident: Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]), prevalent: Float64Array.from([1, 0]) } },
			new: { shares: { incident: Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]), prevalent: Float64Array.from([1, 0]) } }
		});
		expect(profile.cost[0 * 2 + 1]).toBe(5000);
		expect(Array.from(b.current.total)).toEqual([0, 0, 50000, 10000, 10000]);
	});
});

describe('budget impact: capacity cap', () => {
	const settings = (queue: boolean) =>
		parseBudgetSettings(
			fixtureSettings({
				population: {
					...fixtureSettings().population,
					prevalentCases: { value: 30, unit: 'people', assumption: 'test' },
					incidentCasesPerYear: { value: 0, unit: 'people', assumption: 'test' }
				},
				uptake: { current: { shares: { dmt: [1] } }, new: { shares: { cell: [1] } } },
				capacity: { strategy: 'cell', slotsPerYear: { value: 10, unit: 'per year', assumption: 'test' }, queueOn: 'dmt', queue }
			})
		);
	it('queues patients over capacity on DMT and treats them as slots free', () => {
		const r = runBudget(compile(fixtureModel({ dmtCost: 1000, price: 50000 })), settings(true));
		// 30 want the cell therapy, 10 slots a year: 10 treated in each of years 1-3;
		// the waiting ones pay DMT (1000 a year) until treated: 20, then 10, then 0.
		expect(Array.from(r.budget.new.total)).toEqual([520000, 510000, 500000, 0, 0]);
		expect(Array.from(r.budget.new.waiting)).toEqual([20, 10, 0, 0, 0]);
		expect([0, 1, 2, 3, 4].map((t) => r.budget.new.starts[t * 2 + 1])).toEqual([10, 10, 10, 0, 0]);
	});
	it('without a queue, patients over capacity stay on DMT', () => {
		const r = runBudget(compile(fixtureModel({ dmtCost: 1000, price: 50000 })), settings(false));
		expect(Array.from(r.budget.new.total)).toEqual([520000, 20000, 20000, 20000, 20000]);
	});
	it('only patients alive when a slot frees are treated', () => {
		const q = 0.5;
		const r = runBudget(compile(fixtureModel({ dmtCost: 1000, price: 50000, pDeath: q })), settings(true));
		// year 1: 10 treated, 20 wait (start correction: DMT cost counts those alive at the start of the year)
		// year 2: 20 x 0.5 = 10 alive on the queue, all treated; nobody waits after
		expect(r.budget.new.starts[1 * 2 + 1]).toBeCloseTo(10, 9);
		expect(r.budget.new.waiting[1]).toBeCloseTo(0, 9);
		close(r.budget.new.total[0], 10 * 50000 + 20 * 1000);
		close(r.budget.new.total[1], 10 * 50000);
	});
});

describe('budget impact: discounting option', () => {
	it('is off by default and discounts year t by 1/(1+r)^(t-1) when asked', () => {
		const cm = compile(fixtureModel({ dmtCost: 1000, discount: 0.035 }));
		const plain = runBudget(cm, parseBudgetSettings(fixtureSettings()));
		expect(plain.discountRate).toBe(0);
		for (let t = 1; t <= 5; t++) close(plain.budget.current.total[t - 1], (100 + 10 * t) * 1000); // model discounting ignored
		const disc = runBudget(cm, parseBudgetSettings(fixtureSettings()), { discountRate: 0.035 });
		for (let t = 1; t <= 5; t++) close(disc.budget.current.total[t - 1], ((100 + 10 * t) * 1000) / Math.pow(1.035, t - 1));
	});
});

describe('budget settings: errors name the path', () => {
	const cm = compile(fixtureModel());
	const issues = (over: Parameters<typeof fixtureSettings>[0]) => {
		try {
			runBudget(cm, parseBudgetSettings(fixtureSettings(over)));
		} catch (e) {
			if (e instanceof ModelError) return e.issues;
			throw e;
		}
		return [];
	};
	it('market shares that do not sum to 1', () => {
		const found = issues({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { dmt: [0.5], cell: [0.4] } } } });
		expect(found.map((i) => i.path)).toEqual(['uptake.new.shares']);
		expect(found[0].message).toMatch(/sum to 0.9/);
	});
	it('an unknown strategy', () => {
		const found = issues({ uptake: { current: { shares: { dmt: [1], cart: [0] } }, new: { shares: { dmt: [1] } } } });
		expect(found[0].path).toBe('uptake.current.shares.cart');
	});
	it('a population number without a source or assumption', () => {
		expect(() =>
			parseBudgetSettings({
				...fixtureSettings(),
				population: { ...fixtureSettings().population, prevalentCases: { value: 5, unit: 'people' } }
			})
		).toThrow(/population\.prevalentCases: give a source/);
	});
	it('a share above 1', () => {
		expect(() => parseBudgetSettings(fixtureSettings({ uptake: { current: { shares: { dmt: [1.2] } }, new: { shares: { dmt: [1] } } } }))).toThrow(
			/uptake\.current\.shares\.dmt\.0/
		);
	});
});

describe('profiles', () => {
	it('spread cycles shorter than a year over whole years', () => {
		const m = fixtureModel({ dmtCost: 100 });
		const cm = compile({ ...m, cycleLength: 0.25, horizon: 40 });
		const r = runBudget(cm, parseBudgetSettings(fixtureSettings({ horizonYears: 3 })));
		const p: AnnualProfile = r.profiles[0];
		// 4 quarterly cycles at 100 each per year
		expect([p.cost[1], p.cost[3], p.cost[5]]).toEqual([400, 400, 400]);
	});
});
