/**
 * The lean path for many runs (PSA, DSA, threshold search): per strategy, the model is laid out
 * once as a flat program (every transition, cost and utility expression gets a slot in a
 * Float64Array; lists say which slots to re-evaluate once per run, every cycle, or per tunnel
 * step), and each run only evaluates those lists and does typed-array arithmetic. It computes
 * the same quantities as `simulate` in run.ts (same cycle correction, discounting, checks and
 * error messages) but keeps no trace and no per-category or outcome arrays; the tests check the
 * two paths agree (tests/unit/analysis-totals.test.ts).
 *
 * Why a second path: the general one walks objects and re-checks each value's dependence every
 * cycle, about 2 ms per iteration of a 20-state, 65-cycle, 5-strategy model; this path is
 * several times faster, which the 10,000-iteration PSA needs (see bench/run.ts).
 */
import { Dependence, type CompiledModel, type CompiledStrategy, type CompiledValue } from './compile';
import { cycleWeights, discountFactors, type CycleWeights } from './cycleCorrection';
import { ModelError, issue, joinPath } from './errors';
import { parameterValueProblem } from './parameterChecks';
import type { Settings } from './schema';
import { PROBABILITY_TOLERANCE, TOTALS, TOTAL_NAMES, overflowError, rowError, sumError } from './run';
import type { Evaluator } from './expressions';
import { lifeTableLookup } from './lifeTable';
import { compileStaged, type StageContext } from './stagedExpressions';

interface Program {
	st: CompiledStrategy;
	/** slot values; slot 0 is always 0 (an absent value) */
	vals: Float64Array;
	/** the compiled value behind each slot (null for slot 0), for messages */
	sources: (CompiledValue | null)[];
	/** the evaluator of each slot: per-cycle ones staged (per-run parts hoisted) */
	evaluators: Evaluator[];
	/** per-run subexpressions: evaluated after the constant parameters into vars[hoistedSlots[j]] */
	hoisted: Evaluator[];
	hoistedSlots: Int32Array;
	/** staged evaluators of the time- and state_time-dependent parameters, parallel to plan.timeOrder / stateTimeOrder */
	timeParams: Evaluator[];
	stateTimeParams: Evaluator[];
	constantSlots: Int32Array;
	timeSlots: Int32Array;
	/** per expanded state e, slots [stateTimeStart[e], stateTimeStart[e + 1]) of stateTimeSlots */
	stateTimeSlots: Int32Array;
	stateTimeStart: Int32Array;
	hasTime: boolean;
	hasStateTime: boolean;
	/** row entries, flattened: rows [rowStart[e], rowStart[e + 1]) */
	rowStart: Int32Array;
	entryTo: Int32Array;
	/** slot of each entry's probability, -1 for the complement */
	entrySlot: Int32Array;
	/** transition values hit by each entry: tvList[tvStart[q] .. tvStart[q + 1]) */
	tvStart: Int32Array;
	tvList: Int32Array;
	/** slots: state costs [e * C + c], utilities [e]; transition value costs [v * C + c], utilities [v] */
	stateCost: Int32Array;
	stateUtility: Int32Array;
	tvCost: Int32Array;
	tvUtility: Int32Array;
	/** parameter slots this strategy fixes by a number, and their values */
	fixedSlots: Int32Array;
	fixedValues: Float64Array;
}

