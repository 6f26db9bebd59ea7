/**
 * Break-even analysis of a one-off therapy ("what must it achieve?"): the value-based price,
 * the highest price at which the therapy's net monetary benefit still equals the comparator's,
 * as a function of its efficacy and of how long its effect lasts.
 *
 * With the strategy's levers declared in the model file (price p, efficacy e, durability d), the
 * incremental net monetary benefit against the comparator at willingness to pay λ is
 *     INB(p; e, d) = λ (QALY_s - QALY_c) - (C_s - C_c),
 * and the break-even price p*(e, d) is its root in p >= 0, found by Brent's method
 * (rootFinding.ts) to `tolerance` in currency units after bracketing [0, P] with P grown tenfold
 * until INB(P) < 0. Two answers other than a price are valid: INB(0) < 0, "not cost-effective
 * at any price" (even free it loses), and INB not falling as the price rises, "cost-effective at
 * any price". The minimum efficacy at a price is the threshold search (threshold.ts) on the
 * efficacy parameter. Under uncertainty (psaBreakeven) the price at which the probability of
 * being cost-effective reaches 50% and 80% is read off the distribution of per-iteration
 * break-even prices (the headroom method, Claxton et al. 2008, BMJ 336:251 on value-based
 * pricing).
 */
import type { CompiledModel } from '../model/compile';
import { leversOf } from '../model/comparison';
import { ModelError } from '../errors';
import { createRunner, type RunOptions } from '../simulate/run';
import type { Parameter } from '../model/schema';
import { createEvaluator, nmbOf, type Evaluator } from './deterministic';
import { strategyIndex } from './outcomes';
import { brent } from './rootFinding';
import { threshold, type ThresholdResult } from './threshold';
import { runPsa } from './psa';
import { moneyText } from './verdict';

/** An axis of the grid: `steps` evenly spaced values from `from` to `to` inclusive. */
export interface BreakevenAxis {
	from: number;
	to: number;
	steps: number;
}

export interface BreakevenOptions {
	strategyId: string;
	comparatorId: string;
	willingnessToPay?: number;
	/** default: the parameter's low..high, `steps` values */
	efficacy?: BreakevenAxis;
	durability?: BreakevenAxis;
	/** values per axis when an axis is not given (default 11) */
	steps?: number;
	/** absolute tolerance on the price, in currency units (default 0.01) */
	tolerance?: number;
	options?: RunOptions;
}

export type BreakevenStatus = 'price' | 'any-price' | 'no-price';

export interface BreakevenPoint {
	efficacy: number;
	durability: number;
	/** the break-even price, null for 'any-price' and 'no-price' */
	price: number | null;
	status: BreakevenStatus;
}

export interface LeverInfo {
	id: string;
	description: string;
	unit: string;
	/** the value in use (after scenario and overrides) */
	value: number;
}

export interface BreakevenResult {
	strategyId: string;
	comparatorId: string;
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	levers: { price: LeverInfo; efficacy: LeverInfo; durability: LeverInfo; efficacyDirection: 'lower-is-better' | 'higher-is-better' };
	efficacyValues: number[];
	durabilityValues: number[];
	/** grid[j][i]: durability j, efficacy i */
	grid: BreakevenPoint[][];
	tolerance: number;
	/** the break-even price at today's efficacy and durability */
	current: BreakevenPoint & { incrementalNmbAtPrice: number };
	/** the efficacy at which today's price breaks even (at today's durability), by threshold search */
	minimumEfficacy: { values: number[]; status: 'found' | 'always' | 'never'; range: [number, number] };
	evaluations: number;
	sentences: string[];
}

const MAX_PRICE = 1e15;

/**
 * The break-even price over a grid of efficacy x durability, and at today's inputs.
 *
 * @example
 * const b = breakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', willingnessToPay: 20000, steps: 5 });
 * b.grid[0][0]; // { efficacy, durability, price: 41234.56, status: 'price' }
 */
