/**
 * run(compiled, options): the Markov cohort simulation. Pure: the same inputs give the same
 * outputs, nothing is parsed, and the hot loop works on preallocated Float64Arrays
 * (ARCHITECTURE.md, principle 6). `createRunner` sets up the workspace once; `runner.run` gives full results
 * (trace, costs per category and cycle, outcomes) and `runner.totals` is the lean path the
 * probabilistic analysis calls thousands of times. Both go through the one cohort loop of
 * cohort.ts.
 */
import type { CompiledModel, CompiledStrategy, ParameterPlan } from '../model/compile';
import type { Evaluator } from '../model/expressions';
import { createCohort, newFullResults, overflowError, type FullResults, type TotalsFunction } from './cohort';
import { ModelError, issue, joinPath } from '../errors';
import { SettingsOverride, type Settings } from '../model/schema';
import { kindBounds, parameterValueProblem } from '../model/parameterChecks';
import { modelSize, sizeProblem } from '../limits';
import { zodIssues, compiledFor } from '../model/compile';
import { mergeSettings } from '../model/horizon';

export { PROBABILITY_TOLERANCE, TOTALS, TOTAL_NAMES, rowError, sumError, overflowError } from './cohort';

export interface RunOptions {
	/** parameter values replacing the model's (plain or expression parameters) */
	parameters?: Record<string, number>;
	settings?: SettingsOverride;
	/** a scenario id from the model file, applied before `parameters` and `settings` */
	scenario?: string;
}

export interface Totals {
	cost: number;
	qaly: number;
	lifeYears: number;
	costByCategory: Record<string, number>;
	outcomes: Record<string, number>;
}

/** One strategy's results: totals, years in each state, and the per-cycle arrays of the cohort loop. */
export interface StrategyResult extends Omit<FullResults, 'stateYears'> {
	id: string;
	label: string;
	/** discounted totals per person */
	discounted: Totals;
	undiscounted: Totals;
	/** cycle-corrected years spent in each state (undiscounted) */
	stateYears: Record<string, number>;
}

export interface RunResult {
	modelId: string;
	title: string;
	settings: Settings;
	scenario: string | null;
	stateIds: string[];
	stateLabels: string[];
	categoryIds: string[];
	categoryLabels: string[];
	outcomeIds: string[];
	outcomeLabels: string[];
	/** parameter values used, after scenario and overrides (expression parameters at cycle 1) */
	parameters: Record<string, number>;
	strategies: StrategyResult[];
}

export interface Runner {
	compiled: CompiledModel;
	/** settings and parameter values after a scenario and overrides, checked */
	resolve(options?: RunOptions): { settings: Settings; values: Float64Array; forced: Uint8Array; scenario: string | null };
	run(options?: RunOptions): RunResult;
	/**
	 * Totals only, for many runs: `values` holds every parameter (expression parameters are
	 * recomputed unless `forced[i]`). Writes strategies x TOTALS.size numbers into `out`; with
	 * `cycleCosts` (strategies x (n + 1)), also the discounted cost of each cycle, and with
	 * `cycleCostsUndiscounted` the undiscounted one.
	 */
	totals: TotalsFunction;
}

/**
 * One deterministic run of a compiled model: per strategy, the trace, costs by category and
 * cycle, QALYs, life years and outcomes, discounted and not (ARCHITECTURE.md, principle 1).
 * A Markov cohort model (Sonnenberg & Beck 1993, Med Decis Making 13(4):322-338): the state
 * shares move by x_k = x_{k-1} P_k, and a total is
 * sum_k v_k (alpha_k x_{k-1} d_{k-1} + beta_k x_k d_k), with the weights of the cycle correction
 * and the discount factors d_t = 1 / (1 + r)^(t * cycleLength) (cycleCorrection.ts).
 *
 * @example `run(compileJson(text), { scenario: 'low-price' }).strategies.map((s) => s.discounted.qaly)`.
 */
export function run(compiled: CompiledModel, options?: RunOptions): RunResult {
	return createRunner(compiled).run(options);
}

/**
 * A runner of a compiled model: `run` gives full results (the one-lane backend with the full
 * recorder), `totals` the six totals per strategy that PSA, DSA and threshold searches call
 * thousands of times, `resolve` the settings and values a set of options gives. A run in another
 * currency or price year runs on the model compiled for it (compiledFor), with its own runner.
 *
 * @example `createRunner(compileJson(text)).run({ parameters: { c_drug: 12000 } }).strategies[0].discounted.cost`.
 */
