/**
 * The lean totals path (runner.totals, used by PSA/DSA/threshold) against run(), which keeps
 * full per-cycle arrays: the two modes of the cohort loop (cohort.ts) sum different things
 * (totals only, or per category, cycle and outcome) and must agree on every model feature
 * (tunnels, state_time, time-dependent values, transition and start values, every cycle
 * correction). Independent implementations are checked in engine-reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, compileJson, createRunner, TOTALS, type CompiledModel, type CycleCorrection, type ModelInput } from '../../src/lib/engine';
import { syntheticModel } from '../../bench/synthetic';

function compareWithRun(cm: CompiledModel, settings?: Record<string, unknown>) {
	const runner = createRunner(cm);
	const full = runner.run({ settings });
	const { settings: s, values, forced } = runner.resolve({ settings });
	const S = cm.strategies.length;
	const out = new Float64Array(S * TOTALS.size);
	const cyc = new Float64Array(S * (s.horizon + 1));
	const cycU = new Float64Array(S * (s.horizon + 1));
	runner.totals(values, s, out, cyc, forced, cycU);
	full.strategies.forEach((r, si) => {
		const b = si * TOTALS.size;
		const close = (a: number, e: number) => expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
		close(out[b + TOTALS.cost], r.discounted.cost);
		close(out[b + TOTALS.qaly], r.discounted.qaly);
		close(out[b + TOTALS.lifeYears], r.discounted.lifeYears);
		close(out[b + TOTALS.costUndiscounted], r.undiscounted.cost);
		close(out[b + TOTALS.qalyUndiscounted], r.undiscounted.qaly);
		close(out[b + TOTALS.lifeYearsUndiscounted], r.undiscounted.lifeYears);
		const C = cm.categoryIds.length;
		for (let k = 0; k <= s.horizon; k++) {
			let d = 0;
			let u = 0;
			for (let c = 0; c < C; c++) {
				d += r.cycleCosts[k * C + c];
				u += r.cycleCostsUndiscounted[k * C + c];
			}
			close(cyc[si * (s.horizon + 1) + k], d);
			close(cycU[si * (s.horizon + 1) + k], u);
		}
	});
}

const featureModel: ModelInput = {
	formatVersion: 1,
	id: 'features',
	title: 'Feature model',
	description: 'Tunnel, state_time, transition values, start values, strategy overrides.',
	currency: 'GBP',
	priceYear: 2024,
	cycleLength: 0.5,
	horizon: 17,
	startAge: 50,
	discountRates: { costs: 0.035, outcomes: 0.015 },
	cycleCorrection: 'half-cycle',
	willingnessToPay: 20000,
	costCategories: [
		{ id: 'a', label: 'A' },
		{ id: 'b', label: 'B' }
	],
	parameters: {
		p: { value: 0.2, kind: 'probability', unit: 'p', description: 'progress', group: 'g', assumption: 'test' },
		c: { value: 100, kind: 'cost', currency: 'GBP', priceYear: 2024, unit: 'GBP', description: 'cost', group: 'g', assumption: 'test' },
		m: { expression: 'min(0.4, 0.01 * exp(0.05 * (age - 50)))', kind: 'probability', unit: 'p', description: 'mortality', group: 'g' },
		post: { expression: 'state_time <= 2 ? 0.3 : 0.1', kind: 'probability', unit: 'p', description: 'post', group: 'g' }
	},
	states: [
		{ id: 'well', label: 'Well', utility: 0.9, costs: { a: 'c' } },
		{ id: 'post', label: 'Post', tunnel: 4, utility: '0.5 + 0.1 * state_time', costs: { a: 'c * state_time', b: 'model_time' } },
		{ id: 'sick', label: 'Sick', utility: 0.4, costs: { b: '300' } },
		{ id: 'dead', label: 'Dead', dead: true }
	],
	strategies: [
		{
			id: 'one',
			label: 'One',
			start: { well: 0.7, post: 0.3 },
			transitions: {
				well: { well: 'C', post: 'p', dead: 'm' },
				post: { post: 'C', sick: 'post', dead: 'm' },
				sick: { sick: 'C', dead: 'm * 2' },
				dead: { dead: 1 }
			},
			transitionValues: [
				{ from: '*', to: 'dead', costs: { a: 1000 }, utility: -0.05 },
				{ from: 'well', to: 'post', costs: { b: 'c * 2' } }
			],
			startValues: { costs: { a: 5000 }, utility: -0.1 }
		},
		{
			id: 'two',
			label: 'Two',
			start: { well: 1 },
			parameters: { p: 0.1, m: 'min(0.4, 0.02 * exp(0.05 * (age - 50)))' },
			transitions: {
				well: { well: 'C', post: 'p', dead: 'm' },
				post: { post: 'C', sick: 'post * 0.5', dead: 'm' },
				sick: { sick: 'C', dead: 'm * 2' },
				dead: { dead: 1 }
			}
		}
	]
};

describe('lean totals agree with run()', () => {
	it('HIV (Chancellor) model', () => compareWithRun(compileJson(readFileSync('models/hiv-chancellor.json', 'utf8'))));
	it('synthetic model with a tunnel', () => compareWithRun(compile(syntheticModel({ states: 6, cycles: 30, strategies: 3, tunnel: 5 }))));
	for (const method of ['start', 'end', 'half-cycle', 'simpson', 'life-table'] as CycleCorrection[])
		it(`feature model, ${method} correction`, () => compareWithRun(compile(featureModel), { cycleCorrection: method }));
});

describe('lean totals agree with run() on the MS model', () => {
	it('every strategy, base case and a scenario-like override', () => {
		const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
		compareWithRun(ms);
		compareWithRun(ms, { cycleCorrection: 'life-table', discountRates: { costs: 0.015, outcomes: 0.015 } });
	});
});
