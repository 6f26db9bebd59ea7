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

/** Index of a strategy by id, with an error that lists the known ones. */
export function strategyIndex(o: { strategyIds: string[] }, id: string, role = 'strategy'): number {
	const i = o.strategyIds.indexOf(id);
	if (i < 0) throw new RangeError(`no ${role} "${id}"; strategies are ${o.strategyIds.join(', ')}`);
	return i;
}

/** Net monetary benefit of every iteration and strategy at one willingness to pay: wtp x effect - cost. */
export function netBenefits(o: PsaOutcomes, willingnessToPay: number, out = new Float64Array(o.iterations * o.strategyIds.length)): Float64Array {
	const n = o.iterations * o.strategyIds.length;
	for (let j = 0; j < n; j++) out[j] = willingnessToPay * o.qaly[j] - o.cost[j];
	return out;
}

/** Willingness-to-pay values min, min + step, ..., up to max (inclusive within rounding). */
export function wtpRange(min: number, max: number, step: number): Float64Array {
	if (!(Number.isFinite(min) && Number.isFinite(max) && Number.isFinite(step)) || step <= 0 || max < min || min < 0)
		throw new RangeError(`willingness-to-pay range needs 0 <= min <= max and step > 0, got ${min}:${max}:${step}`);
	const count = Math.floor((max - min) / step + 1e-9) + 1;
	if (count > 100_000) throw new RangeError(`willingness-to-pay range has ${count} values; at most 100000`);
	return Float64Array.from({ length: count }, (_, j) => min + j * step);
}

/** Mean of column s of an iterations x strategies array. */
export function columnMean(a: Float64Array, iterations: number, strategies: number, s: number): number {
	let sum = 0;
	for (let i = 0; i < iterations; i++) sum += a[i * strategies + s];
	return sum / iterations;
}

/** Empirical quantile (type 7, linear interpolation, as R's default) of a sorted copy. */
export function quantileOf(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	const h = (sorted.length - 1) * p;
	const lo = Math.floor(h);
	const hi = Math.min(lo + 1, sorted.length - 1);
	return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