export function createRunner(cm: CompiledModel): Runner {
	const stateCount = cm.stateIds.length;
	const categoryCount = cm.categoryIds.length;
	const outcomeCount = cm.outcomeIds.length;

	// bounds by parameter kind, checked whenever an expression parameter is evaluated
	const { lower: lowerBound, upper: upperBound } = kindBounds(cm.parameterIds, cm.model.parameters);
	const cohort = createCohort(cm, lowerBound, upperBound);

	// a run in another currency or price year than the compiled model's runs on the model
	// compiled for that target (compile.ts compiledFor), with its own runner
	const others = new Map<CompiledModel, Runner>();
	const otherRunner = (options: RunOptions | undefined): Runner | null => {
		const target = compiledFor(cm, options);
		if (target === cm) return null;
		let r = others.get(target);
		if (!r) others.set(target, (r = createRunner(target)));
		return r;
	};

	const resolve: Runner['resolve'] = (options) => {
		const other = otherRunner(options);
		return other ? other.resolve(options) : resolveOptions(cm, options);
	};

	return {
		compiled: cm,
		resolve,
		run(options) {
			const other = otherRunner(options);
			if (other) return other.run(options);
			const { settings, values, forced, scenario } = resolve(options);
			const report = reportParameters(cm, lowerBound, upperBound, values, forced, settings);
			const n = settings.horizon;
			const results = cm.strategies.map(() => newFullResults(n, stateCount, categoryCount, outcomeCount));
			cohort.simulate(values, forced, settings, results);
			const strategies = cm.strategies.map((strategy, strategyIndex) => {
				const result = toResult(cm, strategy, results[strategyIndex], n);
				checkTotalsFinite(strategy.id, result);
				return result;
			});
			const parameters: Record<string, number> = {};
			cm.parameterIds.forEach((id, i) => (parameters[id] = report[i]));
			return {
				modelId: cm.model.id,
				title: cm.model.title,
				settings,
				scenario,
				stateIds: cm.stateIds,
				stateLabels: cm.stateLabels,
				categoryIds: cm.categoryIds,
				categoryLabels: cm.model.costCategories.map((c) => c.label),
				outcomeIds: cm.outcomeIds,
				outcomeLabels: (cm.model.outcomes ?? []).map((o) => o.label),
				parameters,
				strategies
			};
		},
		totals: cohort.totals
	};
}

/** Parameter values at cycle 1 without strategy overrides, as reported with a run (checked in their kind's range). */
function reportParameters(cm: CompiledModel, lowerBound: Float64Array, upperBound: Float64Array, values: Float64Array, forced: Uint8Array, settings: Settings): Float64Array {
	const slots = cm.slots;
	const parameterCount = cm.parameterIds.length;
	const plan: ParameterPlan = cm.basePlan;
	const variables = new Float64Array(slots.size);
	variables.set(values.subarray(0, parameterCount));
	variables[slots.model_time] = 1;
	variables[slots.age] = settings.startAge;
	variables[slots.state_time] = 1;
	variables[slots.cycle_length] = settings.cycleLength;
	for (const i of [...plan.constantOrder, ...plan.timeOrder, ...plan.stateTimeOrder]) {
		if (forced[i] === 1) continue;
		const v = (plan.evaluators[i] as Evaluator)(variables);
		variables[i] = v;
		if (!(v >= lowerBound[i] && v <= upperBound[i])) {
			const id = cm.parameterIds[i];
			throw new ModelError(
				issue(
					joinPath('parameters', id),
					Number.isFinite(v) ? 'parameter-range' : 'not-finite',
					`${parameterValueProblem(cm.model.parameters[id], v)} (all strategies, cycle 1)`
				)
			);
		}
	}
	return variables.subarray(0, parameterCount);
}

