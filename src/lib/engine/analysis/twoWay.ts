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

export function twoWay(compiled: CompiledModel, o: TwoWayOptions): TwoWayResult {
	const cm = compiledFor(compiled, o.options); // ranges in the target currency and price year
	const ev = createEvaluator(cm, o.options ?? {});
	const wtp = o.willingnessToPay ?? ev.settings.willingnessToPay;
	const axis = (x: Axis) => {
		const p = own(cm.model.parameters, x.id);
		if (!p) throw new RangeError(`no parameter "${x.id}"`);
		const from = x.from ?? p.low;
		const to = x.to ?? p.high;
		if (from === undefined || to === undefined) throw new RangeError(`parameter "${x.id}" has no low/high; give from and to`);
		const steps = x.steps ?? 11;
		if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`steps for "${x.id}" must be a whole number of at least 2`);
		return { id: x.id, values: Float64Array.from({ length: steps }, (_, j) => from + ((to - from) * j) / (steps - 1)) };
	};
	if (o.a.id === o.b.id) throw new RangeError('two-way analysis needs two different parameters');
	const a = axis(o.a);
	const b = axis(o.b);
	const cells = a.values.length * b.values.length;
	if (cells > MAX_GRID) throw new RangeError(`grid of ${cells} points is above ${MAX_GRID}`);
	const S = ev.strategyIds.length;
	const nmb = Array.from({ length: S }, () => new Float64Array(cells).fill(NaN));
	const optimal = new Int32Array(cells).fill(-1);
	const errors: TwoWayResult['errors'] = [];
	for (let i = 0; i < a.values.length; i++)
		for (let j = 0; j < b.values.length; j++) {
			const cell = i * b.values.length + j;
			try {
				const v = nmbOf(ev.evaluate({ [a.id]: a.values[i], [b.id]: b.values[j] }), wtp);
				let best = 0;
				for (let s = 0; s < S; s++) {
					nmb[s][cell] = v[s];
					if (v[s] > v[best]) best = s;
				}
				optimal[cell] = best;
			} catch (e) {
				if (!(e instanceof ModelError)) throw e;
				errors.push({ a: a.values[i], b: b.values[j], message: e.message });
			}
		}
	return { a, b, strategyIds: ev.strategyIds, willingnessToPay: wtp, nmb, optimal, errors };
}
