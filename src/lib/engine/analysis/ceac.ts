/**
 * Cost-effectiveness plane, acceptability curves and frontier from a PSA (Fenwick, Claxton &
 * Sculpher 2001, Health Econ 10:779-787; Barton et al. 2008, Value Health 11:886-897).
 *
 *  - CEAC (all strategies at once, "multiple CEAC" in BCEA): at each willingness to pay, the
 *    share of iterations in which each strategy has the highest net monetary benefit; the
 *    curves sum to 1 at every willingness to pay. Ties go to the strategy listed first.
 *  - Pairwise CEAC: the share in which a strategy's NMB exceeds the chosen reference's.
 *  - Frontier (CEAF): the strategy with the highest expected NMB (the decision under current
 *    information) and the probability that it is the most cost-effective.
 *
 *     const c = ceac(psa, wtpRange(0, 100000, 1000));
 *     c.probability[s][w]; // P(strategy s is most cost-effective at wtp[w])
 * Cost: O(iterations x strategies x wtp values).
 */
import { columnMean, quantileOf, strategyIndex, type PsaOutcomes } from './outcomes';

export interface CeacResult {
	wtp: Float64Array;
	strategyIds: string[];
	/** probability[s][w]: share of iterations where strategy s has the highest NMB */
	probability: Float64Array[];
	/** expectedNmb[s][w]: mean NMB over iterations */
	expectedNmb: Float64Array[];
	/** frontier[w]: index of the strategy with the highest expected NMB */
	frontier: Int32Array;
	/** frontierProbability[w] = probability[frontier[w]][w] */
	frontierProbability: Float64Array;
	/** referenceId and pairwise[s][w] = P(NMB_s > NMB_reference) (the reference's own row is 0) */
	referenceId: string;
	pairwise: Float64Array[];
}

export function ceac(o: PsaOutcomes, wtp: ArrayLike<number>, referenceId = o.strategyIds[0]): CeacResult {
	const S = o.strategyIds.length;
	const N = o.iterations;
	const W = wtp.length;
	const ref = strategyIndex(o, referenceId, 'reference strategy');
	const probability = Array.from({ length: S }, () => new Float64Array(W));
	const expectedNmb = Array.from({ length: S }, () => new Float64Array(W));
	const pairwise = Array.from({ length: S }, () => new Float64Array(W));
	const frontier = new Int32Array(W);
	const frontierProbability = new Float64Array(W);
	const wins = new Float64Array(S);
	const beats = new Float64Array(S);
	const sums = new Float64Array(S);
	for (let w = 0; w < W; w++) {
		const lambda = wtp[w];
		wins.fill(0);
		beats.fill(0);
		sums.fill(0);
		for (let i = 0; i < N; i++) {
			const row = i * S;
			let best = 0;
			let bestNmb = -Infinity;
			const refNmb = lambda * o.qaly[row + ref] - o.cost[row + ref];
			for (let s = 0; s < S; s++) {
				const nmb = lambda * o.qaly[row + s] - o.cost[row + s];
				sums[s] += nmb;
				if (nmb > bestNmb) {
					bestNmb = nmb;
					best = s;
				}
				if (s !== ref && nmb > refNmb) beats[s]++;
			}
			wins[best]++;
		}
		let top = 0;
		for (let s = 0; s < S; s++) {
			probability[s][w] = wins[s] / N;
			expectedNmb[s][w] = sums[s] / N;
			pairwise[s][w] = beats[s] / N;
			if (expectedNmb[s][w] > expectedNmb[top][w]) top = s;
		}
		frontier[w] = top;
		frontierProbability[w] = probability[top][w];
	}
	return { wtp: Float64Array.from(wtp), strategyIds: o.strategyIds, probability, expectedNmb, frontier, frontierProbability, referenceId, pairwise };
}

export interface CePlane {
	referenceId: string;
	/** per strategy, per iteration: cost and effect minus the reference's */
	incrementalCost: Float64Array[];
	incrementalQaly: Float64Array[];
}

/** Points of the cost-effectiveness plane against a chosen reference (BCEA's `ref`). */
export function cePlane(o: PsaOutcomes, referenceId = o.strategyIds[0]): CePlane {
	const S = o.strategyIds.length;
	const ref = strategyIndex(o, referenceId, 'reference strategy');
	const incrementalCost = Array.from({ length: S }, () => new Float64Array(o.iterations));
	const incrementalQaly = Array.from({ length: S }, () => new Float64Array(o.iterations));
	for (let i = 0; i < o.iterations; i++)
		for (let s = 0; s < S; s++) {
			incrementalCost[s][i] = o.cost[i * S + s] - o.cost[i * S + ref];
			incrementalQaly[s][i] = o.qaly[i * S + s] - o.qaly[i * S + ref];
		}
	return { referenceId, incrementalCost, incrementalQaly };
}

export interface PsaStrategySummary {
	id: string;
	meanCost: number;
	meanQaly: number;
	/** 2.5% and 97.5% percentiles over iterations */
	costInterval: [number, number];
	qalyInterval: [number, number];
	incrementalCost: number;
	incrementalQaly: number;
	/** ratio of mean incremental cost to mean incremental QALYs vs the reference (null for the reference) */
	icer: number | null;
	expectedNmb: number;
	incrementalNmb: number;
	/** probability of the highest NMB at this willingness to pay */
	probabilityCostEffective: number;
}

/** Means, 95% intervals, ICERs vs a reference and probabilities at one willingness to pay. */
export function summarisePsa(o: PsaOutcomes, willingnessToPay: number, referenceId = o.strategyIds[0]): PsaStrategySummary[] {
	const S = o.strategyIds.length;
	const N = o.iterations;
	const ref = strategyIndex(o, referenceId, 'reference strategy');
	const c = ceac(o, [willingnessToPay], referenceId);
	const interval = (a: Float64Array, s: number): [number, number] => {
		const col = Float64Array.from({ length: N }, (_, i) => a[i * S + s]).sort();
		return [quantileOf(col, 0.025), quantileOf(col, 0.975)];
	};
	const refCost = columnMean(o.cost, N, S, ref);
	const refQaly = columnMean(o.qaly, N, S, ref);
	return o.strategyIds.map((id, s) => {
		const meanCost = columnMean(o.cost, N, S, s);
		const meanQaly = columnMean(o.qaly, N, S, s);
		const dc = meanCost - refCost;
		const de = meanQaly - refQaly;
		return {
			id,
			meanCost,
			meanQaly,
			costInterval: interval(o.cost, s),
			qalyInterval: interval(o.qaly, s),
			incrementalCost: dc,
			incrementalQaly: de,
			icer: s === ref || de === 0 ? null : dc / de,
			expectedNmb: c.expectedNmb[s][0],
			incrementalNmb: c.expectedNmb[s][0] - c.expectedNmb[ref][0],
			probabilityCostEffective: c.probability[s][0]
		};
	});
}
