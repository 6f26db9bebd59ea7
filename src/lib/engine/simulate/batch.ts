/**
 * Many PSA iterations at once: the lanes of every column are iterations (up to BLOCK), so each
 * expression is one closure call per cycle for the whole batch, not one per iteration. It
 * computes exactly what the lean path of cohort.ts computes (same operations in the same order,
 * lane by lane, so the totals are identical to the last bit); tests/unit/batch.test.ts holds the
 * two equal.
 *
 * The arithmetic runs in WebAssembly (wasm/batch.ts): every column lives in one arena of
 * WebAssembly memory (wasm/kernels.ts), and one kernel call per strategy and cycle computes the
 * per-cycle values of the simplest forms (fusedForm), checks the cycle's values, moves the
 * cohort, checks the rows and adds up the values. The JavaScript side evaluates the other
 * expressions into the arena first (their +, -, *, /, min and max also in WebAssembly). Where
 * WebAssembly cannot run, `createBatch` returns null.
 *
 * It does not report errors. A lane whose values break a rule (a parameter outside its kind's
 * range, a value that is not finite, a probability outside [0, 1], a row not summing to 1, a
 * total too large to add up) is flagged in `bad`, and the caller runs that iteration through
 * `runner.totals`, which names the problem. Tunnel states are batched like the others: their
 * expanded steps are states of the kernel, values that read state_time are evaluated for each
 * step (once per batch, or per cycle when they also read time) after that step's parameters,
 * and time-dependent starting values at cycle 1, in the order of cohort.ts. A model too large
 * for the largest arena is not batched (`createBatch` returns null) and runs one by one.
 *
 * The batch is a backend of the cohort driver (driver.ts, `driveCohort`), as cohort.ts is, with
 * all its strategies moving together: the driver starts every strategy, then takes cycle k of
 * every strategy in order (`evaluateCycleValues`, `stepCohort`, the recorder), then cycle k + 1;
 * the cost of each cycle the PSA keeps is a recorder's work (`laneCycleCostRecorder`).
 * Loop indices: b is a lane (an iteration), e an expanded state, k a cycle, i a parameter's
 * slot, j a position in a list, m a position in the program's tunnel steps.
 */
import type { MathNode } from 'mathjs';
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator } from './columns';
import { columnContext, fillHoistedColumns, heldAtForcedValue, parameterSource, type HoistedColumns } from './layout';
import { programOf, type Program } from './program';
import { cycleTiming, type CycleTiming } from './cycleCorrection';
import { KEEP_NOTHING, driveCohort, type CohortBackend, type Recorder } from './driver';
import { parseExpression, type Evaluator } from '../model/expressions';
import { lifeTableLookup } from '../model/lifeTable';
import { PROBABILITY_TOLERANCE, TOTALS, inReach } from './cohort';
import { kindBounds } from '../model/parameterChecks';
import type { Settings } from '../model/schema';
import { ArenaFull, CYCLE_RECORD_FIELDS, FUSED_ALIAS, Operand, createArena, loadKernels, type Arena, type ColumnArithmetic, type CycleRecord } from './wasm/kernels';

/** iterations per batch */
export const BATCH: number = IMPORTED_BLOCK;
/** lanes per batch, a local copy (an imported binding can be slow in the loop) */
const LANE_COUNT: number = BATCH;

/** the lane arrays holding each field of TOTALS, in its order */
const TOTAL_FIELDS = ['cost', 'qaly', 'ly', 'costU', 'qalyU', 'lyU'] as const;

export interface Batch {
	/**
	 * Totals of `laneCount` iterations. `values[i * BATCH + b]` is parameter i in iteration b (every
	 * parameter; expression parameters are recomputed unless forced). Writes
	 * out[(strategy * TOTALS.size + field) * BATCH + b] and sets bad[b] = 1 for iterations to rerun.
	 * With cycleCosts, the discounted (and undiscounted) cost of cycle k of lane b and a strategy
	 * goes to cycleCosts[((firstIteration + b) * strategies + strategy) * (horizon + 1) + k], the PSA's
	 * layout with lane b as iteration firstIteration + b.
	 */
	totals(
		values: Float64Array,
		laneCount: number,
		settings: Settings,
		forced: Uint8Array,
		out: Float64Array,
		bad: Uint8Array,
		cycleCosts?: Float64Array,
		cycleCostsUndiscounted?: Float64Array,
		firstIteration?: number
	): void;
}

/**
 * A strategy's program (program.ts) with what the WebAssembly backend adds: its expressions
 * compiled to columns over iterations (a name that varies with the draws is a column, the
 * others scalars), the per-cycle values the kernel computes itself, and the arena addresses the
 * kernels read.
 */
interface BatchProgram extends Program {
	/** current column of every parameter that varies between iterations: input rows or evaluated */
	paramColumns: Float64Array[];
	/**
	 * expression parameters in order, constant ones then time-dependent ones: a column evaluator
	 * when the value differs between iterations (it reads a drawn parameter), else a scalar one
	 * (evaluated once per batch, or once per cycle, into the variables)
	 */
	constScalar: number[];
	constScalarEval: Evaluator[];
	constColumn: number[];
	constColumnEval: ColumnEvaluator[];
	timeOrder: number[];
	timeEval: (ColumnEvaluator | Evaluator)[];
	timeIsColumn: Uint8Array;
	/** for each time parameter evaluated as a column, its entry in rangeColumns (from 1), else 0 */
	timeRangeEntry: Int32Array;
	/** count, then the column each per-cycle parameter has this cycle, for the kernel's range check (-1: not checked) */
	rangeColumns: Int32Array;
	rangeBounds: Float64Array;
	hoisted: Evaluator[];
	hoistedSlots: Int32Array;
	/**
	 * parts of per-cycle and per-step expressions that read only columns fixed for the batch
	 * (drawn parameters, constant parameters reading them), numbers and constants: evaluated once
	 * per batch, after the constant parameters (columns.ts, hoistColumn)
	 */
	hoistedColumns: HoistedColumns;
	/** slot columns: constant slots evaluated once per batch, time slots every cycle */
	slotColumns: Float64Array[];
	/** the address of each slot's current column, for the kernels */
	slotTable: Int32Array;
	/** the address of the program's header in the arena */
	header: number;
	/** the address of each parameter's current column, for the kernels (-1: a scalar) */
	parameterColumn: Int32Array;
	/** per-cycle values the cycle kernel computes itself (7 words each), and the numbers they use */
	fused: number[];
	numbers: number[];
	/** evaluators of the constant and step slots (parallel to constantSlots and stepSlots) */
	constSlotEval: ColumnEvaluator[];
	stepSlotEval: ColumnEvaluator[];
	/** the cycle slots the JavaScript side evaluates (the others are fused), in cycleSlots order, with their steps */
	evaluatedSlots: Int32Array;
	evaluatedSlotEval: ColumnEvaluator[];
	evaluatedSlotStep: Int32Array;
	/** a buffer of its own for each slot that reads state_time (a parameter's column is overwritten at the next step) */
	stepBuffers: Float64Array[];
	/** per tunnel-step parameters (plan.stateTimeOrder): evaluated as columns (1) or scalars (0) */
	stepParamIsColumn: Uint8Array;
	stepParamEval: (ColumnEvaluator | Evaluator)[];
	/**
	 * the parameters that change per step but not with time (entries of stateTimeOrder):
	 * evaluated once per batch for each step of `steps`, their values kept in
	 * stepValues[step index * count + j] and columns in stepColumns (same index)
	 */
	stepIndex: Int32Array;
	stepOnly: Int32Array;
	stepValues: Float64Array;
	stepColumns: Float64Array[];
	/** the start shares (per state), costs and utility, evaluated at the start of a batch */
	startShareEval: ColumnEvaluator[];
	startCostEval: ColumnEvaluator[];
	startUtilityEval: ColumnEvaluator | null;
	/** cycle slots the kernel checks are finite: those read outside transition rows (rows are range-checked, which catches NaN and infinities) */
	finiteSlots: Int32Array;
	/** the earlier strategy whose cohort this one shares (sameCohorts), or -1; and whether a later one shares this one's */
	cohortSource: number;
	keepsFlowValues: boolean;
	/** per row, 1 where an earlier strategy checks and sums it each cycle (sameRows); the column of each row's complement, or 0 (kernels.ts, ProgramArrays) */
	rowShared: Int32Array;
	keptComplement: Int32Array;
}

/** each field's index in a cycle record (kernels.ts, CYCLE_RECORD_FIELDS) */
const RECORD = Object.fromEntries(CYCLE_RECORD_FIELDS.map((field, i) => [field, i])) as Record<keyof CycleRecord, number>;

