/**
 * The cohort program of a strategy: what both backends run (ARCHITECTURE.md, "Two backends, kept
 * equal"). The strategy is laid out once (layout.ts: every distinct transition, cost, utility and
 * outcome expression a slot, one per tunnel step when it reads state_time; rows as flat arrays),
 * and its slots are sorted by how often their values change:
 *  - constant slots (read parameters only): once per run;
 *  - step slots (read state_time, not time): once per run for each tunnel step, by step;
 *  - cycle slots (read model_time, age or a parameter that does): every cycle, those outside
 *    tunnels first, then by tunnel step, each step's parameters evaluated before its slots.
 * The JavaScript backend (cohort.ts) compiles the slots' expressions to columns over a block of
 * cycles, the WebAssembly backend (batch.ts) to columns over iterations; both evaluate them in
 * this order and step the cohort through the same rows and values.
 *
 * A program holds no buffers and no evaluators, so it is laid out once per compiled model and
 * strategy and shared: a PSA's batch and its one-by-one reruns use the same program.
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import { layoutStrategy, splitCosts } from './layout';

export interface Program {
	strategy: CompiledStrategy;
	/** laid out with each category's cost and the outcomes (run()'s full results) */
	full: boolean;
	/** the compiled value behind each slot (slot 0: none, always 0), what it is (for messages) and its tunnel step (1 outside tunnels) */
	sources: (CompiledValue | null)[];
	what: string[];
	stepOfSlot: Int32Array;
	constantSlots: Int32Array;
	/** slots that change per tunnel step but not per cycle, sorted by step */
	stepSlots: Int32Array;
	/** slots that change per cycle, sorted by cycleSlotStep: 0 (not reading state_time) first, then by step */
	cycleSlots: Int32Array;
	cycleSlotStep: Int32Array;
	/** the tunnel steps any step or cycle slot is read at, in increasing order */
	steps: Int32Array;
	/** rows, flattened: entries [rowStart[e], rowStart[e + 1]) of expanded state e, with target and slot (-1: the complement) */
	rowStart: Int32Array;
	entryTo: Int32Array;
	entrySlot: Int32Array;
	/** the complement entry of each row, or -1 */
	complement: Int32Array;
	/**
	 * the rows' checks sorted as the slots are (rowChecks): per row, 1 where every entry reads a
	 * slot fixed for the run (constant or per step), so its sum and complement are those of every
	 * cycle; the distinct fixed slots rows read; per row, 1 where it is the first row to read one
	 * of its per-cycle slots, the one that range-checks its entries each cycle
	 */
	rowIsFixed: Uint8Array;
	fixedRowSlots: Int32Array;
	/** per fixed row slot, the lowest tunnel step of a row reading it: startRows checks it where that step is in reach within the horizon */
	fixedRowSlotSteps: Int32Array;
	rowIsChecked: Uint8Array;
	transitionValueStart: Int32Array;
	transitionValueList: Int32Array;
	/**
	 * each state's and transition value's cost slots (nonzero categories), split into those
	 * that change per cycle and the fixed ones, summed once per run
	 */
	stateCostStart: Int32Array;
	stateCostSlots: Int32Array;
	stateCostFixedStart: Int32Array;
	stateCostFixedSlots: Int32Array;
	transitionCostStart: Int32Array;
	transitionCostSlots: Int32Array;
	transitionCostFixedStart: Int32Array;
	transitionCostFixedSlots: Int32Array;
	stateUtility: Int32Array;
	transitionUtility: Int32Array;
	/** full programs only: slots per category [e * C + c], per outcome [e * O + o], and the same per transition value */
	stateCostByCategory: Int32Array;
	stateOutcome: Int32Array;
	transitionCostByCategory: Int32Array;
	transitionOutcome: Int32Array;
	/** slots read outside transition rows (costs and utilities), which must be finite */
	readOutsideRows: Set<number>;
	/** start values read time or state_time: the cycle and step parameters are evaluated at cycle 1, state_time 1 first */
	startReadsTime: boolean;
	/** variable slots the strategy fixes to a number, and those numbers */
	fixedSlots: Int32Array;
	fixedValues: Float64Array;
}

const laidOut = new WeakMap<CompiledModel, (Program | undefined)[][]>();

/**
 * The program of strategy `index` of a compiled model, laid out on first use and kept with the
 * model (lean and `full` apart: a full program has more slots).
 *
 * @example `programOf(cm, 0, false).cycleSlots` lists the first strategy's per-cycle slots.
 */
export function programOf(cm: CompiledModel, index: number, full: boolean): Program {
	let byStrategy = laidOut.get(cm);
	if (!byStrategy) laidOut.set(cm, (byStrategy = cm.strategies.map(() => [undefined, undefined])));
	const kept = byStrategy[index];
	return (kept[full ? 1 : 0] ??= buildProgram(cm, cm.strategies[index], full));
}

/**
 * Lays a strategy out (layoutStrategy) and sorts its slots: constant, per tunnel step (by
 * step), per cycle (by step key: 0 for slots not reading state_time, else the step). programOf
 * keeps its result per compiled model, strategy and `full`.
 *
 * @example `buildProgram(cm, cm.strategies[0], false).constantSlots` lists the first strategy's
 * slots evaluated once per run, before its per-step and per-cycle ones.
 */
