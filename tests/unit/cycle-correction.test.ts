/**
 * cycleCorrection.ts: the weights of each method, Simpson's rule integrating cubics exactly
 * (Elbasha & Chhatwal 2016, Med Decis Making 36(1):115-131), discount factors, and the engine
 * applying them, all against closed forms.
 */
import { describe, expect, it } from 'vitest';
import { compile, cycleWeights, discountFactors, run, simpsonWeights, type CycleCorrection, type ModelInput } from '../../src/lib/engine';

/** Point weights W_0..W_n of a method: W_0 = alpha_1, W_t = beta_t + alpha_{t+1}. */
function pointWeights(method: CycleCorrection, n: number): number[] {
	const w = cycleWeights(method, n);
	return Array.from({ length: n + 1 }, (_, t) => (t >= 1 ? w.beta[t] : 0) + (t + 1 <= n ? w.alpha[t + 1] : 0));
}

const integrate = (weights: ArrayLike<number>, f: (t: number) => number) => {
	let s = 0;
	for (let t = 0; t < weights.length; t++) s += weights[t] * f(t);
	return s;
};

describe('Simpson weights integrate polynomials up to degree 3 exactly', () => {
	for (let n = 2; n <= 31; n++)
		it(`n = ${n}${n % 2 ? ' (3/8 rule on the last three intervals)' : ''}`, () => {
			const w = simpsonWeights(n);
			expect(w).toHaveLength(n + 1);
			for (let p = 0; p <= 3; p++) {
				const exact = Math.pow(n, p + 1) / (p + 1); // integral of t^p over [0, n]
				expect(Math.abs(integrate(w, (t) => Math.pow(t, p)) - exact) / exact).toBeLessThan(1e-13);
			}
			// a cubic with every coefficient: integral of 2 - t + 3t^2 - 0.5t^3 over [0, n]
			const cubic = (t: number) => 2 - t + 3 * t * t - 0.5 * t * t * t;
			const exact = 2 * n - (n * n) / 2 + Math.pow(n, 3) - Math.pow(n, 4) / 8;
			expect(Math.abs(integrate(w, cubic) - exact)).toBeLessThan(1e-9 * Math.max(1, Math.abs(exact)));
		});

	it('but not quartics (so the check above could fail): n = 4, integral of t^4 is 204.8, Simpson gives 205.33', () => {
		expect(integrate(simpsonWeights(4), (t) => t ** 4)).toBeCloseTo((0 + 4 * 1 + 2 * 16 + 4 * 81 + 256) / 3, 12);
		expect(Math.abs(integrate(simpsonWeights(4), (t) => t ** 4) - 204.8)).toBeGreaterThan(0.5);
	});

	it('the engine uses them for "simpson" (and the trapezoid for n = 1)', () => {
		for (const n of [2, 3, 10, 11]) expect(pointWeights('simpson', n)).toEqual(Array.from(simpsonWeights(n)));
		expect(pointWeights('simpson', 1)).toEqual([0.5, 0.5]);
	});
});

describe('weights of each method', () => {
	it('start: time points 0..n-1; end: 1..n; one-off values at the start or end of the cycle', () => {
		expect(pointWeights('start', 4)).toEqual([1, 1, 1, 1, 0]);
		expect(pointWeights('end', 4)).toEqual([0, 1, 1, 1, 1]);
		expect(cycleWeights('start', 4)).toMatchObject({ eventAlpha: 1, eventBeta: 0 });
		expect(cycleWeights('end', 4)).toMatchObject({ eventAlpha: 0, eventBeta: 1 });
	});
	it('half-cycle and life-table: trapezoid point weights 1/2, 1, ..., 1, 1/2; one-off values at the mean', () => {
		expect(pointWeights('half-cycle', 4)).toEqual([0.5, 1, 1, 1, 0.5]);
		expect(pointWeights('life-table', 4)).toEqual([0.5, 1, 1, 1, 0.5]);
		const lt = cycleWeights('life-table', 3);
		expect(Array.from(lt.alpha.subarray(1))).toEqual([0.5, 0.5, 0.5]);
		expect(Array.from(lt.beta.subarray(1))).toEqual([0.5, 0.5, 0.5]);
		expect(lt).toMatchObject({ eventAlpha: 0.5, eventBeta: 0.5 });
		// half-cycle: only the first cycle weighs its start
		const hc = cycleWeights('half-cycle', 3);
		expect(Array.from(hc.alpha.subarray(1))).toEqual([0.5, 0, 0]);
		expect(Array.from(hc.beta.subarray(1))).toEqual([1, 1, 0.5]);
	});
	it('trapezoid integrates straight lines exactly', () => {
		for (const n of [1, 2, 7]) expect(integrate(pointWeights('half-cycle', n), (t) => 3 + 2 * t)).toBeCloseTo(3 * n + n * n, 12);
	});
});

