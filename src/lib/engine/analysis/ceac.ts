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

/**
 * Acceptability curves at each willingness to pay λ: per strategy, the share of iterations in
 * which NMB = λ QALY - C is highest (ties to the strategy listed first), its mean NMB, the
 * frontier (highest mean NMB) and P(NMB_s > NMB_reference) (Fenwick, Claxton & Sculpher 2001).
 *
 * @example
 * const curves = ceac(psa, wtpRange(0, 100000, 1000));
 * curves.probability[1][20] // P(the second strategy is the most cost-effective at 20,000 per QALY)
 */
export function ceac(outcomes: PsaOutcomes, wtp: ArrayLike<number>, referenceId = outcomes.strategyIds[0]): CeacResult {
	const strategyCount = outcomes.strategyIds.length;
	const iterations = outcomes.iterations;
	const wtpCount = wtp.length;
	const reference = strategyIndex(outcomes, referenceId, 'reference strategy');
	const probability = Array.from({ length: strategyCount }, () => new Float64Array(wtpCount));
	const expectedNmb = Array.from({ length: strategyCount }, () => new Float64Array(wtpCount));
	const pairwise = Array.from({ length: strategyCount }, () => new Float64Array(wtpCount));
	const frontier = new Int32Array(wtpCount);
	const frontierProbability = new Float64Array(wtpCount);
	const wins = new Float64Array(strategyCount);
	const beats = new Float64Array(strategyCount);
	const sums = new Float64Array(strategyCount);
	const { cost, qaly } = outcomes;
	for (let w = 0; w < wtpCount; w++) {
		const lambda = wtp[w];
		wins.fill(0);
		beats.fill(0);
		sums.fill(0);
		for (let i = 0; i < iterations; i++) {
			const row = i * strategyCount;
			let best = 0;
			let bestNmb = -Infinity;
			const referenceNmb = lambda * qaly[row + reference] - cost[row + reference];
			for (let strategy = 0; strategy < strategyCount; strategy++) {
				const nmb = lambda * qaly[row + strategy] - cost[row + strategy];
				sums[strategy] += nmb;
				if (nmb > bestNmb) {
					bestNmb = nmb;
					best = strategy;
				}
				if (strategy !== reference && nmb > referenceNmb) beats[strategy]++;
			}
			wins[best]++;
		}
		let top = 0;
		for (let strategy = 0; strategy < strategyCount; strategy++) {
			probability[strategy][w] = wins[strategy] / iterations;
			expectedNmb[strategy][w] = sums[strategy] / iterations;
			pairwise[strategy][w] = beats[strategy] / iterations;
			if (expectedNmb[strategy][w] > expectedNmb[top][w]) top = strategy;
		}
		frontier[w] = top;
		frontierProbability[w] = probability[top][w];
	}
	return { wtp: Float64Array.from(wtp), strategyIds: outcomes.strategyIds, probability, expectedNmb, frontier, frontierProbability, referenceId, pairwise };
}

export interface CePlane {
	referenceId: string;
	/** per strategy, per iteration: cost and effect minus the reference's */
	incrementalCost: Float64Array[];
	incrementalQaly: Float64Array[];
}

/**
 * Points of the cost-effectiveness plane against a chosen reference (BCEA's `ref`): per
 * strategy and iteration, ΔC = C_s - C_ref and ΔE = QALY_s - QALY_ref (Black 1990).
 *
 * @example
 * const plane = cePlane(psa, 'dmt');
 * [plane.incrementalQaly[1][0], plane.incrementalCost[1][0]] // the first iteration's point of the second strategy
 */
export function cePlane(outcomes: PsaOutcomes, referenceId = outcomes.strategyIds[0]): CePlane {
	const strategyCount = outcomes.strategyIds.length;
	const reference = strategyIndex(outcomes, referenceId, 'reference strategy');
	const incrementalCost = Array.from({ length: strategyCount }, () => new Float64Array(outcomes.iterations));
	const incrementalQaly = Array.from({ length: strategyCount }, () => new Float64Array(outcomes.iterations));
	for (let i = 0; i < outcomes.iterations; i++)
		for (let strategy = 0; strategy < strategyCount; strategy++) {
			incrementalCost[strategy][i] = outcomes.cost[i * strategyCount + strategy] - outcomes.cost[i * strategyCount + reference];
			incrementalQaly[strategy][i] = outcomes.qaly[i * strategyCount + strategy] - outcomes.qaly[i * strategyCount + reference];
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

/**
 * Means, 95% intervals (2.5th and 97.5th percentiles), the ICER of mean incremental cost over
 * mean incremental QALYs vs a reference, expected NMB and the probability of being most
 * cost-effective, at one willingness to pay.
 *
 * @example
 * summarisePsa(psa, 20000, 'dmt')[1] // { id, meanCost, costInterval: [low, high], icer, probabilityCostEffective, ... }
 */
export function summarisePsa(outcomes: PsaOutcomes, willingnessToPay: number, referenceId = outcomes.strategyIds[0]): PsaStrategySummary[] {
	const strategyCount = outcomes.strategyIds.length;
	const iterations = outcomes.iterations;
	const reference = strategyIndex(outcomes, referenceId, 'reference strategy');
	const curves = ceac(outcomes, [willingnessToPay], referenceId);
	const interval = (values: Float64Array, strategy: number): [number, number] => {
		const column = Float64Array.from({ length: iterations }, (_, i) => values[i * strategyCount + strategy]).sort();
		return [quantileOf(column, 0.025), quantileOf(column, 0.975)];
	};
	const referenceCost = columnMean(outcomes.cost, iterations, strategyCount, reference);
	const referenceQaly = columnMean(outcomes.qaly, iterations, strategyCount, reference);
	return outcomes.strategyIds.map((id, strategy) => {
		const meanCost = columnMean(outcomes.cost, iterations, strategyCount, strategy);
		const meanQaly = columnMean(outcomes.qaly, iterations, strategyCount, strategy);
		const incrementalCost = meanCost - referenceCost;
		const incrementalQaly = meanQaly - referenceQaly;
		return {
			id,
			meanCost,
			meanQaly,
			costInterval: interval(outcomes.cost, strategy),
			qalyInterval: interval(outcomes.qaly, strategy),
			incrementalCost,
			incrementalQaly,
			icer: strategy === reference || incrementalQaly === 0 ? null : incrementalCost / incrementalQaly,
			expectedNmb: curves.expectedNmb[strategy][0],
			incrementalNmb: curves.expectedNmb[strategy][0] - curves.expectedNmb[reference][0],
			probabilityCostEffective: curves.probability[strategy][0]
		};
	});
}