/** the work area's row-sum column (wasm/batch.ts) */
const ROW_SUM = 10;

/** Arena sizes tried, in bytes: most models fit the first; past the last, the lean path. */
const ARENA_BYTES = [4, 32, 256].map((mb) => mb * 2 ** 20);

/**
 * @param drawn parameter slots whose values differ between iterations (the PSA's draws); every
 *   other parameter must have the same value in every lane of `values`
 * @param arenaSizes arena sizes to try in turn, in bytes
 *
 * The batch of a compiled model for a set of drawn parameters, or null where WebAssembly cannot
 * run or the model does not fit the largest arena.
 *
 * @example `createBatch(cm, sampler.slots)?.totals(values, 128, settings, forced, out, bad)`.
 */
export function createBatch(cm: CompiledModel, drawn: ArrayLike<number>, arenaSizes: number[] = ARENA_BYTES): Batch | null {
	const kernels = loadKernels();
	if (!kernels) return null;
	for (const bytes of arenaSizes) {
		try {
			return buildBatch(cm, drawn, createArena(kernels, bytes));
		} catch (e) {
			if (!(e instanceof ArenaFull)) throw e;
		}
	}
	return null;
}

const shared = new WeakMap<CompiledModel, Map<string, Batch | null>>();
const SHARED_PER_MODEL = 4;

/**
 * The batch of a compiled model for a set of drawn parameters, made once and kept with the model,
 * so that a PSA run again (new inputs, another seed) reuses its columns and compiled closures
 * rather than laying them out and optimising them again. A batch keeps no state between calls of
 * `totals`, so runs may share it, even interleaved.
 *
 * @example two PSAs of ms.json drawing the same parameters share `sharedBatch(cm, slots)`.
 */
export function sharedBatch(cm: CompiledModel, drawn: ArrayLike<number>): Batch | null {
	let byDrawn = shared.get(cm);
	if (!byDrawn) shared.set(cm, (byDrawn = new Map()));
	const key = Array.from(drawn).join(',');
	if (!byDrawn.has(key)) {
		// a few sets of drawn parameters per model (each batch holds megabytes): the oldest goes
		if (byDrawn.size >= SHARED_PER_MODEL) byDrawn.delete(byDrawn.keys().next().value as string);
		byDrawn.set(key, createBatch(cm, drawn));
	}
	return byDrawn.get(key) as Batch | null;
}

/**
 * A strategy's own arrays in the arena while a batch runs: the strategies move through the
 * cycles together (cycle k of every strategy, then cycle k + 1), so each keeps its variables,
 * cohort, running totals and fixed costs apart.
 */
interface StrategyState {
	/** the cycle kernel's record (kernels.ts, CYCLE_RECORD_FIELDS) */
	record: Float64Array;
	variables: Float64Array;
	cohortA: Float64Array;
	cohortB: Float64Array;
	/** the cohort at the start and end of the current cycle (addresses of cohortA or cohortB; swapped each cycle) */
	cohortStartAt: number;
	cohortEndAt: number;
	work: Float64Array;
	workAt: number;
	/** the running totals, in the work area (wasm/batch.ts) */
	lane: { cost: Float64Array; qaly: Float64Array; ly: Float64Array; costU: Float64Array; qalyU: Float64Array; lyU: Float64Array };
	cycleCost: Float64Array;
	cycleCostUndiscounted: Float64Array;
	rowSum: Float64Array;
	stateCostFixed: Float64Array[];
	transitionCostFixed: Float64Array[];
	/** what the driver shows the strategy's recorder of each cycle */
	view: BatchCycleView;
}

/** What the WebAssembly backend shows a recorder of cycle k of one strategy, lane by lane (lanes 0 .. laneCount - 1). */
interface BatchCycleView {
	cycle: number;
	laneCount: number;
	/** each lane's discounted and undiscounted cost of the cycle (k = 0: the one-off start costs) */
	cost: Float64Array;
	costUndiscounted: Float64Array;
}

/** The WebAssembly backend's workspace: programs, per-strategy arrays and the batch's inputs and flags, all in one arena. */
interface BatchWorkspace {
	cm: CompiledModel;
	arena: Arena;
	lanes: ReturnType<typeof createLanes>;
	programs: BatchProgram[];
	states: StrategyState[];
	/** same[strategyIndex][i]: the first strategy that defines parameter i as that strategy does (sameDefinitions) */
	same: Int32Array[];
	/** the parameters' values, copied in from the caller's array at each call: one row of lanes per parameter */
	valueColumns: Float64Array;
	inputRows: Float64Array[];
	inputRowAt: number[];
	zeroColumn: Float64Array;
	lowerBound: Float64Array;
	upperBound: Float64Array;
	bad: Uint8Array;
	badAt: number;
	timing: CycleTiming | null;
}

function buildBatch(cm: CompiledModel, drawn: ArrayLike<number>, arena: Arena): Batch {
	const workspace = createWorkspace(cm, drawn, arena);
	return {
		totals(values, laneCount, settings, forced, out, badOut, cycleCosts, cycleCostsUndiscounted, firstIteration = 0) {
			workspace.valueColumns.set(values.subarray(0, cm.parameterIds.length * LANE_COUNT));
			workspace.timing = cycleTiming(settings, workspace.timing);
			workspace.lanes.n = laneCount;
			workspace.bad.fill(0, 0, laneCount);
			const strategyCount = workspace.programs.length;
			const recorders = workspace.states.map((_, strategyIndex) =>
				laneCycleCostRecorder(cycleCosts, cycleCostsUndiscounted, strategyIndex * (settings.horizon + 1), strategyCount * (settings.horizon + 1), firstIteration)
			);
			driveCohort(batchBackend(workspace, values, laneCount, settings, forced, out), settings.horizon, recorders);
			badOut.set(workspace.bad.subarray(0, laneCount));
		}
	};
}

/**
 * The batch as the driver runs it (driver.ts) on one call's inputs: start (startStrategy),
 * per-cycle values (evaluateCycleValues), step (stepCohort, the cycle kernel) and totals
 * (collectTotals) of every strategy, lanes 0 .. laneCount - 1.
 */
function batchBackend(workspace: BatchWorkspace, values: Float64Array, laneCount: number, settings: Settings, forced: Uint8Array, out: Float64Array): CohortBackend<BatchCycleView> {
	const timing = workspace.timing as CycleTiming;
	return {
		strategyCount: workspace.programs.length,
		// all together: a later strategy reads an earlier one's columns of the same cycle (takeParameter, shareFused)
		strategiesTogether: workspace.programs.length,
		start(strategyIndex) {
			startStrategy(workspace, strategyIndex, values, laneCount, settings, forced);
			const { view, lane } = workspace.states[strategyIndex];
			view.cycle = 0;
			view.laneCount = laneCount;
			view.cost = lane.cost;
			view.costUndiscounted = lane.costU;
			return view;
		},
		cycleValues(strategyIndex, k) {
			evaluateCycleValues(workspace, strategyIndex, k, settings, forced, laneCount);
		},
		step(strategyIndex, k) {
			stepCohort(workspace, strategyIndex, k, timing, settings.cycleLength, laneCount);
			const strategyState = workspace.states[strategyIndex];
			const view = strategyState.view;
			view.cycle = k;
			view.cost = strategyState.cycleCost;
			view.costUndiscounted = strategyState.cycleCostUndiscounted;
			return view;
		},
		finish() {
			collectTotals(workspace, laneCount, out);
		}
	};
}

/**
 * A recorder of each lane's discounted and undiscounted cost of cycle k (k = 0: the start) of
 * one strategy at the PSA's place for iteration firstIteration + b:
 * (firstIteration + b) * laneStride + strategyBase + k, with laneStride = strategies x (horizon +
 * 1) and strategyBase = strategy x (horizon + 1). Either array may be absent; the recorder stores
 * into those given.
 *
 * @example `laneCycleCostRecorder(costs, undefined, s * (n + 1), S * (n + 1), 0)` for strategy s
 * of S over n cycles, the batch's lanes being iterations 0..127.
 */
function laneCycleCostRecorder(
	discounted: Float64Array | undefined,
	undiscounted: Float64Array | undefined,
	strategyBase: number,
	laneStride: number,
	firstIteration: number
): Recorder<BatchCycleView> {
	const firstBase = firstIteration * laneStride + strategyBase;
	const store = (into: Float64Array, from: Float64Array, view: BatchCycleView) => {
		const base = firstBase + view.cycle;
		for (let b = 0; b < view.laneCount; b++) into[base + b * laneStride] = from[b];
	};
	if (discounted && undiscounted)
		return {
			record(view) {
				store(discounted, view.cost, view);
				store(undiscounted, view.costUndiscounted, view);
			}
		};
	if (discounted) return { record: (view) => store(discounted, view.cost, view) };
	if (undiscounted) return { record: (view) => store(undiscounted, view.costUndiscounted, view) };
	return KEEP_NOTHING;
}

