/**
 * Many PSA iterations at once: the lanes of every column are iterations (up to BLOCK), so each
 * expression is one closure call per cycle for the whole batch and the cohort loop runs as tight
 * loops over Float64Arrays, iteration by iteration in the innermost loop. It computes exactly
 * what the lean path of cohort.ts computes (same operations in the same order, lane by lane, so
 * the totals are identical to the last bit); tests/unit/batch.test.ts holds the two equal.
 *
 * It does not report errors. A lane whose values break a rule (a parameter outside its kind's
 * range, a value that is not finite, a probability outside [0, 1], a row not summing to 1, a
 * total too large to add up) is flagged in `bad`, and the caller runs that iteration through
 * `runner.totals`, which names the problem. Models with tunnel states (state_time) or
 * time-dependent starting values are not batched (`createBatch` returns null): the caller uses
 * the lean path for them.
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from './compile';
import { BLOCK as IMPORTED_BLOCK, Variation, compileColumn, createLanes, type ColumnEvaluator } from './columns';
import { columnContext, layoutStrategy, parameterSource, splitCosts } from './layout';
import { cycleWeights, discountFactors, type CycleWeights } from './cycleCorrection';
import type { Evaluator } from './expressions';
import { lifeTableLookup } from './lifeTable';
import { PROBABILITY_TOLERANCE, TOTALS } from './cohort';
import { kindBounds } from './parameterChecks';
import type { Settings } from './schema';

/** iterations per batch */
export const BATCH: number = IMPORTED_BLOCK;
const B: number = BATCH;
const TOL = PROBABILITY_TOLERANCE;

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

interface Program {
	st: CompiledStrategy;
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
	hoisted: Evaluator[];
	hoistedSlots: Int32Array;
	/** slot columns: constant slots evaluated once per batch, time slots every cycle */
	slotColumns: Float64Array[];
	constSlots: Int32Array;
	constSlotEval: ColumnEvaluator[];
	timeSlots: Int32Array;
	timeSlotEval: ColumnEvaluator[];
	/** 1 for time slots to check finite: those read outside transition rows (rows are range-checked, which catches NaN and infinities) */
	timeSlotCheck: Uint8Array;
	startSlots: Int32Array; // per collapsed state (0: none)
	startCostSlots: Int32Array;
	startUtilitySlot: number;
	rowStart: Int32Array;
	entryTo: Int32Array;
	entrySlot: Int32Array;
	/** index of the complement entry of each row, or -1 */
	complement: Int32Array;
	tvStart: Int32Array;
	tvList: Int32Array;
	stateCostStart: Int32Array;
	stateCostSlots: Int32Array;
	stateCostFixedStart: Int32Array;
	stateCostFixedSlots: Int32Array;
	tvCostStart: Int32Array;
	tvCostSlots: Int32Array;
	tvCostFixedStart: Int32Array;
	tvCostFixedSlots: Int32Array;
	stateUtility: Int32Array;
	tvUtility: Int32Array;
	fixedSlots: Int32Array;
	fixedValues: Float64Array;
}

/**
 * @param drawn parameter slots whose values differ between iterations (the PSA's draws); every
 *   other parameter must have the same value in every lane of `values`
 */
