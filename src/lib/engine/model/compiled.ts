/**
 * What `compile` makes of a model file: the compiled model, its strategies, their parameter
 * plans, transition rows and values, and the expanded (tunnel) states. The simulation
 * (`simulate/`) reads these; nothing in them is text to parse (ARCHITECTURE.md, principle 1).
 */
import type { Expression, Model, Settings } from './schema';
import type { ModelIssue } from '../errors';
import type { Evaluator } from './expressions';
import type { CostConversion } from './priceYear';

/**
 * How an expression changes during a run, as bit flags: Constant (parameters only: once per
 * strategy per run), Time (model_time or age: every cycle), StateTime (state_time: once per
 * tunnel step), Time | StateTime (every cycle and tunnel step).
 */
export const enum Dependence {
	Constant = 0,
	Time = 1,
	StateTime = 2,
	TimeAndStateTime = 3
}

export interface CompiledValue {
	evaluate: Evaluator;
	dependence: Dependence;
	path: string;
	/** the expression as written, compiled again as columns by cohort.ts and batch.ts */
	source: Expression;
}

export interface ParameterPlan {
	/** evaluator per parameter slot, null for plain values */
	evaluators: (Evaluator | null)[];
	dependence: Uint8Array;
	/** parameters with expressions, in dependency order, by dependence */
	constantOrder: number[];
	timeOrder: number[];
	stateTimeOrder: number[];
	/** slots whose value this strategy fixes by a number */
	fixed: Map<number, number>;
	/** parameters this strategy overrides (by a number or an expression) */
	overridden: Set<number>;
}

export interface RowEntry {
	/** expanded target state */
	to: number;
	value: CompiledValue | null; // null: the complement C
	/** collapsed target state, for messages and transition values */
	toState: number;
}

export interface CompiledStateValues {
	/** per cost category; null where the state has no cost in that category */
	costs: (CompiledValue | null)[];
	utility: CompiledValue | null;
	outcomes: (CompiledValue | null)[];
}

export interface CompiledTransitionValue {
	/** fromMask[s] = 1 when the value applies to moves out of collapsed state s */
	fromMask: Uint8Array;
	to: number;
	values: CompiledStateValues;
}

export interface CompiledStrategy {
	id: string;
	label: string;
	description: string;
	index: number;
	plan: ParameterPlan;
	start: CompiledValue[]; // per collapsed state, into the state's first sub-state
	rows: RowEntry[][]; // per expanded state
	values: CompiledStateValues[]; // per collapsed state
	transitionValues: CompiledTransitionValue[];
	startValues: CompiledStateValues;
}

export interface ExpandedStates {
	count: number;
	/** collapsed state of each expanded state */
	stateOf: Int32Array;
	/** state_time (1-based) of each expanded state */
	stateTime: Int32Array;
	/** first expanded index of each collapsed state */
	first: Int32Array;
}

export interface CompiledModel {
	/** the model with every cost converted to settings.currency and settings.priceYear (priceYear.ts) */
	model: Model;
	/** the model as written (validated, defaults applied), before any conversion */
	written: Model;
	/** how each cost parameter given by value was converted, by parameter id */
	costs: Record<string, CostConversion>;
	settings: Settings;
	parameterIds: string[];
	parameterIndex: Map<string, number>;
	/** base values of plain parameters (NaN for expression parameters) */
	baseValues: Float64Array;
	/** slots of the built-in variables */
	slots: { model_time: number; age: number; state_time: number; cycle_length: number; size: number };
	/** plan with no strategy overrides: for reporting parameter values */
	basePlan: ParameterPlan;
	stateIds: string[];
	stateLabels: string[];
	dead: Uint8Array;
	expanded: ExpandedStates;
	categoryIds: string[];
	outcomeIds: string[];
	strategies: CompiledStrategy[];
	/** what the file asks for that a modeller might mean but should see (e.g. ages past a life table's end) */
	warnings: ModelIssue[];
}
