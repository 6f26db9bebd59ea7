/**
 * The WebAssembly kernels of the batched PSA (source: wasm/batch.ts, AssemblyScript) and the
 * arena of columns they work on. An arena is one WebAssembly memory of fixed size: the batch lays
 * out its columns, programs and work area in it at set-up, as Float64Array views the JavaScript
 * side reads and writes, and hands the kernels their byte addresses. The memory never grows
 * (growing would detach the views), so a model too large for it gets `ArenaFull` at set-up and
 * the caller tries a larger arena.
 *
 * `loadKernels()` returns null where WebAssembly cannot run (an engine without it, or a page whose
 * content security policy forbids compiling it); the caller then uses the lean path.
 */
import { BATCH_KERNELS } from './batchKernels';

/** doubles per column, as LANES in wasm/batch.ts */
export const LANES = 128;
const COLUMN_BYTES = LANES * 8;
const PAGE = 65536;

interface Exports {
	cycle(record: number): void;
	startRows(program: number, bad: number, n: number, tolerance: number, horizon: number): void;
	columnColumn(op: number, out: number, x: number, y: number, n: number): void;
	columnScalar(op: number, out: number, x: number, y: number, n: number): void;
	scalarColumn(op: number, out: number, x: number, y: number, n: number): void;
	checkRange(p: number, lower: number, upper: number, bad: number, n: number): void;
	checkFinite(p: number, bad: number, n: number): void;
	uniforms(states: number, n: number, offset: number, out: number): void;
	normals(states: number, n: number, out: number): void;
	gammas(states: number, n: number, d: number, c: number, out: number): void;
	logarithm(x: number): number;
	WORK_COLUMNS: WebAssembly.Global;
	RECORD_FIELDS: WebAssembly.Global;
	ADD: WebAssembly.Global;
	SUBTRACT: WebAssembly.Global;
	MULTIPLY: WebAssembly.Global;
	DIVIDE: WebAssembly.Global;
	MINIMUM: WebAssembly.Global;
	MAXIMUM: WebAssembly.Global;
}

/** The fields of a program header, in the order of wasm/batch.ts. */
export interface ProgramArrays {
	states: number;
	rowStart: ArrayLike<number>;
	entryTo: ArrayLike<number>;
	entrySlot: ArrayLike<number>;
	complement: ArrayLike<number>;
	/** per row, 1 where every entry reads a slot fixed for the batch (program.ts, rowChecks): checked once per batch by startRows */
	rowIsFixed: ArrayLike<number>;
	/** the distinct slots rows read that are fixed for the batch (range-checked by startRows) */
	fixedRowSlots: ArrayLike<number>;
	/** per fixed row slot, the lowest tunnel step of a row reading it */
	fixedRowSlotSteps: ArrayLike<number>;
	/** per (expanded) state, its tunnel step (1 for a state without a tunnel) */
	stateTime: ArrayLike<number>;
	/** per row, 1 where the cycle kernel range-checks its entries: the first row to read one of its per-cycle slots */
	rowIsChecked: ArrayLike<number>;
	/** per row, 1 where an earlier strategy checks and sums the same row each cycle (batch.ts, sameRows) */
	rowShared: ArrayLike<number>;
	/**
	 * per row, the address of the column that holds its complement: a fixed row's (kept by
	 * startRows), a row's that a later strategy shares (written each cycle), or a shared row's
	 * (the earlier strategy's); else 0 (the work area's row sum)
	 */
	keptComplement: ArrayLike<number>;
	transitionValueStart: ArrayLike<number>;
	transitionValueList: ArrayLike<number>;
	transitionCostStart: ArrayLike<number>;
	transitionCostSlots: ArrayLike<number>;
	stateCostStart: ArrayLike<number>;
	stateCostSlots: ArrayLike<number>;
	/** each state's fixed cost slots: [stateCostFixedStart[e], stateCostFixedStart[e + 1]) (none: its fixed costs are 0), and each transition value's */
	stateCostFixedStart: ArrayLike<number>;
	transitionCostFixedStart: ArrayLike<number>;
	stateUtility: ArrayLike<number>;
	transitionUtility: ArrayLike<number>;
	alive: ArrayLike<number>;
	/** first of the states' fixed-cost columns (consecutive) */
	stateCostFixed: Float64Array;
	/** first of the transition values' fixed-cost columns (consecutive) */
	transitionCostFixed: Float64Array;
	/** the table of slot column addresses */
	slotTable: Int32Array;
	/** slots whose columns the kernel checks are finite, each cycle */
	finiteSlots: ArrayLike<number>;
	/** count, then the column address of each per-cycle parameter the kernel range-checks (-1: none this cycle) */
	rangeColumns: Int32Array;
	/** lower and upper bound of each, in pairs */
	rangeBounds: ArrayLike<number>;
	/** per-cycle values the kernel computes: 7 words each (wasm/batch.ts, fusedValues) */
	fused: ArrayLike<number>;
	/** the address of each parameter's current column (-1: a scalar) */
	parameterColumn: Int32Array;
	/** the variables array */
	variables: Float64Array;
	/** numbers written in fused expressions */
	numbers: ArrayLike<number>;
	/** per state, the first state with the same cost lists (itself if none before it) */
	stateCostGroup: ArrayLike<number>;
	/** the strategy's number of transition values */
	transitionValueCount: number;
}

