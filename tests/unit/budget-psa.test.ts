/**
 * The probabilistic budget (budget/budgetPsa.ts). References are independent of the code under
 * test: the deterministic budget (runBudget) with a draw as plain parameter overrides, closed
 * forms of the fixture model written from its definition, and the PSA's own draws (runPsa).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, compileJson, ModelError, runPsa, type ModelInput } from '../../src/lib/engine';
import {
	createBudgetPsa,
	parseBudgetSettings,
	runBudget,
	runBudgetPsa,
	summariseBudgetPsa,
	type BudgetPsaResult,
	type BudgetSeries,
	type BudgetSettingsInput
} from '../../src/lib/engine/budget';
import { fixtureModel, fixtureSettings } from './budget-fixtures';

const msText = readFileSync('models/ms.json', 'utf8');
const msSettings = parseBudgetSettings(JSON.parse(readFileSync('models/budget/ms-uk.json', 'utf8')) as BudgetSettingsInput);

/** |a - b| <= rel x max(1, |b|), element by element. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-9) {
	expect(a.length).toBe(b.length);
	for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b[i])));
}

/** Row i of a per-iteration series (years wide). */
const row = (a: Float64Array, i: number, T: number) => a.slice(i * T, (i + 1) * T);

function expectIterationEquals(series: BudgetSeries, i: number, T: number, reference: BudgetSeries) {
	for (const key of ['current', 'new', 'incremental', 'cumulativeIncremental'] as const) expectClose(row(series[key], i, T), reference[key]);
	expect(series.payment.map((p) => p.id)).toEqual(reference.payment.map((p) => p.id));
	series.payment.forEach((p, m) => {
		expectClose(row(p.incremental, i, T), reference.payment[m].incremental);
		expectClose(row(p.cumulativeIncremental, i, T), reference.payment[m].cumulativeIncremental);
		expectClose(row(p.refundsPaid, i, T), reference.payment[m].refundsPaid);
	});
}

describe('probabilistic budget with every parameter fixed', () => {
	it('MS model without distributions: every iteration is the deterministic budget, payment models included', () => {
		const model = JSON.parse(msText) as ModelInput;
		for (const p of Object.values(model.parameters)) delete (p as { distribution?: unknown }).distribution;
		const cm = compile(model);
		const r = runBudgetPsa(cm, msSettings, { iterations: 3, seed: 7 });
		expect(r.parameterIds).toEqual([]);
		expect(r.iterations).toBe(3);
		// the reference: the deterministic budget, run on its own
		const det = runBudget(cm, msSettings);
		const T = det.years;
		const reference: BudgetSeries = {
			current: det.budget.current.total,
			new: det.budget.new.total,
			incremental: det.budget.incremental,
			cumulativeIncremental: det.budget.cumulativeIncremental,
			payment: det.payment!.models.map((m) => {
				let running = 0;
				return { id: m.id, label: m.label, incremental: m.incremental, cumulativeIncremental: m.incremental.map((v) => (running += v)), refundsPaid: m.refundsPaid };
			})
		};
		expect(reference.payment).toHaveLength(5);
		for (let i = 0; i < 3; i++) expectIterationEquals(r.perIteration, i, T, reference);
		const s = summariseBudgetPsa(r);
		expectClose(s.cumulativeIncremental.lower, det.budget.cumulativeIncremental);
		expectClose(s.cumulativeIncremental.upper, det.budget.cumulativeIncremental);
	});

	it('a fixture whose parameters have no distribution gives zero-width intervals at the deterministic budget', () => {
		const cm = compile(fixtureModel({ price: 50000, pDeath: 0.02 }));
		const settings = parseBudgetSettings(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { dmt: [0.5], cell: [0.5] } } } }));
		const s = summariseBudgetPsa(runBudgetPsa(cm, settings, { iterations: 4, seed: 1 }));
		const det = runBudget(cm, settings);
		expect(Array.from(s.incremental.mean)).toEqual(Array.from(det.budget.incremental));
		expect(Array.from(s.incremental.lower)).toEqual(Array.from(det.budget.incremental));
		expect(Array.from(s.incremental.upper)).toEqual(Array.from(det.budget.incremental));
	});
});

describe('probabilistic budget of the MS model', () => {
	const cm = compileJson(msText);
	const iterations = 4;
	const r = runBudgetPsa(cm, msSettings, { iterations, seed: 1 });

	it('draws the parameters `model psa` draws with the same seed', () => {
		const psa = runPsa(cm, { iterations, seed: 1 });
		expect(r.parameterIds).toEqual(psa.parameterIds);
		expect(r.parameterIds.length).toBeGreaterThan(50);
	});

	it('each iteration is the deterministic budget at that iteration\'s draws', () => {
		const psa = runPsa(cm, { iterations, seed: 1 });
		const K = psa.parameterIds.length;
		const T = r.years;
		for (let i = 0; i < iterations; i++) {
			const parameters = Object.fromEntries(psa.parameterIds.map((id, k) => [id, psa.draws[i * K + k]]));
			const det = runBudget(cm, msSettings, { run: { parameters } });
			expectClose(row(r.perIteration.incremental, i, T), det.budget.incremental);
			expectClose(row(r.perIteration.current, i, T), det.budget.current.total);
			det.payment!.models.forEach((m, k) => {
				expectClose(row(r.perIteration.payment[k].incremental, i, T), m.incremental);
				expectClose(row(r.perIteration.payment[k].refundsPaid, i, T), m.refundsPaid);
			});
		}
		// the draws move the budget: iterations differ from each other
		expect(r.perIteration.cumulativeIncremental[T - 1]).not.toBe(r.perIteration.cumulativeIncremental[2 * T - 1]);
	});

	it('gives the same iterations however it is split into steps', () => {
		const bp = createBudgetPsa(cm, msSettings, { iterations, seed: 1 });
		while (!bp.step(1).finished);
		expect(Array.from(bp.result().perIteration.cumulativeIncremental)).toEqual(Array.from(r.perIteration.cumulativeIncremental));
	});
});

