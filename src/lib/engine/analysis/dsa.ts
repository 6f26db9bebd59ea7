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

/**
 * One-way sensitivity analysis: each chosen parameter set to its low and then its high value,
 * every other at base case, and the model run at each; an end where the model cannot run keeps
 * its error message instead of totals.
 *
 * @example
 * const analysis = oneWay(compiled, { willingnessToPay: 30000, referenceId: 'dmt' });
 * analysis.parameters[0].low.totals?.cost // cost per strategy with the first parameter at its low value
 */
export function oneWay(compiled: CompiledModel, request: OneWayOptions = {}): OneWayResult {
	const cm = compiledFor(compiled, request.options); // ranges in the target currency and price year
	const evaluator = createEvaluator(cm, request.options ?? {});
	const willingnessToPay = request.willingnessToPay ?? evaluator.settings.willingnessToPay;
	const referenceId = request.referenceId ?? evaluator.strategyIds[0];
	strategyIndex(evaluator, referenceId, 'reference strategy');
	const base = evaluator.evaluate();
	const baseValues = createBaseValues(cm, request.options);
	const ids =
		request.parameters ??
		cm.parameterIds.filter((id) => {
			const parameter = cm.model.parameters[id];
			return parameter.value !== undefined && parameter.low !== undefined && parameter.high !== undefined && parameter.distribution?.type !== 'fixed';
		});
	const parameters = ids.map((id): OneWayParameter => {
		const parameter = cm.model.parameters[id];
		if (!parameter) throw new RangeError(`no parameter "${id}"`);
		if (parameter.low === undefined || parameter.high === undefined) throw new RangeError(`parameter "${id}" has no low and high values to vary`);
		const end = (value: number): OneWayEnd => {
			try {
				return { value, totals: evaluator.evaluate({ [id]: value }), error: null };
			} catch (error) {
				if (error instanceof ModelError) return { value, totals: null, error: error.message };
				throw error;
			}
		};
		return { id, description: parameter.description, unit: parameter.unit, group: parameter.group, base: baseValues[id], low: end(parameter.low), high: end(parameter.high) };
	});
	return { strategyIds: evaluator.strategyIds, referenceId, willingnessToPay, currency: evaluator.settings.currency, priceYear: evaluator.settings.priceYear, base, parameters };
}

/** The value of each parameter in use: the run's override, else the scenario's, else the file's (NaN for an expression). */
function createBaseValues(cm: CompiledModel, options: RunOptions | undefined): Record<string, number> {
	const out: Record<string, number> = {};
	const scenario = (cm.model.scenarios ?? []).find((candidate) => candidate.id === options?.scenario)?.parameters ?? {};
	for (const id of cm.parameterIds) out[id] = own(options?.parameters, id) ?? own(scenario, id) ?? cm.model.parameters[id].value ?? NaN;
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

/**
 * Tornado of one strategy against the reference, widest bar first: per parameter, the measure
 * at its low and high value, incremental NMB = (λ E_s - C_s) - (λ E_r - C_r) or the ICER
 * (C_s - C_r) / (E_s - E_r) (NaN where E_s = E_r), and the swing |atHigh - atLow|.
 *
 * @example
 * tornado(oneWay(compiled, { referenceId: 'dmt' }), 'ahsct').bars[0].id // the parameter with the widest swing
 */
export function tornado(analysis: OneWayResult, strategyId: string, measure: TornadoMeasure = 'incremental-nmb'): Tornado {
	const strategy = strategyIndex(analysis, strategyId);
	const reference = strategyIndex(analysis, analysis.referenceId, 'reference strategy');
	const value = (totals: StrategyTotals | null): number => {
		if (!totals) return NaN;
		if (measure === 'icer') {
			const incrementalQaly = totals.qaly[strategy] - totals.qaly[reference];
			return incrementalQaly === 0 ? NaN : (totals.cost[strategy] - totals.cost[reference]) / incrementalQaly;
		}
		const benefit = nmbOf(totals, analysis.willingnessToPay);
		return benefit[strategy] - benefit[reference];
	};
	const bars = analysis.parameters.map((parameter): TornadoBar => {
		const atLow = value(parameter.low.totals);
		const atHigh = value(parameter.high.totals);
		return {
			id: parameter.id,
			description: parameter.description,
			unit: parameter.unit,
			lowValue: parameter.low.value,
			highValue: parameter.high.value,
			atLow,
			atHigh,
			swing: Math.abs(atHigh - atLow),
			error: parameter.low.error ?? parameter.high.error
		};
	});
	bars.sort((first, second) => (Number.isNaN(first.swing) ? 1 : 0) - (Number.isNaN(second.swing) ? 1 : 0) || second.swing - first.swing || first.id.localeCompare(second.id));
	return { strategyId, referenceId: analysis.referenceId, measure, willingnessToPay: analysis.willingnessToPay, base: value(analysis.base), bars };
}
