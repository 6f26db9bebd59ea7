/**
 * The Markov cohort, one lane (one set of parameter values) at a time, for every model: `run()`
 * (full results: trace, costs per category and cycle, outcomes) and `runner.totals()` (the lean
 * path that PSA, DSA and threshold searches call thousands of times: six totals per strategy,
 * optionally the cost of each cycle). Both go through one driver, `simulateStrategy`; what a run
 * keeps beyond the totals is a recorder's work (ARCHITECTURE.md, "From a model file to a chart").
 *
 * Per strategy, the model is laid out once as a flat program (layout.ts): every distinct
 * transition, cost, utility and outcome expression gets a slot of the Float64Array `slotValue`,
 * and each slot is evaluated as rarely as its dependence allows (ARCHITECTURE.md, principle 6):
 *  - constant (reads parameters only): once per run;
 *  - per tunnel step (reads state_time, not time): once per run for each step;
 *  - per cycle (reads model_time, age or a parameter that does): as a column over a block of
 *    cycles (columns.ts), then copied into `slotValue` as the loop reaches each cycle.
 * Time-dependent parameters are evaluated the same way, as columns. So a lifetime model with
 * age-dependent mortality costs a few loops over 128-lane arrays per expression and run, not a
 * closure call per expression and cycle; the loop itself is typed-array arithmetic.
 *
 * The driver's steps, per strategy and cycle k = 1..n (time points t = 0..n, cycleCorrection.ts),
 * as heemod's `eval_model` names them (parameters, matrices, states, counts, values):
 *  1. `loadCycleValues`: the values of cycle k (model_time = k, age = startAge + (k - 1) * cycleLength);
 *  2. `moveCohort`: each (expanded) state's transition row, the complement C taking 1 minus the
 *     rest, checked (every entry in [0, 1], the row summing to 1 within 1e-9, every row,
 *     occupied or not); then x_k = x_{k-1} P_k (sparse rows; a tunnel state's "stay" moves to
 *     its next step), with one-off transition values on the flows between different states;
 *  3. `addStateValues`: state values with the cycle-correction weights and discount factors;
 *  4. the recorder sees the cycle (`Recorder.record`).
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator, type Lanes } from './columns';
import { columnContext, heldAtForcedValue, parameterSource } from './layout';
import { programOf, type Program } from './program';
import { cycleTiming, type CycleTiming } from './cycleCorrection';
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
export interface FullResults {
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

/**
 * Zeroed full results for a horizon of `cycles`, `stateCount` states, `categoryCount` cost
 * categories and `outcomeCount` outcomes: arrays over time points 0..n.
 *
 * @example `newFullResults(40, 3, 2, 0).trace.length` is 41 * 3.
 */
export function newFullResults(cycles: number, stateCount: number, categoryCount: number, outcomeCount: number): FullResults {
	const points = cycles + 1;
	return {
		trace: new Float64Array(points * stateCount),
		cycleCosts: new Float64Array(points * categoryCount),
		cycleCostsUndiscounted: new Float64Array(points * categoryCount),
		cycleQalys: new Float64Array(points),
		cycleQalysUndiscounted: new Float64Array(points),
		cycleLifeYears: new Float64Array(points),
		cycleLifeYearsUndiscounted: new Float64Array(points),
		cycleOutcomes: new Float64Array(points * outcomeCount),
		stateYears: new Float64Array(stateCount)
	};
}

/**
 * What the driver shows a recorder of one cycle k (k = 0: the start, with the one-off start
 * values), after the cohort has moved and the values are added. Read-only for the recorder;
 * the driver reuses one view.
 */
export interface CycleView {
	cycle: number;
	strategy: CompiledStrategy;
	/** expanded-state shares x_{k-1} and x_k (at k = 0 both the starting shares) */
	cohortStart: Float64Array;
	cohortEnd: Float64Array;
	/** each row entry's probability this cycle (layout.ts rows) */
	probability: Float64Array;
	/** each slot's value this cycle, and the variables (parameters, built-ins) */
	slotValue: Float64Array;
	variables: Float64Array;
	/** the cycle-correction weights alpha_k and beta_k (cycleCorrection.ts) */
	stateWeightStart: number;
	stateWeightEnd: number;
	/** alpha_k d_{k-1} and beta_k d_k of costs */
	costWeightStart: number;
	costWeightEnd: number;
	/** the discount weights of one-off transition values, for costs and QALYs */
	eventCostWeight: number;
	eventQalyWeight: number;
	cycleLength: number;
	/** this cycle's values (k = 0: the start values, undiscounted) */
	cost: number;
	costUndiscounted: number;
	qaly: number;
	qalyUndiscounted: number;
	lifeYears: number;
	lifeYearsUndiscounted: number;
	/** k = 0 only: the start cost of each category */
	startCosts: Float64Array;
}

/** Keeps what a run needs beyond the six totals, cycle by cycle (the driver calls it for k = 0..n). */
export interface Recorder {
	record(view: CycleView): void;
}

