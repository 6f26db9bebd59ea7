/**
 * A strategy laid out for the cohort program (program.ts): every distinct transition, cost,
 * utility and outcome expression gets a slot (one per tunnel step when it reads state_time),
 * rows become flat arrays of (target, slot), and each entry lists the transition values its
 * flow carries. Also the column-compilation context both loops share.
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from '../model/compile';
import type { ColumnContext, Lanes, Variation, ColumnEvaluator } from './columns';
import type { Evaluator, LifeTableColumns } from '../model/expressions';
import type { Expression } from '../model/schema';
import { own } from '../records';

export interface Layout {
	/** the compiled value behind each slot (slot 0: none, always 0), what it is, and its tunnel step */
	sources: (CompiledValue | null)[];
	what: string[];
	stepOf: number[];
	/** rows, flattened: entries [rowStart[e], rowStart[e + 1]) with target and slot (-1: the complement) */
	rowStart: Int32Array;
	entryTo: Int32Array;
	entrySlot: Int32Array;
	/** index of the complement entry of each row, or -1 */
	complement: Int32Array;
	/** transition values hit by each entry: tvList[tvStart[q] .. tvStart[q + 1]) */
	tvStart: Int32Array;
	tvList: Int32Array;
	/** per expanded state and per transition value: its cost slots (nonzero categories) and utility slot */
	stateCosts: number[][];
	stateUtility: Int32Array;
	tvCosts: number[][];
	tvUtility: Int32Array;
	/** full results only (else empty): per category [e * C + c] and outcome [e * O + o], also per transition value */
	stateCost: Int32Array;
	stateOutcome: Int32Array;
	tvCost: Int32Array;
	tvOutcome: Int32Array;
}

/**
 * Lays strategy `st` out: a slot per distinct expression and tunnel step (an expression that
 * reads state_time gets one slot per step, keyed by its source text without spaces), rows as
 * (target, slot) entries of expanded states with the complement's index, and the transition
 * values each entry's flow carries (flows between different states whose `from` matches). With
 * `full`, also each category's cost slot and each outcome's slot per state and transition value.
 *
 * @example in a three-state model whose rows are `{ well: { sick: 'p', well: 'C' } }` and so on,
 * `layoutStrategy(cm, st, false).entrySlot` holds p's slot and -1 (the complement) for well's row.
 */
export function layoutStrategy(cm: CompiledModel, st: CompiledStrategy, full: boolean): Layout {
	const E = cm.expanded.count;
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const { stateOf, stateTime } = cm.expanded;
	const { sources, what, stepOf, slotOf } = slotRegistry();
	const rows = layoutRows(cm, st, slotOf);

	const stateCosts: number[][] = [];
	const stateCost = new Int32Array(full ? E * C : 0);
	const stateUtility = new Int32Array(E);
	const stateOutcome = new Int32Array(full ? E * O : 0);
	for (let e = 0; e < E; e++) {
		const values = st.values[stateOf[e]];
		const list: number[] = [];
		for (let c = 0; c < C; c++) {
			const slot = slotOf(values.costs[c], stateTime[e], 'cost');
			if (slot !== 0) list.push(slot);
			if (full) stateCost[e * C + c] = slot;
		}
		stateCosts.push(list);
		stateUtility[e] = slotOf(values.utility, stateTime[e], 'utility');
		if (full) for (let o = 0; o < O; o++) stateOutcome[e * O + o] = slotOf(values.outcomes[o], stateTime[e], 'outcome');
	}
	const V = st.transitionValues.length;
	const tvCosts: number[][] = [];
	const tvCost = new Int32Array(full ? V * C : 0);
	const tvUtility = new Int32Array(V);
	const tvOutcome = new Int32Array(full ? V * O : 0);
	st.transitionValues.forEach((tv, v) => {
		const list: number[] = [];
		for (let c = 0; c < C; c++) {
			const slot = slotOf(tv.values.costs[c], 1, 'transition cost');
			if (slot !== 0) list.push(slot);
			if (full) tvCost[v * C + c] = slot;
		}
		tvCosts.push(list);
		tvUtility[v] = slotOf(tv.values.utility, 1, 'transition utility');
		if (full) for (let o = 0; o < O; o++) tvOutcome[v * O + o] = slotOf(tv.values.outcomes[o], 1, 'transition outcome');
	});

	return {
		sources,
		what,
		stepOf,
		...rows,
		stateCosts,
		stateUtility,
		tvCosts,
		tvUtility,
		stateCost,
		stateOutcome,
		tvCost,
		tvOutcome
	};
}

