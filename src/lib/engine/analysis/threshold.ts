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

export function threshold(compiled: CompiledModel, o: ThresholdOptions): ThresholdResult {
	const cm = compiledFor(compiled, o.options); // range and answer in the target currency and price year
	const p = own(cm.model.parameters, o.parameter);
	if (!p) throw new RangeError(`no parameter "${o.parameter}"; parameters are ${cm.parameterIds.join(', ')}`);
	const ev = createEvaluator(cm, o.options ?? {});
	const s = strategyIndex(ev, o.strategyId);
	const c = strategyIndex(ev, o.comparatorId, 'comparator');
	if (s === c) throw new RangeError('strategy and comparator must differ');
	const wtp = o.willingnessToPay ?? ev.settings.willingnessToPay;
	const lo = o.range?.[0] ?? p.low;
	const hi = o.range?.[1] ?? p.high;
	if (lo === undefined || hi === undefined)
		throw new RangeError(`parameter "${o.parameter}" has no low/high in the model; give a search range`);
	if (!(lo < hi)) throw new RangeError(`search range must have low < high, got ${lo} to ${hi}`);
	const tolerance = o.tolerance ?? 1e-6 * (hi - lo);
	if (!(tolerance > 0)) throw new RangeError(`tolerance must be above 0, got ${tolerance}`);
	const intervals = o.gridIntervals ?? 40;
	let evaluations = 0;
	const inmb = (x: number): number => {
		evaluations++;
		const nmb = nmbOf(ev.evaluate({ [o.parameter]: x }), wtp);
		return nmb[s] - nmb[c];
	};
	const baseNmb = nmbOf(ev.evaluate(), wtp);
	const baseValue = o.options?.parameters?.[o.parameter] ?? p.value ?? NaN;

	const xs: number[] = [];
	const fs: number[] = [];
	for (let j = 0; j <= intervals; j++) {
		const x = j === intervals ? hi : lo + ((hi - lo) * j) / intervals;
		try {
			xs.push(x);
			fs.push(inmb(x));
		} catch (e) {
			if (e instanceof ModelError) throw new ModelError(e.issues.map((i) => ({ ...i, message: `${i.message} (threshold search at ${o.parameter} = ${x})` })));
			throw e;
		}
	}
	const thresholds: number[] = [];
	for (let j = 0; j < intervals; j++) {
		if (fs[j] === 0) thresholds.push(xs[j]);
		else if (fs[j + 1] !== 0 && Math.sign(fs[j]) !== Math.sign(fs[j + 1])) thresholds.push(brent(inmb, xs[j], xs[j + 1], tolerance).root);
	}
	if (fs[intervals] === 0) thresholds.push(xs[intervals]);

	const label = (id: string) => cm.strategies.find((x) => x.id === id)?.label ?? id;
	const preferred = (v: number) => (v > 0 ? label(o.strategyId) : v < 0 ? label(o.comparatorId) : 'neither');
	const money = `${ev.settings.currency} ${wtp} per QALY`;
	const message = thresholds.length
		? `${label(o.strategyId)} and ${label(o.comparatorId)} have equal net monetary benefit at ${money} when ${o.parameter} = ${thresholds
				.map((t) => Number(t.toPrecision(8)))
				.join(' or ')} (${p.unit}; tolerance ${Number(tolerance.toPrecision(3))})`
		: `no threshold in ${lo} to ${hi} (${p.unit}): ${preferred(fs[0])} has the higher net monetary benefit at ${money} throughout`;
	return {
		parameter: o.parameter,
		strategyId: o.strategyId,
		comparatorId: o.comparatorId,
		willingnessToPay: wtp,
		currency: ev.settings.currency,
		priceYear: ev.settings.priceYear,
		range: [lo, hi],
		tolerance,
		thresholds,
		status: thresholds.length ? 'found' : 'none-in-range',
		incrementalNmbAtBase: baseNmb[s] - baseNmb[c],
		incrementalNmbAtLow: fs[0],
		incrementalNmbAtHigh: fs[intervals],
		baseValue,
		evaluations,
		message
	};
}