function buildProgram(cm: CompiledModel, st: CompiledStrategy, nextSlot: { value: number }, lifeTables: ReturnType<typeof lifeTableLookup>): Program {
	const E = cm.expanded.count;
	const C = cm.categoryIds.length;
	const { stateOf } = cm.expanded;
	const sources: (CompiledValue | null)[] = [null];
	const shared = new Map<CompiledValue, number>();
	const constantSlots: number[] = [];
	const timeSlots: number[] = [];
	const perState: number[][] = Array.from({ length: E }, () => []);
	const slotOf = (cv: CompiledValue | null, e: number): number => {
		if (!cv) return 0;
		if (cv.dependence === Dependence.StateTime) {
			// one slot per tunnel step: the value differs by state_time
			sources.push(cv);
			perState[e].push(sources.length - 1);
			return sources.length - 1;
		}
		const known = shared.get(cv);
		if (known !== undefined) return known;
		sources.push(cv);
		const slot = sources.length - 1;
		shared.set(cv, slot);
		(cv.dependence === Dependence.Time ? timeSlots : constantSlots).push(slot);
		return slot;
	};

	const rowStart = new Int32Array(E + 1);
	const entryTo: number[] = [];
	const entrySlot: number[] = [];
	const tvStart: number[] = [0];
	const tvList: number[] = [];
	for (let e = 0; e < E; e++) {
		rowStart[e] = entryTo.length;
		const from = stateOf[e];
		for (const entry of st.rows[e]) {
			entryTo.push(entry.to);
			entrySlot.push(entry.value === null ? -1 : slotOf(entry.value, e));
			if (entry.toState !== from)
				st.transitionValues.forEach((tv, v) => {
					if (tv.to === entry.toState && tv.fromMask[from]) tvList.push(v);
				});
			tvStart.push(tvList.length);
		}
	}
	rowStart[E] = entryTo.length;

	const stateCost = new Int32Array(E * C);
	const stateUtility = new Int32Array(E);
	for (let e = 0; e < E; e++) {
		const values = st.values[stateOf[e]];
		for (let c = 0; c < C; c++) stateCost[e * C + c] = slotOf(values.costs[c], e);
		stateUtility[e] = slotOf(values.utility, e);
	}
	const V = st.transitionValues.length;
	const tvCost = new Int32Array(V * C);
	const tvUtility = new Int32Array(V);
	st.transitionValues.forEach((tv, v) => {
		for (let c = 0; c < C; c++) tvCost[v * C + c] = slotOf(tv.values.costs[c], -1);
		tvUtility[v] = slotOf(tv.values.utility, -1);
	});

	// staged evaluators for what changes within a run
	const hoisted: Evaluator[] = [];
	const hoistedSlots: number[] = [];
	const ctx: StageContext = {
		slotOf: (name) => cm.parameterIndex.get(name) ?? (name in cm.slots ? cm.slots[name as keyof typeof cm.slots] : undefined),
		lifeTables,
		isConstant: (name) => {
			const i = cm.parameterIndex.get(name);
			return i !== undefined ? st.plan.dependence[i] === Dependence.Constant : name === 'cycle_length';
		},
		hoist: (evaluate) => {
			hoisted.push(evaluate);
			hoistedSlots.push(nextSlot.value);
			return nextSlot.value++;
		}
	};
	const evaluators: Evaluator[] = sources.map((cv) => {
		if (!cv) return () => 0;
		return cv.dependence === Dependence.Constant ? cv.evaluate : compileStaged(cv.source, ctx, cv.path);
	});
	const overrides = cm.model.strategies[st.index].parameters ?? {};
	const paramSource = (i: number) => {
		const id = cm.parameterIds[i];
		return overrides[id] ?? (cm.model.parameters[id].expression as string);
	};
	const timeParams = st.plan.timeOrder.map((i) => compileStaged(paramSource(i), ctx, joinPath('parameters', cm.parameterIds[i])));
	const stateTimeParams = st.plan.stateTimeOrder.map((i) => compileStaged(paramSource(i), ctx, joinPath('parameters', cm.parameterIds[i])));

	const stateTimeStart = new Int32Array(E + 1);
	const stateTimeSlots: number[] = [];
	for (let e = 0; e < E; e++) {
		stateTimeStart[e] = stateTimeSlots.length;
		stateTimeSlots.push(...perState[e]);
	}
	stateTimeStart[E] = stateTimeSlots.length;
	return {
		st,
		vals: new Float64Array(sources.length),
		sources,
		evaluators,
		hoisted,
		hoistedSlots: Int32Array.from(hoistedSlots),
		timeParams,
		stateTimeParams,
		constantSlots: Int32Array.from(constantSlots),
		timeSlots: Int32Array.from(timeSlots),
		stateTimeSlots: Int32Array.from(stateTimeSlots),
		stateTimeStart,
		hasTime: timeSlots.length > 0 || st.plan.timeOrder.length > 0,
		hasStateTime: stateTimeSlots.length > 0 || st.plan.stateTimeOrder.length > 0,
		rowStart,
		entryTo: Int32Array.from(entryTo),
		entrySlot: Int32Array.from(entrySlot),
		tvStart: Int32Array.from(tvStart),
		tvList: Int32Array.from(tvList),
		stateCost,
		stateUtility,
		tvCost,
		tvUtility,
		fixedSlots: Int32Array.from(st.plan.fixed.keys()),
		fixedValues: Float64Array.from(st.plan.fixed.values())
	};
}

