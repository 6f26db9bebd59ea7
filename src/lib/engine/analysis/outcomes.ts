/**
 * The per-iteration outcomes that the decision analyses read: costs and effects of each
 * strategy in each PSA iteration, laid out as in BCEA (rows simulations, columns
 * interventions): value[i * strategies + s]. A PsaResult is one; so is any pair of arrays a
 * user brings (e.g. read from another tool's CSV).
 */
export interface PsaOutcomes {
	iterations: number;
	strategyIds: string[];
	cost: Float64Array;
	/** the effect measure (QALYs, or life years) */
	qaly: Float64Array;
}

/**
 * Index of a strategy by id, with an error that lists the known ones.
 *
 * @example
 * strategyIndex({ strategyIds: ['dmt', 'ahsct'] }, 'ahsct') // 1
 * strategyIndex({ strategyIds: ['dmt', 'ahsct'] }, 'car-t', 'comparator') // RangeError: no comparator "car-t"; strategies are dmt, ahsct
 */
export function strategyIndex(outcomes: { strategyIds: string[] }, id: string, role = 'strategy'): number {
	const index = outcomes.strategyIds.indexOf(id);
	if (index < 0) throw new RangeError(`no ${role} "${id}"; strategies are ${outcomes.strategyIds.join(', ')}`);
	return index;
}

/**
 * Net monetary benefit of every iteration and strategy at one willingness to pay:
 * NMB[i, s] = wtp x effect[i, s] - cost[i, s], laid out as the outcomes.
 *
 * @example
 * netBenefits({ iterations: 1, strategyIds: ['a', 'b'], cost: Float64Array.of(1000, 3000), qaly: Float64Array.of(1, 2) }, 20000)
 * // Float64Array [19000, 37000]
 */
export function netBenefits(outcomes: PsaOutcomes, willingnessToPay: number, out = new Float64Array(outcomes.iterations * outcomes.strategyIds.length)): Float64Array {
	const cells = outcomes.iterations * outcomes.strategyIds.length;
	for (let j = 0; j < cells; j++) out[j] = willingnessToPay * outcomes.qaly[j] - outcomes.cost[j];
	return out;
}

/**
 * Willingness-to-pay values min, min + step, ..., up to max (inclusive within rounding); at most
 * 100,000 values.
 *
 * @example
 * wtpRange(0, 50000, 10000) // Float64Array [0, 10000, 20000, 30000, 40000, 50000]
 */
export function wtpRange(min: number, max: number, step: number): Float64Array {
	if (!(Number.isFinite(min) && Number.isFinite(max) && Number.isFinite(step)) || step <= 0 || max < min || min < 0)
		throw new RangeError(`willingness-to-pay range needs 0 <= min <= max and step > 0, got ${min}:${max}:${step}`);
	const count = Math.floor((max - min) / step + 1e-9) + 1;
	if (count > 100_000) throw new RangeError(`willingness-to-pay range has ${count} values; at most 100000`);
	return Float64Array.from({ length: count }, (_, j) => min + j * step);
}

/**
 * Mean of one strategy's column of an iterations x strategies array: (1 / N) sum_i values[i, s].
 *
 * @example
 * columnMean(Float64Array.of(1, 10, 3, 30), 2, 2, 1) // 20: the mean of 10 and 30
 */
export function columnMean(values: Float64Array, iterations: number, strategies: number, strategy: number): number {
	let sum = 0;
	for (let i = 0; i < iterations; i++) sum += values[i * strategies + strategy];
	return sum / iterations;
}

/**
 * Empirical quantile of a sorted copy, type 7 of Hyndman & Fan (1996, Am Stat 50:361-365), R's
 * default: h = (n - 1) p, x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
 *
 * @example
 * quantileOf(Float64Array.of(1, 2, 3, 4), 0.5) // 2.5
 */
export function quantileOf(sorted: Float64Array, probability: number): number {
	if (sorted.length === 0) return NaN;
	const position = (sorted.length - 1) * probability;
	const below = Math.floor(position);
	const above = Math.min(below + 1, sorted.length - 1);
	return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
