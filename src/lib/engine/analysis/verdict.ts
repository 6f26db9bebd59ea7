/**
 * The verdict: the answer to the model's question in plain words, generated from the results.
 *
 * At a willingness to pay λ, the strategy with the highest net monetary benefit
 * NMB_s = λ QALY_s - C_s is preferred (Stinnett & Mullahy 1998, Med Decis Making 18:S68). Each
 * one-off strategy is then placed on the cost-effectiveness plane against the lifelong
 * comparator (Black 1990, Med Decis Making 10:212): with ΔC and ΔE its incremental cost and
 * QALYs,
 *   - ΔC <= 0 and ΔE >= 0 (one strictly): it dominates; ΔC >= 0 and ΔE <= 0: it is dominated;
 *   - ΔC > 0 and ΔE > 0 (north-east): ICER = ΔC / ΔE per QALY gained, cost-effective if <= λ;
 *   - ΔC < 0 and ΔE < 0 (south-west): it saves ΔC / ΔE per QALY lost, cost-effective if that
 *     saving is >= λ;
 *   - both within rounding of 0: a tie.
 * In every quadrant "cost-effective" is the sign of incremental NMB = λ ΔE - ΔC >= 0. Ties are
 * differences within 1e-9 relative (the tolerance of `incrementalAnalysis`'s dominance test).
 * After a PSA it adds the probability that each strategy is cost-effective and the EVPI
 * (Claxton 1999, J Health Econ 18:341); after a one-way analysis, the input with the widest
 * tornado bar. Every number in the sentences comes from the structured fields beside them.
 */
import type { RunResult } from '../simulate/run';
import type { ResolvedComparison } from '../model/comparison';
import { deterministicPayback, type Payback } from './payback';
import { summarisePsa } from './ceac';
import { evpi } from './evpi';
import type { PsaOutcomes } from './outcomes';
import type { Tornado } from './dsa';

export type Quadrant = 'dominates' | 'dominated' | 'north-east' | 'south-west' | 'equal';

export interface VerdictStrategy {
	id: string;
	label: string;
	/** discounted cost and QALYs per patient */
	cost: number;
	qaly: number;
}

/** What the verdict reads: constructed by `verdict()` from a run, or by hand in a test. */
export interface VerdictInput {
	strategies: VerdictStrategy[];
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	horizonYears: number;
	/** the lifelong comparator and the one-off strategies compared with it */
	lifelong: string | null;
	oneOff: string[];
	/** the no-treatment strategy the lifelong and one-off strategies are also compared with */
	untreated?: string | null;
	/** payback of each one-off strategy against the lifelong comparator, by one-off id */
	payback?: Record<string, Payback>;
	/** whether payback was on discounted costs (default true) */
	paybackDiscounted?: boolean;
	psa?: { iterations: number; probabilityCostEffective: Record<string, number>; evpiPerPatient: number };
	oneWay?: Tornado & { parameterLabels?: Record<string, string> };
}

export interface VerdictComparison {
	strategyId: string;
	comparatorId: string;
	incrementalCost: number;
	incrementalQaly: number;
	/** the costs, or the QALYs, equal within rounding */
	sameCost: boolean;
	sameQaly: boolean;
	quadrant: Quadrant;
	/** ΔC / ΔE in the north-east and south-west quadrants, else null */
	icer: number | null;
	incrementalNetMonetaryBenefit: number;
	costEffective: boolean;
	payback: Payback | null;
}

export interface Verdict {
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	/** the strategies with the highest NMB (more than one when tied) */
	best: { ids: string[]; netMonetaryBenefit: number; nextId: string | null; marginOverNext: number | null };
	/** the one strategy that dominates every other, if there is one */
	dominatesAll: string | null;
	comparisons: VerdictComparison[];
	/** the lifelong and each one-off strategy against no treatment (payback null) */
	againstUntreated: VerdictComparison[];
	psa: VerdictInput['psa'] | null;
	oneWay: { strategyId: string; comparatorId: string; parameterId: string; lowValue: number; highValue: number; atLow: number; atHigh: number; changesDecision: boolean } | null;
	sentences: string[];
}

