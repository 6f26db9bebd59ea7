/**
 * Probabilistic sensitivity analysis per subgroup (docs/model-format.md, "Subgroups"): one PSA
 * per subgroup with the same seed, so iteration i draws the same values in every subgroup
 * (common random numbers) and the differences between subgroups are the subgroup's, not noise.
 * That holds for every parameter a subgroup does not set; a subgroup's own parameters are held
 * at its value (as a scenario's are), and when one of them has a distribution the parameters
 * drawn after it take other variates (the result lists them in `heldDrawn`).
 *
 * From the PSAs: each subgroup's CEAC and EVPI, the population's (iteration i of the population
 * is sum_g w_g x_gi, valid because the draws are paired), and the value of heterogeneity from
 * the expected net benefits (Espinoza et al. 2014; see subgroups.ts for the formulas):
 *
 *     E[value of individualised care and perfect information] = heterogeneity + sum_g w_g EVPI_g
 */
import type { CompiledModel } from '../model/compile';
import { runPsa, type PsaConfig, type PsaResult, type RunPsaHooks } from './psa';
import { ceac, type CeacResult } from './ceac';
import { evpi } from './evpi';
import { columnMean, netBenefits, type PsaOutcomes } from './outcomes';
import { subgroupOptions, subgroupsOf, valueOfHeterogeneity, type ValueOfHeterogeneity } from './subgroups';

export interface SubgroupPsaPart {
	id: string;
	label: string;
	weight: number;
	psa: PsaOutcomes & { lifeYears: Float64Array };
	/** mean discounted cost and QALYs per strategy */
	meanCost: number[];
	meanQaly: number[];
	ceac: CeacResult;
	/** P(each strategy has the highest NMB) at the willingness to pay */
	probabilityCostEffective: number[];
	/** per person in the subgroup, at the willingness to pay */
	evpi: number;
}

export interface SubgroupPsaResult {
	iterations: number;
	seed: number;
	willingnessToPay: number;
	currency: string;
	priceYear: number;
	strategyIds: string[];
	strategyLabels: string[];
	subgroups: SubgroupPsaPart[];
	/** the population: iteration i is sum_g w_g (cost, QALYs)_gi */
	population: SubgroupPsaPart;
	/** from the PSA means */
	heterogeneity: ValueOfHeterogeneity;
	/** sum_g w_g EVPI_g: the value of perfect information once each subgroup has its own decision */
	evpiStratified: number;
	/** heterogeneity.value + evpiStratified: individualised care with perfect information, over one decision for all now */
	valueOfIndividualisedInformation: number;
	/** per subgroup, the drawn parameters it holds at its own value (their later draws differ from the other subgroups') */
	heldDrawn: Record<string, string[]>;
}

export interface SubgroupPsaOptions extends Omit<PsaConfig, 'keepCycleCosts'> {
	/** willingness-to-pay values of the CEACs */
	wtp: ArrayLike<number>;
	willingnessToPay?: number;
	/** the reference of the pairwise CEACs (default the first strategy) */
	referenceId?: string;
}

/**
 * One PSA per subgroup with the same seed, and what follows from them.
 *
 * @example
 *     const p = subgroupPsa(cm, { iterations: 1000, seed: 1, wtp: wtpRange(0, 100000, 1000) });
 *     p.subgroups[0].ceac.probability[s][w];   // subgroup 0's CEAC
 *     p.heterogeneity.value;                   // expected value of individualised care, per person
 */
