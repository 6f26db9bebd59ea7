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

/** The highest price tried when bracketing a break-even price (above it: "any price"). */
const MAX_PRICE = 1e15;

/** A strategy's lever parameter ids (price, efficacy, durability), as declared in the model file. */
type LeverIds = { price: string; efficacy: string; durability: string };

/**
 * The break-even price over a grid of efficacy x durability, and at today's inputs: at each
 * point the root p* >= 0 of INB(p) = λ (QALY_s - QALY_c) - (C_s - C_c) (see the file's head).
 *
 * @example
 * const result = breakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', willingnessToPay: 20000, steps: 5 });
 * result.grid[0][0]; // { efficacy, durability, price: 41234.56, status: 'price' }
 */
export function breakeven(cm: CompiledModel, request: BreakevenOptions): BreakevenResult {
	const levers = leversOf(cm.model, request.strategyId);
	const evaluator = createEvaluator(cm, request.options ?? {});
	const strategy = strategyIndex(evaluator, request.strategyId);
	const comparator = strategyIndex(evaluator, request.comparatorId, 'comparator');
	if (strategy === comparator) throw new RangeError('strategy and comparator must differ');
	const willingnessToPay = request.willingnessToPay ?? evaluator.settings.willingnessToPay;
	const tolerance = request.tolerance ?? 0.01;
	if (!(tolerance > 0)) throw new RangeError(`tolerance must be above 0, got ${tolerance}`);
	const info = (id: string): LeverInfo => leverInfo(cm, id, request.options);
	const leverValues = { price: info(levers.price), efficacy: info(levers.efficacy), durability: info(levers.durability), efficacyDirection: levers.efficacyDirection ?? 'lower-is-better' };
	const efficacyValues = axisValues(request.efficacy ?? defaultAxis(cm.model.parameters[levers.efficacy], levers.efficacy, request.steps), 'efficacy');
	const durabilityValues = axisValues(request.durability ?? defaultAxis(cm.model.parameters[levers.durability], levers.durability, request.steps), 'durability');
	const priceParameter = cm.model.parameters[levers.price];
	const search = priceSearch(evaluator, { strategy, comparator, willingnessToPay, tolerance, levers }, Math.max(1000, priceParameter.high ?? 0, leverValues.price.value));
	const grid = durabilityValues.map((durability) => efficacyValues.map((efficacy) => search.at(efficacy, durability)));
	const today = { efficacy: leverValues.efficacy.value, durability: leverValues.durability.value };
	const current = { ...search.at(today.efficacy, today.durability), incrementalNmbAtPrice: search.incrementalNmb(leverValues.price.value, today.efficacy, today.durability) };
	const minimumEfficacy = minimumEfficacyAt(cm, request, levers, leverValues, willingnessToPay, efficacyValues);
	const result: BreakevenResult = {
		strategyId: request.strategyId,
		comparatorId: request.comparatorId,
		willingnessToPay,
		currency: evaluator.settings.currency,
		priceYear: evaluator.settings.priceYear,
		levers: leverValues,
		efficacyValues,
		durabilityValues,
		grid,
		tolerance,
		current,
		minimumEfficacy,
		evaluations: search.evaluations(),
		sentences: []
	};
	result.sentences = breakevenSentences(result, (id) => cm.strategies.find((candidate) => candidate.id === id)?.label ?? id);
	return result;
}

/** A lever's description, unit and the value in use (the run's override, else the scenario's, else the file's). */
function leverInfo(cm: CompiledModel, id: string, options: RunOptions | undefined): LeverInfo {
	const parameter = cm.model.parameters[id];
	const scenario = options?.scenario ? (cm.model.scenarios ?? []).find((candidate) => candidate.id === options.scenario) : undefined;
	const value = options?.parameters?.[id] ?? scenario?.parameters?.[id] ?? parameter.value;
	if (value === undefined) throw new RangeError(`lever "${id}" is an expression parameter; break-even analysis needs a parameter with a value`);
	return { id, description: parameter.description ?? '', unit: parameter.unit ?? '', value };
}

