/**
 * Face validity of the default MS model (models/ms.json) against published figures. Each check
 * states the published figure, where it is in the source, the matched inputs and a tolerance
 * fixed from the stated differences in setting, prices and structure. No check asserts a
 * conclusion (which strategy dominates or is cost-effective): a conclusion may change when the
 * evidence changes, the published numbers do not. Nothing here is the model's own output pasted
 * back; general-population life expectancy is recomputed here from the model's ONS life table.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, run, type RunResult, type StrategyResult } from '../../src/lib/engine';
import type { Model } from '../../src/lib/engine/model/schema';

const text = readFileSync('models/ms.json', 'utf8');
const model = JSON.parse(text) as Model;
const compiled = compileJson(text);

const byId = (r: RunResult): Record<string, StrategyResult> => Object.fromEntries(r.strategies.map((s) => [s.id, s]));
/** Treatment-related cost categories (what Mariottini 2024 and Orlewska 2021 costed). */
const TREATMENT = ['drug', 'administration', 'monitoring', 'adverse_events', 'procedure'];
const treatmentCost = (s: StrategyResult, key: 'discounted' | 'undiscounted') =>
	TREATMENT.reduce((sum, c) => sum + s[key].costByCategory[c], 0);

/** First (fractional) year at which cumulative undiscounted cost of `a` falls below `b`. */
function paybackYear(r: RunResult, a: string, b: string): number | null {
	const C = r.categoryIds.length;
	const A = byId(r)[a].cycleCostsUndiscounted;
	const B = byId(r)[b].cycleCostsUndiscounted;
	let ca = 0;
	let cb = 0;
	let previous = NaN;
	for (let k = 0; k <= r.settings.horizon; k++) {
		for (let c = 0; c < C; c++) {
			ca += A[k * C + c];
			cb += B[k * C + c];
		}
		if (ca < cb) return k === 0 ? 0 : k - 1 + previous / (previous - (ca - cb));
		previous = ca - cb;
	}
	return null;
}

/** the model file's EUR to GBP rate (currencyConversion), used only to place euro results */
const EUR_TO_GBP = (model as unknown as { currencyConversion: { rates: { from: string; to: string; rate: number }[] } }).currencyConversion.rates.find((r) => r.from === 'EUR' && r.to === 'GBP')!.rate;

describe('MS model face validity: comparator drug costs against the NICE appraisals', () => {
	// Matched inputs: costs counted on the cohort at the start of each cycle, no discounting, nobody
	// leaving first line by choice. Cycle 1 then holds exactly one year of first-line drug. The
	// published price is in its own price year: it is inflated to the model's price year by the
	// factor the model applies to that price input (its declared index; the index arithmetic is
	// checked by hand in tests/unit/price-year.test.ts).
	const r = run(compiled, {
		settings: { horizon: 2, cycleCorrection: 'start', discountRates: { costs: 0, outcomes: 0 } },
		parameters: { p_discontinue: 0, p_exit_short_course: 0 }
	});
	const C = r.categoryIds.length;
	const factorOf = (costParameter: string) => compiled.costs[costParameter].inflation * compiled.costs[costParameter].rate;
	const drugPriced = (costParameter: string) => (id: string, k: number) => byId(r)[id].cycleCostsUndiscounted[k * C + r.categoryIds.indexOf('drug')] / factorOf(costParameter);

	it('ocrelizumab: 4 x 300 mg vials a year at GBP 4,790 (NICE TA533 section 2) = GBP 19,160, within 0.1%', () => {
		expect(Math.abs(drugPriced('c_ocr')('lifelong-dmt', 1) / (4 * 4790) - 1)).toBeLessThan(0.001);
	});

	it('natalizumab: 13 infusions a year at GBP 1,130 per vial (NICE TA1126 section 2.4) = GBP 14,690, within 0.1%', () => {
		expect(Math.abs(drugPriced('c_ntz')('lifelong-natalizumab', 1) / (13 * 1130) - 1)).toBeLessThan(0.001);
	});

	it('ofatumumab: 3 loading pens plus 12 pens in year 1 at GBP 1,492.50 (NICE TA699), within 0.1%', () => {
		const drug = drugPriced('c_next');
		expect(Math.abs((drug('lifelong-ofatumumab', 0) + drug('lifelong-ofatumumab', 1)) / (15 * 1492.5) - 1)).toBeLessThan(0.001);
	});

	it('alemtuzumab: the course of 5 + 3 vials at GBP 7,045 is GBP 56,360 (NICE TA312 section 2)', () => {
		// Year 1 exactly 5 vials; over two years at most the full course and at least 95% of it
		// (year-2 course only for people still alive with RRMS below EDSS 6.5).
		const drug = drugPriced('c_alem_vial');
		expect(Math.abs(drug('alemtuzumab', 1) / (5 * 7045) - 1)).toBeLessThan(0.001);
		const course = drug('alemtuzumab', 1) + drug('alemtuzumab', 2);
		expect(course).toBeLessThanOrEqual(56360 * (1 + 1e-9));
		expect(course).toBeGreaterThan(0.95 * 56360);
	});
});

