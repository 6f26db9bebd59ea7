/**
 * Results by subgroup and for the whole population, and the value of heterogeneity (Espinoza,
 * Manca, Claxton & Sculpher 2014, "The value of heterogeneity for cost-effectiveness subgroup
 * analysis", Med Decis Making 34(8):951-964).
 *
 * Each subgroup g of the model file (docs/model-format.md, "Subgroups") is the model run with
 * its parameter and setting values, with population weight w_g (the weights sum to 1). Per
 * person in the population, for strategy s:
 *
 *     weighted cost_s = sum_g w_g cost_gs,   weighted QALYs_s = sum_g w_g QALY_gs
 *
 * and, at willingness to pay lambda, NB_gs = lambda QALY_gs - cost_gs. The expected value of
 * individualised care (one decision per subgroup rather than one for all) is
 *
 *     value of heterogeneity = sum_g w_g max_s E[NB_gs] - max_s sum_g w_g E[NB_gs]
 *
 * never negative. With a PSA, each subgroup's EVPI is E[max_s NB_gs] - max_s E[NB_gs], and the
 * two add up: sum_g w_g E[max_s NB_gs] - max_s E[sum_g w_g NB_gs] = heterogeneity + sum_g w_g EVPI_g.
 */
import type { CompiledModel } from '../model/compile';
import type { Subgroup } from '../model/schema';
import { modelComparison } from '../model/comparison';
import { ModelError, issue } from '../errors';
import { createRunner, type RunOptions, type RunResult, type Runner } from '../simulate/run';
import { incrementalAnalysis, pairwiseAnalysis, type IncrementalRow, type PairwiseRow } from '../decide/incremental';
import { verdictOf, type Verdict } from './verdict';

/** One strategy's discounted totals per person in a subgroup (or the weighted population). */
export interface SubgroupStrategy {
	id: string;
	label: string;
	cost: number;
	qaly: number;
	lifeYears: number;
	netMonetaryBenefit: number;
}

/** The results of one subgroup, or of the whole population (weight 1, the weighted totals). */
export interface SubgroupResult {
	id: string;
	label: string;
	weight: number;
	/** the weight's source ("citation, location") or assumption, as the file gives it */
	evidence: { kind: 'source' | 'assumption'; text: string } | null;
	startAge: number;
	/** horizon in cycles of this subgroup's run (the population's: the longest) */
	horizon: number;
	strategies: SubgroupStrategy[];
	incremental: IncrementalRow[];
	/** every strategy against `referenceId` (ICERs against the comparator) */
	pairwise: PairwiseRow[];
	/** strategies with the highest net monetary benefit (more than one when tied) */
	best: string[];
	verdict: Verdict;
}

export interface ValueOfHeterogeneity {
	/** sum_g w_g max_s NB_gs: one decision per subgroup */
	individualised: number;
	/** max_s sum_g w_g NB_gs: one decision for all */
	oneForAll: number;
	/** individualised - oneForAll, per person in the population */
	value: number;
	/** the strategy chosen for all, and for each subgroup */
	oneForAllStrategy: string;
	bestBySubgroup: Record<string, string>;
}

export interface SubgroupAnalysis {
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	referenceId: string;
	subgroups: SubgroupResult[];
	population: SubgroupResult;
	heterogeneity: ValueOfHeterogeneity;
}

export interface SubgroupOptions {
	/** the scenario and overrides the whole population shares; each subgroup's own values go on top */
	options?: RunOptions;
	willingnessToPay?: number;
	/** the comparator of the pairwise ICERs (default the model's lifelong comparator, else the first strategy) */
	referenceId?: string;
}

/**
 * The subgroups of a compiled model, or a ModelError at `subgroups` when it declares none.
 *
 * @example
 *     subgroupsOf(cm).map((g) => g.id); // ['under-36', 'age-36-plus'] for models/ms.json
 */
export function subgroupsOf(cm: CompiledModel): Subgroup[] {
	const groups = cm.model.subgroups ?? [];
	if (!groups.length) throw new ModelError(issue('subgroups', 'unknown-reference', `model "${cm.model.id}" declares no subgroups`));
	return groups;
}

