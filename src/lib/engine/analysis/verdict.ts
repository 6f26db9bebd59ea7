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
 *     verdict(run(cm), { comparison: modelComparison(cm.model) }).sentences[0];
 *     // "At GBP 20,000 per QALY, No DMT has the highest net monetary benefit: ..."
 */
export function verdict(result: RunResult, o: VerdictOptions): Verdict {
	const ids = new Set(result.strategies.map((s) => s.id));
	const lifelong = o.comparison.lifelong && ids.has(o.comparison.lifelong) ? o.comparison.lifelong : null;
	const oneOff = o.comparison.oneOff.filter((id) => ids.has(id) && id !== lifelong);
	const wtp = o.willingnessToPay ?? result.settings.willingnessToPay;
	const payback: Record<string, Payback> = {};
	if (lifelong) for (const id of oneOff) payback[id] = deterministicPayback(result, { oneOffId: id, lifelongId: lifelong, discounted: o.discounted });
	let psa: VerdictInput['psa'] = o.psaSummary;
	if (!psa && o.psa && o.psa.iterations > 0) {
		const summary = summarisePsa(o.psa, wtp, o.psa.strategyIds[0]);
		psa = {
			iterations: o.psa.iterations,
			probabilityCostEffective: Object.fromEntries(summary.map((s) => [s.id, s.probabilityCostEffective])),
			evpiPerPatient: evpi(o.psa, wtp)
		};
	}
	return verdictOf({
		strategies: result.strategies.map((s) => ({ id: s.id, label: s.label, cost: s.discounted.cost, qaly: s.discounted.qaly })),
		willingnessToPay: wtp,
		currency: result.settings.currency,
		priceYear: result.settings.priceYear,
		horizonYears: result.settings.horizon * result.settings.cycleLength,
		lifelong,
		oneOff,
		untreated: o.comparison.untreated && ids.has(o.comparison.untreated) ? o.comparison.untreated : null,
		payback,
		paybackDiscounted: o.discounted !== false,
		psa,
		oneWay: o.tornado
	});
}

