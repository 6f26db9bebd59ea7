/**
 * The Markov cohort loop, one for every use: `run()` (full results: trace, costs per category and
 * cycle, outcomes) and `runner.totals()` (the lean path that PSA, DSA and threshold searches call
 * thousands of times: six totals per strategy, optionally the cost of each cycle).
 *
 * Per strategy, the model is laid out once as a flat program: every distinct transition, cost,
 * utility and outcome expression gets a slot of a Float64Array `cur`, and each slot is evaluated
 * as rarely as its dependence allows (ARCHITECTURE.md, principle 6):
 *  - constant (reads parameters only): once per run;
 *  - per tunnel step (reads state_time, not time): once per run for each step;
 *  - per cycle (reads model_time, age or a parameter that does): as a column over a block of
 *    cycles (columns.ts), then copied lane by lane into `cur` as the loop reaches each cycle.
 * Time-dependent parameters are evaluated the same way, as columns. So a lifetime model with
 * age-dependent mortality costs a few loops over 128-lane arrays per expression and run, not a
 * closure call per expression and cycle; the loop itself is typed-array arithmetic.
 *
 * Per strategy and cycle k = 1..n (time points t = 0..n, see cycleCorrection.ts):
 *  1. values for cycle k (model_time = k, age = startAge + (k - 1) * cycleLength);
 *  2. each (expanded) state's transition row, the complement C taking 1 minus the rest, checked:
 *     every entry in [0, 1], the row summing to 1 within 1e-9 (every row, occupied or not);
 *  3. x_k = x_{k-1} P_k (sparse rows; a tunnel state's "stay" moves to its next step), with
 *     one-off transition values on the flows between different states;
 *  4. state values with the cycle-correction weights and discount factors.
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator } from './columns';
import { columnContext, layoutStrategy, parameterSource, splitCosts } from './layout';
import { cycleWeights, discountFactors, type CycleWeights } from './cycleCorrection';
import { ModelError, issue, joinPath } from '../errors';
import type { Evaluator } from '../model/expressions';
import { lifeTableLookup } from '../model/lifeTable';
import { parameterValueProblem } from '../model/parameterChecks';
import type { Settings } from '../model/schema';

export const PROBABILITY_TOLERANCE = 1e-9;
/** a local copy: an imported binding can be a getter in CommonJS transpilation, slow in the loop */
const BLOCK: number = IMPORTED_BLOCK;

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

export const TOTAL_NAMES = ['discounted cost', 'discounted QALYs', 'discounted life years', 'undiscounted cost', 'undiscounted QALYs', 'undiscounted life years'];

/** Full per-cycle results of one strategy (run()). */
export interface Accumulator {
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
	/** cycle-corrected years spent in each state (undiscounted) */
	stateYears: Float64Array;
}

