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
 */
import type { MathNode } from 'mathjs';
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator } from './columns';
import { columnContext, heldAtForcedValue, parameterSource } from './layout';
import { programOf, type Program } from './program';
import { cycleTiming, type CycleTiming } from './cycleCorrection';
import { parseExpression, type Evaluator } from '../model/expressions';
import { lifeTableLookup } from '../model/lifeTable';
import { PROBABILITY_TOLERANCE, TOTALS } from './cohort';
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
	 * Totals of `lanes` iterations. `values[i * BATCH + b]` is parameter i in iteration b (every
	 * parameter; expression parameters are recomputed unless forced). Writes
	 * out[(s * TOTALS.size + field) * BATCH + b] and sets bad[b] = 1 for iterations to rerun.
	 * With cycleCosts, the discounted (and undiscounted) cost of cycle k of lane b and strategy s
	 * goes to cycleCosts[((firstIteration + b) * strategies + s) * (horizon + 1) + k], the PSA's
	 * layout with lane b as iteration firstIteration + b.
	 */
	totals(
		values: Float64Array,
		lanes: number,
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
	 * (evaluated once per batch, or once per cycle, into vars)
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
}

/** each field's index in a cycle record (kernels.ts, CYCLE_RECORD_FIELDS) */
const RECORD = Object.fromEntries(CYCLE_RECORD_FIELDS.map((field, i) => [field, i])) as Record<keyof CycleRecord, number>;

/** the work area's row-sum column (wasm/batch.ts) */
const ROW_SUM = 14;

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
}

