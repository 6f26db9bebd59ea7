// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs into
// src/lib/engine/simulate/wasm/batchKernels.ts. Not part of the TypeScript build.
//
// The arithmetic of the batched PSA (src/lib/engine/simulate/batch.ts), over columns of LANES doubles
// in one linear memory that the JavaScript side lays out and fills. JavaScript loops over
// Float64Arrays reload each array's length and data pointer on every element (about 4 ns per
// element on the development VM, against about 1 ns here), so the cohort step runs here, as one
// call per strategy and cycle, and so does the column arithmetic of per-cycle expressions.
//
// Every operation is the one batch.ts wrote in JavaScript, in the same order, on IEEE doubles,
// so results are identical to the last bit (tests/unit/batch.test.ts compares the totals with
// the lean path of cohort.ts, lane by lane, with toBe).
//
// Addresses are byte offsets into the memory; a column is LANES doubles (1,024 bytes); only the
// first n lanes are read or written.

const LANES: i32 = 128;
const COLUMN: usize = 1024;

// The program of one strategy: a header of i32 words, each the address of an array.
const STATE_COUNT = 0; // number of states
const ROW_START = 1; // i32[E + 1]: the entries of state e's row are rowStart[e] .. rowStart[e + 1] - 1
const ENTRY_TO = 2; // i32[entries]: destination state
const ENTRY_SLOT = 3; // i32[entries]: slot of the entry's probability
const COMPLEMENT = 4; // i32[E]: index of the row's complement entry, or -1
const TV_START = 5; // i32[entries + 1]: transition values on entry q: tvList[tvStart[q] .. tvStart[q + 1] - 1]
const TV_LIST = 6; // i32[]
const TV_COST_START = 7; // i32[tvs + 1]: per-cycle cost slots of transition value t
const TV_COST_SLOTS = 8; // i32[]
const STATE_COST_START = 9; // i32[E + 1]: per-cycle cost slots of state e
const STATE_COST_SLOTS = 10; // i32[]
const STATE_UTILITY = 11; // i32[E]: utility slot of state e
const TV_UTILITY = 12; // i32[tvs]: utility slot of transition value t
const ALIVE = 13; // f64[E]: 1 for a state whose members are alive, 0 for a dead state
const STATE_COST_FIXED = 14; // E columns: each state's costs that do not change with time, summed
const TV_COST_FIXED = 15; // tvs columns: the same for transition values
const SLOT_COLUMN = 16; // i32[slots]: address of each slot's current column
const FINITE_SLOTS = 17; // i32[1 + count]: count, then slots whose columns must be finite each cycle
const RANGE_COLUMNS = 18; // i32[1 + count]: count, then the current column of each per-cycle parameter, or -1 (not checked)
const RANGE_BOUNDS = 19; // f64[2 * count]: each such parameter's lower and upper bound
const FUSED = 20; // i32[1 + 7 * count]: count, then per-cycle values computed here (see fusedValues)
const PARAMETER_COLUMN = 21; // i32[parameters]: address of each parameter's current column (-1: a scalar)
const VARIABLES = 22; // f64[]: the variables array (scalar parameters, model_time, age, ...)
const NUMBERS = 23; // f64[]: numbers written in fused expressions
const STATE_COST_SUMS = 24; // E columns: each state's costs, summed where some change with time
const COST_COLUMNS = 25; // i32[E]: scratch, the address of each state's cost column this cycle
const UTILITY_COLUMNS = 26; // i32[E]: scratch, the address of each state's utility column this cycle
const ROW_COLUMNS = 27; // i32[longest row]: scratch, the column addresses of a row's entries other than its complement
const TV_AMOUNTS = 28; // tvs columns: scratch, each transition value's cost this cycle
const TV_COUNT = 29; // i32[1]: the number of transition values
const COST_GROUP = 30; // i32[E]: the first state whose cost lists are those of state e (e itself if none before)
const OCCUPIED = 31; // i32[E]: scratch, the states occupied in some lane at either end of the cycle
const START_EMPTY = 32; // i32[E]: scratch, 1 where a state is empty in every lane at the start of the cycle
const ROW_FIXED = 33; // i32[E]: 1 where every entry of state e's row reads a slot fixed for the batch (constant or per tunnel step)
const KEPT_COMPLEMENT = 34; // i32[E]: address of a row's complement column: a fixed row's (computed by startRows), one a later strategy shares (each cycle), a shared row's (the earlier strategy's); else 0
const FIXED_ROW_SLOTS = 35; // i32[1 + count]: count, then the distinct slots fixed for the batch that rows read (range-checked by startRows)
const ROW_CHECKED = 36; // i32[E]: 1 where a row that is not fixed range-checks its entries each cycle (the first row to read one of its per-cycle slots; program.ts, rowChecks)
const VALUELESS = 37; // i32[E]: 1 for a dead state with no costs and no utility, which adds nothing to any sum (left out of OCCUPIED)
const STATE_TIME = 38; // i32[E]: each state's tunnel step (1 without a tunnel); step m is in reach at cycles k >= m - 1 (cohort.ts, inReach)
const FIXED_ROW_SLOT_STEPS = 39; // i32[count]: per entry of FIXED_ROW_SLOTS, the lowest tunnel step of a row reading it
const STATE_HAS_FIXED_COSTS = 40; // i32[E]: 1 where state e has fixed cost slots (else its STATE_COST_FIXED column is 0)
const TV_HAS_FIXED_COSTS = 41; // i32[tvs]: the same for transition values
const ROW_SHARED = 42; // i32[E]: 1 where an earlier strategy checks and sums the same row this cycle (its complement at KEPT_COMPLEMENT)

// Operations of fused values, after ADD .. MAXIMUM (0 .. 5)
const ALIAS = 6; // the slot is a parameter's column itself
// Operand kinds of fused values
const COLUMN_OPERAND = 0; // a parameter's current column
const VARIABLE_OPERAND = 1; // a slot of the variables array
const NUMBER_OPERAND = 2; // a number

// The work area: columns in this order.
const COST = 0;
const COST_UNDISCOUNTED = 1;
const QALY = 2;
const QALY_UNDISCOUNTED = 3;
const LIFE_YEARS = 4;
const LIFE_YEARS_UNDISCOUNTED = 5;
const CYCLE_COST = 6;
const CYCLE_COST_UNDISCOUNTED = 7;
const CYCLE_QALYS = 8;
const CYCLE_QALYS_UNDISCOUNTED = 9;
const ROW_SUM = 10;
const FLOWS = 11;
// the cycle's sums after the flows' one-off values, before the states' values, kept for the
// strategies that share this one's cohort (RECORD_KEEP_FLOW_VALUES)
const FLOW_COST = 12;
const FLOW_COST_UNDISCOUNTED = 13;
const FLOW_QALYS = 14;
const FLOW_QALYS_UNDISCOUNTED = 15;
export const WORK_COLUMNS: i32 = 16;

