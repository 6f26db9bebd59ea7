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

/**
 * An evaluator of discounted totals per strategy with some parameters changed, over one runner
 * (the model laid out once); the options' scenario and overrides apply first, then the values
 * given to `evaluate`.
 *
 * @example
 * const evaluator = createEvaluator(cm);
 * evaluator.evaluate({ c_drug: 12000 }).cost // discounted cost per strategy with c_drug at 12,000
 */
export function createEvaluator(compiled: CompiledModel, options: RunOptions = {}): Evaluator {
	const cm = compiledFor(compiled, options);
	const runner = createRunner(cm);
	const base = runner.resolve(options);
	const strategyCount = cm.strategies.length;
	const out = new Float64Array(strategyCount * TOTALS.size);
	return {
		strategyIds: cm.strategies.map((strategy) => strategy.id),
		settings: base.settings,
		evaluate(parameters) {
			const { values, forced, settings } = parameters ? runner.resolve({ ...options, parameters: { ...(options.parameters ?? {}), ...parameters } }) : base;
			runner.totals(values, settings, out, undefined, forced);
			const pick = (field: number) => Float64Array.from({ length: strategyCount }, (_, strategy) => out[strategy * TOTALS.size + field]);
			return { cost: pick(TOTALS.cost), qaly: pick(TOTALS.qaly), lifeYears: pick(TOTALS.lifeYears) };
		}
	};
}

/**
 * Net monetary benefit of each strategy: NMB = willingness to pay x QALYs - cost.
 *
 * @example
 * nmbOf({ cost: Float64Array.of(1000, 3000), qaly: Float64Array.of(1, 2), lifeYears }, 20000) // Float64Array [19000, 37000]
 */
export function nmbOf(totals: StrategyTotals, willingnessToPay: number): Float64Array {
	return totals.cost.map((cost, strategy) => willingnessToPay * totals.qaly[strategy] - cost);
}
