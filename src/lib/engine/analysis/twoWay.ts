/**
 * Two-way sensitivity analysis: a grid over a chosen pair of parameters, all others at base
 * case; at each point the NMB of every strategy and which is highest.
 *
 *     twoWay(compiled, { a: { id: 'price', from: 0, to: 1e5, steps: 21 }, b: { id: 'hr', from: 0.3, to: 0.9, steps: 13 } });
 * Cost: steps_a x steps_b model runs.
 */
import type { CompiledModel } from '../model/compile';
import { compiledFor } from '../model/compile';
import { ModelError } from '../errors';
import { own } from '../records';
import type { RunOptions } from '../simulate/run';
import { createEvaluator, nmbOf } from './deterministic';

export interface Axis {
	id: string;
	/** default: the parameter's low and high */
	from?: number;
	to?: number;
	/** number of grid values including both ends (default 11) */
	steps?: number;
}

export interface TwoWayOptions {
	a: Axis;
	b: Axis;
	options?: RunOptions;
	willingnessToPay?: number;
}

export interface TwoWayResult {
	a: { id: string; values: Float64Array };
	b: { id: string; values: Float64Array };
	strategyIds: string[];
	willingnessToPay: number;
	/** nmb[s][ia * bValues + ib] (NaN where the model could not run) */
	nmb: Float64Array[];
	/** optimal[ia * bValues + ib]: index of the strategy with the highest NMB, -1 where the run failed */
	optimal: Int32Array;
	errors: { a: number; b: number; message: string }[];
}

export const MAX_GRID = 10_000;

/**
 * Two-way sensitivity analysis: the NMB of every strategy, NMB = λ E - C, at each point of an
 * evenly spaced grid over two parameters (all others at base case), and the strategy with the
 * highest; a point where the model cannot run is NaN, with its error listed.
 *
 * @example
 * const grid = twoWay(compiled, { a: { id: 'price', from: 0, to: 1e5, steps: 21 }, b: { id: 'hr', from: 0.3, to: 0.9, steps: 13 } });
 * grid.strategyIds[grid.optimal[0]] // the best strategy at price 0 and hr 0.3
 */
export function twoWay(compiled: CompiledModel, request: TwoWayOptions): TwoWayResult {
	const cm = compiledFor(compiled, request.options); // ranges in the target currency and price year
	const evaluator = createEvaluator(cm, request.options ?? {});
	const willingnessToPay = request.willingnessToPay ?? evaluator.settings.willingnessToPay;
	if (request.a.id === request.b.id) throw new RangeError('two-way analysis needs two different parameters');
	const a = axisValues(cm, request.a);
	const b = axisValues(cm, request.b);
	const cells = a.values.length * b.values.length;
	if (cells > MAX_GRID) throw new RangeError(`grid of ${cells} points is above ${MAX_GRID}`);
	const strategyCount = evaluator.strategyIds.length;
	const nmb = Array.from({ length: strategyCount }, () => new Float64Array(cells).fill(NaN));
	const optimal = new Int32Array(cells).fill(-1);
	const errors: TwoWayResult['errors'] = [];
	for (let i = 0; i < a.values.length; i++)
		for (let j = 0; j < b.values.length; j++) {
			const cell = i * b.values.length + j;
			try {
				const benefits = nmbOf(evaluator.evaluate({ [a.id]: a.values[i], [b.id]: b.values[j] }), willingnessToPay);
				let best = 0;
				for (let strategy = 0; strategy < strategyCount; strategy++) {
					nmb[strategy][cell] = benefits[strategy];
					if (benefits[strategy] > benefits[best]) best = strategy;
				}
				optimal[cell] = best;
			} catch (error) {
				if (!(error instanceof ModelError)) throw error;
				errors.push({ a: a.values[i], b: b.values[j], message: error.message });
			}
		}
	return { a, b, strategyIds: evaluator.strategyIds, willingnessToPay, nmb, optimal, errors };
}

/** An axis's values: `steps` evenly spaced from `from` to `to` (default the parameter's low and high). */
function axisValues(cm: CompiledModel, axis: Axis): { id: string; values: Float64Array } {
	const parameter = own(cm.model.parameters, axis.id);
	if (!parameter) throw new RangeError(`no parameter "${axis.id}"`);
	const from = axis.from ?? parameter.low;
	const to = axis.to ?? parameter.high;
	if (from === undefined || to === undefined) throw new RangeError(`parameter "${axis.id}" has no low/high; give from and to`);
	const steps = axis.steps ?? 11;
	if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`steps for "${axis.id}" must be a whole number of at least 2`);
	return { id: axis.id, values: Float64Array.from({ length: steps }, (_, j) => from + ((to - from) * j) / (steps - 1)) };
}