export function createBatch(cm: CompiledModel, drawn: ArrayLike<number>): Batch | null {
	const readsStateTime = (cv: CompiledValue | null) => cv !== null && (cv.dependence & Dependence.StateTime) !== 0;
	for (const st of cm.strategies) {
		if (st.plan.stateTimeOrder.length > 0 || cm.expanded.count !== cm.stateIds.length) return null;
		const start = [...st.start, ...st.startValues.costs, st.startValues.utility];
		if (start.some((cv) => cv !== null && cv.dependence !== Dependence.Constant)) return null;
		if (st.rows.some((row) => row.some((entry) => readsStateTime(entry.value)))) return null;
	}
	const E = cm.stateIds.length;
	const P = cm.parameterIds.length;
	const slots = cm.slots;
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const lanes = createLanes();
	const nextSlot = { value: slots.size };
	let inputRows: Float64Array[] = [];
	const isDrawn = new Uint8Array(cm.parameterIds.length);
	for (let j = 0; j < drawn.length; j++) isDrawn[drawn[j]] = 1;
	const programs = cm.strategies.map((st) => buildProgram(cm, st, isDrawn, nextSlot, lifeTables, lanes));
	const vars = new Float64Array(nextSlot.value);
	// the same bounds by parameter kind as the runner checks (run.ts)
	const { lower: lowerBound, upper: upperBound } = kindBounds(cm.parameterIds, cm.model.parameters);
	const x0 = new Float64Array(E * B);
	const x1 = new Float64Array(E * B);
	const rowSum = new Float64Array(B);
	const flowBuf = new Float64Array(B);
	const ce = new Float64Array(B);
	const amount = new Float64Array(B);
	const lane = {
		cost: new Float64Array(B),
		costU: new Float64Array(B),
		qaly: new Float64Array(B),
		qalyU: new Float64Array(B),
		ly: new Float64Array(B),
		lyU: new Float64Array(B),
		cycleCost: new Float64Array(B),
		cycleCostU: new Float64Array(B),
		cycleQ: new Float64Array(B),
		cycleQU: new Float64Array(B),
		sq: new Float64Array(B),
		sqU: new Float64Array(B),
		sl: new Float64Array(B),
		slU: new Float64Array(B)
	};
	const stateCostFixed = Array.from({ length: E }, () => new Float64Array(B));
	const tvCostFixed = Array.from({ length: Math.max(0, ...cm.strategies.map((st) => st.transitionValues.length)) }, () => new Float64Array(B));
	const aliveUnit = new Float64Array(E);
	for (let e = 0; e < E; e++) aliveUnit[e] = cm.dead[e] ? 0 : 1;
	let lastValues: Float64Array | null = null;
	let timingKey = '';
	let weights: CycleWeights = cycleWeights('end', 1);
	let dc: Float64Array = new Float64Array(2);
	let dq: Float64Array = new Float64Array(2);

	const skip = (p: Program, forced: Uint8Array, i: number) => forced[i] === 1 && !p.st.plan.overridden.has(i);
	/** a parameter with one value for the batch (or cycle): out of range flags every lane */
	const scalarParam = (p: Program, i: number, evaluate: Evaluator, forced: Uint8Array, n: number, bad: Uint8Array) => {
		if (skip(p, forced, i)) return;
		const v = evaluate(vars);
		vars[i] = v;
		if (!(v >= lowerBound[i] && v <= upperBound[i])) bad.fill(1, 0, n);
	};
	const columnParam = (p: Program, i: number, evaluate: ColumnEvaluator, forced: Uint8Array, n: number, bad: Uint8Array) => {
		if (skip(p, forced, i)) {
			p.paramColumns[i] = inputRows[i];
			return;
		}
		const col = evaluate(vars);
		const lo = lowerBound[i];
		const hi = upperBound[i];
		for (let b = 0; b < n; b++) {
			const v = col[b];
			if (!(v >= lo && v <= hi)) bad[b] = 1;
		}
		p.paramColumns[i] = col;
	};

	return {
		totals(values, n, settings, forced, out, bad, cycleCosts, cycleCostsU, firstIteration = 0) {
			if (values !== lastValues) {
				inputRows = Array.from({ length: P }, (_, i) => values.subarray(i * B, (i + 1) * B));
				lastValues = values;
			}
			const key = `${settings.cycleCorrection}|${settings.horizon}|${settings.cycleLength}|${settings.discountRates.costs}|${settings.discountRates.outcomes}`;
			if (key !== timingKey) {
				weights = cycleWeights(settings.cycleCorrection, settings.horizon);
				dc = discountFactors(settings.discountRates.costs, settings.horizon, settings.cycleLength);
				dq = discountFactors(settings.discountRates.outcomes, settings.horizon, settings.cycleLength);
				timingKey = key;
			}
			lanes.n = n;
			bad.fill(0, 0, n);
			const horizon = settings.horizon;
			const cl = settings.cycleLength;
			const { alpha, beta, eventAlpha, eventBeta } = weights;
			for (let si = 0; si < programs.length; si++) {
				const p = programs[si];
				// parameters: the first lane's values (the same in every lane unless drawn), fixed numbers, then expressions
				for (let i = 0; i < P; i++) {
					vars[i] = values[i * B];
					p.paramColumns[i] = inputRows[i];
				}
				for (let j = 0; j < p.fixedSlots.length; j++) vars[p.fixedSlots[j]] = p.fixedValues[j];
				vars[slots.cycle_length] = cl;
				vars[slots.model_time] = 1;
				vars[slots.age] = settings.startAge;
				vars[slots.state_time] = 1;
				for (let j = 0; j < p.constScalar.length; j++) scalarParam(p, p.constScalar[j], p.constScalarEval[j], forced, n, bad);
				for (let j = 0; j < p.hoisted.length; j++) vars[p.hoistedSlots[j]] = p.hoisted[j](vars);
				for (let j = 0; j < p.constColumn.length; j++) columnParam(p, p.constColumn[j], p.constColumnEval[j], forced, n, bad);
				evalSlots(p.constSlots, p.constSlotEval, null, p.slotColumns, vars, n, bad);

				// start
				x0.fill(0);
				rowSum.fill(0, 0, n);
				for (let s = 0; s < E; s++) {
					const slot = p.startSlots[s];
					const col = p.slotColumns[slot];
					const base = s * B;
					for (let b = 0; b < n; b++) {
						const v = col[b];
						if (!(v >= -TOL && v <= 1 + TOL)) bad[b] = 1;
						x0[base + b] = v;
						rowSum[b] += v;
					}
				}
				for (let b = 0; b < n; b++) if (Math.abs(rowSum[b] - 1) > TOL) bad[b] = 1;
				const { cost, costU, qaly, qalyU, ly, lyU, cycleCost, cycleCostU, cycleQ, cycleQU, sq, sqU, sl, slU } = lane;
				cost.fill(0, 0, n);
				for (let c = 0; c < p.startCostSlots.length; c++) {
					const col = p.slotColumns[p.startCostSlots[c]];
					for (let b = 0; b < n; b++) cost[b] += col[b];
				}
				for (let b = 0; b < n; b++) costU[b] = cost[b];
				const u0 = p.slotColumns[p.startUtilitySlot];
				for (let b = 0; b < n; b++) {
					qaly[b] = u0[b];
					qalyU[b] = u0[b];
				}
				ly.fill(0, 0, n);
				lyU.fill(0, 0, n);
				const n1 = horizon + 1;
				// where lane b's costs of this strategy start: base + b * laneStride
				const laneStride = programs.length * n1;
				const base = firstIteration * laneStride + si * n1;
				if (cycleCosts) for (let b = 0; b < n; b++) cycleCosts[base + b * laneStride] = cost[b];
				if (cycleCostsU) for (let b = 0; b < n; b++) cycleCostsU[base + b * laneStride] = cost[b];

				// costs that do not change with time, summed once per batch
				sumColumns(p.slotColumns, p.stateCostFixedStart, p.stateCostFixedSlots, stateCostFixed, n);
				sumColumns(p.slotColumns, p.tvCostFixedStart, p.tvCostFixedSlots, tvCostFixed, n);

				const { rowStart, entryTo, entrySlot, complement, tvStart, tvList, stateCostStart, stateCostSlots, tvCostStart, tvCostSlots, stateUtility, tvUtility, slotColumns } = p;
				let xa = x0;
				let xb = x1;
				for (let k = 1; k <= horizon; k++) {
					vars[slots.model_time] = k;
					vars[slots.age] = settings.startAge + (k - 1) * cl;
					const timeOrder = p.timeOrder;
					for (let j = 0; j < timeOrder.length; j++) {
						if (p.timeIsColumn[j]) columnParam(p, timeOrder[j], p.timeEval[j] as ColumnEvaluator, forced, n, bad);
						else scalarParam(p, timeOrder[j], p.timeEval[j] as Evaluator, forced, n, bad);
					}
					evalSlots(p.timeSlots, p.timeSlotEval, p.timeSlotCheck, slotColumns, vars, n, bad);

					xb.fill(0);
					const evC = eventAlpha * dc[k - 1] + eventBeta * dc[k];
					const evQ = eventAlpha * dq[k - 1] + eventBeta * dq[k];
					cycleCost.fill(0, 0, n);
					cycleCostU.fill(0, 0, n);
					cycleQ.fill(0, 0, n);
					cycleQU.fill(0, 0, n);
					for (let e = 0; e < E; e++) {
						const r0 = rowStart[e];
						const r1 = rowStart[e + 1];
						const comp = complement[e];
						const xe = e * B;
						// row sums and checks (the complement's share is 1 minus the others); when the
						// complement is the last entry (or there is none) the flows of the others go in
						// the same pass, which keeps the order of additions of the lean path
						const fused = comp < 0 || comp === r1 - 1;
						rowSum.fill(0, 0, n);
						for (let q = r0; q < r1; q++) {
							if (q === comp) continue;
							const col = slotColumns[entrySlot[q]];
							if (fused && tvStart[q] === tvStart[q + 1]) checkAndFlow(col, rowSum, bad, xa, xe, xb, entryTo[q] * B, n);
							else check(col, rowSum, bad, n);
						}
						if (comp < 0) checkSum(rowSum, bad, n);
						else complementOf(rowSum, bad, n);
						// flows, in entry order, and one-off values on them
						for (let q = r0; q < r1; q++) {
							const h0 = tvStart[q];
							const h1 = tvStart[q + 1];
							if (fused && q !== comp && h0 === h1) continue; // done above
							const col = q === comp ? rowSum : slotColumns[entrySlot[q]];
							const to = entryTo[q] * B;
							if (h0 === h1) {
								flowOnly(col, xa, xe, xb, to, n);
								continue;
							}
							flowInto(col, xa, xe, xb, to, flowBuf, n);
							for (let h = h0; h < h1; h++) {
								const tv = tvList[h];
								const fixedAmount = tvCostFixed[tv];
								for (let b = 0; b < n; b++) amount[b] = fixedAmount[b];
								for (let c = tvCostStart[tv]; c < tvCostStart[tv + 1]; c++) addInto(amount, slotColumns[tvCostSlots[c]], n);
								transitionValues(flowBuf, amount, slotColumns[tvUtility[tv]], evC, evQ, lane, n);
							}
						}
					}

					// state values with cycle-correction weights and discounting
					const a = alpha[k];
					const bw = beta[k];
					const ac = a * dc[k - 1];
					const bc = bw * dc[k];
					const aq = a * dq[k - 1];
					const bq = bw * dq[k];
					sq.fill(0, 0, n);
					sqU.fill(0, 0, n);
					sl.fill(0, 0, n);
					slU.fill(0, 0, n);
					for (let e = 0; e < E; e++) {
						const xe = e * B;
						const fixedCost = stateCostFixed[e];
						const c0 = stateCostStart[e];
						const c1 = stateCostStart[e + 1];
						let costs = fixedCost;
						if (c1 > c0) {
							for (let b = 0; b < n; b++) ce[b] = fixedCost[b];
							for (let c = c0; c < c1; c++) addInto(ce, slotColumns[stateCostSlots[c]], n);
							costs = ce;
						}
						stateValues(xa, xb, xe, costs, slotColumns[stateUtility[e]], aliveUnit[e], a, bw, ac, bc, aq, bq, lane, n);
					}
					for (let b = 0; b < n; b++) {
						cycleQ[b] += sq[b] * cl;
						cycleQU[b] += sqU[b] * cl;
						cost[b] += cycleCost[b];
						costU[b] += cycleCostU[b];
						qaly[b] += cycleQ[b];
						qalyU[b] += cycleQU[b];
						ly[b] += sl[b] * cl;
						lyU[b] += slU[b] * cl;
					}
					if (cycleCosts) for (let b = 0; b < n; b++) cycleCosts[base + b * laneStride + k] = cycleCost[b];
					if (cycleCostsU) for (let b = 0; b < n; b++) cycleCostsU[base + b * laneStride + k] = cycleCostU[b];
					const swap = xa;
					xa = xb;
					xb = swap;
				}
				for (let f = 0; f < TOTAL_FIELDS.length; f++) {
					const src = lane[TOTAL_FIELDS[f]];
					const base = (si * TOTALS.size + f) * B;
					for (let b = 0; b < n; b++) {
						const v = src[b];
						if (!Number.isFinite(v)) bad[b] = 1;
						out[base + b] = v;
					}
				}
			}
		}
	};
}