@inline function word(p: usize, i: i32): i32 {
	return load<i32>(p + (<usize>i << 2));
}
@inline function header(prog: usize, field: i32): usize {
	return <usize>load<i32>(prog + (<usize>field << 2));
}
@inline function column(base: usize, k: i32): usize {
	return base + <usize>k * COLUMN;
}
@inline function at(p: usize, b: i32): f64 {
	return load<f64>(p + (<usize>b << 3));
}
@inline function put(p: usize, b: i32, v: f64): void {
	store<f64>(p + (<usize>b << 3), v);
}
/** lanes b and b + 1 (b even: columns are 16-byte aligned) */
@inline function pair(p: usize, b: i32): v128 {
	return v128.load(p + (<usize>b << 3));
}
@inline function putPair(p: usize, b: i32, v: v128): void {
	v128.store(p + (<usize>b << 3), v);
}
@inline function flag(bad: usize, b: i32): void {
	store<u8>(bad + <usize>b, 1);
}
/** flags lane b and/or b + 1 where `ok` (a comparison mask) is false */
@inline function flagPair(bad: usize, b: i32, ok: v128): void {
	if (!i64x2.all_true(ok)) {
		if (i64x2.extract_lane(ok, 0) == 0) flag(bad, b);
		if (i64x2.extract_lane(ok, 1) == 0) flag(bad, b + 1);
	}
}
function zero(p: usize, n: i32): void {
	memory.fill(p, 0, <usize>n << 3);
}

// Each kernel below runs two lanes at a time with f64x2 (the same IEEE operation on each lane
// as the scalar form, so the same result), then the odd last lane, if any, in scalar form.

/** Whether every lane of the column is finite (v - v is 0 for every finite v, NaN otherwise). */
function allFinite(p: usize, n: i32): bool {
	const zero2 = f64x2.splat(0);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		const v = pair(p, b);
		if (!i64x2.all_true(f64x2.eq(f64x2.sub(v, v), zero2))) return false;
	}
	for (; b < n; b++) if (!(at(p, b) - at(p, b) == 0)) return false;
	return true;
}

/** Whether every lane of the column is 0 (-0 included). */
function isEmpty(p: usize, n: i32): bool {
	const zero2 = f64x2.splat(0);
	let b = 0;
	for (; b + 1 < n; b += 2) if (!i64x2.all_true(f64x2.eq(pair(p, b), zero2))) return false;
	for (; b < n; b++) if (at(p, b) != 0) return false;
	return true;
}

/**
 * A row's checks for n lanes: each of its `count` entries (column addresses at `entries`, the
 * complement left out) in [-tol, 1 + tol] (NaN fails), summed in entry order from 0 (as the lean
 * path sums); with a complement, C = 1 - sum written to `out` and flagged below -tol, else the
 * sum flagged outside 1 +- tol. One pass over the lanes, the sum held in registers.
 */
function checkRow(entries: usize, count: i32, hasComplement: bool, out: usize, bad: usize, n: i32, tol: f64): void {
	const lo = f64x2.splat(-tol);
	const hi = f64x2.splat(1 + tol);
	const sumLo = f64x2.splat(1 - tol);
	const one = f64x2.splat(1);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		let sum = f64x2.splat(0);
		let ok = i64x2.splat(-1);
		for (let j = 0; j < count; j++) {
			const v = pair(<usize>word(entries, j), b);
			ok = v128.and(ok, v128.and(f64x2.ge(v, lo), f64x2.le(v, hi)));
			sum = f64x2.add(sum, v);
		}
		if (hasComplement) {
			const c = f64x2.sub(one, sum);
			ok = v128.and(ok, v128.not(f64x2.lt(c, lo)));
			putPair(out, b, c);
		} else ok = v128.and(ok, v128.not(v128.or(f64x2.gt(sum, hi), f64x2.lt(sum, sumLo))));
		flagPair(bad, b, ok);
	}
	for (; b < n; b++) {
		let sum: f64 = 0;
		let ok = true;
		for (let j = 0; j < count; j++) {
			const v = at(<usize>word(entries, j), b);
			if (!(v >= -tol && v <= 1 + tol)) ok = false;
			sum += v;
		}
		if (hasComplement) {
			const c = 1 - sum;
			if (c < -tol) ok = false;
			put(out, b, c);
		} else if (sum > 1 + tol || sum < 1 - tol) ok = false;
		if (!ok) flag(bad, b);
	}
}

/**
 * checkRow without the entries' own checks, for a row whose entries are checked elsewhere (by
 * the first row to read their slots, or by startRows): the same sum, complement and flags.
 */
function sumRow(entries: usize, count: i32, hasComplement: bool, out: usize, bad: usize, n: i32, tol: f64): void {
	const lo = f64x2.splat(-tol);
	const hi = f64x2.splat(1 + tol);
	const sumLo = f64x2.splat(1 - tol);
	const one = f64x2.splat(1);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		let sum = f64x2.splat(0);
		for (let j = 0; j < count; j++) sum = f64x2.add(sum, pair(<usize>word(entries, j), b));
		let ok: v128;
		if (hasComplement) {
			const c = f64x2.sub(one, sum);
			ok = v128.not(f64x2.lt(c, lo));
			putPair(out, b, c);
		} else ok = v128.not(v128.or(f64x2.gt(sum, hi), f64x2.lt(sum, sumLo)));
		flagPair(bad, b, ok);
	}
	for (; b < n; b++) {
		let sum: f64 = 0;
		for (let j = 0; j < count; j++) sum += at(<usize>word(entries, j), b);
		let ok = true;
		if (hasComplement) {
			const c = 1 - sum;
			if (c < -tol) ok = false;
			put(out, b, c);
		} else if (sum > 1 + tol || sum < 1 - tol) ok = false;
		if (!ok) flag(bad, b);
	}
}

/**
 * Each slot of a list (count, then slots) in [-tol, 1 + tol] (NaN fails): the entry check of
 * every row that reads it, once; a slot whose rows are all of tunnel steps above `lastStep`
 * (steps[j - 1], the lowest step reading list entry j) is left out, as those rows are.
 */
function checkRowSlots(list: usize, steps: usize, lastStep: i32, slotColumn: usize, bad: usize, n: i32, tol: f64): void {
	for (let j = 1, count = word(list, 0); j <= count; j++) {
		if (word(steps, j - 1) > lastStep) continue;
		checkRange(<usize>word(slotColumn, word(list, j)), -tol, 1 + tol, bad, n);
	}
}

/** The column addresses of row e's entries other than its complement, into `rowColumns`, in entry order; returns their count. */
function rowEntryColumns(prog: usize, e: i32, slotColumn: usize, rowColumns: usize): i32 {
	const rowStart = header(prog, ROW_START);
	const entrySlot = header(prog, ENTRY_SLOT);
	const complementEntry = word(header(prog, COMPLEMENT), e);
	let count = 0;
	for (let q = word(rowStart, e), rowEnd = word(rowStart, e + 1); q < rowEnd; q++) {
		if (q == complementEntry) continue;
		store<i32>(rowColumns + (<usize>count << 2), word(slotColumn, word(entrySlot, q)));
		count++;
	}
	return count;
}

/**
 * Once per batch, after the constant and per-step slots are evaluated and before the first
 * cycle: the checks of what the rows read that does not change in the batch. Each fixed slot
 * that rows read in [-tol, 1 + tol], and each fixed row (ROW_FIXED) summed and checked as
 * `cycle` would check it every cycle, its complement kept in its own column (KEPT_COMPLEMENT),
 * which the cycles then read. The values are those of every cycle, so the same lanes are
 * flagged as by checking them each cycle. Rows of tunnel steps above horizon + 1, in reach at no
 * cycle, are not checked (nor at any cycle by the JavaScript backend).
 */
