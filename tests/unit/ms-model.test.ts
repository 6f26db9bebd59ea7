/**
 * The default MS model (models/ms.json): its ten strategies, the evidence behind every input,
 * the CLI's --scenario and --set changing results in the expected direction, and the no-DMT
 * strategy reproduced by a separate naive Markov implementation written here from the model's
 * inputs (not from the engine's output).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { compileJson, run, type RunResult, type StrategyResult } from '../../src/lib/engine';
import type { Model } from '../../src/lib/engine/model/schema';

const file = 'models/ms.json';
const text = readFileSync(file, 'utf8');
const model = JSON.parse(text) as Model;
const compiled = compileJson(text);
const STRATEGIES = ['no-dmt', 'lifelong-dmt', 'lifelong-ofatumumab', 'lifelong-natalizumab', 'lifelong-interferon', 'alemtuzumab', 'cladribine', 'ahsct', 'msc', 'hesc'];

function cli(...args: string[]) {
	const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'run', file, '--json', ...args], { encoding: 'utf8' });
	return JSON.parse(out) as { currency: string; strategies: { id: string; cost: number; qaly: number; lifeYears: number; outcomes: Record<string, number>; costByCategory: Record<string, number> }[] };
}

// The CLI is slow to start (tsx); call it once per configuration and share the base run.
const CLI_TIMEOUT = 180_000;
let cliBaseCache: ReturnType<typeof cli> | null = null;
const cliBase = () => (cliBaseCache ??= cli());

function byId(result: RunResult): Record<string, StrategyResult> {
	return Object.fromEntries(result.strategies.map((s) => [s.id, s]));
}

describe('MS model: structure and CLI', () => {
	it('the CLI returns the ten strategies with finite costs and QALYs', { timeout: CLI_TIMEOUT }, () => {
		const json = cliBase();
		expect(json.strategies.map((s) => s.id)).toEqual(STRATEGIES);
		expect(json.currency).toBe('GBP');
		for (const s of json.strategies) {
			expect(Number.isFinite(s.cost) && s.cost > 0).toBe(true);
			expect(s.qaly).toBeGreaterThan(5);
			expect(s.lifeYears).toBeGreaterThan(s.qaly);
		}
	});

	it('keeps the expanded state space small (fast PSA)', () => {
		expect(compiled.expanded.count).toBeLessThanOrEqual(25);
		// a lifetime horizon, to age 100: from 36, 64 annual cycles
		expect(model.horizonAge).toBe(100);
		expect(compiled.settings.horizon).toBe(64);
	});

	it('uses the MIST cohort: age 36, 66% women, UK NHS/PSS reference case', () => {
		expect(model.startAge).toBe(36);
		expect(model.parameters.female_share.value).toBe(0.66);
		expect(model.discountRates).toEqual({ costs: 0.035, outcomes: 0.035 });
		expect(model.currency).toBe('GBP');
	});
});

describe('MS model: every input has evidence, a range and a distribution', () => {
	const entries = Object.entries(model.parameters);
	// Switches that select a structure, not uncertain quantities: fixed in PSA by design.
	const structural = new Set(Object.entries(model.parameters).filter(([, p]) => p.group === 'Structure (set per strategy)' || p.group === 'Settings').map(([id]) => id));

	it.each(['models/ms.json', 'models/sle.json'])('%s: every parameter has a source (citation and location) or an assumption with its reason', (path) => {
		const params = (JSON.parse(readFileSync(path, 'utf8')) as Model).parameters;
		for (const [id, p] of Object.entries(params)) {
			const ok = (p.source && p.source.citation.length > 10 && (p.source.location ?? '').length > 3) || (p.assumption && p.assumption.length > 3);
			expect(ok, `parameter ${id}`).toBeTruthy();
			expect(p.description.length, `description of ${id}`).toBeGreaterThan(5);
			expect(p.unit.length, `unit of ${id}`).toBeGreaterThan(0);
			expect(p.group.length, `group of ${id}`).toBeGreaterThan(0);
		}
	});

	it('every plain parameter has low <= value <= high and a distribution suited to its kind', () => {
		for (const [id, p] of entries) {
			expect(p.distribution, `distribution of ${id}`).toBeDefined();
			if (p.value === undefined) continue; // expression: uncertainty comes from its inputs
			expect(p.low, `low of ${id}`).toBeDefined();
			expect(p.high, `high of ${id}`).toBeDefined();
			expect(p.low! <= p.value && p.value <= p.high!, `range of ${id}`).toBe(true);
			const type = p.distribution!.type;
			if (type === 'fixed') {
				// only structural switches and explicit scenario levers are fixed
				expect(structural.has(id) || /scenario|claim|evidence view|Base: no waning/i.test(p.assumption ?? ''), `fixed ${id}`).toBe(true);
				continue;
			}
			expect(p.high! > p.low!, `non-degenerate range of ${id}`).toBe(true);
			if (p.kind === 'probability' || p.kind === 'proportion') expect(type, id).toBe('beta');
			if (p.kind === 'cost') expect(type, id).toBe('gamma');
			if (p.kind === 'ratio' && /hazard|rate ratio|relative risk|x general/.test(p.unit)) expect(type, id).toBe('lognormal');
		}
	});

	it('life tables carry their source and match verified ONS and SSA values', () => {
		const uk = model.lifeTables!.uk;
		const us = model.lifeTables!.us;
		expect(uk.source.citation).toMatch(/ONS|Office for National Statistics/);
		expect(us.source.citation).toMatch(/Social Security/);
		// ONS 2017-2019 values read in the workbook (evidence folder, verified_2.md)
		expect(uk.qx.male[20]).toBe(0.000508);
		expect(uk.qx.female[20]).toBe(0.00019);
		expect(uk.qx.male[60]).toBe(0.007595);
		expect(uk.qx.female[80]).toBe(0.038463);
		expect(uk.qx.male[100]).toBe(0.384386);
		// SSA TR2020 Alt2, 2018 males (verified_2.md)
		expect(us.qx.male[20]).toBe(0.001063);
		expect(us.qx.male[40]).toBe(0.002314);
		expect(us.qx.male[60]).toBe(0.011484);
		expect(us.qx.male[80]).toBe(0.05719);
	});

	it('the hESC strategy is labelled a hypothetical product without controlled evidence, with its own drawn inputs', () => {
		const hesc = model.strategies.find((s) => s.id === 'hesc')!;
		expect(hesc.label).toMatch(/hypothetical/i);
		expect(hesc.label).toMatch(/no controlled evidence/i);
		expect(model.parameters.hr_prog_hesc.assumption).toMatch(/No controlled study/);
		expect(model.parameters.c_hesc.assumption).toMatch(/No cost study/);
		expect(model.scenarios!.map((s) => s.id)).toEqual(expect.arrayContaining(['hesc-claim', 'hesc-evidence']));
		// efficacy, durability and price are drawn in the PSA (not fixed), and differ from MSC's
		for (const [h, m] of [['hr_prog_hesc', 'hr_prog_msc'], ['hesc_effect_years', 'msc_effect_years'], ['c_hesc', 'c_msc']]) {
			expect(model.parameters[h].distribution!.type, h).not.toBe('fixed');
			expect(model.parameters[m].distribution!.type, m).not.toBe('fixed');
		}
		expect(model.parameters.c_hesc.value).not.toBe(model.parameters.c_msc.value);
		// an allogeneic pluripotent-cell product's risks are labelled assumptions
		for (const id of ['p_tumour_hesc', 'p_si_hesc', 'c_hesc_immunosuppression']) expect(model.parameters[id].assumption, id).toBeTruthy();
	});

	it('the short-course comparators exist with their own schedules, and every DMT price has a confidential-discount input set to 0', () => {
		const ids = model.strategies.map((s) => s.id);
		expect(ids.some((id) => id.includes('alemtuzumab'))).toBe(true);
		expect(ids.some((id) => id.includes('cladribine'))).toBe(true);
		const alem = model.strategies.find((s) => s.id === 'alemtuzumab')!;
		expect(alem.parameters!.c_line1_drug).toMatch(/schedule\(model_time, 5, 3, 0\)/);
		for (const d of ['disc_ocr', 'disc_ofa', 'disc_ntz', 'disc_ifn', 'disc_alem', 'disc_clad']) expect(model.parameters[d].value, d).toBe(0);
	});

	it('every cost input added for issue 14 states GBP and its price year in its evidence text', () => {
		// until the price-year fields of the model format land, the year is written in the text
		const added = ['c_alem_vial', 'c_clad_tablet', 'c_monitor_alem', 'c_monitor_clad', 'c_mitox_course', 'c_cardiotox', 'c_malignancy', 'c_hesc_immunosuppression'];
		for (const id of added) {
			const p = model.parameters[id];
			expect(p.kind, id).toBe('cost');
			const text = `${p.unit} ${p.source?.location ?? ''} ${p.assumption ?? ''}`;
			expect(text, id).toMatch(/GBP/);
			expect(text, id).toMatch(/price year (19|20)\d\d/);
		}
	});

	it('the aHSCT effect pools Muraro 2025 and Kalincik 2023 against ocrelizumab (random effects, recomputed here)', () => {
		// Published HRs (95% CI) of aHSCT vs ocrelizumab for disability progression / EDSS worsening.
		const studies = [
			[1.08, 0.57, 2.04], // Muraro 2025 Ann Neurol 98(2):294-307, abstract
			[0.41, 0.09, 1.9] // Kalincik 2023 (MSBase), as presented
		];
		const y = studies.map(([h]) => Math.log(h));
		const v = studies.map(([, l, u]) => ((Math.log(u) - Math.log(l)) / 3.92) ** 2);
		const w = v.map((x) => 1 / x);
		const sw = w.reduce((a, b) => a + b, 0);
		const fixed = w.reduce((a, wi, i) => a + wi * y[i], 0) / sw;
		const q = w.reduce((a, wi, i) => a + wi * (y[i] - fixed) ** 2, 0);
		const tau2 = Math.max(0, (q - 1) / (sw - w.reduce((a, wi) => a + wi * wi, 0) / sw));
		const wr = v.map((x) => 1 / (x + tau2));
		const swr = wr.reduce((a, b) => a + b, 0);
		const pooled = wr.reduce((a, wi, i) => a + wi * y[i], 0) / swr;
		const se = 1 / Math.sqrt(swr);
		const p = model.parameters.hr_ahsct_vs_hedmt;
		expect(p.value).toBeCloseTo(Math.exp(pooled), 2);
		expect(p.low).toBeCloseTo(Math.exp(pooled - 1.96 * se), 2);
		expect(p.high).toBeCloseTo(Math.exp(pooled + 1.96 * se), 2);
		// the interval spans both published point estimates and parity
		for (const [h] of studies) expect(p.low! <= h && h <= p.high!).toBe(true);
	});
});

describe('MS model: --scenario and --set move results in the expected direction', () => {
	const base = byId(run(compiled));

	it('CLI --set: a higher ocrelizumab price raises the lifelong-DMT cost only', { timeout: CLI_TIMEOUT }, () => {
		const before = cliBase();
		const after = cli('--set', 'c_ocr=30000');
		for (const id of STRATEGIES) {
			const b = before.strategies.find((s) => s.id === id)!;
			const a = after.strategies.find((s) => s.id === id)!;
			if (id === 'lifelong-dmt') expect(a.cost).toBeGreaterThan(b.cost + 10000);
			else expect(a.cost).toBeCloseTo(b.cost, 6);
			expect(a.qaly).toBeCloseTo(b.qaly, 9);
		}
	});

	it('CLI --scenario trm-recent: lower aHSCT mortality raises aHSCT QALYs and life years only', { timeout: CLI_TIMEOUT }, () => {
		const before = cliBase();
		const after = cli('--scenario', 'trm-recent');
		for (const id of STRATEGIES) {
			const b = before.strategies.find((s) => s.id === id)!;
			const a = after.strategies.find((s) => s.id === id)!;
			if (id === 'ahsct') {
				expect(a.qaly).toBeGreaterThan(b.qaly);
				expect(a.lifeYears).toBeGreaterThan(b.lifeYears);
				expect(a.outcomes.treatmentDeaths).toBeCloseTo(0.0022, 9);
			} else expect(a.qaly).toBeCloseTo(b.qaly, 9);
		}
	});

	it('the us-payer scenario switches to USD, 3% discounting and US inputs', () => {
		const us = run(compiled, { scenario: 'us-payer' });
		expect(us.settings.currency).toBe('USD');
		expect(us.settings.discountRates).toEqual({ costs: 0.03, outcomes: 0.03 });
		const dmt = byId(us)['lifelong-dmt'];
		// US ocrelizumab (USD 65,000/yr) costs more in USD than the UK list price in GBP
		expect(dmt.discounted.costByCategory.drug).toBeGreaterThan(base['lifelong-dmt'].discounted.costByCategory.drug);
		// the US aHSCT cost (Burt 2020, USD 85,184) replaces the UK one
		expect(byId(us).ahsct.discounted.costByCategory.procedure).toBeGreaterThan(85184);
		// and the SSA life table replaces ONS: US background mortality is higher, so fewer life years
		expect(byId(us)['no-dmt'].undiscounted.lifeYears).toBeLessThan(base['no-dmt'].undiscounted.lifeYears);
	});

	it('a weaker aHSCT effect (pooled HR vs ocrelizumab at its upper 95% limit) lowers aHSCT QALYs only', () => {
		const weak = byId(run(compiled, { parameters: { hr_ahsct_vs_hedmt: 1.92 } }));
		expect(weak.ahsct.discounted.qaly).toBeLessThan(base.ahsct.discounted.qaly);
		expect(weak['lifelong-dmt'].discounted.qaly).toBeCloseTo(base['lifelong-dmt'].discounted.qaly, 9);
		// the MIST input acts only in the MIST-chained scenario, where it is stronger than the default
		expect(byId(run(compiled, { parameters: { hr_ahsct_vs_dmt: 0.24 } })).ahsct.discounted.qaly).toBeCloseTo(base.ahsct.discounted.qaly, 9);
		expect(byId(run(compiled, { scenario: 'ahsct-mist-chained' })).ahsct.discounted.qaly).toBeGreaterThan(base.ahsct.discounted.qaly);
	});

	it('aHSCT waning (gradual, step) lowers aHSCT QALYs and leaves the other strategies alone', () => {
		for (const id of ['ahsct-waning-gradual', 'ahsct-waning-step']) {
			const r = byId(run(compiled, { scenario: id }));
			expect(r.ahsct.discounted.qaly, id).toBeLessThan(base.ahsct.discounted.qaly);
			expect(r['lifelong-dmt'].discounted.qaly, id).toBeCloseTo(base['lifelong-dmt'].discounted.qaly, 9);
		}
		const none = byId(run(compiled, { scenario: 'ahsct-waning-none' }));
		expect(none.ahsct.discounted.qaly).toBeCloseTo(base.ahsct.discounted.qaly, 9);
	});

	it('msc and hesc have their own inputs and different totals', () => {
		expect(Math.abs(base.hesc.discounted.cost - base.msc.discounted.cost)).toBeGreaterThan(1000);
		expect(Math.abs(base.hesc.discounted.qaly - base.msc.discounted.qaly)).toBeGreaterThan(0.01);
	});

	it('counted harms land on the strategies that carry them', () => {
		const s = base;
		expect(s['lifelong-interferon'].undiscounted.outcomes.depressionEpisodes).toBeGreaterThan(0.01);
		expect(s['lifelong-natalizumab'].undiscounted.outcomes.pmlCases).toBeGreaterThan(0.001);
		expect(s['lifelong-dmt'].undiscounted.outcomes.pmlCases).toBe(0);
		for (const id of ['lifelong-dmt', 'lifelong-ofatumumab', 'lifelong-natalizumab', 'alemtuzumab', 'cladribine', 'ahsct', 'hesc'])
			expect(s[id].undiscounted.outcomes.seriousInfections, id).toBeGreaterThan(0);
		expect(s['no-dmt'].undiscounted.outcomes.seriousInfections).toBe(0);
		expect(s.alemtuzumab.undiscounted.outcomes.secondaryAutoimmunity).toBeGreaterThan(0.1);
		expect(s.ahsct.undiscounted.outcomes.malignancy).toBeGreaterThan(0);
		expect(s.ahsct.undiscounted.outcomes.infertility).toBeGreaterThan(0);
		expect(s.hesc.undiscounted.outcomes.malignancy).toBeGreaterThan(0);
		for (const id of STRATEGIES) expect(s[id].undiscounted.outcomes.cardiotoxicity, id).toBe(0);
		const mitox = byId(run(compiled, { scenario: 'dmt-mitoxantrone' }))['lifelong-dmt'];
		expect(mitox.undiscounted.outcomes.cardiotoxicity).toBeCloseTo(model.parameters.p_cardiotox_mitox.value!, 12);
	});

	it('a confidential discount lowers only the drug cost of the discounted strategies', () => {
		const d = byId(run(compiled, { scenario: 'discounts-25' }));
		for (const id of ['lifelong-dmt', 'lifelong-ofatumumab', 'lifelong-natalizumab', 'lifelong-interferon', 'alemtuzumab', 'cladribine'])
			expect(d[id].discounted.costByCategory.drug, id).toBeLessThan(base[id].discounted.costByCategory.drug);
		expect(d['no-dmt'].discounted.cost).toBeCloseTo(base['no-dmt'].discounted.cost, 6);
		for (const id of STRATEGIES) expect(d[id].discounted.qaly, id).toBeCloseTo(base[id].discounted.qaly, 9);
	});

	it('the drug choice switches adverse events: natalizumab gives PML, interferon depression', () => {
		const ntz = byId(run(compiled, { scenario: 'dmt-natalizumab' }))['lifelong-dmt'];
		expect(ntz.undiscounted.outcomes.pmlCases).toBeGreaterThan(0.001);
		expect(ntz.undiscounted.outcomes.treatmentDeaths).toBeGreaterThan(0);
		expect(base['lifelong-dmt'].undiscounted.outcomes.pmlCases).toBe(0);
		const ifn = byId(run(compiled, { parameters: { dmt_choice: 3 } }))['lifelong-dmt'];
		expect(ifn.undiscounted.outcomes.depressionEpisodes).toBeGreaterThan(0.01);
		// interferon is cheaper and less effective than ocrelizumab
		expect(ifn.discounted.costByCategory.drug).toBeLessThan(base['lifelong-dmt'].discounted.costByCategory.drug);
		expect(ifn.discounted.qaly).toBeLessThan(base['lifelong-dmt'].discounted.qaly);
	});

	it('the societal perspective adds informal care and productivity costs to every strategy', () => {
		const soc = byId(run(compiled, { scenario: 'societal' }));
		for (const id of STRATEGIES) {
			expect(soc[id].discounted.costByCategory.societal).toBeGreaterThan(10000);
			expect(base[id].discounted.costByCategory.societal).toBe(0);
		}
	});

	it("the hESC claim scenario makes hESC better and cheaper than the evidence view", () => {
		const claim = byId(run(compiled, { scenario: 'hesc-claim' }));
		expect(claim.hesc.discounted.qaly).toBeGreaterThan(base.hesc.discounted.qaly + 1);
		expect(claim.hesc.discounted.cost).toBeLessThan(base.hesc.discounted.cost);
		const evidence = byId(run(compiled, { scenario: 'hesc-evidence' }));
		expect(evidence.hesc.discounted.qaly).toBeCloseTo(base.hesc.discounted.qaly, 9);
	});

	it('an MSC benefit (msc-benefit scenario) raises MSC QALYs; waning of aHSCT lowers aHSCT QALYs', () => {
		expect(byId(run(compiled, { scenario: 'msc-benefit' })).msc.discounted.qaly).toBeGreaterThan(base.msc.discounted.qaly);
		expect(byId(run(compiled, { scenario: 'ahsct-waning-10y' })).ahsct.discounted.qaly).toBeLessThan(base.ahsct.discounted.qaly);
	});

	it('faster untreated progression (nh-untreated) lowers no-DMT QALYs and widens the aHSCT gain over DMT', () => {
		const fast = byId(run(compiled, { scenario: 'nh-untreated' }));
		expect(fast['no-dmt'].discounted.qaly).toBeLessThan(base['no-dmt'].discounted.qaly);
		const gain = (r: Record<string, StrategyResult>) => r.ahsct.discounted.qaly - r['lifelong-dmt'].discounted.qaly;
		expect(gain(fast)).toBeGreaterThan(gain(base));
	});

	it('a shorter horizon lowers every cost; a higher aHSCT price raises only the aHSCT cost', () => {
		const five = byId(run(compiled, { scenario: 'horizon-5y' }));
		for (const id of STRATEGIES) expect(five[id].discounted.cost).toBeLessThan(base[id].discounted.cost);
		const dear = byId(run(compiled, { scenario: 'ahsct-cost-uk-private' }));
		// London private price GBP 70,000 (2024) replaces the Norwegian EUR 66,304 (2018 prices),
		// which the model converts at the file's assumed 0.85 GBP per EUR (2018 rate; no euro
		// index) and inflates 2018 -> 2024 with the NHS cost inflation index (% changes 2019/20 to 2024/25)
		const nhscii2018to2024 = [2.14, 2.49, 2.58, 7.32, 2.47, 4.02].reduce((f, pct) => f * (1 + pct / 100), 1);
		expect(dear.ahsct.discounted.cost - base.ahsct.discounted.cost).toBeCloseTo(70000 - 66304 * 0.85 * nhscii2018to2024, 6);
		expect(dear.msc.discounted.cost).toBeCloseTo(base.msc.discounted.cost, 9);
	});
});

/**
 * A naive, separate implementation of the no-DMT strategy: dense matrices built here from the
 * model file's parameter values and life table, trapezoid (half-cycle) weights over time points
 * 0..n, value at point t taken from cycle max(t, 1), discount factor 1/1.035^t.
 */
