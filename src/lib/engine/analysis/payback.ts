/**
 * Payback: when does a one-off strategy (e.g. aHSCT, a cell therapy) become cheaper in
 * cumulative cost than a lifelong one (continuous disease-modifying therapy)?
 *
 * With cumulative costs K_s(k) = sum of a strategy's costs at time points 0..k (k = 0 is the
 * one-off at model start) and D(k) = K_oneOff(k) - K_lifelong(k), payback is the cycle k from
 * which D stays <= 0 to the end of the horizon (the one-off strategy has paid for itself for
 * good): the first k of the final run of D <= 0. Costs of cycle k accrue over ((k - 1) L, k L]
 * for cycle length L, so the time is interpolated linearly within that cycle:
 * years = (k - 1 + D(k-1) / (D(k-1) - D(k))) L. Discounted or undiscounted costs may be used.
 * D > 0 at the end of the horizon is no payback (null). `firstYears` is the first time D <= 0,
 * which is earlier when a strategy is cheaper for a while, then dearer, then cheaper for good
 * (a short course paid in cycles has D(0) = 0: it does not count as paid back at the start
 * when it costs more in its first cycles).
 *
 *     paybackTime([10000, 0, 0, 0, 0], [0, 3000, 3000, 3000, 3000], 1).years; // 3.33: D = 10000, 7000, 4000, 1000, -2000
 */
import type { RunResult } from '../simulate/run';
import type { PsaResult } from './psa';
import { quantileOf, strategyIndex } from './outcomes';

export interface Payback {
	/** years from model start after which the one-off strategy stays no dearer; null if it is dearer at the end of the horizon */
	years: number | null;
	cycle: number | null;
	/** true when there is a payback (it lasts to the end of the horizon by definition) */
	staysBelow: boolean;
	/** the first time the cumulative cost is no higher (may be before a later rise), null if never */
	firstYears: number | null;
}

/** Time at which D crosses from D(k-1) > 0 to D(k) <= 0, interpolated within cycle k (cycle start if D(k-1) <= 0). */
function crossing(previous: number, next: number, k: number, cycleLength: number): number {
	return (k - 1 + (previous > 0 ? previous / (previous - next) : 0)) * cycleLength;
}

/**
 * Payback from per-time-point costs (index 0..n) of the two strategies: D(k) = K_oneOff(k) -
 * K_lifelong(k) cumulated, payback the first k of the final run of D <= 0, interpolated within
 * its cycle, years = (k - 1 + D(k-1) / (D(k-1) - D(k))) L (see the file's head).
 *
 * @example
 * paybackTime([10000, 0, 0, 0, 0], [0, 3000, 3000, 3000, 3000], 1).years // 3.33: D = 10000, 7000, 4000, 1000, -2000
 */
export function paybackTime(oneOff: ArrayLike<number>, lifelong: ArrayLike<number>, cycleLength: number): Payback {
	const lastPoint = Math.min(oneOff.length, lifelong.length) - 1;
	const difference = new Float64Array(lastPoint + 1);
	let cumulative = 0;
	for (let k = 0; k <= lastPoint; k++) difference[k] = cumulative += oneOff[k] - lifelong[k];
	const atTime = (k: number) => (k === 0 ? 0 : crossing(difference[k - 1], difference[k], k, cycleLength));
	// the first time point at which the one-off strategy is no dearer (at the start only if cheaper)
	let first: number | null = null;
	for (let k = 0; k <= lastPoint && first === null; k++) if (k === 0 ? difference[0] < 0 : difference[k] <= 0) first = k;
	if (difference[lastPoint] > 0) return { years: null, cycle: null, staysBelow: false, firstYears: first === null ? null : atTime(first) };
	// the start of the final run of time points with D <= 0
	let start = lastPoint;
	while (start > 0 && difference[start - 1] <= 0) start--;
	const years = atTime(start);
	return { years, cycle: start, staysBelow: true, firstYears: start === 0 || first === null ? years : Math.min(atTime(first), years) };
}

export interface PaybackOptions {
	oneOffId: string;
	lifelongId: string;
	/** use discounted costs (default true) */
	discounted?: boolean;
}

