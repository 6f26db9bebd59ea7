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

export function eligiblePopulation(p: Population, years: number): EligiblePopulation {
	const treatedEligible = p.shareTreated.value * p.shareEligible.value;
	const prevalent = p.prevalentCases.value * p.sharePrevalentEligibleType.value * treatedEligible;
	const perYear = p.incidentCasesPerYear.value * p.shareIncidentEligibleType.value * treatedEligible;
	const change = p.incidenceChangePerYear?.value ?? 0;
	const incident = new Float64Array(years);
	for (let y = 0; y < years; y++) incident[y] = perYear * Math.pow(1 + change, y);
	return { prevalent, incident };
}
