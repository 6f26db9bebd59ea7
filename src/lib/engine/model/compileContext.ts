/**
 * What the steps of `compile` share: the model, the issues found so far, and the names the
 * model defines (parameters, built-in variables, states, cost categories, outcomes), each with
 * its index. Built once by `identify`, the first step after the schema.
 */
import type { Model } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { BUILTINS } from './functions';
import { lifeTableLookup } from './lifeTable';
import type { CompiledExpression, LifeTableColumns } from './expressions';
import type { CompiledModel, ExpandedStates } from './compiled';

/** The names a model defines and where each sits. */
export interface Identifiers {
	parameterIds: string[];
	parameterIndex: Map<string, number>;
	/** slots of the built-in variables, after the parameters */
	slots: CompiledModel['slots'];
	/** the variable slot a name in an expression reads (a parameter or a built-in), or undefined */
	slotOf: (name: string) => number | undefined;
	lifeTables: LifeTableColumns;
	stateIds: string[];
	stateIndex: Map<string, number>;
	categoryIds: string[];
	categoryIndex: Map<string, number>;
	outcomeIds: string[];
	outcomeIndex: Map<string, number>;
}

/** What the steps after the parameters read: the model, the issues so far, its names, the parameters' compiled expressions. */
export interface CompileContext extends Identifiers {
	model: Model;
	issues: ModelIssue[];
	/** compiled expression per parameter slot, null for plain values */
	parameterExpressions: (CompiledExpression | null)[];
}

/** The context of the steps that compile strategies, once tunnel states are expanded. */
export interface StrategyContext extends CompileContext {
	expanded: ExpandedStates;
}

/**
 * Step 1 of compile: index every id the model defines, reporting duplicates and parameters named
 * like a built-in variable. Built-ins take the slots after the parameters:
 * model_time = P, age = P + 1, state_time = P + 2, cycle_length = P + 3, with P parameters.
 *
 * @example
 * identify(model, issues).slotOf('age') // model's parameter count + 1
 */
export function identify(model: Model, issues: ModelIssue[]): Identifiers {
	const parameterIds = Object.keys(model.parameters);
	const parameterIndex = new Map(parameterIds.map((id, slot) => [id, slot]));
	for (const builtin of BUILTINS)
		if (parameterIndex.has(builtin))
			issues.push(issue(joinPath('parameters', builtin), 'duplicate-id', `"${builtin}" is a built-in variable; choose another name`));
	const parameterCount = parameterIds.length;
	const slots = {
		model_time: parameterCount,
		age: parameterCount + 1,
		state_time: parameterCount + 2,
		cycle_length: parameterCount + 3,
		size: parameterCount + 4
	};
	const slotOf = (name: string): number | undefined => {
		const slot = parameterIndex.get(name);
		if (slot !== undefined) return slot;
		if ((BUILTINS as readonly string[]).includes(name)) return slots[name as keyof typeof slots];
		return undefined;
	};
	const lifeTables = lifeTableLookup(model.lifeTables);
	const stateIds = model.states.map((state) => state.id);
	const stateIndex = uniqueIndex(stateIds, 'states', issues);
	uniqueIndex(model.strategies.map((strategy) => strategy.id), 'strategies', issues);
	const categoryIds = model.costCategories.map((category) => category.id);
	const categoryIndex = uniqueIndex(categoryIds, 'costCategories', issues);
	const outcomeIds = (model.outcomes ?? []).map((outcome) => outcome.id);
	const outcomeIndex = uniqueIndex(outcomeIds, 'outcomes', issues);
	uniqueIndex((model.scenarios ?? []).map((scenario) => scenario.id), 'scenarios', issues);
	return { parameterIds, parameterIndex, slots, slotOf, lifeTables, stateIds, stateIndex, categoryIds, categoryIndex, outcomeIds, outcomeIndex };
}

/** Index of each id in `ids`; an id used twice is reported at `path[i].id`. */
function uniqueIndex(ids: string[], path: string, issues: ModelIssue[]): Map<string, number> {
	const index = new Map<string, number>();
	ids.forEach((id, position) => {
		if (index.has(id)) issues.push(issue(joinPath(path, position, 'id'), 'duplicate-id', `"${id}" is used twice`));
		else index.set(id, position);
	});
	return index;
}

/**
 * Runs one check and adds the ModelError's issues it throws to `issues`, so compile reports
 * every problem of a file at once; any other exception is a bug and is thrown on.
 *
 * @example
 * collectIssues(issues, () => checkParameterValue(parameter, 1.2, 'parameters.p')) // issues gains one
 */
export function collectIssues(issues: ModelIssue[], check: () => void): void {
	try {
		check();
	} catch (error) {
		if (error instanceof ModelError) issues.push(...error.issues);
		else throw error;
	}
}