/**
 * One subgroup by id, or a ModelError at `subgroup` naming the known ones.
 *
 * @example
 *     subgroupById(cm, 'under-36').settings; // { startAge: 29.1 } for models/ms.json
 */
export function subgroupById(cm: CompiledModel, id: string): Subgroup {
	const groups = subgroupsOf(cm);
	const g = groups.find((x) => x.id === id);
	if (!g) throw new ModelError(issue('subgroup', 'unknown-reference', `no subgroup "${id}"; subgroups are ${groups.map((x) => x.id).join(', ')}`));
	return g;
}

/**
 * The run options of subgroup g: the shared options, then the subgroup's parameters and
 * settings on top. A subgroup giving its horizon as an age (or in cycles) replaces the other
 * form of the shared options, so the two never conflict.
 *
 * @example
 *     subgroupOptions(g, { settings: { horizon: 5 } }); // settings { horizon: 5, startAge: 29.1 } for ms.json's 'under-36'
 */
export function subgroupOptions(g: Subgroup, shared: RunOptions = {}): RunOptions {
	const settings = { ...(shared.settings ?? {}) };
	if (g.settings?.horizonAge !== undefined) delete settings.horizon;
	if (g.settings?.horizon !== undefined) delete settings.horizonAge;
	return {
		...shared,
		parameters: { ...(shared.parameters ?? {}), ...(g.parameters ?? {}) },
		settings: { ...settings, ...(g.settings ?? {}) }
	};
}

/**
 * Costs, QALYs, incremental analysis, ICERs against the comparator and the verdict for each
 * subgroup and for the population-weighted totals, with the value of heterogeneity.
 *
 * @example
 *     const a = subgroupAnalysis(cm, { willingnessToPay: 20000 });
 *     a.population.strategies[0].cost; // sum_g w_g cost_g of the first strategy
 *     a.heterogeneity.value;           // per person, in the model's currency
 */
export function subgroupAnalysis(cm: CompiledModel, o: SubgroupOptions = {}): SubgroupAnalysis {
	const groups = subgroupsOf(cm);
	const runner = runnerOf(cm);
	const runs = groups.map((g) => runner.run(subgroupOptions(g, o.options)));
	const settings = runs[0].settings;
	const wtp = o.willingnessToPay ?? settings.willingnessToPay;
	const comparison = modelComparison(cm.model);
	const referenceId = o.referenceId ?? comparison.lifelong ?? cm.strategies[0].id;
	if (!cm.strategies.some((s) => s.id === referenceId))
		throw new ModelError(issue('referenceId', 'unknown-reference', `no strategy "${referenceId}"; strategies are ${cm.strategies.map((s) => s.id).join(', ')}`));
	const context = { wtp, referenceId, comparison, currency: settings.currency, priceYear: settings.priceYear };
	const subgroups = groups.map((g, k) => resultOf(g.id, g.label, g.weight, evidenceOf(g), strategiesOf(runs[k], wtp), runs[k], context));
	const weighted = weightedStrategies(subgroups, wtp);
	const longest = runs.reduce((a, r) => (r.settings.horizon > a.settings.horizon ? r : a));
	const population = resultOf('population', 'Whole population', 1, null, weighted, longest, context);
	population.startAge = subgroups.reduce((a, g) => a + g.weight * g.startAge, 0);
	const nb = subgroups.map((g) => g.strategies.map((s) => s.netMonetaryBenefit));
	const heterogeneity = valueOfHeterogeneity(
		groups.map((g) => g.weight),
		nb,
		cm.strategies.map((s) => s.id),
		groups.map((g) => g.id)
	);
	return { willingnessToPay: wtp, currency: settings.currency, priceYear: settings.priceYear, referenceId, subgroups, population, heterogeneity };
}

/**
 * The value of heterogeneity from expected net benefits nb[g][s] and weights w[g]
 * (Espinoza et al. 2014, Med Decis Making 34(8):951-964, the expected value of individualised care):
 * sum_g w_g max_s nb[g][s] - max_s sum_g w_g nb[g][s]. Ties go to the strategy listed first.
 *
 * @example
 *     valueOfHeterogeneity([0.6, 0.4], [[9000, 11000], [9000, 7000]], ['A', 'B'], ['young', 'old']);
 *     // individualised 10200, oneForAll 9400 (B), value 800
 */