/** A recorder that keeps nothing beyond the totals. */
const KEEP_NOTHING: Recorder = { record() {} };

/**
 * A recorder of each cycle's discounted and undiscounted cost into `discounted[base + k]` and
 * `undiscounted[base + k]` (k = 0..n; k = 0 is the one-off start cost), as the PSA's payback
 * keeps them. Either array may be absent.
 *
 * @example `cycleCostRecorder(costs, undefined, s * (n + 1))` for strategy s of a PSA iteration.
 */
export function cycleCostRecorder(discounted: Float64Array | undefined, undiscounted: Float64Array | undefined, base: number): Recorder {
	if (!discounted && !undiscounted) return KEEP_NOTHING;
	return {
		record(view) {
			if (discounted) discounted[base + view.cycle] = view.cost;
			if (undiscounted) undiscounted[base + view.cycle] = view.costUndiscounted;
		}
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
	/** one strategy with full per-cycle results, added into `results` */
	simulate(strategy: number, values: Float64Array, forced: Uint8Array, settings: Settings, results: FullResults): void;
}

/**
 * A strategy's program (program.ts) with what the one-lane backend adds: its per-cycle
 * expressions and time-dependent parameters compiled to columns over a block of cycles, and its
 * buffers.
 */
interface CohortProgram extends Program {
	/** the cycle slots' column evaluators (parallel to cycleSlots), and their values: cycleTable[j * BLOCK + lane] */
	columnEvaluators: ColumnEvaluator[];
	cycleTable: Float64Array;
	/** current column of each time-dependent parameter (the column closures read it) */
	parameterColumns: Float64Array[];
	/** buffers for parameters held at a forced value (filled per block) */
	forcedColumns: Float64Array[];
	timeParameters: ColumnEvaluator[];
	/** per tunnel-step parameters (parallel to plan.stateTimeOrder): column evaluators for those that also read time */
	stepParameterColumns: (ColumnEvaluator | null)[];
	hoisted: Evaluator[];
	hoistedSlots: Int32Array;
	/** each state's and transition value's fixed costs, summed once per run */
	stateCostFixed: Float64Array;
	transitionCostFixed: Float64Array;
}

/** The one-lane backend's buffers, shared by every strategy and run of a runner. */
interface Workspace {
	cm: CompiledModel;
	lowerBound: Float64Array;
	upperBound: Float64Array;
	lanes: Lanes;
	/** parameters and built-ins, then the hoisted per-run parts of every program */
	variables: Float64Array;
	slotValue: Float64Array;
	probability: Float64Array;
	/** 1 for an expanded state whose members are alive, 0 for a dead one */
	alive: Float64Array;
	timing: CycleTiming | null;
	view: CycleView;
	/** the six totals of the last strategy simulated, in TOTALS order */
	totals: Float64Array;
}

/**
 * The one-lane backend of a compiled model: strategies are laid out on first use (lean programs
 * for totals, full ones, which also lay out each category's cost and the outcomes, for run()).
 * `lowerBound` and `upperBound` are the parameters' ranges by kind (parameterChecks.ts), checked
 * whenever an expression parameter is evaluated. Each strategy's cohort moves by
 * x_k = x_{k-1} P_k (Sonnenberg & Beck 1993, Med Decis Making 13(4):322-338).
 *
 * @example `createCohort(cm, lower, upper).totals(values, settings, out)` writes
 * strategies x TOTALS.size numbers into `out`.
 */
export function createCohort(cm: CompiledModel, lowerBound: Float64Array, upperBound: Float64Array): Cohort {
	const expandedCount = cm.expanded.count;
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const nextSlot = { value: cm.slots.size };
	const alive = Float64Array.from({ length: expandedCount }, (_, e) => (cm.dead[cm.expanded.stateOf[e]] ? 0 : 1));
	const w: Workspace = {
		cm,
		lowerBound,
		upperBound,
		lanes: createLanes(),
		variables: new Float64Array(0),
		slotValue: new Float64Array(1),
		probability: new Float64Array(1),
		alive,
		timing: null,
		view: newView(cm),
		totals: new Float64Array(TOTALS.size)
	};
	const laidOut: (CohortProgram[] | null)[] = [null, null];
	const programs = (full: boolean): CohortProgram[] => {
		const at = full ? 1 : 0;
		const ps = (laidOut[at] ??= cm.strategies.map((_, index) => compileCohortProgram(cm, programOf(cm, index, full), nextSlot, lifeTables, w.lanes)));
		if (w.variables.length < nextSlot.value) w.variables = new Float64Array(nextSlot.value);
		return ps;
	};
	const noneForced = new Uint8Array(cm.parameterIds.length);
	return {
		totals(values, settings, out, cycleCosts, forced, cycleCostsUndiscounted) {
			const ps = programs(false);
			const points = settings.horizon + 1;
			for (let si = 0; si < ps.length; si++) {
				simulateStrategy(w, ps[si], values, forced ?? noneForced, settings, cycleCostRecorder(cycleCosts, cycleCostsUndiscounted, si * points));
				for (let q = 0; q < TOTALS.size; q++) {
					const v = w.totals[q];
					if (!Number.isFinite(v)) throw overflowError(ps[si].strategy.id, TOTAL_NAMES[q], v);
					out[si * TOTALS.size + q] = v;
				}
			}
		},
		simulate(strategy, values, forced, settings, results) {
			const p = programs(true)[strategy];
			simulateStrategy(w, p, values, forced, settings, fullRecorder(cm, p, results));
		}
	};
}

function newView(cm: CompiledModel): CycleView {
	const expandedCount = cm.expanded.count;
	return {
		cycle: 0,
		strategy: cm.strategies[0],
		cohortStart: new Float64Array(expandedCount),
		cohortEnd: new Float64Array(expandedCount),
		probability: new Float64Array(0),
		slotValue: new Float64Array(0),
		variables: new Float64Array(0),
		stateWeightStart: 0,
		stateWeightEnd: 0,
		costWeightStart: 0,
		costWeightEnd: 0,
		eventCostWeight: 0,
		eventQalyWeight: 0,
		cycleLength: 1,
		cost: 0,
		costUndiscounted: 0,
		qaly: 0,
		qalyUndiscounted: 0,
		lifeYears: 0,
		lifeYearsUndiscounted: 0,
		startCosts: new Float64Array(cm.categoryIds.length)
	};
}

/**
 * The driver: one strategy through all cycles, its six totals into `w.totals` and each cycle
 * shown to `recorder`. Totals: cost = sum_k cost_k (k = 0..n, cost_0 the one-off start costs),
 * and so for QALYs and life years, discounted and not (cycleCorrection.ts gives the weights).
 */
function simulateStrategy(w: Workspace, p: CohortProgram, values: Float64Array, forced: Uint8Array, settings: Settings, recorder: Recorder): void {
	if (w.slotValue.length < p.sources.length) w.slotValue = new Float64Array(p.sources.length);
	if (w.probability.length < p.entryTo.length) w.probability = new Float64Array(p.entryTo.length);
	const view = w.view;
	view.strategy = p.strategy;
	view.slotValue = w.slotValue;
	view.probability = w.probability;
	view.variables = w.variables;
	view.cycleLength = settings.cycleLength;
	setUp(w, p, values, forced, settings);
	const timing = (w.timing = cycleTiming(settings, w.timing));
	const totals = w.totals;
	addStartValues(p, view);
	totals[TOTALS.cost] = totals[TOTALS.costUndiscounted] = view.cost;
	totals[TOTALS.qaly] = totals[TOTALS.qalyUndiscounted] = view.qaly;
	totals[TOTALS.lifeYears] = totals[TOTALS.lifeYearsUndiscounted] = 0;
	recorder.record(view);
	sumFixed(w.slotValue, p.stateCostFixedStart, p.stateCostFixedSlots, p.stateCostFixed);
	sumFixed(w.slotValue, p.transitionCostFixedStart, p.transitionCostFixedSlots, p.transitionCostFixed);
	const horizon = settings.horizon;
	const evaluatesBlocks = p.cycleSlots.length > 0 || p.timeParameters.length > 0;
	for (let firstCycle = 1; firstCycle <= horizon; firstCycle += BLOCK) {
		w.lanes.n = Math.min(BLOCK, horizon - firstCycle + 1);
		if (evaluatesBlocks) evaluateBlock(w, p, forced, settings, firstCycle);
		for (let lane = 0; lane < w.lanes.n; lane++) {
			view.cycle = firstCycle + lane;
			loadCycleValues(p, w.slotValue, lane);
			setCycleWeights(view, timing, view.cycle);
			moveCohort(w, p, view);
			addStateValues(w, p, view);
			totals[TOTALS.cost] += view.cost;
			totals[TOTALS.costUndiscounted] += view.costUndiscounted;
			totals[TOTALS.qaly] += view.qaly;
			totals[TOTALS.qalyUndiscounted] += view.qalyUndiscounted;
			totals[TOTALS.lifeYears] += view.lifeYears;
			totals[TOTALS.lifeYearsUndiscounted] += view.lifeYearsUndiscounted;
			recorder.record(view);
			const moved = view.cohortStart;
			view.cohortStart = view.cohortEnd;
			view.cohortEnd = moved;
		}
	}
}

/** Step 1 of a cycle: the per-cycle slots' values for the block's `lane` into slotValue. */
function loadCycleValues(p: CohortProgram, slotValue: Float64Array, lane: number): void {
	const { cycleSlots, cycleTable } = p;
	for (let j = 0; j < cycleSlots.length; j++) slotValue[cycleSlots[j]] = cycleTable[j * BLOCK + lane];
}

/**
 * The weights of cycle k: alpha_k, beta_k (cycleWeights), alpha_k d_{k-1} and beta_k d_k for
 * costs, and for one-off transition values eventAlpha d_{k-1} + eventBeta d_k, for costs and QALYs.
 */
function setCycleWeights(view: CycleView, timing: CycleTiming, k: number): void {
	const { alpha, beta, eventAlpha, eventBeta } = timing.weights;
	const costDiscount = timing.costDiscount;
	const outcomeDiscount = timing.outcomeDiscount;
	view.stateWeightStart = alpha[k];
	view.stateWeightEnd = beta[k];
	view.costWeightStart = alpha[k] * costDiscount[k - 1];
	view.costWeightEnd = beta[k] * costDiscount[k];
	view.eventCostWeight = eventAlpha * costDiscount[k - 1] + eventBeta * costDiscount[k];
	view.eventQalyWeight = eventAlpha * outcomeDiscount[k - 1] + eventBeta * outcomeDiscount[k];
}

/** The one-off values at the start (model_time 1, not discounted): the view of cycle 0. */
function addStartValues(p: CohortProgram, view: CycleView): void {
	const st = p.strategy;
	const startValues = st.startValues;
	let cost = 0;
	for (let c = 0; c < startValues.costs.length; c++) {
		const v = startValue(startValues.costs[c], view.variables, st, 'start cost');
		view.startCosts[c] = v;
		cost += v;
	}
	const utility = startValue(startValues.utility, view.variables, st, 'start utility');
	view.cycle = 0;
	view.cost = view.costUndiscounted = cost;
	view.qaly = view.qalyUndiscounted = utility;
	view.lifeYears = view.lifeYearsUndiscounted = 0;
}

/**
 * Step 2 of a cycle: every row of P_k built (the complement C = 1 - the other entries) and
 * checked, then x_k = x_{k-1} P_k, and the one-off values of transition values on the flows
 * (flow = x_{k-1,e} p_q; cost and QALYs weighted by the view's event weights). Sets the view's
 * cycle values to the transition values' part.
 */
function moveCohort(w: Workspace, p: CohortProgram, view: CycleView): void {
	const { rowStart, entryTo, entrySlot, transitionValueStart, transitionValueList, transitionCostStart, transitionCostSlots, transitionUtility, transitionCostFixed } = p;
	const value = w.slotValue;
	const probability = w.probability;
	const shareStart = view.cohortStart;
	const shareEnd = view.cohortEnd;
	const k = view.cycle;
	const eventCostWeight = view.eventCostWeight;
	const eventQalyWeight = view.eventQalyWeight;
	const expandedCount = shareStart.length;
	shareEnd.fill(0);
	let cost = 0;
	let costUndiscounted = 0;
	let qaly = 0;
	let qalyUndiscounted = 0;
	for (let e = 0; e < expandedCount; e++) {
		const first = rowStart[e];
		const end = rowStart[e + 1];
		let sum = 0;
		let complement = -1;
		for (let q = first; q < end; q++) {
			const slot = entrySlot[q];
			if (slot < 0) complement = q;
			else {
				const entry = value[slot];
				if (entry < -PROBABILITY_TOLERANCE || entry > 1 + PROBABILITY_TOLERANCE) throw rowError(w.cm, p.strategy, e, q - first, entry, k);
				probability[q] = entry;
				sum += entry;
			}
		}
		if (complement >= 0) {
			const entry = 1 - sum;
			if (entry < -PROBABILITY_TOLERANCE) throw rowError(w.cm, p.strategy, e, complement - first, entry, k);
			probability[complement] = entry;
			sum += entry;
		}
		if (sum > 1 + PROBABILITY_TOLERANCE || sum < 1 - PROBABILITY_TOLERANCE) throw sumError(w.cm, p.strategy, e, sum, k);
		const share = shareStart[e];
		if (share === 0) continue;
		for (let q = first; q < end; q++) {
			const flow = share * probability[q];
			shareEnd[entryTo[q]] += flow;
			const last = transitionValueStart[q + 1];
			if (flow === 0) continue;
			for (let h = transitionValueStart[q]; h < last; h++) {
				const tv = transitionValueList[h];
				let amount = transitionCostFixed[tv];
				for (let c = transitionCostStart[tv]; c < transitionCostStart[tv + 1]; c++) amount += value[transitionCostSlots[c]];
				amount *= flow;
				cost += amount * eventCostWeight;
				costUndiscounted += amount;
				const utilityChange = flow * value[transitionUtility[tv]];
				qaly += utilityChange * eventQalyWeight;
				qalyUndiscounted += utilityChange;
			}
		}
	}
	view.cost = cost;
	view.costUndiscounted = costUndiscounted;
	view.qaly = qaly;
	view.qalyUndiscounted = qalyUndiscounted;
}

/**
 * Step 3 of a cycle: each state's values with the cycle correction and discounting, added to
 * the view's cycle values: cost += c_e (alpha_k d_{k-1} x_{k-1,e} + beta_k d_k x_{k,e}), QALYs
 * += u_e (alpha_k d'_{k-1} x_{k-1,e} + beta_k d'_k x_{k,e}) cycleLength, life years the same
 * with u_e = 1 in states whose members are alive; undiscounted with d = 1.
 */
function addStateValues(w: Workspace, p: CohortProgram, view: CycleView): void {
	const { stateCostStart, stateCostSlots, stateUtility, stateCostFixed } = p;
	const value = w.slotValue;
	const alive = w.alive;
	const shareStart = view.cohortStart;
	const shareEnd = view.cohortEnd;
	const k = view.cycle;
	const outcomeDiscount = (w.timing as CycleTiming).outcomeDiscount;
	const weightStart = view.stateWeightStart;
	const weightEnd = view.stateWeightEnd;
	const costWeightStart = view.costWeightStart;
	const costWeightEnd = view.costWeightEnd;
	const qalyWeightStart = weightStart * outcomeDiscount[k - 1];
	const qalyWeightEnd = weightEnd * outcomeDiscount[k];
	let cost = view.cost;
	let costUndiscounted = view.costUndiscounted;
	let qalys = 0;
	let qalysUndiscounted = 0;
	let lifeYears = 0;
	let lifeYearsUndiscounted = 0;
	for (let e = 0; e < shareStart.length; e++) {
		const start = shareStart[e];
		const end = shareEnd[e];
		if (start === 0 && end === 0) continue;
		const occupancy = weightStart * start + weightEnd * end;
		const discountedOccupancy = qalyWeightStart * start + qalyWeightEnd * end;
		let stateCost = stateCostFixed[e];
		for (let c = stateCostStart[e]; c < stateCostStart[e + 1]; c++) stateCost += value[stateCostSlots[c]];
		cost += stateCost * (costWeightStart * start + costWeightEnd * end);
		costUndiscounted += stateCost * occupancy;
		const living = alive[e];
		lifeYears += living * discountedOccupancy;
		lifeYearsUndiscounted += living * occupancy;
		const utility = value[stateUtility[e]];
		qalys += utility * discountedOccupancy;
		qalysUndiscounted += utility * occupancy;
	}
	const cycleLength = view.cycleLength;
	view.cost = cost;
	view.costUndiscounted = costUndiscounted;
	view.qaly += qalys * cycleLength;
	view.qalyUndiscounted += qalysUndiscounted * cycleLength;
	view.lifeYears = lifeYears * cycleLength;
	view.lifeYearsUndiscounted = lifeYearsUndiscounted * cycleLength;
}

/** Parameter i of strategy st out of its kind's range (or not finite) at cycle k. */
function rangeError(cm: CompiledModel, st: CompiledStrategy, i: number, v: number, k: number): ModelError {
	const id = cm.parameterIds[i];
	return new ModelError(
		issue(joinPath('parameters', id), Number.isFinite(v) ? 'parameter-range' : 'not-finite', `${parameterValueProblem(cm.model.parameters[id], v)} (strategy ${st.id}, cycle ${k})`)
	);
}

/** A slot's value that is not finite at cycle k. */
function slotError(p: CohortProgram, slot: number, v: number, k: number): ModelError {
	const cv = p.sources[slot] as CompiledValue;
	const m = p.stepOfSlot[slot];
	const step = m > 1 || (cv.dependence & Dependence.StateTime) !== 0 ? `, state_time ${m}` : '';
	return new ModelError(issue(cv.path, 'not-finite', `${p.what[slot]} is ${v} at cycle ${k}${step} (strategy ${p.strategy.id}); expected a finite number`));
}

/** Scalar parameters (constant, or per tunnel step with `onlyStep`) evaluated in `order` into the variables, checked. */
function evaluateScalarParameters(w: Workspace, p: CohortProgram, order: number[], forced: Uint8Array, onlyStep: boolean): void {
	const plan = p.strategy.plan;
	const variables = w.variables;
	for (let j = 0; j < order.length; j++) {
		const i = order[j];
		if (onlyStep && plan.dependence[i] !== Dependence.StateTime) continue;
		if (heldAtForcedValue(plan, forced, i)) continue;
		const v = (plan.evaluators[i] as Evaluator)(variables);
		variables[i] = v;
		if (!(v >= w.lowerBound[i] && v <= w.upperBound[i])) throw rangeError(w.cm, p.strategy, i, v, variables[w.cm.slots.model_time]);
	}
}

/** A parameter's column for the block from cycle `firstCycle`, checked; a forced parameter is its value in every lane. */
function evaluateParameterColumn(w: Workspace, p: CohortProgram, i: number, evaluate: ColumnEvaluator, forced: Uint8Array, firstCycle: number): void {
	const n = w.lanes.n;
	let column: Float64Array;
	if (heldAtForcedValue(p.strategy.plan, forced, i)) {
		// its own buffer: parameterColumns[i] may be another node's output
		column = p.forcedColumns[i];
		if (column.length === 0) column = p.forcedColumns[i] = new Float64Array(BLOCK);
		column.fill(w.variables[i], 0, n);
	} else column = evaluate(w.variables);
	const lower = w.lowerBound[i];
	const upper = w.upperBound[i];
	for (let lane = 0; lane < n; lane++) {
		const v = column[lane];
		if (!(v >= lower && v <= upper)) throw rangeError(w.cm, p.strategy, i, v, firstCycle + lane);
	}
	p.parameterColumns[i] = column;
}

function evaluateScalarSlot(w: Workspace, p: CohortProgram, slot: number, k: number): void {
	const v = (p.sources[slot] as CompiledValue).evaluate(w.variables);
	if (!Number.isFinite(v)) throw slotError(p, slot, v, k);
	w.slotValue[slot] = v;
}

/** Parameters, constant and per-step slots, and the starting shares (into view.cohortStart) of one strategy. */
function setUp(w: Workspace, p: CohortProgram, values: Float64Array, forced: Uint8Array, settings: Settings): void {
	const plan = p.strategy.plan;
	const variables = w.variables;
	const slots = w.cm.slots;
	variables.set(values.subarray(0, w.cm.parameterIds.length));
	for (let j = 0; j < p.fixedSlots.length; j++) variables[p.fixedSlots[j]] = p.fixedValues[j];
	variables[slots.cycle_length] = settings.cycleLength;
	variables[slots.model_time] = 1;
	variables[slots.age] = settings.startAge;
	variables[slots.state_time] = 1;
	evaluateScalarParameters(w, p, plan.constantOrder, forced, false);
	for (let j = 0; j < p.hoisted.length; j++) variables[p.hoistedSlots[j]] = p.hoisted[j](variables);
	if (p.startReadsTime) {
		// start values are evaluated at cycle 1, state_time 1
		evaluateScalarParameters(w, p, plan.timeOrder, forced, false);
		evaluateScalarParameters(w, p, plan.stateTimeOrder, forced, false);
	}
	w.slotValue.fill(0);
	for (let j = 0; j < p.constantSlots.length; j++) evaluateScalarSlot(w, p, p.constantSlots[j], 1);
	setStartShares(w.cm, p.strategy, variables, w.view.cohortStart);
	// per tunnel step, not per cycle
	let step = -1;
	for (let j = 0; j < p.stepSlots.length; j++) {
		const slot = p.stepSlots[j];
		if (p.stepOfSlot[slot] !== step) {
			step = p.stepOfSlot[slot];
			variables[slots.state_time] = step;
			evaluateScalarParameters(w, p, plan.stateTimeOrder, forced, true);
		}
		evaluateScalarSlot(w, p, slot, 1);
	}
	variables[slots.state_time] = 1;
}

/** x_0: each state's starting share at its first tunnel step, checked in [0, 1] and summing to 1. */
function setStartShares(cm: CompiledModel, st: CompiledStrategy, variables: Float64Array, cohort: Float64Array): void {
	cohort.fill(0);
	let startSum = 0;
	for (let s = 0; s < st.start.length; s++) {
		const cv = st.start[s];
		const v = cv.evaluate(variables);
		if (!Number.isFinite(v)) throw new ModelError(issue(cv.path, 'not-finite', `starting share is ${v} (strategy ${st.id}); expected a finite number`));
		if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE) throw new ModelError(issue(cv.path, 'start-distribution', `starting share ${v} is not in [0, 1]`));
		cohort[cm.expanded.first[s]] = v;
		startSum += v;
	}
	if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
		throw new ModelError(issue(joinPath('strategies', st.id, 'start'), 'start-distribution', `starting shares sum to ${round(startSum)}, expected 1`));
}