export function startRows(prog: usize, bad: usize, n: i32, tol: f64, horizon: i32): void {
	const stateCount = load<i32>(prog);
	const slotColumn = header(prog, SLOT_COLUMN);
	const rowFixed = header(prog, ROW_FIXED);
	const keptComplement = header(prog, KEPT_COMPLEMENT);
	const rowColumns = header(prog, ROW_COLUMNS);
	const stateTime = header(prog, STATE_TIME);
	// the last tunnel step in reach at some cycle 1..horizon
	const lastStep = horizon + 1;
	checkRowSlots(header(prog, FIXED_ROW_SLOTS), header(prog, FIXED_ROW_SLOT_STEPS), lastStep, slotColumn, bad, n, tol);
	for (let e = 0; e < stateCount; e++) {
		if (word(rowFixed, e) == 0 || word(stateTime, e) > lastStep) continue;
		// a fixed row's entries are all fixed slots, checked above
		const kept = <usize>word(keptComplement, e);
		sumRow(rowColumns, rowEntryColumns(prog, e, slotColumn, rowColumns), kept != 0, kept, bad, n, tol);
	}
}

function flowOnly(p: usize, from: usize, to: usize, n: i32): void {
	let b = 0;
	for (; b + 1 < n; b += 2) putPair(to, b, f64x2.add(pair(to, b), f64x2.mul(pair(from, b), pair(p, b))));
	for (; b < n; b++) put(to, b, at(to, b) + at(from, b) * at(p, b));
}

function flowInto(p: usize, from: usize, to: usize, flows: usize, n: i32): void {
	let b = 0;
	for (; b + 1 < n; b += 2) {
		const f = f64x2.mul(pair(from, b), pair(p, b));
		putPair(flows, b, f);
		putPair(to, b, f64x2.add(pair(to, b), f));
	}
	for (; b < n; b++) {
		const f = at(from, b) * at(p, b);
		put(flows, b, f);
		put(to, b, at(to, b) + f);
	}
}

function addInto(out: usize, p: usize, n: i32): void {
	let b = 0;
	for (; b + 1 < n; b += 2) putPair(out, b, f64x2.add(pair(out, b), pair(p, b)));
	for (; b < n; b++) put(out, b, at(out, b) + at(p, b));
}

/**
 * A one-off value of a transition value on the flow (value: its cost or utility column this
 * cycle) added to two consecutive sums of the work area from `sums` (CYCLE_COST or CYCLE_QALYS):
 * flow x value times the event's discount weight, and undiscounted.
 */
function flowValues(work: usize, value: usize, eventWeight: f64, sums: i32, n: i32): void {
	const flows = column(work, FLOWS);
	const discounted = column(work, sums);
	const undiscounted = column(work, sums + 1);
	const eventWeight2 = f64x2.splat(eventWeight);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		const amount = f64x2.mul(pair(flows, b), pair(value, b));
		putPair(discounted, b, f64x2.add(pair(discounted, b), f64x2.mul(amount, eventWeight2)));
		putPair(undiscounted, b, f64x2.add(pair(undiscounted, b), amount));
	}
	for (; b < n; b++) {
		const amount = at(flows, b) * at(value, b);
		put(discounted, b, at(discounted, b) + amount * eventWeight);
		put(undiscounted, b, at(undiscounted, b) + amount);
	}
}

/**
 * The states' costs, QALYs and life years for one cycle, with cycle-correction weights and
 * discounting (the record's), added to the cycle's sums, and the cycle's sums to the running
 * totals (addTotals). For each pair of lanes every state is taken in turn with the sums held in
 * registers, so each lane gets the same additions in the same order as state by state; the
 * states' QALYs and life years start at +0, as the lean path's. A lane with nobody in a state
 * at either end gets nothing from it (not even a NaN from a cost that is not finite): in pairs,
 * such a lane keeps its sums (bitselect). Only the `count` states listed in OCCUPIED (in
 * increasing order) are taken: a state empty in every lane at both ends adds nothing to any
 * lane. COST_COLUMNS and UTILITY_COLUMNS hold the addresses of each state's cost and utility
 * columns this cycle. Life years count states whose ALIVE is 1 (the lean path multiplies by 1
 * or 0: adding the weighted share itself, or nothing, is the same to the last bit, since the
 * sums are never -0 and a lane whose shares are not finite is flagged already).
 *
 * Without `select`, an empty lane's sums get the state's values times a weighted share of 0:
 * +0 or -0 where the values are finite, which leaves sums that are never -0 as they are. That
 * holds in every lane not flagged when every cost column read is finite in every lane
 * (stateCostColumns says so): each per-cycle and fixed value is checked finite, lane by lane,
 * so only a sum of costs can overflow where no flag shows it. Flagged lanes are run again.
 */
function stateValues(record: usize, prog: usize, work: usize, count: i32, n: i32, select: bool): void {
	if (select) stateValuesOf<Selecting>(record, prog, work, count, n);
	else stateValuesOf<Adding>(record, prog, work, count, n);
}

// stateValuesOf's two forms, compiled apart (a generic function is compiled once per type): an
// empty lane keeps its sums by bitselect, or gets its zeros added
class Selecting {}
class Adding {}

