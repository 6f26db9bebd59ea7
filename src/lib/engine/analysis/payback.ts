/**
 * Payback: when does a one-off strategy (e.g. aHSCT, a cell therapy) become cheaper in
 * cumulative cost than a lifelong one (continuous disease-modifying therapy)?
 *
 * With cumulative costs K_s(k) = sum of a strategy's costs at time points 0..k (k = 0 is the
 * one-off at model start) and D(k) = K_oneOff(k) - K_lifelong(k), payback is the first cycle k
 * with D(k) <= 0. Costs of cycle k accrue over ((k - 1) L, k L] for cycle length L, so the
 * time is interpolated linearly within that cycle: years = (k - 1 + D(k-1) / (D(k-1) - D(k))) L.
 * Discounted or undiscounted costs may be used. No payback within the horizon is reported as
 * null; if D turns positive again later, `staysBelow` is false.
 */
import type { RunResult } from '../run';
import type { PsaResult } from './psa';
import { quantileOf, strategyIndex } from './outcomes';

export interface Payback {
	/** years from model start, null if the one-off strategy never becomes cheaper within the horizon */
	years: number | null;
	cycle: number | null;
	staysBelow: boolean;
}

/** Payback from per-time-point costs (index 0..n) of the two strategies. */
export function paybackTime(oneOff: ArrayLike<number>, lifelong: ArrayLike<number>, cycleLength: number): Payback {
	const n = Math.min(oneOff.length, lifelong.length) - 1;
	let d = oneOff[0] - lifelong[0];
	if (d <= 0) return { years: 0, cycle: 0, staysBelow: staysBelow(oneOff, lifelong, 0, d) };
	for (let k = 1; k <= n; k++) {
		const next = d + oneOff[k] - lifelong[k];
		if (next <= 0) {
			const years = (k - 1 + d / (d - next)) * cycleLength;
			return { years, cycle: k, staysBelow: staysBelow(oneOff, lifelong, k, next) };
		}
		d = next;
	}
	return { years: null, cycle: null, staysBelow: false };
}

function staysBelow(a: ArrayLike<number>, b: ArrayLike<number>, from: number, d: number): boolean {
	const n = Math.min(a.length, b.length) - 1;
	for (let k = from + 1; k <= n; k++) {
		d += a[k] - b[k];
		if (d > 0) return false;
	}
	return true;
}

export interface PaybackOptions {
	oneOffId: string;
	lifelongId: string;
	/** use discounted costs (default true) */
	discounted?: boolean;
}

/** Payback from a deterministic run. */
export function deterministicPayback(result: RunResult, o: PaybackOptions): Payback {
	const ids = { strategyIds: result.strategies.map((s) => s.id) };
	const a = result.strategies[strategyIndex(ids, o.oneOffId, 'one-off strategy')];
	const b = result.strategies[strategyIndex(ids, o.lifelongId, 'lifelong strategy')];
	const C = result.categoryIds.length;
	const n = result.settings.horizon;
	const perPoint = (cycleCosts: Float64Array) => Float64Array.from({ length: n + 1 }, (_, k) => {
		let s = 0;
		for (let c = 0; c < C; c++) s += cycleCosts[k * C + c];
		return s;
	});
	const pick = (s: typeof a) => perPoint(o.discounted === false ? s.cycleCostsUndiscounted : s.cycleCosts);
	return paybackTime(pick(a), pick(b), result.settings.cycleLength);
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

/** Payback in every PSA iteration (the PSA must have been run with keepCycleCosts). */
export function psaPayback(psa: PsaResult, o: PaybackOptions): PaybackDistribution {
	const costs = o.discounted === false ? psa.cycleCostsUndiscounted : psa.cycleCosts;
	if (!costs) throw new RangeError('payback under uncertainty needs a PSA run with keepCycleCosts');
	const S = psa.strategyIds.length;
	const a = strategyIndex(psa, o.oneOffId, 'one-off strategy');
	const b = strategyIndex(psa, o.lifelongId, 'lifelong strategy');
	const n1 = psa.settings.horizon + 1;
	const cl = psa.settings.cycleLength;
	const N = psa.iterations;
	const years = new Float64Array(N);
	const cumulative = new Float64Array(n1);
	let within = 0;
	for (let i = 0; i < N; i++) {
		const p = paybackTime(costs.subarray((i * S + a) * n1, (i * S + a + 1) * n1), costs.subarray((i * S + b) * n1, (i * S + b + 1) * n1), cl);
		years[i] = p.years ?? NaN;
		if (p.cycle !== null) {
			within++;
			cumulative[p.cycle]++;
		}
	}
	for (let k = 1; k < n1; k++) cumulative[k] += cumulative[k - 1];
	for (let k = 0; k < n1; k++) cumulative[k] /= N;
	const sorted = years.map((y) => (Number.isNaN(y) ? Infinity : y)).sort();
	return {
		oneOffId: o.oneOffId,
		lifelongId: o.lifelongId,
		discounted: o.discounted !== false,
		years,
		probabilityWithinHorizon: within / N,
		median: quantileOf(sorted, 0.5),
		interval: [quantileOf(sorted, 0.025), quantileOf(sorted, 0.975)],
		cumulative,
		horizonYears: psa.settings.horizon * cl
	};
}