/** Evaluates the block of cycles firstCycle .. firstCycle + lanes.n - 1 into the program's cycle table. */
function evaluateBlock(w: Workspace, p: CohortProgram, forced: Uint8Array, settings: Settings, firstCycle: number): void {
	const { lanes, variables } = w;
	const slots = w.cm.slots;
	const n = lanes.n;
	for (let lane = 0; lane < n; lane++) {
		lanes.modelTime[lane] = firstCycle + lane;
		lanes.age[lane] = settings.startAge + (firstCycle + lane - 1) * settings.cycleLength;
	}
	variables[slots.model_time] = firstCycle;
	variables[slots.state_time] = 1;
	const timeOrder = p.strategy.plan.timeOrder;
	for (let j = 0; j < timeOrder.length; j++) evaluateParameterColumn(w, p, timeOrder[j], p.timeParameters[j], forced, firstCycle);
	const { cycleSlots, cycleSlotStep, columnEvaluators, cycleTable } = p;
	let step = 0;
	for (let j = 0; j < cycleSlots.length; j++) {
		if (cycleSlotStep[j] !== step) {
			// a new tunnel step: its parameters first (scalars, then columns)
			step = cycleSlotStep[j];
			variables[slots.state_time] = step;
			evaluateStepParameters(w, p, forced, firstCycle);
		}
		const column = columnEvaluators[j](variables);
		const base = j * BLOCK;
		for (let lane = 0; lane < n; lane++) {
			const v = column[lane];
			if (!Number.isFinite(v)) throw slotError(p, cycleSlots[j], v, firstCycle + lane);
			cycleTable[base + lane] = v;
		}
	}
	variables[slots.state_time] = 1;
}

