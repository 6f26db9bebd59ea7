/**
 * The functions a model expression may call. This table is the whole of what expressions can
 * reach: no mathjs instance, no global object, no property access (see expressions.ts).
 *
 * Conversions follow Briggs, Claxton & Sculpher (2006) Decision Modelling for Health Economic
 * Evaluation, ch. 3: p = 1 - exp(-r t), r = -ln(1 - p) / t, and a hazard ratio applied to a
 * probability through its rate: p' = 1 - (1 - p)^hr.
 */

export interface FunctionSpec {
	minArgs: number;
	maxArgs: number;
	fn: (...args: number[]) => number;
	doc: string;
}

/**
 * A constant rate over `time` as a probability: p = 1 - exp(-rate * time) (Briggs, Claxton &
 * Sculpher 2006, ch. 3).
 *
 * @example
 * rateToProb(0.1)    // 0.0952 (a rate of 0.1 a year, over one year)
 * rateToProb(0.1, 5) // 0.3935
 */
export function rateToProb(rate: number, time = 1): number {
	return 1 - Math.exp(-rate * time);
}

/**
 * A probability over `time` as a constant rate: rate = -ln(1 - p) / time (Briggs, Claxton &
 * Sculpher 2006, ch. 3).
 *
 * @example
 * probToRate(0.2) // 0.2231
 */
export function probToRate(probability: number, time = 1): number {
	return -Math.log(1 - probability) / time;
}

/**
 * A probability over `fromLength` rescaled to `toLength` (same units) at a constant rate:
 * p' = 1 - (1 - p)^(toLength / fromLength) (Briggs, Claxton & Sculpher 2006, ch. 3).
 *
 * @example
 * rescaleProb(0.5, 5, 1) // 0.1294: a five-year probability of 0.5 as a one-year probability
 */
export function rescaleProb(probability: number, fromLength: number, toLength: number): number {
	return 1 - Math.pow(1 - probability, toLength / fromLength);
}

/**
 * A hazard ratio applied to a probability through its rate (proportional hazards):
 * p' = 1 - exp(-hr * r) with r = -ln(1 - p), that is 1 - (1 - p)^hr.
 *
 * @example
 * applyHR(0.2, 0.5) // 0.1056
 */
export function applyHR(probability: number, hazardRatio: number): number {
	return 1 - Math.pow(1 - probability, hazardRatio);
}

/**
 * An odds ratio applied to a probability: odds' = or * p / (1 - p), p' = odds' / (1 + odds').
 *
 * @example
 * applyOR(0.2, 2) // 0.3333 (odds 0.25 doubled to 0.5)
 */
export function applyOR(probability: number, oddsRatio: number): number {
	const odds = (probability / (1 - probability)) * oddsRatio;
	return odds / (1 + odds);
}

/**
 * Probability that at least one of two independent events happens in the cycle:
 * 1 - (1 - p1)(1 - p2).
 *
 * @example
 * combineProbs(0.1, 0.2) // 0.28
 */
export function combineProbs(first: number, second: number): number {
	return 1 - (1 - first) * (1 - second);
}

/**
 * schedule(t, v1, v2, ..., vn): v_t for t = 1..n, v_n after (e.g. a loading year then
 * maintenance); t is rounded down, t < 1 gives v1, and a NaN t gives NaN (never a missing value).
 *   schedule(2.5, 10, 20, 30) = 20; schedule(9, 10, 20) = 20
 */
function schedule(t: number, ...values: number[]): number {
	if (Number.isNaN(t)) return NaN;
	const i = Math.min(Math.max(Math.floor(t), 1), values.length) - 1;
	return values[i];
}

/**
 * piecewise(x, b1, v1, b2, v2, ..., otherwise): v1 if x <= b1, else v2 if x <= b2, ..., else
 * `otherwise`. Breakpoints must increase.
 */
function piecewise(x: number, ...rest: number[]): number {
	const n = (rest.length - 1) / 2;
	for (let i = 0; i < n; i++) if (x <= rest[2 * i]) return rest[2 * i + 1];
	return rest[rest.length - 1];
}

export const FUNCTIONS: Record<string, FunctionSpec> = {
	exp: { minArgs: 1, maxArgs: 1, fn: Math.exp, doc: 'e^x' },
	log: {
		minArgs: 1,
		maxArgs: 2,
		fn: (x: number, base?: number) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)),
		doc: 'natural logarithm, or log(x, base)'
	},
	log10: { minArgs: 1, maxArgs: 1, fn: Math.log10, doc: 'base-10 logarithm' },
	sqrt: { minArgs: 1, maxArgs: 1, fn: Math.sqrt, doc: 'square root' },
	abs: { minArgs: 1, maxArgs: 1, fn: Math.abs, doc: 'absolute value' },
	floor: { minArgs: 1, maxArgs: 1, fn: Math.floor, doc: 'round down' },
	ceil: { minArgs: 1, maxArgs: 1, fn: Math.ceil, doc: 'round up' },
	round: { minArgs: 1, maxArgs: 1, fn: Math.round, doc: 'round to nearest' },
	pow: { minArgs: 2, maxArgs: 2, fn: Math.pow, doc: 'x^y' },
	min: { minArgs: 1, maxArgs: 64, fn: Math.min, doc: 'smallest argument' },
	max: { minArgs: 1, maxArgs: 64, fn: Math.max, doc: 'largest argument' },
	rateToProb: { minArgs: 1, maxArgs: 2, fn: rateToProb, doc: 'rateToProb(rate, time = 1) = 1 - exp(-rate time)' },
	probToRate: { minArgs: 1, maxArgs: 2, fn: probToRate, doc: 'probToRate(p, time = 1) = -ln(1 - p) / time' },
	rescaleProb: {
		minArgs: 3,
		maxArgs: 3,
		fn: rescaleProb,
		doc: 'rescaleProb(p, fromLength, toLength) = 1 - (1 - p)^(toLength / fromLength)'
	},
	applyHR: { minArgs: 2, maxArgs: 2, fn: applyHR, doc: 'applyHR(p, hr) = 1 - (1 - p)^hr' },
	applyOR: { minArgs: 2, maxArgs: 2, fn: applyOR, doc: 'odds(p) x or, back to a probability' },
	combineProbs: { minArgs: 2, maxArgs: 2, fn: combineProbs, doc: '1 - (1 - p1)(1 - p2)' },
	schedule: { minArgs: 2, maxArgs: 256, fn: schedule, doc: 'schedule(t, v1, ..., vn): v_t, then v_n' },
	piecewise: {
		minArgs: 4,
		maxArgs: 257,
		fn: piecewise,
		doc: 'piecewise(x, b1, v1, ..., otherwise): first v_i with x <= b_i'
	}
};

/** lifeTable(name, age, sex) is compiled specially: the name must be a string literal. */
export const LIFE_TABLE_FUNCTION = 'lifeTable';

/** Built-in variables, set by the engine at each cycle. */
export const BUILTINS = ['model_time', 'age', 'state_time', 'cycle_length'] as const;
export type Builtin = (typeof BUILTINS)[number];