/**
 * The record of one call of the cycle kernel, in the order of wasm/batch.ts (RECORD_*): the
 * addresses of the program, work area, lane flags and the cohort at both ends of the cycle, the
 * lane count, the probability tolerance and the cycle's weights.
 */
export interface CycleRecord {
	program: number;
	work: number;
	bad: number;
	cohortStart: number;
	cohortEnd: number;
	lanes: number;
	tolerance: number;
	eventCostWeight: number;
	eventQalyWeight: number;
	stateWeightStart: number;
	stateWeightEnd: number;
	costWeightStart: number;
	costWeightEnd: number;
	qalyWeightStart: number;
	qalyWeightEnd: number;
	cycleLength: number;
	/** the cycle k (1..n): tunnel steps above k + 1 are out of reach (cohort.ts, inReach) */
	cycle: number;
	/** the work area of the earlier strategy whose cohort this one shares (batch.ts, sameCohorts), or 0 */
	cohortSource: number;
	/** 1 where a later strategy shares this one's cohort: the kernel keeps the cycle's flow values for it */
	keepFlowValues: number;
}

/** The fields of a cycle record, in their order in WebAssembly memory. */
export const CYCLE_RECORD_FIELDS: (keyof CycleRecord)[] = [
	'program',
	'work',
	'bad',
	'cohortStart',
	'cohortEnd',
	'lanes',
	'tolerance',
	'eventCostWeight',
	'eventQalyWeight',
	'stateWeightStart',
	'stateWeightEnd',
	'costWeightStart',
	'costWeightEnd',
	'qalyWeightStart',
	'qalyWeightEnd',
	'cycleLength',
	'cycle',
	'cohortSource',
	'keepFlowValues'
];

/** Operations and operand kinds of fused values, as in wasm/batch.ts. */
export const FUSED_ALIAS = 6;
export const enum Operand {
	Column = 0,
	Variable = 1,
	Number = 2
}

export class ArenaFull extends Error {
	constructor(bytes: number) {
		super(`the batch needs more than ${bytes} bytes of WebAssembly memory`);
	}
}

/** Column arithmetic: out = x op y over n lanes; ops from `ops`. */
export interface ColumnArithmetic {
	/** + - * / of expressions, and min and max (IEEE minimum and maximum, as Math.min and Math.max) */
	ops: { add: number; subtract: number; multiply: number; divide: number; min: number; max: number };
	columnColumn(op: number, out: number, x: number, y: number, n: number): void;
	columnScalar(op: number, out: number, x: number, y: number, n: number): void;
	scalarColumn(op: number, out: number, x: number, y: number, n: number): void;
}

