/**
 * run(compiled, options): the Markov cohort simulation. Pure: the same inputs give the same
 * outputs, nothing is parsed, and the hot loop works on preallocated Float64Arrays
 * (STYLE.md #6). `createRunner` sets up the workspace once; `runner.totals` is the lean path the
 * probabilistic analysis calls thousands of times (a flat program built once, see totals.ts).
 *
 * Per strategy and cycle k = 1..n (time points t = 0..n, see cycleCorrection.ts):
 *  1. set model_time = k, age = startAge + (k - 1) * cycleLength; re-evaluate parameters and
 *     values that depend on them (constant ones were evaluated once for the run);
 *  2. fill each (expanded) state's transition row, the complement C taking 1 minus the rest,
 *     and check it: every entry in [0, 1], the row summing to 1 within 1e-9;
 *  3. x_k = x_{k-1} P_k (sparse rows; a tunnel state's "stay" moves to its next step);
 *  4. accrue state values with the cycle-correction weights and discount factors, and one-off
 *     values on the flows between different states.
 */
import { Dependence, type CompiledModel, type CompiledStateValues, type CompiledStrategy, type CompiledValue } from './compile';
import { ModelError, issue, joinPath } from './errors';
import { cycleWeights, discountFactors } from './cycleCorrection';
import { SettingsOverride, type Settings } from './schema';
import { KIND_BOUNDS, parameterValueProblem } from './parameterChecks';
import { zodIssues } from './compile';
import { createTotals } from './totals';

export const PROBABILITY_TOLERANCE = 1e-9;

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

export interface StrategyResult {
	id: string;
	label: string;
	/** discounted totals per person */
	discounted: Totals;
	undiscounted: Totals;
	/** cycle-corrected years spent in each state (undiscounted) */
	stateYears: Record<string, number>;
	/** trace[t * states + s]: share of the cohort in state s at time point t = 0..n */
	trace: Float64Array;
	/** per cycle k = 0..n (0 = one-off values at model start), [k * categories + c] */
	cycleCosts: Float64Array;
	cycleCostsUndiscounted: Float64Array;
	cycleQalys: Float64Array;
	cycleQalysUndiscounted: Float64Array;
	cycleLifeYears: Float64Array;
	cycleLifeYearsUndiscounted: Float64Array;
	/** [k * outcomes + o], undiscounted counts */
	cycleOutcomes: Float64Array;
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

/** Layout of `runner.totals` output, per strategy. */
export const TOTALS = {
	cost: 0,
	qaly: 1,
	lifeYears: 2,
	costUndiscounted: 3,
	qalyUndiscounted: 4,
	lifeYearsUndiscounted: 5,
	size: 6
} as const;

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
	totals(
		values: Float64Array,
		settings: Settings,
		out: Float64Array,
		cycleCosts?: Float64Array,
		forced?: Uint8Array,
		cycleCostsUndiscounted?: Float64Array
	): void;
}

export function run(compiled: CompiledModel, options?: RunOptions): RunResult {
	return createRunner(compiled).run(options);
}

interface Workspace {
	vars: Float64Array;
	x: Float64Array;
	xNext: Float64Array;
	/** transition probabilities of each expanded state's row entries, flattened */
	rowValues: Float64Array;
	rowOffset: Int32Array;
	/** per expanded state: costs [e * C + c], utility [e], outcomes [e * O + o] */
	cost: Float64Array;
	utility: Float64Array;
	outcome: Float64Array;
	/** per transition value: costs [v * C + c], utility [v], outcomes [v * O + o] */
	tvCost: Float64Array;
	tvUtility: Float64Array;
	tvOutcome: Float64Array;
}

interface Accumulator {
	trace: Float64Array | null;
	cycleCosts: Float64Array;
	cycleCostsUndiscounted: Float64Array;
	cycleQalys: Float64Array;
	cycleQalysUndiscounted: Float64Array;
	cycleLifeYears: Float64Array;
	cycleLifeYearsUndiscounted: Float64Array;
	cycleOutcomes: Float64Array;
	stateYears: Float64Array;
}