function stateValuesOf<Form>(record: usize, prog: usize, work: usize, count: i32, n: i32): void {
	const select = idof<Form>() == idof<Selecting>();
	const cohortStart = address(record, RECORD_COHORT_START);
	const cohortEnd = address(record, RECORD_COHORT_END);
	const occupied = header(prog, OCCUPIED);
	const costColumn = header(prog, COST_COLUMNS);
	const utilityColumn = header(prog, UTILITY_COLUMNS);
	const alive = header(prog, ALIVE);
	const cycleCost = column(work, CYCLE_COST);
	const cycleCostUndiscounted = column(work, CYCLE_COST_UNDISCOUNTED);
	const weightStart = field(record, RECORD_STATE_WEIGHT_START);
	const weightEnd = field(record, RECORD_STATE_WEIGHT_END);
	const costWeightStart = field(record, RECORD_COST_WEIGHT_START);
	const costWeightEnd = field(record, RECORD_COST_WEIGHT_END);
	const qalyWeightStart = field(record, RECORD_QALY_WEIGHT_START);
	const qalyWeightEnd = field(record, RECORD_QALY_WEIGHT_END);
	const cycleLength = field(record, RECORD_CYCLE_LENGTH);
	const weightStart2 = f64x2.splat(weightStart);
	const weightEnd2 = f64x2.splat(weightEnd);
	const costWeightStart2 = f64x2.splat(costWeightStart);
	const costWeightEnd2 = f64x2.splat(costWeightEnd);
	const qalyWeightStart2 = f64x2.splat(qalyWeightStart);
	const qalyWeightEnd2 = f64x2.splat(qalyWeightEnd);
	const cycleLength2 = f64x2.splat(cycleLength);
	const zero2 = f64x2.splat(0);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		let cost = pair(cycleCost, b);
		let costUndiscounted = pair(cycleCostUndiscounted, b);
		let qalys = zero2;
		let qalysUndiscounted = zero2;
		let lifeYears = zero2;
		let lifeYearsUndiscounted = zero2;
		for (let j = 0; j < count; j++) {
			const e = word(occupied, j);
			const start = pair(column(cohortStart, e), b);
			const end = pair(column(cohortEnd, e), b);
			const empty = v128.and(f64x2.eq(start, zero2), f64x2.eq(end, zero2));
			if (i64x2.all_true(empty)) continue;
			const occupancy = f64x2.add(f64x2.mul(weightStart2, start), f64x2.mul(weightEnd2, end));
			const discountedOccupancy = f64x2.add(f64x2.mul(qalyWeightStart2, start), f64x2.mul(qalyWeightEnd2, end));
			const stateCost = pair(<usize>word(costColumn, e), b);
			const utility = pair(<usize>word(utilityColumn, e), b);
			const newCost = f64x2.add(cost, f64x2.mul(stateCost, f64x2.add(f64x2.mul(costWeightStart2, start), f64x2.mul(costWeightEnd2, end))));
			const newCostUndiscounted = f64x2.add(costUndiscounted, f64x2.mul(stateCost, occupancy));
			const newQalys = f64x2.add(qalys, f64x2.mul(utility, discountedOccupancy));
			const newQalysUndiscounted = f64x2.add(qalysUndiscounted, f64x2.mul(utility, occupancy));
			cost = select ? v128.bitselect(cost, newCost, empty) : newCost;
			costUndiscounted = select ? v128.bitselect(costUndiscounted, newCostUndiscounted, empty) : newCostUndiscounted;
			// life years in states whose members are alive (alive[e] is 1; 0 adds nothing)
			if (load<f64>(alive + (<usize>e << 3)) != 0) {
				const newLifeYears = f64x2.add(lifeYears, discountedOccupancy);
				const newLifeYearsUndiscounted = f64x2.add(lifeYearsUndiscounted, occupancy);
				lifeYears = select ? v128.bitselect(lifeYears, newLifeYears, empty) : newLifeYears;
				lifeYearsUndiscounted = select ? v128.bitselect(lifeYearsUndiscounted, newLifeYearsUndiscounted, empty) : newLifeYearsUndiscounted;
			}
			qalys = select ? v128.bitselect(qalys, newQalys, empty) : newQalys;
			qalysUndiscounted = select ? v128.bitselect(qalysUndiscounted, newQalysUndiscounted, empty) : newQalysUndiscounted;
		}
		putPair(cycleCost, b, cost);
		putPair(cycleCostUndiscounted, b, costUndiscounted);
		// QALYs and life years per year of the cycle, times its length
		const stateQalys = f64x2.mul(qalys, cycleLength2);
		const stateQalysUndiscounted = f64x2.mul(qalysUndiscounted, cycleLength2);
		addTotals(work, b, cost, costUndiscounted, stateQalys, stateQalysUndiscounted, f64x2.mul(lifeYears, cycleLength2), f64x2.mul(lifeYearsUndiscounted, cycleLength2));
	}
	for (; b < n; b++) {
		let cost = at(cycleCost, b);
		let costUndiscounted = at(cycleCostUndiscounted, b);
		let qalys: f64 = 0;
		let qalysUndiscounted: f64 = 0;
		let lifeYears: f64 = 0;
		let lifeYearsUndiscounted: f64 = 0;
		for (let j = 0; j < count; j++) {
			const e = word(occupied, j);
			const start = at(column(cohortStart, e), b);
			const end = at(column(cohortEnd, e), b);
			if (start == 0 && end == 0) continue;
			const occupancy = weightStart * start + weightEnd * end;
			const discountedOccupancy = qalyWeightStart * start + qalyWeightEnd * end;
			const stateCost = at(<usize>word(costColumn, e), b);
			const utility = at(<usize>word(utilityColumn, e), b);
			cost += stateCost * (costWeightStart * start + costWeightEnd * end);
			costUndiscounted += stateCost * occupancy;
			if (load<f64>(alive + (<usize>e << 3)) != 0) {
				lifeYears += discountedOccupancy;
				lifeYearsUndiscounted += occupancy;
			}
			qalys += utility * discountedOccupancy;
			qalysUndiscounted += utility * occupancy;
		}
		put(cycleCost, b, cost);
		put(cycleCostUndiscounted, b, costUndiscounted);
		addTotal(work, b, cost, costUndiscounted, qalys * cycleLength, qalysUndiscounted * cycleLength, lifeYears * cycleLength, lifeYearsUndiscounted * cycleLength);
	}
}

/**
 * Lanes b and b + 1 of the cycle's sums added to the running totals: its costs; its QALYs, the
 * one-off ones on the flows (CYCLE_QALYS) plus the states' (times the cycle length); the
 * states' life years (times the cycle length).
 */
@inline function addTotals(work: usize, b: i32, cost: v128, costUndiscounted: v128, stateQalys: v128, stateQalysUndiscounted: v128, lifeYears: v128, lifeYearsUndiscounted: v128): void {
	const cycleQalys = f64x2.add(pair(column(work, CYCLE_QALYS), b), stateQalys);
	const cycleQalysUndiscounted = f64x2.add(pair(column(work, CYCLE_QALYS_UNDISCOUNTED), b), stateQalysUndiscounted);
	putPair(column(work, COST), b, f64x2.add(pair(column(work, COST), b), cost));
	putPair(column(work, COST_UNDISCOUNTED), b, f64x2.add(pair(column(work, COST_UNDISCOUNTED), b), costUndiscounted));
	putPair(column(work, QALY), b, f64x2.add(pair(column(work, QALY), b), cycleQalys));
	putPair(column(work, QALY_UNDISCOUNTED), b, f64x2.add(pair(column(work, QALY_UNDISCOUNTED), b), cycleQalysUndiscounted));
	putPair(column(work, LIFE_YEARS), b, f64x2.add(pair(column(work, LIFE_YEARS), b), lifeYears));
	putPair(column(work, LIFE_YEARS_UNDISCOUNTED), b, f64x2.add(pair(column(work, LIFE_YEARS_UNDISCOUNTED), b), lifeYearsUndiscounted));
}

/** addTotals for the one lane b. */
@inline function addTotal(work: usize, b: i32, cost: f64, costUndiscounted: f64, stateQalys: f64, stateQalysUndiscounted: f64, lifeYears: f64, lifeYearsUndiscounted: f64): void {
	const cycleQalys = at(column(work, CYCLE_QALYS), b) + stateQalys;
	const cycleQalysUndiscounted = at(column(work, CYCLE_QALYS_UNDISCOUNTED), b) + stateQalysUndiscounted;
	put(column(work, COST), b, at(column(work, COST), b) + cost);
	put(column(work, COST_UNDISCOUNTED), b, at(column(work, COST_UNDISCOUNTED), b) + costUndiscounted);
	put(column(work, QALY), b, at(column(work, QALY), b) + cycleQalys);
	put(column(work, QALY_UNDISCOUNTED), b, at(column(work, QALY_UNDISCOUNTED), b) + cycleQalysUndiscounted);
	put(column(work, LIFE_YEARS), b, at(column(work, LIFE_YEARS), b) + lifeYears);
	put(column(work, LIFE_YEARS_UNDISCOUNTED), b, at(column(work, LIFE_YEARS_UNDISCOUNTED), b) + lifeYearsUndiscounted);
}

