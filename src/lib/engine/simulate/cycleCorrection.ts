/**
 * Cycle correction and discounting.
 *
 * The trace has time points t = 0..n (x_0 is the starting distribution, x_k the state after
 * cycle k). The value a state earns in cycle k (k = 1..n) is v_k, evaluated with model_time = k.
 * Every method is written as per-cycle weights on the two ends of each cycle:
 *
 *     reward = sum_k v_k * (alpha_k * x_{k-1} * d_{k-1} + beta_k * x_k * d_k)
 *
 * with d_t = 1 / (1 + r)^(t * cycleLength), the discount factor at elapsed time t cycles.
 *
 *  - start:      alpha = 1, beta = 0            (time points 0..n-1 counted)
 *  - end:        alpha = 0, beta = 1            (time points 1..n counted)
 *  - half-cycle: time points 0..n, weight 1/2 at t = 0 and t = n, 1 elsewhere; point t uses
 *                the value of cycle max(t, 1). alpha_1 = 1/2; beta_k = 1 (k < n), beta_n = 1/2.
 *  - simpson:    Simpson's 1/3 rule over time points 0..n (weights 1, 4, 2, 4, ..., 4, 1, over
 *                3). For odd n the last three intervals use Simpson's 3/8 rule (weights 3, 9, 9,
 *                3, over 8) so every n >= 2 is integrated exactly for cubics; n = 1 falls back
 *                to the trapezoid (half-cycle). Point t uses the value of cycle max(t, 1).
 *                (Elbasha & Chhatwal 2016, Med Decis Making 36(1):115-131.)
 *  - life-table: each cycle counts the mean of its start and end: alpha = beta = 1/2.
 *
 * With constant values and no discounting, half-cycle and life-table give the same totals; they
 * differ when values change over time, because half-cycle values point t with cycle t's value
 * while life-table splits it between cycles t and t + 1.
 *
 * One-off transition values (costs of events during cycle k) are discounted at the start of the
 * cycle for `start`, at its end for `end`, and at the mean of both otherwise.
 */
import type { CycleCorrection } from '../model/schema';

export interface CycleWeights {
	/** weight on x_{k-1}, index k = 1..n (index 0 unused) */
	alpha: Float64Array;
	/** weight on x_k, index k = 1..n (index 0 unused) */
	beta: Float64Array;
	/** weights on d_{k-1} and d_k for one-off transition values */
	eventAlpha: number;
	eventBeta: number;
}

/**
 * The weights alpha_k, beta_k (k = 1..n) and the event weights of a cycle-correction method, as
 * the header of this file defines them (Elbasha & Chhatwal 2016, Med Decis Making 36(1):115-131, for half-cycle and Simpson's rule).
 *
 * @example `cycleWeights('half-cycle', 3)` gives alpha = [_, 0.5, 0, 0] and beta = [_, 1, 1, 0.5].
 */
export function cycleWeights(method: CycleCorrection, n: number): CycleWeights {
	const alpha = new Float64Array(n + 1);
	const beta = new Float64Array(n + 1);
	let eventAlpha = 0.5;
	let eventBeta = 0.5;
	switch (method) {
		case 'start':
			for (let k = 1; k <= n; k++) alpha[k] = 1;
			eventAlpha = 1;
			eventBeta = 0;
			break;
		case 'end':
			for (let k = 1; k <= n; k++) beta[k] = 1;
			eventAlpha = 0;
			eventBeta = 1;
			break;
		case 'life-table':
			for (let k = 1; k <= n; k++) alpha[k] = beta[k] = 0.5;
			break;
		case 'half-cycle':
		case 'simpson': {
			const w = method === 'simpson' && n >= 2 ? simpsonWeights(n) : trapezoidWeights(n);
			alpha[1] = w[0];
			for (let k = 1; k <= n; k++) beta[k] = w[k];
			break;
		}
	}
	return { alpha, beta, eventAlpha, eventBeta };
}

/** Trapezoid weights over time points 0..n. */
function trapezoidWeights(n: number): Float64Array {
	const w = new Float64Array(n + 1).fill(1);
	w[0] = 0.5;
	w[n] = 0.5;
	return w;
}

/**
 * Composite Simpson weights over time points 0..n (n >= 2): 1, 4, 2, ..., 4, 1 over 3, with the
 * 3/8 rule (3, 9, 9, 3 over 8) on the last 3 intervals if n is odd (Elbasha & Chhatwal 2016).
 *
 * @example `simpsonWeights(2)` is [1/3, 4/3, 1/3]; `simpsonWeights(3)` is [3/8, 9/8, 9/8, 3/8].
 */
export function simpsonWeights(n: number): Float64Array {
	const w = new Float64Array(n + 1);
	const m = n % 2 === 0 ? n : n - 3; // intervals covered by the 1/3 rule
	for (let t = 0; t <= m && m > 0; t++) {
		const c = t === 0 || t === m ? 1 : t % 2 === 1 ? 4 : 2;
		w[t] += c / 3;
	}
	if (m !== n) {
		const c = [3, 9, 9, 3];
		for (let i = 0; i < 4; i++) w[m + i] += (c[i] * 3) / 8 / 3;
	}
	return w;
}

/**
 * Discount factors d_t = 1 / (1 + rate)^(t * cycleLength) for t = 0..n (annual rate, cycle
 * length in years).
 *
 * @example `discountFactors(0.035, 2, 1)` is [1, 1 / 1.035, 1 / 1.035^2].
 */
export function discountFactors(rate: number, n: number, cycleLength: number): Float64Array {
	const d = new Float64Array(n + 1);
	for (let t = 0; t <= n; t++) d[t] = 1 / Math.pow(1 + rate, t * cycleLength);
	return d;
}

/**
 * The weights of a run's settings: cycle-correction weights over cycles 1..n and the discount
 * factors of costs and outcomes over time points 0..n. `key` names the settings they depend on,
 * so a caller keeps one timing while the settings stay the same (ARCHITECTURE.md, principle 6).
 */
export interface CycleTiming {
	key: string;
	weights: CycleWeights;
	/** d_t of costs, t = 0..n */
	costDiscount: Float64Array;
	/** d_t of QALYs and life years, t = 0..n */
	outcomeDiscount: Float64Array;
}

/** The settings a timing depends on. */
export interface TimingSettings {
	cycleCorrection: CycleCorrection;
	horizon: number;
	cycleLength: number;
	discountRates: { costs: number; outcomes: number };
}

/**
 * The timing of `settings`: `previous` itself when it was made for the same settings, else new
 * weights (cycleWeights) and discount factors d_t = 1 / (1 + r)^(t * cycleLength).
 *
 * @example `timing = cycleTiming(settings, timing)` before each run recomputes only when the
 * horizon, cycle length, correction or a discount rate changed.
 */
export function cycleTiming(settings: TimingSettings, previous: CycleTiming | null = null): CycleTiming {
	const { cycleCorrection, horizon, cycleLength, discountRates } = settings;
	const key = `${cycleCorrection}|${horizon}|${cycleLength}|${discountRates.costs}|${discountRates.outcomes}`;
	if (previous && previous.key === key) return previous;
	return {
		key,
		weights: cycleWeights(cycleCorrection, horizon),
		costDiscount: discountFactors(discountRates.costs, horizon, cycleLength),
		outcomeDiscount: discountFactors(discountRates.outcomes, horizon, cycleLength)
	};
}