/** Settings and parameter values of a run: the model's, then a scenario's, then the options' overrides, each checked. */
function resolveOptions(cm: CompiledModel, options: RunOptions | undefined): ReturnType<Runner['resolve']> {
	const parameterCount = cm.parameterIds.length;
	let settings = { ...cm.settings };
	const values = Float64Array.from(cm.baseValues);
	const forced = new Uint8Array(parameterCount);
	let scenario: string | null = null;
	const apply = (params: Record<string, number> | undefined, path: string) => {
		const problems = [];
		for (const [id, v] of Object.entries(params ?? {})) {
			const i = cm.parameterIndex.get(id);
			if (i === undefined) {
				problems.push(issue(joinPath(path, id), 'invalid-override', `no parameter named "${id}"`));
				continue;
			}
			const problem = parameterValueProblem(cm.model.parameters[id], v);
			if (problem) {
				problems.push(issue(joinPath(path, id), 'invalid-override', problem));
				continue;
			}
			values[i] = v;
			if (cm.basePlan.evaluators[i]) forced[i] = 1;
		}
		if (problems.length) throw new ModelError(problems);
	};
	const applySettings = (o: unknown, path: string) => {
		if (o === undefined) return;
		const parsed = SettingsOverride.safeParse(o);
		if (!parsed.success)
			throw new ModelError(zodIssues(parsed.error).map((i) => ({ ...i, path: joinPath(path, i.path), code: 'invalid-override' as const })));
		settings = mergeSettings(settings, parsed.data, path); // a horizon given as an age follows the start age
	};
	if (options?.scenario) {
		const sc = (cm.model.scenarios ?? []).find((s) => s.id === options.scenario);
		if (!sc)
			throw new ModelError(
				issue('scenario', 'invalid-override', `no scenario "${options.scenario}"; known: ${(cm.model.scenarios ?? []).map((s) => s.id).join(', ') || 'none'}`)
			);
		scenario = sc.id;
		apply(sc.parameters, joinPath('scenarios', sc.id, 'parameters'));
		applySettings(sc.settings, joinPath('scenarios', sc.id, 'settings'));
	}
	apply(options?.parameters, 'parameters');
	applySettings(options?.settings, 'settings');
	if (settings.horizon !== cm.settings.horizon) {
		const tooLarge = sizeProblem(modelSize(cm.model, settings.horizon));
		if (tooLarge) throw new ModelError(issue('settings.horizon', 'model-size', tooLarge));
	}
	return { settings, values, forced, scenario };
}

function sum(a: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i];
	return s;
}

function toResult(cm: CompiledModel, st: CompiledStrategy, results: FullResults, n: number): StrategyResult {
	const categoryCount = cm.categoryIds.length;
	const outcomeCount = cm.outcomeIds.length;
	const totals = (costs: Float64Array, qalys: Float64Array, lifeYears: Float64Array): Totals => {
		const costByCategory: Record<string, number> = {};
		let cost = 0;
		cm.categoryIds.forEach((id, c) => {
			let s = 0;
			for (let k = 0; k <= n; k++) s += costs[k * categoryCount + c];
			costByCategory[id] = s;
			cost += s;
		});
		const outcomes: Record<string, number> = {};
		cm.outcomeIds.forEach((id, o) => {
			let s = 0;
			for (let k = 0; k <= n; k++) s += results.cycleOutcomes[k * outcomeCount + o];
			outcomes[id] = s;
		});
		return { cost, qaly: sum(qalys), lifeYears: sum(lifeYears), costByCategory, outcomes };
	};
	const stateYears: Record<string, number> = {};
	cm.stateIds.forEach((id, s) => (stateYears[id] = results.stateYears[s]));
	return {
		id: st.id,
		label: st.label,
		discounted: totals(results.cycleCosts, results.cycleQalys, results.cycleLifeYears),
		undiscounted: totals(results.cycleCostsUndiscounted, results.cycleQalysUndiscounted, results.cycleLifeYearsUndiscounted),
		stateYears,
		trace: results.trace as Float64Array,
		cycleCosts: results.cycleCosts,
		cycleCostsUndiscounted: results.cycleCostsUndiscounted,
		cycleQalys: results.cycleQalys,
		cycleQalysUndiscounted: results.cycleQalysUndiscounted,
		cycleLifeYears: results.cycleLifeYears,
		cycleLifeYearsUndiscounted: results.cycleLifeYearsUndiscounted,
		cycleOutcomes: results.cycleOutcomes
	};
}




/**
 * Every value is checked finite as it is evaluated, but finite values can still add up past the
 * largest double (about 1.8e308): say so rather than report Infinity or NaN as a result.
 */
function checkTotalsFinite(strategyId: string, r: StrategyResult): void {
	for (const [kind, t] of [['discounted', r.discounted], ['undiscounted', r.undiscounted]] as const) {
		const named: [string, number][] = [
			['cost', t.cost],
			['QALYs', t.qaly],
			['life years', t.lifeYears],
			...Object.entries(t.costByCategory).map(([c, v]): [string, number] => [`cost (${c})`, v]),
			...Object.entries(t.outcomes).map(([o, v]): [string, number] => [`outcome ${o}`, v])
		];
		for (const [what, v] of named) if (!Number.isFinite(v)) throw overflowError(strategyId, `${kind} ${what}`, v);
	}
}


