/**
 * Threshold analysis: the value of one parameter (a cell-therapy price, a DMT price, an effect
 * size) at which a strategy's net monetary benefit equals a comparator's at a given
 * willingness to pay, i.e. the root of INB(x) = NMB_strategy(x) - NMB_comparator(x).
 *
 * Method: INB is evaluated on a grid over the range (default: the parameter's low..high;
 * `gridIntervals` + 1 points); every sign change is refined by Brent's method to `tolerance`
 * in the parameter's units (default 1e-6 of the range's width). All thresholds in the range
 * are returned (INB need not be monotone); none is a valid answer ("no threshold in range"),
 * with INB at both ends to say which strategy is preferred throughout. A grid cannot see two
 * roots closer together than one grid interval.
 */
import type { CompiledModel } from '../model/compile';
import { compiledFor } from '../model/compile';
import { ModelError } from '../errors';
import { own } from '../records';
import type { RunOptions } from '../simulate/run';
import { createEvaluator, nmbOf } from './deterministic';
import { strategyIndex } from './outcomes';
import { brent } from './rootFinding';

export interface ThresholdOptions {
	parameter: string;
	strategyId: string;
	comparatorId: string;
	willingnessToPay?: number;
	/** search range (default: the parameter's low and high) */
	range?: [number, number];
	/** absolute tolerance on the parameter value (default: 1e-6 x range width) */
	tolerance?: number;
	/** grid intervals scanned for sign changes (default 40) */
	gridIntervals?: number;
	options?: RunOptions;
}

export interface ThresholdResult {
	parameter: string;
	strategyId: string;
	comparatorId: string;
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	range: [number, number];
	tolerance: number;
	/** every value in range where INB changes sign, ascending */
	thresholds: number[];
	status: 'found' | 'none-in-range';
	/** incremental NMB (strategy minus comparator) at the base value and the range's ends */
	incrementalNmbAtBase: number;
	incrementalNmbAtLow: number;
	incrementalNmbAtHigh: number;
	baseValue: number;
	/** model runs used */
	evaluations: number;
	/** a plain-language statement of the answer */
	message: string;
}

/**
 * The values of one parameter in a range at which a strategy's net monetary benefit equals a
 * comparator's: the roots of INB(x) = NMB_strategy(x) - NMB_comparator(x), NMB = λ E - C, found
 * by a grid scan for sign changes refined by Brent's method (rootFinding.ts).
 *
 * @example
 * threshold(compiled, { parameter: 'c_ahsct', strategyId: 'ahsct', comparatorId: 'dmt', willingnessToPay: 30000 }).thresholds
 * // [the price of aHSCT at which both strategies have the same NMB], or [] with status 'none-in-range'
 */
export function threshold(compiled: CompiledModel, request: ThresholdOptions): ThresholdResult {
	const cm = compiledFor(compiled, request.options); // range and answer in the target currency and price year
	const parameter = own(cm.model.parameters, request.parameter);
	if (!parameter) throw new RangeError(`no parameter "${request.parameter}"; parameters are ${cm.parameterIds.join(', ')}`);
	const evaluator = createEvaluator(cm, request.options ?? {});
	const strategy = strategyIndex(evaluator, request.strategyId);
	const comparator = strategyIndex(evaluator, request.comparatorId, 'comparator');
	if (strategy === comparator) throw new RangeError('strategy and comparator must differ');
	const willingnessToPay = request.willingnessToPay ?? evaluator.settings.willingnessToPay;
	const low = request.range?.[0] ?? parameter.low;
	const high = request.range?.[1] ?? parameter.high;
	if (low === undefined || high === undefined) throw new RangeError(`parameter "${request.parameter}" has no low/high in the model; give a search range`);
	if (!(low < high)) throw new RangeError(`search range must have low < high, got ${low} to ${high}`);
	const tolerance = request.tolerance ?? 1e-6 * (high - low);
	if (!(tolerance > 0)) throw new RangeError(`tolerance must be above 0, got ${tolerance}`);
	let evaluations = 0;
	const incrementalNmb = (value: number): number => {
		evaluations++;
		const benefit = nmbOf(evaluator.evaluate({ [request.parameter]: value }), willingnessToPay);
		return benefit[strategy] - benefit[comparator];
	};
	const baseBenefit = nmbOf(evaluator.evaluate(), willingnessToPay);
	const grid = scanGrid(incrementalNmb, low, high, request.gridIntervals ?? 40, request.parameter);
	const thresholds = rootsOnGrid(incrementalNmb, grid, tolerance);
	const label = (id: string) => cm.strategies.find((candidate) => candidate.id === id)?.label ?? id;
	const preferred = (inmb: number) => (inmb > 0 ? label(request.strategyId) : inmb < 0 ? label(request.comparatorId) : 'neither');
	const money = `${evaluator.settings.currency} ${willingnessToPay} per QALY`;
	const message = thresholds.length
		? `${label(request.strategyId)} and ${label(request.comparatorId)} have equal net monetary benefit at ${money} when ${request.parameter} = ${thresholds
				.map((root) => Number(root.toPrecision(8)))
				.join(' or ')} (${parameter.unit}; tolerance ${Number(tolerance.toPrecision(3))})`
		: `no threshold in ${low} to ${high} (${parameter.unit}): ${preferred(grid.inmb[0])} has the higher net monetary benefit at ${money} throughout`;
	return {
		parameter: request.parameter,
		strategyId: request.strategyId,
		comparatorId: request.comparatorId,
		willingnessToPay,
		currency: evaluator.settings.currency,
		priceYear: evaluator.settings.priceYear,
		range: [low, high],
		tolerance,
		thresholds,
		status: thresholds.length ? 'found' : 'none-in-range',
		incrementalNmbAtBase: baseBenefit[strategy] - baseBenefit[comparator],
		incrementalNmbAtLow: grid.inmb[0],
		incrementalNmbAtHigh: grid.inmb[grid.inmb.length - 1],
		baseValue: request.options?.parameters?.[request.parameter] ?? parameter.value ?? NaN,
		evaluations,
		message
	};
}

/** INB at `intervals` + 1 evenly spaced values from low to high; a run that fails names the value searched. */
function scanGrid(incrementalNmb: (value: number) => number, low: number, high: number, intervals: number, parameterId: string): { values: number[]; inmb: number[] } {
	const values: number[] = [];
	const inmb: number[] = [];
	for (let j = 0; j <= intervals; j++) {
		const value = j === intervals ? high : low + ((high - low) * j) / intervals;
		try {
			values.push(value);
			inmb.push(incrementalNmb(value));
		} catch (error) {
			if (error instanceof ModelError)
				throw new ModelError(error.issues.map((found) => ({ ...found, message: `${found.message} (threshold search at ${parameterId} = ${value})` })));
			throw error;
		}
	}
	return { values, inmb };
}

/** Every grid value where INB is 0, and a Brent root in every interval where it changes sign, ascending. */
function rootsOnGrid(incrementalNmb: (value: number) => number, grid: { values: number[]; inmb: number[] }, tolerance: number): number[] {
	const { values, inmb } = grid;
	const intervals = values.length - 1;
	const roots: number[] = [];
	for (let j = 0; j < intervals; j++) {
		if (inmb[j] === 0) roots.push(values[j]);
		else if (inmb[j + 1] !== 0 && Math.sign(inmb[j]) !== Math.sign(inmb[j + 1])) roots.push(brent(incrementalNmb, values[j], values[j + 1], tolerance).root);
	}
	if (inmb[intervals] === 0) roots.push(values[intervals]);
	return roots;
}
