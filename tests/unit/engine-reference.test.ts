/**
 * The engine against a naive cohort simulation on random models (as hesim tests its engine
 * against a separately written Markov chain). The naive version below is written from the
 * documented definitions (docs/model-format.md, the comment at the top of cycleCorrection.ts),
 * shares no code with src/lib/engine and works on closures rather than expressions. The random
 * models have 1-3 strategies sharing the transition rows, each with its own starting shares,
 * possibly its own value of the parameter `scale` (a number or a model_time expression, read by
 * row entries and costs) and its own care costs for some states (stateValues).
 *  - tunnel states expanded into sub-states 1..L, "stay" moving to the next one, the last repeating;
 *  - x_k = x_{k-1} P_k, the complement taking 1 minus the row's other entries;
 *  - start / end / life-table: each cycle k counts v_k (a x_{k-1} d_{k-1} + b x_k d_k) with
 *    (a, b) = (1, 0), (0, 1), (1/2, 1/2);
 *  - half-cycle / Simpson: time points t = 0..n weighted by the trapezoid or composite Simpson
 *    weights (3/8 rule on the last three intervals for odd n; trapezoid for n = 1), point t
 *    taking the value of cycle max(t, 1);
 *  - one-off costs on the flow into a state, discounted at the cycle's start (start), end (end)
 *    or the mean of both (otherwise); d_t = (1 + r)^-(t cycle length); QALYs and life years
 *    scale with the cycle length, costs do not.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, run, type CycleCorrection, type ModelInput } from '../../src/lib/engine';
import { randomModel, type PlainModel } from './engine-random-model';

interface NaiveTotals {
	cost: number;
	qaly: number;
	lifeYears: number;
	costUndiscounted: number;
	qalyUndiscounted: number;
	lifeYearsUndiscounted: number;
}

function pointWeights(method: CycleCorrection, n: number): number[] {
	const w = new Array<number>(n + 1).fill(1);
	if (method === 'simpson' && n >= 2) {
		const simpson13 = (from: number, to: number) => {
			for (let t = from; t <= to; t++) w[t] = 0;
			for (let t = from; t <= to; t++) w[t] += (t === from || t === to ? 1 : (t - from) % 2 === 1 ? 4 : 2) / 3;
		};
		w.fill(0);
		if (n % 2 === 0) simpson13(0, n);
		else {
			if (n > 3) simpson13(0, n - 3);
			[3, 9, 9, 3].forEach((c, i) => (w[n - 3 + i] += (3 * c) / 8 / 3));
		}
		return w;
	}
	w[0] = 0.5;
	w[n] = 0.5;
	return w;
}

function naive(plain: PlainModel, model: ModelInput, strategy: number): NaiveTotals {
	const { start, scale, costOverride } = plain.strategies[strategy];
	const n = model.horizon as number; // the generated models give the horizon in cycles
	const cl = model.cycleLength;
	const method = model.cycleCorrection;
	const S = plain.tunnel.length;
	const first: number[] = [];
	const stateOf: number[] = [];
	const stateTime: number[] = [];
	plain.tunnel.forEach((len, s) => {
		first.push(stateOf.length);
		for (let m = 1; m <= len; m++) {
			stateOf.push(s);
			stateTime.push(m);
		}
	});
	const E = stateOf.length;
	const dc = (t: number) => Math.pow(1 + model.discountRates.costs, -t * cl);
	const dq = (t: number) => Math.pow(1 + model.discountRates.outcomes, -t * cl);

	const traces: number[][] = [];
	let x = new Array<number>(E).fill(0);
	start.forEach((v, s) => (x[first[s]] = v));
	traces.push(x);
	const out: NaiveTotals = { cost: 0, qaly: 0, lifeYears: 0, costUndiscounted: 0, qalyUndiscounted: 0, lifeYearsUndiscounted: 0 };
	for (let k = 1; k <= n; k++) {
		const next = new Array<number>(E).fill(0);
		for (let e = 0; e < E; e++) {
			const s = stateOf[e];
			const m = stateTime[e];
			const row = plain.rows[s];
			const explicit = row.reduce((a, r) => a + (r.p === null ? 0 : r.p(k, m, scale(k))), 0);
			for (const r of row) {
				const p = r.p === null ? 1 - explicit : r.p(k, m, scale(k));
				const to = r.to === s ? first[s] + Math.min(m, plain.tunnel[s] - 1) : first[r.to];
				const flow = x[e] * p;
				next[to] += flow;
				if (r.to !== s && r.to === plain.oneOff.to) {
					const at = method === 'start' ? dc(k - 1) : method === 'end' ? dc(k) : (dc(k - 1) + dc(k)) / 2;
					out.cost += flow * plain.oneOff.amount * at;
					out.costUndiscounted += flow * plain.oneOff.amount;
				}
			}
		}
		traces.push(next);
		x = next;
	}

	// state values: what state s earns at time point t with the value of cycle k
	const add = (t: number, k: number, weight: number) => {
		for (let e = 0; e < E; e++) {
			const s = stateOf[e];
			const share = traces[t][e] * weight;
			const cost = (costOverride[s] ?? plain.cost[s])(k, scale(k));
			out.cost += share * cost * dc(t);
			out.costUndiscounted += share * cost;
			out.qaly += share * plain.utility[s](k) * cl * dq(t);
			out.qalyUndiscounted += share * plain.utility[s](k) * cl;
			if (!plain.dead[s]) {
				out.lifeYears += share * cl * dq(t);
				out.lifeYearsUndiscounted += share * cl;
			}
		}
	};
	if (method === 'half-cycle' || method === 'simpson') {
		const w = pointWeights(method, n);
		for (let t = 0; t <= n; t++) add(t, Math.max(t, 1), w[t]);
	} else {
		const [a, b] = method === 'start' ? [1, 0] : method === 'end' ? [0, 1] : [0.5, 0.5];
		for (let k = 1; k <= n; k++) {
			if (a) add(k - 1, k, a);
			if (b) add(k, k, b);
		}
	}
	return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('engine = naive cohort simulation on random models', () => {
	it('discounted and undiscounted costs, QALYs and life years agree to 1e-9, every correction', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const { model, plain } = randomModel(g);
				const result = run(compile(model));
				result.strategies.forEach((s, j) => {
					const expected = naive(plain, model, j);
					const pairs: [string, number, number][] = [
						['cost', s.discounted.cost, expected.cost],
						['qaly', s.discounted.qaly, expected.qaly],
						['lifeYears', s.discounted.lifeYears, expected.lifeYears],
						['costUndiscounted', s.undiscounted.cost, expected.costUndiscounted],
						['qalyUndiscounted', s.undiscounted.qaly, expected.qalyUndiscounted],
						['lifeYearsUndiscounted', s.undiscounted.lifeYears, expected.lifeYearsUndiscounted]
					];
					for (const [what, actual, reference] of pairs)
						expect(close(actual, reference), `${s.id} ${what} (${model.cycleCorrection}): ${actual} vs ${reference}`).toBe(true);
				});
			}),
			{ seed: 20261128, numRuns: 150 }
		);
	});

	it('the naive Simpson weights are the textbook ones (so the comparison above means something)', () => {
		expect(pointWeights('simpson', 4).map((w) => w * 3)).toEqual([1, 4, 2, 4, 1]);
		expect(pointWeights('simpson', 3).map((w) => w * 8)).toEqual([3, 9, 9, 3]);
		const five = pointWeights('simpson', 5);
		[1 / 3, 4 / 3, 1 / 3 + 3 / 8, 9 / 8, 9 / 8, 3 / 8].forEach((v, t) => expect(five[t]).toBeCloseTo(v, 15));
	});
});