/** The tunnel step's parameters for a block: columns for those that also read time, else scalars. */
function evaluateStepParameters(w: Workspace, p: CohortProgram, forced: Uint8Array, firstCycle: number): void {
	const plan = p.strategy.plan;
	const order = plan.stateTimeOrder;
	for (let q = 0; q < order.length; q++) {
		const i = order[q];
		const columnEvaluator = p.stepParameterColumns[q];
		if (columnEvaluator) evaluateParameterColumn(w, p, i, columnEvaluator, forced, firstCycle);
		else if (!heldAtForcedValue(plan, forced, i)) {
			const v = (plan.evaluators[i] as Evaluator)(w.variables);
			w.variables[i] = v;
			if (!(v >= w.lowerBound[i] && v <= w.upperBound[i])) throw rangeError(w.cm, p.strategy, i, v, firstCycle);
		}
	}
}

/** out[i] = sum of value[list[j]] over j in [start[i], start[i + 1]), in list order. */
function sumFixed(value: Float64Array, start: Int32Array, list: Int32Array, out: Float64Array): void {
	for (let i = 0; i + 1 < start.length; i++) {
		let total = 0;
		for (let j = start[i]; j < start[i + 1]; j++) total += value[list[j]];
		out[i] = total;
	}
}

/** A one-off start value (0 where there is none), checked finite. */
function startValue(cv: CompiledValue | null, variables: Float64Array, st: CompiledStrategy, what: string): number {
	if (!cv) return 0;
	const v = cv.evaluate(variables);
	if (!Number.isFinite(v)) throw new ModelError(issue(cv.path, 'not-finite', `${what} is ${v} at cycle 1 (strategy ${st.id}); expected a finite number`));
	return v;
}

