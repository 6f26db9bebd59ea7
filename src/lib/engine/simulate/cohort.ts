/**
 * The Markov cohort, one lane (one set of parameter values) at a time, for every model: `run()`
 * (full results: trace, costs per category and cycle, outcomes) and `runner.totals()` (the lean
 * path that PSA, DSA and threshold searches call thousands of times: six totals per strategy,
 * optionally the cost of each cycle). Both are the one-lane backend of the cohort driver
 * (driver.ts, `driveCohort`); what a run keeps beyond the totals is a recorder's work
 * (ARCHITECTURE.md, "From a model file to a chart").
 *
 * Per strategy, the model is laid out once as a flat program (layout.ts): every distinct
 * transition, cost, utility and outcome expression gets a slot of the Float64Array `slotValue`,
 * and each slot is evaluated as rarely as its dependence allows (ARCHITECTURE.md, principle 6):
 *  - constant (reads parameters only): once per run;
 *  - per tunnel step (reads state_time, not time): once per run for each step;
 *  - per cycle (reads model_time, age or a parameter that does): as a column over a block of
 *    cycles (columns.ts), then copied into `slotValue` as the driver reaches each cycle.
 * Time-dependent parameters are evaluated the same way, as columns. So a lifetime model with
 * age-dependent mortality costs a few loops over 128-lane arrays per expression and run, not a
 * closure call per expression and cycle; the loop itself is typed-array arithmetic.
 *
 * The driver takes this backend's strategies one at a time (strategiesTogether = 1); each
 * strategy keeps its own variables, slot values, probabilities, cohort and totals
 * (`StrategyState`), so they could equally move together. The steps, per strategy and cycle
 * k = 1..n (time points t = 0..n, cycleCorrection.ts), as heemod's `eval_model` names them
 * (parameters, matrices, states, counts, values):
 *  1. cycle values (`loadCycleValues`, after `evaluateBlock` at the first cycle of each block):
 *     the values of cycle k (model_time = k, age = startAge + (k - 1) * cycleLength);
 *  2. the step: `moveCohort` builds each (expanded) state's transition row, the complement C
 *     taking 1 minus the rest, checks it (every entry in [0, 1], the row summing to 1 within
 *     1e-9, every row in reach, occupied or not: a tunnel's step m is in reach at cycles
 *     k >= m - 1, see `inReach`), then x_k = x_{k-1} P_k (sparse rows; a tunnel state's
 *     "stay" moves to its next step), with one-off transition values on the flows between
 *     different states; `addStateValues` adds the state values with the cycle-correction
 *     weights and discount factors;
 *  3. the recorder sees the cycle (`Recorder.record`).
 * Loop indices: e is an expanded state, k a cycle, i a parameter's slot, j a position in a list.
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator, type Lanes } from './columns';
import { columnContext, heldAtForcedValue, parameterSource } from './layout';
import { programOf, type Program } from './program';
import { cycleTiming, type CycleTiming } from './cycleCorrection';
import { KEEP_NOTHING, driveCohort, type CohortBackend, type Recorder } from './driver';
import { ModelError, issue, joinPath } from '../errors';
import type { Evaluator } from '../model/expressions';
import { lifeTableLookup } from '../model/lifeTable';
import { parameterValueProblem } from '../model/parameterChecks';
import type { Settings } from '../model/schema';

export const PROBABILITY_TOLERANCE = 1e-9;

/**
 * Whether tunnel step `step` is in reach at cycle k: someone can be in it at the start or the
 * end of the cycle (in x_{k-1} or x_k). The cohort starts in first steps (step 1) and moves
 * one step a cycle at most, so step m holds nobody before the end of cycle m - 1: in reach
 * means m <= k + 1. A step out of reach is empty at both ends in every run, so both backends
 * neither evaluate nor check its per-cycle values and row at that cycle (ARCHITECTURE.md,
 * "Tunnel steps in reach"); a state without a tunnel is step 1, always in reach.
 *
 * @example inReach(1, 1) === true; inReach(3, 1) === false; inReach(3, 2) === true
 */
export function inReach(step: number, k: number): boolean {
	return k >= firstCycleInReach(step);
}

/**
 * The first cycle at which tunnel step `step` is in reach (inReach): m - 1 (cycle 0, the start,
 * for step 1).
 *
 * @example firstCycleInReach(1) === 0; firstCycleInReach(3) === 2
 */
export function firstCycleInReach(step: number): number {
	return step - 1;
}
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
 * What the one-lane backend shows a recorder of one cycle k of a strategy (k = 0: the start,
 * with the one-off start values), after the cohort has moved and the values are added.
 * Read-only for the recorder; each strategy has one view, reused from cycle to cycle.
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

/**
 * A recorder of each cycle's discounted and undiscounted cost into `discounted[base + k]` and
 * `undiscounted[base + k]` (k = 0..n; k = 0 is the one-off start cost), as the PSA's payback
 * keeps them. Either array may be absent; the recorder stores into those given.
 *
 * @example `cycleCostRecorder(costs, undefined, s * (n + 1))` for strategy s of a PSA iteration.
 */