export type TotalsFunction = (
	values: Float64Array,
	settings: Settings,
	out: Float64Array,
	cycleCosts?: Float64Array,
	forced?: Uint8Array,
	cycleCostsUndiscounted?: Float64Array
) => void;

/** The lean totals function of a compiled model (not re-entrant: it reuses its buffers). */
export function createTotals(cm: CompiledModel, lowerBound: Float64Array, upperBound: Float64Array): TotalsFunction {
	const E = cm.expanded.count;
	const S = cm.stateIds.length;
	const C = cm.categoryIds.length;
	const P = cm.parameterIds.length;
	const slots = cm.slots;
	// variables: parameters and built-ins, then each program's hoisted per-run values
	const nextSlot = { value: slots.size };
	const lifeTables = lifeTableLookup(cm.model.lifeTables);
	const programs = cm.strategies.map((st) => buildProgram(cm, st, nextSlot, lifeTables));
	const vars = new Float64Array(nextSlot.value);
	let x: Float64Array = new Float64Array(E);
	let xNext: Float64Array = new Float64Array(E);
	const prob = new Float64Array(Math.max(1, ...programs.map((p) => p.entryTo.length)));
	const stateTime = cm.expanded.stateTime;
	const first = cm.expanded.first;
	const aliveUnit = new Float64Array(E);
	for (let e = 0; e < E; e++) aliveUnit[e] = cm.dead[cm.expanded.stateOf[e]] ? 0 : 1;
	const noneForced = new Uint8Array(P);

	// weights and discount factors depend on settings only: computed once per settings
	let cacheKey = '';
	let w: CycleWeights = cycleWeights('end', 1);
	let dc: Float64Array = new Float64Array(2);
	let dq: Float64Array = new Float64Array(2);
	const prepare = (s: Settings) => {
		const key = `${s.cycleCorrection}|${s.horizon}|${s.cycleLength}|${s.discountRates.costs}|${s.discountRates.outcomes}`;
		if (key === cacheKey) return;
		w = cycleWeights(s.cycleCorrection, s.horizon);
		dc = discountFactors(s.discountRates.costs, s.horizon, s.cycleLength);
		dq = discountFactors(s.discountRates.outcomes, s.horizon, s.cycleLength);
		cacheKey = key;
	};

	const evalParams = (st: CompiledStrategy, order: number[], forced: Uint8Array, staged: Evaluator[] | null) => {
		const plan = st.plan;
		for (let j = 0; j < order.length; j++) {
			const i = order[j];
			if (forced[i] && !plan.fixed.has(i)) continue;
			const v = staged ? staged[j](vars) : (plan.evaluators[i] as Evaluator)(vars);
			vars[i] = v;
			if (!(v >= lowerBound[i] && v <= upperBound[i])) {
				const id = cm.parameterIds[i];
				throw new ModelError(
					issue(
						joinPath('parameters', id),
						Number.isFinite(v) ? 'parameter-range' : 'not-finite',
						`${parameterValueProblem(cm.model.parameters[id], v)} (strategy ${st.id}, cycle ${vars[slots.model_time]})`
					)
				);
			}
		}
	};
	const evalSlots = (p: Program, list: Int32Array, from: number, to: number) => {
		const vals = p.vals;
		const evaluators = p.evaluators;
		for (let j = from; j < to; j++) {
			const slot = list[j];
			const v = evaluators[slot](vars);
			if (!Number.isFinite(v)) {
				const cv = p.sources[slot] as CompiledValue;
				throw new ModelError(
					issue(cv.path, 'not-finite', `value is ${v} at cycle ${vars[slots.model_time]} (strategy ${p.st.id}); expected a finite number`)
				);
			}
			vals[slot] = v;
		}
	};
	const startValue = (cv: CompiledValue | null, st: CompiledStrategy, what: string): number => {
		if (!cv) return 0;
		const v = cv.evaluate(vars);
		if (!Number.isFinite(v))
			throw new ModelError(issue(cv.path, 'not-finite', `${what} is ${v} at cycle 1 (strategy ${st.id}); expected a finite number`));
		return v;
	};

	return (values, settings, out, cycleCosts, forced, cycleCostsUndiscounted) => {
		prepare(settings);
		const f = forced ?? noneForced;
		const n = settings.horizon;
		const cl = settings.cycleLength;
		const alpha = w.alpha;
		const beta = w.beta;
		for (let si = 0; si < programs.length; si++) {
			const p = programs[si];
			const st = p.st;
			const plan = st.plan;
			const vals = p.vals;
			for (let i = 0; i < P; i++) vars[i] = values[i];
			// (hoisted slots are rewritten below, after the constant parameters)
			for (let j = 0; j < p.fixedSlots.length; j++) vars[p.fixedSlots[j]] = p.fixedValues[j];
			vars[slots.cycle_length] = cl;
			vars[slots.model_time] = 1;
			vars[slots.age] = settings.startAge;
			vars[slots.state_time] = 1;
			evalParams(st, plan.constantOrder, f, null);
			for (let j = 0; j < p.hoisted.length; j++) vars[p.hoistedSlots[j]] = p.hoisted[j](vars);
			evalParams(st, plan.timeOrder, f, p.timeParams);
			evalParams(st, plan.stateTimeOrder, f, p.stateTimeParams);
			evalSlots(p, p.constantSlots, 0, p.constantSlots.length);
			evalSlots(p, p.timeSlots, 0, p.timeSlots.length);
			evalSlots(p, p.stateTimeSlots, 0, p.stateTimeSlots.length);

			// start: distribution and one-off values (at model_time 1, not discounted)
			x.fill(0);
			let startSum = 0;
			for (let s = 0; s < S; s++) {
				const v = startValue(st.start[s], st, 'starting share');
				if (v < -PROBABILITY_TOLERANCE || v > 1 + PROBABILITY_TOLERANCE)
					throw new ModelError(issue(st.start[s].path, 'start-distribution', `starting share ${v} is not in [0, 1]`));
				x[first[s]] = v;
				startSum += v;
			}
			if (Math.abs(startSum - 1) > PROBABILITY_TOLERANCE)
				throw new ModelError(issue(joinPath('strategies', st.id, 'start'), 'start-distribution', `starting shares sum to ${startSum}, expected 1`));
			let cost0 = 0;
			for (let c = 0; c < C; c++) cost0 += startValue(st.startValues.costs[c], st, 'start cost');
			const u0 = startValue(st.startValues.utility, st, 'start utility');
			let cost = cost0;
			let costU = cost0;
			let qaly = u0;
			let qalyU = u0;
			let ly = 0;
			let lyU = 0;
			const base = si * (n + 1);
			if (cycleCosts) cycleCosts[base] = cost0;
			if (cycleCostsUndiscounted) cycleCostsUndiscounted[base] = cost0;

			const { rowStart, entryTo, entrySlot, tvStart, tvList, stateCost, stateUtility, tvCost, tvUtility, stateTimeSlots, stateTimeStart } = p;
			for (let k = 1; k <= n; k++) {
				if (k > 1 && p.hasTime) {
					vars[slots.model_time] = k;
					vars[slots.age] = settings.startAge + (k - 1) * cl;
					vars[slots.state_time] = 1;
					evalParams(st, plan.timeOrder, f, p.timeParams);
					evalSlots(p, p.timeSlots, 0, p.timeSlots.length);
				} else {
					vars[slots.model_time] = k;
					vars[slots.age] = settings.startAge + (k - 1) * cl;
				}
				if (p.hasStateTime) {
					for (let e = 0; e < E; e++) {
						vars[slots.state_time] = stateTime[e];
						evalParams(st, plan.stateTimeOrder, f, p.stateTimeParams);
						evalSlots(p, stateTimeSlots, stateTimeStart[e], stateTimeStart[e + 1]);
					}
					vars[slots.state_time] = 1;
				}

				// transitions: complement, checks, flows and one-off values on them
				xNext.fill(0);
				const evD = w.eventAlpha * dc[k - 1] + w.eventBeta * dc[k];
				const evQ = w.eventAlpha * dq[k - 1] + w.eventBeta * dq[k];
				let cycleCost = 0;
				let cycleCostU = 0;
				for (let e = 0; e < E; e++) {
					const o = rowStart[e];
					const end = rowStart[e + 1];
					let sum = 0;
					let comp = -1;
					for (let q = o; q < end; q++) {
						const sl = entrySlot[q];
						if (sl < 0) comp = q;
						else {
							const pr = vals[sl];
							if (pr < -PROBABILITY_TOLERANCE || pr > 1 + PROBABILITY_TOLERANCE) throw rowError(cm, st, e, q - o, pr, k);
							prob[q] = pr;
							sum += pr;
						}
					}
					if (comp >= 0) {
						const pr = 1 - sum;
						if (pr < -PROBABILITY_TOLERANCE) throw rowError(cm, st, e, comp - o, pr, k);
						prob[comp] = pr;
						sum += pr;
					}
					if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) throw sumError(cm, st, e, sum, k);
					const xe = x[e];
					if (xe === 0) continue;
					for (let q = o; q < end; q++) {
						const flow = xe * prob[q];
						xNext[entryTo[q]] += flow;
						const h1 = tvStart[q + 1];
						if (flow === 0) continue;
						for (let h = tvStart[q]; h < h1; h++) {
							const v = tvList[h];
							let amount = 0;
							for (let c = 0; c < C; c++) amount += vals[tvCost[v * C + c]];
							amount *= flow;
							cycleCost += amount * evD;
							cycleCostU += amount;
							const du = flow * vals[tvUtility[v]];
							qaly += du * evQ;
							qalyU += du;
						}
					}
				}

				// state values with cycle-correction weights
				const a = alpha[k];
				const b = beta[k];
				const ac = a * dc[k - 1];
				const bc = b * dc[k];
				const aq = a * dq[k - 1];
				const bq = b * dq[k];
				let cycleQ = 0;
				let cycleQU = 0;
				let cycleL = 0;
				let cycleLU = 0;
				for (let e = 0; e < E; e++) {
					const x0 = x[e];
					const x1 = xNext[e];
					if (x0 === 0 && x1 === 0) continue;
					const mU = a * x0 + b * x1;
					const mQ = aq * x0 + bq * x1;
					let ce = 0;
					for (let c = 0; c < C; c++) ce += vals[stateCost[e * C + c]];
					cycleCost += ce * (ac * x0 + bc * x1);
					cycleCostU += ce * mU;
					const alive = aliveUnit[e];
					cycleL += alive * mQ;
					cycleLU += alive * mU;
					const u = vals[stateUtility[e]];
					cycleQ += u * mQ;
					cycleQU += u * mU;
				}
				cost += cycleCost;
				costU += cycleCostU;
				qaly += cycleQ * cl;
				qalyU += cycleQU * cl;
				ly += cycleL * cl;
				lyU += cycleLU * cl;
				if (cycleCosts) cycleCosts[base + k] = cycleCost;
				if (cycleCostsUndiscounted) cycleCostsUndiscounted[base + k] = cycleCostU;
				const t = x;
				x = xNext;
				xNext = t;
			}
			const ob = si * TOTALS.size;
			out[ob + TOTALS.cost] = cost;
			out[ob + TOTALS.qaly] = qaly;
			out[ob + TOTALS.lifeYears] = ly;
			out[ob + TOTALS.costUndiscounted] = costU;
			out[ob + TOTALS.qalyUndiscounted] = qalyU;
			out[ob + TOTALS.lifeYearsUndiscounted] = lyU;
			for (let q = 0; q < TOTALS.size; q++)
				if (!Number.isFinite(out[ob + q])) throw overflowError(p.st.id, TOTAL_NAMES[q], out[ob + q]);
		}
	};
}
