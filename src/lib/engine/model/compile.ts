/**
 * compile(model): validate a model file (schema, then meaning) and compile every expression once
 * into closures. Nothing after this parses text (ARCHITECTURE.md, principle 1).
 */
import { z } from 'zod';
import { FORMAT_VERSION, Model, type Expression, type ModelInput, type Parameter, type Settings, type StateValues } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { checkComparison } from './comparison';
import { compileExpression, type CompiledExpression, type Evaluator } from './expressions';
import { BUILTINS } from './functions';
import { lifeTableLookup } from './lifeTable';
import { checkParameterValue, checkDistribution } from './parameterChecks';
import { modelSize, sizeProblem } from '../limits';
import { own } from '../records';
import { convertCosts, type CostConversion, type CostTarget } from './priceYear';
import { fileHorizon, missingHorizon } from './horizon';
import { bySubgroupId, checkSubgroups } from './subgroups';

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

/** Parses JSON text and compiles it (costs converted to `target`, default the file's own currency and price year); errors name the file path inside the model. */
export function compileJson(text: string, target?: Partial<CostTarget>): CompiledModel {
	let data: unknown;
	try {
		// a byte-order mark (Windows editors add one) is not JSON but is not an error either
		data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (e) {
		throw new ModelError(issue('', 'schema', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`));
	}
	return compile(data, target);
}

/** Validates the model against the schema and returns it with defaults applied. */
export function validateSchema(data: unknown): Model {
	if (data === null || typeof data !== 'object' || Array.isArray(data))
		throw new ModelError(
			issue('', 'schema', `a model file holds one JSON object ({ "formatVersion": 1, ... }); this one holds ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}`)
		);
	if (data && typeof data === 'object' && 'formatVersion' in data && (data as { formatVersion: unknown }).formatVersion !== FORMAT_VERSION) {
		const v = (data as { formatVersion: unknown }).formatVersion;
		throw new ModelError(
			issue(
				'formatVersion',
				'format-version',
				`this app reads model format version ${FORMAT_VERSION}; the file says ${typeof v === 'number' ? v : typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : `a ${typeof v}`}. ${
					typeof v === 'number' && v > FORMAT_VERSION
						? 'It was written by a newer version of the app: update the app.'
						: 'Convert it to version 1 as described in docs/model-format.md.'
				}`
			)
		);
	}
	const parsed = Model.safeParse(data);
	if (!parsed.success) throw new ModelError([...bySubgroupId(zodIssues(parsed.error), data), ...missingHorizon(data)]);
	// the horizon in cycles, from `horizon` or `horizonAge` (model/horizon.ts)
	return { ...parsed.data, horizon: fileHorizon(parsed.data) };
}

export function zodIssues(error: z.ZodError): ModelIssue[] {
	return error.issues.slice(0, 50).flatMap((i) => {
		const path = joinPath(...i.path.map((p) => String(p)));
		let message = i.message;
		// one issue per unknown field, at the field itself, so even a stray field at the top of
		// the file has a path the UI can point at
		if (i.code === 'unrecognized_keys')
			return i.keys.slice(0, 50).map((k) => issue(joinPath(path, k), 'schema', `unknown field "${k}"`));
		if (i.code === 'invalid_type' && /received undefined$/.test(i.message))
			message = `required field is missing (expected ${i.expected})`;
		else if (i.code === 'invalid_type') message = i.message.replace(/^Invalid input: /, '');
		return issue(path, 'schema', message);
	});
}

/**
 * Validates a model file and compiles it once. Every cost given by value is converted to
 * `target` (default: the file's `currency` and `priceYear`) here, so runs see converted numbers
 * only (priceYear.ts).
 *
 *     const cm = compile(modelJson);                            // GBP, the file's price year
 *     const us = compile(modelJson, { currency: 'USD' });       // the same model with costs in USD
 */
export function compile(data: unknown | ModelInput, target?: Partial<CostTarget>): CompiledModel {
	const written = validateSchema(data);
	const { model, conversions: costs } = convertCosts(written, {
		currency: target?.currency ?? written.currency,
		priceYear: target?.priceYear ?? written.priceYear
	});
	const issues: ModelIssue[] = [];
	const collect = (fn: () => void) => {
		try {
			fn();
		} catch (e) {
			if (e instanceof ModelError) issues.push(...e.issues);
			else throw e;
		}
	};

	const settings: Settings = {
		currency: model.currency,
		priceYear: model.priceYear,
		cycleLength: model.cycleLength,
		horizon: model.horizon,
		...(model.horizonAge !== undefined ? { horizonAge: model.horizonAge } : {}),
		startAge: model.startAge,
		discountRates: model.discountRates,
		cycleCorrection: model.cycleCorrection,
		willingnessToPay: model.willingnessToPay
	};

	// --- identifiers
	const parameterIds = Object.keys(model.parameters);
	const parameterIndex = new Map(parameterIds.map((id, i) => [id, i]));
	for (const b of BUILTINS)
		if (parameterIndex.has(b))
			issues.push(issue(joinPath('parameters', b), 'duplicate-id', `"${b}" is a built-in variable; choose another name`));
	const slots = {
		model_time: parameterIds.length,
		age: parameterIds.length + 1,
		state_time: parameterIds.length + 2,
		cycle_length: parameterIds.length + 3,
		size: parameterIds.length + 4
	};
	const slotOf = (name: string): number | undefined => {
		const p = parameterIndex.get(name);
		if (p !== undefined) return p;
		if ((BUILTINS as readonly string[]).includes(name)) return slots[name as keyof typeof slots];
		return undefined;
	};
	const lifeTables = lifeTableLookup(model.lifeTables);

	const stateIds = model.states.map((s) => s.id);
	const stateIndex = uniqueIndex(stateIds, 'states', issues);
	const strategyIds = model.strategies.map((s) => s.id);
	uniqueIndex(strategyIds, 'strategies', issues);
	const categoryIds = model.costCategories.map((c) => c.id);
	const categoryIndex = uniqueIndex(categoryIds, 'costCategories', issues);
	const outcomeIds = (model.outcomes ?? []).map((o) => o.id);
	const outcomeIndex = uniqueIndex(outcomeIds, 'outcomes', issues);
	uniqueIndex((model.scenarios ?? []).map((s) => s.id), 'scenarios', issues);

	// --- parameters: plain values checked, expressions compiled
	const baseValues = new Float64Array(parameterIds.length).fill(NaN);
	const paramExprs: (CompiledExpression | null)[] = parameterIds.map(() => null);
	parameterIds.forEach((id, i) => {
		const p = model.parameters[id];
		const path = joinPath('parameters', id);
		collect(() => checkParameterDefinition(id, p, path));
		if (p.value !== undefined) {
			baseValues[i] = p.value;
			collect(() => checkParameterValue(p, p.value as number, path));
			collect(() => checkDistribution(p, path));
		} else if (p.expression !== undefined) {
			collect(() => {
				paramExprs[i] = compileExpression(p.expression as string, { slotOf, lifeTables, path: joinPath(path, 'expression') });
			});
		}
	});
	collect(() => checkDirichletGroups(model, parameterIndex));
	for (const [k, c] of (model.correlations ?? []).entries()) {
		for (const end of ['a', 'b'] as const)
			if (!parameterIndex.has(c[end]))
				issues.push(issue(joinPath('correlations', k, end), 'unknown-reference', `no parameter named "${c[end]}"`));
	}
	if (issues.length) throw new ModelError(issues);

	const builtinDependence = new Map<string, Dependence>([
		['model_time', Dependence.Time],
		['age', Dependence.Time],
		['state_time', Dependence.StateTime],
		['cycle_length', Dependence.Constant]
	]);

	const makePlan = (overrides: Record<string, Expression> | undefined, path: string): ParameterPlan => {
		const exprs = paramExprs.slice();
		const fixed = new Map<number, number>();
		for (const [id, value] of Object.entries(overrides ?? {})) {
			const i = parameterIndex.get(id);
			const opath = joinPath(path, id);
			if (i === undefined) {
				issues.push(issue(opath, 'unknown-reference', `no parameter named "${id}" to override`));
				continue;
			}
			collect(() => {
				const c = compileExpression(value, { slotOf, lifeTables, path: opath });
				if (c.constant !== undefined) {
					checkParameterValue(model.parameters[id], c.constant, opath);
					fixed.set(i, c.constant);
					exprs[i] = null;
				} else exprs[i] = c;
			});
		}
		const plan = orderParameters(parameterIds, exprs, fixed, builtinDependence, path, issues);
		for (const id of Object.keys(overrides ?? {})) {
			const i = parameterIndex.get(id);
			if (i !== undefined) plan.overridden.add(i);
		}
		return plan;
	};

	const basePlan = makePlan(undefined, 'parameters');
	if (issues.length) throw new ModelError(issues);

	// --- size, before tunnels are expanded: a small file can ask for billions of cohort moves
	const tooLarge = sizeProblem(modelSize(model, model.horizon));
	if (tooLarge) throw new ModelError(issue('horizon', 'model-size', tooLarge));

	// --- states and their tunnels
	const dead = new Uint8Array(model.states.map((s) => (s.dead ? 1 : 0)));
	const expanded = expandStates(model.states.map((s) => s.tunnel ?? 1));

	const compileValue = (
		source: Expression,
		path: string,
		plan: ParameterPlan,
		allowStateTime: boolean
	): CompiledValue | null => {
		let result: CompiledValue | null = null;
		collect(() => {
			const c = compileExpression(source, { slotOf, lifeTables, path });
			const dependence = dependenceOf(c, plan, parameterIndex, builtinDependence);
			if ((dependence & Dependence.StateTime) !== 0 && !allowStateTime)
				throw new ModelError(
					issue(path, 'expression-type', 'state_time is only defined in states declared with a tunnel length')
				);
			result = { evaluate: c.evaluate, dependence, path, source };
		});
		return result;
	};

	const compileValues = (
		v: StateValues | undefined,
		fallback: StateValues | undefined,
		path: string,
		plan: ParameterPlan,
		allowStateTime: boolean,
		fallbackPath = path
	): CompiledStateValues => {
		// a value taken from the fallback (the state's own) is reported where it is written
		const at = (field: 'costs' | 'outcomes', key: string) =>
			joinPath(v?.[field] && Object.hasOwn(v[field], key) ? path : fallbackPath, field, key);
		const costs: (CompiledValue | null)[] = categoryIds.map(() => null);
		const outcomes: (CompiledValue | null)[] = outcomeIds.map(() => null);
		const costSource = { ...(fallback?.costs ?? {}), ...(v?.costs ?? {}) };
		for (const [cat, expr] of Object.entries(costSource)) {
			const ci = categoryIndex.get(cat);
			const cpath = at('costs', cat);
			if (ci === undefined) {
				issues.push(issue(cpath, 'unknown-reference', `no cost category "${cat}" in costCategories (${categoryIds.join(', ')})`));
				continue;
			}
			costs[ci] = compileValue(expr, cpath, plan, allowStateTime);
		}
		const outcomeSource = { ...(fallback?.outcomes ?? {}), ...(v?.outcomes ?? {}) };
		for (const [name, expr] of Object.entries(outcomeSource)) {
			const oi = outcomeIndex.get(name);
			const opath = at('outcomes', name);
			if (oi === undefined) {
				issues.push(issue(opath, 'unknown-reference', `no outcome "${name}" in outcomes`));
				continue;
			}
			outcomes[oi] = compileValue(expr, opath, plan, allowStateTime);
		}
		const u = v?.utility ?? fallback?.utility;
		const upath = joinPath(v?.utility !== undefined ? path : fallbackPath, 'utility');
		// a utility is a QALY weight per year, at most 1 (full health); below 0 is worse than death and allowed
		if (typeof u === 'number' && u > 1) issues.push(issue(upath, 'parameter-range', `a utility of ${u} is more than full health (1); a QALY weight is at most 1`));
		const utility = u === undefined ? null : compileValue(u, upath, plan, allowStateTime);
		return { costs, utility, outcomes };
	};

	// state-level values are checked once without overrides so their paths point at the state
	model.states.forEach((s, si) => compileValues(s, undefined, joinPath('states', s.id), basePlan, (s.tunnel ?? 1) > 1));

	const strategies: CompiledStrategy[] = model.strategies.map((st, index) => {
		const spath = joinPath('strategies', st.id);
		const plan = makePlan(st.parameters, joinPath(spath, 'parameters'));

		// starting distribution
		for (const key of Object.keys(st.start))
			if (!stateIndex.has(key))
				issues.push(issue(joinPath(spath, 'start', key), 'unknown-reference', `no state "${key}"`));
		const start = model.states.map((s) => {
			const src = own(st.start, s.id) ?? 0;
			return compileValue(src, joinPath(spath, 'start', s.id), plan, false) as CompiledValue;
		});

		// transition rows, expanded over tunnel sub-states
		for (const key of Object.keys(st.transitions))
			if (!stateIndex.has(key))
				issues.push(issue(joinPath(spath, 'transitions', key), 'unknown-reference', `no state "${key}"`));
		const rows: RowEntry[][] = [];
		model.states.forEach((s, si) => {
			const rpath = joinPath(spath, 'transitions', s.id);
			const row = own(st.transitions, s.id);
			const tunnel = (s.tunnel ?? 1) > 1;
			if (!row) {
				issues.push(
					issue(rpath, 'unknown-reference', `no transition row for state "${s.id}" (an absorbing state needs { "${s.id}": 1 })`)
				);
				for (let m = 0; m < (s.tunnel ?? 1); m++) rows.push([]);
				return;
			}
			const compiled: { toState: number; value: CompiledValue | null }[] = [];
			let complements = 0;
			for (const [to, expr] of Object.entries(row)) {
				const ti = stateIndex.get(to);
				const epath = joinPath(rpath, to);
				if (ti === undefined) {
					issues.push(issue(epath, 'unknown-reference', `no state "${to}"`));
					continue;
				}
				// a dead state is absorbing: a move out of it would bring the dead back to life (and count their life years)
				if (s.dead && ti !== si && expr !== 0) {
					issues.push(issue(epath, 'probability-range', `"${s.id}" is a dead state, which nobody leaves: its row can only keep the cohort in "${s.id}" (remove the move to "${to}", or drop "dead": true)`));
					continue;
				}
				if (typeof expr === 'string' && expr.trim() === 'C') {
					complements++;
					compiled.push({ toState: ti, value: null });
				} else {
					const v = compileValue(expr, epath, plan, tunnel);
					if (v) compiled.push({ toState: ti, value: v });
				}
			}
			if (complements > 1)
				issues.push(issue(rpath, 'probability-sum', `row has ${complements} complements "C"; at most one is allowed`));
			for (let m = 1; m <= (s.tunnel ?? 1); m++) {
				rows.push(
					compiled.map(({ toState, value }) => ({
						toState,
						value,
						to:
							toState === si
								? expanded.first[si] + Math.min(m, (s.tunnel ?? 1) - 1) // stay: next tunnel step
								: expanded.first[toState] // enter: first step
					}))
				);
			}
		});

		for (const key of Object.keys(st.stateValues ?? {}))
			if (!stateIndex.has(key))
				issues.push(issue(joinPath(spath, 'stateValues', key), 'unknown-reference', `no state "${key}"`));
		const values = model.states.map((s) => {
			const stateValues = own(st.stateValues, s.id);
			return compileValues(
				stateValues,
				s,
				stateValues ? joinPath(spath, 'stateValues', s.id) : joinPath('states', s.id),
				plan,
				(s.tunnel ?? 1) > 1,
				joinPath('states', s.id)
			);
		});

		const transitionValues: CompiledTransitionValue[] = (st.transitionValues ?? []).map((tv, k) => {
			const tpath = joinPath(spath, 'transitionValues', k);
			const fromMask = new Uint8Array(model.states.length);
			const to = stateIndex.get(tv.to) ?? -1;
			if (to < 0) issues.push(issue(joinPath(tpath, 'to'), 'unknown-reference', `no state "${tv.to}"`));
			if (tv.from === '*') fromMask.fill(1);
			else {
				const f = stateIndex.get(tv.from);
				if (f === undefined) issues.push(issue(joinPath(tpath, 'from'), 'unknown-reference', `no state "${tv.from}"`));
				else fromMask[f] = 1;
			}
			if (to >= 0) fromMask[to] = 0; // staying is not an event
			return { fromMask, to, values: compileValues(tv, undefined, tpath, plan, false) };
		});

		const startValues = compileValues(st.startValues, undefined, joinPath(spath, 'startValues'), plan, false);
		return {
			id: st.id,
			label: st.label,
			description: st.description ?? '',
			index,
			plan,
			start,
			rows,
			values,
			transitionValues,
			startValues
		};
	});

	for (const [k, sc] of (model.scenarios ?? []).entries()) {
		for (const [id, v] of Object.entries(sc.parameters ?? {})) {
			const p = own(model.parameters, id);
			const path = joinPath('scenarios', k, 'parameters', id);
			if (!p) issues.push(issue(path, 'unknown-reference', `no parameter named "${id}"`));
			else collect(() => checkParameterValue(p, v, path));
		}
	}

	issues.push(...checkSubgroups(model, settings));

	// the declarations (comparison, levers, trace bands) last: a broken parameter or state is reported as itself first
	if (!issues.length) issues.push(...checkComparison(model));
	if (issues.length) throw new ModelError(dedupe(issues));
	return {
		model,
		written,
		costs,
		settings,
		parameterIds,
		parameterIndex,
		baseValues,
		slots,
		basePlan,
		stateIds,
		stateLabels: model.states.map((s) => s.label),
		dead,
		expanded,
		categoryIds,
		outcomeIds,
		strategies,
		warnings: lifeTableWarnings(model)
	};
}

/**
 * A warning for each life table the cohort outlives: ages past a table's last row use that
 * row's qx (lifeTable.ts), which a modeller may intend (a closed last row such as "100+") or not.
 * The oldest age reached is startAge + (horizon - 1) x cycleLength.
 */
function lifeTableWarnings(model: Model): ModelIssue[] {
	const oldest = model.startAge + (model.horizon - 1) * model.cycleLength;
	const warnings: ModelIssue[] = [];
	for (const [name, t] of Object.entries(model.lifeTables ?? {})) {
		const last = t.minAge + Math.min(t.qx.male.length, t.qx.female.length) - 1;
		if (oldest >= last + 1)
			warnings.push(
				issue(
					joinPath('lifeTables', name),
					'parameter-range',
					`the cohort reaches age ${Number(oldest.toFixed(2))} (start age ${model.startAge}, ${model.horizon} cycles of ${Number(model.cycleLength.toFixed(4))} years); this table ends at age ${last}, so older ages use the qx of age ${last}`
				)
			);
	}
	return warnings;
}

function dedupe(issues: ModelIssue[]): ModelIssue[] {
	const seen = new Set<string>();
	return issues.filter((i) => {
		const key = `${i.path}|${i.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

function uniqueIndex(ids: string[], path: string, issues: ModelIssue[]): Map<string, number> {
	const index = new Map<string, number>();
	ids.forEach((id, i) => {
		if (index.has(id)) issues.push(issue(joinPath(path, i, 'id'), 'duplicate-id', `"${id}" is used twice`));
		else index.set(id, i);
	});
	return index;
}

function checkParameterDefinition(id: string, p: Parameter, path: string): void {
	const problems: ModelIssue[] = [];
	if ((p.value === undefined) === (p.expression === undefined))
		problems.push(issue(path, 'schema', 'give exactly one of "value" or "expression"'));
	if (p.expression !== undefined && p.distribution && p.distribution.type !== 'fixed')
		problems.push(
			issue(joinPath(path, 'distribution'), 'distribution', 'an expression parameter takes its uncertainty from its inputs; give no distribution')
		);
	if (p.value !== undefined && !p.source && !p.assumption)
		problems.push(issue(path, 'schema', `parameter "${id}" needs a "source" (citation and where to find it) or an "assumption" (the reason)`));
	if (problems.length) throw new ModelError(problems);
}

function checkDirichletGroups(model: Model, parameterIndex: Map<string, number>): void {
	const groups = new Map<string, string[]>();
	for (const [id, p] of Object.entries(model.parameters))
		if (p.distribution?.type === 'dirichlet') {
			const g = groups.get(p.distribution.group) ?? [];
			g.push(id);
			groups.set(p.distribution.group, g);
		}
	const problems: ModelIssue[] = [];
	for (const [g, ids] of groups)
		if (ids.length < 2)
			problems.push(
				issue(joinPath('parameters', ids[0], 'distribution', 'group'), 'distribution', `Dirichlet group "${g}" needs at least two parameters`)
			);
	void parameterIndex;
	if (problems.length) throw new ModelError(problems);
}

function dependenceOf(
	c: CompiledExpression,
	plan: ParameterPlan,
	parameterIndex: Map<string, number>,
	builtins: Map<string, Dependence>
): Dependence {
	let d = Dependence.Constant;
	for (const s of c.symbols) {
		const p = parameterIndex.get(s);
		const ds = p !== undefined ? (plan.dependence[p] as Dependence) : (builtins.get(s) ?? Dependence.Constant);
		d |= ds;
	}
	return d;
}

/** Orders expression parameters so each comes after the parameters it reads; reports cycles. */
function orderParameters(
	ids: string[],
	exprs: (CompiledExpression | null)[],
	fixed: Map<number, number>,
	builtins: Map<string, Dependence>,
	path: string,
	issues: ModelIssue[]
): ParameterPlan {
	const n = ids.length;
	const index = new Map(ids.map((id, i) => [id, i]));
	const state = new Uint8Array(n); // 0 new, 1 visiting, 2 done
	const order: number[] = [];
	const dependence = new Uint8Array(n);
	const stack: number[] = [];
	let cycleFound = false;
	// depth-first search with an explicit stack: recursion would exhaust the call stack on a long
	// chain of definitions (p1 = p2 + 1, p2 = p3 + 1, ...)
	interface Frame {
		i: number;
		reads: string[];
		next: number;
		d: Dependence;
	}
	const frames: Frame[] = [];
	const enter = (i: number) => {
		state[i] = 1;
		stack.push(i);
		const e = exprs[i];
		frames.push({ i, reads: e ? [...e.symbols] : [], next: 0, d: Dependence.Constant });
	};
	const visit = (root: number): void => {
		if (state[root] !== 0 || cycleFound) return;
		enter(root);
		while (frames.length) {
			const f = frames[frames.length - 1];
			if (f.next < f.reads.length) {
				const s = f.reads[f.next++];
				const j = index.get(s);
				if (j === undefined) {
					const b = builtins.get(s) ?? Dependence.Constant;
					f.d |= b;
				} else if (state[j] === 2) {
					f.d |= dependence[j];
				} else if (state[j] === 1) {
					const from = stack.indexOf(j);
					const loop = [...stack.slice(from), j].map((k) => ids[k]).join(' -> ');
					issues.push(issue(joinPath(path, ids[j]), 'parameter-cycle', `parameters refer to each other in a loop: ${loop}`));
					cycleFound = true;
					frames.length = 0;
					stack.length = 0;
					return;
				} else enter(j);
				continue;
			}
			frames.pop();
			stack.pop();
			state[f.i] = 2;
			dependence[f.i] = f.d;
			if (exprs[f.i]) order.push(f.i);
			const parent = frames[frames.length - 1];
			if (parent) parent.d |= f.d;
		}
	};
	for (let i = 0; i < n; i++) visit(i);
	const evaluators = exprs.map((e) => (e ? e.evaluate : null));
	return {
		evaluators,
		dependence,
		constantOrder: order.filter((i) => dependence[i] === Dependence.Constant),
		timeOrder: order.filter((i) => dependence[i] === Dependence.Time),
		stateTimeOrder: order.filter((i) => (dependence[i] & Dependence.StateTime) !== 0),
		fixed,
		overridden: new Set<number>()
	};
}

function expandStates(tunnels: number[]): ExpandedStates {
	const count = tunnels.reduce((a, b) => a + b, 0);
	const stateOf = new Int32Array(count);
	const stateTime = new Int32Array(count);
	const first = new Int32Array(tunnels.length);
	let e = 0;
	tunnels.forEach((len, s) => {
		first[s] = e;
		for (let m = 1; m <= len; m++, e++) {
			stateOf[e] = s;
			stateTime[e] = m;
		}
	});
	return { count, stateOf, stateTime, first };
}

/** Compiled models of one written model for other targets, so each target is compiled once. */
const byTarget = new WeakMap<Model, Map<string, CompiledModel>>();

/**
 * The currency and price year a run asks for: the options' settings, else its scenario's, else
 * the compiled model's own.
 *
 *     costTargetOf(cm, { scenario: 'us-payer' }) // { currency: 'USD', priceYear: ... }
 */
export function costTargetOf(cm: CompiledModel, options?: { scenario?: string; settings?: { currency?: unknown; priceYear?: unknown } }): CostTarget {
	const sc = options?.scenario ? (cm.model.scenarios ?? []).find((s) => s.id === options.scenario)?.settings : undefined;
	const pick = <T>(v: unknown, type: 'string' | 'number'): T | undefined => (typeof v === type ? (v as T) : undefined);
	return {
		currency: pick<string>(options?.settings?.currency, 'string') ?? sc?.currency ?? cm.settings.currency,
		priceYear: pick<number>(options?.settings?.priceYear, 'number') ?? sc?.priceYear ?? cm.settings.priceYear
	};
}

/**
 * The compiled model with its costs in the currency and price year `options` ask for (itself
 * when they are its own). Compiled once per target and kept; a target the model's indices or
 * rates cannot reach is a ModelError at `settings.priceYear` or `settings.currency`.
 *
 *     const us = compiledFor(cm, { settings: { currency: 'USD' } }); // us.model.parameters in USD
 */
export function compiledFor(cm: CompiledModel, options?: { scenario?: string; settings?: { currency?: unknown; priceYear?: unknown } }): CompiledModel {
	const target = costTargetOf(cm, options);
	if (target.currency === cm.settings.currency && target.priceYear === cm.settings.priceYear) return cm;
	let cache = byTarget.get(cm.written);
	if (!cache) byTarget.set(cm.written, (cache = new Map()));
	const key = `${target.currency}|${target.priceYear}`;
	let out = cache.get(key);
	if (!out) {
		try {
			out = compile(cm.written, target);
		} catch (e) {
			if (!(e instanceof ModelError)) throw e;
			throw new ModelError(
				e.issues.map((i) => ({
					...i,
					path: i.path === 'priceYear' || i.path === 'currency' ? joinPath('settings', i.path) : i.path,
					code: 'invalid-override' as const
				}))
			);
		}
		cache.set(key, out);
	}
	return out;
}