export function breakeven(cm: CompiledModel, o: BreakevenOptions): BreakevenResult {
	const levers = leversOf(cm.model, o.strategyId);
	const ev = createEvaluator(cm, o.options ?? {});
	const s = strategyIndex(ev, o.strategyId);
	const c = strategyIndex(ev, o.comparatorId, 'comparator');
	if (s === c) throw new RangeError('strategy and comparator must differ');
	const wtp = o.willingnessToPay ?? ev.settings.willingnessToPay;
	const tolerance = o.tolerance ?? 0.01;
	if (!(tolerance > 0)) throw new RangeError(`tolerance must be above 0, got ${tolerance}`);
	const info = (id: string): LeverInfo => leverInfo(cm, id, o.options);
	const lev = { price: info(levers.price), efficacy: info(levers.efficacy), durability: info(levers.durability), efficacyDirection: levers.efficacyDirection ?? 'lower-is-better' };
	const efficacyValues = axisValues(o.efficacy ?? defaultAxis(cm.model.parameters[levers.efficacy], levers.efficacy, o.steps), 'efficacy');
	const durabilityValues = axisValues(o.durability ?? defaultAxis(cm.model.parameters[levers.durability], levers.durability, o.steps), 'durability');
	const priceParameter = cm.model.parameters[levers.price];
	const search = priceSearch(ev, s, c, wtp, tolerance, levers, Math.max(1000, priceParameter.high ?? 0, lev.price.value));
	const grid = durabilityValues.map((d) => efficacyValues.map((e) => search.at(e, d)));
	const current = { ...search.at(lev.efficacy.value, lev.durability.value), incrementalNmbAtPrice: search.inmb(lev.price.value, lev.efficacy.value, lev.durability.value) };
	const minimumEfficacy = minimumEfficacyAt(cm, o, levers, lev, wtp, efficacyValues);
	const r: BreakevenResult = {
		strategyId: o.strategyId,
		comparatorId: o.comparatorId,
		willingnessToPay: wtp,
		currency: ev.settings.currency,
		priceYear: ev.settings.priceYear,
		levers: lev,
		efficacyValues,
		durabilityValues,
		grid,
		tolerance,
		current,
		minimumEfficacy,
		evaluations: search.evaluations(),
		sentences: []
	};
	r.sentences = breakevenSentences(r, (id) => cm.strategies.find((x) => x.id === id)?.label ?? id);
	return r;
}

function leverInfo(cm: CompiledModel, id: string, options: RunOptions | undefined): LeverInfo {
	const p = cm.model.parameters[id];
	const scenario = options?.scenario ? (cm.model.scenarios ?? []).find((x) => x.id === options.scenario) : undefined;
	const value = options?.parameters?.[id] ?? scenario?.parameters?.[id] ?? p.value;
	if (value === undefined) throw new RangeError(`lever "${id}" is an expression parameter; break-even analysis needs a parameter with a value`);
	return { id, description: p.description ?? '', unit: p.unit ?? '', value };
}

function defaultAxis(p: Parameter, id: string, steps = 11): BreakevenAxis {
	if (p.low === undefined || p.high === undefined) throw new RangeError(`parameter "${id}" has no low/high in the model; give the axis range`);
	return { from: p.low, to: p.high, steps };
}

/** The axis's values, or a RangeError naming the axis when its range is not usable. */
function axisValues(a: BreakevenAxis, name: string): number[] {
	if (!Number.isFinite(a.from) || !Number.isFinite(a.to)) throw new RangeError(`${name} range must be two numbers, got ${a.from} to ${a.to}`);
	if (!(a.from < a.to)) throw new RangeError(`${name} range must go from low to high, got ${a.from} to ${a.to}`);
	if (!Number.isInteger(a.steps) || a.steps < 2 || a.steps > 101) throw new RangeError(`${name} steps must be a whole number from 2 to 101, got ${a.steps}`);
	return Array.from({ length: a.steps }, (_, j) => (j === a.steps - 1 ? a.to : a.from + ((a.to - a.from) * j) / (a.steps - 1)));
}

