/**
 * Per-patient profiles by year since treatment start, from one cohort run: what one patient who
 * starts a strategy costs in each of the following years, and the chance of being alive.
 *
 * The model runs in cycles of `cycleLength` years; cycle k (1..n) covers years-since-entry
 * [(k-1)L, kL). Its undiscounted cost is spread over the budget years it overlaps, in proportion
 * to the overlap (exact when cycles nest in years, e.g. monthly or annual cycles). The one-off
 * costs at model start (index 0) fall in year 0. Alive shares are read off the trace at whole
 * years (linear interpolation between time points when cycles do not meet year boundaries).
 */
import type { RunResult, StrategyResult } from '../simulate/run';

export interface AnnualProfile {
	strategyId: string;
	label: string;
	/** years covered (Y) */
	years: number;
	categoryIds: string[];
	/** cost[j * C + c]: undiscounted cost per patient in year-since-entry j = 0..Y-1, by category */
	cost: Float64Array;
	/** alive[j]: share alive at the start of year-since-entry j = 0..Y */
	alive: Float64Array;
}

/**
 * Every strategy's per-patient profile (annualProfile), in the run's strategy order.
 * @example
 * annualProfiles(run(compiled), compiled.dead, 10).map((p) => p.strategyId); // the model's strategy ids
 */
export function annualProfiles(result: RunResult, dead: ArrayLike<number | boolean>, years: number): AnnualProfile[] {
	return result.strategies.map((s) => annualProfile(result, s, dead, years));
}

/**
 * One strategy's per-patient profile by year since treatment start (this file's header):
 * cost[j, c] = one-off cost at model start (j = 0) + sum_k cost_k,c x |[(k-1)L, kL) n [j, j+1)| / L
 * over cycles k of length L years (undiscounted), and alive[j] = the trace's share in live
 * states at time j years (linear interpolation between cycles).
 * @example
 * // monthly cycles, 100 a cycle in the second of two categories, nobody dies:
 * const profile = annualProfile(result, result.strategies[0], compiled.dead, 10);
 * profile.cost[0 * 2 + 1]; // 1200 = 12 x 100 (up to rounding);  profile.alive // [1, 1, ...]
 */
export function annualProfile(
	result: RunResult,
	strategy: StrategyResult,
	dead: ArrayLike<number | boolean>,
	years: number
): AnnualProfile {
	const categories = result.categoryIds.length;
	const states = result.stateIds.length;
	const cycleLength = result.settings.cycleLength;
	const cycles = result.settings.horizon;
	const cycleCost = strategy.cycleCostsUndiscounted;
	const cost = new Float64Array(years * categories);
	for (let c = 0; c < categories; c++) cost[c] += cycleCost[c];
	for (let k = 1; k <= cycles; k++) {
		const cycleStart = (k - 1) * cycleLength;
		const cycleEnd = k * cycleLength;
		if (cycleStart >= years) break;
		for (let j = Math.floor(cycleStart); j < Math.min(years, Math.ceil(cycleEnd)); j++) {
			const overlap = Math.min(cycleEnd, j + 1) - Math.max(cycleStart, j);
			if (overlap <= 0) continue;
			const share = overlap / cycleLength;
			for (let c = 0; c < categories; c++) cost[j * categories + c] += share * cycleCost[k * categories + c];
		}
	}
	const aliveAt = new Float64Array(cycles + 1);
	for (let t = 0; t <= cycles; t++) {
		let aliveShare = 0;
		for (let state = 0; state < states; state++) if (!dead[state]) aliveShare += strategy.trace[t * states + state];
		aliveAt[t] = aliveShare;
	}
	const alive = new Float64Array(years + 1);
	for (let j = 0; j <= years; j++) alive[j] = atTime(aliveAt, j / cycleLength);
	return { strategyId: strategy.id, label: strategy.label, years, categoryIds: result.categoryIds, cost, alive };
}

/**
 * Linear interpolation in a series given at time points 0..n: value(t) = x_i (1 - f) + x_{i+1} f
 * with i = floor(t), f = t - i; beyond n the last value holds.
 * @example
 * atTime(Float64Array.of(1, 0.8, 0.6), 1.5); // 0.7
 * atTime(Float64Array.of(1, 0.8, 0.6), 5);   // 0.6
 */
export function atTime(series: Float64Array, t: number): number {
	const last = series.length - 1;
	if (t >= last) return series[last];
	const i = Math.floor(t);
	const fraction = t - i;
	return fraction === 0 ? series[i] : series[i] * (1 - fraction) + series[i + 1] * fraction;
}
