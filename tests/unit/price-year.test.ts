/**
 * Price years and currencies: costs are converted once, when the model is compiled, from the
 * currency and price year each cost states to the model's target. Every expected value here is
 * worked out by hand from the index figures and rates written in models/ms.json (NHS cost
 * inflation index, annual % change; CPI-U medical care annual averages; the file's assumed
 * exchange rates), not taken from the engine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, compileJson, distributionMoments, ModelError, resolveDistribution, run, runPsa, type ModelInput } from '../../src/lib/engine';

const text = readFileSync('models/ms.json', 'utf8');
const ms = compileJson(text);
const fresh = (): ModelInput & { parameters: Record<string, Record<string, unknown>> } => JSON.parse(text);

/** NHS cost inflation index (pay and prices), annual % change into each financial year, from the model file. */
const NHSCII: Record<number, number> = { 2015: 0.4, 2016: 2.09, 2017: 1.24, 2018: 1.6, 2019: 2.14, 2020: 2.49, 2021: 2.58, 2022: 7.32, 2023: 2.47, 2024: 4.02 };
/** The product of (1 + change) over the years after `from` up to `to`: index(to) / index(from). */
const nhscii = (from: number, to: number): number => {
	let f = 1;
	for (let y = from + 1; y <= to; y++) f *= 1 + NHSCII[y] / 100;
	return f;
};
/** CPI-U medical care annual averages from the model file. */
const CPIM = { 2015: 446.752, 2018: 484.7, 2019: 498.413, 2020: 518.876, 2024: 563.841 };
const GBP_PER_EUR = 0.85;
const USD_PER_GBP = 1.27;

function modelError(fn: () => unknown): ModelError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ModelError) return e;
		throw e;
	}
	throw new Error('expected a ModelError');
}

describe('price-year conversion by hand (GBP 2024 target)', () => {
	it('a GBP cost of 2019 is inflated with the NHS cost inflation index: x 1.0249 x 1.0258 x 1.0732 x 1.0247 x 1.0402', () => {
		// ocrelizumab: GBP 4,790 x 4 = 19,160 a year at the 2019 list price
		const factor = 1.0249 * 1.0258 * 1.0732 * 1.0247 * 1.0402; // 2019/20 -> 2024/25
		expect(ms.costs.c_ocr.factor).toBeCloseTo(factor, 12);
		expect(ms.model.parameters.c_ocr.value).toBeCloseTo(19160 * factor, 8); // about GBP 23,043
		// the range and the PSA distribution move with it
		expect(ms.model.parameters.c_ocr.low).toBeCloseTo(15000 * factor, 8);
		expect(ms.model.parameters.c_ocr.high).toBeCloseTo(19160 * factor, 8);
		expect(ms.costs.c_ocr).toMatchObject({ currency: 'GBP', priceYear: 2019, value: 19160, rate: 1 });
	});

	it('a GBP cost already in 2024 prices is not touched (factor exactly 1)', () => {
		expect(ms.costs.c_ntz.factor).toBe(1);
		expect(ms.model.parameters.c_ntz.value).toBe(14690);
	});

	it('a USD cost of 2020: CPI-U medical care 563.841 / 518.876, then 1 / 1.27 GBP per USD', () => {
		const factor = (563.841 / 518.876) * (1 / 1.27);
		expect(ms.costs.c_ocr_us.inflation).toBeCloseTo(563.841 / 518.876, 12);
		expect(ms.costs.c_ocr_us.rate).toBeCloseTo(1 / 1.27, 12);
		expect(ms.model.parameters.c_ocr_us.value).toBeCloseTo(65000 * factor, 8); // about GBP 55,615
	});

	it('a EUR cost of 2015 (no euro index in the file): 0.85 GBP per EUR at 2015, then the NHS index 2015 -> 2024', () => {
		const factor = GBP_PER_EUR * nhscii(2015, 2024);
		expect(ms.model.parameters.c_soc_mild_eur.value).toBeCloseTo(7296 * factor, 8);
		// the steps say the reverse order is an assumption
		expect(ms.costs.c_soc_mild_eur.steps.join(' ')).toMatch(/no EUR price index.*assumption/);
	});

	it('the PSA distribution is around the converted value: a gamma from the converted range', () => {
		const p = ms.model.parameters.c_ocr;
		const d = distributionMoments(resolveDistribution('c_ocr', p));
		expect(d.mean).toBeCloseTo(19160 * ms.costs.c_ocr.factor, 6);
		// fromRange: sd = (high - low) / 3.92, both converted
		expect(d.sd).toBeCloseTo(((19160 - 15000) * ms.costs.c_ocr.factor) / 3.92, 6);
	});

	it('scenario values of a cost are in its declared currency and year, and converted too', () => {
		// hesc-claim sets c_hesc = 25,000 (GBP 2024): factor 1
		expect(ms.model.scenarios!.find((s) => s.id === 'hesc-claim')!.parameters!.c_hesc).toBe(25000);
	});
});