/** The axis over a lever's low..high, `steps` values (default 11). */
function defaultAxis(parameter: Parameter, id: string, steps = 11): BreakevenAxis {
	if (parameter.low === undefined || parameter.high === undefined) throw new RangeError(`parameter "${id}" has no low/high in the model; give the axis range`);
	return { from: parameter.low, to: parameter.high, steps };
}

/** The axis's values, or a RangeError naming the axis when its range is not usable. */
function axisValues(axis: BreakevenAxis, name: string): number[] {
	if (!Number.isFinite(axis.from) || !Number.isFinite(axis.to)) throw new RangeError(`${name} range must be two numbers, got ${axis.from} to ${axis.to}`);
	if (!(axis.from < axis.to)) throw new RangeError(`${name} range must go from low to high, got ${axis.from} to ${axis.to}`);
	if (!Number.isInteger(axis.steps) || axis.steps < 2 || axis.steps > 101) throw new RangeError(`${name} steps must be a whole number from 2 to 101, got ${axis.steps}`);
	return Array.from({ length: axis.steps }, (_, j) => (j === axis.steps - 1 ? axis.to : axis.from + ((axis.to - axis.from) * j) / (axis.steps - 1)));
}

/** What the price search compares: strategy and comparator indices, λ, the price tolerance and the levers. */
interface PriceSearchSpec {
	strategy: number;
	comparator: number;
	willingnessToPay: number;
	tolerance: number;
	levers: LeverIds;
}

/**
 * INB(price; efficacy, durability) and the break-even price at a point: 'no-price' when INB(0) < 0,
 * 'any-price' when INB does not fall through 0, else the root (bracketDown, rootNearSecant).
 */
function priceSearch(evaluator: Evaluator, spec: PriceSearchSpec, firstCeiling: number) {
	const { strategy, comparator, willingnessToPay, tolerance, levers } = spec;
	let evaluations = 0;
	const incrementalNmb = (price: number, efficacy: number, durability: number): number => {
		evaluations++;
		try {
			const benefit = nmbOf(evaluator.evaluate({ [levers.price]: price, [levers.efficacy]: efficacy, [levers.durability]: durability }), willingnessToPay);
			return benefit[strategy] - benefit[comparator];
		} catch (error) {
			if (error instanceof ModelError)
				throw new ModelError(
					error.issues.map((found) => ({ ...found, message: `${found.message} (break-even search at ${levers.price} = ${price}, ${levers.efficacy} = ${efficacy}, ${levers.durability} = ${durability})` }))
				);
			throw error;
		}
	};
	const at = (efficacy: number, durability: number): BreakevenPoint => {
		const inmbAtPrice = (price: number) => incrementalNmb(price, efficacy, durability);
		const free = inmbAtPrice(0);
		if (free < 0) return { efficacy, durability, price: null, status: 'no-price' };
		const bracket = bracketDown(inmbAtPrice, free, firstCeiling);
		if (!bracket) return { efficacy, durability, price: null, status: 'any-price' };
		return { efficacy, durability, price: rootNearSecant(inmbAtPrice, bracket, tolerance), status: 'price' };
	};
	return { at, incrementalNmb, evaluations: () => evaluations };
}

/** A bracket of the fall of f through 0: f(low) > 0 >= f(high). */
interface Bracket {
	low: number;
	high: number;
	atLow: number;
	atHigh: number;
}

/**
 * A bracket [low, high] of f's fall through 0 for a decreasing f with f(0) = free > 0: high starts
 * at `ceiling` and grows tenfold while f(high) > 0; null when f does not fall (any price).
 */
function bracketDown(f: (price: number) => number, free: number, ceiling: number): Bracket | null {
	let low = 0;
	let atLow = free;
	let high = ceiling;
	let atHigh = f(high);
	while (atHigh > 0) {
		if (atHigh >= atLow || high >= MAX_PRICE) return null;
		low = high;
		atLow = atHigh;
		high *= 10;
		atHigh = f(high);
	}
	return { low, high, atLow, atHigh };
}

/**
 * Brent's root in the bracket, started on the secant's estimate: when f is linear in the price
 * (a one-off price usually is), the root lies within tolerance / 4 of the secant point: a sign
 * change across [guess - tolerance / 4, guess + tolerance / 4] proves it, in two evaluations;
 * otherwise Brent searches the whole bracket.
 */