export function cycleCostRecorder(discounted: Float64Array | undefined, undiscounted: Float64Array | undefined, base: number): Recorder<CycleView> {
	if (discounted && undiscounted)
		return {
			record(view) {
				discounted[base + view.cycle] = view.cost;
				undiscounted[base + view.cycle] = view.costUndiscounted;
			}
		};
	if (discounted) return { record: (view) => void (discounted[base + view.cycle] = view.cost) };
	if (undiscounted) return { record: (view) => void (undiscounted[base + view.cycle] = view.costUndiscounted) };
	return KEEP_NOTHING;
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
	/** every strategy with full per-cycle results, strategy s added into `results[s]` */
	simulate(values: Float64Array, forced: Uint8Array, settings: Settings, results: FullResults[]): void;
}

/**
 * A strategy's program (program.ts) with what the one-lane backend adds: its per-cycle
 * expressions and time-dependent parameters compiled to columns over a block of cycles.
 */
interface CohortProgram extends Program {
	/** the cycle slots' column evaluators (parallel to cycleSlots), and their values: cycleTable[j * BLOCK + lane] */
	columnEvaluators: ColumnEvaluator[];
	cycleTable: Float64Array;
	/** whether anything is evaluated per block of cycles (cycle slots or time-dependent parameters) */
	evaluatesBlocks: boolean;
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

/**
 * A strategy's own arrays in the one-lane backend: its variables, values, cohort (in its view)
 * and running totals, kept apart from the other strategies' (the driver's contract: strategies
 * may move through the cycles together).
 */
interface StrategyState {
	program: CohortProgram;
	/** parameters and built-ins, then the hoisted per-run parts of the program */
	variables: Float64Array;
	slotValue: Float64Array;
	probability: Float64Array;
	view: CycleView;
	/** the six running totals, in TOTALS order */
	totals: Float64Array;
}

/** The one-lane backend's shared parts and the current run's inputs. */
interface Workspace {
	cm: CompiledModel;
	lowerBound: Float64Array;
	upperBound: Float64Array;
	lanes: Lanes;
	/** 1 for an expanded state whose members are alive, 0 for a dead one */
	alive: Float64Array;
	timing: CycleTiming | null;
	/** the run's strategies (lean or full programs), parameter values, forced parameters and settings */
	strategies: StrategyState[];
	values: Float64Array;
	forced: Uint8Array;
	settings: Settings;
	/** where the lean path's totals go (strategies x TOTALS.size), null for run()'s full results */
	out: Float64Array | null;
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
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const nextSlot = { value: cm.slots.size };
	const noneForced = new Uint8Array(cm.parameterIds.length);
	const workspace: Workspace = {
		cm,
		lowerBound,
		upperBound,
		lanes: createLanes(),
		alive: Float64Array.from({ length: cm.expanded.count }, (_, e) => (cm.dead[cm.expanded.stateOf[e]] ? 0 : 1)),
		timing: null,
		strategies: [],
		values: new Float64Array(0),
		forced: noneForced,
		settings: cm.settings,
		out: null
	};
	const laidOut: (StrategyState[] | null)[] = [null, null];
	const strategiesOf = (full: boolean): StrategyState[] => {
		const at = full ? 1 : 0;
		const laid = laidOut[at];
		if (laid) return laid;
		const programs = cm.strategies.map((_, strategyIndex) => compileCohortProgram(cm, programOf(cm, strategyIndex, full), nextSlot, lifeTables, workspace.lanes));
		// every program of the set is compiled: nextSlot now counts their hoisted parts
		return (laidOut[at] = programs.map((program) => newStrategyState(cm, program, nextSlot.value)));
	};
	const backend = oneLaneBackend(workspace);
	const drive = (strategies: StrategyState[], values: Float64Array, forced: Uint8Array, settings: Settings, out: Float64Array | null, recorders: Recorder<CycleView>[]) => {
		workspace.strategies = strategies;
		workspace.values = values;
		workspace.forced = forced;
		workspace.settings = settings;
		workspace.out = out;
		workspace.timing = cycleTiming(settings, workspace.timing);
		driveCohort(backend, settings.horizon, recorders);
	};
	return {
		totals(values, settings, out, cycleCosts, forced, cycleCostsUndiscounted) {
			const points = settings.horizon + 1;
			const recorders = cm.strategies.map((_, strategyIndex) => cycleCostRecorder(cycleCosts, cycleCostsUndiscounted, strategyIndex * points));
			drive(strategiesOf(false), values, forced ?? noneForced, settings, out, recorders);
		},
		simulate(values, forced, settings, results) {
			const strategies = strategiesOf(true);
			drive(strategies, values, forced, settings, null, strategies.map((strategyState, strategyIndex) => fullRecorder(cm, strategyState.program, results[strategyIndex])));
		}
	};
}

/**
 * The one-lane backend as the driver runs it (driver.ts): start, per-cycle values, step and
 * totals of the workspace's strategies, on the workspace's inputs.
 */
function oneLaneBackend(workspace: Workspace): CohortBackend<CycleView> {
	return {
		strategyCount: workspace.cm.strategies.length,
		// one at a time: no strategy reads another's values, and each keeps its arrays in cache
		// through its cycles (ARCHITECTURE.md, "Two backends, kept equal")
		strategiesTogether: 1,
		start(strategyIndex) {
			const strategyState = workspace.strategies[strategyIndex];
			const program = strategyState.program;
			setUp(workspace, strategyState);
			addStartValues(strategyState, workspace.settings);
			sumFixed(strategyState.slotValue, program.stateCostFixedStart, program.stateCostFixedSlots, program.stateCostFixed);
			sumFixed(strategyState.slotValue, program.transitionCostFixedStart, program.transitionCostFixedSlots, program.transitionCostFixed);
			return strategyState.view;
		},
		cycleValues(strategyIndex, k) {
			const strategyState = workspace.strategies[strategyIndex];
			// the block's lane of cycle k; the block is evaluated at its first cycle
			const lane = (k - 1) % BLOCK;
			if (lane === 0 && strategyState.program.evaluatesBlocks) evaluateBlock(workspace, strategyState, k);
			loadCycleValues(strategyState.program, strategyState.slotValue, lane);
		},
		step(strategyIndex, k) {
			const strategyState = workspace.strategies[strategyIndex];
			const view = strategyState.view;
			const moved = view.cohortStart;
			view.cohortStart = view.cohortEnd;
			view.cohortEnd = moved;
			view.cycle = k;
			setCycleWeights(view, workspace.timing as CycleTiming, k);
			moveCohort(workspace, strategyState);
			addStateValues(workspace, strategyState);
			addCycleTotals(strategyState.totals, view);
			return view;
		},
		finish() {
			// run()'s full results are totalled and checked from its recorders' arrays (run.ts)
			if (workspace.out) collectTotals(workspace.strategies, workspace.out);
		}
	};
}

/** A strategy's arrays and view, for its program and `variableCount` variables (parameters, built-ins, hoisted parts). */
function newStrategyState(cm: CompiledModel, program: CohortProgram, variableCount: number): StrategyState {
	const variables = new Float64Array(variableCount);
	const slotValue = new Float64Array(program.sources.length);
	const probability = new Float64Array(program.entryTo.length);
	const expandedCount = cm.expanded.count;
	const view: CycleView = {
		cycle: 0,
		strategy: program.strategy,
		cohortStart: new Float64Array(expandedCount),
		cohortEnd: new Float64Array(expandedCount),
		probability,
		slotValue,
		variables,
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
	return { program, variables, slotValue, probability, view, totals: new Float64Array(TOTALS.size) };
}

/** The cycle's values added to the strategy's running totals (TOTALS order). */
function addCycleTotals(totals: Float64Array, view: CycleView): void {
	totals[TOTALS.cost] += view.cost;
	totals[TOTALS.costUndiscounted] += view.costUndiscounted;
	totals[TOTALS.qaly] += view.qaly;
	totals[TOTALS.qalyUndiscounted] += view.qalyUndiscounted;
	totals[TOTALS.lifeYears] += view.lifeYears;
	totals[TOTALS.lifeYearsUndiscounted] += view.lifeYearsUndiscounted;
}

/** Every strategy's six totals into out[s * TOTALS.size + field], each checked finite (else the overflow error). */
function collectTotals(strategies: StrategyState[], out: Float64Array): void {
	for (let strategyIndex = 0; strategyIndex < strategies.length; strategyIndex++) {
		const { totals, program } = strategies[strategyIndex];
		for (let field = 0; field < TOTALS.size; field++) {
			const total = totals[field];
			if (!Number.isFinite(total)) throw overflowError(program.strategy.id, TOTAL_NAMES[field], total);
			out[strategyIndex * TOTALS.size + field] = total;
		}
	}
}

/** Step 1 of a cycle: the per-cycle slots' values for the block's `lane` into slotValue. */
function loadCycleValues(program: CohortProgram, slotValue: Float64Array, lane: number): void {
	const { cycleSlots, cycleTable } = program;
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

/** The one-off values at the start (model_time 1, not discounted): the view of cycle 0, and the running totals begun with them. */
function addStartValues(strategyState: StrategyState, settings: Settings): void {
	const { view, totals } = strategyState;
	const strategy = strategyState.program.strategy;
	const startValues = strategy.startValues;
	let cost = 0;
	for (let category = 0; category < startValues.costs.length; category++) {
		const value = startValue(startValues.costs[category], view.variables, strategy, 'start cost');
		view.startCosts[category] = value;
		cost += value;
	}
	const utility = startValue(startValues.utility, view.variables, strategy, 'start utility');
	view.cycle = 0;
	view.cycleLength = settings.cycleLength;
	view.cost = view.costUndiscounted = cost;
	view.qaly = view.qalyUndiscounted = utility;
	view.lifeYears = view.lifeYearsUndiscounted = 0;
	totals[TOTALS.cost] = totals[TOTALS.costUndiscounted] = view.cost;
	totals[TOTALS.qaly] = totals[TOTALS.qalyUndiscounted] = view.qaly;
	totals[TOTALS.lifeYears] = totals[TOTALS.lifeYearsUndiscounted] = 0;
}

/**
 * Step 2 of a cycle, first part: every row of P_k built (the complement C = 1 - the other
 * entries) and checked, then x_k = x_{k-1} P_k, and the one-off values of transition values on
 * the flows (flow = x_{k-1,e} p_entry; cost and QALYs weighted by the view's event weights).
 * Sets the view's cycle values to the transition values' part.
 */
function moveCohort(workspace: Workspace, strategyState: StrategyState): void {
	const program = strategyState.program;
	const { rowStart, entryTo, entrySlot, transitionValueStart, transitionValueList, transitionCostStart, transitionCostSlots, transitionUtility, transitionCostFixed } = program;
	const { slotValue, probability, view } = strategyState;
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
	const stateTime = workspace.cm.expanded.stateTime;
	for (let e = 0; e < expandedCount; e++) {
		// a tunnel step out of reach is empty at both ends of the cycle in every run: its row is not built
		if (!inReach(stateTime[e], k)) continue;
		const first = rowStart[e];
		const end = rowStart[e + 1];
		let sum = 0;
		let complement = -1;
		for (let entry = first; entry < end; entry++) {
			const slot = entrySlot[entry];
			if (slot < 0) complement = entry;
			else {
				const entryValue = slotValue[slot];
				if (entryValue < -PROBABILITY_TOLERANCE || entryValue > 1 + PROBABILITY_TOLERANCE) throw rowError(workspace.cm, program.strategy, e, entry - first, entryValue, k);
				probability[entry] = entryValue;
				sum += entryValue;
			}
		}
		if (complement >= 0) {
			const entryValue = 1 - sum;
			if (entryValue < -PROBABILITY_TOLERANCE) throw rowError(workspace.cm, program.strategy, e, complement - first, entryValue, k);
			probability[complement] = entryValue;
			sum += entryValue;
		}
		if (sum > 1 + PROBABILITY_TOLERANCE || sum < 1 - PROBABILITY_TOLERANCE) throw sumError(workspace.cm, program.strategy, e, sum, k);
		const share = shareStart[e];
		if (share === 0) continue;
		for (let entry = first; entry < end; entry++) {
			const flow = share * probability[entry];
			shareEnd[entryTo[entry]] += flow;
			const last = transitionValueStart[entry + 1];
			if (flow === 0) continue;
			for (let listed = transitionValueStart[entry]; listed < last; listed++) {
				const transitionValue = transitionValueList[listed];
				let amount = transitionCostFixed[transitionValue];
				for (let costEntry = transitionCostStart[transitionValue]; costEntry < transitionCostStart[transitionValue + 1]; costEntry++) amount += slotValue[transitionCostSlots[costEntry]];
				amount *= flow;
				cost += amount * eventCostWeight;
				costUndiscounted += amount;
				const utilityChange = flow * slotValue[transitionUtility[transitionValue]];
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
 * Step 2 of a cycle, second part: each state's values with the cycle correction and
 * discounting, added to the view's cycle values: cost += c_e (alpha_k d_{k-1} x_{k-1,e} + beta_k
 * d_k x_{k,e}), QALYs += u_e (alpha_k d'_{k-1} x_{k-1,e} + beta_k d'_k x_{k,e}) cycleLength, life
 * years the same with u_e = 1 in states whose members are alive; undiscounted with d = 1.
 */
function addStateValues(workspace: Workspace, strategyState: StrategyState): void {
	const { stateCostStart, stateCostSlots, stateUtility, stateCostFixed } = strategyState.program;
	const { slotValue, view } = strategyState;
	const alive = workspace.alive;
	const shareStart = view.cohortStart;
	const shareEnd = view.cohortEnd;
	const k = view.cycle;
	const outcomeDiscount = (workspace.timing as CycleTiming).outcomeDiscount;
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
		for (let costEntry = stateCostStart[e]; costEntry < stateCostStart[e + 1]; costEntry++) stateCost += slotValue[stateCostSlots[costEntry]];
		cost += stateCost * (costWeightStart * start + costWeightEnd * end);
		costUndiscounted += stateCost * occupancy;
		const living = alive[e];
		lifeYears += living * discountedOccupancy;
		lifeYearsUndiscounted += living * occupancy;
		const utility = slotValue[stateUtility[e]];
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

/** Parameter i of a strategy out of its kind's range (or not finite) at cycle k. */
function rangeError(cm: CompiledModel, strategy: CompiledStrategy, i: number, value: number, k: number): ModelError {
	const id = cm.parameterIds[i];
	return new ModelError(
		issue(joinPath('parameters', id), Number.isFinite(value) ? 'parameter-range' : 'not-finite', `${parameterValueProblem(cm.model.parameters[id], value)} (strategy ${strategy.id}, cycle ${k})`)
	);
}

/** A slot's value that is not finite at cycle k. */
function slotError(program: CohortProgram, slot: number, value: number, k: number): ModelError {
	const compiledValue = program.sources[slot] as CompiledValue;
	const step = program.stepOfSlot[slot];
	const atStep = step > 1 || (compiledValue.dependence & Dependence.StateTime) !== 0 ? `, state_time ${step}` : '';
	return new ModelError(issue(compiledValue.path, 'not-finite', `${program.what[slot]} is ${value} at cycle ${k}${atStep} (strategy ${program.strategy.id}); expected a finite number`));
}

/** Scalar parameters (constant, or per tunnel step with `onlyStep`) evaluated in `order` into the strategy's variables, checked. */
function evaluateScalarParameters(workspace: Workspace, strategyState: StrategyState, order: number[], onlyStep: boolean): void {
	const strategy = strategyState.program.strategy;
	const plan = strategy.plan;
	const variables = strategyState.variables;
	for (let j = 0; j < order.length; j++) {
		const i = order[j];
		if (onlyStep && plan.dependence[i] !== Dependence.StateTime) continue;
		if (heldAtForcedValue(plan, workspace.forced, i)) continue;
		const value = (plan.evaluators[i] as Evaluator)(variables);
		variables[i] = value;
		if (!(value >= workspace.lowerBound[i] && value <= workspace.upperBound[i])) throw rangeError(workspace.cm, strategy, i, value, variables[workspace.cm.slots.model_time]);
	}
}

/** A parameter's column for the block from cycle `firstCycle`, checked; a forced parameter is its value in every lane. */
function evaluateParameterColumn(workspace: Workspace, strategyState: StrategyState, i: number, evaluate: ColumnEvaluator, firstCycle: number, firstChecked = 0): void {
	const program = strategyState.program;
	const laneCount = workspace.lanes.n;
	let column: Float64Array;
	if (heldAtForcedValue(program.strategy.plan, workspace.forced, i)) {
		// its own buffer: parameterColumns[i] may be another node's output
		column = program.forcedColumns[i];
		if (column.length === 0) column = program.forcedColumns[i] = new Float64Array(BLOCK);
		column.fill(strategyState.variables[i], 0, laneCount);
	} else column = evaluate(strategyState.variables);
	const lower = workspace.lowerBound[i];
	const upper = workspace.upperBound[i];
	for (let lane = firstChecked; lane < laneCount; lane++) {
		const value = column[lane];
		if (!(value >= lower && value <= upper)) throw rangeError(workspace.cm, program.strategy, i, value, firstCycle + lane);
	}
	program.parameterColumns[i] = column;
}

/** A constant or per-step slot's value into slotValue, checked finite (k: the cycle named in the error). */
function evaluateScalarSlot(strategyState: StrategyState, slot: number, k: number): void {
	const program = strategyState.program;
	const value = (program.sources[slot] as CompiledValue).evaluate(strategyState.variables);
	if (!Number.isFinite(value)) throw slotError(program, slot, value, k);
	strategyState.slotValue[slot] = value;
}

/** Parameters, constant and per-step slots, and the starting shares (into the view's cohortEnd and cohortStart) of one strategy. */
function setUp(workspace: Workspace, strategyState: StrategyState): void {
	const { program, variables, view } = strategyState;
	const plan = program.strategy.plan;
	const { cm, settings } = workspace;
	const slots = cm.slots;
	variables.set(workspace.values.subarray(0, cm.parameterIds.length));
	for (let j = 0; j < program.fixedSlots.length; j++) variables[program.fixedSlots[j]] = program.fixedValues[j];
	variables[slots.cycle_length] = settings.cycleLength;
	variables[slots.model_time] = 1;
	variables[slots.age] = settings.startAge;
	variables[slots.state_time] = 1;
	evaluateScalarParameters(workspace, strategyState, plan.constantOrder, false);
	for (let j = 0; j < program.hoisted.length; j++) variables[program.hoistedSlots[j]] = program.hoisted[j](variables);
	if (program.startReadsTime) {
		// start values are evaluated at cycle 1, state_time 1
		evaluateScalarParameters(workspace, strategyState, plan.timeOrder, false);
		evaluateScalarParameters(workspace, strategyState, plan.stateTimeOrder, false);
	}
	strategyState.slotValue.fill(0);
	for (let j = 0; j < program.constantSlots.length; j++) evaluateScalarSlot(strategyState, program.constantSlots[j], 1);
	// x_0 is the cohort at the end of cycle 0: the first step moves it to the start of cycle 1
	setStartShares(cm, program.strategy, variables, view.cohortEnd);
	view.cohortStart.set(view.cohortEnd);
	// per tunnel step, not per cycle
	let step = -1;
	for (let j = 0; j < program.stepSlots.length; j++) {
		const slot = program.stepSlots[j];
		if (program.stepOfSlot[slot] !== step) {
			step = program.stepOfSlot[slot];
			variables[slots.state_time] = step;
			evaluateScalarParameters(workspace, strategyState, plan.stateTimeOrder, true);
		}
		evaluateScalarSlot(strategyState, slot, 1);
	}
	variables[slots.state_time] = 1;
}

/** x_0: each state's starting share at its first tunnel step, checked in [0, 1] and summing to 1. */
function setStartShares(cm: CompiledModel, strategy: CompiledStrategy, variables: Float64Array, cohort: Float64Array): void {
	cohort.fill(0);
	let startSum = 0;
	for (let state = 0; state < strategy.start.length; state++) {
		const compiledValue = strategy.start[state];
		const share = compiledValue.evaluate(variables);
		if (!Number.isFinite(share)) throw new ModelError(issue(compiledValue.path, 'not-finite', `starting share is ${share} (strategy ${strategy.id}); expected a finite number`));
		if (share < -PROBABILITY_TOLERANCE || share > 1 + PROBABILITY_TOLERANCE) throw new ModelError(issue(compiledValue.path, 'start-distribution', `starting share ${share} is not in [0, 1]`));
		cohort[cm.expanded.first[state]] = share;
		startSum += share;
	}
	if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
		throw new ModelError(issue(joinPath('strategies', strategy.id, 'start'), 'start-distribution', `starting shares sum to ${round(startSum)}, expected 1`));
}

/** Evaluates the block of cycles firstCycle .. firstCycle + lanes.n - 1 (at most BLOCK, up to the horizon) into the program's cycle table. */
function evaluateBlock(workspace: Workspace, strategyState: StrategyState, firstCycle: number): void {
	const { lanes, settings } = workspace;
	const { program, variables } = strategyState;
	const slots = workspace.cm.slots;
	const laneCount = (lanes.n = Math.min(BLOCK, settings.horizon - firstCycle + 1));
	for (let lane = 0; lane < laneCount; lane++) {
		lanes.modelTime[lane] = firstCycle + lane;
		lanes.age[lane] = settings.startAge + (firstCycle + lane - 1) * settings.cycleLength;
	}
	variables[slots.model_time] = firstCycle;
	variables[slots.state_time] = 1;
	const timeOrder = program.strategy.plan.timeOrder;
	for (let j = 0; j < timeOrder.length; j++) evaluateParameterColumn(workspace, strategyState, timeOrder[j], program.timeParameters[j], firstCycle);
	const { cycleSlots, cycleSlotStep, columnEvaluators, cycleTable } = program;
	let step = 0;
	let firstInReach = 0;
	for (let j = 0; j < cycleSlots.length; j++) {
		if (cycleSlotStep[j] !== step) {
			step = cycleSlotStep[j];
			// the block's lanes from the step's first cycle in reach on; before it the step's values are 0, not evaluated or checked
			firstInReach = Math.min(laneCount, Math.max(0, firstCycleInReach(step) - firstCycle));
			variables[slots.state_time] = step;
			// a new tunnel step: its parameters first (scalars, then columns)
			if (firstInReach < laneCount) evaluateStepParameters(workspace, strategyState, firstCycle, firstInReach);
		}
		const base = j * BLOCK;
		cycleTable.fill(0, base, base + firstInReach);
		if (firstInReach === laneCount) continue;
		const column = columnEvaluators[j](variables);
		for (let lane = firstInReach; lane < laneCount; lane++) {
			const value = column[lane];
			if (!Number.isFinite(value)) throw slotError(program, cycleSlots[j], value, firstCycle + lane);
			cycleTable[base + lane] = value;
		}
	}
	variables[slots.state_time] = 1;
}

/** The tunnel step's parameters for a block: columns for those that also read time (checked from lane `firstInReach`, inReach), else scalars. */
function evaluateStepParameters(workspace: Workspace, strategyState: StrategyState, firstCycle: number, firstInReach: number): void {
	const program = strategyState.program;
	const variables = strategyState.variables;
	const plan = program.strategy.plan;
	const order = plan.stateTimeOrder;
	for (let j = 0; j < order.length; j++) {
		const i = order[j];
		const columnEvaluator = program.stepParameterColumns[j];
		if (columnEvaluator) evaluateParameterColumn(workspace, strategyState, i, columnEvaluator, firstCycle, firstInReach);
		else if (!heldAtForcedValue(plan, workspace.forced, i)) {
			const value = (plan.evaluators[i] as Evaluator)(variables);
			variables[i] = value;
			if (!(value >= workspace.lowerBound[i] && value <= workspace.upperBound[i])) throw rangeError(workspace.cm, program.strategy, i, value, firstCycle);
		}
	}
}

/** out[item] = sum of value[list[j]] over j in [start[item], start[item + 1]), in list order. */
function sumFixed(value: Float64Array, start: Int32Array, list: Int32Array, out: Float64Array): void {
	for (let item = 0; item + 1 < start.length; item++) {
		let total = 0;
		for (let j = start[item]; j < start[item + 1]; j++) total += value[list[j]];
		out[item] = total;
	}
}

/** A one-off start value (0 where there is none), checked finite. */
function startValue(compiledValue: CompiledValue | null, variables: Float64Array, strategy: CompiledStrategy, what: string): number {
	if (!compiledValue) return 0;
	const value = compiledValue.evaluate(variables);
	if (!Number.isFinite(value)) throw new ModelError(issue(compiledValue.path, 'not-finite', `${what} is ${value} at cycle 1 (strategy ${strategy.id}); expected a finite number`));
	return value;
}

/**
 * The recorder of run()'s full results: the trace, each cycle's costs by category, QALYs, life
 * years and outcomes, and the years in each state, added into `results`. It takes the driver's
 * cycle values for QALYs and life years and works out by category, outcome and state in its
 * own pass over the cycle's flows and shares, in the driver's order of additions.
 */
function fullRecorder(cm: CompiledModel, program: CohortProgram, results: FullResults): Recorder<CycleView> {
	return {
		record(view) {
			if (view.cycle === 0) recordStart(cm, program, results, view);
			else {
				recordTransitionValues(cm, program, results, view);
				recordStateValues(cm, program, results, view);
			}
		}
	};
}

function recordStart(cm: CompiledModel, program: CohortProgram, results: FullResults, view: CycleView): void {
	const categoryCount = cm.categoryIds.length;
	for (let category = 0; category < categoryCount; category++) {
		results.cycleCosts[category] += view.startCosts[category];
		results.cycleCostsUndiscounted[category] += view.startCosts[category];
	}
	results.cycleQalys[0] += view.qaly;
	results.cycleQalysUndiscounted[0] += view.qalyUndiscounted;
	const outcomes = program.strategy.startValues.outcomes;
	for (let outcome = 0; outcome < outcomes.length; outcome++) results.cycleOutcomes[outcome] += startValue(outcomes[outcome], view.variables, program.strategy, 'start outcome');
	const stateOf = cm.expanded.stateOf;
	for (let e = 0; e < view.cohortStart.length; e++) results.trace[stateOf[e]] += view.cohortStart[e];
}

/** One-off values of transition values on the cycle's flows, per category and outcome. */
function recordTransitionValues(cm: CompiledModel, program: CohortProgram, results: FullResults, view: CycleView): void {
	const categoryCount = cm.categoryIds.length;
	const outcomeCount = cm.outcomeIds.length;
	const { rowStart, transitionValueStart, transitionValueList } = program;
	const slotValue = view.slotValue;
	const k = view.cycle;
	const row = k * categoryCount;
	for (let e = 0; e < view.cohortStart.length; e++) {
		const share = view.cohortStart[e];
		if (share === 0) continue;
		for (let entry = rowStart[e]; entry < rowStart[e + 1]; entry++) {
			const flow = share * view.probability[entry];
			if (flow === 0) continue;
			for (let listed = transitionValueStart[entry]; listed < transitionValueStart[entry + 1]; listed++) {
				const transitionValue = transitionValueList[listed];
				for (let category = 0; category < categoryCount; category++) {
					const amount = flow * slotValue[program.transitionCostByCategory[transitionValue * categoryCount + category]];
					results.cycleCosts[row + category] += amount * view.eventCostWeight;
					results.cycleCostsUndiscounted[row + category] += amount;
				}
				for (let outcome = 0; outcome < outcomeCount; outcome++)
					results.cycleOutcomes[k * outcomeCount + outcome] += flow * slotValue[program.transitionOutcome[transitionValue * outcomeCount + outcome]];
			}
		}
	}
}

/** States' costs per category, outcomes and years in state; the cycle's QALYs, life years and trace. */
function recordStateValues(cm: CompiledModel, program: CohortProgram, results: FullResults, view: CycleView): void {
	const categoryCount = cm.categoryIds.length;
	const outcomeCount = cm.outcomeIds.length;
	const stateOf = cm.expanded.stateOf;
	const slotValue = view.slotValue;
	const k = view.cycle;
	const row = k * categoryCount;
	for (let e = 0; e < view.cohortStart.length; e++) {
		const start = view.cohortStart[e];
		const end = view.cohortEnd[e];
		if (start === 0 && end === 0) continue;
		const occupancy = view.stateWeightStart * start + view.stateWeightEnd * end;
		const discounted = view.costWeightStart * start + view.costWeightEnd * end;
		for (let category = 0; category < categoryCount; category++) {
			const cost = slotValue[program.stateCostByCategory[e * categoryCount + category]];
			if (cost === 0) continue;
			results.cycleCosts[row + category] += cost * discounted;
			results.cycleCostsUndiscounted[row + category] += cost * occupancy;
		}
		for (let outcome = 0; outcome < outcomeCount; outcome++) results.cycleOutcomes[k * outcomeCount + outcome] += slotValue[program.stateOutcome[e * outcomeCount + outcome]] * occupancy;
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
	const strategy = program.strategy;
	const parameterCount = cm.parameterIds.length;
	const plan = strategy.plan;
	const parameterColumns: Float64Array[] = Array.from({ length: parameterCount }, () => new Float64Array(0));
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[] };
	const dependenceOf = (name: string) => {
		const i = cm.parameterIndex.get(name);
		if (i !== undefined) return plan.dependence[i];
		return name === 'model_time' || name === 'age' ? Dependence.Time : name === 'state_time' ? Dependence.StateTime : Dependence.Constant;
	};
	const variation = (name: string) => {
		const dependence = dependenceOf(name);
		return dependence === Dependence.Constant ? Variation.Constant : dependence === Dependence.StateTime ? Variation.Step : Variation.Column;
	};
	const context = columnContext(cm, variation, parameterColumns, { lanes, lifeTables }, nextSlot, hoisted);
	const asColumn = (source: string | number, path: string) => compileColumn(source, context, path).column;
	const parameterColumn = (i: number) => asColumn(parameterSource(cm, strategy, i), joinPath('parameters', cm.parameterIds[i]));
	const timeParameters = plan.timeOrder.map(parameterColumn);
	const stepParameterColumns = plan.stateTimeOrder.map((i) => (plan.dependence[i] === Dependence.TimeAndStateTime ? parameterColumn(i) : null));
	const columnEvaluators = Array.from(program.cycleSlots, (slot) => {
		const compiledValue = program.sources[slot] as CompiledValue;
		return asColumn(compiledValue.source, compiledValue.path);
	});
	return {
		...program,
		columnEvaluators,
		cycleTable: new Float64Array(program.cycleSlots.length * BLOCK),
		evaluatesBlocks: program.cycleSlots.length > 0 || timeParameters.length > 0,
		parameterColumns,
		forcedColumns: Array.from({ length: parameterCount }, () => new Float64Array(0)),
		timeParameters,
		stepParameterColumns,
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		stateCostFixed: new Float64Array(cm.expanded.count),
		transitionCostFixed: new Float64Array(strategy.transitionValues.length)
	};
}

/**
 * The error of entry `entryIndex` of expanded state e's row at cycle k: not a probability in
 * [0, 1] (the complement below 0 when the other entries sum above 1), with its path and tunnel step.
 *
 * @example "value 1.2 at cycle 3 is not a probability in [0, 1]" at strategies.soc.transitions.well.sick.
 */
export function rowError(cm: CompiledModel, strategy: CompiledStrategy, e: number, entryIndex: number, probability: number, k: number): ModelError {
	const state = cm.expanded.stateOf[e];
	const entry = strategy.rows[e][entryIndex];
	const tunnel = (cm.model.states[state].tunnel ?? 1) > 1 ? `, state_time ${cm.expanded.stateTime[e]}` : '';
	const what = entry.value === null ? 'the complement C (the other entries sum above 1)' : 'value';
	return new ModelError(
		issue(
			joinPath('strategies', strategy.id, 'transitions', cm.stateIds[state], cm.stateIds[entry.toState]),
			'probability-range',
			`${what} ${round(probability)} at cycle ${k}${tunnel} is not a probability in [0, 1]`
		)
	);
}

/**
 * The error of a row whose probabilities do not sum to 1 within PROBABILITY_TOLERANCE at cycle k.
 *
 * @example "probabilities sum to 0.9 at cycle 1; expected 1 (tolerance 1e-9); use "C" for the complement".
 */
export function sumError(cm: CompiledModel, strategy: CompiledStrategy, e: number, total: number, k: number): ModelError {
	const state = cm.expanded.stateOf[e];
	const tunnel = (cm.model.states[state].tunnel ?? 1) > 1 ? `, state_time ${cm.expanded.stateTime[e]}` : '';
	return new ModelError(
		issue(
			joinPath('strategies', strategy.id, 'transitions', cm.stateIds[state]),
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
export function overflowError(strategyId: string, what: string, total: number): ModelError {
	return new ModelError(
		issue(
			joinPath('strategies', strategyId),
			'not-finite',
			`the ${what} adds up to ${total}: the model's values are too large to total (the largest number is about 1.8e308)`
		)
	);
}

/**
 * A number for messages, rounded to 9 decimals (not-finite values as they are).
 *
 * @example `round(0.1 + 0.2)` is "0.3".
 */
export function round(value: number): string {
	return Number.isFinite(value) ? String(Math.round(value * 1e9) / 1e9) : String(value);
}