// Kernels of the cohort loop: small functions, each called thousands of times per batch, so V8
// optimises them within the first batch.

type LaneSums = { cycleCost: Float64Array; cycleCostU: Float64Array; cycleQ: Float64Array; cycleQU: Float64Array; sq: Float64Array; sqU: Float64Array; sl: Float64Array; slU: Float64Array };

/** A row entry's probabilities: checked, summed, and moved (xb[to] += xa[from] * p). */
function checkAndFlow(col: Float64Array, rowSum: Float64Array, bad: Uint8Array, xa: Float64Array, xe: number, xb: Float64Array, to: number, n: number): void {
	for (let b = 0; b < n; b++) {
		const v = col[b];
		if (!(v >= -TOL && v <= 1 + TOL)) bad[b] = 1;
		rowSum[b] += v;
		xb[to + b] += xa[xe + b] * v;
	}
}

function check(col: Float64Array, rowSum: Float64Array, bad: Uint8Array, n: number): void {
	for (let b = 0; b < n; b++) {
		const v = col[b];
		if (!(v >= -TOL && v <= 1 + TOL)) bad[b] = 1;
		rowSum[b] += v;
	}
}

function checkSum(rowSum: Float64Array, bad: Uint8Array, n: number): void {
	for (let b = 0; b < n; b++) if (rowSum[b] > 1 + TOL || rowSum[b] < 1 - TOL) bad[b] = 1;
}