function rootNearSecant(f: (price: number) => number, bracket: Bracket, tolerance: number): number {
	const guess = bracket.low + (bracket.atLow * (bracket.high - bracket.low)) / (bracket.atLow - bracket.atHigh);
	const below = Math.max(bracket.low, guess - tolerance / 4);
	const above = Math.min(bracket.high, guess + tolerance / 4);
	const atBelow = f(below);
	const atAbove = f(above);
	if (atBelow >= 0 && atAbove <= 0) return atBelow === 0 ? below : atAbove === 0 ? above : guess;
	return brent(f, bracket.low, bracket.high, tolerance).root;
}

/** The efficacy at which today's price breaks even, at today's durability: the threshold search over the efficacy axis's range. */
function minimumEfficacyAt(
	cm: CompiledModel,
	request: BreakevenOptions,
	levers: LeverIds,
	leverValues: BreakevenResult['levers'],
	willingnessToPay: number,
	efficacyValues: number[]
): BreakevenResult['minimumEfficacy'] {
	const range: [number, number] = [efficacyValues[0], efficacyValues[efficacyValues.length - 1]];
	const search: ThresholdResult = threshold(cm, {
		parameter: levers.efficacy,
		strategyId: request.strategyId,
		comparatorId: request.comparatorId,
		willingnessToPay,
		range,
		options: { ...(request.options ?? {}), parameters: { ...(request.options?.parameters ?? {}), [levers.price]: leverValues.price.value, [levers.durability]: leverValues.durability.value } }
	});
	if (search.status === 'found') return { values: search.thresholds, status: 'found', range };
	return { values: [], status: search.incrementalNmbAtLow >= 0 ? 'always' : 'never', range };
}