/** Lays every strategy's program out in the arena with its own variables, cohort and work area. */
function createWorkspace(cm: CompiledModel, drawn: ArrayLike<number>, arena: Arena): BatchWorkspace {
	const parameterCount = cm.parameterIds.length;
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const lanes = createLanes(arena.column, arena.arithmetic);
	const nextSlot = { value: cm.slots.size };
	const isDrawn = new Uint8Array(parameterCount);
	for (let j = 0; j < drawn.length; j++) isDrawn[drawn[j]] = 1;
	const valueColumns = arena.columns(parameterCount);
	const inputRows = Array.from({ length: parameterCount }, (_, i) => valueColumns.subarray(i * LANE_COUNT, (i + 1) * LANE_COUNT));
	const zeroColumn = arena.column();
	const programs = cm.strategies.map((_, index) => compileBatchProgram(cm, programOf(cm, index, false), isDrawn, nextSlot, lifeTables, lanes, zeroColumn, arena));
	// where a strategy defines a parameter as an earlier one does (at every depth), it takes that
	// one's value or column rather than computing it again; and so for per-cycle values the
	// kernel computes from such parameters alike
	const same = sameDefinitions(cm);
	shareCohorts(programs, sameCohorts(cm, programs, same));
	shareRows(programs, sameRows(cm, programs, same), arena);
	shareFused(programs, same, parameterCount);
	const alive = Float64Array.from({ length: cm.expanded.count }, (_, e) => (cm.dead[cm.expanded.stateOf[e]] ? 0 : 1));
	const states = programs.map((program) => strategyState(cm, arena, program, alive, nextSlot.value));
	// the same bounds by parameter kind as the runner checks (run.ts)
	const { lower: lowerBound, upper: upperBound } = kindBounds(cm.parameterIds, cm.model.parameters);
	const bad = arena.bytes(LANE_COUNT);
	return {
		cm,
		arena,
		lanes,
		programs,
		states,
		same,
		valueColumns,
		inputRows,
		inputRowAt: inputRows.map((row) => row.byteOffset),
		zeroColumn,
		lowerBound,
		upperBound,
		bad,
		badAt: bad.byteOffset,
		timing: null
	};
}

/** A strategy's arrays in the arena, and its program header (kernels.ts, program). */
function strategyState(cm: CompiledModel, arena: Arena, program: BatchProgram, alive: Float64Array, variableCount: number): StrategyState {
	const expandedCount = cm.expanded.count;
	const maxTransitionValues = Math.max(1, ...cm.strategies.map((strategy) => strategy.transitionValues.length));
	const split = (all: Float64Array, count: number) => Array.from({ length: count }, (_, index) => all.subarray(index * LANE_COUNT, (index + 1) * LANE_COUNT));
	// in the arena, so the cycle kernel reads scalars from it (every slot is known once all are compiled)
	const variables = arena.doubles(new Float64Array(variableCount));
	const stateCostFixed = arena.columns(expandedCount);
	const transitionCostFixed = arena.columns(maxTransitionValues);
	program.header = arena.program({
		...program,
		states: expandedCount,
		stateTime: cm.expanded.stateTime,
		alive,
		stateCostFixed,
		transitionCostFixed,
		variables,
		stateCostGroup: costGroups(program),
		transitionValueCount: program.strategy.transitionValues.length
	});
	const work = arena.columns(arena.workColumns);
	// the work area's columns, in the order of wasm/batch.ts
	const [cost, costU, qaly, qalyU, ly, lyU, cycleCost, cycleCostUndiscounted] = split(work, 8);
	const cohortA = arena.columns(expandedCount);
	const cohortB = arena.columns(expandedCount);
	return {
		record: arena.doubles(new Float64Array(arena.recordFields)),
		variables,
		cohortA,
		cohortB,
		cohortStartAt: cohortA.byteOffset,
		cohortEndAt: cohortB.byteOffset,
		work,
		workAt: work.byteOffset,
		lane: { cost, qaly, ly, costU, qalyU, lyU },
		cycleCost,
		cycleCostUndiscounted,
		rowSum: work.subarray(ROW_SUM * LANE_COUNT, (ROW_SUM + 1) * LANE_COUNT),
		stateCostFixed: split(stateCostFixed, expandedCount),
		transitionCostFixed: split(transitionCostFixed, maxTransitionValues),
		view: { cycle: 0, laneCount: 0, cost, costUndiscounted: costU }
	};
}

/** A parameter with one value for the batch (or cycle): out of range flags every lane. */
function scalarParameter(workspace: BatchWorkspace, program: BatchProgram, variables: Float64Array, i: number, evaluate: Evaluator, forced: Uint8Array, laneCount: number): void {
	if (heldAtForcedValue(program.strategy.plan, forced, i)) return;
	const value = evaluate(variables);
	variables[i] = value;
	if (!(value >= workspace.lowerBound[i] && value <= workspace.upperBound[i])) workspace.bad.fill(1, 0, laneCount);
}

/** A parameter with a value per lane: range-checked now, or by the cycle kernel at its entry of rangeColumns. */
function columnParameter(
	workspace: BatchWorkspace,
	program: BatchProgram,
	variables: Float64Array,
	i: number,
	evaluate: ColumnEvaluator,
	forced: Uint8Array,
	laneCount: number,
	rangeEntry = 0
): void {
	if (heldAtForcedValue(program.strategy.plan, forced, i)) {
		program.paramColumns[i] = workspace.inputRows[i];
		program.parameterColumn[i] = workspace.inputRowAt[i];
		if (rangeEntry) program.rangeColumns[rangeEntry] = -1;
		return;
	}
	const column = evaluate(variables);
	const at = column.byteOffset;
	if (rangeEntry) program.rangeColumns[rangeEntry] = at;
	else workspace.arena.checkRange(at, workspace.lowerBound[i], workspace.upperBound[i], workspace.badAt, laneCount);
	program.paramColumns[i] = column;
	program.parameterColumn[i] = at;
}

/**
 * Parameter i of strategy strategyIndex as strategy `from` (earlier) has it, already computed and checked:
 * its value and column (the kernel does not check the column again).
 */
function takeParameter(workspace: BatchWorkspace, strategyIndex: number, from: number, i: number, rangeEntry = 0): void {
	const program = workspace.programs[strategyIndex];
	const fromProgram = workspace.programs[from];
	workspace.states[strategyIndex].variables[i] = workspace.states[from].variables[i];
	program.paramColumns[i] = fromProgram.paramColumns[i];
	program.parameterColumn[i] = fromProgram.parameterColumn[i];
	if (rangeEntry) program.rangeColumns[rangeEntry] = -1;
}

/** Time-dependent parameter j of strategy strategyIndex (its position in timeOrder) for the current cycle. */
function timeParameter(workspace: BatchWorkspace, strategyIndex: number, j: number, forced: Uint8Array, laneCount: number, rangeEntry: number): void {
	const program = workspace.programs[strategyIndex];
	const variables = workspace.states[strategyIndex].variables;
	const i = program.timeOrder[j];
	const from = workspace.same[strategyIndex][i];
	if (from !== strategyIndex) takeParameter(workspace, strategyIndex, from, i, rangeEntry);
	else if (program.timeIsColumn[j]) columnParameter(workspace, program, variables, i, program.timeEval[j] as ColumnEvaluator, forced, laneCount, rangeEntry);
	else scalarParameter(workspace, program, variables, i, program.timeEval[j] as Evaluator, forced, laneCount);
}

/** Every parameter of tunnel steps, at the current cycle and state_time. */
function allStepParameters(workspace: BatchWorkspace, program: BatchProgram, variables: Float64Array, forced: Uint8Array, laneCount: number): void {
	const order = program.strategy.plan.stateTimeOrder;
	for (let j = 0; j < order.length; j++) {
		const i = order[j];
		if (program.stepParamIsColumn[j]) columnParameter(workspace, program, variables, i, program.stepParamEval[j] as ColumnEvaluator, forced, laneCount);
		else scalarParameter(workspace, program, variables, i, program.stepParamEval[j] as Evaluator, forced, laneCount);
	}
}

/**
 * The per-step parameters that do not change with time, at every step read, once per batch
 * (checked then). A parameter an earlier strategy defines alike (sameDefinitions) is taken from
 * that strategy's kept values at the same step, as takeParameter takes a constant one.
 */