describe('probabilistic budget against closed forms', () => {
	// fixture: 100 prevalent + 10 incident patients a year, nobody dies or fails; current world all
	// DMT (GBP 1,000 a year at the start of each year), new world all cell therapy (price P once)
	const model = fixtureModel({ dmtCost: 1000 });
	model.parameters.price = { ...model.parameters.price, value: 10000, distribution: { type: 'uniform', min: 0, max: 20000 } };
	const cm = compile(model);
	const settings = parseBudgetSettings(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { cell: [1] } } } }));
	const iterations = 200;
	const r = runBudgetPsa(cm, settings, { iterations, seed: 3 });
	const prices = runPsa(cm, { iterations, seed: 3 }).draws;

	it('year t budget impact is P (starts in t) - 1000 (patients on DMT in t) in every iteration', () => {
		const T = 5;
		for (let i = 0; i < iterations; i++)
			for (let t = 0; t < T; t++) {
				const starts = t === 0 ? 110 : 10;
				const onDmt = 100 + 10 * (t + 1);
				const expected = prices[i] * starts - 1000 * onDmt;
				expect(Math.abs(r.perIteration.incremental[i * T + t] - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
			}
	});

	it('the probability of a saving by year t is the share of draws with P (100 + 10 t) < 1000 (100 t + 5 t (t + 1))', () => {
		const s = summariseBudgetPsa(r);
		for (let t = 1; t <= 5; t++) {
			const breakEven = (1000 * (100 * t + 5 * t * (t + 1))) / (100 + 10 * t);
			let below = 0;
			for (let i = 0; i < iterations; i++) if (prices[i] < breakEven) below++;
			expect(s.probabilitySaving[t - 1]).toBe(below / iterations);
		}
		// by year 5 the break-even price is GBP 4,333: about 22% of uniform(0, 20000) draws
		expect(s.probabilitySaving[4]).toBeGreaterThan(0.1);
		expect(s.probabilitySaving[4]).toBeLessThan(0.35);
	});
});

describe('summariseBudgetPsa', () => {
	/** A hand-made result: one year, iterations whose budget impact is -50, -49, ..., 50. */
	function madeUp(values: number[]): BudgetPsaResult {
		const a = Float64Array.from(values);
		const one = Float64Array.of(0);
		const series = (x: Float64Array): BudgetSeries => ({ current: x, new: x, incremental: x, cumulativeIncremental: x, payment: [] });
		return {
			modelId: 'm', title: 't', settingsId: 's', currency: 'GBP', priceYear: 2024, years: 1, discountRate: 0, scenario: null, seed: 1,
			iterationsRequested: values.length, iterations: values.length, parameterIds: [], heldFixed: [], redrawn: 0, payment: null,
			deterministic: series(one), perIteration: series(a)
		};
	}

	it('gives the mean, the 2.5th and 97.5th percentiles (R type 7) and the share below zero', () => {
		// shuffled -50..50: type 7 quantile p of 101 sorted values is x[1 + 100 p] (1-based)
		const values = Array.from({ length: 101 }, (_, k) => ((k * 37) % 101) - 50);
		const s = summariseBudgetPsa(madeUp(values));
		expect(s.incremental.mean[0]).toBe(0);
		expect(s.incremental.lower[0]).toBeCloseTo(-50 + 2.5, 12);
		expect(s.incremental.upper[0]).toBeCloseTo(50 - 2.5, 12);
		expect(s.probabilitySaving[0]).toBe(50 / 101);
		// an 80% interval: 10th and 90th percentiles
		const s80 = summariseBudgetPsa(madeUp(values), 0.8);
		expect(s80.incremental.lower[0]).toBeCloseTo(-40, 12);
		expect(s80.incremental.upper[0]).toBeCloseTo(40, 12);
	});
});

describe('bad input', () => {
	const cm = compile(fixtureModel());
	const settings = parseBudgetSettings(fixtureSettings());
	it.each([0, 1.5, -3])('iterations %s is refused naming the field', (iterations) => {
		try {
			createBudgetPsa(cm, settings, { iterations, seed: 1 });
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ModelError);
			expect((e as ModelError).issues[0].path).toBe('iterations');
		}
	});
	it('a cancelled run keeps the iterations completed', () => {
		let calls = 0;
		const r = runBudgetPsa(cm, settings, { iterations: 50, seed: 1 }, { chunk: 10, isCancelled: () => calls++ >= 2 });
		expect(r.iterations).toBe(20);
		expect(r.perIteration.incremental).toHaveLength(20 * r.years);
	});
});