describe('MS model face validity: 5-year horizon', () => {
	// Mariottini et al. give no price year in the abstract read: the model is run at 2020 prices,
	// between its drug price years (2014 to 2021) and the publication (2024), a stated assumption.
	const fiveUndiscounted = byId(run(compiled, { scenario: 'horizon-5y', settings: { discountRates: { costs: 0, outcomes: 0 }, priceYear: 2020 } }));

	it('5-year high-efficacy DMT treatment cost near Mariottini 2024 (Florence): EUR 93,800, accept 0.65x to 1.35x', () => {
		// EUR 93,800 x 0.85 = GBP 79,730. UK list prices (no confidential discounts) are above
		// Italian net prices, and 10%/year switch to an anti-CD20 next line: accept 0.65x to 1.35x.
		const dmt = treatmentCost(fiveUndiscounted['lifelong-dmt'], 'undiscounted');
		expect(dmt).toBeGreaterThan(0.65 * 93800 * EUR_TO_GBP);
		expect(dmt).toBeLessThan(1.35 * 93800 * EUR_TO_GBP);
	});

	it('5-year aHSCT treatment cost between Mariottini 2024 aHSCT (EUR 46,600) and that plus a full 5-year HE-DMT course (EUR 93,800)', () => {
		// Lower bound: the Italian aHSCT figure (the UK procedure cost is the Norwegian micro-costing,
		// EUR 66,304, above it). Upper bound: every patient also needing a full 5-year high-efficacy
		// DMT course after transplant.
		const ahsct = treatmentCost(fiveUndiscounted.ahsct, 'undiscounted');
		expect(ahsct).toBeGreaterThan(46600 * EUR_TO_GBP);
		expect(ahsct).toBeLessThan((46600 + 93800) * EUR_TO_GBP);
	});

	it('few aHSCT patients reach SPMS or EDSS >= 6.5 by 5 years (Boffa 2021: RRMS worsening-free 85.5% at 5 years)', () => {
		// The share in SPMS or severe states is a subset of "worsened", so it must lie below 14.5%.
		const r = run(compiled, { scenario: 'horizon-5y' });
		const S = r.stateIds.length;
		const t = byId(r).ahsct.trace;
		const at5 = ['sp_mild', 'sp_moderate', 'severe'].reduce((sum, s) => sum + t[5 * S + r.stateIds.indexOf(s)], 0);
		expect(at5).toBeLessThan(1 - 0.855);
	});

	it('5-year aHSCT rescue share near 27% (NEDA 73% at 5 years, Silfverberg 2024), within 5 points', () => {
		// Share of aHSCT survivors who started rescue DMT by year 5 (next-line starts), against 27%
		// with evidence of disease activity at 5 years. p_lor_ahsct_early is derived from this figure,
		// so the check tests the rescue wiring net of deaths and SPMS conversion, not independent
		// validity.
		const r = byId(run(compiled, { scenario: 'horizon-5y', settings: { cycleCorrection: 'end' } })).ahsct;
		const rescued = r.undiscounted.outcomes.nextLineStarts / (1 - model.parameters.p_trm_ahsct.value!);
		expect(Math.abs(rescued - 0.27)).toBeLessThan(0.05);
	});
});

describe('MS model face validity: payback, survival and treatment deaths', () => {
	const life = run(compiled);
	const s = byId(life);

	it('aHSCT payback against lifelong ocrelizumab within 2 to 6 years (Orlewska 2021: 3.9 years, Poland)', () => {
		// Poland: payer cost per patient-year fell from EUR 4,315 to 1,189 after aHSCT; payback 3.9
		// years. UK list-price DMTs cost more per year (shorter payback) while the UK procedure and
		// rescue DMT cost more (longer): accept 2-6 years.
		const year = paybackYear(life, 'ahsct', 'lifelong-dmt');
		expect(year).not.toBeNull();
		expect(year!).toBeGreaterThan(2);
		expect(year!).toBeLessThan(6);
		// The comparison is only meaningful if aHSCT costs more at first (the procedure) and
		// ocrelizumab more per year afterwards.
		const C = life.categoryIds.length;
		const yearCost = (id: string, k: number) => s[id].cycleCostsUndiscounted.slice(k * C, (k + 1) * C).reduce((a, b) => a + b, 0);
		expect(yearCost('ahsct', 0)).toBeGreaterThan(yearCost('lifelong-dmt', 0) + 40000);
		expect(yearCost('ahsct', 3)).toBeLessThan(yearCost('lifelong-dmt', 3));
	});

	it('untreated MS shortens life by 3 to 10 years against the general population (British Columbia: about 6 years)', () => {
		// General-population life expectancy at 36 with the same sex mix, computed here from the
		// ONS table with the same half-year convention.
		const share = model.parameters.female_share.value!;
		const { male, female } = model.lifeTables!.uk.qx;
		let alive = 1;
		let le = 0;
		for (let age = model.startAge; age < 100; age++) {
			const q = (1 - share) * male[age] + share * female[age];
			le += alive * (1 - q / 2);
			alive *= 1 - q;
		}
		const lost = le - s['no-dmt'].undiscounted.lifeYears;
		expect(lost).toBeGreaterThan(3);
		expect(lost).toBeLessThan(10);
	});

	it('deaths from aHSCT equal the treatment-related mortality input (Ge 2019: 1.34%)', () => {
		expect(s.ahsct.undiscounted.outcomes.treatmentDeaths).toBeCloseTo(0.0134, 10);
		expect(s['no-dmt'].undiscounted.outcomes.treatmentDeaths).toBe(0);
	});

	it('mitoxantrone scenario: heart failure cases equal the Palermo cohort rate (2.7% symptomatic CHF)', () => {
		const m = byId(run(compiled, { scenario: 'dmt-mitoxantrone' }))['lifelong-dmt'];
		expect(m.undiscounted.outcomes.cardiotoxicity).toBeCloseTo(0.027, 10);
	});
});
