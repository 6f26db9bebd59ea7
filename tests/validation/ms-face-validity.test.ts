/**
 * Face validity of the default MS model (models/ms.json) against published results. Each range
 * below is derived from a cited source and widened for stated differences in setting, prices and
 * structure; the reasoning is repeated in docs/ms-model.md ("How the results compare"). Nothing
 * here is the model's own output pasted back: the bounds come from the papers, the general-
 * population life expectancy is recomputed here from the model's ONS life table.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, run, type RunResult, type StrategyResult } from '../../src/lib/engine';
import type { Model } from '../../src/lib/engine/schema';

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

// A published euro figure placed in the model's GBP 2024 prices the way the model converts its
// own euro costs: the file's assumed 0.85 GBP per EUR, then the NHS cost inflation index from
// 2022 (taken as Mariottini 2024's price year, an assumption: the abstract gives none) to 2024
// (annual changes 2023/24 2.47%, 2024/25 4.02%).
const EUR_TO_GBP = 0.85 * (1 + 2.47 / 100) * (1 + 4.02 / 100);

describe('MS model face validity: 5-year horizon', () => {
	const five = byId(run(compiled, { scenario: 'horizon-5y' }));
	const fiveUndiscounted = byId(run(compiled, { scenario: 'horizon-5y', settings: { discountRates: { costs: 0, outcomes: 0 } } }));

	it('aHSCT dominates lifelong DMT at 5 years (UK MIST-based analysis, Handb Clin Neurol 2024, PMID 39111914)', () => {
		// The chapter reports aHSCT dominant (less costly, more effective) over the MIST DMTs and
		// over natalizumab at 5 years, NHS/PSS perspective.
		expect(five.ahsct.discounted.cost).toBeLessThan(five['lifelong-dmt'].discounted.cost);
		expect(five.ahsct.discounted.qaly).toBeGreaterThan(five['lifelong-dmt'].discounted.qaly);
		const ntz = byId(run(compiled, { scenario: 'horizon-5y', parameters: { dmt_choice: 2 } }));
		expect(ntz.ahsct.discounted.cost).toBeLessThan(ntz['lifelong-dmt'].discounted.cost);
		expect(ntz.ahsct.discounted.qaly).toBeGreaterThan(ntz['lifelong-dmt'].discounted.qaly);
	});

	it('5-year treatment costs sit near Mariottini 2024 (Florence): HE-DMT EUR 93,800, aHSCT EUR 46,600', () => {
		// High-efficacy DMT over 5 years: EUR 93,800 x 0.906 = GBP 84,984. UK list prices (no
		// confidential discounts) are above Italian net prices, and 10%/year switch to an
		// anti-CD20 next line: accept 0.65x to 1.35x.
		const dmt = treatmentCost(fiveUndiscounted['lifelong-dmt'], 'undiscounted');
		expect(dmt).toBeGreaterThan(0.65 * 93800 * EUR_TO_GBP);
		expect(dmt).toBeLessThan(1.35 * 93800 * EUR_TO_GBP);
		// aHSCT over 5 years: the UK procedure cost is taken from the Norwegian micro-costing
		// (EUR 66,304), above the Italian figure, and rescue DMT after loss of response is
		// counted. Require at least Mariottini's figure and below the DMT cost (HCN 2024 dominance);
		// the aHSCT/DMT ratio must lie between Mariottini's 0.50 and 1.
		const ahsct = treatmentCost(fiveUndiscounted.ahsct, 'undiscounted');
		expect(ahsct).toBeGreaterThan(46600 * EUR_TO_GBP);
		expect(ahsct / dmt).toBeGreaterThan(46600 / 93800);
		expect(ahsct / dmt).toBeLessThan(1);
	});

	it('few aHSCT patients reach SPMS or EDSS >= 6.5 by 5 years (Boffa 2021, Sormani 2017)', () => {
		// RRMS worsening-free survival 85.5% at 5 years (Boffa 2021); pooled 5-year progression
		// 23.3% in mixed MS (Sormani 2017). The share in SPMS or severe states is a subset of
		// "worsened", so it must lie below 14.5%, and below the lifelong-DMT share.
		const r = run(compiled, { scenario: 'horizon-5y' });
		const S = r.stateIds.length;
		const at5 = (id: string) => {
			const t = byId(r)[id].trace;
			return ['sp_mild', 'sp_moderate', 'severe'].reduce((sum, s) => sum + t[5 * S + r.stateIds.indexOf(s)], 0);
		};
		expect(at5('ahsct')).toBeLessThan(1 - 0.855);
		expect(at5('ahsct')).toBeLessThan(at5('lifelong-dmt'));
	});
});

describe('MS model face validity: payback and lifetime', () => {
	const life = run(compiled);
	const s = byId(life);

	it('aHSCT pays back against lifelong DMT within 2 to 6 years (Orlewska 2021: 3.9 years in Poland)', () => {
		// Poland: payer cost per patient-year fell from EUR 4,315 to 1,189 after aHSCT; payback
		// 3.9 years. UK list-price DMTs cost more per year (shorter payback) while the UK
		// procedure costs more (longer): accept 2-6 years.
		const year = paybackYear(life, 'ahsct', 'lifelong-dmt');
		expect(year).not.toBeNull();
		expect(year!).toBeGreaterThan(2);
		expect(year!).toBeLessThan(6);
	});

	it('over a lifetime aHSCT stays dominant over lifelong DMT (Tappenden 2010: optimistic < GBP 3,000/QALY; HCN 2024)', () => {
		// DMT costs recur every year while the aHSCT cost is one-off, so the 5-year dominance
		// should persist over a lifetime when effects are durable (Boffa 2021: 71.3% worsening-free
		// at 10 years).
		expect(s.ahsct.discounted.cost).toBeLessThan(s['lifelong-dmt'].discounted.cost);
		expect(s.ahsct.discounted.qaly).toBeGreaterThan(s['lifelong-dmt'].discounted.qaly);
	});

	it('lifelong DMT at list price is not cost-effective against no DMT at GBP 30,000/QALY (NICE TA527, TA533)', () => {
		// NICE found the beta interferons not cost-effective at list price (TA527 section 3.1) and
		// recommended ocrelizumab only with a confidential discount (TA533): at list price the
		// ICER against no DMT should exceed GBP 30,000/QALY. An upper bound of GBP 500,000/QALY
		// rules out a model in which DMT hardly works.
		const icer =
			(s['lifelong-dmt'].discounted.cost - s['no-dmt'].discounted.cost) /
			(s['lifelong-dmt'].discounted.qaly - s['no-dmt'].discounted.qaly);
		expect(icer).toBeGreaterThan(30000);
		expect(icer).toBeLessThan(500000);
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

	it('the hESC evidence view brings no benefit over MSC, the claim view dominates only on its own inputs', () => {
		expect(s.hesc.discounted.qaly).toBeCloseTo(s.msc.discounted.qaly, 9);
		const claim = byId(run(compiled, { scenario: 'hesc-claim' }));
		expect(claim.hesc.discounted.cost).toBeLessThan(claim['lifelong-dmt'].discounted.cost);
		expect(claim.hesc.discounted.qaly).toBeGreaterThan(claim['lifelong-dmt'].discounted.qaly);
	});
});
