/**
 * The strategy steps of compile: each strategy's starting distribution, transition rows
 * (expanded over tunnel sub-states), state values, transition values and start values, each
 * compiled under the strategy's parameter plan and classified by how it changes in a run.
 */
import type { Expression, Model, StateValues } from './schema';
import { ModelError, issue, joinPath } from '../errors';
import { own } from '../records';
import { compileExpression } from './expressions';
import { Dependence, type CompiledStateValues, type CompiledStrategy, type CompiledTransitionValue, type CompiledValue, type ParameterPlan, type RowEntry } from './compiled';
import { collectIssues, type StrategyContext } from './compileContext';
import { dependenceOf, planFor } from './parameterPlan';

type Strategy = Model['strategies'][number];
type State = Model['states'][number];

/**
 * One strategy compiled: its plan, then start, rows, values, transition values and start values.
 *
 * @example
 * compileStrategy(context, model.strategies[0], 0).rows.length // the model's expanded state count
 */
export function compileStrategy(context: StrategyContext, strategy: Strategy, index: number): CompiledStrategy {
	const { model, issues, stateIndex } = context;
	const strategyPath = joinPath('strategies', strategy.id);
	const plan = planFor(context, strategy.parameters, joinPath(strategyPath, 'parameters'));
	const start = compileStart(context, strategy, plan);
	const rows = compileRows(context, strategy, plan);
	for (const key of Object.keys(strategy.stateValues ?? {}))
		if (!stateIndex.has(key)) issues.push(issue(joinPath(strategyPath, 'stateValues', key), 'unknown-reference', `no state "${key}"`));
	const values = model.states.map((state) => {
		const stateValues = own(strategy.stateValues, state.id);
		const path = stateValues ? joinPath(strategyPath, 'stateValues', state.id) : joinPath('states', state.id);
		return compileStateValues(context, { values: stateValues, fallback: state, path, fallbackPath: joinPath('states', state.id) }, plan, isTunnel(state));
	});
	const transitionValues = compileTransitionValues(context, strategy, plan);
	const startValues = compileStateValues(context, { values: strategy.startValues, path: joinPath(strategyPath, 'startValues') }, plan, false);
	return { id: strategy.id, label: strategy.label, description: strategy.description ?? '', index, plan, start, rows, values, transitionValues, startValues };
}

/**
 * The state-level values checked once under the base plan, so their problems are reported at
 * the state (`states.<id>.costs.<category>`), not once per strategy.
 *
 * @example
 * checkStateValues(context, basePlan) // context.issues gains e.g. 'no cost category "drugs" ...'
 */
export function checkStateValues(context: StrategyContext, basePlan: ParameterPlan): void {
	context.model.states.forEach((state) => compileStateValues(context, { values: state, path: joinPath('states', state.id) }, basePlan, isTunnel(state)));
}

const isTunnel = (state: State) => (state.tunnel ?? 1) > 1;

/**
 * One expression compiled under `plan`, with its dependence; state_time is only allowed in a
 * tunnel state. Null (and an issue) when it does not compile.
 */
function compileValue(context: StrategyContext, source: Expression, path: string, plan: ParameterPlan, allowStateTime: boolean): CompiledValue | null {
	let result: CompiledValue | null = null;
	collectIssues(context.issues, () => {
		const compiled = compileExpression(source, { slotOf: context.slotOf, lifeTables: context.lifeTables, path });
		const dependence = dependenceOf(compiled, plan, context.parameterIndex);
		if ((dependence & Dependence.StateTime) !== 0 && !allowStateTime)
			throw new ModelError(issue(path, 'expression-type', 'state_time is only defined in states declared with a tunnel length'));
		result = { evaluate: compiled.evaluate, dependence, path, source };
	});
	return result;
}

/** The values a strategy gives (values at path) over those of the state (fallback at fallbackPath). */
interface ValueSources {
	values: StateValues | undefined;
	fallback?: StateValues;
	path: string;
	fallbackPath?: string;
}

/**
 * Costs by category, utility and outcomes of a state or event; a value taken from the fallback
 * (the state's own) is reported where it is written.
 */
function compileStateValues(context: StrategyContext, sources: ValueSources, plan: ParameterPlan, allowStateTime: boolean): CompiledStateValues {
	const { issues, categoryIds, categoryIndex, outcomeIds, outcomeIndex } = context;
	const { values, fallback, path } = sources;
	const fallbackPath = sources.fallbackPath ?? path;
	const at = (field: 'costs' | 'outcomes', key: string) => joinPath(values?.[field] && Object.hasOwn(values[field], key) ? path : fallbackPath, field, key);
	const costs: (CompiledValue | null)[] = categoryIds.map(() => null);
	const outcomes: (CompiledValue | null)[] = outcomeIds.map(() => null);
	for (const [category, expression] of Object.entries({ ...(fallback?.costs ?? {}), ...(values?.costs ?? {}) })) {
		const categorySlot = categoryIndex.get(category);
		const costPath = at('costs', category);
		if (categorySlot === undefined) {
			issues.push(issue(costPath, 'unknown-reference', `no cost category "${category}" in costCategories (${categoryIds.join(', ')})`));
			continue;
		}
		costs[categorySlot] = compileValue(context, expression, costPath, plan, allowStateTime);
	}
	for (const [name, expression] of Object.entries({ ...(fallback?.outcomes ?? {}), ...(values?.outcomes ?? {}) })) {
		const outcomeSlot = outcomeIndex.get(name);
		const outcomePath = at('outcomes', name);
		if (outcomeSlot === undefined) {
			issues.push(issue(outcomePath, 'unknown-reference', `no outcome "${name}" in outcomes`));
			continue;
		}
		outcomes[outcomeSlot] = compileValue(context, expression, outcomePath, plan, allowStateTime);
	}
	const utilityValue = values?.utility ?? fallback?.utility;
	const utilityPath = joinPath(values?.utility !== undefined ? path : fallbackPath, 'utility');
	// a utility is a QALY weight per year, at most 1 (full health); below 0 is worse than death and allowed
	if (typeof utilityValue === 'number' && utilityValue > 1)
		issues.push(issue(utilityPath, 'parameter-range', `a utility of ${utilityValue} is more than full health (1); a QALY weight is at most 1`));
	const utility = utilityValue === undefined ? null : compileValue(context, utilityValue, utilityPath, plan, allowStateTime);
	return { costs, utility, outcomes };
}

