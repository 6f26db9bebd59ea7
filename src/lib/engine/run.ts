/**
 * run(compiled, options): the Markov cohort simulation. Pure: the same inputs give the same
 * outputs, nothing is parsed, and the hot loop works on preallocated Float64Arrays
 * (STYLE.md #6). `createRunner` sets up the workspace once; `runner.totals` is the lean path the
 * probabilistic analysis calls thousands of times.
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
import type { CompiledModel, CompiledStrategy, CompiledValue, ParameterPlan } from './compile';
import type { Evaluator } from './expressions';
import { buildPrograms, type Program } from './program';
import { createTotals } from './totals';
import { ModelError, issue, joinPath } from './errors';
import { cycleWeights, discountFactors, type CycleWeights } from './cycleCorrection';
import { SettingsOverride, type Settings } from './schema';
import { KIND_BOUNDS, parameterValueProblem } from './parameterChecks';
import { zodIssues } from './compile';

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

function newAccumulator(n: number, S: number, C: number, O: number, withTrace: boolean): Accumulator {
	return {
		trace: withTrace ? new Float64Array((n + 1) * S) : null,
		cycleCosts: new Float64Array((n + 1) * C),
		cycleCostsUndiscounted: new Float64Array((n + 1) * C),
		cycleQalys: new Float64Array(n + 1),
		cycleQalysUndiscounted: new Float64Array(n + 1),
		cycleLifeYears: new Float64Array(n + 1),
		cycleLifeYearsUndiscounted: new Float64Array(n + 1),
		cycleOutcomes: new Float64Array((n + 1) * O),
		stateYears: new Float64Array(S)
	};
}

function clearAccumulator(acc: Accumulator): void {
	acc.trace?.fill(0);
	acc.cycleCosts.fill(0);
	acc.cycleCostsUndiscounted.fill(0);
	acc.cycleQalys.fill(0);
	acc.cycleQalysUndiscounted.fill(0);
	acc.cycleLifeYears.fill(0);
	acc.cycleLifeYearsUndiscounted.fill(0);
	acc.cycleOutcomes.fill(0);
	acc.stateYears.fill(0);
}

/** Weights and discount factors for one set of settings, kept while the settings do not change. */
interface Timing {
	key: string;
	n: number;
	weights: CycleWeights;
	costDiscount: Float64Array;
	outcomeDiscount: Float64Array;
}