function cacheStepParameters(workspace: BatchWorkspace, strategyIndex: number, variables: Float64Array, forced: Uint8Array, laneCount: number): void {
	const program = workspace.programs[strategyIndex];
	const order = program.strategy.plan.stateTimeOrder;
	const count = program.stepOnly.length;
	const sources = Array.from(program.stepOnly, (position) => stepParameterSource(workspace, strategyIndex, order[position]));
	for (let m = 0; m < program.steps.length; m++) {
		variables[workspace.cm.slots.state_time] = program.steps[m];
		for (let j = 0; j < count; j++) {
			const position = program.stepOnly[j];
			const i = order[position];
			const kept = m * count + j;
			if (takeStepParameter(workspace, strategyIndex, i, sources[j], program.steps[m], kept, laneCount)) continue;
			if (program.stepParamIsColumn[position]) {
				columnParameter(workspace, program, variables, i, program.stepParamEval[position] as ColumnEvaluator, forced, laneCount);
				program.stepColumns[kept].set(program.paramColumns[i].subarray(0, laneCount));
			} else scalarParameter(workspace, program, variables, i, program.stepParamEval[position] as Evaluator, forced, laneCount);
			program.stepValues[kept] = variables[i];
		}
	}
	variables[workspace.cm.slots.state_time] = 1;
}

/** Where an earlier strategy defining per-step parameter i alike (sameDefinitions) keeps it: its program and the parameter's place in its stepOnly; null if none. */
function stepParameterSource(workspace: BatchWorkspace, strategyIndex: number, i: number): { program: BatchProgram; j: number } | null {
	const from = workspace.same[strategyIndex][i];
	if (from === strategyIndex) return null;
	const program = workspace.programs[from];
	const j = program.stepOnly.indexOf(program.strategy.plan.stateTimeOrder.indexOf(i));
	return j >= 0 ? { program, j } : null;
}

/**
 * Per-step parameter i of strategy strategyIndex at tunnel step `step`, kept at `kept`, copied
 * from the earlier strategy that defines it alike (`source`), where that strategy keeps it at
 * this step (its value computed and checked there); false if none does.
 */
function takeStepParameter(
	workspace: BatchWorkspace,
	strategyIndex: number,
	i: number,
	source: { program: BatchProgram; j: number } | null,
	step: number,
	kept: number,
	laneCount: number
): boolean {
	if (!source) return false;
	const program = workspace.programs[strategyIndex];
	const fromProgram = source.program;
	const fromStep = fromProgram.stepIndex[step];
	if (fromStep === undefined || fromStep < 0) return false;
	const fromKept = fromStep * fromProgram.stepOnly.length + source.j;
	const column = program.stepColumns[kept];
	if ((column === workspace.zeroColumn) !== (fromProgram.stepColumns[fromKept] === workspace.zeroColumn)) return false;
	const variables = workspace.states[strategyIndex].variables;
	variables[i] = program.stepValues[kept] = fromProgram.stepValues[fromKept];
	if (column !== workspace.zeroColumn) {
		column.set(fromProgram.stepColumns[fromKept].subarray(0, laneCount));
		program.paramColumns[i] = column;
		program.parameterColumn[i] = column.byteOffset;
	}
	return true;
}

/** The per-step parameters that do not change with time, as at tunnel step `step` (cacheStepParameters). */
function restoreStepParameters(program: BatchProgram, variables: Float64Array, step: number): void {
	const order = program.strategy.plan.stateTimeOrder;
	const count = program.stepOnly.length;
	const m = program.stepIndex[step];
	for (let j = 0; j < count; j++) {
		const position = program.stepOnly[j];
		const i = order[position];
		variables[i] = program.stepValues[m * count + j];
		if (program.stepParamIsColumn[position]) {
			const column = program.stepColumns[m * count + j];
			program.paramColumns[i] = column;
			program.parameterColumn[i] = column.byteOffset;
		}
	}
}

/** The per-step parameters that also read time, at the current cycle and state_time. */
function timeStepParameters(workspace: BatchWorkspace, program: BatchProgram, variables: Float64Array, forced: Uint8Array, laneCount: number): void {
	const plan = program.strategy.plan;
	const order = plan.stateTimeOrder;
	for (let j = 0; j < order.length; j++) {
		const i = order[j];
		if (plan.dependence[i] === Dependence.StateTime) continue;
		if (program.stepParamIsColumn[j]) columnParameter(workspace, program, variables, i, program.stepParamEval[j] as ColumnEvaluator, forced, laneCount);
		else scalarParameter(workspace, program, variables, i, program.stepParamEval[j] as Evaluator, forced, laneCount);
	}
}

/** A slot's column read at a tunnel step, copied into its own buffer (a parameter's column is overwritten at the next step). */
function keepStepColumn(program: BatchProgram, slot: number, column: Float64Array, laneCount: number): void {
	const buffer = program.stepBuffers[slot];
	buffer.set(column.subarray(0, laneCount));
	program.slotColumns[slot] = buffer;
	program.slotTable[slot] = buffer.byteOffset;
}

/**
 * Every per-cycle slot of a tunnel step, zero in each lane at the start of a batch: a step's
 * slots are evaluated from the first cycle it is in reach on (evaluateCycleSlots), and until then
 * the kernel reads zeros (finite; its row is not checked, its state is empty), as the
 * JavaScript backend has them (cohort.ts, evaluateBlock).
 */
function emptyStepColumns(program: BatchProgram, laneCount: number): void {
	for (let j = 0; j < program.evaluatedSlots.length; j++) {
		if (program.evaluatedSlotStep[j] === 0) continue;
		const slot = program.evaluatedSlots[j];
		const buffer = program.stepBuffers[slot];
		buffer.fill(0, 0, laneCount);
		program.slotColumns[slot] = buffer;
		program.slotTable[slot] = buffer.byteOffset;
	}
}

/** The slots that change per tunnel step but not per cycle, once per batch, each step's parameters first; checked finite. */
function evaluateStepSlots(workspace: BatchWorkspace, program: BatchProgram, variables: Float64Array, laneCount: number): void {
	const stateTime = workspace.cm.slots.state_time;
	let step = -1;
	for (let j = 0; j < program.stepSlots.length; j++) {
		const slot = program.stepSlots[j];
		if (program.stepOfSlot[slot] !== step) {
			step = program.stepOfSlot[slot];
			variables[stateTime] = step;
			restoreStepParameters(program, variables, step);
		}
		keepStepColumn(program, slot, program.stepSlotEval[j](variables), laneCount);
		workspace.arena.checkFinite(program.slotTable[slot], workspace.badAt, laneCount);
	}
	variables[stateTime] = 1;
}

/**
 * The cycle slots the JavaScript side evaluates at cycle k, by tunnel step (each step's
 * parameters first), up to the last step in reach (cohort.ts, inReach: the slots are sorted by
 * step); the later steps' columns keep the zeros of emptyStepColumns.
 */
function evaluateCycleSlots(workspace: BatchWorkspace, program: BatchProgram, variables: Float64Array, forced: Uint8Array, laneCount: number, k: number): void {
	const stateTime = workspace.cm.slots.state_time;
	let step = 0;
	for (let j = 0; j < program.evaluatedSlots.length; j++) {
		const slot = program.evaluatedSlots[j];
		if (program.evaluatedSlotStep[j] !== step) {
			step = program.evaluatedSlotStep[j];
			if (!inReach(step, k)) break;
			variables[stateTime] = step;
			restoreStepParameters(program, variables, step);
			timeStepParameters(workspace, program, variables, forced, laneCount);
		}
		const column = program.evaluatedSlotEval[j](variables);
		if (step > 0) keepStepColumn(program, slot, column, laneCount);
		else {
			program.slotColumns[slot] = column;
			program.slotTable[slot] = column.byteOffset;
		}
	}
	variables[stateTime] = 1;
}

/**
 * The start of strategy strategyIndex, in the order of the JavaScript backend (cohort.ts setUp): the
 * parameters fixed for the batch, the constant slots, the starting shares, the per-step slots,
 * then the start values and the fixed costs.
 */