export interface Arena {
	/** columns of LANES doubles, consecutive, zeroed */
	columns(count: number): Float64Array;
	column(): Float64Array;
	bytes(count: number): Uint8Array;
	ints(values: ArrayLike<number>): Int32Array;
	doubles(values: ArrayLike<number>): Float64Array;
	/** writes a program's arrays and header; returns the header's address */
	program(p: ProgramArrays): number;
	/** columns in the work area of `cycle` */
	workColumns: number;
	/** doubles in a cycle record (CYCLE_RECORD_FIELDS) */
	recordFields: number;
	/** one cycle of one strategy, as the record at this address says (wasm/batch.ts, cycle) */
	cycle: Exports['cycle'];
	/**
	 * once per batch and strategy, after its constant and per-step slots are evaluated and before
	 * its first cycle: the checks of the rows that do not change in the batch, their complements
	 * kept (wasm/batch.ts, startRows)
	 */
	startRows: Exports['startRows'];
	checkRange: Exports['checkRange'];
	checkFinite: Exports['checkFinite'];
	arithmetic: ColumnArithmetic;
	variates: Variates;
}

/**
 * The random variates of the PSA's draws, lane b from the xoshiro128** stream whose four words
 * are at states + 16 b (wasm/batch.ts): the values of random.ts and distributions.ts.
 */
export interface Variates {
	/** out[b]: lane b's uniform, in [0, 1) with offset 0, in (0, 1) with offset 0.5 */
	uniforms(states: number, n: number, offset: number, out: number): void;
	/** out[b]: lane b's standard normal (Marsaglia's polar method) */
	normals(states: number, n: number, out: number): void;
	/** out[b]: lane b's gamma draw (Marsaglia and Tsang) for d = shape - 1/3, c = 1 / sqrt(9 d), shape at least 1 */
	gammas(states: number, n: number, d: number, c: number, out: number): void;
	/** fdlibm's logarithm, which the variates use (as Math.log in V8) */
	logarithm(x: number): number;
}

/** Writes a program's arrays and its header (their addresses, in the order of wasm/batch.ts) into the arena; returns the header's address. */
function writeProgram(arena: Pick<Arena, 'ints' | 'doubles' | 'columns'>, p: ProgramArrays): number {
	const { ints, doubles, columns } = arena;
	// the header's addresses, in the order of wasm/batch.ts; from STATE_COST_SUMS on they are
	// the kernel's own: summed costs, scratch lists, transition values' costs, cost groups
	const fields = [
		ints(p.rowStart),
		ints(p.entryTo),
		ints(p.entrySlot),
		ints(p.complement),
		ints(p.transitionValueStart),
		ints(p.transitionValueList),
		ints(p.transitionCostStart),
		ints(p.transitionCostSlots),
		ints(p.stateCostStart),
		ints(p.stateCostSlots),
		ints(p.stateUtility),
		ints(p.transitionUtility),
		doubles(p.alive),
		p.stateCostFixed,
		p.transitionCostFixed,
		p.slotTable,
		ints([p.finiteSlots.length, ...Array.from(p.finiteSlots)]),
		p.rangeColumns,
		doubles(p.rangeBounds),
		ints([p.fused.length / 7, ...Array.from(p.fused)]),
		p.parameterColumn,
		p.variables,
		doubles(p.numbers),
		columns(p.states),
		ints(new Array(p.states).fill(0)),
		ints(new Array(p.states).fill(0)),
		ints(new Array(longestRow(p.rowStart)).fill(0)),
		columns(Math.max(1, p.transitionValueCount)),
		ints([p.transitionValueCount]),
		ints(p.stateCostGroup),
		ints(new Array(p.states).fill(0)),
		ints(new Array(p.states).fill(0)),
		ints(p.rowIsFixed),
		ints(p.keptComplement),
		ints([p.fixedRowSlots.length, ...Array.from(p.fixedRowSlots)]),
		ints(p.rowIsChecked),
		ints(valuelessStates(p)),
		ints(p.stateTime),
		ints(p.fixedRowSlotSteps),
		ints(hasFixedCosts(p.stateCostFixedStart)),
		ints(hasFixedCosts(p.transitionCostFixedStart)),
		ints(p.rowShared)
	];
	return ints([p.states, ...fields.map((f) => f.byteOffset)]).byteOffset;
}

