/**
 * The loops of column evaluation (columns.ts): one function per operation and operand shape,
 * each with its operation written inline, so that the engine optimises each loop on its own
 * (a loop shared by every operation, calling the operation per lane, is as slow as its slowest
 * caller and pays a call per lane). Each computes what the scalar closures of expressions.ts
 * compute, lane by lane: the operators as binaryOperation and relation write them, the
 * functions by calling the very functions of model/functions.ts (Math.pow, applyHR, ...), with
 * their arguments in the same order. tests/unit/columns-properties.test.ts holds them equal
 * bit for bit.
 *
 * `out` is written for lanes 0..n-1 (it is never an operand); scalars are one value for every lane.
 *
 * The loops calling Math.pow, Math.exp or Math.log (directly or through applyHR, rateToProb, ...)
 * reuse the previous lane's result when this lane's operands are the previous lane's, bit for
 * bit: in the JavaScript backend lanes are cycles, and many per-cycle values hold still from
 * cycle to cycle (a hazard ratio whose waning is off, a life-table band); comparing costs a lane
 * a few instructions, Math.pow some tens of nanoseconds.
 */
import { FUNCTIONS, applyHR, applyOR, combineProbs, probToRate, rateToProb, rescaleProb } from '../model/functions';

/** out[i] = a[i] op b[i] */
export type ColumnColumnKernel = (out: Float64Array, a: Float64Array, b: Float64Array, n: number) => void;
/** out[i] = a[i] op b */
export type ColumnScalarKernel = (out: Float64Array, a: Float64Array, b: number, n: number) => void;
/** out[i] = a op b[i] */
export type ScalarColumnKernel = (out: Float64Array, a: number, b: Float64Array, n: number) => void;

/** A binary operation in each shape with at least one column. */
export interface ShapeKernels {
	columnColumn: ColumnColumnKernel;
	columnScalar: ColumnScalarKernel;
	scalarColumn: ScalarColumnKernel;
}

/** Lane i of the column holds the same number as lane i - 1, to the bit (as Object.is; a NaN is never reused, only recomputed). */
function repeats(column: Float64Array, i: number): boolean {
	const x = column[i];
	const y = column[i - 1];
	return x === y && (x !== 0 || 1 / x === 1 / y);
}

/**
 * The operators other than + - * / (which columns.ts writes out, or the arena runs), as
 * binaryOperation (expressions.ts) defines them: pow is Math.pow; mod the floored remainder
 * a - b floor(a / b); and, or, xor and the comparisons give 1 or 0.
 */
export const OPERATOR_KERNELS: Readonly<Record<string, ShapeKernels>> = {
	pow: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) ? out[i - 1] : Math.pow(a[i], b[i]); },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : Math.pow(a[i], b); },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(b, i) ? out[i - 1] : Math.pow(a, b[i]); }
	},
	mod: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] - b[i] * Math.floor(a[i] / b[i]); },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] - b * Math.floor(a[i] / b); },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a - b[i] * Math.floor(a / b[i]); }
	},
	and: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b !== 0 ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a !== 0 && b[i] !== 0 ? 1 : 0; }
	},
	or: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || b !== 0 ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a !== 0 || b[i] !== 0 ? 1 : 0; }
	},
	xor: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = (a[i] !== 0) !== (b[i] !== 0) ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = (a[i] !== 0) !== (b !== 0) ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = (a !== 0) !== (b[i] !== 0) ? 1 : 0; }
	},
	smaller: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] < b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a < b[i] ? 1 : 0; }
	},
	larger: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] > b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a > b[i] ? 1 : 0; }
	},
	smallerEq: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] <= b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a <= b[i] ? 1 : 0; }
	},
	largerEq: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] >= b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a >= b[i] ? 1 : 0; }
	},
	equal: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] === b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a === b[i] ? 1 : 0; }
	},
	unequal: {
		columnColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0; },
		columnScalar: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a[i] !== b ? 1 : 0; },
		scalarColumn: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = a !== b[i] ? 1 : 0; }
	}
};

/**
 * out[i] = -a[i], as the scalar closure's unary minus.
 *
 * @example
 * negateColumn(out, Float64Array.of(1, -2), 2) // out: -1, 2
 */
export function negateColumn(out: Float64Array, a: Float64Array, n: number): void {
	for (let i = 0; i < n; i++) out[i] = -a[i];
}

/**
 * out[i] = 1 when a[i] is 0, else 0: `not`, as the scalar closure.
 *
 * @example
 * notColumn(out, Float64Array.of(0, 3), 2) // out: 1, 0
 */
export function notColumn(out: Float64Array, a: Float64Array, n: number): void {
	for (let i = 0; i < n; i++) out[i] = a[i] === 0 ? 1 : 0;
}