export interface VerdictOptions {
	comparison: ResolvedComparison;
	willingnessToPay?: number;
	psa?: PsaOutcomes;
	/** the PSA's summary when the caller has it already (instead of `psa`, which is then not summarised again) */
	psaSummary?: VerdictInput['psa'];
	tornado?: Tornado;
	/** payback on discounted costs (default true) */
	discounted?: boolean;
}

/**
 * The verdict of a deterministic run (with a PSA and a one-way analysis when given).
 *
 * @example
 * verdict(run(cm), { comparison: modelComparison(cm.model) }).sentences[0];
 * // "At GBP 20,000 per QALY, No DMT has the highest net monetary benefit: ..."
 */
export function verdict(result: RunResult, options: VerdictOptions): Verdict {
	const ids = new Set(result.strategies.map((strategy) => strategy.id));
	const { comparison } = options;
	const lifelong = comparison.lifelong && ids.has(comparison.lifelong) ? comparison.lifelong : null;
	const oneOff = comparison.oneOff.filter((id) => ids.has(id) && id !== lifelong);
	const willingnessToPay = options.willingnessToPay ?? result.settings.willingnessToPay;
	const payback: Record<string, Payback> = {};
	if (lifelong) for (const id of oneOff) payback[id] = deterministicPayback(result, { oneOffId: id, lifelongId: lifelong, discounted: options.discounted });
	let psa: VerdictInput['psa'] = options.psaSummary;
	if (!psa && options.psa && options.psa.iterations > 0) {
		const summary = summarisePsa(options.psa, willingnessToPay, options.psa.strategyIds[0]);
		psa = {
			iterations: options.psa.iterations,
			probabilityCostEffective: Object.fromEntries(summary.map((row) => [row.id, row.probabilityCostEffective])),
			evpiPerPatient: evpi(options.psa, willingnessToPay)
		};
	}
	return verdictOf({
		strategies: result.strategies.map((strategy) => ({ id: strategy.id, label: strategy.label, cost: strategy.discounted.cost, qaly: strategy.discounted.qaly })),
		willingnessToPay,
		currency: result.settings.currency,
		priceYear: result.settings.priceYear,
		horizonYears: result.settings.horizon * result.settings.cycleLength,
		lifelong,
		oneOff,
		untreated: comparison.untreated && ids.has(comparison.untreated) ? comparison.untreated : null,
		payback,
		paybackDiscounted: options.discounted !== false,
		psa,
		oneWay: options.tornado
	});
}

/** Relative tolerance within which two totals are the same (rounding, not a difference). */
const TIE = 1e-9;
const same = (first: number, second: number) => Math.abs(first - second) <= TIE * Math.max(1, Math.abs(first), Math.abs(second));

/**
 * Places a strategy against a comparator on the cost-effectiveness plane (see the file's head).
 *
 * @example
 * quadrantOf(-100, 0.5); // "dominates"
 * quadrantOf(-100, -0.5); // "south-west"
 */
export function quadrantOf(incrementalCost: number, incrementalQaly: number, cost = 1, qaly = 1): Quadrant {
	const costDifference = same(cost, cost - incrementalCost) ? 0 : incrementalCost;
	const qalyDifference = same(qaly, qaly - incrementalQaly) ? 0 : incrementalQaly;
	return planeQuadrant(costDifference, qalyDifference);
}

/**
 * The quadrant of the cost-effectiveness plane of an incremental cost and QALY difference taken
 * exactly (Black 1990, Med Decis Making 10:212-214): no more costly and at least as effective
 * dominates; no less costly and no more effective is dominated; otherwise north-east (costs
 * more, gains more) or south-west (costs less, gains less). quadrantOf first treats differences
 * within rounding of the totals as none; the ICER labels (ui/icerLabel.ts) use it as it is.
 *
 * @example
 * planeQuadrant(-100, 0.5); // "dominates"
 * planeQuadrant(0, 0); // "equal"
 */
