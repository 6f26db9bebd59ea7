/**
 * Expected value of perfect information (Claxton 1999; Briggs, Claxton & Sculpher 2006, ch. 7):
 *
 *     EVPI = E_theta[ max_s NMB_s(theta) ] - max_s E_theta[ NMB_s(theta) ]
 *
 * estimated by the PSA sample means. Per person; the population value multiplies by the
 * discounted number of people who will face the decision (see populationEvpi).
 * For two strategies with incremental NMB ~ Normal(mu, sigma), the closed form is
 * sigma phi(mu / sigma) - |mu| Phi(-|mu| / sigma) (tests/unit/analysis-evpi.test.ts).
 */
import { netBenefits, type PsaOutcomes } from './outcomes';

/**
 * EVPI per person from NMB laid out [i * strategies + s]: the mean over iterations of the best
 * NMB, less the best of the strategies' mean NMB (never below 0).
 *
 * @example
 * evpiFromNetBenefits(Float64Array.of(10, 0, 0, 10), 2, 2) // 5: (10 + 10) / 2 - max(5, 5)
 */
export function evpiFromNetBenefits(nmb: Float64Array, iterations: number, strategies: number): number {
	const sums = new Float64Array(strategies);
	let meanOfMax = 0;
	for (let i = 0; i < iterations; i++) {
		let best = -Infinity;
		for (let strategy = 0; strategy < strategies; strategy++) {
			const benefit = nmb[i * strategies + strategy];
			sums[strategy] += benefit;
			if (benefit > best) best = benefit;
		}
		meanOfMax += best;
	}
	let maxOfMean = -Infinity;
	for (let strategy = 0; strategy < strategies; strategy++) maxOfMean = Math.max(maxOfMean, sums[strategy] / iterations);
	// never negative in exact arithmetic; clamp rounding
	return Math.max(0, meanOfMax / iterations - maxOfMean);
}

/**
 * EVPI per person at one willingness to pay: E[max_s NMB_s] - max_s E[NMB_s] over the PSA's
 * iterations (Claxton 1999, J Health Econ 18:341-364).
 *
 * @example
 * evpi(runPsa(cm, { iterations: 10000, seed: 1 }), 20000) // in the model's currency, per person
 */
export function evpi(outcomes: PsaOutcomes, willingnessToPay: number): number {
	return evpiFromNetBenefits(netBenefits(outcomes, willingnessToPay), outcomes.iterations, outcomes.strategyIds.length);
}

/**
 * EVPI per person at each willingness to pay (one buffer of net benefits reused).
 *
 * @example
 * evpiCurve(psa, wtpRange(0, 100000, 5000)) // 21 values, one per willingness to pay
 */
export function evpiCurve(outcomes: PsaOutcomes, wtp: ArrayLike<number>): Float64Array {
	const benefits = new Float64Array(outcomes.iterations * outcomes.strategyIds.length);
	return Float64Array.from({ length: wtp.length }, (_, w) => evpiFromNetBenefits(netBenefits(outcomes, wtp[w], benefits), outcomes.iterations, outcomes.strategyIds.length));
}

export interface PopulationSpec {
	/** people facing the decision each year (e.g. annual incident cases eligible for treatment) */
	annualPopulation: number;
	/** years over which the decision applies (the technology's expected lifetime) */
	years: number;
	/** annual discount rate applied to future cohorts (e.g. 0.035) */
	discountRate: number;
}

/**
 * Population EVPI: per-person EVPI x sum_{t=1..years} annualPopulation / (1 + r)^(t - 1),
 * the first year's cohort undiscounted, a part year pro rata (Briggs, Claxton & Sculpher 2006,
 * section 7.2).
 *
 * @example
 * populationEvpi(100, { annualPopulation: 1000, years: 10, discountRate: 0.035 }) // { effectivePopulation: 8607.7, value: 860769 }
 */
export function populationEvpi(perPerson: number, spec: PopulationSpec): { effectivePopulation: number; value: number } {
	const { annualPopulation, years, discountRate } = spec;
	if (!(annualPopulation >= 0) || !Number.isFinite(annualPopulation)) throw new RangeError(`annual population must be a number of at least 0, got ${annualPopulation}`);
	if (!(years >= 0) || !Number.isFinite(years)) throw new RangeError(`years must be a number of at least 0, got ${years}`);
	if (!(discountRate >= 0 && discountRate < 1)) throw new RangeError(`discount rate must be in [0, 1), got ${discountRate}`);
	let effectivePopulation = 0;
	const whole = Math.floor(years);
	for (let t = 1; t <= whole; t++) effectivePopulation += annualPopulation / Math.pow(1 + discountRate, t - 1);
	// a part year counts pro rata
	if (years > whole) effectivePopulation += ((years - whole) * annualPopulation) / Math.pow(1 + discountRate, whole);
	return { effectivePopulation, value: perPerson * effectivePopulation };
}
