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

export function annualProfiles(result: RunResult, dead: ArrayLike<number | boolean>, years: number): AnnualProfile[] {
	return result.strategies.map((s) => annualProfile(result, s, dead, years));
}

export function annualProfile(
	result: RunResult,
	s: StrategyResult,
	dead: ArrayLike<number | boolean>,
	years: number
): AnnualProfile {
	const C = result.categoryIds.length;
	const S = result.stateIds.length;
	const L = result.settings.cycleLength;
	const n = result.settings.horizon;
	const cost = new Float64Array(years * C);
	for (let c = 0; c < C; c++) cost[c] += s.cycleCostsUndiscounted[c];
	for (let k = 1; k <= n; k++) {
		const t0 = (k - 1) * L;
		const t1 = k * L;
		if (t0 >= years) break;
		for (let j = Math.floor(t0); j < Math.min(years, Math.ceil(t1)); j++) {
			const overlap = Math.min(t1, j + 1) - Math.max(t0, j);
			if (overlap <= 0) continue;
			const w = overlap / L;
			for (let c = 0; c < C; c++) cost[j * C + c] += w * s.cycleCostsUndiscounted[k * C + c];
		}
	}
	const aliveAt = new Float64Array(n + 1);
	for (let t = 0; t <= n; t++) {
		let a = 0;
		for (let st = 0; st < S; st++) if (!dead[st]) a += s.trace[t * S + st];
		aliveAt[t] = a;
	}
	const alive = new Float64Array(years + 1);
	for (let j = 0; j <= years; j++) alive[j] = atTime(aliveAt, j / L);
	return { strategyId: s.id, label: s.label, years, categoryIds: result.categoryIds, cost, alive };
}

/** Linear interpolation in a series given at time points 0..n; beyond n the last value holds. */
export function atTime(series: Float64Array, t: number): number {
	const n = series.length - 1;
	if (t >= n) return series[n];
	const i = Math.floor(t);
	const f = t - i;
	return f === 0 ? series[i] : series[i] * (1 - f) + series[i + 1] * f;
}