/**
 * The recorder of run()'s full results: the trace, each cycle's costs by category, QALYs, life
 * years and outcomes, and the years in each state, added into `results`. It takes the driver's
 * cycle values for QALYs and life years and works out by category, outcome and state in its
 * own pass over the cycle's flows and shares, in the driver's order of additions.
 */
function fullRecorder(cm: CompiledModel, p: CohortProgram, results: FullResults): Recorder {
	return {
		record(view) {
			if (view.cycle === 0) recordStart(cm, p, results, view);
			else {
				recordTransitionValues(cm, p, results, view);
				recordStateValues(cm, p, results, view);
			}
		}
	};
}

function recordStart(cm: CompiledModel, p: CohortProgram, results: FullResults, view: CycleView): void {
	const categories = cm.categoryIds.length;
	for (let c = 0; c < categories; c++) {
		results.cycleCosts[c] += view.startCosts[c];
		results.cycleCostsUndiscounted[c] += view.startCosts[c];
	}
	results.cycleQalys[0] += view.qaly;
	results.cycleQalysUndiscounted[0] += view.qalyUndiscounted;
	const outcomes = p.strategy.startValues.outcomes;
	for (let o = 0; o < outcomes.length; o++) results.cycleOutcomes[o] += startValue(outcomes[o], view.variables, p.strategy, 'start outcome');
	const stateOf = cm.expanded.stateOf;
	for (let e = 0; e < view.cohortStart.length; e++) results.trace[stateOf[e]] += view.cohortStart[e];
}