/** The WebAssembly backend's workspace: programs, per-strategy arrays and the batch's inputs and flags, all in one arena. */
interface BatchWorkspace {
	cm: CompiledModel;
	arena: Arena;
	lanes: ReturnType<typeof createLanes>;
	programs: BatchProgram[];
	states: StrategyState[];
	/** same[s][i]: the first strategy that defines parameter i as strategy s does (sameDefinitions) */
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
	const w = createWorkspace(cm, drawn, arena);
	return {
		totals(values, n, settings, forced, out, badOut, cycleCosts, cycleCostsUndiscounted, firstIteration = 0) {
			w.valueColumns.set(values.subarray(0, cm.parameterIds.length * LANE_COUNT));
			const timing = (w.timing = cycleTiming(settings, w.timing));
			w.lanes.n = n;
			w.bad.fill(0, 0, n);
			const record = (into: Float64Array | undefined, from: Float64Array, strategyIndex: number, k: number) => storeCycleCosts(w, into, from, strategyIndex, k, n, settings.horizon, firstIteration);
			for (let strategyIndex = 0; strategyIndex < w.programs.length; strategyIndex++) {
				startStrategy(w, strategyIndex, values, n, settings, forced);
				record(cycleCosts, w.states[strategyIndex].lane.cost, strategyIndex, 0);
				record(cycleCostsUndiscounted, w.states[strategyIndex].lane.cost, strategyIndex, 0);
			}
			for (let k = 1; k <= settings.horizon; k++)
				for (let strategyIndex = 0; strategyIndex < w.programs.length; strategyIndex++) {
					evaluateCycleValues(w, strategyIndex, k, settings, forced, n);
					stepCohort(w, strategyIndex, k, timing, settings.cycleLength, n);
					record(cycleCosts, w.states[strategyIndex].cycleCost, strategyIndex, k);
					record(cycleCostsUndiscounted, w.states[strategyIndex].cycleCostUndiscounted, strategyIndex, k);
				}
			collectTotals(w, n, out);
			badOut.set(w.bad.subarray(0, n));
		}
	};
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
	shareFused(programs, same, parameterCount);
	const alive = Float64Array.from({ length: cm.expanded.count }, (_, e) => (cm.dead[cm.expanded.stateOf[e]] ? 0 : 1));
	const states = programs.map((p) => strategyState(cm, arena, p, alive, nextSlot.value));
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
function strategyState(cm: CompiledModel, arena: Arena, p: BatchProgram, alive: Float64Array, variableCount: number): StrategyState {
	const expandedCount = cm.expanded.count;
	const maxTransitionValues = Math.max(1, ...cm.strategies.map((st) => st.transitionValues.length));
	const split = (all: Float64Array, count: number) => Array.from({ length: count }, (_, k) => all.subarray(k * LANE_COUNT, (k + 1) * LANE_COUNT));
	// in the arena, so the cycle kernel reads scalars from it (every slot is known once all are compiled)
	const variables = arena.doubles(new Float64Array(variableCount));
	const stateCostFixed = arena.columns(expandedCount);
	const transitionCostFixed = arena.columns(maxTransitionValues);
	p.header = arena.program({
		...p,
		states: expandedCount,
		alive,
		stateCostFixed,
		transitionCostFixed,
		variables,
		stateCostGroup: costGroups(p),
		transitionValueCount: p.strategy.transitionValues.length
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
		transitionCostFixed: split(transitionCostFixed, maxTransitionValues)
	};
}

/** A parameter with one value for the batch (or cycle): out of range flags every lane. */
function scalarParam(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, i: number, evaluate: Evaluator, forced: Uint8Array, n: number): void {
	if (heldAtForcedValue(p.strategy.plan, forced, i)) return;
	const v = evaluate(vars);
	vars[i] = v;
	if (!(v >= w.lowerBound[i] && v <= w.upperBound[i])) w.bad.fill(1, 0, n);
}

/** A parameter with a value per lane: range-checked now, or by the cycle kernel at its entry of rangeColumns. */
function columnParam(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, i: number, evaluate: ColumnEvaluator, forced: Uint8Array, n: number, rangeEntry = 0): void {
	if (heldAtForcedValue(p.strategy.plan, forced, i)) {
		p.paramColumns[i] = w.inputRows[i];
		p.parameterColumn[i] = w.inputRowAt[i];
		if (rangeEntry) p.rangeColumns[rangeEntry] = -1;
		return;
	}
	const col = evaluate(vars);
	const at = col.byteOffset;
	if (rangeEntry) p.rangeColumns[rangeEntry] = at;
	else w.arena.checkRange(at, w.lowerBound[i], w.upperBound[i], w.badAt, n);
	p.paramColumns[i] = col;
	p.parameterColumn[i] = at;
}

/**
 * Parameter i of strategy strategyIndex as strategy `from` (earlier) has it, already computed and checked:
 * its value and column (the kernel does not check the column again).
 */
function takeParameter(w: BatchWorkspace, strategyIndex: number, from: number, i: number, rangeEntry = 0): void {
	const p = w.programs[strategyIndex];
	const q = w.programs[from];
	w.states[strategyIndex].variables[i] = w.states[from].variables[i];
	p.paramColumns[i] = q.paramColumns[i];
	p.parameterColumn[i] = q.parameterColumn[i];
	if (rangeEntry) p.rangeColumns[rangeEntry] = -1;
}

/** Time-dependent parameter j of strategy strategyIndex (its position in timeOrder) for the current cycle. */
function timeParameter(w: BatchWorkspace, strategyIndex: number, j: number, forced: Uint8Array, n: number, rangeEntry: number): void {
	const p = w.programs[strategyIndex];
	const i = p.timeOrder[j];
	const from = w.same[strategyIndex][i];
	if (from !== strategyIndex) takeParameter(w, strategyIndex, from, i, rangeEntry);
	else if (p.timeIsColumn[j]) columnParam(w, p, w.states[strategyIndex].variables, i, p.timeEval[j] as ColumnEvaluator, forced, n, rangeEntry);
	else scalarParam(w, p, w.states[strategyIndex].variables, i, p.timeEval[j] as Evaluator, forced, n);
}

/**
 * Lane b's cost of strategy strategyIndex in cycle k (0: at the start) into `into`, at the PSA's place for
 * iteration firstIteration + b: ((firstIteration + b) * strategies + strategyIndex) * (horizon + 1) + k.
 */
function storeCycleCosts(w: BatchWorkspace, into: Float64Array | undefined, from: Float64Array, strategyIndex: number, k: number, n: number, horizon: number, firstIteration: number): void {
	if (!into) return;
	const laneStride = w.programs.length * (horizon + 1);
	const base = firstIteration * laneStride + strategyIndex * (horizon + 1) + k;
	for (let b = 0; b < n; b++) into[base + b * laneStride] = from[b];
}

/** Every parameter of tunnel steps, at the current cycle and state_time. */
function allStepParams(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, forced: Uint8Array, n: number): void {
	const order = p.strategy.plan.stateTimeOrder;
	for (let q = 0; q < order.length; q++) {
		const i = order[q];
		if (p.stepParamIsColumn[q]) columnParam(w, p, vars, i, p.stepParamEval[q] as ColumnEvaluator, forced, n);
		else scalarParam(w, p, vars, i, p.stepParamEval[q] as Evaluator, forced, n);
	}
}

/** The per-step parameters that do not change with time, at every step read, once per batch (checked then). */
function cacheStepParams(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, forced: Uint8Array, n: number): void {
	const order = p.strategy.plan.stateTimeOrder;
	const count = p.stepOnly.length;
	for (let m = 0; m < p.steps.length; m++) {
		vars[w.cm.slots.state_time] = p.steps[m];
		for (let j = 0; j < count; j++) {
			const q = p.stepOnly[j];
			const i = order[q];
			if (p.stepParamIsColumn[q]) {
				columnParam(w, p, vars, i, p.stepParamEval[q] as ColumnEvaluator, forced, n);
				p.stepColumns[m * count + j].set(p.paramColumns[i].subarray(0, n));
			} else scalarParam(w, p, vars, i, p.stepParamEval[q] as Evaluator, forced, n);
			p.stepValues[m * count + j] = vars[i];
		}
	}
	vars[w.cm.slots.state_time] = 1;
}

/** The per-step parameters that do not change with time, as at tunnel step `step` (cacheStepParams). */
function restoreStepParams(p: BatchProgram, vars: Float64Array, step: number): void {
	const order = p.strategy.plan.stateTimeOrder;
	const count = p.stepOnly.length;
	const m = p.stepIndex[step];
	for (let j = 0; j < count; j++) {
		const q = p.stepOnly[j];
		const i = order[q];
		vars[i] = p.stepValues[m * count + j];
		if (p.stepParamIsColumn[q]) {
			const col = p.stepColumns[m * count + j];
			p.paramColumns[i] = col;
			p.parameterColumn[i] = col.byteOffset;
		}
	}
}

/** The per-step parameters that also read time, at the current cycle and state_time. */
function timeStepParams(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, forced: Uint8Array, n: number): void {
	const plan = p.strategy.plan;
	const order = plan.stateTimeOrder;
	for (let q = 0; q < order.length; q++) {
		const i = order[q];
		if (plan.dependence[i] === Dependence.StateTime) continue;
		if (p.stepParamIsColumn[q]) columnParam(w, p, vars, i, p.stepParamEval[q] as ColumnEvaluator, forced, n);
		else scalarParam(w, p, vars, i, p.stepParamEval[q] as Evaluator, forced, n);
	}
}

/** A slot's column read at tunnel step m, copied into its own buffer (a parameter's column is overwritten at the next step). */
function keepStepColumn(p: BatchProgram, slot: number, col: Float64Array, n: number): void {
	const buffer = p.stepBuffers[slot];
	buffer.set(col.subarray(0, n));
	p.slotColumns[slot] = buffer;
	p.slotTable[slot] = buffer.byteOffset;
}

/** The slots that change per tunnel step but not per cycle, once per batch, each step's parameters first; checked finite. */
function evaluateStepSlots(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, n: number): void {
	const stateTime = w.cm.slots.state_time;
	let step = -1;
	for (let j = 0; j < p.stepSlots.length; j++) {
		const slot = p.stepSlots[j];
		if (p.stepOfSlot[slot] !== step) {
			step = p.stepOfSlot[slot];
			vars[stateTime] = step;
			restoreStepParams(p, vars, step);
		}
		keepStepColumn(p, slot, p.stepSlotEval[j](vars), n);
		w.arena.checkFinite(p.slotTable[slot], w.badAt, n);
	}
	vars[stateTime] = 1;
}

/** The cycle slots the JavaScript side evaluates, by tunnel step (each step's parameters first). */
function evaluateCycleSlots(w: BatchWorkspace, p: BatchProgram, vars: Float64Array, forced: Uint8Array, n: number): void {
	const stateTime = w.cm.slots.state_time;
	let step = 0;
	for (let j = 0; j < p.evaluatedSlots.length; j++) {
		const slot = p.evaluatedSlots[j];
		if (p.evaluatedSlotStep[j] !== step) {
			step = p.evaluatedSlotStep[j];
			vars[stateTime] = step;
			restoreStepParams(p, vars, step);
			timeStepParams(w, p, vars, forced, n);
		}
		const col = p.evaluatedSlotEval[j](vars);
		if (step > 0) keepStepColumn(p, slot, col, n);
		else {
			p.slotColumns[slot] = col;
			p.slotTable[slot] = col.byteOffset;
		}
	}
	vars[stateTime] = 1;
}

/**
 * The start of strategy strategyIndex, in the order of the JavaScript backend (cohort.ts setUp): the
 * parameters fixed for the batch, the constant slots, the starting shares, the per-step slots,
 * then the start values and the fixed costs.
 */
function startStrategy(w: BatchWorkspace, strategyIndex: number, values: Float64Array, n: number, settings: Settings, forced: Uint8Array): void {
	const p = w.programs[strategyIndex];
	const s = w.states[strategyIndex];
	const vars = s.variables;
	startParameters(w, strategyIndex, values, n, settings, forced);
	evalSlots(p.constantSlots, p.constSlotEval, p.slotColumns, p.slotTable, vars);
	for (let j = 0; j < p.constantSlots.length; j++) w.arena.checkFinite(p.slotTable[p.constantSlots[j]], w.badAt, n);
	startShares(w, p, s, n);
	evaluateStepSlots(w, p, vars, n);
	// rows that do not change in the batch are checked once, before the first cycle (wasm/batch.ts, startRows)
	if (settings.horizon > 0) w.arena.startRows(p.header, w.badAt, n, PROBABILITY_TOLERANCE);
	s.work.fill(0, 0, 6 * LANE_COUNT);
	const { cost, costU, qaly, qalyU } = s.lane;
	for (let c = 0; c < p.startCostEval.length; c++) {
		const col = p.startCostEval[c](vars);
		w.arena.checkFinite(col.byteOffset, w.badAt, n);
		for (let b = 0; b < n; b++) cost[b] += col[b];
	}
	const startUtility = p.startUtilityEval ? p.startUtilityEval(vars) : w.zeroColumn;
	w.arena.checkFinite(startUtility.byteOffset, w.badAt, n);
	for (let b = 0; b < n; b++) {
		costU[b] = cost[b];
		qaly[b] = startUtility[b];
		qalyU[b] = startUtility[b];
	}
	s.cohortStartAt = s.cohortA.byteOffset;
	s.cohortEndAt = s.cohortB.byteOffset;
	// costs that do not change with time, summed once per batch
	sumColumns(p.slotColumns, p.stateCostFixedStart, p.stateCostFixedSlots, s.stateCostFixed, n, w.arena.arithmetic);
	sumColumns(p.slotColumns, p.transitionCostFixedStart, p.transitionCostFixedSlots, s.transitionCostFixed, n, w.arena.arithmetic);
}

/** Strategy strategyIndex's parameters for the batch: the first lane's values (the same in every lane unless drawn), fixed numbers, then expressions. */
function startParameters(w: BatchWorkspace, strategyIndex: number, values: Float64Array, n: number, settings: Settings, forced: Uint8Array): void {
	const p = w.programs[strategyIndex];
	const vars = w.states[strategyIndex].variables;
	const slots = w.cm.slots;
	for (let i = 0; i < w.cm.parameterIds.length; i++) {
		vars[i] = values[i * LANE_COUNT];
		p.paramColumns[i] = w.inputRows[i];
		p.parameterColumn[i] = w.inputRowAt[i];
	}
	for (let j = 0; j < p.fixedSlots.length; j++) vars[p.fixedSlots[j]] = p.fixedValues[j];
	vars[slots.cycle_length] = settings.cycleLength;
	vars[slots.model_time] = 1;
	vars[slots.age] = settings.startAge;
	vars[slots.state_time] = 1;
	const from = w.same[strategyIndex];
	for (let j = 0; j < p.constScalar.length; j++) {
		const i = p.constScalar[j];
		if (from[i] !== strategyIndex) takeParameter(w, strategyIndex, from[i], i);
		else scalarParam(w, p, vars, i, p.constScalarEval[j], forced, n);
	}
	for (let j = 0; j < p.hoisted.length; j++) vars[p.hoistedSlots[j]] = p.hoisted[j](vars);
	for (let j = 0; j < p.constColumn.length; j++) {
		const i = p.constColumn[j];
		if (from[i] !== strategyIndex) takeParameter(w, strategyIndex, from[i], i);
		else columnParam(w, p, vars, i, p.constColumnEval[j], forced, n);
	}
	cacheStepParams(w, p, vars, forced, n);
	if (p.startReadsTime) {
		// start values are evaluated at cycle 1, state_time 1 (as cohort.ts setUp)
		for (let j = 0; j < p.timeOrder.length; j++) {
			const i = p.timeOrder[j];
			if (p.timeIsColumn[j]) columnParam(w, p, vars, i, p.timeEval[j] as ColumnEvaluator, forced, n);
			else scalarParam(w, p, vars, i, p.timeEval[j] as Evaluator, forced, n);
		}
		allStepParams(w, p, vars, forced, n);
	}
}

/** x_0: each state's starting share at its first tunnel step, lane by lane, each in [0, 1] and summing to 1 (else flagged). */
function startShares(w: BatchWorkspace, p: BatchProgram, s: StrategyState, n: number): void {
	const { cohortA, rowSum } = s;
	const first = w.cm.expanded.first;
	cohortA.fill(0);
	rowSum.fill(0, 0, n);
	for (let state = 0; state < p.startShareEval.length; state++) {
		const col = p.startShareEval[state](s.variables);
		const base = first[state] * LANE_COUNT;
		for (let b = 0; b < n; b++) {
			const v = col[b];
			if (!(v >= -PROBABILITY_TOLERANCE && v <= 1 + PROBABILITY_TOLERANCE)) w.bad[b] = 1;
			cohortA[base + b] = v;
			rowSum[b] += v;
		}
	}
	for (let b = 0; b < n; b++) if (Math.abs(rowSum[b] - 1) > PROBABILITY_TOLERANCE) w.bad[b] = 1;
}

/** Step 1 of cycle k for strategy strategyIndex: model_time and age, the time-dependent parameters, the cycle slots. */
function evaluateCycleValues(w: BatchWorkspace, strategyIndex: number, k: number, settings: Settings, forced: Uint8Array, n: number): void {
	const p = w.programs[strategyIndex];
	const vars = w.states[strategyIndex].variables;
	vars[w.cm.slots.model_time] = k;
	vars[w.cm.slots.age] = settings.startAge + (k - 1) * settings.cycleLength;
	for (let j = 0; j < p.timeOrder.length; j++) timeParameter(w, strategyIndex, j, forced, n, p.timeRangeEntry[j]);
	evaluateCycleSlots(w, p, vars, forced, n);
}

/**
 * Steps 2 and 3 of cycle k for strategy strategyIndex, in the cycle kernel: the rows checked, the cohort
 * moved, the one-off values on the flows and the states' values with the cycle correction and
 * discounting (the weights of setCycleWeights in cohort.ts) added to the running totals.
 */
function stepCohort(w: BatchWorkspace, strategyIndex: number, k: number, timing: CycleTiming, cycleLength: number, n: number): void {
	const s = w.states[strategyIndex];
	const { alpha, beta, eventAlpha, eventBeta } = timing.weights;
	const costDiscount = timing.costDiscount;
	const outcomeDiscount = timing.outcomeDiscount;
	const record = s.record;
	record[RECORD.program] = w.programs[strategyIndex].header;
	record[RECORD.work] = s.workAt;
	record[RECORD.bad] = w.badAt;
	record[RECORD.cohortStart] = s.cohortStartAt;
	record[RECORD.cohortEnd] = s.cohortEndAt;
	record[RECORD.lanes] = n;
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
	w.arena.cycle(record.byteOffset);
	const moved = s.cohortStartAt;
	s.cohortStartAt = s.cohortEndAt;
	s.cohortEndAt = moved;
}

/** The six totals of every strategy and lane into `out` (TOTALS order); a total that is not finite flags its lane. */
function collectTotals(w: BatchWorkspace, n: number, out: Float64Array): void {
	for (let strategyIndex = 0; strategyIndex < w.states.length; strategyIndex++) {
		const lane = w.states[strategyIndex].lane;
		for (let f = 0; f < TOTAL_FIELDS.length; f++) {
			const totals = lane[TOTAL_FIELDS[f]];
			const base = (strategyIndex * TOTALS.size + f) * LANE_COUNT;
			for (let b = 0; b < n; b++) {
				const v = totals[b];
				if (!Number.isFinite(v)) w.bad[b] = 1;
				out[base + b] = v;
			}
		}
	}
}

/**
 * A per-cycle value the cycle kernel computes (`fused`) that an earlier strategy computes alike
 * (the same operation on parameters both define alike, built-ins or numbers) is not computed
 * again: the later strategy reads the earlier one's column, which holds this cycle's values
 * when its kernel runs (the strategies take each cycle in order).
 */
function shareFused(programs: BatchProgram[], same: Int32Array[], P: number): void {
	const outputs = new Map<string, number>();
	programs.forEach((p, strategyIndex) => {
		const kept: number[] = [];
		const operand = (kind: number, x: number) => (kind === Operand.Number ? `n${p.numbers[x]}` : x < P ? `p${x}:${same[strategyIndex][x]}` : `v${x}`);
		for (let j = 0; j < p.fused.length; j += 7) {
			const [slot, op, kindA, a, kindB, b, out] = p.fused.slice(j, j + 7);
			if (op === FUSED_ALIAS) {
				kept.push(slot, op, kindA, a, kindB, b, out);
				continue;
			}
			const key = `${op} ${kindA} ${operand(kindA, a)} ${kindB} ${operand(kindB, b)}`;
			const earlier = outputs.get(key);
			if (earlier === undefined) {
				outputs.set(key, out);
				kept.push(slot, op, kindA, a, kindB, b, out);
			} else p.slotTable[slot] = earlier;
		}
		p.fused = kept;
	});
}

/** Per state, the first state with the same per-cycle and fixed cost slots (itself if none before it): the kernel sums their costs once. */
function costGroups(p: BatchProgram): number[] {
	const first = new Map<string, number>();
	return Array.from({ length: p.stateCostStart.length - 1 }, (_, e) => {
		const key = `${p.stateCostSlots.subarray(p.stateCostStart[e], p.stateCostStart[e + 1]).join(',')}|${p.stateCostFixedSlots.subarray(p.stateCostFixedStart[e], p.stateCostFixedStart[e + 1]).join(',')}`;
		if (!first.has(key)) first.set(key, e);
		return first.get(key) as number;
	});
}

/** Evaluates slot columns and notes their addresses for the kernels. */
function evalSlots(list: Int32Array, evaluators: ColumnEvaluator[], columns: Float64Array[], table: Int32Array, vars: Float64Array): void {
	for (let j = 0; j < list.length; j++) {
		const col = evaluators[j](vars);
		const slot = list[j];
		columns[slot] = col;
		table[slot] = col.byteOffset;
	}
}

/** out[i][b] = sum of columns[list[j]][b] over j in [start[i], start[i + 1]), in list order. */
function sumColumns(columns: Float64Array[], start: Int32Array, list: Int32Array, out: Float64Array[], n: number, k: ColumnArithmetic): void {
	for (let i = 0; i + 1 < start.length; i++) {
		const o = out[i];
		o.fill(0, 0, n);
		for (let j = start[i]; j < start[i + 1]; j++) k.columnColumn(k.ops.add, o.byteOffset, o.byteOffset, columns[list[j]].byteOffset, n);
	}
}


/**
 * Step one of compileBatchProgram: how each parameter varies in this strategy (with the draws, a
 * column; else per cycle or per run), the column context that compiles its expressions, and
 * compileParam, which compiles parameter i and records whether it came out as a column.
 */
function parameterColumns(
	cm: CompiledModel,
	program: Program,
	isDrawn: Uint8Array,
	nextSlot: { value: number },
	lifeTables: ReturnType<typeof lifeTableLookup>,
	lanes: ReturnType<typeof createLanes>
) {
	const st = program.strategy;
	const P = cm.parameterIds.length;
	const plan = st.plan;
	const paramColumns: Float64Array[] = new Array(P);
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[] };
	const variation = new Uint8Array(P);
	for (let i = 0; i < P; i++) variation[i] = isDrawn[i] && !plan.fixed.has(i) && !plan.evaluators[i] ? Variation.Column : Variation.Constant;
	const ctx = columnContext(
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
	const compileParam = (i: number, perCycle: boolean) => {
		const c = compileColumn(parameterSource(cm, st, i), ctx, `parameters.${cm.parameterIds[i]}`);
		variation[i] = c.isColumn ? Variation.Column : perCycle ? Variation.Step : Variation.Constant;
		return c;
	};
	return { ctx, variation, paramColumns, hoisted, compileParam };
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
	const st = program.strategy;
	const P = cm.parameterIds.length;
	const plan = st.plan;
	const { sources, stepOfSlot } = program;
	const { ctx, variation, paramColumns, hoisted, compileParam } = parameterColumns(cm, program, isDrawn, nextSlot, lifeTables, lanes);
	const constant = compileConstantParameters(plan, compileParam);
	const timeCompiled = plan.timeOrder.map((i) => compileParam(i, true));
	const stepCompiled = plan.stateTimeOrder.map((i) => compileParam(i, true));
	const asColumn = (source: string | number, path: string) => compileColumn(source, ctx, path).column;
	const slotEval = (slot: number) => {
		const cv = sources[slot] as CompiledValue;
		return asColumn(cv.source, cv.path);
	};
	const { fused, numbers, evaluated } = fusedSlots(cm, program, variation, arena);
	// slot 0 (no value) reads zeros; the others are set as they are evaluated
	const slotColumns: Float64Array[] = sources.map(() => zeroColumn);
	const slotTable = arena.ints(sources.map(() => zeroColumn.byteOffset));
	// everything is compiled before hoistedSlots is copied below: compiling registers hoisted parts
	const constSlotEval = Array.from(program.constantSlots, slotEval);
	const stepSlotEval = Array.from(program.stepSlots, slotEval);
	const evaluatedSlotEval = evaluated.map(slotEval);
	const startEval = (cv: CompiledValue) => asColumn(cv.source, cv.path);
	const startShareEval = st.start.map(startEval);
	const startCostEval = st.startValues.costs.filter((cv): cv is CompiledValue => cv !== null).map(startEval);
	const startUtilityEval = st.startValues.utility ? startEval(st.startValues.utility) : null;
	const range = rangeChecks(cm, plan.timeOrder, timeCompiled, arena);
	return {
		...program,
		paramColumns,
		...constant,
		timeOrder: plan.timeOrder,
		timeEval: timeCompiled.map((c) => (c.isColumn ? c.column : c.scalar)),
		timeIsColumn: Uint8Array.from(timeCompiled.map((c) => (c.isColumn ? 1 : 0))),
		...range,
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		slotColumns,
		slotTable,
		header: 0,
		constSlotEval,
		stepSlotEval,
		evaluatedSlots: Int32Array.from(evaluated),
		evaluatedSlotEval,
		evaluatedSlotStep: Int32Array.from(evaluated, (slot) => ((sources[slot] as CompiledValue).dependence & Dependence.StateTime ? stepOfSlot[slot] : 0)),
		stepBuffers: sources.map((cv) => (cv !== null && (cv.dependence & Dependence.StateTime) !== 0 ? arena.column() : zeroColumn)),
		...stepParameters(program, stepCompiled, arena, zeroColumn),
		startShareEval,
		startCostEval,
		startUtilityEval,
		parameterColumn: arena.ints(new Array(P).fill(-1)),
		fused,
		numbers,
		finiteSlots: Int32Array.from(program.cycleSlots).filter((slot) => program.readOutsideRows.has(slot))
	};
}

/** The per-step parameters' evaluators, and the buffers that keep those not reading time at every step read (cacheStepParams). */
function stepParameters(program: Program, stepCompiled: ReturnType<typeof compileColumn>[], arena: Arena, zeroColumn: Float64Array) {
	const plan = program.strategy.plan;
	const steps = Array.from(program.steps);
	const stepOnly = plan.stateTimeOrder.flatMap((i, q) => (plan.dependence[i] === Dependence.StateTime ? [q] : []));
	return {
		stepParamIsColumn: Uint8Array.from(stepCompiled.map((c) => (c.isColumn ? 1 : 0))),
		stepParamEval: stepCompiled.map((c) => (c.isColumn ? c.column : c.scalar)),
		stepIndex: Int32Array.from({ length: Math.max(0, ...steps) + 1 }, (_, m) => steps.indexOf(m)),
		stepOnly: Int32Array.from(stepOnly),
		stepValues: new Float64Array(steps.length * stepOnly.length),
		stepColumns: steps.flatMap(() => stepOnly.map((q) => (stepCompiled[q].isColumn ? arena.column() : zeroColumn)))
	};
}

/** Constant expression parameters: column evaluators where they read a drawn parameter, else the plain closure (evaluated before the hoisted parts). */
function compileConstantParameters(plan: CompiledStrategy['plan'], compileParam: (i: number, perCycle: boolean) => ReturnType<typeof compileColumn>) {
	const constScalar: number[] = [];
	const constScalarEval: Evaluator[] = [];
	const constColumn: number[] = [];
	const constColumnEval: ColumnEvaluator[] = [];
	for (const i of plan.constantOrder) {
		const c = compileParam(i, false);
		if (c.isColumn) {
			constColumn.push(i);
			constColumnEval.push(c.column);
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
		const cv = program.sources[slot] as CompiledValue;
		const readsStep = (cv.dependence & Dependence.StateTime) !== 0;
		const f = typeof cv.source === 'string' && !readsStep ? fusedForm(cm, cv.source, cv.path, variation, operators, numbers) : null;
		if (!f) evaluated.push(slot);
		else fused.push(slot, ...f, f[0] === FUSED_ALIAS ? -1 : arena.column().byteOffset);
	}
	return { fused, numbers, evaluated };
}

/** Per-cycle parameters evaluated as columns: the cycle kernel checks their ranges (entries from 1 of rangeColumns). */
function rangeChecks(cm: CompiledModel, timeOrder: number[], timeCompiled: ReturnType<typeof compileColumn>[], arena: Arena) {
	const { lower, upper } = kindBounds(cm.parameterIds, cm.model.parameters);
	const rangeParams = timeOrder.filter((_, j) => timeCompiled[j].isColumn);
	const timeRangeEntry = new Int32Array(timeOrder.length);
	let entry = 0;
	timeCompiled.forEach((c, j) => (timeRangeEntry[j] = c.isColumn ? ++entry : 0));
	return {
		timeRangeEntry,
		rangeColumns: arena.ints([rangeParams.length, ...rangeParams.map(() => -1)]),
		rangeBounds: Float64Array.from(rangeParams.flatMap((i) => [lower[i], upper[i]]))
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
export function fusedForm(cm: CompiledModel, source: string, path: string, variation: Uint8Array, ops: Record<string, number>, numbers: number[]): number[] | null {
	const strip = (node: MathNode): MathNode => (node.type === 'ParenthesisNode' ? strip((node as unknown as { content: MathNode }).content) : node);
	const node = strip(parseExpression(source, path).node);
	/** [kind, parameter or variable slot, or the number itself] */
	const operand = (n: MathNode): [Operand, number] | null => {
		if (n.type === 'ConstantNode') {
			const value = Number((n as unknown as { value: unknown }).value);
			return Number.isNaN(value) ? null : [Operand.Number, value];
		}
		if (n.type !== 'SymbolNode') return null;
		const name = (n as unknown as { name: string }).name;
		const i = cm.parameterIndex.get(name);
		if (i !== undefined) return variation[i] === Variation.Column ? [Operand.Column, i] : [Operand.Variable, i];
		return name === 'model_time' || name === 'age' || name === 'cycle_length' ? [Operand.Variable, cm.slots[name]] : null;
	};
	if (node.type === 'SymbolNode') {
		const a = operand(node);
		return a && a[0] === Operand.Column ? [FUSED_ALIAS, Operand.Column, a[1], Operand.Column, a[1]] : null;
	}
	const fn = node.type === 'OperatorNode' ? (node as unknown as { fn: string }).fn : '';
	const args = (node as unknown as { args?: MathNode[] }).args;
	if (!Object.hasOwn(ops, fn) || !args || args.length !== 2) return null;
	const a = operand(strip(args[0]));
	const b = operand(strip(args[1]));
	if (!a || !b || (a[0] !== Operand.Column && b[0] !== Operand.Column)) return null;
	const ref = ([kind, x]: [Operand, number]) => (kind === Operand.Number ? numbers.push(x) - 1 : x);
	return [ops[fn], a[0], ref(a), b[0], ref(b)];
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
	const P = cm.parameterIds.length;
	const ids = new Map<string, number>();
	const first = new Map<number, number>();
	return cm.strategies.map((st, s) => {
		const definition = new Int32Array(P).fill(-1);
		// an id per distinct definition of a parameter: its source and override status, and the ids of what it reads
		const idOf = (i: number): number => {
			if (definition[i] < 0) {
				const source = parameterSource(cm, st, i) ?? cm.model.parameters[cm.parameterIds[i]].value;
				const reads =
					typeof source === 'string'
						? [...parseExpression(source, `parameters.${cm.parameterIds[i]}`).symbols].map((name) => cm.parameterIndex.get(name)).filter((j): j is number => j !== undefined)
						: [];
				// the model has no circular definitions (compile checks), so this ends
				const key = JSON.stringify([i, st.plan.overridden.has(i), source, reads.map(idOf)]);
				if (!ids.has(key)) ids.set(key, ids.size);
				definition[i] = ids.get(key) as number;
			}
			return definition[i];
		};
		return Int32Array.from({ length: P }, (_, i) => {
			const id = idOf(i);
			if (!first.has(id)) first.set(id, s);
			return first.get(id) as number;
		});
	});
}