/**
 * Per-cycle values of the simplest forms, computed here rather than by a closure call each:
 * `a op b` (op one of + - * /, each operand a parameter, a variable or a number, at least one a
 * parameter's column) into the value's own column, or a parameter's column used as it is. Each
 * entry is 7 words: slot, op, kind of a, a, kind of b, b, address of the output column.
 */
function fusedValues(prog: usize, slotColumn: usize, n: i32): void {
	const fused = header(prog, FUSED);
	const parameterColumn = header(prog, PARAMETER_COLUMN);
	const variables = header(prog, VARIABLES);
	const numbers = header(prog, NUMBERS);
	for (let j = 0, count = word(fused, 0); j < count; j++) {
		const f = fused + 4 + <usize>j * 28;
		const slot = word(f, 0);
		const op = word(f, 1);
		if (op == ALIAS) {
			store<i32>(slotColumn + (<usize>slot << 2), word(parameterColumn, word(f, 3)));
			continue;
		}
		const kindA = word(f, 2);
		const a = word(f, 3);
		const kindB = word(f, 4);
		const b = word(f, 5);
		const out = <usize>word(f, 6);
		if (kindA == COLUMN_OPERAND && kindB == COLUMN_OPERAND) columnColumn(op, out, <usize>word(parameterColumn, a), <usize>word(parameterColumn, b), n);
		else if (kindA == COLUMN_OPERAND) columnScalar(op, out, <usize>word(parameterColumn, a), scalar(kindB, b, variables, numbers), n);
		else scalarColumn(op, out, scalar(kindA, a, variables, numbers), <usize>word(parameterColumn, b), n);
		store<i32>(slotColumn + (<usize>slot << 2), <i32>out);
	}
}

@inline function scalar(kind: i32, ref: i32, variables: usize, numbers: usize): f64 {
	return load<f64>((kind == VARIABLE_OPERAND ? variables : numbers) + (<usize>ref << 3));
}

// The record of one kernel call (`cycle`): doubles, written by the JavaScript side
// (simulate/batch.ts) into WebAssembly memory before the call.
const RECORD_PROGRAM = 0; // address of the strategy's program header
const RECORD_WORK = 1; // address of its work area
const RECORD_BAD = 2; // address of the lanes' flags (u8 each)
const RECORD_COHORT_START = 3; // address of x_{k-1}: E columns
const RECORD_COHORT_END = 4; // address of x_k: E columns
const RECORD_LANES = 5; // lanes n
const RECORD_TOLERANCE = 6; // probability tolerance
const RECORD_EVENT_COST_WEIGHT = 7; // discount weight of one-off transition costs
const RECORD_EVENT_QALY_WEIGHT = 8; // the same for QALYs
const RECORD_STATE_WEIGHT_START = 9; // alpha_k (cycle correction)
const RECORD_STATE_WEIGHT_END = 10; // beta_k
const RECORD_COST_WEIGHT_START = 11; // alpha_k d_{k-1} of costs
const RECORD_COST_WEIGHT_END = 12; // beta_k d_k of costs
const RECORD_QALY_WEIGHT_START = 13; // alpha_k d_{k-1} of outcomes
const RECORD_QALY_WEIGHT_END = 14; // beta_k d_k of outcomes
const RECORD_CYCLE_LENGTH = 15; // years
const RECORD_CYCLE = 16; // the cycle k (1..n)
// the work area of an earlier strategy whose cohort this one shares (rows, start and transition
// values defined alike: batch.ts, sameCohorts), whose cycle this cycle's record follows, or 0;
// cohortStart and cohortEnd are then that strategy's x_{k-1} and x_k
const RECORD_COHORT_SOURCE = 17;
const RECORD_KEEP_FLOW_VALUES = 18; // 1 where a later strategy shares this one's cohort
export const RECORD_FIELDS: i32 = 19;

@inline function field(record: usize, i: i32): f64 {
	return load<f64>(record + (<usize>i << 3));
}
@inline function address(record: usize, i: i32): usize {
	return <usize>field(record, i);
}
/** the last tunnel step in reach at the record's cycle k: k + 1 (cohort.ts, inReach) */
@inline function lastStepInReach(record: usize): i32 {
	return <i32>field(record, RECORD_CYCLE) + 1;
}

/**
 * One cycle of one strategy for n lanes, as the record at `record` says: the values the kernel
 * computes itself and the checks of the cycle's values, every row checked (checkRow), the
 * cohort moved from x_{k-1} to x_k with the one-off values on the flows, then the states'
 * values with the cycle-correction weights and discounting, added to the running totals in
 * the work area. Lanes that break a rule get bad[b] = 1. A strategy whose cohort is an earlier
 * one's (RECORD_COHORT_SOURCE) neither checks rows nor moves: that strategy did both this cycle
 * with the same values, so its x_{k-1}, x_k, flags and flow values are this one's.
 */
export function cycle(record: usize): void {
	const prog = address(record, RECORD_PROGRAM);
	const work = address(record, RECORD_WORK);
	const bad = address(record, RECORD_BAD);
	const n = <i32>field(record, RECORD_LANES);
	const slotColumn = header(prog, SLOT_COLUMN);
	fusedValues(prog, slotColumn, n);
	checkCycleValues(prog, slotColumn, bad, n);
	const cohortSource = address(record, RECORD_COHORT_SOURCE);
	markStartEmpty(record, prog, n);
	if (cohortSource == 0) {
		transitionAmounts(prog, slotColumn, n);
		moveCohort(record, prog, work, bad, n);
		if (field(record, RECORD_KEEP_FLOW_VALUES) != 0) copyColumns(column(work, FLOW_COST), column(work, CYCLE_COST), n);
	} else {
		// the same rows, moves and flow values as the earlier strategy's this cycle: its sums after the flows
		copyColumns(column(work, CYCLE_COST), column(cohortSource, FLOW_COST), n);
	}
	const occupiedCount = listOccupied(record, prog, n);
	const costsFinite = stateCostColumns(prog, slotColumn, n);
	stateValues(record, prog, work, occupiedCount, n, !costsFinite);
}

/** The cycle's values: per-cycle parameters within their kind's range, other values finite. */
function checkCycleValues(prog: usize, slotColumn: usize, bad: usize, n: i32): void {
	const finiteSlots = header(prog, FINITE_SLOTS);
	for (let j = 1, count = word(finiteSlots, 0); j <= count; j++) checkFinite(<usize>word(slotColumn, word(finiteSlots, j)), bad, n);
	const rangeColumns = header(prog, RANGE_COLUMNS);
	const rangeBounds = header(prog, RANGE_BOUNDS);
	for (let j = 1, count = word(rangeColumns, 0); j <= count; j++) {
		const p = word(rangeColumns, j);
		if (p >= 0) checkRange(<usize>p, load<f64>(rangeBounds + (<usize>(j - 1) << 4)), load<f64>(rangeBounds + (<usize>(j - 1) << 4) + 8), bad, n);
	}
}

/**
 * Each transition value's cost this cycle: its fixed costs, then each per-cycle cost added in
 * order (as the lean path), or without fixed costs the per-cycle ones from the first (not
 * 0 + first: the two differ only in the sign of a zero, and a cost of -0 or +0 adds a zero to
 * sums that are never -0, so the totals are the same to the last bit).
 */