/** The starting distribution: one value per state (0 where the file gives none), into the state's first sub-state. */
function compileStart(context: StrategyContext, strategy: Strategy, plan: ParameterPlan): CompiledValue[] {
	const strategyPath = joinPath('strategies', strategy.id);
	for (const key of Object.keys(strategy.start))
		if (!context.stateIndex.has(key)) context.issues.push(issue(joinPath(strategyPath, 'start', key), 'unknown-reference', `no state "${key}"`));
	return context.model.states.map((state) => {
		const source = own(strategy.start, state.id) ?? 0;
		return compileValue(context, source, joinPath(strategyPath, 'start', state.id), plan, false) as CompiledValue;
	});
}

/** The transition rows, one per expanded state: a tunnel state's row is repeated for each of its steps. */
function compileRows(context: StrategyContext, strategy: Strategy, plan: ParameterPlan): RowEntry[][] {
	const strategyPath = joinPath('strategies', strategy.id);
	for (const key of Object.keys(strategy.transitions))
		if (!context.stateIndex.has(key))
			context.issues.push(issue(joinPath(strategyPath, 'transitions', key), 'unknown-reference', `no state "${key}"`));
	const rows: RowEntry[][] = [];
	context.model.states.forEach((state, stateSlot) => {
		const tunnelLength = state.tunnel ?? 1;
		const entries = compileRow(context, strategy, plan, stateSlot);
		if (!entries) {
			for (let step = 0; step < tunnelLength; step++) rows.push([]);
			return;
		}
		const first = context.expanded.first;
		for (let step = 1; step <= tunnelLength; step++)
			rows.push(
				entries.map(({ toState, value }) => ({
					toState,
					value,
					to:
						toState === stateSlot
							? first[stateSlot] + Math.min(step, tunnelLength - 1) // stay: next tunnel step
							: first[toState] // enter: first step
				}))
			);
	});
	return rows;
}

/**
 * One state's row of moves, by collapsed target state (value null: the complement "C"); null
 * when the strategy gives no row for the state.
 */
function compileRow(context: StrategyContext, strategy: Strategy, plan: ParameterPlan, stateSlot: number): { toState: number; value: CompiledValue | null }[] | null {
	const { issues, stateIndex } = context;
	const state = context.model.states[stateSlot];
	const rowPath = joinPath('strategies', strategy.id, 'transitions', state.id);
	const row = own(strategy.transitions, state.id);
	if (!row) {
		issues.push(issue(rowPath, 'unknown-reference', `no transition row for state "${state.id}" (an absorbing state needs { "${state.id}": 1 })`));
		return null;
	}
	const entries: { toState: number; value: CompiledValue | null }[] = [];
	let complements = 0;
	for (const [to, expression] of Object.entries(row)) {
		const toState = stateIndex.get(to);
		const entryPath = joinPath(rowPath, to);
		if (toState === undefined) {
			issues.push(issue(entryPath, 'unknown-reference', `no state "${to}"`));
			continue;
		}
		// a dead state is absorbing: a move out of it would bring the dead back to life (and count their life years)
		if (state.dead && toState !== stateSlot && expression !== 0) {
			issues.push(issue(entryPath, 'probability-range', `"${state.id}" is a dead state, which nobody leaves: its row can only keep the cohort in "${state.id}" (remove the move to "${to}", or drop "dead": true)`));
			continue;
		}
		if (typeof expression === 'string' && expression.trim() === 'C') {
			complements++;
			entries.push({ toState, value: null });
		} else {
			const value = compileValue(context, expression, entryPath, plan, isTunnel(state));
			if (value) entries.push({ toState, value });
		}
	}
	if (complements > 1) issues.push(issue(rowPath, 'probability-sum', `row has ${complements} complements "C"; at most one is allowed`));
	return entries;
}

/** One-off values of moves (from a state, or any "*", to a state); staying in the target is not an event. */
function compileTransitionValues(context: StrategyContext, strategy: Strategy, plan: ParameterPlan): CompiledTransitionValue[] {
	const { issues, stateIndex, model } = context;
	return (strategy.transitionValues ?? []).map((transitionValue, position) => {
		const path = joinPath('strategies', strategy.id, 'transitionValues', position);
		const fromMask = new Uint8Array(model.states.length);
		const to = stateIndex.get(transitionValue.to) ?? -1;
		if (to < 0) issues.push(issue(joinPath(path, 'to'), 'unknown-reference', `no state "${transitionValue.to}"`));
		if (transitionValue.from === '*') fromMask.fill(1);
		else {
			const from = stateIndex.get(transitionValue.from);
			if (from === undefined) issues.push(issue(joinPath(path, 'from'), 'unknown-reference', `no state "${transitionValue.from}"`));
			else fromMask[from] = 1;
		}
		if (to >= 0) fromMask[to] = 0; // staying is not an event
		return { fromMask, to, values: compileStateValues(context, { values: transitionValue, path }, plan, false) };
	});
}