/** One-off values of transition values on the cycle's flows, per category and outcome. */
function recordTransitionValues(cm: CompiledModel, p: CohortProgram, results: FullResults, view: CycleView): void {
	const categories = cm.categoryIds.length;
	const outcomes = cm.outcomeIds.length;
	const { rowStart, transitionValueStart, transitionValueList } = p;
	const value = view.slotValue;
	const k = view.cycle;
	const row = k * categories;
	for (let e = 0; e < view.cohortStart.length; e++) {
		const share = view.cohortStart[e];
		if (share === 0) continue;
		for (let q = rowStart[e]; q < rowStart[e + 1]; q++) {
			const flow = share * view.probability[q];
			if (flow === 0) continue;
			for (let h = transitionValueStart[q]; h < transitionValueStart[q + 1]; h++) {
				const tv = transitionValueList[h];
				for (let c = 0; c < categories; c++) {
					const amount = flow * value[p.transitionCostByCategory[tv * categories + c]];
					results.cycleCosts[row + c] += amount * view.eventCostWeight;
					results.cycleCostsUndiscounted[row + c] += amount;
				}
				for (let o = 0; o < outcomes; o++) results.cycleOutcomes[k * outcomes + o] += flow * value[p.transitionOutcome[tv * outcomes + o]];
			}
		}
	}
}