/** The slots of a layout: slotOf(value, tunnel step, what it is) gives a value's slot, one per distinct source and step (slot 0: none). */
function slotRegistry() {
	const sources: (CompiledValue | null)[] = [null];
	const what: string[] = [''];
	const stepOf: number[] = [1];
	const known = new Map<string, number>();
	const slotOf = (cv: CompiledValue | null, m: number, kind: string): number => {
		if (!cv) return 0;
		const step = (cv.dependence & Dependence.StateTime) !== 0 ? m : 1;
		const key = `${step}|${typeof cv.source === 'number' ? `#${cv.source}` : cv.source.replace(/\s+/g, '')}`;
		const had = known.get(key);
		if (had !== undefined) return had;
		sources.push(cv);
		what.push(kind);
		stepOf.push(step);
		known.set(key, sources.length - 1);
		return sources.length - 1;
	};
	return { sources, what, stepOf, slotOf };
}

/** The rows of expanded states as (target, slot) entries, their complements, and the transition values on each entry's flow. */
function layoutRows(cm: CompiledModel, st: CompiledStrategy, slotOf: (cv: CompiledValue | null, m: number, kind: string) => number) {
	const E = cm.expanded.count;
	const { stateOf, stateTime } = cm.expanded;
	const rowStart = new Int32Array(E + 1);
	const complement = new Int32Array(E).fill(-1);
	const entryTo: number[] = [];
	const entrySlot: number[] = [];
	const tvStart: number[] = [0];
	const tvList: number[] = [];
	for (let e = 0; e < E; e++) {
		rowStart[e] = entryTo.length;
		const from = stateOf[e];
		for (const entry of st.rows[e]) {
			if (entry.value === null) complement[e] = entryTo.length;
			entryTo.push(entry.to);
			entrySlot.push(entry.value === null ? -1 : slotOf(entry.value, stateTime[e], 'transition probability'));
			if (entry.toState !== from)
				st.transitionValues.forEach((tv, v) => {
					if (tv.to === entry.toState && tv.fromMask[from]) tvList.push(v);
				});
			tvStart.push(tvList.length);
		}
	}
	rowStart[E] = entryTo.length;
	return {
		rowStart,
		entryTo: Int32Array.from(entryTo),
		entrySlot: Int32Array.from(entrySlot),
		complement,
		tvStart: Int32Array.from(tvStart),
		tvList: Int32Array.from(tvList)
	};
}

/**
 * Lists as one array with starts: items of list i are items[start[i] .. start[i + 1]).
 *
 * @example `flatten([[3, 4], [], [5]])` gives start [0, 2, 2, 3] and items [3, 4, 5].
 */
export function flatten(lists: number[][]): { start: Int32Array; items: Int32Array } {
	const start = new Int32Array(lists.length + 1);
	lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
	return { start, items: Int32Array.from(lists.flat()) };
}

/**
 * Cost lists split into the slots that change per cycle (their value depends on time) and those
 * fixed for a run, each flattened; a state's cost in a cycle is then the sum of its fixed slots
 * (once per run) plus its varying ones, added in list order.
 *
 * @example a state costing `c_drug` (constant) and `c_care * age / 50` (per cycle) has one fixed
 * and one varying slot.
 */
export function splitCosts(layout: Layout, lists: number[][]): { varying: ReturnType<typeof flatten>; fixed: ReturnType<typeof flatten> } {
	const varies = (slot: number) => ((layout.sources[slot] as CompiledValue).dependence & Dependence.Time) !== 0;
	return { varying: flatten(lists.map((l) => l.filter(varies))), fixed: flatten(lists.map((l) => l.filter((slot) => !varies(slot)))) };
}

