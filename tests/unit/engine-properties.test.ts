/**
 * Property-based tests of the Markov cohort engine on randomly generated valid models
 * (2-8 states, rows built from random probabilities plus a "C" complement, optional tunnel
 * states with state_time-dependent exits, optional model_time-dependent transitions, random
 * costs, utilities, one-off transition costs, horizons, cycle lengths, corrections and discount
 * rates), and of incrementalAnalysis against a brute-force definition of dominance.
 *
 * Seeds are fixed so a failure is reproducible; numRuns is bounded so the file stays fast.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, incrementalAnalysis, run, type RunResult, type Outcome } from '../../src/lib/engine';
import { randomModel } from './engine-random-model';

const SEED = 20261127;
const RUNS = 60;

function traceAt(result: RunResult, t: number): number[] {
	const S = result.stateIds.length;
	return Array.from(result.strategies[0].trace.subarray(t * S, (t + 1) * S));
}

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

describe('engine properties on random valid models', () => {
	it('trace rows sum to 1 at every time point', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const { model } = randomModel(g);
				const result = run(compile(model));
				for (let t = 0; t <= result.settings.horizon; t++) {
					const row = traceAt(result, t);
					expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
					for (const x of row) expect(x).toBeGreaterThanOrEqual(-1e-12);
				}
			}),
			{ seed: SEED, numRuns: RUNS }
		);
	});

	it('zero costs give zero cost, discounted and undiscounted, in every cycle', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const result = run(compile(randomModel(g, { zeroCosts: true }).model));
				const s = result.strategies[0];
				expect(s.discounted.cost).toBe(0);
				expect(s.undiscounted.cost).toBe(0);
				expect(s.cycleCosts.every((c) => c === 0)).toBe(true);
			}),
			{ seed: SEED + 1, numRuns: RUNS }
		);
	});

	it('discount rates of 0 give the undiscounted sums', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const result = run(compile(randomModel(g).model), { settings: { discountRates: { costs: 0, outcomes: 0 } } });
				const s = result.strategies[0];
				expect(close(s.discounted.cost, s.undiscounted.cost, 1e-12)).toBe(true);
				expect(close(s.discounted.qaly, s.undiscounted.qaly, 1e-12)).toBe(true);
				expect(close(s.discounted.lifeYears, s.undiscounted.lifeYears, 1e-12)).toBe(true);
			}),
			{ seed: SEED + 2, numRuns: RUNS }
		);
	});

	it('start minus end equals the value at the first time point minus the value at the last (constant values, undiscounted)', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const { model } = randomModel(g, { constantValues: true });
				const compiled = compile(model);
				const atStart = run(compiled, { settings: { cycleCorrection: 'start' } });
				const atEnd = run(compiled, { settings: { cycleCorrection: 'end' } });
				const n = atStart.settings.horizon;
				const cl = atStart.settings.cycleLength;
				const x0 = traceAt(atStart, 0);
				const xn = traceAt(atStart, n);
				const cost = model.states.map((s) => s.costs!.care as number);
				const utility = model.states.map((s) => s.utility as number);
				const dot = (v: number[], x: number[]) => v.reduce((a, vi, i) => a + vi * x[i], 0);
				const costDiff = atStart.strategies[0].undiscounted.cost - atEnd.strategies[0].undiscounted.cost;
				const qalyDiff = atStart.strategies[0].undiscounted.qaly - atEnd.strategies[0].undiscounted.qaly;
				const scaleC = Math.max(1, atStart.strategies[0].undiscounted.cost);
				const scaleQ = Math.max(1, atStart.strategies[0].undiscounted.qaly);
				expect(Math.abs(costDiff - (dot(cost, x0) - dot(cost, xn))) / scaleC).toBeLessThan(1e-9);
				expect(Math.abs(qalyDiff - cl * (dot(utility, x0) - dot(utility, xn))) / scaleQ).toBeLessThan(1e-9);
			}),
			{ seed: SEED + 3, numRuns: RUNS }
		);
	});

	it('half-cycle equals life-table for constant values without discounting', () => {
		fc.assert(
			fc.property(fc.gen(), (g) => {
				const compiled = compile(randomModel(g, { constantValues: true }).model);
				const zero = { discountRates: { costs: 0, outcomes: 0 } };
				const half = run(compiled, { settings: { ...zero, cycleCorrection: 'half-cycle' } }).strategies[0];
				const table = run(compiled, { settings: { ...zero, cycleCorrection: 'life-table' } }).strategies[0];
				expect(close(half.discounted.cost, table.discounted.cost)).toBe(true);
				expect(close(half.discounted.qaly, table.discounted.qaly)).toBe(true);
				expect(close(half.discounted.lifeYears, table.discounted.lifeYears)).toBe(true);
			}),
			{ seed: SEED + 4, numRuns: RUNS }
		);
	});
});

/**
 * Brute-force dominance, written from the definitions rather than the algorithm:
 *  - strongly dominated: another strategy costs no more and is at least as effective, and is
 *    better on one of the two (of identical strategies, the later one listed is dominated);
 *  - extendedly dominated: not strongly dominated, and strictly below the chord between two
 *    other non-dominated strategies, one cheaper and one dearer (a mix of them is better);
 *  - the rest form the frontier; each ICER is against the next cheaper frontier strategy.
 * Costs and effects are small integers so every comparison is exact.
 */