export function subgroupPsa(cm: CompiledModel, o: SubgroupPsaOptions, hooks: RunPsaHooks = {}): SubgroupPsaResult {
	const groups = subgroupsOf(cm);
	// one PSA at a time, keeping only its outcomes (not its draws), so memory stays that of one PSA
	const results = groups.map((g, k) => {
		const r = runPsa(cm, { ...o, options: subgroupOptions(g, o.options) }, { ...hooks, onProgress: (p) => hooks.onProgress?.({ done: k * o.iterations + p.done, total: groups.length * o.iterations, finished: p.finished && k === groups.length - 1 }) });
		return { settings: r.settings, strategyLabels: r.strategyLabels, outcomes: trimmed(r, r.iterations) };
	});
	const first = results[0];
	const iterations = Math.min(...results.map((r) => r.outcomes.iterations));
	const wtp = o.willingnessToPay ?? first.settings.willingnessToPay;
	const part = (id: string, label: string, weight: number, psa: SubgroupPsaPart['psa']) => partOf(id, label, weight, psa, o, wtp);
	const subgroups = groups.map((g, k) => part(g.id, g.label, g.weight, cut(results[k].outcomes, iterations)));
	const population = part('population', 'Whole population', 1, weightedPsa(subgroups, iterations));
	const nb = subgroups.map((g) => g.meanQaly.map((q, s) => wtp * q - g.meanCost[s]));
	const strategyIds = first.outcomes.strategyIds;
	const heterogeneity = valueOfHeterogeneity(subgroups.map((g) => g.weight), nb, strategyIds, subgroups.map((g) => g.id));
	const evpiStratified = subgroups.reduce((a, g) => a + g.weight * g.evpi, 0);
	const heldDrawn: Record<string, string[]> = {};
	const drawn = (id: string) => (cm.model.parameters[id]?.distribution?.type ?? 'fixed') !== 'fixed';
	for (const g of groups) heldDrawn[g.id] = Object.keys(g.parameters ?? {}).filter(drawn);
	return {
		iterations,
		seed: o.seed,
		willingnessToPay: wtp,
		currency: first.settings.currency,
		priceYear: first.settings.priceYear,
		strategyIds,
		strategyLabels: first.strategyLabels,
		subgroups,
		population,
		heterogeneity,
		evpiStratified,
		valueOfIndividualisedInformation: heterogeneity.value + evpiStratified,
		heldDrawn
	};
}

function partOf(id: string, label: string, weight: number, psa: SubgroupPsaPart['psa'], o: SubgroupPsaOptions, wtp: number): SubgroupPsaPart {
	const S = psa.strategyIds.length;
	const meanCost = psa.strategyIds.map((_, s) => columnMean(psa.cost, psa.iterations, S, s));
	const meanQaly = psa.strategyIds.map((_, s) => columnMean(psa.qaly, psa.iterations, S, s));
	const nmb = netBenefits(psa, wtp);
	const wins = new Float64Array(S);
	for (let i = 0; i < psa.iterations; i++) {
		let best = 0;
		for (let s = 1; s < S; s++) if (nmb[i * S + s] > nmb[i * S + best]) best = s;
		wins[best]++;
	}
	return {
		id,
		label,
		weight,
		psa,
		meanCost,
		meanQaly,
		ceac: ceac(psa, o.wtp, o.referenceId ?? psa.strategyIds[0]),
		probabilityCostEffective: Array.from(wins, (x) => x / psa.iterations),
		evpi: evpi(psa, wtp)
	};
}

/** A PSA's outcomes (cost, QALYs, life years), without its draws. */
function trimmed(r: PsaResult, n: number): SubgroupPsaPart['psa'] {
	return { iterations: n, strategyIds: r.strategyIds, cost: r.cost, qaly: r.qaly, lifeYears: r.lifeYears };
}

/** Outcomes cut to the first `n` iterations (when one PSA was cancelled earlier than another). */
function cut(o: SubgroupPsaPart['psa'], n: number): SubgroupPsaPart['psa'] {
	if (o.iterations === n) return o;
	const S = o.strategyIds.length;
	return { iterations: n, strategyIds: o.strategyIds, cost: o.cost.slice(0, n * S), qaly: o.qaly.slice(0, n * S), lifeYears: o.lifeYears.slice(0, n * S) };
}

/** Iteration i of the population: sum_g w_g x_gi for cost, QALYs and life years. */
function weightedPsa(parts: SubgroupPsaPart[], n: number): SubgroupPsaPart['psa'] {
	const S = parts[0].psa.strategyIds.length;
	const out = { iterations: n, strategyIds: parts[0].psa.strategyIds, cost: new Float64Array(n * S), qaly: new Float64Array(n * S), lifeYears: new Float64Array(n * S) };
	for (const g of parts)
		for (let j = 0; j < n * S; j++) {
			out.cost[j] += g.weight * g.psa.cost[j];
			out.qaly[j] += g.weight * g.psa.qaly[j];
			out.lifeYears[j] += g.weight * g.psa.lifeYears[j];
		}
	return out;
}