describe('discount factors d_t = (1 + r)^-(t x cycle length)', () => {
	it('annual and half-yearly cycles', () => {
		const d = discountFactors(0.035, 4, 0.5);
		expect(d[0]).toBe(1);
		expect(d[2]).toBeCloseTo(1 / 1.035, 15);
		expect(d[4]).toBeCloseTo(1 / 1.071225, 15); // 1.035^2 = 1.071225
		expect(d[1]).toBeCloseTo(1 / Math.sqrt(1.035), 15);
		expect(Array.from(discountFactors(0, 3, 1))).toEqual([1, 1, 1, 1]);
	});
});

/**
 * A two-state model (alive with utility 1 and cost c per cycle, dead), surviving each cycle
 * with probability q: x_t = q^t. With discount factor per cycle f = 1 / (1 + r)^cl the totals
 * are geometric sums: start = sum_{t<n} (qf)^t, end = sum_{1<=t<=n} (qf)^t; half-cycle and
 * life-table (constant values) both equal (start + end) / 2, since points 1..n-1 weigh 1 and
 * the two ends 1/2; Simpson is sum_t w_t (qf)^t with the composite weights.
 */
describe('the engine applies the corrections: a survival model against geometric sums', () => {
	const q = 0.9;
	const c = 1000;
	const model = (cycleLength: number, horizon: number, rate: number): ModelInput => ({
		formatVersion: 1,
		id: 'survival',
		title: 'Survival',
		description: 'Alive or dead.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength,
		horizon,
		startAge: 60,
		discountRates: { costs: rate, outcomes: rate },
		cycleCorrection: 'start',
		costCategories: [{ id: 'care', label: 'Care' }],
		parameters: {},
		states: [
			{ id: 'alive', label: 'Alive', utility: 1, costs: { care: c } },
			{ id: 'dead', label: 'Dead', dead: true }
		],
		strategies: [{ id: 'only', label: 'Only', start: { alive: 1 }, transitions: { alive: { alive: 'C', dead: 1 - q }, dead: { dead: 1 } } }]
	});
	const geometric = (a: number, from: number, to: number) => {
		let s = 0;
		for (let t = from; t <= to; t++) s += Math.pow(a, t);
		return s;
	};

	for (const [cl, n, r] of [
		[1, 10, 0.035],
		[0.25, 40, 0.05],
		[1 / 12, 25, 0]
	] as const)
		it(`cycle length ${cl}, ${n} cycles, discount ${r}`, () => {
			const compiled = compile(model(cl, n, r));
			const a = q / Math.pow(1 + r, cl);
			const start = geometric(a, 0, n - 1);
			const end = geometric(a, 1, n);
			const expected: Record<CycleCorrection, number> = {
				start,
				end,
				'half-cycle': (start + end) / 2,
				'life-table': (start + end) / 2,
				simpson: integrate(simpsonWeights(n), (t) => Math.pow(a, t))
			};
			for (const method of Object.keys(expected) as CycleCorrection[]) {
				const s = run(compiled, { settings: { cycleCorrection: method } }).strategies[0];
				expect(s.discounted.cost / (c * expected[method]), `${method} cost`).toBeCloseTo(1, 12);
				expect(s.discounted.qaly / (cl * expected[method]), `${method} QALYs`).toBeCloseTo(1, 12);
				expect(s.discounted.lifeYears / (cl * expected[method]), `${method} life years`).toBeCloseTo(1, 12);
			}
		});
});