function priceSearch(ev: Evaluator, s: number, c: number, wtp: number, tolerance: number, levers: { price: string; efficacy: string; durability: string }, firstCeiling: number) {
	let evaluations = 0;
	const inmb = (price: number, e: number, d: number): number => {
		evaluations++;
		try {
			const nmb = nmbOf(ev.evaluate({ [levers.price]: price, [levers.efficacy]: e, [levers.durability]: d }), wtp);
			return nmb[s] - nmb[c];
		} catch (err) {
			if (err instanceof ModelError)
				throw new ModelError(err.issues.map((i) => ({ ...i, message: `${i.message} (break-even search at ${levers.price} = ${price}, ${levers.efficacy} = ${e}, ${levers.durability} = ${d})` })));
			throw err;
		}
	};
	const at = (e: number, d: number): BreakevenPoint => {
		const f = (p: number) => inmb(p, e, d);
		const free = f(0);
		if (free < 0) return { efficacy: e, durability: d, price: null, status: 'no-price' };
		const bracket = bracketDown(f, free, firstCeiling);
		if (!bracket) return { efficacy: e, durability: d, price: null, status: 'any-price' };
		return { efficacy: e, durability: d, price: rootNearSecant(f, bracket, tolerance), status: 'price' };
	};
	return { at, inmb, evaluations: () => evaluations };
}

/**
 * A bracket [lo, hi] of f's fall through 0 for a decreasing f with f(0) = free > 0: hi starts
 * at `ceiling` and grows tenfold while f(hi) > 0; null when f does not fall (any price).
 */
function bracketDown(f: (p: number) => number, free: number, ceiling: number): { lo: number; hi: number; fLo: number; fHi: number } | null {
	let lo = 0;
	let fLo = free;
	let hi = ceiling;
	let fHi = f(hi);
	while (fHi > 0) {
		if (fHi >= fLo || hi >= MAX_PRICE) return null;
		lo = hi;
		fLo = fHi;
		hi *= 10;
		fHi = f(hi);
	}
	return { lo, hi, fLo, fHi };
}

/**
 * Brent's root in the bracket, started on the secant's estimate: when f is linear in the price
 * (a one-off price usually is), the root lies within tolerance / 4 of the secant point: a sign
 * change across [guess - tolerance / 4, guess + tolerance / 4] proves it, in two evaluations;
 * otherwise Brent searches the whole bracket.
 */
function rootNearSecant(f: (p: number) => number, b: { lo: number; hi: number; fLo: number; fHi: number }, tolerance: number): number {
	const guess = b.lo + (b.fLo * (b.hi - b.lo)) / (b.fLo - b.fHi);
	const a = Math.max(b.lo, guess - tolerance / 4);
	const z = Math.min(b.hi, guess + tolerance / 4);
	const fa = f(a);
	const fz = f(z);
	if (fa >= 0 && fz <= 0) return fa === 0 ? a : fz === 0 ? z : guess;
	return brent(f, b.lo, b.hi, tolerance).root;
}

function minimumEfficacyAt(
	cm: CompiledModel,
	o: BreakevenOptions,
	levers: { price: string; efficacy: string; durability: string },
	lev: BreakevenResult['levers'],
	wtp: number,
	efficacyValues: number[]
): BreakevenResult['minimumEfficacy'] {
	const range: [number, number] = [efficacyValues[0], efficacyValues[efficacyValues.length - 1]];
	const t: ThresholdResult = threshold(cm, {
		parameter: levers.efficacy,
		strategyId: o.strategyId,
		comparatorId: o.comparatorId,
		willingnessToPay: wtp,
		range,
		options: { ...(o.options ?? {}), parameters: { ...(o.options?.parameters ?? {}), [levers.price]: lev.price.value, [levers.durability]: lev.durability.value } }
	});
	if (t.status === 'found') return { values: t.thresholds, status: 'found', range };
	return { values: [], status: t.incrementalNmbAtLow >= 0 ? 'always' : 'never', range };
}

