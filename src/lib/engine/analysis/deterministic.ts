/**
 * Deterministic re-runs with some parameters changed: the shared step of one-way and two-way
 * sensitivity analysis and threshold search. Uses the runner's lean totals path; scenario and
 * option overrides apply first, then the analysis's own values.
 */
import type { CompiledModel } from '../model/compile';
import { compiledFor } from '../model/compile';
import { createRunner, TOTALS, type RunOptions } from '../simulate/run';
import type { Settings } from '../model/schema';

export interface StrategyTotals {
	cost: Float64Array;
	qaly: Float64Array;
	lifeYears: Float64Array;
}

export interface Evaluator {
	strategyIds: string[];
	settings: Settings;
	/** totals per strategy with these parameter values (throws ModelError for invalid values) */
	evaluate(parameters?: Record<string, number>): StrategyTotals;
}

export function createEvaluator(compiled: CompiledModel, options: RunOptions = {}): Evaluator {
	const cm = compiledFor(compiled, options);
	const runner = createRunner(cm);
	const base = runner.resolve(options);
	const S = cm.strategies.length;
	const out = new Float64Array(S * TOTALS.size);
	return {
		strategyIds: cm.strategies.map((s) => s.id),
		settings: base.settings,
		evaluate(parameters) {
			const { values, forced, settings } = parameters ? runner.resolve({ ...options, parameters: { ...(options.parameters ?? {}), ...parameters } }) : base;
			runner.totals(values, settings, out, undefined, forced);
			const pick = (f: number) => Float64Array.from({ length: S }, (_, s) => out[s * TOTALS.size + f]);
			return { cost: pick(TOTALS.cost), qaly: pick(TOTALS.qaly), lifeYears: pick(TOTALS.lifeYears) };
		}
	};
}

/** Net monetary benefit of each strategy: wtp x QALYs - cost. */
export function nmbOf(t: StrategyTotals, willingnessToPay: number): Float64Array {
	return t.cost.map((c, s) => willingnessToPay * t.qaly[s] - c);
}
