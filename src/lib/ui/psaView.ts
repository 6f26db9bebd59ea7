/**
 * What the page shows of a PSA: the willingness-to-pay grid, CEAC, CE plane, EVPI and a summary
 * table against a reference, and payback under uncertainty. Computed once per PSA, in the
 * analysis worker (ARCHITECTURE.md, "From a model file to a chart", step 7), and read by the PSA
 * panel, the verdict and the downloads, so no summary is computed twice on the page.
 */
import { ceac, cePlane, evpiCurve, evpi as evpiAt, psaPayback, summarisePsa, wtpRange, type PaybackDistribution, type PsaOutcomes, type PsaResult, type VerdictInput } from '$lib/engine';

/**
 * 0 to at least 100,000 per QALY (or 3 x the decision threshold, rounded up to 10,000), in 100 steps.
 * @example wtpGrid(20000) // 0, 1000, 2000, ..., 100000 (101 values)
 */
export function wtpGrid(willingnessToPay: number): Float64Array {
	const max = Math.max(100_000, Math.ceil((3 * willingnessToPay) / 10_000) * 10_000);
	return wtpRange(0, max, max / 100);
}

/**
 * The parts of a PSA's view that read only its costs and QALYs (`PsaOutcomes`): the EVPI curve on
 * `wtpGrid`, EVPI and the summary table at the PSA's willingness to pay. A second worker computes
 * them while the first computes the rest (`psaView`'s `given`).
 * @example outcomeSummaries(psa, psa.settings.willingnessToPay, psa.strategyIds[0]).evpiAtWtp
 */
export function outcomeSummaries(o: PsaOutcomes, willingnessToPay: number, referenceId: string) {
	return {
		evpi: evpiCurve(o, wtpGrid(willingnessToPay)),
		evpiAtWtp: evpiAt(o, willingnessToPay),
		summary: summarisePsa(o, willingnessToPay, referenceId)
	};
}

export type OutcomeSummaries = ReturnType<typeof outcomeSummaries>;

/**
 * The parts of a PSA's view that read every iteration against the reference (the CEAC on
 * `wtpGrid` and the CE plane), without the outcome summaries: a worker computes them while
 * another computes `outcomeSummaries`. Cost: O(iterations x strategies x 101 grid values).
 * @example curvesOf(psa, psa.strategyIds[0]).ceac.probability.length // one curve per strategy
 */
export function curvesOf(psa: PsaResult, referenceId: string) {
	const grid = wtpGrid(psa.settings.willingnessToPay);
	return { referenceId, grid, ceac: ceac(psa, grid, referenceId), plane: cePlane(psa, referenceId) };
}

export type PsaCurves = ReturnType<typeof curvesOf>;

/**
 * The CEAC, CE plane, EVPI curve and summary of a PSA against one reference strategy, at the
 * PSA's willingness to pay. `given`: the outcome summaries when another worker has computed them
 * (`outcomeSummaries` of this PSA with this reference), else computed here; `curves`: the CEAC
 * and plane when already computed (`curvesOf` of this PSA with this reference).
 * @example psaView(psa, psa.strategyIds[0]).evpiAtWtp // EVPI per patient at the PSA's WTP
 */
export function psaView(psa: PsaResult, referenceId: string, given?: OutcomeSummaries, curves?: PsaCurves) {
	return { ...(curves ?? curvesOf(psa, referenceId)), ...(given ?? outcomeSummaries(psa, psa.settings.willingnessToPay, referenceId)) };
}

export type PsaView = ReturnType<typeof psaView>;

/** A one-off strategy and the comparator its payback is measured against. */
export interface PaybackPair {
	oneOff: string;
	comparator: string;
}

/** The PSA as the page shows it: the view against its first strategy, and payback for one pair. */
export interface PsaShown {
	view: PsaView;
	/** the pair payback was computed for (the deterministic chart's default), or null for none */
	paybackPair: PaybackPair | null;
	payback: PaybackDistribution | null;
	/** whether the PSA kept each iteration's costs per cycle (false: they would pass the PSA memory limit) */
	cycleCostsKept: boolean;
}

