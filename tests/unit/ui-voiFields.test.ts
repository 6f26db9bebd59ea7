/** What a user types into the value-of-information panels: parsed, or a message naming the field. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson } from '../../src/lib/engine';
import { defaultTrialParameter, parsePopulation, parseSampleSizes, parseStudyCost } from '../../src/lib/ui/voiFields';

describe('value-of-information fields', () => {
	it('sample sizes: commas or spaces; whole numbers of at least 1', () => {
		expect(parseSampleSizes('50, 100 200;500')).toEqual({ ok: true, value: [50, 100, 200, 500] });
		// commas separate sizes, so a thousands comma is refused with the reason
		expect(parseSampleSizes('1,000')).toEqual({ ok: false, message: expect.stringContaining('"000" is not a whole number of patients from 1 to 10,000,000 (sizes are separated by commas: write 1000, not 1,000)') });
		expect(parseSampleSizes('50, 2.5')).toEqual({ ok: false, message: expect.stringMatching(/^Sample sizes per arm: "2.5" is not a whole number/) });
		expect(parseSampleSizes('-5')).toEqual({ ok: false, message: expect.stringContaining('"-5"') });
		expect(parseSampleSizes('  ')).toEqual({ ok: false, message: expect.stringContaining('give at least one') });
		expect(parseSampleSizes(Array.from({ length: 51 }, (_, i) => i + 1).join(','))).toEqual({ ok: false, message: expect.stringContaining('at most 50') });
	});

	it('population: blank is none; otherwise each field checked, the rate in % per year', () => {
		expect(parsePopulation({ perYear: '', years: ' ', discountPercent: '3.5' })).toEqual({ spec: null, errors: {} });
		expect(parsePopulation({ perYear: '1,000', years: '10', discountPercent: '3.5' })).toEqual({ spec: { annualPopulation: 1000, years: 10, discountRate: 0.035 }, errors: {} });
		const bad = parsePopulation({ perYear: 'many', years: '10', discountPercent: '150' });
		expect(bad.spec).toBeNull();
		expect(bad.errors.perYear).toBe('People a year: "many" is not a number');
		expect(bad.errors.discountPercent).toMatch(/^Discount rate: 150 is not a rate in % per year/);
		expect(bad.errors.years).toBeUndefined();
		expect(parsePopulation({ perYear: '10', years: '', discountPercent: '3' }).errors.years).toBe('Years: "" is not a number');
	});

	it('the trial parameter first proposed: the efficacy lever of the payback strategy, if drawn', () => {
		const ms = compileJson(readFileSync('models/ms.json', 'utf8')).model;
		// ms.json declares the payback pair ahsct vs lifelong-dmt, and ahsct's efficacy lever
		expect(defaultTrialParameter(ms, ['female_share', 'hr_ahsct_vs_hedmt'])).toBe('hr_ahsct_vs_hedmt');
		expect(defaultTrialParameter(ms, ['female_share', 'c_ocr'])).toBe('female_share');
		expect(defaultTrialParameter(ms, [])).toBe('');
	});

	it('study costs: both blank is none, one blank counts as 0, a bad one names its field', () => {
		expect(parseStudyCost('', '')).toEqual({ ok: true, value: null });
		expect(parseStudyCost('2,000,000', '')).toEqual({ ok: true, value: { fixed: 2_000_000, perPatient: 0 } });
		expect(parseStudyCost('x', '5')).toMatchObject({ ok: false, field: 'fixed', message: 'Fixed study cost: "x" is not a number' });
		expect(parseStudyCost('5', '-1')).toMatchObject({ ok: false, field: 'perPatient', message: 'Cost per patient: -1 is not an amount of at least 0' });
	});
});