function startStrategy(workspace: BatchWorkspace, strategyIndex: number, values: Float64Array, laneCount: number, settings: Settings, forced: Uint8Array): void {
	const program = workspace.programs[strategyIndex];
	const strategyState = workspace.states[strategyIndex];
	const variables = strategyState.variables;
	startParameters(workspace, strategyIndex, values, laneCount, settings, forced);
	evaluateSlots(program.constantSlots, program.constSlotEval, program.slotColumns, program.slotTable, variables);
	for (let j = 0; j < program.constantSlots.length; j++) workspace.arena.checkFinite(program.slotTable[program.constantSlots[j]], workspace.badAt, laneCount);
	// a strategy sharing an earlier one's cohort (sameCohorts) has its start and rows, checked there
	const ownCohort = program.cohortSource < 0;
	if (ownCohort) startShares(workspace, program, strategyState, laneCount);
	evaluateStepSlots(workspace, program, variables, laneCount);
	emptyStepColumns(program, laneCount);
	// rows that do not change in the batch are checked once, before the first cycle, those of
	// tunnel steps in reach at some cycle of the horizon (wasm/batch.ts, startRows)
	if (ownCohort && settings.horizon > 0) workspace.arena.startRows(program.header, workspace.badAt, laneCount, PROBABILITY_TOLERANCE, settings.horizon);
	strategyState.work.fill(0, 0, 6 * LANE_COUNT);
	const { cost, costU, qaly, qalyU } = strategyState.lane;
	for (let category = 0; category < program.startCostEval.length; category++) {
		const column = program.startCostEval[category](variables);
		workspace.arena.checkFinite(column.byteOffset, workspace.badAt, laneCount);
		for (let b = 0; b < laneCount; b++) cost[b] += column[b];
	}
	const startUtility = program.startUtilityEval ? program.startUtilityEval(variables) : workspace.zeroColumn;
	workspace.arena.checkFinite(startUtility.byteOffset, workspace.badAt, laneCount);
	for (let b = 0; b < laneCount; b++) {
		costU[b] = cost[b];
		qaly[b] = startUtility[b];
		qalyU[b] = startUtility[b];
	}
	strategyState.cohortStartAt = strategyState.cohortA.byteOffset;
	strategyState.cohortEndAt = strategyState.cohortB.byteOffset;
	// costs that do not change with time, summed once per batch
	const arithmetic = workspace.arena.arithmetic;
	sumColumns(program.slotColumns, program.stateCostFixedStart, program.stateCostFixedSlots, strategyState.stateCostFixed, laneCount, arithmetic);
	sumColumns(program.slotColumns, program.transitionCostFixedStart, program.transitionCostFixedSlots, strategyState.transitionCostFixed, laneCount, arithmetic);
}

/** Strategy strategyIndex's parameters for the batch: the first lane's values (the same in every lane unless drawn), fixed numbers, then expressions. */
function startParameters(workspace: BatchWorkspace, strategyIndex: number, values: Float64Array, laneCount: number, settings: Settings, forced: Uint8Array): void {
	const program = workspace.programs[strategyIndex];
	const variables = workspace.states[strategyIndex].variables;
	const slots = workspace.cm.slots;
	for (let i = 0; i < workspace.cm.parameterIds.length; i++) {
		variables[i] = values[i * LANE_COUNT];
		program.paramColumns[i] = workspace.inputRows[i];
		program.parameterColumn[i] = workspace.inputRowAt[i];
	}
	for (let j = 0; j < program.fixedSlots.length; j++) variables[program.fixedSlots[j]] = program.fixedValues[j];
	variables[slots.cycle_length] = settings.cycleLength;
	variables[slots.model_time] = 1;
	variables[slots.age] = settings.startAge;
	variables[slots.state_time] = 1;
	const from = workspace.same[strategyIndex];
	for (let j = 0; j < program.constScalar.length; j++) {
		const i = program.constScalar[j];
		if (from[i] !== strategyIndex) takeParameter(workspace, strategyIndex, from[i], i);
		else scalarParameter(workspace, program, variables, i, program.constScalarEval[j], forced, laneCount);
	}
	for (let j = 0; j < program.hoisted.length; j++) variables[program.hoistedSlots[j]] = program.hoisted[j](variables);
	for (let j = 0; j < program.constColumn.length; j++) {
		const i = program.constColumn[j];
		if (from[i] !== strategyIndex) takeParameter(workspace, strategyIndex, from[i], i);
		else columnParameter(workspace, program, variables, i, program.constColumnEval[j], forced, laneCount);
	}
	// what they read is now set for the batch (held or forced parameters included): the step
	// parameters, slots and start values below read them
	fillHoistedColumns(program.hoistedColumns, variables, laneCount);
	cacheStepParameters(workspace, strategyIndex, variables, forced, laneCount);
	if (program.startReadsTime) {
		// start values are evaluated at cycle 1, state_time 1 (as cohort.ts setUp)
		for (let j = 0; j < program.timeOrder.length; j++) {
			const i = program.timeOrder[j];
			if (program.timeIsColumn[j]) columnParameter(workspace, program, variables, i, program.timeEval[j] as ColumnEvaluator, forced, laneCount);
			else scalarParameter(workspace, program, variables, i, program.timeEval[j] as Evaluator, forced, laneCount);
		}
		allStepParameters(workspace, program, variables, forced, laneCount);
	}
}

/** x_0: each state's starting share at its first tunnel step, lane by lane, each in [0, 1] and summing to 1 (else flagged). */
function startShares(workspace: BatchWorkspace, program: BatchProgram, strategyState: StrategyState, laneCount: number): void {
	const { cohortA, rowSum } = strategyState;
	const first = workspace.cm.expanded.first;
	cohortA.fill(0);
	rowSum.fill(0, 0, laneCount);
	for (let state = 0; state < program.startShareEval.length; state++) {
		const column = program.startShareEval[state](strategyState.variables);
		const base = first[state] * LANE_COUNT;
		for (let b = 0; b < laneCount; b++) {
			const share = column[b];
			if (!(share >= -PROBABILITY_TOLERANCE && share <= 1 + PROBABILITY_TOLERANCE)) workspace.bad[b] = 1;
			cohortA[base + b] = share;
			rowSum[b] += share;
		}
	}
	for (let b = 0; b < laneCount; b++) if (Math.abs(rowSum[b] - 1) > PROBABILITY_TOLERANCE) workspace.bad[b] = 1;
}

/** Step 1 of cycle k for strategy strategyIndex: model_time and age, the time-dependent parameters, the cycle slots. */
function evaluateCycleValues(workspace: BatchWorkspace, strategyIndex: number, k: number, settings: Settings, forced: Uint8Array, laneCount: number): void {
	const program = workspace.programs[strategyIndex];
	const variables = workspace.states[strategyIndex].variables;
	variables[workspace.cm.slots.model_time] = k;
	variables[workspace.cm.slots.age] = settings.startAge + (k - 1) * settings.cycleLength;
	for (let j = 0; j < program.timeOrder.length; j++) timeParameter(workspace, strategyIndex, j, forced, laneCount, program.timeRangeEntry[j]);
	evaluateCycleSlots(workspace, program, variables, forced, laneCount, k);
}

/**
 * Step 2 of cycle k for strategy strategyIndex, in the cycle kernel: the rows checked, the cohort
 * moved, the one-off values on the flows and the states' values with the cycle correction and
 * discounting (the weights of setCycleWeights in cohort.ts) added to the running totals.
 */
function stepCohort(workspace: BatchWorkspace, strategyIndex: number, k: number, timing: CycleTiming, cycleLength: number, laneCount: number): void {
	const strategyState = workspace.states[strategyIndex];
	const { alpha, beta, eventAlpha, eventBeta } = timing.weights;
	const costDiscount = timing.costDiscount;
	const outcomeDiscount = timing.outcomeDiscount;
	const record = strategyState.record;
	const program = workspace.programs[strategyIndex];
	record[RECORD.program] = program.header;
	record[RECORD.work] = strategyState.workAt;
	record[RECORD.bad] = workspace.badAt;
	const source = program.cohortSource < 0 ? null : workspace.states[program.cohortSource];
	// a shared cohort: the earlier strategy's, which has moved this cycle (its x_k is now its start)
	record[RECORD.cohortStart] = source ? source.cohortEndAt : strategyState.cohortStartAt;
	record[RECORD.cohortEnd] = source ? source.cohortStartAt : strategyState.cohortEndAt;
	record[RECORD.cohortSource] = source ? source.workAt : 0;
	record[RECORD.keepFlowValues] = program.keepsFlowValues ? 1 : 0;
	record[RECORD.lanes] = laneCount;
	record[RECORD.cycle] = k;
	record[RECORD.tolerance] = PROBABILITY_TOLERANCE;
	record[RECORD.eventCostWeight] = eventAlpha * costDiscount[k - 1] + eventBeta * costDiscount[k];
	record[RECORD.eventQalyWeight] = eventAlpha * outcomeDiscount[k - 1] + eventBeta * outcomeDiscount[k];
	record[RECORD.stateWeightStart] = alpha[k];
	record[RECORD.stateWeightEnd] = beta[k];
	record[RECORD.costWeightStart] = alpha[k] * costDiscount[k - 1];
	record[RECORD.costWeightEnd] = beta[k] * costDiscount[k];
	record[RECORD.qalyWeightStart] = alpha[k] * outcomeDiscount[k - 1];
	record[RECORD.qalyWeightEnd] = beta[k] * outcomeDiscount[k];
	record[RECORD.cycleLength] = cycleLength;
	workspace.arena.cycle(record.byteOffset);
	const moved = strategyState.cohortStartAt;
	strategyState.cohortStartAt = strategyState.cohortEndAt;
	strategyState.cohortEndAt = moved;
}