export function buildProgram(cm: CompiledModel, st: CompiledStrategy, full: boolean): Program {
	const layout = layoutStrategy(cm, st, full);
	const { sources, stepOf } = layout;
	const dependence = (slot: number) => (sources[slot] as CompiledValue).dependence;
	const stepKey = (slot: number) => ((dependence(slot) & Dependence.StateTime) !== 0 ? stepOf[slot] : 0);
	const constantSlots: number[] = [];
	const stepSlots: number[] = [];
	const cycleSlots: number[] = [];
	for (let slot = 1; slot < sources.length; slot++) {
		const d = dependence(slot);
		(d === Dependence.Constant ? constantSlots : d === Dependence.StateTime ? stepSlots : cycleSlots).push(slot);
	}
	stepSlots.sort((a, b) => stepOf[a] - stepOf[b] || a - b);
	cycleSlots.sort((a, b) => stepKey(a) - stepKey(b) || a - b);
	const steps = [...new Set([...stepSlots.map((slot) => stepOf[slot]), ...cycleSlots.map(stepKey).filter((m) => m > 0)])].sort((a, b) => a - b);
	const stateCosts = splitCosts(layout, layout.stateCosts);
	const transitionCosts = splitCosts(layout, layout.tvCosts);
	const startValues = [...st.start, ...st.startValues.costs, st.startValues.utility, ...st.startValues.outcomes];
	return {
		strategy: st,
		full,
		sources,
		what: layout.what,
		stepOfSlot: Int32Array.from(stepOf),
		constantSlots: Int32Array.from(constantSlots),
		stepSlots: Int32Array.from(stepSlots),
		cycleSlots: Int32Array.from(cycleSlots),
		cycleSlotStep: Int32Array.from(cycleSlots.map(stepKey)),
		steps: Int32Array.from(steps),
		rowStart: layout.rowStart,
		entryTo: layout.entryTo,
		entrySlot: layout.entrySlot,
		complement: layout.complement,
		...rowChecks(layout.rowStart, layout.entrySlot, new Set(cycleSlots), cm.expanded.stateTime),
		transitionValueStart: layout.tvStart,
		transitionValueList: layout.tvList,
		stateCostStart: stateCosts.varying.start,
		stateCostSlots: stateCosts.varying.items,
		stateCostFixedStart: stateCosts.fixed.start,
		stateCostFixedSlots: stateCosts.fixed.items,
		transitionCostStart: transitionCosts.varying.start,
		transitionCostSlots: transitionCosts.varying.items,
		transitionCostFixedStart: transitionCosts.fixed.start,
		transitionCostFixedSlots: transitionCosts.fixed.items,
		stateUtility: layout.stateUtility,
		transitionUtility: layout.tvUtility,
		stateCostByCategory: layout.stateCost,
		stateOutcome: layout.stateOutcome,
		transitionCostByCategory: layout.tvCost,
		transitionOutcome: layout.tvOutcome,
		readOutsideRows: new Set([...layout.stateCosts.flat(), ...layout.stateUtility, ...layout.tvCosts.flat(), ...layout.tvUtility]),
		startReadsTime: startValues.some((cv) => cv !== null && cv.dependence !== Dependence.Constant),
		fixedSlots: Int32Array.from(st.plan.fixed.keys()),
		fixedValues: Float64Array.from(st.plan.fixed.values())
	};
}

/**
 * Which checks of the rows change per cycle. A row whose entries all read slots fixed for the
 * run (constant or per tunnel step; slot 0 is always 0) has the same entries, sum and complement
 * C = 1 - sum in every cycle. An entry's check (in [-tolerance, 1 + tolerance]) depends on its
 * slot's value only, so each distinct slot read by rows needs it once: once per run for the
 * fixed slots, once per cycle for the others, by the first row (in row order) that reads it,
 * which checks all its entries in the one pass that sums them (checking a slot twice flags no
 * other lane). The complement (slot -1) reads no slot. A fixed slot is listed with the lowest
 * tunnel step of the rows reading it, as the rows of a step are checked only at the cycles where
 * the step is in reach (cohort.ts, inReach): the first reader of a per-cycle slot is always in
 * reach when a later one is (a tunnel's rows are one expression per state, so its step 1 reads
 * every per-cycle slot its later steps read, other than those reading state_time, which only
 * rows of the same step read).
 *
 * @example in models/sick-sicker-intro.json, whose probabilities read parameters only, every
 * `rowIsFixed[e]` is 1 and every `rowIsChecked[e]` 0; of two rows `{ "S": "C", "D": "pD * model_time" }`
 * and `{ "T": "C", "D": "pD * model_time" }` neither is fixed, and only the first is checked.
 */
export function rowChecks(
	rowStart: Int32Array,
	entrySlot: Int32Array,
	cycleSlots: Set<number>,
	stateTime: ArrayLike<number>
): { rowIsFixed: Uint8Array; fixedRowSlots: Int32Array; fixedRowSlotSteps: Int32Array; rowIsChecked: Uint8Array } {
	const rowIsFixed = new Uint8Array(rowStart.length - 1);
	const rowIsChecked = new Uint8Array(rowStart.length - 1);
	// each fixed slot rows read, with the lowest tunnel step of a row reading it
	const fixedRowSlots = new Map<number, number>();
	const checked = new Set<number>();
	for (let e = 0; e + 1 < rowStart.length; e++) {
		rowIsFixed[e] = 1;
		for (let q = rowStart[e]; q < rowStart[e + 1]; q++) {
			const slot = entrySlot[q];
			if (slot < 0) continue;
			if (!cycleSlots.has(slot)) fixedRowSlots.set(slot, Math.min(fixedRowSlots.get(slot) ?? Infinity, stateTime[e]));
			else {
				rowIsFixed[e] = 0;
				if (!checked.has(slot)) rowIsChecked[e] = 1;
				checked.add(slot);
			}
		}
	}
	const sorted = Int32Array.from(fixedRowSlots.keys()).sort();
	return { rowIsFixed, fixedRowSlots: sorted, fixedRowSlotSteps: Int32Array.from(sorted, (slot) => fixedRowSlots.get(slot) as number), rowIsChecked };
}