export function planeQuadrant(incrementalCost: number, incrementalQaly: number): Quadrant {
	if (incrementalCost === 0 && incrementalQaly === 0) return 'equal';
	if (incrementalCost <= 0 && incrementalQaly >= 0) return 'dominates';
	if (incrementalCost >= 0 && incrementalQaly <= 0) return 'dominated';
	return incrementalCost > 0 ? 'north-east' : 'south-west';
}

/**
 * The verdict from its inputs (see `verdict`): the strategies with the highest
 * NMB_s = λ QALY_s - C_s (ties within 1e-9 relative), each one-off strategy against the lifelong
 * comparator and each against no treatment on the cost-effectiveness plane, the strategy that
 * dominates all others if one does; the sentences are built from these fields.
 *
 * @example
 * verdictOf({ strategies: [{ id: 'a', label: 'A', cost: 1000, qaly: 1 }, { id: 'b', label: 'B', cost: 3000, qaly: 2 }],
 * 	willingnessToPay: 20000, currency: 'GBP', priceYear: 2024, horizonYears: 40, lifelong: 'a', oneOff: ['b'] }).comparisons[0]
 * // { strategyId: 'b', comparatorId: 'a', quadrant: 'north-east', icer: 2000, costEffective: true, ... }
 */
export function verdictOf(input: VerdictInput): Verdict {
	const willingnessToPay = input.willingnessToPay;
	const best = bestByNetBenefit(input.strategies, willingnessToPay);
	const byId = new Map(input.strategies.map((strategy) => [strategy.id, strategy]));
	const comparisons = input.lifelong
		? input.oneOff.map((id) => compare(byId.get(id)!, byId.get(input.lifelong!)!, willingnessToPay, input.payback?.[id] ?? null))
		: [];
	const untreated = input.untreated ? byId.get(input.untreated) : undefined;
	const againstUntreated = untreated
		? [input.lifelong, ...input.oneOff]
				.filter((id): id is string => !!id && id !== untreated.id && byId.has(id))
				.map((id) => compare(byId.get(id)!, untreated, willingnessToPay, null))
		: [];
	const lead = best.ids.length === 1 ? byId.get(best.ids[0])! : null;
	const dominatesAll =
		lead &&
		input.strategies.length > 1 &&
		input.strategies.every((strategy) => strategy === lead || quadrantOf(strategy.cost - lead.cost, strategy.qaly - lead.qaly, strategy.cost, strategy.qaly) === 'dominated')
			? lead.id
			: null;
	const oneWay = input.oneWay ? oneWayOf(input.oneWay) : null;
	const result: Verdict = { willingnessToPay, currency: input.currency, priceYear: input.priceYear, best, dominatesAll, comparisons, againstUntreated, psa: input.psa ?? null, oneWay, sentences: [] };
	result.sentences = sentencesOf(result, input);
	return result;
}

/** The strategies with the highest net monetary benefit (ties within rounding), and the margin over the next best. */
function bestByNetBenefit(strategies: VerdictStrategy[], willingnessToPay: number): Verdict['best'] {
	const benefits = strategies.map((strategy) => willingnessToPay * strategy.qaly - strategy.cost);
	const top = Math.max(...benefits);
	const ids = strategies.filter((_, k) => same(benefits[k], top)).map((strategy) => strategy.id);
	const rest = strategies
		.map((strategy, k) => ({ id: strategy.id, benefit: benefits[k] }))
		.filter((row) => !ids.includes(row.id))
		.sort((first, second) => second.benefit - first.benefit);
	return { ids, netMonetaryBenefit: top, nextId: rest[0]?.id ?? null, marginOverNext: rest.length ? top - rest[0].benefit : null };
}

/** One strategy against a comparator: ΔC, ΔE, the quadrant, the ICER where it means one, incremental NMB = λ ΔE - ΔC. */
function compare(strategy: VerdictStrategy, comparator: VerdictStrategy, willingnessToPay: number, payback: Payback | null): VerdictComparison {
	const incrementalCost = strategy.cost - comparator.cost;
	const incrementalQaly = strategy.qaly - comparator.qaly;
	const quadrant = quadrantOf(incrementalCost, incrementalQaly, strategy.cost, strategy.qaly);
	const incrementalNetMonetaryBenefit = willingnessToPay * incrementalQaly - incrementalCost;
	return {
		strategyId: strategy.id,
		comparatorId: comparator.id,
		incrementalCost,
		incrementalQaly,
		sameCost: same(strategy.cost, comparator.cost),
		sameQaly: same(strategy.qaly, comparator.qaly),
		quadrant,
		icer: quadrant === 'north-east' || quadrant === 'south-west' ? incrementalCost / incrementalQaly : null,
		incrementalNetMonetaryBenefit,
		costEffective: quadrant === 'equal' || incrementalNetMonetaryBenefit >= 0,
		payback
	};
}