/** States' costs per category, outcomes and years in state; the cycle's QALYs, life years and trace. */
function recordStateValues(cm: CompiledModel, p: CohortProgram, results: FullResults, view: CycleView): void {
	const categories = cm.categoryIds.length;
	const outcomes = cm.outcomeIds.length;
	const stateOf = cm.expanded.stateOf;
	const value = view.slotValue;
	const k = view.cycle;
	const row = k * categories;
	for (let e = 0; e < view.cohortStart.length; e++) {
		const start = view.cohortStart[e];
		const end = view.cohortEnd[e];
		if (start === 0 && end === 0) continue;
		const occupancy = view.stateWeightStart * start + view.stateWeightEnd * end;
		const discounted = view.costWeightStart * start + view.costWeightEnd * end;
		for (let c = 0; c < categories; c++) {
			const v = value[p.stateCostByCategory[e * categories + c]];
			if (v === 0) continue;
			results.cycleCosts[row + c] += v * discounted;
			results.cycleCostsUndiscounted[row + c] += v * occupancy;
		}
		for (let o = 0; o < outcomes; o++) results.cycleOutcomes[k * outcomes + o] += value[p.stateOutcome[e * outcomes + o]] * occupancy;
		results.stateYears[stateOf[e]] += view.cycleLength * occupancy;
	}
	results.cycleQalys[k] += view.qaly;
	results.cycleQalysUndiscounted[k] += view.qalyUndiscounted;
	results.cycleLifeYears[k] += view.lifeYears;
	results.cycleLifeYearsUndiscounted[k] += view.lifeYearsUndiscounted;
	const stateCount = cm.stateIds.length;
	for (let e = 0; e < view.cohortEnd.length; e++) results.trace[k * stateCount + stateOf[e]] += view.cohortEnd[e];
}