/** The break-even result in words: the price at today's efficacy and durability, then the efficacy needed at today's price. */
function breakevenSentences(result: BreakevenResult, label: (id: string) => string): string[] {
	const name = label(result.strategyId);
	const comparatorName = label(result.comparatorId);
	const cur = result.currency;
	const levers = result.levers;
	const at = `at ${moneyText(result.willingnessToPay, cur)} per QALY (${cur}, ${result.priceYear} prices)`;
	const today = `today's ${levers.efficacy.id} = ${levers.efficacy.value} (${levers.efficacy.unit}) and ${levers.durability.id} = ${levers.durability.value} (${levers.durability.unit})`;
	const out: string[] = [];
	if (result.current.status === 'price')
		out.push(`With ${today}, ${name} matches ${comparatorName} ${at} up to a price of ${moneyText(result.current.price!, cur)} per patient; its price is ${moneyText(levers.price.value, cur)}.`);
	else if (result.current.status === 'no-price') out.push(`With ${today}, ${name} is not cost-effective against ${comparatorName} ${at} at any price, even free.`);
	else out.push(`With ${today}, ${name} is cost-effective against ${comparatorName} ${at} at any price.`);
	const better = levers.efficacyDirection === 'lower-is-better' ? 'at most' : 'at least';
	const minimum = result.minimumEfficacy;
	const price = moneyText(levers.price.value, cur);
	const values = minimum.values.map((value) => Number(value.toPrecision(4))).join(' or ');
	if (minimum.status === 'found')
		out.push(`At its price of ${price}, ${name} breaks even with ${comparatorName} when ${levers.efficacy.id} is ${values}` + (minimum.values.length === 1 ? `: it must be ${better} that to be cost-effective.` : '.'));
	else if (minimum.status === 'always') out.push(`At its price of ${price}, ${name} is cost-effective against ${comparatorName} at every ${levers.efficacy.id} from ${minimum.range[0]} to ${minimum.range[1]}.`);
	else out.push(`At its price of ${price}, ${name} is not cost-effective against ${comparatorName} at any ${levers.efficacy.id} from ${minimum.range[0]} to ${minimum.range[1]}.`);
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
export function psaBreakeven(cm: CompiledModel, request: PsaBreakevenOptions): PsaBreakevenResult {
	const levers = leversOf(cm.model, request.strategyId);
	const p0 = 0;
	const p1 = Math.max(1000, leverInfo(cm, levers.price, request.options).value);
	const p2 = 2 * p1;
	const atFree = psaIncrementalNmb(cm, request, levers.price, p0);
	const atPrice = psaIncrementalNmb(cm, request, levers.price, p1);
	const check = psaIncrementalNmb(cm, request, levers.price, p2);
	const iterations = atFree.inmb.length;
	const prices = new Float64Array(iterations);
	let misfit = 0;
	let scale = 0;
	for (let i = 0; i < iterations; i++) {
		const slope = (atFree.inmb[i] - atPrice.inmb[i]) / (p1 - p0);
		prices[i] = slope > 0 ? p0 + atFree.inmb[i] / slope : atFree.inmb[i] >= 0 ? Infinity : -Infinity;
		misfit = Math.max(misfit, Math.abs(check.inmb[i] - (atFree.inmb[i] - slope * (p2 - p0))));
		scale = Math.max(scale, Math.abs(atFree.inmb[i]), Math.abs(atPrice.inmb[i]));
	}
	const sorted = Float64Array.from(prices).sort();
	// the highest p with share(b >= p) >= q: the value at sorted index floor((1 - q) N)
	const priceAt = (probability: number) => {
		const price = sorted[Math.min(iterations - 1, Math.floor((1 - probability) * iterations + 1e-9))];
		return price >= 0 ? price : null;
	};
	const result: PsaBreakevenResult = {
		strategyId: request.strategyId,
		comparatorId: request.comparatorId,
		priceParameter: levers.price,
		willingnessToPay: atFree.willingnessToPay,
		currency: atFree.settings.currency,
		priceYear: atFree.settings.priceYear,
		iterations,
		seed: request.seed,
		prices,
		price50: priceAt(0.5),
		price80: priceAt(0.8),
		linearityError: scale > 0 ? misfit / scale : 0,
		sentences: []
	};
	const label = (id: string) => cm.strategies.find((candidate) => candidate.id === id)?.label ?? id;
	const say = (percent: number, price: number | null) =>
		price === null ? `no price reaches a ${percent}% probability` : `${price === Infinity ? 'any price' : `up to ${moneyText(price, result.currency)}`} for a ${percent}% probability`;
	result.sentences.push(
		`Under uncertainty (${iterations.toLocaleString('en-GB')} PSA iterations, seed ${request.seed}), ${label(request.strategyId)} is cost-effective against ${label(request.comparatorId)} at ${moneyText(result.willingnessToPay, result.currency)} per QALY: ${say(50, result.price50)}, ${say(80, result.price80)} (${result.currency}, ${result.priceYear} prices).`
	);
	return result;
}

/** Per PSA iteration, INB = λ ΔQALY - ΔC of the strategy against the comparator with the price held at `price`. */
function psaIncrementalNmb(cm: CompiledModel, request: PsaBreakevenOptions, priceId: string, price: number) {
	const psa = runPsa(cm, { iterations: request.iterations, seed: request.seed, options: { ...(request.options ?? {}), parameters: { ...(request.options?.parameters ?? {}), [priceId]: price } } });
	const strategyCount = psa.strategyIds.length;
	const strategy = strategyIndex(psa, request.strategyId);
	const comparator = strategyIndex(psa, request.comparatorId, 'comparator');
	const willingnessToPay = request.willingnessToPay ?? psa.settings.willingnessToPay;
	const cell = (i: number, index: number) => i * strategyCount + index;
	const inmb = Float64Array.from(
		{ length: psa.iterations },
		(_, i) => willingnessToPay * (psa.qaly[cell(i, strategy)] - psa.qaly[cell(i, comparator)]) - (psa.cost[cell(i, strategy)] - psa.cost[cell(i, comparator)])
	);
	return { inmb, settings: psa.settings, willingnessToPay };
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
export function paybackPrice(cm: CompiledModel, request: PaybackPriceOptions): PaybackPriceResult {
	const levers = leversOf(cm.model, request.strategyId);
	const runner = createRunner(cm);
	const ids = cm.strategies.map((candidate) => candidate.id);
	const strategy = strategyIndex({ strategyIds: ids }, request.strategyId);
	const comparator = strategyIndex({ strategyIds: ids }, request.comparatorId, 'comparator');
	if (strategy === comparator) throw new RangeError('strategy and comparator must differ');
	const base = runner.resolve(request.options ?? {});
	const horizonYears = base.settings.horizon * base.settings.cycleLength;
	if (!(request.years > 0 && request.years <= horizonYears)) throw new RangeError(`payback years must be above 0 and at most the horizon (${horizonYears} years), got ${request.years}`);
	const tolerance = request.tolerance ?? 0.01;
	const discounted = request.discounted !== false;
	const gapAt = (price: number): number => {
		const result = runner.run({ ...(request.options ?? {}), parameters: { ...(request.options?.parameters ?? {}), [levers.price]: price } });
		const costsOf = (index: number) => (discounted ? result.strategies[index].cycleCosts : result.strategies[index].cycleCostsUndiscounted);
		const cumulative = (index: number) => cumulativeCostBy(costsOf(index), result.categoryIds.length, result.settings.horizon, request.years / base.settings.cycleLength);
		return cumulative(strategy) - cumulative(comparator);
	};
	const todayPrice = leverInfo(cm, levers.price, request.options).value;
	const differenceAtPrice = gapAt(todayPrice);
	const { price, status } = paybackPriceSearch(gapAt, tolerance);
	const label = (id: string) => cm.strategies.find((candidate) => candidate.id === id)?.label ?? id;
	const cur = base.settings.currency;
	const costs = `cumulative ${discounted ? 'discounted ' : ''}cost per patient`;
	const sentence =
		status === 'price'
			? `${label(request.strategyId)} pays for itself against ${label(request.comparatorId)} within ${request.years} years (${costs}) at a price up to ${moneyText(price!, cur)} per patient (${cur}, ${base.settings.priceYear} prices); its price is ${moneyText(todayPrice, cur)}.`
			: status === 'no-price'
				? `${label(request.strategyId)} does not pay for itself against ${label(request.comparatorId)} within ${request.years} years at any price, even free (${costs}).`
				: `${label(request.strategyId)} pays for itself against ${label(request.comparatorId)} within ${request.years} years at any price (${costs}).`;
	return { strategyId: request.strategyId, comparatorId: request.comparatorId, priceParameter: levers.price, years: request.years, discounted, currency: cur, priceYear: base.settings.priceYear, price, status, tolerance, differenceAtPrice, sentence };
}

/**
 * A strategy's cumulative cost by `cycles` cycles (fractional): the costs of time points
 * 0..floor(cycles), plus the next cycle's pro rata (costs accrue linearly within a cycle).
 */
function cumulativeCostBy(cycleCosts: Float64Array, categoryCount: number, horizon: number, cycles: number): number {
	const whole = Math.floor(cycles + 1e-12);
	let sum = 0;
	for (let point = 0; point <= Math.min(whole, horizon); point++) for (let category = 0; category < categoryCount; category++) sum += cycleCosts[point * categoryCount + category];
	if (whole < cycles && whole + 1 <= horizon) for (let category = 0; category < categoryCount; category++) sum += (cycles - whole) * cycleCosts[(whole + 1) * categoryCount + category];
	return sum;
}

/** The root in price of D(N; price) = 0, bracketed from [0, 1000] upwards tenfold; 'no-price' when D(N; 0) > 0, 'any-price' when D does not rise through 0. */
function paybackPriceSearch(gapAt: (price: number) => number, tolerance: number): { price: number | null; status: BreakevenStatus } {
	const free = gapAt(0);
	if (free > 0) return { price: null, status: 'no-price' };
	let low = 0;
	let high = 1000;
	let gap = gapAt(high);
	while (gap < 0) {
		if (gap <= free || high >= MAX_PRICE) return { price: null, status: 'any-price' };
		low = high;
		high *= 10;
		gap = gapAt(high);
	}
	return { price: brent(gapAt, low, high, tolerance).root, status: 'price' };
}