/** The input with the widest finite tornado bar, and whether the decision changes across its range. */
function oneWayOf(tornado: Tornado): Verdict['oneWay'] {
	const bar = tornado.bars.find((candidate) => Number.isFinite(candidate.swing));
	if (!bar) return null;
	const crosses = (value: number) => (tornado.measure === 'icer' ? value <= tornado.willingnessToPay : value >= 0);
	return {
		strategyId: tornado.strategyId,
		comparatorId: tornado.referenceId,
		parameterId: bar.id,
		lowValue: bar.lowValue,
		highValue: bar.highValue,
		atLow: bar.atLow,
		atHigh: bar.atHigh,
		changesDecision: crosses(bar.atLow) !== crosses(bar.atHigh)
	};
}

/**
 * Whole currency units with thousands separators, as the command line prints money too
 * (src/cli/io.ts formatMoney).
 *
 * @example
 * moneyText(-1234.5, 'GBP') // "GBP -1,235"
 */
export function moneyText(amount: number, currency: string): string {
	return `${currency} ${groupedInteger(Math.round(amount))}`;
}

/**
 * A whole number as `toLocaleString('en-GB')` writes it (a comma every three digits, "-" before
 * a negative number or -0), without the locale data: the first `toLocaleString` of a process
 * loads it, which costs a command line about 10 ms. Below 10^21 in size, `String` gives the
 * same digits Intl does (the shortest that read back to the number, then zeros); anything else
 * (a fraction, 10^21 or more, Infinity, NaN) is left to `toLocaleString`.
 *
 * @example
 * groupedInteger(-1234567) // "-1,234,567"
 * groupedInteger(999) // "999"
 */