describe('price-year conversion by hand (another target)', () => {
	const us = compile(ms.written, { currency: 'USD', priceYear: 2020 });

	it('a GBP cost of 2019 to USD 2020: the NHS index 2019 -> 2020 (x 1.0249), then 1.27 USD per GBP', () => {
		expect(us.model.parameters.c_ocr.value).toBeCloseTo(19160 * 1.0249 * USD_PER_GBP, 8);
	});

	it('a GBP cost of 2024 to USD 2020: deflated 2024 -> 2020 with the NHS index, then 1.27', () => {
		expect(us.model.parameters.c_ntz.value).toBeCloseTo((14690 / nhscii(2020, 2024)) * USD_PER_GBP, 8);
	});

	it('a EUR cost of 2015 to USD 2020: 0.85 x 1.27 USD per EUR (through GBP) at 2015, then CPI-U medical care 2015 -> 2020', () => {
		expect(us.model.parameters.c_soc_mild_eur.value).toBeCloseTo(7296 * GBP_PER_EUR * USD_PER_GBP * (CPIM[2020] / CPIM[2015]), 8);
	});

	it('USD costs of 2020 are untouched in USD 2020', () => {
		expect(us.costs.c_ocr_us.factor).toBe(1);
		expect(us.model.parameters.c_ocr_us.value).toBe(65000);
	});

	it('a lognormal given by meanlog moves by log(factor) and keeps its sdlog', () => {
		const m = fresh();
		m.parameters.c_ocr.distribution = { type: 'lognormal', meanlog: Math.log(19160), sdlog: 0.1 };
		const cm = compile(m);
		const d = cm.model.parameters.c_ocr.distribution as { meanlog: number; sdlog: number };
		expect(d.meanlog).toBeCloseTo(Math.log(19160) + Math.log(nhscii(2019, 2024)), 12);
		expect(d.sdlog).toBe(0.1);
	});
});

describe('a cost without a year, or a year the index does not have, is rejected with its path', () => {
	it('no priceYear: parameters.c_ocr.priceYear', () => {
		const m = fresh();
		delete m.parameters.c_ocr.priceYear;
		const e = modelError(() => compile(m));
		expect(e.issues.map((i) => i.path)).toEqual(['parameters.c_ocr.priceYear']);
		expect(e.message).toMatch(/c_ocr.*price year/);
	});

	it('no currency: parameters.c_ocr.currency', () => {
		const m = fresh();
		delete m.parameters.c_ocr.currency;
		expect(modelError(() => compile(m)).issues.map((i) => i.path)).toEqual(['parameters.c_ocr.currency']);
	});

	it('an assumed price year needs an assumption saying why', () => {
		const m = fresh();
		m.parameters.c_ocr.priceYearAssumed = true; // c_ocr has a source and no assumption
		expect(modelError(() => compile(m)).issues.map((i) => i.path)).toEqual(['parameters.c_ocr.assumption']);
	});

	it('a cost given by an expression states no currency', () => {
		const m = fresh();
		m.parameters.c_pml_model.currency = 'GBP';
		expect(modelError(() => compile(m)).issues.map((i) => i.path)).toEqual(['parameters.c_pml_model.currency']);
	});

	it('a year missing from the index names the parameter and the year', () => {
		const m = fresh();
		m.parameters.c_ocr.priceYear = 2012; // the NHS index in the file starts at 2014/15
		const e = modelError(() => compile(m));
		expect(e.issues[0].path).toBe('parameters.c_ocr.priceYear');
		expect(e.issues[0].message).toContain('no value for 2012');
	});

	it('a target year missing from the index is reported once, at the price year setting', () => {
		// one issue per index (GBP and USD), none per cost
		const e = modelError(() => run(ms, { settings: { priceYear: 2030 } }));
		expect(e.issues.map((i) => i.path)).toEqual(['settings.priceYear', 'settings.priceYear']);
		expect(e.issues.map((i) => i.message.match(/the (GBP|USD) price index/)?.[1]).sort()).toEqual(['GBP', 'USD']);
		for (const i of e.issues) expect(i.message).toContain('target price year 2030');
	});

	it('a currency with no rate is reported at the currency setting', () => {
		const e = modelError(() => run(ms, { settings: { currency: 'JPY' } }));
		expect(new Set(e.issues.map((i) => i.path))).toEqual(new Set(['settings.currency']));
		expect(e.issues[0].message).toMatch(/no rate from (GBP|EUR|USD) to JPY/);
	});
});