/** The six totals of every strategy and lane into `out` (TOTALS order); a total that is not finite flags its lane. */
function collectTotals(workspace: BatchWorkspace, laneCount: number, out: Float64Array): void {
	for (let strategyIndex = 0; strategyIndex < workspace.states.length; strategyIndex++) {
		const lane = workspace.states[strategyIndex].lane;
		for (let field = 0; field < TOTAL_FIELDS.length; field++) {
			const totals = lane[TOTAL_FIELDS[field]];
			const base = (strategyIndex * TOTALS.size + field) * LANE_COUNT;
			for (let b = 0; b < laneCount; b++) {
				const total = totals[b];
				if (!Number.isFinite(total)) workspace.bad[b] = 1;
				out[base + b] = total;
			}
		}
	}
}

/**
 * A per-cycle value the cycle kernel computes (`fused`) that an earlier strategy computes alike
 * (the same operation on parameters both define alike, built-ins or numbers) is not computed
 * again: the later strategy reads the earlier one's column, which holds this cycle's values
 * when its kernel runs (the driver takes each cycle of the strategies in order). And a fused
 * column is checked finite once per cycle, by the first strategy (and slot) reading it outside
 * rows: the lanes' flags are the batch's, so checking the same values again flags no other lane.
 */
function shareFused(programs: BatchProgram[], same: Int32Array[], parameterCount: number): void {
	const outputs = new Map<string, number>();
	// the fused columns some strategy already checks are finite each cycle, before the later ones read them
	const checked = new Set<number>();
	programs.forEach((program, strategyIndex) => {
		const kept: number[] = [];
		// the column each fused slot reads this cycle (its own, or an earlier one's)
		const columnOf = new Map<number, number>();
		// a number by its value, a parameter by its slot and the strategy that defines it first, another variable by its slot
		const operand = (kind: number, slotOrNumber: number) =>
			kind === Operand.Number ? `n${program.numbers[slotOrNumber]}` : slotOrNumber < parameterCount ? `p${slotOrNumber}:${same[strategyIndex][slotOrNumber]}` : `v${slotOrNumber}`;
		for (let j = 0; j < program.fused.length; j += 7) {
			const [slot, op, kindA, a, kindB, b, out] = program.fused.slice(j, j + 7);
			if (op === FUSED_ALIAS) {
				kept.push(slot, op, kindA, a, kindB, b, out);
				continue;
			}
			const key = `${op} ${kindA} ${operand(kindA, a)} ${kindB} ${operand(kindB, b)}`;
			const earlier = outputs.get(key);
			if (earlier === undefined) {
				outputs.set(key, out);
				kept.push(slot, op, kindA, a, kindB, b, out);
			} else program.slotTable[slot] = earlier;
			columnOf.set(slot, earlier ?? out);
		}
		program.fused = kept;
		program.finiteSlots = program.finiteSlots.filter((slot) => {
			const column = columnOf.get(slot);
			if (column === undefined) return true;
			if (checked.has(column)) return false;
			checked.add(column);
			return true;
		});
	});
}

/** Per state, the first state with the same per-cycle and fixed cost slots (itself if none before it): the kernel sums their costs once. */
function costGroups(program: BatchProgram): number[] {
	const first = new Map<string, number>();
	return Array.from({ length: program.stateCostStart.length - 1 }, (_, e) => {
		const varying = program.stateCostSlots.subarray(program.stateCostStart[e], program.stateCostStart[e + 1]).join(',');
		const fixed = program.stateCostFixedSlots.subarray(program.stateCostFixedStart[e], program.stateCostFixedStart[e + 1]).join(',');
		const key = `${varying}|${fixed}`;
		if (!first.has(key)) first.set(key, e);
		return first.get(key) as number;
	});
}

/** Evaluates slot columns and notes their addresses for the kernels. */
function evaluateSlots(list: Int32Array, evaluators: ColumnEvaluator[], columns: Float64Array[], table: Int32Array, variables: Float64Array): void {
	for (let j = 0; j < list.length; j++) {
		const column = evaluators[j](variables);
		const slot = list[j];
		columns[slot] = column;
		table[slot] = column.byteOffset;
	}
}

/** out[item][b] = sum of columns[list[j]][b] over j in [start[item], start[item + 1]), in list order. */
function sumColumns(columns: Float64Array[], start: Int32Array, list: Int32Array, out: Float64Array[], laneCount: number, arithmetic: ColumnArithmetic): void {
	for (let item = 0; item + 1 < start.length; item++) {
		const sum = out[item];
		sum.fill(0, 0, laneCount);
		for (let j = start[item]; j < start[item + 1]; j++) arithmetic.columnColumn(arithmetic.ops.add, sum.byteOffset, sum.byteOffset, columns[list[j]].byteOffset, laneCount);
	}
}

/**
 * Step one of compileBatchProgram: how each parameter varies in this strategy (with the draws, a
 * column; else per cycle or per run), the column context that compiles its expressions, and
 * compileParameter, which compiles parameter i and records whether it came out as a column.
 */
function parameterColumns(
	cm: CompiledModel,
	program: Program,
	isDrawn: Uint8Array,
	nextSlot: { value: number },
	lifeTables: ReturnType<typeof lifeTableLookup>,
	lanes: ReturnType<typeof createLanes>
) {
	const strategy = program.strategy;
	const parameterCount = cm.parameterIds.length;
	const plan = strategy.plan;
	const paramColumns: Float64Array[] = new Array(parameterCount);
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[], columns: { evaluators: [], columns: [] } as HoistedColumns };
	// a drawn parameter differs between lanes but not between cycles: a fixed column
	const variation = new Uint8Array(parameterCount);
	for (let i = 0; i < parameterCount; i++) variation[i] = isDrawn[i] && !plan.fixed.has(i) && !plan.evaluators[i] ? Variation.FixedColumn : Variation.Constant;
	const context = columnContext(
		cm,
		(name) => {
			const i = cm.parameterIndex.get(name);
			if (i !== undefined) return variation[i] as Variation;
			return name === 'cycle_length' ? Variation.Constant : Variation.Step;
		},
		paramColumns,
		{ lanes, lifeTables },
		nextSlot,
		hoisted
	);
	const compileParameter = (i: number, perCycle: boolean) => {
		const compiled = compileColumn(parameterSource(cm, strategy, i), context, `parameters.${cm.parameterIds[i]}`);
		// a constant parameter that is a column (it reads a drawn one) is fixed for the batch too
		variation[i] = compiled.isColumn ? (perCycle ? Variation.Column : Variation.FixedColumn) : perCycle ? Variation.Step : Variation.Constant;
		return compiled;
	};
	return { context, variation, paramColumns, hoisted, compileParameter };
}

/**
 * A strategy's program for the WebAssembly backend: parameters and values compiled to columns
 * over iterations (columns.ts, with the arena's arithmetic), the simplest per-cycle values left
 * to the kernel (fusedForm), and the arena arrays the kernels read.
 */