/**
 * out[i] = cond[i] !== 0 ? a[i] : b[i]: a conditional picking per lane.
 *
 * @example
 * pickColumn(out, Float64Array.of(1, 0), Float64Array.of(5, 5), Float64Array.of(7, 7), 2) // out: 5, 7
 */
export function pickColumn(out: Float64Array, cond: Float64Array, a: Float64Array, b: Float64Array, n: number): void {
	for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
}

/** out[i] = f(a[i]) */
export type UnaryKernel = (out: Float64Array, a: Float64Array, n: number) => void;
/** out[i] = f(a[i], b[i], c[i]) */
export type TernaryKernel = (out: Float64Array, a: Float64Array, b: Float64Array, c: Float64Array, n: number) => void;

const logOf = FUNCTIONS.log.fn;

/**
 * The functions of model/functions.ts called with one argument, each over a column. log is the
 * table's own function (log(x) with no base), the others the same functions as in the table.
 */
export const UNARY_FUNCTION_KERNELS: Readonly<Record<string, UnaryKernel>> = {
	exp: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : Math.exp(a[i]); },
	log: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : logOf(a[i]); },
	log10: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : Math.log10(a[i]); },
	sqrt: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]); },
	abs: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]); },
	floor: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.floor(a[i]); },
	ceil: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.ceil(a[i]); },
	round: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.round(a[i]); },
	min: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.min(a[i]); },
	max: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = Math.max(a[i]); },
	rateToProb: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : rateToProb(a[i]); },
	probToRate: (out, a, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) ? out[i - 1] : probToRate(a[i]); }
};

/** The functions of two arguments, each over two columns (a scalar argument is spread over the lanes first). */
export const BINARY_FUNCTION_KERNELS: Readonly<Record<string, ColumnColumnKernel>> = {
	log: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) ? out[i - 1] : logOf(a[i], b[i]); },
	pow: OPERATOR_KERNELS.pow.columnColumn,
	min: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]); },
	max: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]); },
	rateToProb: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) ? out[i - 1] : rateToProb(a[i], b[i]); },
	probToRate: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) ? out[i - 1] : probToRate(a[i], b[i]); },
	applyHR: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) ? out[i - 1] : applyHR(a[i], b[i]); },
	applyOR: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = applyOR(a[i], b[i]); },
	combineProbs: (out, a, b, n) => { for (let i = 0; i < n; i++) out[i] = combineProbs(a[i], b[i]); }
};

/** The functions of three arguments, each over three columns. */
export const TERNARY_FUNCTION_KERNELS: Readonly<Record<string, TernaryKernel>> = {
	min: (out, a, b, c, n) => { for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i], c[i]); },
	max: (out, a, b, c, n) => { for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i], c[i]); },
	rescaleProb: (out, a, b, c, n) => { for (let i = 0; i < n; i++) out[i] = i > 0 && repeats(a, i) && repeats(b, i) && repeats(c, i) ? out[i - 1] : rescaleProb(a[i], b[i], c[i]); }
};

/**
 * schedule(t, v1, ..., vn) over columns: lane i takes v_j[i] for j = floor(t[i]), held to 1..n;
 * a NaN t gives NaN (as FUNCTIONS.schedule).
 *
 * @example
 * scheduleColumns(out, times, [first, second], n) // out[i] = first[i] where times[i] < 2, else second[i]
 */
export function scheduleColumns(out: Float64Array, time: Float64Array, values: Float64Array[], n: number): void {
	const last = values.length - 1;
	for (let i = 0; i < n; i++) {
		const j = Math.floor(time[i]) - 1;
		out[i] = j !== j ? NaN : values[j < 0 ? 0 : j > last ? last : j][i];
	}
}

/**
 * piecewise(x, b1, v1, ..., otherwise) over columns: lane i takes the first v_k[i] with
 * x[i] <= b_k[i], else otherwise[i] (as FUNCTIONS.piecewise).
 *
 * @example
 * piecewiseColumns(out, ages, [forty, young, old], n) // out[i] = ages[i] <= forty[i] ? young[i] : old[i]
 */
export function piecewiseColumns(out: Float64Array, x: Float64Array, rest: Float64Array[], n: number): void {
	const pairs = (rest.length - 1) / 2;
	const otherwise = rest[rest.length - 1];
	for (let i = 0; i < n; i++) {
		const at = x[i];
		let value = otherwise[i];
		for (let k = 0; k < pairs; k++)
			if (at <= rest[2 * k][i]) {
				value = rest[2 * k + 1][i];
				break;
			}
		out[i] = value;
	}
}