function transitionAmounts(prog: usize, slotColumn: usize, n: i32): void {
	const tvCostStart = header(prog, TV_COST_START);
	const tvCostSlots = header(prog, TV_COST_SLOTS);
	const tvCostFixed = header(prog, TV_COST_FIXED);
	const hasFixed = header(prog, TV_HAS_FIXED_COSTS);
	const amounts = header(prog, TV_AMOUNTS);
	for (let tv = 0, count = word(header(prog, TV_COUNT), 0); tv < count; tv++) {
		sumCosts(column(amounts, tv), column(tvCostFixed, tv), word(hasFixed, tv) != 0, tvCostSlots, word(tvCostStart, tv), word(tvCostStart, tv + 1), slotColumn, n);
	}
}

/**
 * Into `sum`: the fixed costs (`fixed`, where `hasFixed`), then the per-cycle cost slots
 * list[first .. end - 1] added in order; without fixed costs, from the first slot's column.
 */
function sumCosts(sum: usize, fixed: usize, hasFixed: bool, list: usize, first: i32, end: i32, slotColumn: usize, n: i32): void {
	let c = first;
	if (hasFixed || c == end) memory.copy(sum, fixed, <usize>n << 3);
	else memory.copy(sum, <usize>word(slotColumn, word(list, c++)), <usize>n << 3);
	for (; c < end; c++) addInto(sum, <usize>word(slotColumn, word(list, c)), n);
}

/**
 * Every row in reach checked (each row that is not fixed summed, and its entries range-checked where it
 * is the first row to read one of its per-cycle slots; fixed rows were checked by startRows), and x_k = x_{k-1} P_k with the one-off values
 * of transition values on the flows, in entry order (the lean path's order of additions). A
 * state empty in every lane has its row checked and moves nothing (the lean path skips an empty state's flows; flows of 0
 * would change no share, since the shares start at +0): START_EMPTY (markStartEmpty) says which.
 */
function moveCohort(record: usize, prog: usize, work: usize, bad: usize, n: i32): void {
	const stateCount = load<i32>(prog);
	const cohortStart = address(record, RECORD_COHORT_START);
	const cohortEnd = address(record, RECORD_COHORT_END);
	const tolerance = field(record, RECORD_TOLERANCE);
	const eventCostWeight = field(record, RECORD_EVENT_COST_WEIGHT);
	const eventQalyWeight = field(record, RECORD_EVENT_QALY_WEIGHT);
	const rowStart = header(prog, ROW_START);
	const entryTo = header(prog, ENTRY_TO);
	const entrySlot = header(prog, ENTRY_SLOT);
	const complement = header(prog, COMPLEMENT);
	const tvStart = header(prog, TV_START);
	const tvList = header(prog, TV_LIST);
	const tvUtility = header(prog, TV_UTILITY);
	const slotColumn = header(prog, SLOT_COLUMN);
	const amounts = header(prog, TV_AMOUNTS);
	const rowColumns = header(prog, ROW_COLUMNS);
	const startEmpty = header(prog, START_EMPTY);
	const rowSum = column(work, ROW_SUM);
	const flows = column(work, FLOWS);
	const rowFixed = header(prog, ROW_FIXED);
	const keptComplement = header(prog, KEPT_COMPLEMENT);
	const rowChecked = header(prog, ROW_CHECKED);
	const rowShared = header(prog, ROW_SHARED);
	memory.fill(cohortEnd, 0, <usize>stateCount * COLUMN);
	zero(column(work, CYCLE_COST), n);
	zero(column(work, CYCLE_COST_UNDISCOUNTED), n);
	zero(column(work, CYCLE_QALYS), n);
	zero(column(work, CYCLE_QALYS_UNDISCOUNTED), n);
	const stateTime = header(prog, STATE_TIME);
	const lastStep = lastStepInReach(record);
	for (let e = 0; e < stateCount; e++) {
		// a tunnel step out of reach is empty at both ends of the cycle in every lane: its row is not checked
		if (word(stateTime, e) > lastStep) continue;
		const rowFirst = word(rowStart, e);
		const rowEnd = word(rowStart, e + 1);
		const complementEntry = word(complement, e);
		// a fixed row was checked and its complement kept by startRows, a shared row by an earlier
		// strategy this cycle (the same values: the same flags); the others are summed now
		let complementColumn = <usize>word(keptComplement, e);
		if (word(rowFixed, e) == 0 && word(rowShared, e) == 0) {
			if (complementColumn == 0) complementColumn = rowSum;
			const count = rowEntryColumns(prog, e, slotColumn, rowColumns);
			if (word(rowChecked, e) != 0) checkRow(rowColumns, count, complementEntry >= 0, complementColumn, bad, n, tolerance);
			else sumRow(rowColumns, count, complementEntry >= 0, complementColumn, bad, n, tolerance);
		}
		if (word(startEmpty, e) != 0) continue;
		const from = column(cohortStart, e);
		for (let q = rowFirst; q < rowEnd; q++) {
			const p = q == complementEntry ? complementColumn : <usize>word(slotColumn, word(entrySlot, q));
			const to = column(cohortEnd, word(entryTo, q));
			const valuesFirst = word(tvStart, q);
			const valuesEnd = word(tvStart, q + 1);
			if (valuesFirst == valuesEnd) {
				flowOnly(p, from, to, n);
				continue;
			}
			flowInto(p, from, to, flows, n);
			for (let h = valuesFirst; h < valuesEnd; h++) {
				const tv = word(tvList, h);
				flowValues(work, column(amounts, tv), eventCostWeight, CYCLE_COST, n);
				// without a utility (slot 0, always 0) the QALY sums would only get flow x 0 = +-0,
				// which leaves them as they are (they start at +0 and are never -0)
				const utilitySlot = word(tvUtility, tv);
				if (utilitySlot != 0) flowValues(work, <usize>word(slotColumn, utilitySlot), eventQalyWeight, CYCLE_QALYS, n);
			}
		}
	}
}

/** The four cycle sums of the flows' values (cycle cost, undiscounted, QALYs, undiscounted: consecutive columns) from `from` to `to`. */
function copyColumns(to: usize, from: usize, n: i32): void {
	for (let j = 0; j < 4; j++) memory.copy(column(to, j), column(from, j), <usize>n << 3);
}

/** START_EMPTY: 1 where a state is empty in every lane at the start of the cycle (a tunnel step out of reach is). */
function markStartEmpty(record: usize, prog: usize, n: i32): void {
	const stateCount = load<i32>(prog);
	const cohortStart = address(record, RECORD_COHORT_START);
	const startEmpty = header(prog, START_EMPTY);
	const stateTime = header(prog, STATE_TIME);
	const lastStep = lastStepInReach(record);
	for (let e = 0; e < stateCount; e++) store<i32>(startEmpty + (<usize>e << 2), word(stateTime, e) > lastStep || isEmpty(column(cohortStart, e), n) ? 1 : 0);
}

/**
 * Lists the states occupied in some lane at either end of the cycle in OCCUPIED (in increasing
 * order) and returns their count. A tunnel step out of reach is empty at both ends; a valueless
 * state adds 0 times a finite weighted share (a lane whose shares are not finite is flagged
 * already) to sums that are never -0: nothing. Neither is listed.
 */
