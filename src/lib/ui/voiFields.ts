/**
 * What a user types into the value-of-information panels (sample sizes, the population facing
 * the decision, study costs), parsed into the engine's options. Never throws: each bad entry
 * gives a message naming its field, shown beside it, and the text stays as typed.
 */
import { MAX_EVSI_SAMPLE_SIZE, MAX_EVSI_SAMPLE_SIZES, modelComparison, type Model, type PopulationSpec, type StudyCost } from '$lib/engine';
import { parseNumber, parseSetting } from './parseField';

export type FieldResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * "50, 100, 200" into whole numbers of patients per arm (commas, semicolons or spaces between
 * sizes, so a thousands comma is not read: "1,000" is refused, saying why).
 * @example parseSampleSizes('50, 100 200') // { ok: true, value: [50, 100, 200] }
 */
export function parseSampleSizes(text: string): FieldResult<number[]> {
	const parts = text.split(/[\s,;]+/).filter(Boolean);
	if (parts.length === 0) return { ok: false, message: 'Sample sizes per arm: give at least one, e.g. 50, 100, 200, 500' };
	if (parts.length > MAX_EVSI_SAMPLE_SIZES) return { ok: false, message: `Sample sizes per arm: at most ${MAX_EVSI_SAMPLE_SIZES}` };
	const value: number[] = [];
	for (const part of parts) {
		const n = parseNumber(part);
		if (n === null || !Number.isInteger(n) || n < 1 || n > MAX_EVSI_SAMPLE_SIZE)
			return {
				ok: false,
				message: `Sample sizes per arm: "${part}" is not a whole number of patients from 1 to ${MAX_EVSI_SAMPLE_SIZE.toLocaleString('en-GB')} (sizes are separated by commas: write 1000, not 1,000)`
			};
		value.push(n);
	}
	return { ok: true, value };
}

/**
 * The parameter a trial is first proposed on: the efficacy lever the model file declares for
 * its payback strategy (the one-off therapy against the lifelong one), when the PSA draws it;
 * else the first parameter drawn.
 * @example defaultTrialParameter(msModel, psa.parameterIds) // 'hr_ahsct_vs_hedmt' (ms.json's aHSCT efficacy lever)
 */
export function defaultTrialParameter(model: Model, drawn: string[]): string {
	const c = modelComparison(model);
	const lever = c.payback ? c.levers[c.payback.strategy]?.efficacy : undefined;
	return lever && drawn.includes(lever) ? lever : (drawn[0] ?? '');
}

export interface PopulationText {
	/** people facing the decision each year */
	perYear: string;
	years: string;
	/** discount rate, % per year */
	discountPercent: string;
}

export interface PopulationFields {
	/** null when people a year and years are both blank (no population) */
	spec: PopulationSpec | null;
	errors: { perYear?: string; years?: string; discountPercent?: string };
}

/**
 * The population over the decision's time horizon, or null when it is left blank.
 * @example parsePopulation({ perYear: '1,000', years: '10', discountPercent: '3.5' })
 *   // { spec: { annualPopulation: 1000, years: 10, discountRate: 0.035 }, errors: {} }
 */
export function parsePopulation(t: PopulationText): PopulationFields {
	if (t.perYear.trim() === '' && t.years.trim() === '') return { spec: null, errors: {} };
	const people = parseSetting('People a year', t.perYear, { min: 0, what: 'a number of people of at least 0' });
	const years = parseSetting('Years', t.years, { min: 0, max: 200, what: 'a number of years from 0 to 200' });
	const rate = parseSetting('Discount rate', t.discountPercent, { min: 0, max: 99.99, what: 'a rate in % per year from 0 to 99.99' });
	const errors: PopulationFields['errors'] = {};
	if (!people.ok) errors.perYear = people.message;
	if (!years.ok) errors.years = years.message;
	if (!rate.ok) errors.discountPercent = rate.message;
	if (!people.ok || !years.ok || !rate.ok) return { spec: null, errors };
	return { spec: { annualPopulation: people.value, years: years.value, discountRate: rate.value / 100 }, errors };
}

/**
 * Study costs, or null when both are blank (no ENBS); a blank one of the two counts as 0.
 * @example parseStudyCost('2,000,000', '30000') // { ok: true, value: { fixed: 2000000, perPatient: 30000 } }
 */
export function parseStudyCost(fixed: string, perPatient: string): FieldResult<StudyCost | null> & { field?: 'fixed' | 'perPatient' } {
	if (fixed.trim() === '' && perPatient.trim() === '') return { ok: true, value: null };
	const f = fixed.trim() === '' ? { ok: true as const, value: 0 } : parseSetting('Fixed study cost', fixed, { min: 0, what: 'an amount of at least 0' });
	if (!f.ok) return { ...f, field: 'fixed' };
	const p = perPatient.trim() === '' ? { ok: true as const, value: 0 } : parseSetting('Cost per patient', perPatient, { min: 0, what: 'an amount of at least 0' });
	if (!p.ok) return { ...p, field: 'perPatient' };
	return { ok: true, value: { fixed: f.value, perPatient: p.value } };
}