export function createRunner(cm: CompiledModel): Runner {
	const E = cm.expanded.count;
	const S = cm.stateIds.length;
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const P = cm.parameterIds.length;
	// bounds by parameter kind, checked whenever an expression parameter is evaluated
	const lowerBound = new Float64Array(P).fill(-Infinity);
	const upperBound = new Float64Array(P).fill(Infinity);
	cm.parameterIds.forEach((id, i) => {
		const b = KIND_BOUNDS[cm.model.parameters[id].kind ?? 'other'];
		lowerBound[i] = b.min ?? -Number.MAX_VALUE;
		upperBound[i] = b.max ?? Number.MAX_VALUE;
	});
	const maxEntries = Math.max(...cm.strategies.map((st) => st.rows.reduce((a, r) => a + r.length, 0)), 1);
	const maxTv = Math.max(...cm.strategies.map((st) => st.transitionValues.length), 1);
	const ws: Workspace = {
		vars: new Float64Array(cm.slots.size),
		x: new Float64Array(E),
		xNext: new Float64Array(E),
		rowValues: new Float64Array(maxEntries),
		rowOffset: new Int32Array(E + 1),
		cost: new Float64Array(E * C),
		utility: new Float64Array(E),
		outcome: new Float64Array(E * O),
		tvCost: new Float64Array(maxTv * C),
		tvUtility: new Float64Array(maxTv),
		tvOutcome: new Float64Array(maxTv * O)
	};

	// which transition values apply to each row entry of each strategy (from != to)
	const entryTv = cm.strategies.map((st) => {
		const lists: Int32Array[] = [];
		st.rows.forEach((row, e) => {
			const from = cm.expanded.stateOf[e];
			for (const entry of row) {
				const hits: number[] = [];
				if (entry.toState !== from)
					st.transitionValues.forEach((tv, v) => {
						if (tv.to === entry.toState && tv.fromMask[from]) hits.push(v);
					});
				lists.push(Int32Array.from(hits));
			}
		});
		return lists;
	});

	const resolve: Runner['resolve'] = (options) => {
		let settings = { ...cm.settings };
		const values = Float64Array.from(cm.baseValues);
		const forced = new Uint8Array(P);
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
			settings = { ...settings, ...parsed.data, discountRates: { ...settings.discountRates, ...(parsed.data.discountRates ?? {}) } };
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
		return { settings, values, forced, scenario };
	};

	const simulate = (
		st: CompiledStrategy,
		values: Float64Array,
		forced: Uint8Array,
		settings: Settings,
		acc: Accumulator,
		report: Float64Array | null
	) => {
		const n = settings.horizon;
		const cl = settings.cycleLength;
		const w = cycleWeights(settings.cycleCorrection, n);
		const dc = discountFactors(settings.discountRates.costs, n, cl);
		const dq = discountFactors(settings.discountRates.outcomes, n, cl);
		const { vars, x, xNext, rowValues, rowOffset, cost, utility, outcome, tvCost, tvUtility, tvOutcome } = ws;
		const plan = st.plan;
		const { stateOf, stateTime } = cm.expanded;
		const slots = cm.slots;

		// parameters: values, then the strategy's fixed overrides, then expressions in order
		vars.set(values.subarray(0, P));
		for (const [i, v] of plan.fixed) vars[i] = v;
		vars[slots.cycle_length] = cl;
		vars[slots.model_time] = 1;
		vars[slots.age] = settings.startAge;
		vars[slots.state_time] = 1;
		const evalParams = (order: number[]) => {
			for (let j = 0; j < order.length; j++) {
				const i = order[j];
				if (forced[i] && !plan.fixed.has(i)) continue;
				const v = (plan.evaluators[i] as (v: Float64Array) => number)(vars);
				vars[i] = v;
				if (!(v >= lowerBound[i] && v <= upperBound[i])) {
					const id = cm.parameterIds[i];
					throw new ModelError(
						issue(
							joinPath('parameters', id),
							Number.isFinite(v) ? 'parameter-range' : 'not-finite',
							`${parameterValueProblem(cm.model.parameters[id], v)} (strategy ${st.id}, cycle ${vars[slots.model_time]})`
						)
					);
				}
			}
		};
		evalParams(plan.constantOrder);
		evalParams(plan.timeOrder);
		evalParams(plan.stateTimeOrder);
		if (report) report.set(vars.subarray(0, P));

		const value = (cv: CompiledValue | null, what: string): number => {
			if (!cv) return 0;
			const v = cv.evaluate(vars);
			if (!Number.isFinite(v))
				throw new ModelError(
					issue(cv.path, 'not-finite', `${what} is ${v} at cycle ${vars[slots.model_time]} (strategy ${st.id}); expected a finite number`)
				);
			return v;
		};
		const fillValues = (target: CompiledStateValues, e: number, costOut: Float64Array, utilOut: Float64Array, outOut: Float64Array, pass: Dependence | -1) => {
			for (let c = 0; c < C; c++) {
				const cv = target.costs[c];
				if (pass === -1 || (cv && cv.dependence === pass)) costOut[e * C + c] = value(cv, 'cost');
			}
			const u = target.utility;
			if (pass === -1 || (u && u.dependence === pass)) utilOut[e] = value(u, 'utility');
			for (let o = 0; o < O; o++) {
				const cv = target.outcomes[o];
				if (pass === -1 || (cv && cv.dependence === pass)) outOut[e * O + o] = value(cv, 'outcome');
			}
		};

		// row layout and constant entries
		let off = 0;
		for (let e = 0; e < E; e++) {
			rowOffset[e] = off;
			off += st.rows[e].length;
		}
		rowOffset[E] = off;
		const fillRows = (pass: Dependence | -1, e0: number, e1: number) => {
			for (let e = e0; e < e1; e++) {
				const row = st.rows[e];
				const o = rowOffset[e];
				for (let j = 0; j < row.length; j++) {
					const cv = row[j].value;
					if (cv && (pass === -1 || cv.dependence === pass)) rowValues[o + j] = value(cv, 'transition probability');
				}
			}
		};
		fillRows(-1, 0, E);
		for (let e = 0; e < E; e++) fillValues(st.values[stateOf[e]], e, cost, utility, outcome, -1);
		st.transitionValues.forEach((tv, v) => fillValues(tv.values, v, tvCost, tvUtility, tvOutcome, -1));

		// start: distribution and one-off values
		x.fill(0);
		let startSum = 0;
		for (let s = 0; s < S; s++) {
			const v = value(st.start[s], 'starting share');
			if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE)
				throw new ModelError(issue(st.start[s].path, 'start-distribution', `starting share ${v} is not in [0, 1]`));
			x[cm.expanded.first[s]] = v;
			startSum += v;
		}
		if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
			throw new ModelError(
				issue(joinPath('strategies', st.id, 'start'), 'start-distribution', `starting shares sum to ${startSum}, expected 1`)
			);
		for (let c = 0; c < C; c++) {
			const v = value(st.startValues.costs[c], 'start cost');
			acc.cycleCosts[c] += v;
			acc.cycleCostsUndiscounted[c] += v;
		}
		const u0 = value(st.startValues.utility, 'start utility');
		acc.cycleQalys[0] += u0;
		acc.cycleQalysUndiscounted[0] += u0;
		for (let o = 0; o < O; o++) acc.cycleOutcomes[o] += value(st.startValues.outcomes[o], 'start outcome');
		if (acc.trace) for (let e = 0; e < E; e++) acc.trace[stateOf[e]] += x[e];

		const hasTime = hasDependence(st, Dependence.Time);
		const hasStateTime = hasDependence(st, Dependence.StateTime);
		const tvLists = entryTv[st.index];
		const dead = cm.dead;

		for (let k = 1; k <= n; k++) {
			vars[slots.model_time] = k;
			vars[slots.age] = settings.startAge + (k - 1) * cl;
			vars[slots.state_time] = 1;
			if (hasTime || plan.timeOrder.length) {
				evalParams(plan.timeOrder);
				fillRows(Dependence.Time, 0, E);
				for (let e = 0; e < E; e++) fillValues(st.values[stateOf[e]], e, cost, utility, outcome, Dependence.Time);
				st.transitionValues.forEach((tv, v) => fillValues(tv.values, v, tvCost, tvUtility, tvOutcome, Dependence.Time));
			}
			if (hasStateTime || plan.stateTimeOrder.length) {
				for (let e = 0; e < E; e++) {
					vars[slots.state_time] = stateTime[e];
					evalParams(plan.stateTimeOrder);
					fillRows(Dependence.StateTime, e, e + 1);
					fillValues(st.values[stateOf[e]], e, cost, utility, outcome, Dependence.StateTime);
				}
				vars[slots.state_time] = 1;
			}

			// complement, checks, and x_k = x_{k-1} P_k with one-off transition values
			xNext.fill(0);
			const evD = w.eventAlpha * dc[k - 1] + w.eventBeta * dc[k];
			const evQ = w.eventAlpha * dq[k - 1] + w.eventBeta * dq[k];
			const costBase = k * C;
			let entry = 0;
			for (let e = 0; e < E; e++) {
				const row = st.rows[e];
				const o = rowOffset[e];
				let sum = 0;
				let comp = -1;
				for (let j = 0; j < row.length; j++) {
					if (row[j].value === null) comp = j;
					else {
						const p = rowValues[o + j];
						if (p < -PROBABILITY_TOLERANCE || p > 1 + PROBABILITY_TOLERANCE) throw rowError(cm, st, e, j, p, k);
						sum += p;
					}
				}
				if (comp >= 0) {
					const p = 1 - sum;
					if (p < -PROBABILITY_TOLERANCE) throw rowError(cm, st, e, comp, p, k);
					rowValues[o + comp] = p;
					sum += p;
				}
				if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) throw sumError(cm, st, e, sum, k);
				const xe = x[e];
				for (let j = 0; j < row.length; j++, entry++) {
					const flow = xe * rowValues[o + j];
					xNext[row[j].to] += flow;
					const hits = tvLists[entry];
					if (hits.length === 0 || flow === 0) continue;
					for (let h = 0; h < hits.length; h++) {
						const v = hits[h];
						for (let c = 0; c < C; c++) {
							const amount = flow * tvCost[v * C + c];
							acc.cycleCosts[costBase + c] += amount * evD;
							acc.cycleCostsUndiscounted[costBase + c] += amount;
						}
						acc.cycleQalys[k] += flow * tvUtility[v] * evQ;
						acc.cycleQalysUndiscounted[k] += flow * tvUtility[v];
						for (let oc = 0; oc < O; oc++) acc.cycleOutcomes[k * O + oc] += flow * tvOutcome[v * O + oc];
					}
				}
			}

			// state values with cycle-correction weights
			const a = w.alpha[k];
			const b = w.beta[k];
			const ac = a * dc[k - 1];
			const bc = b * dc[k];
			const aq = a * dq[k - 1];
			const bq = b * dq[k];
			for (let e = 0; e < E; e++) {
				const x0 = x[e];
				const x1 = xNext[e];
				if (x0 === 0 && x1 === 0) continue;
				const mU = a * x0 + b * x1;
				const mC = ac * x0 + bc * x1;
				const mQ = aq * x0 + bq * x1;
				for (let c = 0; c < C; c++) {
					const v = cost[e * C + c];
					if (v === 0) continue;
					acc.cycleCosts[costBase + c] += v * mC;
					acc.cycleCostsUndiscounted[costBase + c] += v * mU;
				}
				const s = stateOf[e];
				if (!dead[s]) {
					acc.cycleLifeYears[k] += cl * mQ;
					acc.cycleLifeYearsUndiscounted[k] += cl * mU;
				}
				const u = utility[e];
				if (u !== 0) {
					acc.cycleQalys[k] += u * cl * mQ;
					acc.cycleQalysUndiscounted[k] += u * cl * mU;
				}
				for (let oc = 0; oc < O; oc++) acc.cycleOutcomes[k * O + oc] += outcome[e * O + oc] * mU;
				acc.stateYears[s] += cl * mU;
			}
			if (acc.trace) for (let e = 0; e < E; e++) acc.trace[k * S + stateOf[e]] += xNext[e];
			x.set(xNext);
		}
	};

	const newAccumulator = (n: number, withTrace: boolean): Accumulator => ({
		trace: withTrace ? new Float64Array((n + 1) * S) : null,
		cycleCosts: new Float64Array((n + 1) * C),
		cycleCostsUndiscounted: new Float64Array((n + 1) * C),
		cycleQalys: new Float64Array(n + 1),
		cycleQalysUndiscounted: new Float64Array(n + 1),
		cycleLifeYears: new Float64Array(n + 1),
		cycleLifeYearsUndiscounted: new Float64Array(n + 1),
		cycleOutcomes: new Float64Array((n + 1) * O),
		stateYears: new Float64Array(S)
	});

	return {
		compiled: cm,
		resolve,
		run(options) {
			const { settings, values, forced, scenario } = resolve(options);
			const report = new Float64Array(P);
			const strategies = cm.strategies.map((st, si) => {
				const acc = newAccumulator(settings.horizon, true);
				simulate(st, values, forced, settings, acc, si === 0 ? report : null);
				return toResult(cm, st, acc, settings.horizon);
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
		totals: createTotals(cm, lowerBound, upperBound)
	};
}

function sum(a: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i];
	return s;
}

function hasDependence(st: CompiledStrategy, d: Dependence): boolean {
	const check = (v: CompiledValue | null) => v !== null && v.dependence === d;
	const checkValues = (vals: CompiledStateValues) => vals.costs.some(check) || check(vals.utility) || vals.outcomes.some(check);
	return (
		st.rows.some((r) => r.some((e) => check(e.value))) ||
		st.values.some(checkValues) ||
		st.transitionValues.some((tv) => checkValues(tv.values))
	);
}

function toResult(cm: CompiledModel, st: CompiledStrategy, acc: Accumulator, n: number): StrategyResult {
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const totals = (costs: Float64Array, qalys: Float64Array, lys: Float64Array, discountedOutcomes: boolean): Totals => {
		const costByCategory: Record<string, number> = {};
		let cost = 0;
		cm.categoryIds.forEach((id, c) => {
			let s = 0;
			for (let k = 0; k <= n; k++) s += costs[k * C + c];
			costByCategory[id] = s;
			cost += s;
		});
		const outcomes: Record<string, number> = {};
		cm.outcomeIds.forEach((id, o) => {
			let s = 0;
			for (let k = 0; k <= n; k++) s += acc.cycleOutcomes[k * O + o];
			outcomes[id] = s;
		});
		void discountedOutcomes;
		return { cost, qaly: sum(qalys), lifeYears: sum(lys), costByCategory, outcomes };
	};
	const stateYears: Record<string, number> = {};
	cm.stateIds.forEach((id, s) => (stateYears[id] = acc.stateYears[s]));
	return {
		id: st.id,
		label: st.label,
		discounted: totals(acc.cycleCosts, acc.cycleQalys, acc.cycleLifeYears, true),
		undiscounted: totals(acc.cycleCostsUndiscounted, acc.cycleQalysUndiscounted, acc.cycleLifeYearsUndiscounted, false),
		stateYears,
		trace: acc.trace as Float64Array,
		cycleCosts: acc.cycleCosts,
		cycleCostsUndiscounted: acc.cycleCostsUndiscounted,
		cycleQalys: acc.cycleQalys,
		cycleQalysUndiscounted: acc.cycleQalysUndiscounted,
		cycleLifeYears: acc.cycleLifeYears,
		cycleLifeYearsUndiscounted: acc.cycleLifeYearsUndiscounted,
		cycleOutcomes: acc.cycleOutcomes
	};
}

export function rowError(cm: CompiledModel, st: CompiledStrategy, e: number, j: number, p: number, k: number): ModelError {
	const s = cm.expanded.stateOf[e];
	const entry = st.rows[e][j];
	const tunnel = (cm.model.states[s].tunnel ?? 1) > 1 ? `, state_time ${cm.expanded.stateTime[e]}` : '';
	const what = entry.value === null ? 'the complement C (the other entries sum above 1)' : 'value';
	return new ModelError(
		issue(
			joinPath('strategies', st.id, 'transitions', cm.stateIds[s], cm.stateIds[entry.toState]),
			'probability-range',
			`${what} ${round(p)} at cycle ${k}${tunnel} is not a probability in [0, 1]`
		)
	);
}

export function sumError(cm: CompiledModel, st: CompiledStrategy, e: number, total: number, k: number): ModelError {
	const s = cm.expanded.stateOf[e];
	const tunnel = (cm.model.states[s].tunnel ?? 1) > 1 ? `, state_time ${cm.expanded.stateTime[e]}` : '';
	return new ModelError(
		issue(
			joinPath('strategies', st.id, 'transitions', cm.stateIds[s]),
			'probability-sum',
			`probabilities sum to ${round(total)} at cycle ${k}${tunnel}; expected 1 (tolerance ${PROBABILITY_TOLERANCE}); use "C" for the complement`
		)
	);
}

function round(v: number): string {
	return Number.isFinite(v) ? String(Math.round(v * 1e9) / 1e9) : String(v);
}