function listOccupied(record: usize, prog: usize, n: i32): i32 {
	const stateCount = load<i32>(prog);
	const cohortEnd = address(record, RECORD_COHORT_END);
	const startEmpty = header(prog, START_EMPTY);
	const stateTime = header(prog, STATE_TIME);
	const lastStep = lastStepInReach(record);
	const occupied = header(prog, OCCUPIED);
	const valueless = header(prog, VALUELESS);
	let count = 0;
	for (let e = 0; e < stateCount; e++) {
		if (word(valueless, e) != 0 || word(stateTime, e) > lastStep) continue;
		if (word(startEmpty, e) != 0 && isEmpty(column(cohortEnd, e), n)) continue;
		store<i32>(occupied + (<usize>count << 2), e);
		count++;
	}
	return count;
}

/**
 * The cost column of each state this cycle (its fixed costs, then each per-cycle cost added in
 * order; without fixed costs, the per-cycle ones from the first, or the one slot's own column:
 * as in transitionAmounts, the same totals to the last bit), summed once for states whose cost
 * lists are the same (a tunnel's steps, say: the first such state's column serves them all), and
 * each state's utility column. Returns whether every cost column is finite in every lane (the
 * slots are checked, their sums and the fixed costs' sums not: they may overflow).
 */
function stateCostColumns(prog: usize, slotColumn: usize, n: i32): bool {
	const stateCount = load<i32>(prog);
	const stateCostStart = header(prog, STATE_COST_START);
	const stateCostSlots = header(prog, STATE_COST_SLOTS);
	const stateCostFixed = header(prog, STATE_COST_FIXED);
	const stateUtility = header(prog, STATE_UTILITY);
	const group = header(prog, COST_GROUP);
	const sums = header(prog, STATE_COST_SUMS);
	const hasFixed = header(prog, STATE_HAS_FIXED_COSTS);
	const costColumn = header(prog, COST_COLUMNS);
	const utilityColumn = header(prog, UTILITY_COLUMNS);
	let finite = true;
	for (let e = 0; e < stateCount; e++) {
		store<i32>(utilityColumn + (<usize>e << 2), word(slotColumn, word(stateUtility, e)));
		const first = word(group, e);
		if (first != e) {
			store<i32>(costColumn + (<usize>e << 2), word(costColumn, first));
			continue;
		}
		const costsFirst = word(stateCostStart, e);
		const costsEnd = word(stateCostStart, e + 1);
		const fixed = word(hasFixed, e) != 0;
		let costs = column(stateCostFixed, e);
		if (!fixed && costsEnd == costsFirst + 1) costs = <usize>word(slotColumn, word(stateCostSlots, costsFirst));
		else if (costsEnd > costsFirst) {
			costs = column(sums, e);
			sumCosts(costs, column(stateCostFixed, e), fixed, stateCostSlots, costsFirst, costsEnd, slotColumn, n);
			finite = finite && allFinite(costs, n);
		} else if (fixed) finite = finite && allFinite(costs, n);
		store<i32>(costColumn + (<usize>e << 2), <i32>costs);
	}
	return finite;
}

// Column arithmetic for per-cycle expressions (src/lib/engine/simulate/columns.ts): out = a op b over n
// lanes, where each operand is a column address or, for the scalar forms, a number.
export const ADD = 0;
export const SUBTRACT = 1;
export const MULTIPLY = 2;
export const DIVIDE = 3;
/** IEEE 754-2019 minimum and maximum, as Math.min and Math.max: NaN if either is NaN, -0 below +0 */
export const MINIMUM = 4;
export const MAXIMUM = 5;

// Each form runs two lanes at a time with f64x2 (the same IEEE operation on each lane), then the
// odd last lane, if any.
export function columnColumn(op: i32, out: usize, x: usize, y: usize, n: i32): void {
	let b = 0;
	switch (op) {
		case ADD:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.add(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, at(x, b) + at(y, b));
			break;
		case SUBTRACT:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.sub(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, at(x, b) - at(y, b));
			break;
		case MULTIPLY:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.mul(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, at(x, b) * at(y, b));
			break;
		case MINIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.min(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, min(at(x, b), at(y, b)));
			break;
		case MAXIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.max(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, max(at(x, b), at(y, b)));
			break;
		default:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.div(pair(x, b), pair(y, b)));
			for (; b < n; b++) put(out, b, at(x, b) / at(y, b));
	}
}

export function columnScalar(op: i32, out: usize, x: usize, y: f64, n: i32): void {
	const y2 = f64x2.splat(y);
	let b = 0;
	switch (op) {
		case ADD:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.add(pair(x, b), y2));
			for (; b < n; b++) put(out, b, at(x, b) + y);
			break;
		case SUBTRACT:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.sub(pair(x, b), y2));
			for (; b < n; b++) put(out, b, at(x, b) - y);
			break;
		case MULTIPLY:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.mul(pair(x, b), y2));
			for (; b < n; b++) put(out, b, at(x, b) * y);
			break;
		case MINIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.min(pair(x, b), y2));
			for (; b < n; b++) put(out, b, min(at(x, b), y));
			break;
		case MAXIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.max(pair(x, b), y2));
			for (; b < n; b++) put(out, b, max(at(x, b), y));
			break;
		default:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.div(pair(x, b), y2));
			for (; b < n; b++) put(out, b, at(x, b) / y);
	}
}

export function scalarColumn(op: i32, out: usize, x: f64, y: usize, n: i32): void {
	const x2 = f64x2.splat(x);
	let b = 0;
	switch (op) {
		case ADD:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.add(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, x + at(y, b));
			break;
		case SUBTRACT:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.sub(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, x - at(y, b));
			break;
		case MULTIPLY:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.mul(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, x * at(y, b));
			break;
		case MINIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.min(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, min(x, at(y, b)));
			break;
		case MAXIMUM:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.max(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, max(x, at(y, b)));
			break;
		default:
			for (; b + 1 < n; b += 2) putPair(out, b, f64x2.div(x2, pair(y, b)));
			for (; b < n; b++) put(out, b, x / at(y, b));
	}
}

// Checks over n lanes, flagging failing lanes in bad.

/** bad[b] = 1 where the value is outside [lower, upper] or NaN (a parameter's range by kind). */
export function checkRange(p: usize, lower: f64, upper: f64, bad: usize, n: i32): void {
	const lo = f64x2.splat(lower);
	const hi = f64x2.splat(upper);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		const v = pair(p, b);
		flagPair(bad, b, v128.and(f64x2.ge(v, lo), f64x2.le(v, hi)));
	}
	for (; b < n; b++) {
		const v = at(p, b);
		if (!(v >= lower && v <= upper)) flag(bad, b);
	}
}

/** bad[b] = 1 where the value is not finite (v - v is 0 for every finite v, NaN otherwise). */
export function checkFinite(p: usize, bad: usize, n: i32): void {
	const zero2 = f64x2.splat(0);
	let b = 0;
	for (; b + 1 < n; b += 2) {
		const v = pair(p, b);
		flagPair(bad, b, f64x2.eq(f64x2.sub(v, v), zero2));
	}
	for (; b < n; b++) {
		const v = at(p, b);
		if (!(v - v == 0)) flag(bad, b);
	}
}