export function valueOfHeterogeneity(weights: number[], nb: number[][], strategyIds: string[], subgroupIds: string[]): ValueOfHeterogeneity {
	const argMax = (xs: number[]) => xs.reduce((best, x, s) => (x > xs[best] ? s : best), 0);
	const bestBySubgroup: Record<string, string> = {};
	let individualised = 0;
	nb.forEach((row, g) => {
		const s = argMax(row);
		bestBySubgroup[subgroupIds[g]] = strategyIds[s];
		individualised += weights[g] * row[s];
	});
	const pooled = strategyIds.map((_, s) => nb.reduce((a, row, g) => a + weights[g] * row[s], 0));
	const all = argMax(pooled);
	// never negative in exact arithmetic: clamp rounding
	return { individualised, oneForAll: pooled[all], value: Math.max(0, individualised - pooled[all]), oneForAllStrategy: strategyIds[all], bestBySubgroup };
}

const runners = new WeakMap<CompiledModel, Runner>();
/** One runner per compiled model, so an analysis run again (the app, on every edit) does not set up the cohort again. */
function runnerOf(cm: CompiledModel): Runner {
	let r = runners.get(cm);
	if (!r) runners.set(cm, (r = createRunner(cm)));
	return r;
}

function evidenceOf(g: Subgroup): SubgroupResult['evidence'] {
	if (g.source) return { kind: 'source', text: [g.source.citation, g.source.location].filter(Boolean).join(', ') };
	return g.assumption ? { kind: 'assumption', text: g.assumption } : null;
}

function strategiesOf(r: RunResult, wtp: number): SubgroupStrategy[] {
	return r.strategies.map((s) => ({
		id: s.id,
		label: s.label,
		cost: s.discounted.cost,
		qaly: s.discounted.qaly,
		lifeYears: s.discounted.lifeYears,
		netMonetaryBenefit: wtp * s.discounted.qaly - s.discounted.cost
	}));
}

/** sum_g w_g x_gs for cost, QALYs and life years; NMB from the weighted totals. */
function weightedStrategies(subgroups: SubgroupResult[], wtp: number): SubgroupStrategy[] {
	return subgroups[0].strategies.map((first, s) => {
		const sum = (f: (x: SubgroupStrategy) => number) => subgroups.reduce((a, g) => a + g.weight * f(g.strategies[s]), 0);
		const cost = sum((x) => x.cost);
		const qaly = sum((x) => x.qaly);
		return { id: first.id, label: first.label, cost, qaly, lifeYears: sum((x) => x.lifeYears), netMonetaryBenefit: wtp * qaly - cost };
	});
}

interface Context {
	wtp: number;
	referenceId: string;
	comparison: ReturnType<typeof modelComparison>;
	currency: string;
	priceYear: number;
}

function resultOf(id: string, label: string, weight: number, evidence: SubgroupResult['evidence'], strategies: SubgroupStrategy[], r: RunResult, c: Context): SubgroupResult {
	const outcomes = strategies.map((s) => ({ id: s.id, cost: s.cost, effect: s.qaly }));
	const top = Math.max(...strategies.map((s) => s.netMonetaryBenefit));
	const verdict = verdictOf({
		strategies: strategies.map((s) => ({ id: s.id, label: s.label, cost: s.cost, qaly: s.qaly })),
		willingnessToPay: c.wtp,
		currency: c.currency,
		priceYear: c.priceYear,
		horizonYears: r.settings.horizon * r.settings.cycleLength,
		lifelong: c.comparison.lifelong,
		oneOff: c.comparison.oneOff,
		untreated: c.comparison.untreated
	});
	return {
		id,
		label,
		weight,
		evidence,
		startAge: r.settings.startAge,
		horizon: r.settings.horizon,
		strategies,
		incremental: incrementalAnalysis(outcomes),
		pairwise: pairwiseAnalysis(outcomes, c.referenceId, c.wtp),
		best: verdict.best.ids,
		verdict
	};
}