/** Per state (or transition value), 1 where it has fixed cost slots ([start[e], start[e + 1]) not empty), else 0; at least one entry. */
function hasFixedCosts(start: ArrayLike<number>): number[] {
	const has = Array.from({ length: start.length - 1 }, (_, e) => (start[e + 1] > start[e] ? 1 : 0));
	return has.length ? has : [0];
}

/** Per state, 1 for a dead state with no cost slots (per cycle or fixed) and no utility (slot 0): it adds nothing to the cycle's sums. */
function valuelessStates(p: ProgramArrays): number[] {
	const noCosts = (e: number) => p.stateCostStart[e] === p.stateCostStart[e + 1] && p.stateCostFixedStart[e] === p.stateCostFixedStart[e + 1];
	return Array.from({ length: p.states }, (_, e) => (p.alive[e] === 0 && noCosts(e) && p.stateUtility[e] === 0 ? 1 : 0));
}

/** The most entries of a row: rows are rowStart[e] .. rowStart[e + 1] - 1. */
function longestRow(rowStart: ArrayLike<number>): number {
	let longest = 1;
	for (let e = 0; e + 1 < rowStart.length; e++) longest = Math.max(longest, rowStart[e + 1] - rowStart[e]);
	return longest;
}

let compiled: WebAssembly.Module | null | undefined;

function decode(base64: string): Uint8Array {
	const text = atob(base64);
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
	return bytes;
}

/**
 * The compiled module, once per process; null where WebAssembly cannot be compiled here.
 *
 * @example `const module = loadKernels(); if (module) createArena(module, 4 * 2 ** 20);`
 */
export function loadKernels(): WebAssembly.Module | null {
	if (compiled === undefined) {
		try {
			compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(decode(BATCH_KERNELS) as Uint8Array<ArrayBuffer>) : null;
		} catch {
			compiled = null;
		}
	}
	return compiled;
}

/**
 * A fresh arena of `capacity` bytes (rounded up to whole pages of 64 KiB) with its own kernel
 * instance; taking more than it holds throws ArenaFull.
 *
 * @example `createArena(module, 65536).columns(60)` takes 60 columns of LANES doubles.
 */
export function createArena(module: WebAssembly.Module, capacity: number): Arena {
	const pages = Math.ceil(capacity / PAGE);
	const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
	const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
	const buffer = memory.buffer;
	const size = pages * PAGE;
	let top = 0;
	const take = (bytes: number, align: number) => {
		const at = Math.ceil(top / align) * align;
		if (at + bytes > size) throw new ArenaFull(size);
		top = at + bytes;
		return at;
	};
	const columns = (count: number) => new Float64Array(buffer, take(count * COLUMN_BYTES, 16), count * LANES);
	const ints = (values: ArrayLike<number>) => {
		const out = new Int32Array(buffer, take(values.length * 4, 8), values.length);
		out.set(values);
		return out;
	};
	const doubles = (values: ArrayLike<number>) => {
		const out = new Float64Array(buffer, take(values.length * 8, 8), values.length);
		out.set(values);
		return out;
	};
	return {
		columns,
		column: () => columns(1),
		bytes: (count) => new Uint8Array(buffer, take(count, 16), count),
		ints,
		doubles,
		program: (p) => writeProgram({ ints, doubles, columns }, p),
		workColumns: exports.WORK_COLUMNS.value as number,
		recordFields: exports.RECORD_FIELDS.value as number,
		cycle: exports.cycle,
		startRows: exports.startRows,
		checkRange: exports.checkRange,
		checkFinite: exports.checkFinite,
		arithmetic: {
			ops: {
				add: exports.ADD.value,
				subtract: exports.SUBTRACT.value,
				multiply: exports.MULTIPLY.value,
				divide: exports.DIVIDE.value,
				min: exports.MINIMUM.value,
				max: exports.MAXIMUM.value
			},
			columnColumn: exports.columnColumn,
			columnScalar: exports.columnScalar,
			scalarColumn: exports.scalarColumn
		},
		variates: { uniforms: exports.uniforms, normals: exports.normals, gammas: exports.gammas, logarithm: exports.logarithm }
	};
}