describe('the target price year and currency change results by the expected factor', () => {
	const base = run(ms);
	const cost = (r: ReturnType<typeof run>, id: string) => r.strategies.find((s) => s.id === id)!.discounted.cost;

	it('price year 2023 divides every cost by the 2024/25 change (1.0402); QALYs are unchanged', () => {
		// every cost the UK setting uses is in GBP or EUR (converted to GBP, then the GBP index),
		// so each one scales by index(2023) / index(2024) = 1 / 1.0402
		const r = run(ms, { settings: { priceYear: 2023 } });
		expect(r.settings.priceYear).toBe(2023);
		for (const s of base.strategies) {
			expect(cost(r, s.id)).toBeCloseTo(s.discounted.cost / 1.0402, 6);
			expect(r.strategies.find((x) => x.id === s.id)!.discounted.qaly).toBe(s.discounted.qaly);
		}
	});

	it('currency USD (2024) multiplies every cost in GBP by 1.27', () => {
		const r = run(ms, { settings: { currency: 'USD' } });
		expect(r.settings.currency).toBe('USD');
		// these strategies count GBP costs only (inflated in GBP, then x 1.27 at 2024)
		for (const id of ['no-dmt', 'lifelong-dmt', 'msc', 'hesc']) expect(cost(r, id)).toBeCloseTo(cost(base, id) * USD_PER_GBP, 5);
		// aHSCT's procedure is a EUR 2018 cost: 0.85 x 1.27 USD per EUR at 2018, then CPI-U
		// medical care 2018 -> 2024, instead of 0.85 at 2018 and the NHS index 2018 -> 2024
		const inGbp = 66304 * GBP_PER_EUR * nhscii(2018, 2024);
		const inUsd = 66304 * GBP_PER_EUR * USD_PER_GBP * (CPIM[2024] / CPIM[2018]);
		expect(cost(r, 'ahsct')).toBeCloseTo((cost(base, 'ahsct') - inGbp) * USD_PER_GBP + inUsd, 5);
	});

	it('the us-payer scenario runs in USD 2020 with its US prices unconverted', () => {
		const r = run(ms, { scenario: 'us-payer' });
		expect(r.settings).toMatchObject({ currency: 'USD', priceYear: 2020 });
		expect(r.parameters.c_ocr_us).toBe(65000);
	});

	it('a user value for a cost is in the target currency and year: the run uses it as given', () => {
		const r = run(ms, { parameters: { c_ocr: 20000 } });
		expect(r.parameters.c_ocr).toBe(20000);
		const us = run(ms, { settings: { currency: 'USD' }, parameters: { c_ocr: 20000 } });
		expect(us.parameters.c_ocr).toBe(20000);
	});

	it('a PSA in another currency draws around the converted values: its base case is the converted run', () => {
		const psa = runPsa(ms, { iterations: 4, seed: 7, options: { settings: { currency: 'USD' } } });
		expect(psa.settings.currency).toBe('USD');
		const det = run(ms, { settings: { currency: 'USD' } });
		det.strategies.forEach((s, k) => expect(psa.deterministic.cost[k]).toBeCloseTo(s.discounted.cost, 6));
		// the drawn ocrelizumab price sits around the USD value (GBP 23,043 x 1.27), not the GBP one
		const k = psa.parameterIds.indexOf('c_ocr');
		const draws = Array.from({ length: 4 }, (_, i) => psa.draws[i * psa.parameterIds.length + k]);
		const mean = draws.reduce((a, b) => a + b, 0) / 4;
		// (the draws' sd is about (19,160 - 15,000) x 1.2026 x 1.27 / 3.92, some 1,600; the GBP value is 21% lower)
		const usd = 19160 * nhscii(2019, 2024) * USD_PER_GBP;
		expect(Math.abs(mean - usd) / usd).toBeLessThan(0.1);
	});

	it('the validation models are in their own currency and year: every factor is exactly 1', () => {
		for (const file of ['hiv-chancellor', 'thr-briggs', 'sick-sicker-intro', 'sick-sicker-age', 'sick-sicker-state-residence']) {
			const cm = compileJson(readFileSync(`models/${file}.json`, 'utf8'));
			for (const c of Object.values(cm.costs)) expect(c.factor, file).toBe(1);
		}
	});
});

describe('command line: --price-year and --currency', { timeout: 180_000 }, () => {
	const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

	it('run --price-year 2023 --currency USD converts every GBP cost: / 1.0402 x 1.27', () => {
		const r = cli('run', 'models/ms.json', '--price-year', '2023', '--currency', 'USD', '--json');
		expect(r.status).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out).toMatchObject({ currency: 'USD', priceYear: 2023 });
		const base = run(ms);
		const dmt = out.strategies.find((s: { id: string }) => s.id === 'lifelong-dmt');
		const expected = (base.strategies.find((s) => s.id === 'lifelong-dmt')!.discounted.cost / 1.0402) * USD_PER_GBP;
		expect(Math.abs(dmt.cost - expected) / expected).toBeLessThan(1e-9);
	});

	it('a target the model cannot reach exits 2 naming the setting', () => {
		const r = cli('run', 'models/ms.json', '--price-year', '2031');
		expect(r.status).toBe(2);
		expect(r.stderr).toContain('settings.priceYear');
		expect(r.stderr).toContain('2031');
		const bad = cli('run', 'models/ms.json', '--currency', 'usd');
		expect(bad.status).toBe(2);
		expect(bad.stderr).toContain('--currency');
	});
});
