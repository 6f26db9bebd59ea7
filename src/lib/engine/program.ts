/**
 * Lays a compiled strategy out as flat typed arrays for the cycle loop (stdlib's factory idea,
 * STYLE.md #6): every number the loop needs lives at a fixed slot of one Float64Array, and each
 * slot knows when it must be recomputed: once per run (constant), every cycle (time), every
 * cycle and tunnel step (state_time), or copied from a table shared by all strategies.
 *
 * Slot layout of `values`:
 *   [rows]      one slot per transition-row entry of every expanded state
 *   [costs]     expanded state x cost category
 *   [utility]   expanded state
 *   [outcomes]  expanded state x outcome
 *   [tv]        transition value x (categories, utility, outcomes)
 *   [start]     collapsed state starting shares, then start costs, utility, outcomes
 */
import { Dependence, type CompiledModel, type CompiledStateValues, type CompiledStrategy, type CompiledValue } from './compile';
import type { Evaluator } from './expressions';

export interface Program {
	strategy: CompiledStrategy;
	size: number;
	/** per slot: its expression (null: the slot stays 0 or is a complement) */
	sources: (CompiledValue | null)[];
	/** what a slot holds, for error messages */
	what: string[];
	rowStart: Int32Array; // E + 1
	entryTo: Int32Array;
	entryToState: Int32Array;
	/** index of the complement entry in each expanded row, or -1 */
	complement: Int32Array;
	costBase: number;
	utilityBase: number;
	outcomeBase: number;
	tvBase: number;
	/** stride of one transition value: categories + 1 + outcomes */
	tvStride: number;
	startBase: number;
	/** transition values applying to each entry: entryTv[entryTvStart[j] .. entryTvStart[j+1]) */
	entryTvStart: Int32Array;
	entryTv: Int32Array;
	constSlots: Int32Array;
	/** slots that depend on state_time but not on time: once per run, sorted by state_time */
	constStateTimeSlots: Int32Array;
	constStateTimeOf: Int32Array;
	timeSlots: Int32Array;
	sharedSlots: Int32Array;
	/** index into the shared table for each shared slot */
	sharedIndex: Int32Array;
	/** state_time slots, sorted by their state_time */
	stateTimeSlots: Int32Array;
	stateTimeOf: Int32Array;
	/** true when own time or state_time slots may read time-dependent parameters */
	needsTimeParameters: boolean;
}

export interface SharedTable {
	keys: string[];
	evaluators: Evaluator[];
	paths: string[];
}

export function buildPrograms(cm: CompiledModel): { programs: Program[]; shared: SharedTable } {
	const shared: SharedTable = { keys: [], evaluators: [], paths: [] };
	const sharedIndexOf = new Map<string, number>();
	const programs = cm.strategies.map((st) => buildProgram(cm, st, shared, sharedIndexOf));
	return { programs, shared };
}