/** The complement C = 1 - (sum of the others), in place. */
function complementOf(rowSum: Float64Array, bad: Uint8Array, n: number): void {
	for (let b = 0; b < n; b++) {
		const v = 1 - rowSum[b];
		if (v < -TOL) bad[b] = 1;
		rowSum[b] = v;
	}
}

function flowOnly(col: Float64Array, xa: Float64Array, xe: number, xb: Float64Array, to: number, n: number): void {
	for (let b = 0; b < n; b++) xb[to + b] += xa[xe + b] * col[b];
}

function flowInto(col: Float64Array, xa: Float64Array, xe: number, xb: Float64Array, to: number, flows: Float64Array, n: number): void {
	for (let b = 0; b < n; b++) {
		const flow = xa[xe + b] * col[b];
		flows[b] = flow;
		xb[to + b] += flow;
	}
}

function addInto(out: Float64Array, col: Float64Array, n: number): void {
	for (let b = 0; b < n; b++) out[b] += col[b];
}

/** One-off costs and utility of a transition value on a flow. */
function transitionValues(flows: Float64Array, amount: Float64Array, u: Float64Array, evC: number, evQ: number, s: LaneSums, n: number): void {
	const { cycleCost, cycleCostU, cycleQ, cycleQU } = s;
	for (let b = 0; b < n; b++) {
		const flow = flows[b];
		const a = amount[b] * flow;
		cycleCost[b] += a * evC;
		cycleCostU[b] += a;
		const du = flow * u[b];
		cycleQ[b] += du * evQ;
		cycleQU[b] += du;
	}
}