function breakevenSentences(r: BreakevenResult, label: (id: string) => string): string[] {
	const s = label(r.strategyId);
	const k = label(r.comparatorId);
	const cur = r.currency;
	const L = r.levers;
	const at = `at ${moneyText(r.willingnessToPay, cur)} per QALY (${cur}, ${r.priceYear} prices)`;
	const today = `today's ${L.efficacy.id} = ${L.efficacy.value} (${L.efficacy.unit}) and ${L.durability.id} = ${L.durability.value} (${L.durability.unit})`;
	const out: string[] = [];
	if (r.current.status === 'price')
		out.push(`With ${today}, ${s} matches ${k} ${at} up to a price of ${moneyText(r.current.price!, cur)} per patient; its price is ${moneyText(L.price.value, cur)}.`);
	else if (r.current.status === 'no-price') out.push(`With ${today}, ${s} is not cost-effective against ${k} ${at} at any price, even free.`);
	else out.push(`With ${today}, ${s} is cost-effective against ${k} ${at} at any price.`);
	const better = r.levers.efficacyDirection === 'lower-is-better' ? 'at most' : 'at least';
	const m = r.minimumEfficacy;
	const price = moneyText(L.price.value, cur);
	const values = m.values.map((v) => Number(v.toPrecision(4))).join(' or ');
	if (m.status === 'found')
		out.push(`At its price of ${price}, ${s} breaks even with ${k} when ${L.efficacy.id} is ${values}` + (m.values.length === 1 ? `: it must be ${better} that to be cost-effective.` : '.'));
	else if (m.status === 'always') out.push(`At its price of ${price}, ${s} is cost-effective against ${k} at every ${L.efficacy.id} from ${m.range[0]} to ${m.range[1]}.`);
	else out.push(`At its price of ${price}, ${s} is not cost-effective against ${k} at any ${L.efficacy.id} from ${m.range[0]} to ${m.range[1]}.`);
	return out;
}

export interface PsaBreakevenOptions {
	strategyId: string;
	comparatorId: string;
	willingnessToPay?: number;
	iterations: number;
	seed: number;
	options?: RunOptions;
}

export interface PsaBreakevenResult {
	strategyId: string;
	comparatorId: string;
	priceParameter: string;
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	iterations: number;
	seed: number;
	/** per iteration: the price at which INB against the comparator is 0 (-Infinity: not even free; Infinity: any price) */
	prices: Float64Array;
	/** the highest price at which P(INB >= 0) is at least 50% and 80%; null when no price >= 0 reaches it */
	price50: number | null;
	price80: number | null;
	/** largest |INB| misfit at a third price, relative to the INB scale: 0 when the price enters costs linearly */
	linearityError: number;
	sentences: string[];
}

/**
 * Break-even price under uncertainty (headroom): the PSA is run with the price held at p0 and
 * at p1 (the same seed, so the same draws); in each iteration i, INB_i(p) = a_i - k_i p, so the
 * break-even price is b_i = p0 + INB_i(p0) / k_i with k_i = (INB_i(p0) - INB_i(p1)) / (p1 - p0).
 * P(cost-effective at p) = share of iterations with b_i >= p, so the price at which it reaches q
 * is the (1 - q) quantile of b. A third run at p2 checks that INB is linear in the price
 * (`linearityError`). Cost-effective here is pairwise: INB against the comparator >= 0.
 *
 * @example
 * psaBreakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', iterations: 1000, seed: 1 }).price50;
 */