export function createRunner(cm: CompiledModel): Runner {
	const E = cm.expanded.count;
	const S = cm.stateIds.length;
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const P = cm.parameterIds.length;
	const { stateOf } = cm.expanded;
	const dead = cm.dead;
	const slots = cm.slots;
	const { programs, shared } = buildPrograms(cm);
	const U = shared.keys.length;

	// bounds by parameter kind, checked whenever an expression parameter is evaluated
	const lowerBound = new Float64Array(P);
	const upperBound = new Float64Array(P);
	cm.parameterIds.forEach((id, i) => {
		const b = KIND_BOUNDS[cm.model.parameters[id].kind ?? 'other'];
		lowerBound[i] = b.min ?? -Number.MAX_VALUE;
		upperBound[i] = b.max ?? Number.MAX_VALUE;
	});

	const vars = new Float64Array(slots.size);
	const x = new Float64Array(E);
	const xNext = new Float64Array(E);
	const cur = new Float64Array(Math.max(...programs.map((p) => p.size), 1));
	let sharedTable = new Float64Array(0);
	let timing: Timing | null = null;

	const timingFor = (settings: Settings): Timing => {
		const key = `${settings.horizon}|${settings.cycleLength}|${settings.cycleCorrection}|${settings.discountRates.costs}|${settings.discountRates.outcomes}`;
		if (timing && timing.key === key) return timing;
		const n = settings.horizon;
		timing = {
			key,
			n,
			weights: cycleWeights(settings.cycleCorrection, n),
			costDiscount: discountFactors(settings.discountRates.costs, n, settings.cycleLength),
			outcomeDiscount: discountFactors(settings.discountRates.outcomes, n, settings.cycleLength)
		};
		return timing;
	};

	const evalParams = (order: number[], plan: ParameterPlan, forced: Uint8Array, strategyId: string) => {
		for (let j = 0; j < order.length; j++) {
			const i = order[j];
			if (forced[i] === 1 && !plan.overridden.has(i)) continue;
			const v = (plan.evaluators[i] as Evaluator)(vars);
			vars[i] = v;
			if (!(v >= lowerBound[i] && v <= upperBound[i])) {
				const id = cm.parameterIds[i];
				throw new ModelError(
					issue(
						joinPath('parameters', id),
						Number.isFinite(v) ? 'parameter-range' : 'not-finite',
						`${parameterValueProblem(cm.model.parameters[id], v)} (${strategyId}, cycle ${vars[slots.model_time]})`
					)
				);
			}
		}
	};

	const setTime = (k: number, settings: Settings) => {
		vars[slots.model_time] = k;
		vars[slots.age] = settings.startAge + (k - 1) * settings.cycleLength;
		vars[slots.state_time] = 1;
		vars[slots.cycle_length] = settings.cycleLength;
	};

	/** Parameter values (and time-dependent shared values, per cycle) without strategy overrides. */
	const prepareShared = (values: Float64Array, forced: Uint8Array, settings: Settings, n: number, report: Float64Array | null) => {
		const plan = cm.basePlan;
		vars.set(values.subarray(0, P));
		setTime(1, settings);
		evalParams(plan.constantOrder, plan, forced, 'all strategies');
		evalParams(plan.timeOrder, plan, forced, 'all strategies');
		evalParams(plan.stateTimeOrder, plan, forced, 'all strategies');
		if (report) report.set(vars.subarray(0, P));
		if (U === 0) return;
		if (sharedTable.length < (n + 1) * U) sharedTable = new Float64Array((n + 1) * U);
		for (let k = 1; k <= n; k++) {
			setTime(k, settings);
			if (k > 1) evalParams(plan.timeOrder, plan, forced, 'all strategies');
			for (let u = 0; u < U; u++) {
				const v = shared.evaluators[u](vars);
				if (!Number.isFinite(v))
					throw new ModelError(issue(shared.paths[u], 'not-finite', `value is ${v} at cycle ${k}; expected a finite number`));
				sharedTable[k * U + u] = v;
			}
		}
	};

	const evaluateSlot = (prog: Program, slot: number, k: number) => {
		const src = prog.sources[slot] as CompiledValue;
		const v = src.evaluate(vars);
		if (!Number.isFinite(v))
			throw new ModelError(
				issue(src.path, 'not-finite', `${prog.what[slot]} is ${v} at cycle ${k} (strategy ${prog.strategy.id}); expected a finite number`)
			);
		cur[slot] = v;
	};

	/** Evaluates slots sorted by state_time, re-evaluating state_time parameters at each step. */
	const evaluateByStateTime = (prog: Program, plan: ParameterPlan, forced: Uint8Array, list: Int32Array, stateTimes: Int32Array, k: number) => {
		if (list.length === 0) return;
		let m = -1;
		for (let j = 0; j < list.length; j++) {
			if (stateTimes[j] !== m) {
				m = stateTimes[j];
				vars[slots.state_time] = m;
				evalParams(plan.stateTimeOrder, plan, forced, prog.strategy.id);
			}
			evaluateSlot(prog, list[j], k);
		}
		vars[slots.state_time] = 1;
		evalParams(plan.stateTimeOrder, plan, forced, prog.strategy.id);
	};

	const simulate = (prog: Program, values: Float64Array, forced: Uint8Array, settings: Settings, t: Timing, acc: Accumulator) => {
		const st = prog.strategy;
		const plan = st.plan;
		const n = t.n;
		const cl = settings.cycleLength;
		const { alpha, beta, eventAlpha, eventBeta } = t.weights;
		const dc = t.costDiscount;
		const dq = t.outcomeDiscount;

		// parameters: values, the strategy's fixed overrides, then expressions in order
		vars.set(values.subarray(0, P));
		for (const [i, v] of plan.fixed) vars[i] = v;
		setTime(1, settings);
		evalParams(plan.constantOrder, plan, forced, st.id);
		evalParams(plan.timeOrder, plan, forced, st.id);
		evalParams(plan.stateTimeOrder, plan, forced, st.id);
		cur.fill(0, 0, prog.size);
		const constSlots = prog.constSlots;
		for (let j = 0; j < constSlots.length; j++) evaluateSlot(prog, constSlots[j], 0);
		evaluateByStateTime(prog, plan, forced, prog.constStateTimeSlots, prog.constStateTimeOf, 0);

		// start: distribution and one-off values
		x.fill(0);
		let startSum = 0;
		for (let s = 0; s < S; s++) {
			const v = cur[prog.startBase + s];
			if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE)
				throw new ModelError(issue(st.start[s].path, 'start-distribution', `starting share ${v} is not in [0, 1]`));
			x[cm.expanded.first[s]] = v;
			startSum += v;
		}
		if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
			throw new ModelError(
				issue(joinPath('strategies', st.id, 'start'), 'start-distribution', `starting shares sum to ${round(startSum)}, expected 1`)
			);
		const sv = prog.startBase + S;
		for (let c = 0; c < C; c++) {
			acc.cycleCosts[c] += cur[sv + c];
			acc.cycleCostsUndiscounted[c] += cur[sv + c];
		}
		acc.cycleQalys[0] += cur[sv + C];
		acc.cycleQalysUndiscounted[0] += cur[sv + C];
		for (let o = 0; o < O; o++) acc.cycleOutcomes[o] += cur[sv + C + 1 + o];
		const trace = acc.trace;
		if (trace) for (let e = 0; e < E; e++) trace[stateOf[e]] += x[e];

		const { rowStart, entryTo, complement, entryTvStart, entryTv, timeSlots, sharedSlots, sharedIndex, stateTimeSlots, stateTimeOf } = prog;
		const { costBase, utilityBase, outcomeBase, tvBase, tvStride } = prog;
		const cycleCosts = acc.cycleCosts;
		const cycleCostsU = acc.cycleCostsUndiscounted;
		const cycleQalys = acc.cycleQalys;
		const cycleQalysU = acc.cycleQalysUndiscounted;
		const cycleLy = acc.cycleLifeYears;
		const cycleLyU = acc.cycleLifeYearsUndiscounted;
		const cycleOutcomes = acc.cycleOutcomes;
		const stateYears = acc.stateYears;

		for (let k = 1; k <= n; k++) {
			// 1. values that change with time
			setTime(k, settings);
			if (prog.needsTimeParameters && k > 1) evalParams(plan.timeOrder, plan, forced, st.id);
			for (let j = 0; j < timeSlots.length; j++) evaluateSlot(prog, timeSlots[j], k);
			for (let j = 0; j < sharedSlots.length; j++) cur[sharedSlots[j]] = sharedTable[k * U + sharedIndex[j]];
			if (stateTimeSlots.length) evaluateByStateTime(prog, plan, forced, stateTimeSlots, stateTimeOf, k);

			// 2-3. complete and check each row, move the cohort, one-off values on moves
			xNext.fill(0);
			const evC = eventAlpha * dc[k - 1] + eventBeta * dc[k];
			const evQ = eventAlpha * dq[k - 1] + eventBeta * dq[k];
			const costRow = k * C;
			for (let e = 0; e < E; e++) {
				const r0 = rowStart[e];
				const r1 = rowStart[e + 1];
				const comp = complement[e];
				let total = 0;
				for (let j = r0; j < r1; j++) {
					if (j - r0 === comp) continue;
					const p = cur[j];
					if (p < -PROBABILITY_TOLERANCE || p > 1 + PROBABILITY_TOLERANCE) throw rowError(cm, st, e, j - r0, p, k);
					total += p;
				}
				if (comp >= 0) {
					const p = 1 - total;
					if (p < -PROBABILITY_TOLERANCE) throw rowError(cm, st, e, comp, p, k);
					cur[r0 + comp] = p;
					total += p;
				}
				if (total > 1 + PROBABILITY_TOLERANCE || total < 1 - PROBABILITY_TOLERANCE) throw sumError(cm, st, e, total, k);
				const xe = x[e];
				if (xe === 0) continue;
				for (let j = r0; j < r1; j++) {
					const flow = xe * cur[j];
					xNext[entryTo[j]] += flow;
					const h1 = entryTvStart[j + 1];
					for (let h = entryTvStart[j]; h < h1; h++) {
						const base = tvBase + entryTv[h] * tvStride;
						for (let c = 0; c < C; c++) {
							const amount = flow * cur[base + c];
							cycleCosts[costRow + c] += amount * evC;
							cycleCostsU[costRow + c] += amount;
						}
						cycleQalys[k] += flow * cur[base + C] * evQ;
						cycleQalysU[k] += flow * cur[base + C];
						for (let o = 0; o < O; o++) cycleOutcomes[k * O + o] += flow * cur[base + C + 1 + o];
					}
				}
			}

			// 4. state values with cycle-correction weights and discounting
			const a = alpha[k];
			const b = beta[k];
			const ac = a * dc[k - 1];
			const bc = b * dc[k];
			const aq = a * dq[k - 1];
			const bq = b * dq[k];
			let ly = 0;
			let lyU = 0;
			let q = 0;
			let qU = 0;
			for (let e = 0; e < E; e++) {
				const x0 = x[e];
				const x1 = xNext[e];
				if (x0 === 0 && x1 === 0) continue;
				const mU = a * x0 + b * x1;
				const mC = ac * x0 + bc * x1;
				const mQ = aq * x0 + bq * x1;
				const cb = costBase + e * C;
				for (let c = 0; c < C; c++) {
					const v = cur[cb + c];
					if (v === 0) continue;
					cycleCosts[costRow + c] += v * mC;
					cycleCostsU[costRow + c] += v * mU;
				}
				const s = stateOf[e];
				if (dead[s] === 0) {
					ly += mQ;
					lyU += mU;
				}
				const u = cur[utilityBase + e];
				q += u * mQ;
				qU += u * mU;
				for (let o = 0; o < O; o++) cycleOutcomes[k * O + o] += cur[outcomeBase + e * O + o] * mU;
				stateYears[s] += cl * mU;
			}
			cycleLy[k] += cl * ly;
			cycleLyU[k] += cl * lyU;
			cycleQalys[k] += cl * q;
			cycleQalysU[k] += cl * qU;
			if (trace) for (let e = 0; e < E; e++) trace[k * S + stateOf[e]] += xNext[e];
			x.set(xNext);
		}
	};

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


	return {
		compiled: cm,
		resolve,
		run(options) {
			const { settings, values, forced, scenario } = resolve(options);
			const t = timingFor(settings);
			const report = new Float64Array(P);
			prepareShared(values, forced, settings, t.n, report);
			const strategies = programs.map((prog) => {
				const acc = newAccumulator(t.n, S, C, O, true);
				simulate(prog, values, forced, settings, t, acc);
				const result = toResult(cm, prog.strategy, acc, t.n);
				checkTotalsFinite(prog.strategy.id, result);
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
		totals: createTotals(cm, lowerBound, upperBound)
	};
}

function sum(a: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i];
	return s;
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

export const TOTAL_NAMES = ['discounted cost', 'discounted QALYs', 'discounted life years', 'undiscounted cost', 'undiscounted QALYs', 'undiscounted life years'];

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

export function overflowError(strategyId: string, what: string, v: number): ModelError {
	return new ModelError(
		issue(
			joinPath('strategies', strategyId),
			'not-finite',
			`the ${what} adds up to ${v}: the model's values are too large to total (the largest number is about 1.8e308)`
		)
	);
}

function round(v: number): string {
	return Number.isFinite(v) ? String(Math.round(v * 1e9) / 1e9) : String(v);
}
