/**
 * Results of the costly column loops (those calling Math.pow, Math.exp or Math.log per lane), kept
 * by their operands, for every column of one set of lanes: a loop given the same operands as
 * before, bit for bit, gets the same result (the loops are pure functions of their operands),
 * so the result is copied instead of computed again. Per-cycle values often meet the same
 * operands again: in cycle after cycle when what they read does not change (a waning weight
 * that is switched off), at each tunnel step that comes round again, in another strategy
 * defining a value alike, or at the next step (`(state_time + 1)^gamma` at step m is
 * `state_time^gamma` at step m + 1).
 *
 * An entry is found by the loop, then each operand: a column by its buffer, a scalar by its
 * value. It is used only when every operand equals the one it was computed from (a column lane
 * by lane, a scalar as Object.is: -0 is not 0, a NaN is a NaN) over as many lanes: buffers are
 * written again, so finding an entry proves nothing by itself. Bounded: emptied when full.
 */

/** A remembered call: its operands (copies of the columns) and its result. */
interface Entry {
	/** the column that computed it: a use of the entry counts as a hit for that column too */
	site: MemorySite;
	lanes: number;
	columns: (Float64Array | null)[];
	scalars: Float64Array;
	result: Float64Array;
}

/**
 * One column that uses the memory, and how many of its calls in a row missed with none of its
 * results used by another: after MISSES_BEFORE_GIVING_UP it stops looking and keeping (a
 * column whose operands never come back, as in the JavaScript backend where each block of cycles
 * is a new run, would pay for copies never used).
 */
export interface MemorySite {
	misses: number;
}

export const MISSES_BEFORE_GIVING_UP = 256;

/** Operands are a column, or (column null) a scalar. */
export interface ColumnMemory {
	/** a new site for a column (its misses counted apart) */
	site(): MemorySite;
	/**
	 * When `kernel` was last run on operands equal to these over n lanes, copies its result into
	 * `out` and returns true; else returns false, and `keep` (called next) notes this call.
	 */
	recall(site: MemorySite, kernel: object, out: Float64Array, n: number, a: Float64Array | null, as: number, b?: Float64Array | null, bs?: number, c?: Float64Array | null, cs?: number): boolean;
	/** notes the operands and result of the call `recall` just missed */
	keep(site: MemorySite, out: Float64Array, n: number, a: Float64Array | null, as: number, b?: Float64Array | null, bs?: number, c?: Float64Array | null, cs?: number): void;
}

/** x and y are the same number to the bit, as Object.is: -0 is not 0, a NaN is a NaN. */
function sameNumber(x: number, y: number): boolean {
	return x === y ? x !== 0 || 1 / x === 1 / y : x !== x && y !== y;
}

/** The column equals the kept copy over n lanes. */
function sameColumn(column: Float64Array, kept: Float64Array, n: number): boolean {
	for (let i = 0; i < n; i++) if (!sameNumber(column[i], kept[i])) return false;
	return true;
}

/** into[i] = from[i] for the first n lanes (a loop: no subarray view made per call) */
function copyLanes(into: Float64Array, from: Float64Array, n: number): void {
	for (let i = 0; i < n; i++) into[i] = from[i];
}

function sameOperand(entry: Entry, j: number, n: number, column: Float64Array | null | undefined, scalar: number): boolean {
	const kept = entry.columns[j];
	if (column) return kept !== null && sameColumn(column, kept, n);
	return kept === null && sameNumber(scalar, entry.scalars[j]);
}

function noteOperand(entry: Entry, j: number, n: number, column: Float64Array | null | undefined, scalar: number): void {
	if (column) {
		const kept = entry.columns[j] ?? (entry.columns[j] = new Float64Array(entry.result.length));
		copyLanes(kept, column, n);
	} else {
		entry.columns[j] = null;
		entry.scalars[j] = scalar;
	}
}

type Level = Map<unknown, Level | Entry>;

/**
 * A memory of at most `capacity` calls (each some kB: its operands' and result's lanes), for
 * column buffers of `laneCapacity` lanes.
 *
 * @example
 * const memory = createColumnMemory(128);
 * const site = memory.site();
 * if (!memory.recall(site, powKernel, out, n, base, 0, null, exponent)) { powKernel(out, base, exponent, n); memory.keep(site, out, n, base, 0, null, exponent); }
 */
export function createColumnMemory(laneCapacity: number, capacity = 512): ColumnMemory {
	const root: Level = new Map();
	let count = 0;
	// where the call recall just missed goes: its level, its last key, its entry if there is one
	let pendingLevel: Level = root;
	let pendingKey: unknown = null;
	let pendingEntry: Entry | null = null;
	let pendingArity = 0;
	const levelOf = (level: Level, key: unknown): Level => {
		let next = level.get(key) as Level | undefined;
		if (!next) level.set(key, (next = new Map()));
		return next;
	};
	return {
		site: () => ({ misses: 0 }),
		recall(site, kernel, out, n, a, as, b, bs = 0, c, cs = 0) {
			if (site.misses >= MISSES_BEFORE_GIVING_UP) return false;
			const arity = c !== undefined ? 3 : b !== undefined ? 2 : 1;
			let level = levelOf(root, kernel);
			if (arity > 1) level = levelOf(level, a ?? as);
			if (arity > 2) level = levelOf(level, b ?? bs);
			const key = arity === 1 ? (a ?? as) : arity === 2 ? (b ?? bs) : (c ?? cs);
			const entry = (level.get(key) as Entry | undefined) ?? null;
			pendingLevel = level;
			pendingKey = key;
			pendingEntry = entry;
			pendingArity = arity;
			if (!entry || entry.lanes !== n) return false;
			if (!sameOperand(entry, 0, n, a, as)) return false;
			if (arity > 1 && !sameOperand(entry, 1, n, b, bs)) return false;
			if (arity > 2 && !sameOperand(entry, 2, n, c, cs)) return false;
			copyLanes(out, entry.result, n);
			site.misses = 0;
			entry.site.misses = 0;
			return true;
		},
		keep(site, out, n, a, as, b, bs = 0, c, cs = 0) {
			if (site.misses >= MISSES_BEFORE_GIVING_UP) return;
			site.misses++;
			let entry = pendingEntry;
			if (!entry) {
				if (count >= capacity) {
					// full: forget everything (the next calls fill it again)
					root.clear();
					count = 0;
					pendingLevel = root;
					return;
				}
				entry = { site, lanes: n, columns: [null, null, null], scalars: new Float64Array(3), result: new Float64Array(laneCapacity) };
				pendingLevel.set(pendingKey, entry);
				count++;
			}
			entry.site = site;
			entry.lanes = n;
			noteOperand(entry, 0, n, a, as);
			if (pendingArity > 1) noteOperand(entry, 1, n, b, bs);
			if (pendingArity > 2) noteOperand(entry, 2, n, c, cs);
			copyLanes(entry.result, out, n);
			pendingEntry = null;
		}
	};
}