/** A state's costs, QALYs and life years for one cycle, with cycle-correction weights and discounting. */
function stateValues(
	xa: Float64Array,
	xb: Float64Array,
	xe: number,
	costs: Float64Array,
	u: Float64Array,
	alive: number,
	a: number,
	bw: number,
	ac: number,
	bc: number,
	aq: number,
	bq: number,
	s: LaneSums,
	n: number
): void {
	const { cycleCost, cycleCostU, sq, sqU, sl, slU } = s;
	for (let b = 0; b < n; b++) {
		const y0 = xa[xe + b];
		const y1 = xb[xe + b];
		if (y0 === 0 && y1 === 0) continue;
		const mU = a * y0 + bw * y1;
		const mQ = aq * y0 + bq * y1;
		const cv = costs[b];
		cycleCost[b] += cv * (ac * y0 + bc * y1);
		cycleCostU[b] += cv * mU;
		sl[b] += alive * mQ;
		slU[b] += alive * mU;
		const uv = u[b];
		sq[b] += uv * mQ;
		sqU[b] += uv * mU;
	}
}

/** Evaluates slot columns, flagging lanes with a value that is not finite. */
function evalSlots(list: Int32Array, evaluators: ColumnEvaluator[], check: Uint8Array | null, columns: Float64Array[], vars: Float64Array, n: number, bad: Uint8Array): void {
	for (let j = 0; j < list.length; j++) {
		const col = evaluators[j](vars);
		if (!check || check[j] === 1) for (let b = 0; b < n; b++) if (!Number.isFinite(col[b])) bad[b] = 1;
		columns[list[j]] = col;
	}
}