function bruteForce(outcomes: Outcome[]) {
	const strong = outcomes.map((s, i) =>
		outcomes.some(
			(o, j) =>
				j !== i &&
				o.cost <= s.cost &&
				o.effect >= s.effect &&
				(o.cost < s.cost || o.effect > s.effect || j < i)
		)
	);
	const open = outcomes.filter((_, i) => !strong[i]);
	const extended = outcomes.map((s, i) => {
		if (strong[i]) return false;
		return open.some((a) =>
			open.some(
				(b) =>
					a.cost < s.cost &&
					s.cost < b.cost &&
					// s.effect < a.effect + (b.effect - a.effect) * (s.cost - a.cost) / (b.cost - a.cost)
					s.effect * (b.cost - a.cost) < a.effect * (b.cost - a.cost) + (b.effect - a.effect) * (s.cost - a.cost)
			)
		);
	});
	const frontier = outcomes.filter((_, i) => !strong[i] && !extended[i]).sort((a, b) => a.cost - b.cost);
	return { strong, extended, frontier };
}

describe('incrementalAnalysis against brute-force dominance', () => {
	const outcomeSet = fc
		.array(fc.record({ cost: fc.integer({ min: 0, max: 60 }), effect: fc.integer({ min: 0, max: 40 }) }), { minLength: 1, maxLength: 8 })
		.map((list) => list.map((o, i) => ({ id: `s${i}`, ...o })));

	it('statuses, comparators and ICERs match the definitions; dominated strategies never get an ICER', () => {
		fc.assert(
			fc.property(outcomeSet, (outcomes) => {
				const rows = incrementalAnalysis(outcomes);
				const expected = bruteForce(outcomes);
				expect(rows).toHaveLength(outcomes.length);
				outcomes.forEach((o, i) => {
					const row = rows.find((r) => r.id === o.id)!;
					if (expected.strong[i]) expect(row.status).toBe('dominated');
					else if (expected.extended[i]) expect(row.status).toBe('extendedly-dominated');
					else expect(['reference', 'frontier']).toContain(row.status);
					if (row.status === 'dominated' || row.status === 'extendedly-dominated') {
						expect(row.icer).toBeNull();
						expect(row.incrementalCost).toBeNull();
						expect(row.dominatedBy).not.toBeNull();
					}
				});
				expected.frontier.forEach((f, k) => {
					const row = rows.find((r) => r.id === f.id)!;
					if (k === 0) {
						expect(row.status).toBe('reference');
						expect(row.icer).toBeNull();
						return;
					}
					const prev = expected.frontier[k - 1];
					expect(row.status).toBe('frontier');
					expect(row.comparator).toBe(prev.id);
					expect(row.icer).toBe((f.cost - prev.cost) / (f.effect - prev.effect));
				});
				// ICERs rise along the frontier
				const icers = expected.frontier.slice(1).map((f) => rows.find((r) => r.id === f.id)!.icer!);
				for (let k = 1; k < icers.length; k++) expect(icers[k]).toBeGreaterThanOrEqual(icers[k - 1]);
			}),
			{ seed: SEED + 5, numRuns: 300 }
		);
	});

	it('on real-valued costs and effects: the frontier rises in cost, effect and ICER, and nothing off it has an ICER', () => {
		// real-valued but on a grid, so two values are either equal or far apart compared with the
		// engine's tie tolerance (1e-12 relative), which decides near-ties by input order
		const real = fc
			.array(fc.record({ cost: fc.integer({ min: -100, max: 1000 }).map((i) => i * 1234.567), effect: fc.integer({ min: -50, max: 300 }).map((j) => j * 0.0731) }), {
				minLength: 1,
				maxLength: 10
			})
			.map((list) => list.map((o, i) => ({ id: `s${i}`, ...o })));
		fc.assert(
			fc.property(real, (outcomes) => {
				const rows = incrementalAnalysis(outcomes);
				const frontier = rows.filter((r) => r.status === 'reference' || r.status === 'frontier');
				expect(rows.filter((r) => r.status === 'reference')).toHaveLength(1);
				for (const r of rows)
					if (r.status === 'dominated' || r.status === 'extendedly-dominated') expect(r.icer).toBeNull();
				for (let k = 1; k < frontier.length; k++) {
					expect(frontier[k].cost).toBeGreaterThan(frontier[k - 1].cost);
					expect(frontier[k].effect).toBeGreaterThan(frontier[k - 1].effect);
					expect(frontier[k].comparator).toBe(frontier[k - 1].id);
					if (k > 1) expect(frontier[k].icer!).toBeGreaterThanOrEqual(frontier[k - 1].icer! * (1 - 1e-12));
				}
				// the cheapest strategy among the most effective ones is never dominated
				const best = Math.max(...outcomes.map((o) => o.effect));
				const cheapestBest = outcomes.filter((o) => o.effect === best).sort((a, b) => a.cost - b.cost)[0];
				expect(frontier.map((f) => f.id)).toContain(cheapestBest.id);
			}),
			{ seed: SEED + 6, numRuns: 300 }
		);
	});
});