const TIE = 1e-9;
const same = (a: number, b: number) => Math.abs(a - b) <= TIE * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Places a strategy against a comparator on the cost-effectiveness plane (see the file's head).
 *
 *     quadrantOf(-100, 0.5); // "dominates"
 *     quadrantOf(-100, -0.5); // "south-west"
 */
export function quadrantOf(incrementalCost: number, incrementalQaly: number, cost = 1, qaly = 1): Quadrant {
	const dc = same(cost, cost - incrementalCost) ? 0 : incrementalCost;
	const de = same(qaly, qaly - incrementalQaly) ? 0 : incrementalQaly;
	return planeQuadrant(dc, de);
}

/**
 * The quadrant of the cost-effectiveness plane of an incremental cost and QALY difference taken
 * exactly (Black 1990, Med Decis Making 10:212-214): no more costly and at least as effective
 * dominates; no less costly and no more effective is dominated; otherwise north-east (costs
 * more, gains more) or south-west (costs less, gains less). quadrantOf first treats differences
 * within rounding of the totals as none; the ICER labels (ui/icerLabel.ts) use it as it is.
 *
 *     planeQuadrant(-100, 0.5); // "dominates"
 *     planeQuadrant(0, 0); // "equal"
 */
export function planeQuadrant(incrementalCost: number, incrementalQaly: number): Quadrant {
	if (incrementalCost === 0 && incrementalQaly === 0) return 'equal';
	if (incrementalCost <= 0 && incrementalQaly >= 0) return 'dominates';
	if (incrementalCost >= 0 && incrementalQaly <= 0) return 'dominated';
	return incrementalCost > 0 ? 'north-east' : 'south-west';
}

/** The verdict from its inputs (see `verdict`); the sentences are built from the fields. */
export function verdictOf(input: VerdictInput): Verdict {
	const wtp = input.willingnessToPay;
	const nmb = input.strategies.map((s) => wtp * s.qaly - s.cost);
	const top = Math.max(...nmb);
	const bestIds = input.strategies.filter((_, i) => same(nmb[i], top)).map((s) => s.id);
	const rest = input.strategies.map((s, i) => ({ id: s.id, nmb: nmb[i] })).filter((s) => !bestIds.includes(s.id)).sort((a, b) => b.nmb - a.nmb);
	const best = { ids: bestIds, netMonetaryBenefit: top, nextId: rest[0]?.id ?? null, marginOverNext: rest.length ? top - rest[0].nmb : null };
	const byId = new Map(input.strategies.map((s) => [s.id, s]));
	const comparisons = input.lifelong ? input.oneOff.map((id) => compare(byId.get(id)!, byId.get(input.lifelong!)!, wtp, input.payback?.[id] ?? null)) : [];
	const untreated = input.untreated ? byId.get(input.untreated) : undefined;
	const againstUntreated = untreated
		? [input.lifelong, ...input.oneOff].filter((id): id is string => !!id && id !== untreated.id && byId.has(id)).map((id) => compare(byId.get(id)!, untreated, wtp, null))
		: [];
	const lead = bestIds.length === 1 ? byId.get(bestIds[0])! : null;
	const dominatesAll =
		lead && input.strategies.length > 1 && input.strategies.every((s) => s === lead || quadrantOf(s.cost - lead.cost, s.qaly - lead.qaly, s.cost, s.qaly) === 'dominated')
			? lead.id
			: null;
	const oneWay = input.oneWay ? oneWayOf(input.oneWay) : null;
	const v: Verdict = { willingnessToPay: wtp, currency: input.currency, priceYear: input.priceYear, best, dominatesAll, comparisons, againstUntreated, psa: input.psa ?? null, oneWay, sentences: [] };
	v.sentences = sentencesOf(v, input);
	return v;
}

function compare(s: VerdictStrategy, c: VerdictStrategy, wtp: number, payback: Payback | null): VerdictComparison {
	const dc = s.cost - c.cost;
	const de = s.qaly - c.qaly;
	const quadrant = quadrantOf(dc, de, s.cost, s.qaly);
	const inmb = wtp * de - dc;
	return {
		strategyId: s.id,
		comparatorId: c.id,
		incrementalCost: dc,
		incrementalQaly: de,
		sameCost: same(s.cost, c.cost),
		sameQaly: same(s.qaly, c.qaly),
		quadrant,
		icer: quadrant === 'north-east' || quadrant === 'south-west' ? dc / de : null,
		incrementalNetMonetaryBenefit: inmb,
		costEffective: quadrant === 'equal' || inmb >= 0,
		payback
	};
}

function oneWayOf(t: Tornado): Verdict['oneWay'] {
	const bar = t.bars.find((b) => Number.isFinite(b.swing));
	if (!bar) return null;
	const crosses = (x: number) => (t.measure === 'icer' ? x <= t.willingnessToPay : x >= 0);
	return {
		strategyId: t.strategyId,
		comparatorId: t.referenceId,
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
 * (src/cli/io.ts formatMoney): moneyText(-1234.5, 'GBP') is "GBP -1,235".
 */
export function moneyText(x: number, currency: string): string {
	return `${currency} ${Math.round(x).toLocaleString('en-GB')}`;
}

/** QALYs to 2 decimals, or 2 significant digits below 0.01. */
function qalys(x: number): string {
	const a = Math.abs(x);
	return a >= 0.01 || a === 0 ? a.toFixed(2) : a.toPrecision(2);
}

function list(words: string[]): string {
	return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function sentencesOf(v: Verdict, input: VerdictInput): string[] {
	const label = (id: string) => input.strategies.find((s) => s.id === id)?.label ?? id;
	const cur = v.currency;
	const at = `At ${moneyText(v.willingnessToPay, cur)} per QALY (${cur}, ${v.priceYear} prices)`;
	const out: string[] = [];
	const b = v.best;
	if (b.ids.length > 1) out.push(`${at}, ${list(b.ids.map(label))} tie for the highest net monetary benefit, ${moneyText(b.netMonetaryBenefit, cur)} per patient.`);
	else
		out.push(
			`${at}, ${label(b.ids[0])} has the highest net monetary benefit, ${moneyText(b.netMonetaryBenefit, cur)} per patient` +
				(b.nextId ? `, ${moneyText(b.marginOverNext!, cur)} more than the next, ${label(b.nextId)}.` : '.')
		);
	if (v.dominatesAll) out.push(`${label(v.dominatesAll)} dominates every other strategy: each of them costs more and gains fewer QALYs, or costs more for the same QALYs.`);
	for (const c of v.comparisons) out.push(comparisonSentence(c, label, cur, v.willingnessToPay));
	if (v.comparisons.length > 1 && v.comparisons.every((c) => c.quadrant === 'dominated'))
		out.push(`Every one-off strategy is dominated by ${label(v.comparisons[0].comparatorId)}.`);
	if (v.againstUntreated.length) out.push(untreatedSentence(v.againstUntreated, label, cur, v.willingnessToPay));
	for (const c of v.comparisons) if (c.payback) out.push(paybackSentence(c, c.payback, label, input.horizonYears, input.paybackDiscounted !== false));
	if (v.psa) out.push(...psaSentences(v.psa, label, cur, v.willingnessToPay, v.priceYear));
	if (v.oneWay) out.push(oneWaySentence(v.oneWay, input, label, cur));
	return out;
}

function comparisonSentence(c: VerdictComparison, label: (id: string) => string, cur: string, wtp: number): string {
	const s = label(c.strategyId);
	const k = label(c.comparatorId);
	const dc = moneyText(Math.abs(c.incrementalCost), cur);
	const de = qalys(c.incrementalQaly);
	const threshold = `the threshold of ${moneyText(wtp, cur)} per QALY`;
	switch (c.quadrant) {
		case 'equal':
			return `${s} and ${k} have the same cost and QALYs per patient: neither is preferred.`;
		case 'dominates':
			if (c.sameQaly) return `${s} dominates ${k}: it costs ${dc} less per patient for the same QALYs.`;
			if (c.sameCost) return `${s} dominates ${k}: it gains ${de} QALYs more per patient at the same cost.`;
			return `${s} dominates ${k}: it costs ${dc} less and gains ${de} QALYs more per patient.`;
		case 'dominated':
			if (c.sameQaly) return `${s} is dominated by ${k}: it costs ${dc} more per patient for the same QALYs.`;
			if (c.sameCost) return `${s} is dominated by ${k}: it gains ${de} fewer QALYs per patient at the same cost.`;
			return `${s} is dominated by ${k}: it costs ${dc} more and gains ${de} fewer QALYs per patient.`;
		case 'north-east':
			return (
				`${s} costs ${dc} more and gains ${de} QALYs more per patient than ${k}: an ICER of ${moneyText(c.icer!, cur)} per QALY gained, ` +
				(c.costEffective ? `within ${threshold}, so ${s} is cost-effective against ${k}.` : `above ${threshold}, so ${s} is not cost-effective against ${k}.`)
			);
		case 'south-west':
			return (
				`${s} costs ${dc} less but gains ${de} fewer QALYs per patient than ${k}: it saves ${moneyText(c.icer!, cur)} per QALY lost (south-west quadrant); ` +
				(c.costEffective ? `that is at least ${threshold}, so ${s} is cost-effective against ${k}.` : `that is less than ${threshold}, so ${s} is not cost-effective against ${k}.`)
			);
	}
}

/** One sentence placing each strategy against no treatment, e.g. "Against No DMT: A is dominated; B costs GBP 39,236 per QALY gained, ...". */
function untreatedSentence(list: VerdictComparison[], label: (id: string) => string, cur: string, wtp: number): string {
	const verdictWord = (c: VerdictComparison) => (c.costEffective ? `cost-effective at ${moneyText(wtp, cur)} per QALY` : `not cost-effective at ${moneyText(wtp, cur)} per QALY`);
	const phrase = (c: VerdictComparison) => {
		const s = label(c.strategyId);
		switch (c.quadrant) {
			case 'equal':
				return `${s} has the same cost and QALYs`;
			case 'dominates':
				return `${s} dominates it`;
			case 'dominated':
				return `${s} is dominated by it`;
			case 'north-east':
				return `${s} costs ${moneyText(c.icer!, cur)} per QALY gained, ${verdictWord(c)}`;
			case 'south-west':
				return `${s} saves ${moneyText(c.icer!, cur)} per QALY lost (south-west quadrant), ${verdictWord(c)}`;
		}
	};
	return `Against ${label(list[0].comparatorId)}: ${list.map(phrase).join('; ')}.`;
}

function paybackSentence(c: VerdictComparison, p: Payback, label: (id: string) => string, horizonYears: number, discounted: boolean): string {
	const s = label(c.strategyId);
	const k = label(c.comparatorId);
	const costs = `cumulative ${discounted ? 'discounted ' : ''}cost per patient`;
	if (p.years === null && p.firstYears != null)
		return `${s} does not pay back against ${k} within the ${horizonYears}-year horizon: its ${costs} is lower for a time (from ${p.firstYears.toFixed(1)} years) but higher at the end of the horizon.`;
	if (p.years === null) return `${s} does not pay back against ${k} within the ${horizonYears}-year horizon: its ${costs} stays higher.`;
	if (p.years === 0) return `${s} costs no more than ${k} from the start.`;
	return `${s} pays back against ${k} after ${p.years.toFixed(1)} years (${costs})${p.firstYears != null && p.firstYears < p.years ? (p.firstYears === 0 ? '; it is cheaper at the start, then dearer for a time' : `; it is also cheaper for a time from ${p.firstYears.toFixed(1)} years, then dearer again`) : ''}.`;
}

function psaSentences(psa: NonNullable<Verdict['psa']>, label: (id: string) => string, cur: string, wtp: number, priceYear: number): string[] {
	const parts = Object.entries(psa.probabilityCostEffective)
		.sort((a, b) => b[1] - a[1])
		.map(([id, p]) => `${label(id)} ${Math.round(p * 100)}%`);
	return [
		`In the PSA (${psa.iterations.toLocaleString('en-GB')} iterations), the probability of being cost-effective at ${moneyText(wtp, cur)} per QALY is: ${parts.join(', ')}.`,
		`The expected value of perfect information is ${moneyText(psa.evpiPerPatient, cur)} per patient (${cur}, ${priceYear} prices): the most that removing all uncertainty would be worth.`
	];
}

function oneWaySentence(o: NonNullable<Verdict['oneWay']>, input: VerdictInput, label: (id: string) => string, cur: string): string {
	const bar = input.oneWay!.bars.find((b) => b.id === o.parameterId)!;
	const name = bar.description ? `${bar.description} (${bar.id})` : bar.id;
	const unit = bar.unit ? ` ${bar.unit}` : '';
	const measure = input.oneWay!.measure === 'icer' ? 'ICER' : 'incremental net monetary benefit';
	const fmt = (x: number) => (input.oneWay!.measure === 'icer' ? `${moneyText(x, cur)} per QALY` : moneyText(x, cur));
	return (
		`In the one-way analysis, the input that moves the ${measure} of ${label(o.strategyId)} against ${label(o.comparatorId)} most is ${name}: ` +
		`${fmt(o.atLow)} at ${o.lowValue}${unit} and ${fmt(o.atHigh)} at ${o.highValue}${unit}; ` +
		(o.changesDecision ? 'within that range the decision changes.' : 'within that range the decision does not change.')
	);
}