/**
 * Payback from a deterministic run: each strategy's cost per time point summed over cost
 * categories (discounted unless `discounted` is false), then paybackTime.
 *
 * @example
 * deterministicPayback(run(cm), { oneOffId: 'ahsct', lifelongId: 'dmt' }).years // years until aHSCT stays no dearer
 */
export function deterministicPayback(result: RunResult, request: PaybackOptions): Payback {
	const ids = { strategyIds: result.strategies.map((strategy) => strategy.id) };
	const oneOff = result.strategies[strategyIndex(ids, request.oneOffId, 'one-off strategy')];
	const lifelong = result.strategies[strategyIndex(ids, request.lifelongId, 'lifelong strategy')];
	const categoryCount = result.categoryIds.length;
	const horizon = result.settings.horizon;
	const perPoint = (cycleCosts: Float64Array) =>
		Float64Array.from({ length: horizon + 1 }, (_, k) => {
			let total = 0;
			for (let category = 0; category < categoryCount; category++) total += cycleCosts[k * categoryCount + category];
			return total;
		});
	const pick = (strategy: typeof oneOff) => perPoint(request.discounted === false ? strategy.cycleCostsUndiscounted : strategy.cycleCosts);
	return paybackTime(pick(oneOff), pick(lifelong), result.settings.cycleLength);
}

export interface PaybackDistribution {
	oneOffId: string;
	lifelongId: string;
	discounted: boolean;
	/** per iteration: years to payback, NaN when none within the horizon */
	years: Float64Array;
	probabilityWithinHorizon: number;
	/** quantiles of the payback time, with no payback counted as beyond the horizon (Infinity) */
	median: number;
	interval: [number, number];
	/** cumulative[k]: probability of payback by the end of cycle k (k = 0..n) */
	cumulative: Float64Array;
	horizonYears: number;
}

/**
 * Payback in every PSA iteration (the PSA must have been run with keepCycleCosts): the years per
 * iteration, the probability of payback within the horizon, the median and 95% interval of the
 * payback time (no payback counted as Infinity), and the probability of payback by each cycle.
 *
 * @example
 * psaPayback(runPsa(cm, { iterations: 1000, keepCycleCosts: true }), { oneOffId: 'ahsct', lifelongId: 'dmt' }).probabilityWithinHorizon
 */
export function psaPayback(psa: PsaResult, request: PaybackOptions): PaybackDistribution {
	const costs = request.discounted === false ? psa.cycleCostsUndiscounted : psa.cycleCosts;
	if (!costs) throw new RangeError('payback under uncertainty needs a PSA run with keepCycleCosts');
	const strategyCount = psa.strategyIds.length;
	const oneOff = strategyIndex(psa, request.oneOffId, 'one-off strategy');
	const lifelong = strategyIndex(psa, request.lifelongId, 'lifelong strategy');
	const points = psa.settings.horizon + 1;
	const cycleLength = psa.settings.cycleLength;
	const iterations = psa.iterations;
	const years = new Float64Array(iterations);
	const cumulative = new Float64Array(points);
	let within = 0;
	const costsOf = (i: number, strategy: number) => costs.subarray((i * strategyCount + strategy) * points, (i * strategyCount + strategy + 1) * points);
	for (let i = 0; i < iterations; i++) {
		const payback = paybackTime(costsOf(i, oneOff), costsOf(i, lifelong), cycleLength);
		years[i] = payback.years ?? NaN;
		if (payback.cycle !== null) {
			within++;
			cumulative[payback.cycle]++;
		}
	}
	for (let k = 1; k < points; k++) cumulative[k] += cumulative[k - 1];
	for (let k = 0; k < points; k++) cumulative[k] /= iterations;
	const sorted = years.map((value) => (Number.isNaN(value) ? Infinity : value)).sort();
	return {
		oneOffId: request.oneOffId,
		lifelongId: request.lifelongId,
		discounted: request.discounted !== false,
		years,
		probabilityWithinHorizon: within / iterations,
		median: quantileOf(sorted, 0.5),
		interval: [quantileOf(sorted, 0.025), quantileOf(sorted, 0.975)],
		cumulative,
		horizonYears: psa.settings.horizon * cycleLength
	};
}