/**
 * A strategy's program for the one-lane backend: its per-cycle expressions and time-dependent
 * parameters compiled to columns over blocks of cycles (columns.ts), names varying as their
 * parameter's dependence in this strategy says; per-run parts hoisted to new variable slots.
 */
function compileCohortProgram(cm: CompiledModel, program: Program, nextSlot: { value: number }, lifeTables: ReturnType<typeof lifeTableLookup>, lanes: Lanes): CohortProgram {
	const st = program.strategy;
	const parameterCount = cm.parameterIds.length;
	const plan = st.plan;
	const parameterColumns: Float64Array[] = Array.from({ length: parameterCount }, () => new Float64Array(0));
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[] };
	const dependenceOf = (name: string) => {
		const i = cm.parameterIndex.get(name);
		if (i !== undefined) return plan.dependence[i];
		return name === 'model_time' || name === 'age' ? Dependence.Time : name === 'state_time' ? Dependence.StateTime : Dependence.Constant;
	};
	const variation = (name: string) => {
		const d = dependenceOf(name);
		return d === Dependence.Constant ? Variation.Constant : d === Dependence.StateTime ? Variation.Step : Variation.Column;
	};
	const context = columnContext(cm, variation, parameterColumns, { lanes, lifeTables }, nextSlot, hoisted);
	const asColumn = (source: string | number, path: string) => compileColumn(source, context, path).column;
	const parameterColumn = (i: number) => asColumn(parameterSource(cm, st, i), joinPath('parameters', cm.parameterIds[i]));
	const timeParameters = plan.timeOrder.map(parameterColumn);
	const stepParameterColumns = plan.stateTimeOrder.map((i) => (plan.dependence[i] === Dependence.TimeAndStateTime ? parameterColumn(i) : null));
	const columnEvaluators = Array.from(program.cycleSlots, (slot) => {
		const cv = program.sources[slot] as CompiledValue;
		return asColumn(cv.source, cv.path);
	});
	return {
		...program,
		columnEvaluators,
		cycleTable: new Float64Array(program.cycleSlots.length * BLOCK),
		parameterColumns,
		forcedColumns: Array.from({ length: parameterCount }, () => new Float64Array(0)),
		timeParameters,
		stepParameterColumns,
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		stateCostFixed: new Float64Array(cm.expanded.count),
		transitionCostFixed: new Float64Array(st.transitionValues.length)
	};
}

/**
 * The error of entry j of expanded state e's row at cycle k: not a probability in [0, 1] (the
 * complement below 0 when the other entries sum above 1), with its path and tunnel step.
 *
 * @example "value 1.2 at cycle 3 is not a probability in [0, 1]" at strategies.soc.transitions.well.sick.
 */
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

/**
 * The error of a row whose probabilities do not sum to 1 within PROBABILITY_TOLERANCE at cycle k.
 *
 * @example "probabilities sum to 0.9 at cycle 1; expected 1 (tolerance 1e-9); use "C" for the complement".
 */
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

/**
 * The error of a total that adds up past the largest double (about 1.8e308) from finite values.
 *
 * @example `overflowError('soc', 'discounted cost', Infinity)`.
 */
export function overflowError(strategyId: string, what: string, v: number): ModelError {
	return new ModelError(
		issue(
			joinPath('strategies', strategyId),
			'not-finite',
			`the ${what} adds up to ${v}: the model's values are too large to total (the largest number is about 1.8e308)`
		)
	);
}

/**
 * A number for messages, rounded to 9 decimals (not-finite values as they are).
 *
 * @example `round(0.1 + 0.2)` is "0.3".
 */
export function round(v: number): string {
	return Number.isFinite(v) ? String(Math.round(v * 1e9) / 1e9) : String(v);
}