/**
 * The discounted costs per cycle of a pair's two strategies in each iteration,
 * [(i * 2 + j) * (horizon + 1) + k] with j = 0 the one-off strategy: all that payback under
 * uncertainty reads of a PSA's per-cycle costs (a fifth of them for ten strategies), so only
 * these cross between threads. Null without per-cycle costs or when the pair is not in the PSA.
 * @example pairCycleCosts(psa, { oneOff: 'ahsct', comparator: 'lifelong-dmt' })?.length // iterations x 2 x (horizon + 1)
 */
export function pairCycleCosts(psa: PsaResult, pair: PaybackPair | null): Float64Array | null {
	if (!pair || !psa.cycleCosts) return null;
	const ends = [psa.strategyIds.indexOf(pair.oneOff), psa.strategyIds.indexOf(pair.comparator)];
	if (ends.some((s) => s < 0)) return null;
	const S = psa.strategyIds.length;
	const n1 = psa.settings.horizon + 1;
	const out = new Float64Array(psa.iterations * 2 * n1);
	for (let i = 0; i < psa.iterations; i++)
		for (let j = 0; j < 2; j++) out.set(psa.cycleCosts.subarray((i * S + ends[j]) * n1, (i * S + ends[j] + 1) * n1), (i * 2 + j) * n1);
	return out;
}

/**
 * Everything the page shows of a finished PSA, computed in one place (the worker): the view
 * against the first strategy and, given the pair's per-cycle costs (`pairCycleCosts` of every
 * iteration, in order), the distribution of its payback time (`psaPayback` of the pair alone).
 * `given`: the outcome summaries computed elsewhere; `curves`: the CEAC and plane already
 * computed (`curvesOf` of this PSA against its first strategy).
 * @example psaShown(psa, pair, pairCycleCosts(psa, pair), true).payback?.median // years
 */
export function psaShown(psa: PsaResult, pair: PaybackPair | null, pairCosts: Float64Array | null, cycleCostsKept: boolean, given?: OutcomeSummaries, curves?: PsaCurves): PsaShown {
	const paired = pair && pairCosts && psa.iterations > 0 ? { ...psa, strategyIds: [pair.oneOff, pair.comparator], cycleCosts: pairCosts, cycleCostsUndiscounted: null } : null;
	return {
		view: psaView(psa, psa.strategyIds[0], given, curves),
		paybackPair: pair,
		payback: paired && pair ? psaPayback(paired, { oneOffId: pair.oneOff, lifelongId: pair.comparator }) : null,
		cycleCostsKept
	};
}

/**
 * The PSA's part of the verdict (P(cost-effective) of each strategy and EVPI per patient at the
 * PSA's willingness to pay) read from a view: P(highest NMB) does not depend on the reference.
 * @example verdictPsa(psa, shown.view).probabilityCostEffective['ahsct'] // 0.62
 */
export function verdictPsa(psa: PsaResult, view: PsaView): NonNullable<VerdictInput['psa']> {
	return {
		iterations: psa.iterations,
		probabilityCostEffective: Object.fromEntries(view.summary.map((s) => [s.id, s.probabilityCostEffective])),
		evpiPerPatient: view.evpiAtWtp
	};
}

/** The typed arrays of a shown PSA, to hand them from the worker without copying. */
export function shownBuffers(shown: PsaShown): ArrayBuffer[] {
	const v = shown.view;
	const arrays = [v.grid, v.evpi, v.ceac.wtp, v.ceac.frontier, v.ceac.frontierProbability, ...v.ceac.probability, ...v.ceac.expectedNmb, ...v.ceac.pairwise, ...v.plane.incrementalCost, ...v.plane.incrementalQaly];
	if (shown.payback) arrays.push(shown.payback.years, shown.payback.cumulative);
	return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