function compileBatchProgram(
	cm: CompiledModel,
	program: Program,
	isDrawn: Uint8Array,
	nextSlot: { value: number },
	lifeTables: ReturnType<typeof lifeTableLookup>,
	lanes: ReturnType<typeof createLanes>,
	zeroColumn: Float64Array,
	arena: Arena
): BatchProgram {
	const strategy = program.strategy;
	const parameterCount = cm.parameterIds.length;
	const plan = strategy.plan;
	const { sources, stepOfSlot } = program;
	const { context, variation, paramColumns, hoisted, compileParameter } = parameterColumns(cm, program, isDrawn, nextSlot, lifeTables, lanes);
	const constant = compileConstantParameters(plan, compileParameter);
	const timeCompiled = plan.timeOrder.map((i) => compileParameter(i, true));
	const stepCompiled = plan.stateTimeOrder.map((i) => compileParameter(i, true));
	const asColumn = (source: string | number, path: string) => compileColumn(source, context, path).column;
	const startEval = (compiledValue: CompiledValue) => asColumn(compiledValue.source, compiledValue.path);
	const slotEval = (slot: number) => startEval(sources[slot] as CompiledValue);
	const { fused, numbers, evaluated } = fusedSlots(cm, program, variation, arena);
	// slot 0 (no value) reads zeros; the others are set as they are evaluated
	const slotColumns: Float64Array[] = sources.map(() => zeroColumn);
	const slotTable = arena.ints(sources.map(() => zeroColumn.byteOffset));
	// everything is compiled before hoistedSlots is copied below: compiling registers hoisted parts
	const constSlotEval = Array.from(program.constantSlots, slotEval);
	const stepSlotEval = Array.from(program.stepSlots, slotEval);
	const evaluatedSlotEval = evaluated.map(slotEval);
	const startShareEval = strategy.start.map(startEval);
	const startCostEval = strategy.startValues.costs.filter((compiledValue): compiledValue is CompiledValue => compiledValue !== null).map(startEval);
	const startUtilityEval = strategy.startValues.utility ? startEval(strategy.startValues.utility) : null;
	const range = rangeChecks(cm, plan.timeOrder, timeCompiled, arena);
	return {
		...program,
		paramColumns,
		...constant,
		timeOrder: plan.timeOrder,
		timeEval: timeCompiled.map((compiled) => (compiled.isColumn ? compiled.column : compiled.scalar)),
		timeIsColumn: Uint8Array.from(timeCompiled.map((compiled) => (compiled.isColumn ? 1 : 0))),
		...range,
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		hoistedColumns: hoisted.columns,
		slotColumns,
		slotTable,
		header: 0,
		constSlotEval,
		stepSlotEval,
		evaluatedSlots: Int32Array.from(evaluated),
		evaluatedSlotEval,
		evaluatedSlotStep: Int32Array.from(evaluated, (slot) => ((sources[slot] as CompiledValue).dependence & Dependence.StateTime ? stepOfSlot[slot] : 0)),
		stepBuffers: sources.map((compiledValue) => (compiledValue !== null && (compiledValue.dependence & Dependence.StateTime) !== 0 ? arena.column() : zeroColumn)),
		...stepParameters(program, stepCompiled, arena, zeroColumn),
		startShareEval,
		startCostEval,
		startUtilityEval,
		parameterColumn: arena.ints(new Array(parameterCount).fill(-1)),
		fused,
		numbers,
		finiteSlots: Int32Array.from(program.cycleSlots).filter((slot) => program.readOutsideRows.has(slot)),
		cohortSource: -1,
		keepsFlowValues: false,
		rowShared: new Int32Array(0),
		keptComplement: new Int32Array(0)
	};
}

/** The per-step parameters' evaluators, and the buffers that keep those not reading time at every step read (cacheStepParameters). */
function stepParameters(program: Program, stepCompiled: ReturnType<typeof compileColumn>[], arena: Arena, zeroColumn: Float64Array) {
	const plan = program.strategy.plan;
	const steps = Array.from(program.steps);
	const stepOnly = plan.stateTimeOrder.flatMap((i, position) => (plan.dependence[i] === Dependence.StateTime ? [position] : []));
	return {
		stepParamIsColumn: Uint8Array.from(stepCompiled.map((compiled) => (compiled.isColumn ? 1 : 0))),
		stepParamEval: stepCompiled.map((compiled) => (compiled.isColumn ? compiled.column : compiled.scalar)),
		stepIndex: Int32Array.from({ length: Math.max(0, ...steps) + 1 }, (_, step) => steps.indexOf(step)),
		stepOnly: Int32Array.from(stepOnly),
		stepValues: new Float64Array(steps.length * stepOnly.length),
		stepColumns: steps.flatMap(() => stepOnly.map((position) => (stepCompiled[position].isColumn ? arena.column() : zeroColumn)))
	};
}

/** Constant expression parameters: column evaluators where they read a drawn parameter, else the plain closure (evaluated before the hoisted parts). */
function compileConstantParameters(plan: CompiledStrategy['plan'], compileParameter: (i: number, perCycle: boolean) => ReturnType<typeof compileColumn>) {
	const constScalar: number[] = [];
	const constScalarEval: Evaluator[] = [];
	const constColumn: number[] = [];
	const constColumnEval: ColumnEvaluator[] = [];
	for (const i of plan.constantOrder) {
		const compiled = compileParameter(i, false);
		if (compiled.isColumn) {
			constColumn.push(i);
			constColumnEval.push(compiled.column);
		} else {
			// the plain closure: a staged one may read hoisted parts, which are evaluated after these
			constScalar.push(i);
			constScalarEval.push(plan.evaluators[i] as Evaluator);
		}
	}
	return { constScalar, constScalarEval, constColumn, constColumnEval };
}

/** The cycle slots of the simplest forms, which the cycle kernel computes itself (fusedForm; not those reading state_time), and the others, in cycleSlots order. */
function fusedSlots(cm: CompiledModel, program: Program, variation: Uint8Array, arena: Arena): { fused: number[]; numbers: number[]; evaluated: number[] } {
	const fused: number[] = [];
	const numbers: number[] = [];
	const evaluated: number[] = [];
	const { add, subtract, multiply, divide } = arena.arithmetic.ops;
	const operators = { add, subtract, multiply, divide };
	for (const slot of program.cycleSlots) {
		const compiledValue = program.sources[slot] as CompiledValue;
		const readsStep = (compiledValue.dependence & Dependence.StateTime) !== 0;
		const form = typeof compiledValue.source === 'string' && !readsStep ? fusedForm(cm, compiledValue.source, compiledValue.path, variation, operators, numbers) : null;
		if (!form) evaluated.push(slot);
		else fused.push(slot, ...form, form[0] === FUSED_ALIAS ? -1 : arena.column().byteOffset);
	}
	return { fused, numbers, evaluated };
}

/** Per-cycle parameters evaluated as columns: the cycle kernel checks their ranges (entries from 1 of rangeColumns). */
function rangeChecks(cm: CompiledModel, timeOrder: number[], timeCompiled: ReturnType<typeof compileColumn>[], arena: Arena) {
	const { lower, upper } = kindBounds(cm.parameterIds, cm.model.parameters);
	const rangeParameters = timeOrder.filter((_, j) => timeCompiled[j].isColumn);
	const timeRangeEntry = new Int32Array(timeOrder.length);
	let entry = 0;
	timeCompiled.forEach((compiled, j) => (timeRangeEntry[j] = compiled.isColumn ? ++entry : 0));
	return {
		timeRangeEntry,
		rangeColumns: arena.ints([rangeParameters.length, ...rangeParameters.map(() => -1)]),
		rangeBounds: Float64Array.from(rangeParameters.flatMap((i) => [lower[i], upper[i]]))
	};
}

/**
 * The form of a per-cycle value the cycle kernel computes itself, as [op, kind of a, a, kind of b,
 * b] (wasm/batch.ts, fusedValues), or null: a parameter that is a column, used as it is, or
 * `a op b` with op one of + - * /, each operand a parameter, a built-in variable or a number, and
 * at least one a parameter that is a column. The kernel's arithmetic is the column arithmetic of
 * columns.ts (the same operation on each lane), so the values are the same.
 *
 * @example with pA a column, `fusedForm(cm, 'pA / 2', ...)` is [divide, Column, pA, Number, 0]
 * and pushes 2 to `numbers`; `pA * pB * 0.5` is null.
 */
export function fusedForm(cm: CompiledModel, source: string, path: string, variation: Uint8Array, operators: Record<string, number>, numbers: number[]): number[] | null {
	const strip = (node: MathNode): MathNode => (node.type === 'ParenthesisNode' ? strip((node as unknown as { content: MathNode }).content) : node);
	const node = strip(parseExpression(source, path).node);
	/** [kind, parameter or variable slot, or the number itself] */
	const operand = (operandNode: MathNode): [Operand, number] | null => {
		if (operandNode.type === 'ConstantNode') {
			const value = Number((operandNode as unknown as { value: unknown }).value);
			return Number.isNaN(value) ? null : [Operand.Number, value];
		}
		if (operandNode.type !== 'SymbolNode') return null;
		const name = (operandNode as unknown as { name: string }).name;
		const i = cm.parameterIndex.get(name);
		if (i !== undefined) return variation[i] === Variation.Column || variation[i] === Variation.FixedColumn ? [Operand.Column, i] : [Operand.Variable, i];
		return name === 'model_time' || name === 'age' || name === 'cycle_length' ? [Operand.Variable, cm.slots[name]] : null;
	};
	if (node.type === 'SymbolNode') {
		const a = operand(node);
		return a && a[0] === Operand.Column ? [FUSED_ALIAS, Operand.Column, a[1], Operand.Column, a[1]] : null;
	}
	const operator = node.type === 'OperatorNode' ? (node as unknown as { fn: string }).fn : '';
	const args = (node as unknown as { args?: MathNode[] }).args;
	if (!Object.hasOwn(operators, operator) || !args || args.length !== 2) return null;
	const a = operand(strip(args[0]));
	const b = operand(strip(args[1]));
	if (!a || !b || (a[0] !== Operand.Column && b[0] !== Operand.Column)) return null;
	// a number is referred to by its place in `numbers`, a parameter or variable by its slot
	const reference = ([kind, slotOrNumber]: [Operand, number]) => (kind === Operand.Number ? numbers.push(slotOrNumber) - 1 : slotOrNumber);
	return [operators[operator], a[0], reference(a), b[0], reference(b)];
}