export function psaBreakeven(cm: CompiledModel, o: PsaBreakevenOptions): PsaBreakevenResult {
	const levers = leversOf(cm.model, o.strategyId);
	const p0 = 0;
	const p1 = Math.max(1000, leverInfo(cm, levers.price, o.options).value);
	const p2 = 2 * p1;
	const inmbAt = (price: number) => {
		const r = runPsa(cm, { iterations: o.iterations, seed: o.seed, options: { ...(o.options ?? {}), parameters: { ...(o.options?.parameters ?? {}), [levers.price]: price } } });
		const S = r.strategyIds.length;
		const s = strategyIndex(r, o.strategyId);
		const c = strategyIndex(r, o.comparatorId, 'comparator');
		const wtp = o.willingnessToPay ?? r.settings.willingnessToPay;
		const inmb = Float64Array.from({ length: r.iterations }, (_, i) => wtp * (r.qaly[i * S + s] - r.qaly[i * S + c]) - (r.cost[i * S + s] - r.cost[i * S + c]));
		return { inmb, settings: r.settings, wtp };
	};
	const a = inmbAt(p0);
	const b = inmbAt(p1);
	const check = inmbAt(p2);
	const N = a.inmb.length;
	const prices = new Float64Array(N);
	let misfit = 0;
	let scale = 0;
	for (let i = 0; i < N; i++) {
		const k = (a.inmb[i] - b.inmb[i]) / (p1 - p0);
		prices[i] = k > 0 ? p0 + a.inmb[i] / k : a.inmb[i] >= 0 ? Infinity : -Infinity;
		misfit = Math.max(misfit, Math.abs(check.inmb[i] - (a.inmb[i] - k * (p2 - p0))));
		scale = Math.max(scale, Math.abs(a.inmb[i]), Math.abs(b.inmb[i]));
	}
	const sorted = Float64Array.from(prices).sort();
	// the highest p with share(b >= p) >= q: the value at sorted index floor((1 - q) N)
	const priceAt = (q: number) => {
		const v = sorted[Math.min(N - 1, Math.floor((1 - q) * N + 1e-9))];
		return v >= 0 ? v : null;
	};
	const r: PsaBreakevenResult = {
		strategyId: o.strategyId,
		comparatorId: o.comparatorId,
		priceParameter: levers.price,
		willingnessToPay: a.wtp,
		currency: a.settings.currency,
		priceYear: a.settings.priceYear,
		iterations: N,
		seed: o.seed,
		prices,
		price50: priceAt(0.5),
		price80: priceAt(0.8),
		linearityError: scale > 0 ? misfit / scale : 0,
		sentences: []
	};
	const label = (id: string) => cm.strategies.find((x) => x.id === id)?.label ?? id;
	const say = (q: number, p: number | null) =>
		p === null ? `no price reaches a ${q}% probability` : `${p === Infinity ? 'any price' : `up to ${moneyText(p, r.currency)}`} for a ${q}% probability`;
	r.sentences.push(
		`Under uncertainty (${N.toLocaleString('en-GB')} PSA iterations, seed ${o.seed}), ${label(o.strategyId)} is cost-effective against ${label(o.comparatorId)} at ${moneyText(r.willingnessToPay, r.currency)} per QALY: ${say(50, r.price50)}, ${say(80, r.price80)} (${r.currency}, ${r.priceYear} prices).`
	);
	return r;
}


export interface PaybackPriceOptions {
	strategyId: string;
	comparatorId: string;
	/** the payer's horizon N, in years from model start */
	years: number;
	/** discounted costs (default true) */
	discounted?: boolean;
	/** absolute tolerance on the price, in currency units (default 0.01) */
	tolerance?: number;
	options?: RunOptions;
}

export interface PaybackPriceResult {
	strategyId: string;
	comparatorId: string;
	priceParameter: string;
	years: number;
	discounted: boolean;
	currency: string;
	priceYear: number;
	/** the highest price at which the cumulative cost by year N is no higher than the comparator's */
	price: number | null;
	status: BreakevenStatus;
	tolerance: number;
	/** cumulative cost difference (strategy minus comparator) at year N with today's price */
	differenceAtPrice: number;
	sentence: string;
}

