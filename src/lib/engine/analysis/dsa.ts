/**
 * One-way deterministic sensitivity analysis: each parameter with a low and high value is set
 * to each in turn, all others at base case, and the model re-run. The tornado ranks parameters
 * by the swing of a strategy's result against the reference: incremental net monetary benefit
 * (the default, well defined everywhere) or the ICER (undefined where the incremental QALYs
 * are 0 and unstable near it; such bars are flagged). Every strategy is compared with the
 * chosen reference, so one analysis gives a tornado for each.
 *
 *     const d = oneWay(compiled, { willingnessToPay: 30000, referenceId: 'dmt' });
 *     tornado(d, 'ahsct'); // bars sorted by swing, widest first
 */
import type { CompiledModel } from '../model/compile';
import { compiledFor } from '../model/compile';
import { ModelError } from '../errors';
import { own } from '../records';
import type { RunOptions } from '../simulate/run';
import { createEvaluator, nmbOf, type StrategyTotals } from './deterministic';
import { strategyIndex } from './outcomes';

export interface OneWayOptions {
	options?: RunOptions;
	willingnessToPay?: number;
	/** the comparator of every strategy (default: the first) */
	referenceId?: string;
	/**
	 * parameters to vary (default: every input parameter, i.e. with a value rather than an
	 * expression, that has both low and high and is not declared certain by a `fixed`
	 * distribution, which marks structural values and switches; any of those may be named
	 * explicitly; an expression parameter so named is replaced by its low and high values)
	 */
	parameters?: string[];
}

export interface OneWayEnd {
	value: number;
	/** totals per strategy, or the reason the model could not run at this value */
	totals: StrategyTotals | null;
	error: string | null;
}

export interface OneWayParameter {
	id: string;
	description: string;
	unit: string;
	group: string;
	base: number;
	low: OneWayEnd;
	high: OneWayEnd;
}

export interface OneWayResult {
	strategyIds: string[];
	referenceId: string;
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	base: StrategyTotals;
	parameters: OneWayParameter[];
}

export function oneWay(compiled: CompiledModel, o: OneWayOptions = {}): OneWayResult {
	const cm = compiledFor(compiled, o.options); // ranges in the target currency and price year
	const ev = createEvaluator(cm, o.options ?? {});
	const wtp = o.willingnessToPay ?? ev.settings.willingnessToPay;
	const referenceId = o.referenceId ?? ev.strategyIds[0];
	strategyIndex(ev, referenceId, 'reference strategy');
	const base = ev.evaluate();
	const baseValues = createBaseValues(cm, o.options);
	const ids =
		o.parameters ??
		cm.parameterIds.filter((id) => {
			const p = cm.model.parameters[id];
			return p.value !== undefined && p.low !== undefined && p.high !== undefined && p.distribution?.type !== 'fixed';
		});
	const parameters = ids.map((id): OneWayParameter => {
		const p = cm.model.parameters[id];
		if (!p) throw new RangeError(`no parameter "${id}"`);
		if (p.low === undefined || p.high === undefined) throw new RangeError(`parameter "${id}" has no low and high values to vary`);
		const end = (value: number): OneWayEnd => {
			try {
				return { value, totals: ev.evaluate({ [id]: value }), error: null };
			} catch (e) {
				if (e instanceof ModelError) return { value, totals: null, error: e.message };
				throw e;
			}
		};
		return { id, description: p.description, unit: p.unit, group: p.group, base: baseValues[id], low: end(p.low), high: end(p.high) };
	});
	return { strategyIds: ev.strategyIds, referenceId, willingnessToPay: wtp, currency: ev.settings.currency, priceYear: ev.settings.priceYear, base, parameters };
}

function createBaseValues(cm: CompiledModel, options: RunOptions | undefined): Record<string, number> {
	const out: Record<string, number> = {};
	const scenario = (cm.model.scenarios ?? []).find((s) => s.id === options?.scenario)?.parameters ?? {};
	for (const id of cm.parameterIds) {
		const p = cm.model.parameters[id];
		out[id] = own(options?.parameters, id) ?? own(scenario, id) ?? p.value ?? NaN;
	}
	return out;
}

export type TornadoMeasure = 'incremental-nmb' | 'icer';

export interface TornadoBar {
	id: string;
	description: string;
	unit: string;
	lowValue: number;
	highValue: number;
	/** the measure at the parameter's low and high value (NaN where undefined or the run failed) */
	atLow: number;
	atHigh: number;
	/** |atHigh - atLow| (NaN sorts last) */
	swing: number;
	error: string | null;
}

export interface Tornado {
	strategyId: string;
	referenceId: string;
	measure: TornadoMeasure;
	willingnessToPay: number;
	/** the measure at base case */
	base: number;
	bars: TornadoBar[];
}

/** Tornado of one strategy against the reference, widest bar first. */
export function tornado(d: OneWayResult, strategyId: string, measure: TornadoMeasure = 'incremental-nmb'): Tornado {
	const s = strategyIndex(d, strategyId);
	const r = strategyIndex(d, d.referenceId, 'reference strategy');
	const value = (t: StrategyTotals | null): number => {
		if (!t) return NaN;
		if (measure === 'icer') {
			const de = t.qaly[s] - t.qaly[r];
			return de === 0 ? NaN : (t.cost[s] - t.cost[r]) / de;
		}
		const nmb = nmbOf(t, d.willingnessToPay);
		return nmb[s] - nmb[r];
	};
	const bars = d.parameters.map((p): TornadoBar => {
		const atLow = value(p.low.totals);
		const atHigh = value(p.high.totals);
		return {
			id: p.id,
			description: p.description,
			unit: p.unit,
			lowValue: p.low.value,
			highValue: p.high.value,
			atLow,
			atHigh,
			swing: Math.abs(atHigh - atLow),
			error: p.low.error ?? p.high.error
		};
	});
	bars.sort((a, b) => (Number.isNaN(a.swing) ? 1 : 0) - (Number.isNaN(b.swing) ? 1 : 0) || b.swing - a.swing || a.id.localeCompare(b.id));
	return { strategyId, referenceId: d.referenceId, measure, willingnessToPay: d.willingnessToPay, base: value(d.base), bars };
}