/**
 * For each strategy s and parameter i, the first strategy (s itself if none before it) that
 * defines i exactly as s does: the same source (the model's expression or value, or the same
 * override), overridden or not alike, and the same for every parameter the source reads, at
 * every depth. Such strategies compute the same value, lane by lane, so the batch computes it
 * once.
 *
 * @example in ms.json every strategy takes q_background from no-dmt, the first strategy.
 */
export function sameDefinitions(cm: CompiledModel): Int32Array[] {
	const parameterCount = cm.parameterIds.length;
	const ids = new Map<string, number>();
	const first = new Map<number, number>();
	return cm.strategies.map((strategy, strategyIndex) => {
		const definition = new Int32Array(parameterCount).fill(-1);
		// an id per distinct definition of a parameter: its source and override status, and the ids of what it reads
		const idOf = (i: number): number => {
			if (definition[i] < 0) {
				const source = parameterSource(cm, strategy, i) ?? cm.model.parameters[cm.parameterIds[i]].value;
				const reads = parametersRead(cm, source, `parameters.${cm.parameterIds[i]}`);
				// the model has no circular definitions (compile checks), so this ends
				const key = JSON.stringify([i, strategy.plan.overridden.has(i), source, reads.map(idOf)]);
				if (!ids.has(key)) ids.set(key, ids.size);
				definition[i] = ids.get(key) as number;
			}
			return definition[i];
		};
		return Int32Array.from({ length: parameterCount }, (_, i) => {
			const id = idOf(i);
			if (!first.has(id)) first.set(id, strategyIndex);
			return first.get(id) as number;
		});
	});
}

/** The parameters (their indices) an expression reads; none for a number. */
function parametersRead(cm: CompiledModel, source: string | number, path: string): number[] {
	if (typeof source !== 'string') return [];
	return [...parseExpression(source, path).symbols].map((name) => cm.parameterIndex.get(name)).filter((read): read is number => read !== undefined);
}

/**
 * For each strategy, the first strategy (itself if none before it) whose cohort is defined
 * alike: the same rows (targets, complements, and entries of the same expression at the same
 * tunnel step reading parameters both define alike, sameDefinitions), the same starting shares
 * and the same transition values (costs in the same order, utility). Such strategies have the
 * same x_k, flags and flow values, lane by lane and to the last bit, so the batch moves the
 * cohort once (wasm/batch.ts, RECORD_COHORT_SOURCE).
 *
 * @example in models/sick-sicker-intro.json, strategy A (treatment A changes costs and utility,
 * not the rows) shares the cohort of standard of care, and AB that of B: [0, 0, 2, 2].
 */
export function sameCohorts(cm: CompiledModel, programs: Program[], same: Int32Array[]): Int32Array {
	const first = new Map<string, number>();
	return Int32Array.from(programs, (program, strategyIndex) => {
		const { valueKey, slotKey } = definitionKeys(cm, program, same[strategyIndex]);
		const slotKeys = (slots: Int32Array) => Array.from(slots, slotKey);
		const key = JSON.stringify([
			Array.from(program.rowStart),
			Array.from(program.entryTo),
			Array.from(program.complement),
			slotKeys(program.entrySlot),
			program.strategy.start.map((share) => valueKey(share, 1)),
			Array.from(program.transitionValueStart),
			Array.from(program.transitionValueList),
			Array.from(program.transitionCostStart),
			slotKeys(program.transitionCostSlots),
			Array.from(program.transitionCostFixedStart),
			slotKeys(program.transitionCostFixedSlots),
			slotKeys(program.transitionUtility)
		]);
		if (!first.has(key)) first.set(key, strategyIndex);
		return first.get(key) as number;
	});
}

/**
 * What a value computes, as a key equal for two strategies exactly where they compute it alike:
 * its expression, tunnel step and the definitions (sameDefinitions: `sameOfStrategy`) of the
 * parameters it reads; a slot's key (-1 for a complement, which reads no slot).
 */
function definitionKeys(cm: CompiledModel, program: Program, sameOfStrategy: Int32Array) {
	const valueKey = (value: CompiledValue | null, step: number) =>
		value === null ? null : [value.source, step, parametersRead(cm, value.source, value.path).map((i) => sameOfStrategy[i])];
	const slotKey = (slot: number) => (slot < 0 ? -1 : valueKey(program.sources[slot], program.stepOfSlot[slot]));
	return { valueKey, slotKey };
}

/**
 * For each strategy and row (expanded state), the first strategy (itself if none before it)
 * whose row is defined alike: the same targets, complement and entries (definitionKeys). Such
 * rows have the same entries, sum and complement each cycle, lane by lane, so the batch checks
 * and sums them once (wasm/batch.ts, ROW_SHARED); the earliest strategy holding a row never
 * shares another's cohort (sameCohorts: its cohort's source would hold the row before it).
 *
 * @example in ms.json the rows of the states after the first line of treatment (none_next to
 * dead) read no strategy's own parameters: every strategy's such row comes from no-dmt (0).
 */
export function sameRows(cm: CompiledModel, programs: Program[], same: Int32Array[]): Int32Array[] {
	const first = new Map<string, number>();
	return programs.map((program, strategyIndex) => {
		const { slotKey } = definitionKeys(cm, program, same[strategyIndex]);
		return Int32Array.from({ length: program.rowStart.length - 1 }, (_, e) => {
			const entries = [];
			for (let q = program.rowStart[e]; q < program.rowStart[e + 1]; q++) entries.push([program.entryTo[q], slotKey(program.entrySlot[q])]);
			const key = JSON.stringify([e, program.complement[e] - program.rowStart[e], entries]);
			if (!first.has(key)) first.set(key, strategyIndex);
			return first.get(key) as number;
		});
	});
}

/**
 * Each row's complement column and whether it is shared (`sources`, sameRows): a fixed row with
 * a complement gets a column of its own (startRows keeps it there), and so does a row with a
 * complement that a later strategy shares (the kernel writes it each cycle); a shared row reads
 * the earlier strategy's column and is neither checked nor summed again.
 */
function shareRows(programs: BatchProgram[], sources: Int32Array[], arena: Arena): void {
	const sharedLater = programs.map(() => new Set<number>());
	sources.forEach((rows, strategyIndex) => rows.forEach((source, e) => source !== strategyIndex && sharedLater[source].add(e)));
	programs.forEach((program, strategyIndex) => {
		const rows = sources[strategyIndex];
		program.rowShared = new Int32Array(rows.length);
		program.keptComplement = new Int32Array(rows.length);
		rows.forEach((source, e) => {
			const ownColumn = program.complement[e] >= 0 && (program.rowIsFixed[e] === 1 || sharedLater[strategyIndex].has(e));
			if (program.rowIsFixed[e] === 0 && source !== strategyIndex) {
				program.rowShared[e] = 1;
				program.keptComplement[e] = programs[source].keptComplement[e];
			} else if (ownColumn) program.keptComplement[e] = arena.column().byteOffset;
		});
	});
}

/**
 * Marks each strategy whose cohort an earlier one shares (`sources`, sameCohorts) and that
 * earlier one, and leaves out of the sharing strategy's per-cycle work what only its rows and
 * transition values read (the earlier strategy computes and checks them): it evaluates, fuses
 * and checks the slots of its states' costs and utilities only.
 */
function shareCohorts(programs: BatchProgram[], sources: Int32Array): void {
	programs.forEach((program, strategyIndex) => {
		const source = sources[strategyIndex];
		if (source === strategyIndex) return;
		program.cohortSource = source;
		programs[source].keepsFlowValues = true;
		const stateSlots = new Set([...program.stateCostSlots, ...program.stateCostFixedSlots, ...program.stateUtility]);
		const kept = Array.from(program.evaluatedSlots.keys()).filter((j) => stateSlots.has(program.evaluatedSlots[j]));
		program.evaluatedSlots = Int32Array.from(kept, (j) => program.evaluatedSlots[j]);
		program.evaluatedSlotEval = kept.map((j) => program.evaluatedSlotEval[j]);
		program.evaluatedSlotStep = Int32Array.from(kept, (j) => program.evaluatedSlotStep[j]);
		const fused: number[] = [];
		for (let j = 0; j < program.fused.length; j += 7) if (stateSlots.has(program.fused[j])) fused.push(...program.fused.slice(j, j + 7));
		program.fused = fused;
		program.finiteSlots = program.finiteSlots.filter((slot) => stateSlots.has(slot));
	});
}