function groupedInteger(value: number): string {
	if (!Number.isInteger(value) || Math.abs(value) >= 1e21) return value.toLocaleString('en-GB');
	const digits = String(Math.abs(value));
	const lead = ((digits.length - 1) % 3) + 1;
	let grouped = digits.slice(0, lead);
	for (let i = lead; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
	return value < 0 || Object.is(value, -0) ? `-${grouped}` : grouped;
}

/** QALYs to 2 decimals, or 2 significant digits below 0.01. */
function qalys(value: number): string {
	const magnitude = Math.abs(value);
	return magnitude >= 0.01 || magnitude === 0 ? magnitude.toFixed(2) : magnitude.toPrecision(2);
}

/** "a", "a and b", "a, b and c". */
function list(words: string[]): string {
	return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The verdict's sentences, in order: best strategy, dominance, each comparison, against no treatment, payback, PSA, one-way. */
function sentencesOf(verdict: Verdict, input: VerdictInput): string[] {
	const label = (id: string) => input.strategies.find((strategy) => strategy.id === id)?.label ?? id;
	const cur = verdict.currency;
	const at = `At ${moneyText(verdict.willingnessToPay, cur)} per QALY (${cur}, ${verdict.priceYear} prices)`;
	const out: string[] = [];
	const best = verdict.best;
	if (best.ids.length > 1) out.push(`${at}, ${list(best.ids.map(label))} tie for the highest net monetary benefit, ${moneyText(best.netMonetaryBenefit, cur)} per patient.`);
	else
		out.push(
			`${at}, ${label(best.ids[0])} has the highest net monetary benefit, ${moneyText(best.netMonetaryBenefit, cur)} per patient` +
				(best.nextId ? `, ${moneyText(best.marginOverNext!, cur)} more than the next, ${label(best.nextId)}.` : '.')
		);
	if (verdict.dominatesAll) out.push(`${label(verdict.dominatesAll)} dominates every other strategy: each of them costs more and gains fewer QALYs, or costs more for the same QALYs.`);
	for (const comparison of verdict.comparisons) out.push(comparisonSentence(comparison, label, cur, verdict.willingnessToPay));
	if (verdict.comparisons.length > 1 && verdict.comparisons.every((comparison) => comparison.quadrant === 'dominated'))
		out.push(`Every one-off strategy is dominated by ${label(verdict.comparisons[0].comparatorId)}.`);
	if (verdict.againstUntreated.length) out.push(untreatedSentence(verdict.againstUntreated, label, cur, verdict.willingnessToPay));
	for (const comparison of verdict.comparisons)
		if (comparison.payback) out.push(paybackSentence(comparison, comparison.payback, label, input.horizonYears, input.paybackDiscounted !== false));
	if (verdict.psa) out.push(...psaSentences(verdict.psa, label, cur, verdict.willingnessToPay, verdict.priceYear));
	if (verdict.oneWay) out.push(oneWaySentence(verdict.oneWay, input, label, cur));
	return out;
}

/** One comparison in words, by its quadrant; an ICER says "per QALY gained" or, south-west, "saves ... per QALY lost". */
function comparisonSentence(comparison: VerdictComparison, label: (id: string) => string, cur: string, willingnessToPay: number): string {
	const name = label(comparison.strategyId);
	const comparatorName = label(comparison.comparatorId);
	const costText = moneyText(Math.abs(comparison.incrementalCost), cur);
	const qalyText = qalys(comparison.incrementalQaly);
	const threshold = `the threshold of ${moneyText(willingnessToPay, cur)} per QALY`;
	switch (comparison.quadrant) {
		case 'equal':
			return `${name} and ${comparatorName} have the same cost and QALYs per patient: neither is preferred.`;
		case 'dominates':
			if (comparison.sameQaly) return `${name} dominates ${comparatorName}: it costs ${costText} less per patient for the same QALYs.`;
			if (comparison.sameCost) return `${name} dominates ${comparatorName}: it gains ${qalyText} QALYs more per patient at the same cost.`;
			return `${name} dominates ${comparatorName}: it costs ${costText} less and gains ${qalyText} QALYs more per patient.`;
		case 'dominated':
			if (comparison.sameQaly) return `${name} is dominated by ${comparatorName}: it costs ${costText} more per patient for the same QALYs.`;
			if (comparison.sameCost) return `${name} is dominated by ${comparatorName}: it gains ${qalyText} fewer QALYs per patient at the same cost.`;
			return `${name} is dominated by ${comparatorName}: it costs ${costText} more and gains ${qalyText} fewer QALYs per patient.`;
		case 'north-east':
			return (
				`${name} costs ${costText} more and gains ${qalyText} QALYs more per patient than ${comparatorName}: an ICER of ${moneyText(comparison.icer!, cur)} per QALY gained, ` +
				(comparison.costEffective ? `within ${threshold}, so ${name} is cost-effective against ${comparatorName}.` : `above ${threshold}, so ${name} is not cost-effective against ${comparatorName}.`)
			);
		case 'south-west':
			return (
				`${name} costs ${costText} less but gains ${qalyText} fewer QALYs per patient than ${comparatorName}: it saves ${moneyText(comparison.icer!, cur)} per QALY lost (south-west quadrant); ` +
				(comparison.costEffective ? `that is at least ${threshold}, so ${name} is cost-effective against ${comparatorName}.` : `that is less than ${threshold}, so ${name} is not cost-effective against ${comparatorName}.`)
			);
	}
}

/** One sentence placing each strategy against no treatment, e.g. "Against No DMT: A is dominated; B costs GBP 39,236 per QALY gained, ...". */
function untreatedSentence(comparisons: VerdictComparison[], label: (id: string) => string, cur: string, willingnessToPay: number): string {
	const verdictWord = (c: VerdictComparison) => (c.costEffective ? `cost-effective at ${moneyText(willingnessToPay, cur)} per QALY` : `not cost-effective at ${moneyText(willingnessToPay, cur)} per QALY`);
	const phrase = (c: VerdictComparison) => {
		const name = label(c.strategyId);
		switch (c.quadrant) {
			case 'equal':
				return `${name} has the same cost and QALYs`;
			case 'dominates':
				return `${name} dominates it`;
			case 'dominated':
				return `${name} is dominated by it`;
			case 'north-east':
				return `${name} costs ${moneyText(c.icer!, cur)} per QALY gained, ${verdictWord(c)}`;
			case 'south-west':
				return `${name} saves ${moneyText(c.icer!, cur)} per QALY lost (south-west quadrant), ${verdictWord(c)}`;
		}
	};
	return `Against ${label(comparisons[0].comparatorId)}: ${comparisons.map(phrase).join('; ')}.`;
}

/** Payback of a one-off strategy against its comparator in words: after how many years its cumulative cost is no higher, or that it does not pay back. */
function paybackSentence(comparison: VerdictComparison, payback: Payback, label: (id: string) => string, horizonYears: number, discounted: boolean): string {
	const name = label(comparison.strategyId);
	const comparatorName = label(comparison.comparatorId);
	const costs = `cumulative ${discounted ? 'discounted ' : ''}cost per patient`;
	if (payback.years === null && payback.firstYears != null)
		return `${name} does not pay back against ${comparatorName} within the ${horizonYears}-year horizon: its ${costs} is lower for a time (from ${payback.firstYears.toFixed(1)} years) but higher at the end of the horizon.`;
	if (payback.years === null) return `${name} does not pay back against ${comparatorName} within the ${horizonYears}-year horizon: its ${costs} stays higher.`;
	if (payback.years === 0) return `${name} costs no more than ${comparatorName} from the start.`;
	return `${name} pays back against ${comparatorName} after ${payback.years.toFixed(1)} years (${costs})${payback.firstYears != null && payback.firstYears < payback.years ? (payback.firstYears === 0 ? '; it is cheaper at the start, then dearer for a time' : `; it is also cheaper for a time from ${payback.firstYears.toFixed(1)} years, then dearer again`) : ''}.`;
}

/** The PSA in words: each strategy's probability of being cost-effective, then the EVPI per patient. */
function psaSentences(psa: NonNullable<Verdict['psa']>, label: (id: string) => string, cur: string, willingnessToPay: number, priceYear: number): string[] {
	const parts = Object.entries(psa.probabilityCostEffective)
		.sort((first, second) => second[1] - first[1])
		.map(([id, probability]) => `${label(id)} ${Math.round(probability * 100)}%`);
	return [
		`In the PSA (${psa.iterations.toLocaleString('en-GB')} iterations), the probability of being cost-effective at ${moneyText(willingnessToPay, cur)} per QALY is: ${parts.join(', ')}.`,
		`The expected value of perfect information is ${moneyText(psa.evpiPerPatient, cur)} per patient (${cur}, ${priceYear} prices): the most that removing all uncertainty would be worth.`
	];
}

/** The widest tornado bar in words: the measure at the input's low and high values, and whether the decision changes. */
function oneWaySentence(oneWay: NonNullable<Verdict['oneWay']>, input: VerdictInput, label: (id: string) => string, cur: string): string {
	const bar = input.oneWay!.bars.find((candidate) => candidate.id === oneWay.parameterId)!;
	const name = bar.description ? `${bar.description} (${bar.id})` : bar.id;
	const unit = bar.unit ? ` ${bar.unit}` : '';
	const measure = input.oneWay!.measure === 'icer' ? 'ICER' : 'incremental net monetary benefit';
	const measureText = (value: number) => (input.oneWay!.measure === 'icer' ? `${moneyText(value, cur)} per QALY` : moneyText(value, cur));
	return (
		`In the one-way analysis, the input that moves the ${measure} of ${label(oneWay.strategyId)} against ${label(oneWay.comparatorId)} most is ${name}: ` +
		`${measureText(oneWay.atLow)} at ${oneWay.lowValue}${unit} and ${measureText(oneWay.atHigh)} at ${oneWay.highValue}${unit}; ` +
		(oneWay.changesDecision ? 'within that range the decision changes.' : 'within that range the decision does not change.')
	);
}