function buildProgram(
	cm: CompiledModel,
	st: CompiledStrategy,
	shared: SharedTable,
	sharedIndexOf: Map<string, number>
): Program {
	const E = cm.expanded.count;
	const S = cm.stateIds.length;
	const C = cm.categoryIds.length;
	const O = cm.outcomeIds.length;
	const V = st.transitionValues.length;
	const { stateOf, stateTime } = cm.expanded;

	const rowStart = new Int32Array(E + 1);
	for (let e = 0; e < E; e++) rowStart[e + 1] = rowStart[e] + st.rows[e].length;
	const nEntries = rowStart[E];
	const costBase = nEntries;
	const utilityBase = costBase + E * C;
	const outcomeBase = utilityBase + E;
	const tvBase = outcomeBase + E * O;
	const tvStride = C + 1 + O;
	const startBase = tvBase + V * tvStride;
	const size = startBase + S + C + 1 + O;

	const sources: (CompiledValue | null)[] = new Array(size).fill(null);
	const what: string[] = new Array(size).fill('');
	const stateTimeAt = new Int32Array(size).fill(1);
	const entryTo = new Int32Array(nEntries);
	const entryToState = new Int32Array(nEntries);
	const complement = new Int32Array(E).fill(-1);
	const tvLists: number[][] = [];

	for (let e = 0; e < E; e++) {
		const from = stateOf[e];
		st.rows[e].forEach((entry, j) => {
			const slot = rowStart[e] + j;
			entryTo[slot] = entry.to;
			entryToState[slot] = entry.toState;
			if (entry.value === null) complement[e] = j;
			sources[slot] = entry.value;
			what[slot] = 'transition probability';
			stateTimeAt[slot] = stateTime[e];
			const hits: number[] = [];
			if (entry.toState !== from)
				st.transitionValues.forEach((tv, v) => {
					if (tv.to === entry.toState && tv.fromMask[from]) hits.push(v);
				});
			tvLists.push(hits);
		});
	}
	const place = (values: CompiledStateValues, costAt: (c: number) => number, utilityAt: number, outcomeAt: (o: number) => number, m: number) => {
		for (let c = 0; c < C; c++) {
			sources[costAt(c)] = values.costs[c];
			what[costAt(c)] = 'cost';
			stateTimeAt[costAt(c)] = m;
		}
		sources[utilityAt] = values.utility;
		what[utilityAt] = 'utility';
		stateTimeAt[utilityAt] = m;
		for (let o = 0; o < O; o++) {
			sources[outcomeAt(o)] = values.outcomes[o];
			what[outcomeAt(o)] = 'outcome';
			stateTimeAt[outcomeAt(o)] = m;
		}
	};
	for (let e = 0; e < E; e++)
		place(st.values[stateOf[e]], (c) => costBase + e * C + c, utilityBase + e, (o) => outcomeBase + e * O + o, stateTime[e]);
	st.transitionValues.forEach((tv, v) =>
		place(tv.values, (c) => tvBase + v * tvStride + c, tvBase + v * tvStride + C, (o) => tvBase + v * tvStride + C + 1 + o, 1)
	);
	for (let s = 0; s < S; s++) {
		sources[startBase + s] = st.start[s];
		what[startBase + s] = 'starting share';
	}
	place(st.startValues, (c) => startBase + S + c, startBase + S + C, (o) => startBase + S + C + 1 + o, 1);

	const constSlots: number[] = [];
	const timeSlots: number[] = [];
	const sharedSlots: number[] = [];
	const sharedIndex: number[] = [];
	const stSlots: number[] = [];
	const constStSlots: number[] = [];
	for (let slot = 0; slot < size; slot++) {
		const src = sources[slot];
		if (!src) continue;
		if (src.dependence === Dependence.Constant || slot >= startBase) constSlots.push(slot);
		else if (src.dependence === Dependence.StateTime) constStSlots.push(slot);
		else if (src.dependence === Dependence.Time) {
			if (src.sharedKey !== null) {
				let u = sharedIndexOf.get(src.sharedKey);
				if (u === undefined) {
					u = shared.keys.length;
					sharedIndexOf.set(src.sharedKey, u);
					shared.keys.push(src.sharedKey);
					shared.evaluators.push(src.evaluate);
					shared.paths.push(src.path);
				}
				sharedSlots.push(slot);
				sharedIndex.push(u);
			} else timeSlots.push(slot);
		} else stSlots.push(slot);
	}
	const byStateTime = (a: number, b: number) => stateTimeAt[a] - stateTimeAt[b] || a - b;
	stSlots.sort(byStateTime);
	constStSlots.sort(byStateTime);

	const entryTvStart = new Int32Array(nEntries + 1);
	tvLists.forEach((l, j) => (entryTvStart[j + 1] = entryTvStart[j] + l.length));
	const entryTv = Int32Array.from(tvLists.flat());

	return {
		strategy: st,
		size,
		sources,
		what,
		rowStart,
		entryTo,
		entryToState,
		complement,
		costBase,
		utilityBase,
		outcomeBase,
		tvBase,
		tvStride,
		startBase,
		entryTvStart,
		entryTv,
		constSlots: Int32Array.from(constSlots),
		constStateTimeSlots: Int32Array.from(constStSlots),
		constStateTimeOf: Int32Array.from(constStSlots.map((s) => stateTimeAt[s])),
		timeSlots: Int32Array.from(timeSlots),
		sharedSlots: Int32Array.from(sharedSlots),
		sharedIndex: Int32Array.from(sharedIndex),
		stateTimeSlots: Int32Array.from(stSlots),
		stateTimeOf: Int32Array.from(stSlots.map((s) => stateTimeAt[s])),
		needsTimeParameters: (timeSlots.length > 0 || stSlots.length > 0) && st.plan.timeOrder.length > 0
	};
}
