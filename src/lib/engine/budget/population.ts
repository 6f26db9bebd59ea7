/**
 * The eligible population of a budget impact analysis (Sullivan et al. 2014, section "Eligible
 * population"): the prevalent patients who could start (or switch) treatment in year 1, plus the
 * incident patients who become eligible each year.
 *
 *   prevalent eligible = prevalent cases x share with the disease type x share treated x share eligible
 *   incident eligible in year y = incident cases x (1 + change)^(y-1) x share with the type x share treated x share eligible
 *
 * Example: 150 000 cases x 0.6375 x 0.56 x 1 = 53 550 prevalent eligible patients.
 */
import type { Population } from './settings';

export interface EligiblePopulation {
	/** eligible prevalent patients, all entering in year 1 */
	prevalent: number;
	/** eligible incident patients entering in each year (index 0 = year 1) */
	incident: Float64Array;
}

/**
 * The eligible prevalent patients (all entering in year 1) and the eligible incident patients
 * of each budget year, by the two formulas of this file's header (Sullivan et al. 2014,
 * "Eligible population"; Mauskopf et al. 2007, Value Health 10(5):336-347).
 * @example
 * // 150 000 prevalent and 6 000 new cases a year, 63.75% and 85% of the type, 56% treated, all eligible, +2% a year
 * eligiblePopulation(population, 2);
 * // { prevalent: 53550, incident: [2856, 2913.12] }: 6000 x 0.85 x 0.56 = 2856, then x 1.02
 */
export function eligiblePopulation(population: Population, years: number): EligiblePopulation {
	const treatedEligible = population.shareTreated.value * population.shareEligible.value;
	const prevalent = population.prevalentCases.value * population.sharePrevalentEligibleType.value * treatedEligible;
	const perYear = population.incidentCasesPerYear.value * population.shareIncidentEligibleType.value * treatedEligible;
	const change = population.incidenceChangePerYear?.value ?? 0;
	const incident = new Float64Array(years);
	for (let y = 0; y < years; y++) incident[y] = perYear * Math.pow(1 + change, y);
	return { prevalent, incident };
}