export function newAccumulator(n: number, S: number, C: number, O: number): Accumulator {
	return {
		trace: new Float64Array((n + 1) * S),
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

export type TotalsFunction = (
	values: Float64Array,
	settings: Settings,
	out: Float64Array,
	cycleCosts?: Float64Array,
	forced?: Uint8Array,
	cycleCostsUndiscounted?: Float64Array
) => void;

export interface Cohort {
	/** the lean path: totals of every strategy (not re-entrant: it reuses its buffers) */
	totals: TotalsFunction;
	/** one strategy with full per-cycle results, added into `acc` */
	simulate(strategy: number, values: Float64Array, forced: Uint8Array, settings: Settings, acc: Accumulator): void;
}

interface Program {
	st: CompiledStrategy;
	/** the compiled value behind each slot (slot 0: none, always 0) and what it is, for messages */
	sources: (CompiledValue | null)[];
	what: string[];
	/** tunnel step of each slot (1 for values outside tunnels) */
	stepOfSlot: Int32Array;
	constSlots: Int32Array;
	/** slots read per tunnel step but not per cycle, sorted by step */
	stepSlots: Int32Array;
	/** per-cycle slots: evaluated as columns into table[j * BLOCK + lane], sorted by step (time-only first, as step 0) */
	columnSlots: Int32Array;
	columnStep: Int32Array;
	columnEval: ColumnEvaluator[];
	table: Float64Array;
	/** parameter columns: current column of each time-dependent parameter, and per-run hoisted parts */
	paramColumns: Float64Array[];
	/** buffers for parameters held at a forced value (filled per block) */
	forcedColumns: Float64Array[];
	timeParams: ColumnEvaluator[];
	/** per tunnel-step parameters (parallel to plan.stateTimeOrder): column evaluators for those that also read time */
	stepParamColumns: (ColumnEvaluator | null)[];
	hoisted: Evaluator[];
	hoistedSlots: Int32Array;
	/** rows, flattened: entries [rowStart[e], rowStart[e + 1]) with target, slot (-1: complement) */
	rowStart: Int32Array;
	entryTo: Int32Array;
	entrySlot: Int32Array;
	/** transition values hit by each entry: tvList[tvStart[q] .. tvStart[q + 1]) */
	tvStart: Int32Array;
	tvList: Int32Array;
	/**
	 * lean: the cost slots of each state that change per cycle (nonzero categories only), and of
	 * each transition value; the sum of the others is computed once per run into stateCostFixed
	 * and tvCostFixed from the *FixedSlots lists
	 */
	stateCostStart: Int32Array;
	stateCostSlots: Int32Array;
	stateCostFixedStart: Int32Array;
	stateCostFixedSlots: Int32Array;
	stateCostFixed: Float64Array;
	tvCostStart: Int32Array;
	tvCostSlots: Int32Array;
	tvCostFixedStart: Int32Array;
	tvCostFixedSlots: Int32Array;
	tvCostFixed: Float64Array;
	stateUtility: Int32Array;
	tvUtility: Int32Array;
	/** full: per category [e * C + c], per outcome [e * O + o], and the same per transition value */
	stateCost: Int32Array;
	stateOutcome: Int32Array;
	tvCost: Int32Array;
	tvOutcome: Int32Array;
	/** start values read time-dependent parameters: evaluate those at cycle 1 first */
	startReadsTime: boolean;
	fixedSlots: Int32Array;
	fixedValues: Float64Array;
}

/** Settings-dependent weights, kept while the settings do not change. */
interface Timing {
	key: string;
	weights: CycleWeights;
	dc: Float64Array;
	dq: Float64Array;
}

export function createCohort(cm: CompiledModel, lowerBound: Float64Array, upperBound: Float64Array): Cohort {
	const E = cm.expanded.count;
	const S = cm.stateIds.length;
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const P = cm.parameterIds.length;
	const slots = cm.slots;
	const { stateOf, stateTime, first } = cm.expanded;
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const lanes = createLanes();
	// variables: parameters and built-ins, then the hoisted per-run parts of every program
	const nextSlot = { value: slots.size };
	let leanPrograms: Program[] | null = null;
	let fullPrograms: Program[] | null = null;
	let vars = new Float64Array(0);
	const programs = (full: boolean): Program[] => {
		if (full) fullPrograms ??= cm.strategies.map((st) => buildProgram(cm, st, true, nextSlot, lifeTables, lanes));
		else leanPrograms ??= cm.strategies.map((st) => buildProgram(cm, st, false, nextSlot, lifeTables, lanes));
		if (vars.length < nextSlot.value) vars = new Float64Array(nextSlot.value);
		return full ? fullPrograms! : leanPrograms!;
	};
	const x = new Float64Array(E);
	const xNext = new Float64Array(E);
	let prob = new Float64Array(1);
	let cur = new Float64Array(1);
	const aliveUnit = new Float64Array(E);
	for (let e = 0; e < E; e++) aliveUnit[e] = cm.dead[stateOf[e]] ? 0 : 1;
	const noneForced = new Uint8Array(P);
	const lean = new Float64Array(TOTALS.size);

	let timing: Timing = { key: '', weights: cycleWeights('end', 1), dc: new Float64Array(2), dq: new Float64Array(2) };
	const timingFor = (s: Settings): Timing => {
		const key = `${s.cycleCorrection}|${s.horizon}|${s.cycleLength}|${s.discountRates.costs}|${s.discountRates.outcomes}`;
		if (key !== timing.key)
			timing = {
				key,
				weights: cycleWeights(s.cycleCorrection, s.horizon),
				dc: discountFactors(s.discountRates.costs, s.horizon, s.cycleLength),
				dq: discountFactors(s.discountRates.outcomes, s.horizon, s.cycleLength)
			};
		return timing;
	};

	const rangeError = (st: CompiledStrategy, i: number, v: number, k: number) => {
		const id = cm.parameterIds[i];
		return new ModelError(
			issue(
				joinPath('parameters', id),
				Number.isFinite(v) ? 'parameter-range' : 'not-finite',
				`${parameterValueProblem(cm.model.parameters[id], v)} (strategy ${st.id}, cycle ${k})`
			)
		);
	};
	const skip = (p: Program, forced: Uint8Array, i: number) => forced[i] === 1 && !p.st.plan.overridden.has(i);
	/** scalar parameters (constant, or per tunnel step) */
	const evalScalarParams = (p: Program, order: number[], forced: Uint8Array, onlyStep: boolean) => {
		const plan = p.st.plan;
		for (let j = 0; j < order.length; j++) {
			const i = order[j];
			if (onlyStep && plan.dependence[i] !== Dependence.StateTime) continue;
			if (skip(p, forced, i)) continue;
			const v = (plan.evaluators[i] as Evaluator)(vars);
			vars[i] = v;
			if (!(v >= lowerBound[i] && v <= upperBound[i])) throw rangeError(p.st, i, v, vars[slots.model_time]);
		}
	};
	/** a parameter's column for this block, checked; a forced parameter is its value in every lane */
	const evalParamColumn = (p: Program, i: number, evaluate: ColumnEvaluator, forced: Uint8Array, k0: number) => {
		const n = lanes.n;
		let col: Float64Array;
		if (skip(p, forced, i)) {
			// its own buffer: paramColumns[i] may be another node's output
			col = p.forcedColumns[i];
			if (col.length === 0) col = p.forcedColumns[i] = new Float64Array(BLOCK);
			col.fill(vars[i], 0, n);
		} else col = evaluate(vars);
		const lo = lowerBound[i];
		const hi = upperBound[i];
		for (let l = 0; l < n; l++) {
			const v = col[l];
			if (!(v >= lo && v <= hi)) throw rangeError(p.st, i, v, k0 + l);
		}
		p.paramColumns[i] = col;
	};
	const slotError = (p: Program, slot: number, v: number, k: number) => {
		const cv = p.sources[slot] as CompiledValue;
		const m = p.stepOfSlot[slot];
		const step = m > 1 || (cv.dependence & Dependence.StateTime) !== 0 ? `, state_time ${m}` : '';
		return new ModelError(
			issue(cv.path, 'not-finite', `${p.what[slot]} is ${v} at cycle ${k}${step} (strategy ${p.st.id}); expected a finite number`)
		);
	};
	const evalScalarSlot = (p: Program, slot: number, k: number) => {
		const v = (p.sources[slot] as CompiledValue).evaluate(vars);
		if (!Number.isFinite(v)) throw slotError(p, slot, v, k);
		cur[slot] = v;
	};

	/** Parameters, constant and per-step slots, and the starting distribution of one strategy. */
	const setUp = (p: Program, values: Float64Array, forced: Uint8Array, settings: Settings) => {
		const st = p.st;
		const plan = st.plan;
		for (let i = 0; i < P; i++) vars[i] = values[i];
		for (let j = 0; j < p.fixedSlots.length; j++) vars[p.fixedSlots[j]] = p.fixedValues[j];
		vars[slots.cycle_length] = settings.cycleLength;
		vars[slots.model_time] = 1;
		vars[slots.age] = settings.startAge;
		vars[slots.state_time] = 1;
		evalScalarParams(p, plan.constantOrder, forced, false);
		for (let j = 0; j < p.hoisted.length; j++) vars[p.hoistedSlots[j]] = p.hoisted[j](vars);
		if (p.startReadsTime) {
			// start values are evaluated at cycle 1, state_time 1
			evalScalarParams(p, plan.timeOrder, forced, false);
			evalScalarParams(p, plan.stateTimeOrder, forced, false);
		}
		cur.fill(0);
		const cs = p.constSlots;
		for (let j = 0; j < cs.length; j++) evalScalarSlot(p, cs[j], 1);
		x.fill(0);
		let startSum = 0;
		for (let s = 0; s < S; s++) {
			const cv = st.start[s];
			const v = cv.evaluate(vars);
			if (!Number.isFinite(v)) throw new ModelError(issue(cv.path, 'not-finite', `starting share is ${v} (strategy ${st.id}); expected a finite number`));
			if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE)
				throw new ModelError(issue(cv.path, 'start-distribution', `starting share ${v} is not in [0, 1]`));
			x[first[s]] = v;
			startSum += v;
		}
		if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
			throw new ModelError(
				issue(joinPath('strategies', st.id, 'start'), 'start-distribution', `starting shares sum to ${round(startSum)}, expected 1`)
			);
		// per tunnel step, not per cycle
		const ss = p.stepSlots;
		let m = -1;
		for (let j = 0; j < ss.length; j++) {
			const slot = ss[j];
			if (p.stepOfSlot[slot] !== m) {
				m = p.stepOfSlot[slot];
				vars[slots.state_time] = m;
				evalScalarParams(p, plan.stateTimeOrder, forced, true);
			}
			evalScalarSlot(p, slot, 1);
		}
		vars[slots.state_time] = 1;
	};

	/** Evaluates the block of cycles k0 .. k0 + lanes.n - 1 into the program's column table. */
	const evalBlock = (p: Program, forced: Uint8Array, settings: Settings, k0: number) => {
		const n = lanes.n;
		const plan = p.st.plan;
		for (let l = 0; l < n; l++) {
			lanes.modelTime[l] = k0 + l;
			lanes.age[l] = settings.startAge + (k0 + l - 1) * settings.cycleLength;
		}
		vars[slots.model_time] = k0;
		vars[slots.state_time] = 1;
		const timeOrder = plan.timeOrder;
		for (let j = 0; j < timeOrder.length; j++) evalParamColumn(p, timeOrder[j], p.timeParams[j], forced, k0);
		const { columnSlots, columnStep, columnEval, table } = p;
		let m = 0;
		for (let j = 0; j < columnSlots.length; j++) {
			if (columnStep[j] !== m) {
				// a new tunnel step: its parameters first (scalars, then columns)
				m = columnStep[j];
				vars[slots.state_time] = m;
				const order = plan.stateTimeOrder;
				for (let q = 0; q < order.length; q++) {
					const i = order[q];
					const colEval = p.stepParamColumns[q];
					if (colEval) evalParamColumn(p, i, colEval, forced, k0);
					else if (!skip(p, forced, i)) {
						const v = (plan.evaluators[i] as Evaluator)(vars);
						vars[i] = v;
						if (!(v >= lowerBound[i] && v <= upperBound[i])) throw rangeError(p.st, i, v, k0);
					}
				}
			}
			const col = columnEval[j](vars);
			const base = j * BLOCK;
			for (let l = 0; l < n; l++) {
				const v = col[l];
				if (!Number.isFinite(v)) throw slotError(p, columnSlots[j], v, k0 + l);
				table[base + l] = v;
			}
		}
		vars[slots.state_time] = 1;
	};

	/**
	 * One strategy through all cycles. Lean (acc null): totals into `lean`, and the cost of each
	 * cycle into cycleCosts[base + k] when given. Full: everything into `acc`.
	 */
	const simulate = (
		p: Program,
		values: Float64Array,
		forced: Uint8Array,
		settings: Settings,
		acc: Accumulator | null,
		cycleCosts: Float64Array | undefined,
		cycleCostsU: Float64Array | undefined,
		base: number
	) => {
		const st = p.st;
		if (cur.length < p.sources.length) cur = new Float64Array(p.sources.length);
		if (prob.length < p.entryTo.length) prob = new Float64Array(p.entryTo.length);
		setUp(p, values, forced, settings);
		const n = settings.horizon;
		const cl = settings.cycleLength;
		const t = timingFor(settings);
		const { alpha, beta, eventAlpha, eventBeta } = t.weights;
		const dc = t.dc;
		const dq = t.dq;
		const sv = st.startValues;

		// one-off values at the start (model_time 1, not discounted)
		let cost0 = 0;
		for (let c = 0; c < C; c++) {
			const v = startValue(sv.costs[c], st, 'start cost');
			cost0 += v;
			if (acc) {
				acc.cycleCosts[c] += v;
				acc.cycleCostsUndiscounted[c] += v;
			}
		}
		const u0 = startValue(sv.utility, st, 'start utility');
		if (acc) {
			acc.cycleQalys[0] += u0;
			acc.cycleQalysUndiscounted[0] += u0;
			for (let o = 0; o < O; o++) acc.cycleOutcomes[o] += startValue(sv.outcomes[o], st, 'start outcome');
			for (let e = 0; e < E; e++) acc.trace[stateOf[e]] += x[e];
		}
		let cost = cost0;
		let costU = cost0;
		let qaly = u0;
		let qalyU = u0;
		let ly = 0;
		let lyU = 0;
		if (cycleCosts) cycleCosts[base] = cost0;
		if (cycleCostsU) cycleCostsU[base] = cost0;

		const { rowStart, entryTo, entrySlot, tvStart, tvList, stateCostStart, stateCostSlots, tvCostStart, tvCostSlots, stateUtility, tvUtility } = p;
		const { stateCostFixed, tvCostFixed } = p;
		// locals: the loop reads these thousands of times
		const v = cur;
		const pr = prob;
		let x0s = x;
		let x1s = xNext;
		if (!acc) {
			sumFixed(v, p.stateCostFixedStart, p.stateCostFixedSlots, stateCostFixed);
			sumFixed(v, p.tvCostFixedStart, p.tvCostFixedSlots, tvCostFixed);
		}
		const { columnSlots, table } = p;
		const nColumns = columnSlots.length;
		for (let k0 = 1; k0 <= n; k0 += BLOCK) {
			lanes.n = Math.min(BLOCK, n - k0 + 1);
			if (nColumns > 0 || p.timeParams.length > 0) evalBlock(p, forced, settings, k0);
			for (let lane = 0; lane < lanes.n; lane++) {
				const k = k0 + lane;
				for (let j = 0; j < nColumns; j++) v[columnSlots[j]] = table[j * BLOCK + lane];

				// transitions: complement, checks, flows and one-off values on them
				x1s.fill(0);
				const evC = eventAlpha * dc[k - 1] + eventBeta * dc[k];
				const evQ = eventAlpha * dq[k - 1] + eventBeta * dq[k];
				let cycleCost = 0;
				let cycleCostU = 0;
				let cycleQ = 0;
				let cycleQU = 0;
				for (let e = 0; e < E; e++) {
					const r0 = rowStart[e];
					const r1 = rowStart[e + 1];
					let sum = 0;
					let comp = -1;
					for (let q = r0; q < r1; q++) {
						const sl = entrySlot[q];
						if (sl < 0) comp = q;
						else {
							const q1 = v[sl];
							if (q1 < -PROBABILITY_TOLERANCE || q1 > 1 + PROBABILITY_TOLERANCE) throw rowError(cm, st, e, q - r0, q1, k);
							pr[q] = q1;
							sum += q1;
						}
					}
					if (comp >= 0) {
						const q1 = 1 - sum;
						if (q1 < -PROBABILITY_TOLERANCE) throw rowError(cm, st, e, comp - r0, q1, k);
						pr[comp] = q1;
						sum += q1;
					}
					if (sum > 1 + PROBABILITY_TOLERANCE || sum < 1 - PROBABILITY_TOLERANCE) throw sumError(cm, st, e, sum, k);
					const xe = x0s[e];
					if (xe === 0) continue;
					for (let q = r0; q < r1; q++) {
						const flow = xe * pr[q];
						x1s[entryTo[q]] += flow;
						const h1 = tvStart[q + 1];
						if (flow === 0) continue;
						for (let h = tvStart[q]; h < h1; h++) {
							const tv = tvList[h];
							if (acc) {
								transitionValueFull(p, acc, tv, flow, k, evC, evQ);
								continue;
							}
							let amount = tvCostFixed[tv];
							for (let c = tvCostStart[tv]; c < tvCostStart[tv + 1]; c++) amount += v[tvCostSlots[c]];
							amount *= flow;
							cycleCost += amount * evC;
							cycleCostU += amount;
							const du = flow * v[tvUtility[tv]];
							cycleQ += du * evQ;
							cycleQU += du;
						}
					}
				}

				// state values with cycle-correction weights and discounting
				const a = alpha[k];
				const b = beta[k];
				const ac = a * dc[k - 1];
				const bc = b * dc[k];
				const aq = a * dq[k - 1];
				const bq = b * dq[k];
				let sq = 0;
				let sqU = 0;
				let sl = 0;
				let slU = 0;
				for (let e = 0; e < E; e++) {
					const x0 = x0s[e];
					const x1 = x1s[e];
					if (x0 === 0 && x1 === 0) continue;
					const mU = a * x0 + b * x1;
					const mQ = aq * x0 + bq * x1;
					if (acc) stateValuesFull(p, acc, e, k, mU, ac * x0 + bc * x1, cl);
					else {
						let ce = stateCostFixed[e];
						for (let c = stateCostStart[e]; c < stateCostStart[e + 1]; c++) ce += v[stateCostSlots[c]];
						cycleCost += ce * (ac * x0 + bc * x1);
						cycleCostU += ce * mU;
					}
					const alive = aliveUnit[e];
					sl += alive * mQ;
					slU += alive * mU;
					const u = v[stateUtility[e]];
					sq += u * mQ;
					sqU += u * mU;
				}
				cycleQ += sq * cl;
				cycleQU += sqU * cl;
				cost += cycleCost;
				costU += cycleCostU;
				qaly += cycleQ;
				qalyU += cycleQU;
				ly += sl * cl;
				lyU += slU * cl;
				if (cycleCosts) cycleCosts[base + k] = cycleCost;
				if (cycleCostsU) cycleCostsU[base + k] = cycleCostU;
				if (acc) {
					acc.cycleQalys[k] += cycleQ;
					acc.cycleQalysUndiscounted[k] += cycleQU;
					acc.cycleLifeYears[k] += sl * cl;
					acc.cycleLifeYearsUndiscounted[k] += slU * cl;
					for (let e = 0; e < E; e++) acc.trace[k * S + stateOf[e]] += x1s[e];
				}
				const swap = x0s;
				x0s = x1s;
				x1s = swap;
			}
		}
		lean[TOTALS.cost] = cost;
		lean[TOTALS.qaly] = qaly;
		lean[TOTALS.lifeYears] = ly;
		lean[TOTALS.costUndiscounted] = costU;
		lean[TOTALS.qalyUndiscounted] = qalyU;
		lean[TOTALS.lifeYearsUndiscounted] = lyU;
	};

	const sumFixed = (v: Float64Array, start: Int32Array, list: Int32Array, out: Float64Array) => {
		for (let i = 0; i + 1 < start.length; i++) {
			let total = 0;
			for (let j = start[i]; j < start[i + 1]; j++) total += v[list[j]];
			out[i] = total;
		}
	};

	const startValue = (cv: CompiledValue | null, st: CompiledStrategy, what: string): number => {
		if (!cv) return 0;
		const v = cv.evaluate(vars);
		if (!Number.isFinite(v))
			throw new ModelError(issue(cv.path, 'not-finite', `${what} is ${v} at cycle 1 (strategy ${st.id}); expected a finite number`));
		return v;
	};

	/** Full results: one-off values of transition value v on a flow, per category and outcome. */
	const transitionValueFull = (p: Program, acc: Accumulator, v: number, flow: number, k: number, evC: number, evQ: number) => {
		const row = k * C;
		for (let c = 0; c < C; c++) {
			const amount = flow * cur[p.tvCost[v * C + c]];
			acc.cycleCosts[row + c] += amount * evC;
			acc.cycleCostsUndiscounted[row + c] += amount;
		}
		const du = flow * cur[p.tvUtility[v]];
		acc.cycleQalys[k] += du * evQ;
		acc.cycleQalysUndiscounted[k] += du;
		for (let o = 0; o < O; o++) acc.cycleOutcomes[k * O + o] += flow * cur[p.tvOutcome[v * O + o]];
	};
	/** Full results: a state's costs per category, outcomes and years in state for cycle k. */
	const stateValuesFull = (p: Program, acc: Accumulator, e: number, k: number, mU: number, mC: number, cl: number) => {
		const row = k * C;
		for (let c = 0; c < C; c++) {
			const v = cur[p.stateCost[e * C + c]];
			if (v === 0) continue;
			acc.cycleCosts[row + c] += v * mC;
			acc.cycleCostsUndiscounted[row + c] += v * mU;
		}
		for (let o = 0; o < O; o++) acc.cycleOutcomes[k * O + o] += cur[p.stateOutcome[e * O + o]] * mU;
		acc.stateYears[stateOf[e]] += cl * mU;
	};

	return {
		totals(values, settings, out, cycleCosts, forced, cycleCostsUndiscounted) {
			const ps = programs(false);
			const f = forced ?? noneForced;
			const n1 = settings.horizon + 1;
			for (let si = 0; si < ps.length; si++) {
				simulate(ps[si], values, f, settings, null, cycleCosts, cycleCostsUndiscounted, si * n1);
				const ob = si * TOTALS.size;
				for (let q = 0; q < TOTALS.size; q++) {
					if (!Number.isFinite(lean[q])) throw overflowError(ps[si].st.id, TOTAL_NAMES[q], lean[q]);
					out[ob + q] = lean[q];
				}
			}
		},
		simulate(strategy, values, forced, settings, acc) {
			simulate(programs(true)[strategy], values, forced, settings, acc, undefined, undefined, 0);
		}
	};
}

function buildProgram(
	cm: CompiledModel,
	st: CompiledStrategy,
	full: boolean,
	nextSlot: { value: number },
	lifeTables: ReturnType<typeof lifeTableLookup>,
	lanes: ReturnType<typeof createLanes>
): Program {
	const E = cm.expanded.count;
	const P = cm.parameterIds.length;
	const plan = st.plan;
	const layout = layoutStrategy(cm, st, full, false);
	const { sources, stepOf } = layout;

	// column compilation: names vary as their parameter's dependence in this strategy says
	const paramColumns: Float64Array[] = Array.from({ length: P }, () => new Float64Array(0));
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[] };
	const dependenceOf = (name: string) => {
		const i = cm.parameterIndex.get(name);
		if (i !== undefined) return plan.dependence[i];
		return name === 'model_time' || name === 'age' ? Dependence.Time : name === 'state_time' ? Dependence.StateTime : Dependence.Constant;
	};
	const ctx = columnContext(
		cm,
		(name) => {
			const d = dependenceOf(name);
			return d === Dependence.Constant ? Variation.Constant : d === Dependence.StateTime ? Variation.Step : Variation.Column;
		},
		paramColumns,
		{ lanes, lifeTables },
		nextSlot,
		hoisted
	);
	const asColumn = (source: string | number, path: string) => compileColumn(source, ctx, path).column;
	const paramColumn = (i: number) => asColumn(parameterSource(cm, st, i), joinPath('parameters', cm.parameterIds[i]));
	const timeParams = plan.timeOrder.map(paramColumn);
	const stepParamColumns = plan.stateTimeOrder.map((i) => (plan.dependence[i] === Dependence.TimeAndStateTime ? paramColumn(i) : null));

	const constSlots: number[] = [];
	const stepSlots: number[] = [];
	const columns: number[] = [];
	for (let slot = 1; slot < sources.length; slot++) {
		const d = (sources[slot] as CompiledValue).dependence;
		if (d === Dependence.Constant) constSlots.push(slot);
		else if (d === Dependence.StateTime) stepSlots.push(slot);
		else columns.push(slot);
	}
	const stepKey = (slot: number) => ((sources[slot] as CompiledValue).dependence & Dependence.StateTime ? stepOf[slot] : 0);
	stepSlots.sort((a, b) => stepOf[a] - stepOf[b] || a - b);
	columns.sort((a, b) => stepKey(a) - stepKey(b) || a - b);
	const columnEval = columns.map((slot) => {
		const cv = sources[slot] as CompiledValue;
		return asColumn(cv.source, cv.path);
	});
	const startValues = [...st.start, ...st.startValues.costs, st.startValues.utility, ...st.startValues.outcomes];
	const stateCosts = splitCosts(layout, layout.stateCosts);
	const tvCosts = splitCosts(layout, layout.tvCosts);

	return {
		st,
		sources,
		what: layout.what,
		stepOfSlot: Int32Array.from(stepOf),
		constSlots: Int32Array.from(constSlots),
		stepSlots: Int32Array.from(stepSlots),
		columnSlots: Int32Array.from(columns),
		columnStep: Int32Array.from(columns.map(stepKey)),
		columnEval,
		table: new Float64Array(columns.length * BLOCK),
		paramColumns,
		forcedColumns: Array.from({ length: P }, () => new Float64Array(0)),
		timeParams,
		stepParamColumns,
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		rowStart: layout.rowStart,
		entryTo: layout.entryTo,
		entrySlot: layout.entrySlot,
		tvStart: layout.tvStart,
		tvList: layout.tvList,
		stateCostStart: stateCosts.varying.start,
		stateCostSlots: stateCosts.varying.items,
		stateCostFixedStart: stateCosts.fixed.start,
		stateCostFixedSlots: stateCosts.fixed.items,
		stateCostFixed: new Float64Array(E),
		tvCostStart: tvCosts.varying.start,
		tvCostSlots: tvCosts.varying.items,
		tvCostFixedStart: tvCosts.fixed.start,
		tvCostFixedSlots: tvCosts.fixed.items,
		tvCostFixed: new Float64Array(st.transitionValues.length),
		stateUtility: layout.stateUtility,
		tvUtility: layout.tvUtility,
		stateCost: layout.stateCost,
		stateOutcome: layout.stateOutcome,
		tvCost: layout.tvCost,
		tvOutcome: layout.tvOutcome,
		startReadsTime: startValues.some((cv) => cv !== null && cv.dependence !== Dependence.Constant),
		fixedSlots: Int32Array.from(plan.fixed.keys()),
		fixedValues: Float64Array.from(plan.fixed.values())
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

export function overflowError(strategyId: string, what: string, v: number): ModelError {
	return new ModelError(
		issue(
			joinPath('strategies', strategyId),
			'not-finite',
			`the ${what} adds up to ${v}: the model's values are too large to total (the largest number is about 1.8e308)`
		)
	);
}

export function round(v: number): string {
	return Number.isFinite(v) ? String(Math.round(v * 1e9) / 1e9) : String(v);
}