// ---- Random variates of the PSA's draws (src/lib/engine/analysis/distributions.ts) ----
//
// The generator is the one specified in docs/random.md (xoshiro128** 1.1, seeded by splitmix32,
// doubles from 53 bits of two outputs, one substream per PSA iteration by the jump function),
// which src/lib/engine/analysis/random.ts implements too. Lane b (0 <= b < n) draws from its own
// stream, whose four 32-bit words are at states + 16 b, and writes its variate to out[b]; each
// stream's state is advanced past what it used. The algorithms, their order of use of the stream
// and their arithmetic are those of random.ts and distributions.ts, so the values are the same to
// the last bit (checked against a
// plain reference in tests/unit/analysis-sampling-reference.test.ts); the logarithm is fdlibm's,
// the one V8 and SpiderMonkey use for Math.log.

const TWO_POW_26: f64 = 67108864;
const TWO_POW_53: f64 = 9007199254740992;

/** Two outputs of a stream as a double: ((a >>> 5) * 2^26 + (b >>> 6) + offset) / 2^53 (docs/random.md, step 3). */
@inline function nextDouble(st: usize, offset: f64): f64 {
	let s0 = load<u32>(st);
	let s1 = load<u32>(st, 4);
	let s2 = load<u32>(st, 8);
	let s3 = load<u32>(st, 12);
	let bits: f64 = 0;
	for (let i: u32 = 0; i < 2; i++) {
		bits = bits * TWO_POW_26 + <f64>(rotl<u32>(s1 * 5, 7) * 9 >>> (5 + i));
		const t = s1 << 9;
		s2 ^= s0;
		s3 ^= s1;
		s1 ^= s2;
		s0 ^= s3;
		s2 ^= t;
		s3 = rotl<u32>(s3, 11);
	}
	store<u32>(st, s0);
	store<u32>(st, s1, 4);
	store<u32>(st, s2, 8);
	store<u32>(st, s3, 12);
	return (bits + offset) / TWO_POW_53;
}

/** A standard normal by Marsaglia's polar method, the spare discarded (sampleStandardNormal). */
@inline function standardNormal(st: usize): f64 {
	for (;;) {
		const u = 2 * nextDouble(st, 0) - 1;
		const v = 2 * nextDouble(st, 0) - 1;
		const s = u * u + v * v;
		if (s > 0 && s < 1) return u * Math.sqrt((-2 * fdlibmLog(s)) / s);
	}
	return unreachable();
}

/** Marsaglia & Tsang's gamma for a shape of at least 1, from d = shape - 1/3 and c = 1 / sqrt(9 d) (marsagliaTsang). */
function marsagliaTsang(st: usize, d: f64, c: f64): f64 {
	for (;;) {
		let x: f64;
		let v: f64;
		do {
			x = standardNormal(st);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = nextDouble(st, 0.5);
		if (u < 1 - 0.0331 * x * x * x * x) return d * v;
		if (fdlibmLog(u) < 0.5 * x * x + d * (1 - v + fdlibmLog(v))) return d * v;
	}
	return unreachable();
}

/** out[b] = lane b's uniform: in [0, 1) with offset 0 (uniform), in (0, 1) with offset 0.5 (uniformOpen). */
export function uniforms(states: usize, n: i32, offset: f64, out: usize): void {
	for (let b = 0; b < n; b++) put(out, b, nextDouble(states + (<usize>b << 4), offset));
}

/** out[b] = lane b's standard normal. */
export function normals(states: usize, n: i32, out: usize): void {
	for (let b = 0; b < n; b++) put(out, b, standardNormal(states + (<usize>b << 4)));
}

/** out[b] = lane b's gamma draw d v (shape at least 1, scale 1). */
export function gammas(states: usize, n: i32, d: f64, c: f64, out: usize): void {
	for (let b = 0; b < n; b++) put(out, b, marsagliaTsang(states + (<usize>b << 4), d, c));
}

/** fdlibmLog, exported for its test against Math.log. */
export function logarithm(x: f64): f64 {
	return fdlibmLog(x);
}

// fdlibm's __ieee754_log (e_log.c), as V8 (src/base/ieee754.cc) and SpiderMonkey compute
// Math.log: the same operations in the same order, so the same result to the last bit.
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================
const LN2_HI: f64 = 6.93147180369123816490e-01; // 3fe62e42 fee00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 3dea39ef 35793c76
const TWO54: f64 = 1.80143985094819840000e16; // 43500000 00000000
const LG1: f64 = 6.666666666666735130e-01; // 3FE55555 55555593
const LG2: f64 = 3.999999999940941908e-01; // 3FD99999 9997FA04
const LG3: f64 = 2.857142874366239149e-01; // 3FD24924 94229359
const LG4: f64 = 2.222219843214978396e-01; // 3FCC71C5 1D8E78AF
const LG5: f64 = 1.818357216161805012e-01; // 3FC74664 96CB03DE
const LG6: f64 = 1.531383769920937332e-01; // 3FC39A09 D078C69F
const LG7: f64 = 1.479819860511658591e-01; // 3FC2F112 DF3E5244

@inline function highWord(x: f64): i32 {
	return <i32>(reinterpret<u64>(x) >>> 32);
}
@inline function lowWord(x: f64): u32 {
	return <u32>reinterpret<u64>(x);
}
@inline function withHighWord(x: f64, hi: i32): f64 {
	return reinterpret<f64>((<u64><u32>hi << 32) | <u64>lowWord(x));
}

function fdlibmLog(x: f64): f64 {
	let hx = highWord(x);
	const lx = lowWord(x);
	let k: i32 = 0;
	if (hx < 0x00100000) {
		// x < 2^-1022
		if (((hx & 0x7fffffff) | lx) == 0) return -Infinity; // log(+-0) = -inf
		if (hx < 0) return NaN; // log(-#) = NaN
		k -= 54;
		x *= TWO54; // subnormal: scale up
		hx = highWord(x);
	}
	if (hx >= 0x7ff00000) return x + x;
	k += (hx >> 20) - 1023;
	hx &= 0x000fffff;
	let i = (hx + 0x95f64) & 0x100000;
	x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalise x or x/2
	k += i >> 20;
	const f = x - 1.0;
	if ((0x000fffff & (2 + hx)) < 3) {
		// -2^-20 <= f < 2^-20
		if (f == 0) {
			if (k == 0) return 0;
			const dk = <f64>k;
			return dk * LN2_HI + dk * LN2_LO;
		}
		const R = f * f * (0.5 - 0.33333333333333333 * f);
		if (k == 0) return f - R;
		const dk = <f64>k;
		return dk * LN2_HI - ((R - dk * LN2_LO) - f);
	}
	const s = f / (2.0 + f);
	const dk = <f64>k;
	const z = s * s;
	i = hx - 0x6147a;
	const w = z * z;
	const j = 0x6b851 - hx;
	const t1 = w * (LG2 + w * (LG4 + w * LG6));
	const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
	i |= j;
	const R = t2 + t1;
	if (i > 0) {
		const hfsq = 0.5 * f * f;
		if (k == 0) return f - (hfsq - s * (hfsq + R));
		return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
	}
	if (k == 0) return f - s * (f - R);
	return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}