/**
 * Payer's view: the maximum one-off price at which the therapy pays for itself within N years.
 * With K_s(t) the cumulative cost per patient by time t (costs of cycle k accrue linearly over
 * ((k - 1) L, k L], as in payback.ts), D(t; p) = K_strategy(t) - K_comparator(t) at price p;
 * the answer is the root in p of D(N; p) = 0, by Brent's method to `tolerance`: at that price
 * the cumulative costs are equal at year N, so the payback year is N.
 *
 * @example
 * paybackPrice(cm, { strategyId: 'therapy', comparatorId: 'lifelong', years: 10 }).price; // e.g. 61234.5
 */
export function paybackPrice(cm: CompiledModel, o: PaybackPriceOptions): PaybackPriceResult {
	const levers = leversOf(cm.model, o.strategyId);
	const runner = createRunner(cm);
	const ids = cm.strategies.map((x) => x.id);
	const s = strategyIndex({ strategyIds: ids }, o.strategyId);
	const c = strategyIndex({ strategyIds: ids }, o.comparatorId, 'comparator');
	if (s === c) throw new RangeError('strategy and comparator must differ');
	const base = runner.resolve(o.options ?? {});
	const L = base.settings.cycleLength;
	const horizonYears = base.settings.horizon * L;
	if (!(o.years > 0 && o.years <= horizonYears)) throw new RangeError(`payback years must be above 0 and at most the horizon (${horizonYears} years), got ${o.years}`);
	const tolerance = o.tolerance ?? 0.01;
	const discounted = o.discounted !== false;
	const gapAt = (price: number): number => {
		const r = runner.run({ ...(o.options ?? {}), parameters: { ...(o.options?.parameters ?? {}), [levers.price]: price } });
		const C = r.categoryIds.length;
		const cumulative = (st: (typeof r.strategies)[number], t: number) => {
			const costs = discounted ? st.cycleCosts : st.cycleCostsUndiscounted;
			const k = t / L;
			const whole = Math.floor(k + 1e-12);
			let sum = 0;
			for (let j = 0; j <= Math.min(whole, r.settings.horizon); j++) for (let g = 0; g < C; g++) sum += costs[j * C + g];
			if (whole < k && whole + 1 <= r.settings.horizon) for (let g = 0; g < C; g++) sum += (k - whole) * costs[(whole + 1) * C + g];
			return sum;
		};
		return cumulative(r.strategies[s], o.years) - cumulative(r.strategies[c], o.years);
	};
	const todayPrice = leverInfo(cm, levers.price, o.options).value;
	const differenceAtPrice = gapAt(todayPrice);
	const free = gapAt(0);
	let status: BreakevenStatus = 'price';
	let price: number | null = null;
	if (free > 0) status = 'no-price';
	else {
		let lo = 0;
		let hi = 1000;
		let f = gapAt(hi);
		while (f < 0 && status === 'price') {
			if (f <= free || hi >= MAX_PRICE) status = 'any-price';
			else {
				lo = hi;
				hi *= 10;
				f = gapAt(hi);
			}
		}
		if (status === 'price') price = brent(gapAt, lo, hi, tolerance).root;
	}
	const label = (id: string) => cm.strategies.find((x) => x.id === id)?.label ?? id;
	const cur = base.settings.currency;
	const costs = `cumulative ${discounted ? 'discounted ' : ''}cost per patient`;
	const sentence =
		status === 'price'
			? `${label(o.strategyId)} pays for itself against ${label(o.comparatorId)} within ${o.years} years (${costs}) at a price up to ${moneyText(price!, cur)} per patient (${cur}, ${base.settings.priceYear} prices); its price is ${moneyText(todayPrice, cur)}.`
			: status === 'no-price'
				? `${label(o.strategyId)} does not pay for itself against ${label(o.comparatorId)} within ${o.years} years at any price, even free (${costs}).`
				: `${label(o.strategyId)} pays for itself against ${label(o.comparatorId)} within ${o.years} years at any price (${costs}).`;
	return { strategyId: o.strategyId, comparatorId: o.comparatorId, priceParameter: levers.price, years: o.years, discounted, currency: cur, priceYear: base.settings.priceYear, price, status, tolerance, differenceAtPrice, sentence };
}