describe('MS model: no-DMT strategy matches a naive re-implementation', () => {
	const p = (id: string) => {
		const v = model.parameters[id].value;
		if (v === undefined) throw new Error(id);
		return v;
	};
	const hr = (q: number, h: number) => 1 - Math.pow(1 - q, h);
	const uk = model.lifeTables!.uk.qx;
	const share = p('female_share');
	const states = ['none', 'mild', 'moderate', 'sp_mild', 'sp_moderate', 'severe', 'dead'];
	const ix = Object.fromEntries(states.map((s, i) => [s, i]));
	const pSp = 1 - Math.exp(-p('rate_sp_conversion'));
	const matrix = (age: number): number[][] => {
		const a = Math.min(Math.floor(age), 100);
		const q = (1 - share) * uk.male[a] + share * uk.female[a];
		const dm = Math.min(1, q * p('mr_mild'));
		const dmod = Math.min(1, q * p('mr_moderate'));
		const dsev = Math.min(1, q * p('mr_severe'));
		const P = states.map(() => states.map(() => 0));
		const set = (from: string, to: string, v: number) => (P[ix[from]][ix[to]] = v);
		set('none', 'dead', dm);
		set('none', 'mild', (1 - dm) * p('p_none_mild'));
		set('none', 'moderate', (1 - dm) * p('p_none_mod'));
		set('mild', 'dead', dm);
		set('mild', 'moderate', (1 - dm) * p('p_mild_mod'));
		set('mild', 'none', (1 - dm) * p('p_mild_none'));
		set('mild', 'sp_mild', (1 - dm) * pSp);
		set('moderate', 'dead', dmod);
		set('moderate', 'severe', (1 - dmod) * p('p_mod_sev'));
		set('moderate', 'mild', (1 - dmod) * p('p_mod_mild'));
		set('moderate', 'sp_moderate', (1 - dmod) * pSp);
		set('sp_mild', 'dead', dm);
		set('sp_mild', 'sp_moderate', (1 - dm) * hr(p('p_mild_mod'), p('hr_spms_progression')));
		set('sp_moderate', 'dead', dmod);
		set('sp_moderate', 'severe', (1 - dmod) * hr(p('p_mod_sev'), p('hr_spms_progression')));
		set('severe', 'dead', dsev);
		set('severe', 'sp_moderate', (1 - dsev) * p('p_sev_down'));
		set('dead', 'dead', 1);
		P.forEach((row, i) => {
			if (i === ix.dead) return;
			row[i] = 1 - row.reduce((s, v, j) => (j === i ? s : s + v), 0);
		});
		return P;
	};
	const relapseQ = p('qaly_loss_relapse');
	const utility: Record<string, number> = {
		none: p('u_eq5d_none') - p('arr_none') * relapseQ,
		mild: p('u_eq5d_mild') - p('arr_mild') * relapseQ,
		moderate: p('u_eq5d_moderate') - p('arr_moderate') * relapseQ,
		sp_mild: p('u_eq5d_mild') - p('u_spms_decrement') - p('arr_sp_mild') * relapseQ,
		sp_moderate: p('u_eq5d_moderate') - p('u_spms_decrement') - p('arr_spms') * relapseQ,
		severe: p('u_eq5d_severe') - p('u_spms_decrement') - p('arr_severe') * relapseQ,
		dead: 0
	};
	// the relapse cost is declared in 2014 (2014/15) prices: inflated to 2024 by hand with the
	// NHS cost inflation index's annual % changes 2015/16 to 2024/25 (the model file's figures)
	const nhscii2014to2024 = [0.4, 2.09, 1.24, 1.6, 2.14, 2.49, 2.58, 7.32, 2.47, 4.02].reduce((f, pct) => f * (1 + pct / 100), 1);
	const cr = p('c_relapse_uk') * nhscii2014to2024;
	const cost: Record<string, number> = {
		none: p('c_state_none') + p('arr_none') * cr,
		mild: p('c_state_mild') + p('arr_mild') * cr,
		moderate: p('c_state_moderate') + p('arr_moderate') * cr,
		sp_mild: p('c_state_mild') + p('arr_sp_mild') * cr,
		sp_moderate: p('c_state_moderate') + p('arr_spms') * cr,
		severe: p('c_state_severe') + p('arr_severe') * cr,
		dead: 0
	};
	const n = 64; // annual cycles from age 36 to the file's horizonAge, 100
	let x = states.map(() => 0);
	x[ix.mild] = 1 - p('share_moderate_start');
	x[ix.moderate] = p('share_moderate_start');
	let ly = 0;
	let qaly = 0;
	let costs = 0;
	const accrue = (t: number, xt: number[]) => {
		const w = t === 0 || t === n ? 0.5 : 1;
		const d = 1 / Math.pow(1.035, t);
		states.forEach((s, i) => {
			if (s !== 'dead') ly += w * xt[i];
			qaly += w * d * xt[i] * utility[s];
			costs += w * d * xt[i] * cost[s];
		});
	};
	accrue(0, x);
	for (let k = 1; k <= n; k++) {
		const P = matrix(model.startAge + (k - 1));
		x = states.map((_, j) => x.reduce((s, xi, i) => s + xi * P[i][j], 0));
		accrue(k, x);
	}
	const engine = byId(run(compiled))['no-dmt'];

	it('undiscounted life years, discounted QALYs and costs agree to 1e-9 (relative)', () => {
		expect(Math.abs(engine.undiscounted.lifeYears - ly) / ly).toBeLessThan(1e-9);
		expect(Math.abs(engine.discounted.qaly - qaly) / qaly).toBeLessThan(1e-9);
		expect(Math.abs(engine.discounted.cost - costs) / costs).toBeLessThan(1e-9);
	});
});
