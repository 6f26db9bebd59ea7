/**
 * Cumulative cost per patient over time from a run's per-cycle costs (index 0 holds the
 * one-off costs at model start), and time in years at each point.
 */
import type { RunResult, StrategyResult } from '$lib/engine';

export function cumulativeCosts(result: RunResult, s: StrategyResult, discounted: boolean): Float64Array {
	const C = result.categoryIds.length;
	const n = result.settings.horizon;
	const src = discounted ? s.cycleCosts : s.cycleCostsUndiscounted;
	const out = new Float64Array(n + 1);
	let acc = 0;
	for (let k = 0; k <= n; k++) {
		for (let c = 0; c < C; c++) acc += src[k * C + c];
		out[k] = acc;
	}
	return out;
}

export function timeYears(result: RunResult): number[] {
	const n = result.settings.horizon;
	return Array.from({ length: n + 1 }, (_, k) => k * result.settings.cycleLength);
}