/** out[i][b] = sum of columns[list[j]][b] over j in [start[i], start[i + 1]), in list order. */
function sumColumns(columns: Float64Array[], start: Int32Array, list: Int32Array, out: Float64Array[], n: number): void {
	for (let i = 0; i + 1 < start.length; i++) {
		const o = out[i];
		o.fill(0, 0, n);
		for (let j = start[i]; j < start[i + 1]; j++) {
			const col = columns[list[j]];
			for (let b = 0; b < n; b++) o[b] += col[b];
		}
	}
}


function buildProgram(
	cm: CompiledModel,
	st: CompiledStrategy,
	isDrawn: Uint8Array,
	nextSlot: { value: number },
	lifeTables: ReturnType<typeof lifeTableLookup>,
	lanes: ReturnType<typeof createLanes>
): Program {
	const P = cm.parameterIds.length;
	const plan = st.plan;
	const layout = layoutStrategy(cm, st, false, true);
	const { sources, stateCosts, stateUtility, tvCosts, tvUtility, startSlots, startCostSlots, startUtilitySlot } = layout;

	const paramColumns: Float64Array[] = new Array(P);
	const hoisted = { evaluators: [] as Evaluator[], slots: [] as number[] };
	// how each parameter varies in this strategy: with the draws (a column), else per cycle or per run
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
	const timeCompiled = plan.timeOrder.map((i) => compileParam(i, true));
	const asColumn = (source: string | number, path: string) => compileColumn(source, ctx, path).column;
	const varies = (slot: number) => slot !== 0 && (sources[slot] as CompiledValue).dependence !== Dependence.Constant;
	const constSlots: number[] = [];
	const timeSlots: number[] = [];
	for (let slot = 1; slot < sources.length; slot++) (varies(slot) ? timeSlots : constSlots).push(slot);
	const slotEval = (slot: number) => {
		const cv = sources[slot] as CompiledValue;
		return asColumn(cv.source, cv.path);
	};
	const stateCostSplit = splitCosts(layout, stateCosts);
	const tvCostSplit = splitCosts(layout, tvCosts);
	const slotColumns: Float64Array[] = sources.map(() => new Float64Array(B));
	// compiled before hoistedSlots is copied below: compiling registers hoisted parts
	const constSlotEval = constSlots.map(slotEval);
	const timeSlotEval = timeSlots.map(slotEval);
	const readOutsideRows = new Set([...stateCosts.flat(), ...stateUtility, ...tvCosts.flat(), ...tvUtility, ...startSlots, ...startCostSlots, startUtilitySlot]);
	return {
		st,
		paramColumns,
		constScalar,
		constScalarEval,
		constColumn,
		constColumnEval,
		timeOrder: plan.timeOrder,
		timeEval: timeCompiled.map((c) => (c.isColumn ? c.column : c.scalar)),
		timeIsColumn: Uint8Array.from(timeCompiled.map((c) => (c.isColumn ? 1 : 0))),
		hoisted: hoisted.evaluators,
		hoistedSlots: Int32Array.from(hoisted.slots),
		slotColumns,
		constSlots: Int32Array.from(constSlots),
		constSlotEval,
		timeSlots: Int32Array.from(timeSlots),
		timeSlotEval,
		timeSlotCheck: Uint8Array.from(timeSlots.map((slot) => (readOutsideRows.has(slot) ? 1 : 0))),
		startSlots,
		startCostSlots,
		startUtilitySlot,
		rowStart: layout.rowStart,
		entryTo: layout.entryTo,
		entrySlot: layout.entrySlot,
		complement: layout.complement,
		tvStart: layout.tvStart,
		tvList: layout.tvList,
		stateCostStart: stateCostSplit.varying.start,
		stateCostSlots: stateCostSplit.varying.items,
		stateCostFixedStart: stateCostSplit.fixed.start,
		stateCostFixedSlots: stateCostSplit.fixed.items,
		tvCostStart: tvCostSplit.varying.start,
		tvCostSlots: tvCostSplit.varying.items,
		tvCostFixedStart: tvCostSplit.fixed.start,
		tvCostFixedSlots: tvCostSplit.fixed.items,
		stateUtility,
		tvUtility,
		fixedSlots: Int32Array.from(plan.fixed.keys()),
		fixedValues: Float64Array.from(plan.fixed.values())
	};
}