/**
 * Whether parameter i keeps the value the caller forced (a DSA or threshold search sets an
 * expression parameter to a number) rather than being computed: forced, and not overridden by
 * the strategy, whose own definition wins.
 *
 * @example with `forced[i] = 1` for pd_mild, every strategy that does not define pd_mild itself
 * uses the forced value.
 */
export function heldAtForcedValue(plan: { overridden: Set<number> }, forced: Uint8Array, i: number): boolean {
	return forced[i] === 1 && !plan.overridden.has(i);
}

/**
 * A parameter's expression in a strategy: the strategy's override, or the model's definition.
 *
 * @example `parameterSource(cm, st, cm.parameterIndex.get('hr_line1'))` is the strategy's own
 * expression where it overrides hr_line1.
 */
export function parameterSource(cm: CompiledModel, st: CompiledStrategy, i: number): Expression {
	const id = cm.parameterIds[i];
	return own(cm.model.strategies[st.index].parameters, id) ?? (cm.model.parameters[id].expression as string);
}

/**
 * The context for compiling a strategy's expressions to columns. A name of Column variation
 * reads `paramColumns[i]` as it is when the column is evaluated (the loop sets it), or the lanes'
 * model_time and age. Hoisted per-run parts are collected in `hoisted`, at new variable slots.
 *
 * @example the one-lane backend passes lanes over cycles (model_time and age per lane), the
 * batch lanes over iterations (model_time and age scalars in the variables).
 */
export function columnContext(
	cm: CompiledModel,
	variation: (name: string) => Variation,
	paramColumns: Float64Array[],
	how: { lanes: Lanes; lifeTables: LifeTableColumns },
	nextSlot: { value: number },
	hoisted: { evaluators: Evaluator[]; slots: number[]; columns?: HoistedColumns }
): ColumnContext {
	const { lanes } = how;
	const hoistedColumns = hoisted.columns;
	return {
		slotOf: (name) => cm.parameterIndex.get(name) ?? (name in cm.slots ? cm.slots[name as keyof typeof cm.slots] : undefined),
		variation,
		column: (name): ColumnEvaluator => {
			if (name === 'model_time') return () => lanes.modelTime;
			if (name === 'age') return () => lanes.age;
			const i = cm.parameterIndex.get(name) as number;
			return () => paramColumns[i];
		},
		lifeTables: how.lifeTables,
		lanes,
		hoist: (evaluate) => {
			hoisted.evaluators.push(evaluate);
			hoisted.slots.push(nextSlot.value);
			return nextSlot.value++;
		},
		hoistColumn: hoistedColumns
			? (evaluate) => {
					const column = lanes.alloc();
					hoistedColumns.evaluators.push(evaluate);
					hoistedColumns.columns.push(column);
					return () => column;
				}
			: undefined
	};
}

/**
 * Per-run column subexpressions (columns.ts, hoistColumn) and the column each is kept in: the
 * caller evaluates `evaluators[j]` into `columns[j]` once per run, after the fixed columns they
 * read are set (`fillHoistedColumns`).
 */
export interface HoistedColumns {
	evaluators: ColumnEvaluator[];
	columns: Float64Array[];
}

/**
 * Evaluates each hoisted column subexpression once, in the order they were registered, into its
 * own column (lanes 0 .. laneCount - 1): value_j[b] = subexpression_j(variables, fixed columns)[b].
 *
 * @example in the batch, `k1_mild * f1_none_mild` of `k1_mild * f1_none_mild * (1 - q_background)`
 * is computed here once per batch, then read by the per-cycle closure every cycle.
 */
export function fillHoistedColumns(hoisted: HoistedColumns, variables: Float64Array, laneCount: number): void {
	for (let j = 0; j < hoisted.evaluators.length; j++) hoisted.columns[j].set(hoisted.evaluators[j](variables).subarray(0, laneCount));
}
