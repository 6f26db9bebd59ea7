/**
 * One-way/two-way sensitivity, threshold and payback on models solvable by hand
 * (tests/unit/analysis-fixtures.ts): for the one-cycle model,
 *   INB(new vs old) = wtp (uNew - 0.7) - (price + extra - 1000).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
	brent,
	compile,
	compileJson,
	deterministicPayback,
	oneWay,
	paybackTime,
	psaPayback,
	run,
	runPsa,
	threshold,
	tornado,
	twoWay,
	type ModelInput
} from '../../src/lib/engine';
import { oneCycleModel } from './analysis-fixtures';

const cm = compile(oneCycleModel());

describe('one-way sensitivity analysis and tornado', () => {
	const d = oneWay(cm, { willingnessToPay: 20000, referenceId: 'old' });
	it('ranks by swing of incremental NMB: uNew (2400), price (2000), extra (500)', () => {
		const t = tornado(d, 'new');
		expect(t.base).toBeCloseTo(-200, 9);
		expect(t.bars.map((b) => b.id)).toEqual(['uNew', 'price', 'extra']);
		const byId = Object.fromEntries(t.bars.map((b) => [b.id, b]));
		expect(byId.uNew.atLow).toBeCloseTo(-600, 9);
		expect(byId.uNew.atHigh).toBeCloseTo(1800, 9);
		expect(byId.price.atLow).toBeCloseTo(800, 9);
		expect(byId.price.atHigh).toBeCloseTo(-1200, 9);
		expect(byId.extra.swing).toBeCloseTo(500, 9);
	});
	it('ICER measure: base 2200 / 0.1 = 22000; price high (4000 + 200 - 1000) / 0.1 = 32000', () => {
		const t = tornado(d, 'new', 'icer');
		expect(t.base).toBeCloseTo(22000, 6);
		expect(t.bars.find((b) => b.id === 'price')!.atHigh).toBeCloseTo(32000, 6);
	});
	it('any strategy can be the reference', () => {
		const t = tornado(oneWay(cm, { referenceId: 'new' }), 'old');
		expect(t.base).toBeCloseTo(200, 9);
	});
});

describe('two-way sensitivity analysis', () => {
	it('new is optimal exactly where 20000 (uNew - 0.7) > price - 800', () => {
		const g = twoWay(cm, { a: { id: 'price', from: 2000, to: 4000, steps: 5 }, b: { id: 'uNew', from: 0.75, to: 0.95, steps: 5 }, willingnessToPay: 20000 });
		for (let i = 0; i < 5; i++)
			for (let j = 0; j < 5; j++) {
				const price = g.a.values[i];
				const u = g.b.values[j];
				const inb = 20000 * (u - 0.7) - (price - 800);
				if (Math.abs(inb) > 1e-6) expect(g.optimal[i * 5 + j]).toBe(inb > 0 ? 1 : 0);
			}
	});
});

describe('threshold analysis', () => {
	it('price at which new and old have equal NMB: 2800 at 20,000/QALY, 3800 at 30,000', () => {
		const r = threshold(cm, { parameter: 'price', strategyId: 'new', comparatorId: 'old', willingnessToPay: 20000 });
		expect(r.status).toBe('found');
		expect(r.thresholds).toHaveLength(1);
		expect(Math.abs(r.thresholds[0] - 2800)).toBeLessThanOrEqual(r.tolerance);
		const r30 = threshold(cm, { parameter: 'price', strategyId: 'new', comparatorId: 'old', willingnessToPay: 30000, range: [0, 10000] });
		expect(Math.abs(r30.thresholds[0] - 3800)).toBeLessThanOrEqual(r30.tolerance);
	});
	it('effect size: uNew = 0.81', () => {
		const r = threshold(cm, { parameter: 'uNew', strategyId: 'new', comparatorId: 'old', willingnessToPay: 20000, tolerance: 1e-9 });
		expect(Math.abs(r.thresholds[0] - 0.81)).toBeLessThanOrEqual(1e-9);
	});
	it('no threshold in range is a valid answer, saying which strategy is preferred', () => {
		const r = threshold(cm, { parameter: 'price', strategyId: 'new', comparatorId: 'old', willingnessToPay: 20000, range: [3000, 4000] });
		expect(r.status).toBe('none-in-range');
		expect(r.thresholds).toEqual([]);
		expect(r.message).toMatch(/no threshold.*Old has the higher/);
	});
	it('Brent finds sqrt(2) and reports an interval without a sign change', () => {
		expect(brent((x) => x * x - 2, 0, 2, 1e-12).root).toBeCloseTo(Math.SQRT2, 11);
		expect(() => brent((x) => x * x + 1, 0, 2, 1e-6)).toThrow(/sign change/);
	});
	it('HIV model: at the threshold lamivudine price the two strategies have equal NMB (checked by run())', () => {
		const hiv = compileJson(readFileSync('models/hiv-chancellor.json', 'utf8'));
		const r = threshold(hiv, { parameter: 'cLamivudine', strategyId: 'comb', comparatorId: 'mono', willingnessToPay: 20000, range: [0, 50000] });
		expect(r.status).toBe('found');
		const at = run(hiv, { parameters: { cLamivudine: r.thresholds[0] } });
		const nmb = at.strategies.map((s) => 20000 * s.discounted.qaly - s.discounted.cost);
		// slope of INB in price is about -1.8 per GBP, so an x-tolerance of 0.05 gives |INB| < 0.1
		expect(Math.abs(nmb[1] - nmb[0])).toBeLessThan(0.1);
	});
});

describe('payback', () => {
	it('hand case: one-off 10,000 vs 3,000 a year pays back at 3 + 1000/3000 years', () => {
		const p = paybackTime([10000, 0, 0, 0, 0], [0, 3000, 3000, 3000, 3000], 1);
		expect(p.cycle).toBe(4);
		expect(p.years).toBeCloseTo(10 / 3, 12);
		expect(p.staysBelow).toBe(true);
		expect(paybackTime([10000, 0, 0], [0, 3000, 3000], 1).years).toBeNull();
		expect(paybackTime([10000, 0, 0, 0], [0, 3000, 3000, 3000], 0.5).years).toBeNull();
	});

	it('a short course paid in cycles (nothing at the start) pays back when it stays cheaper, not at time 0', () => {
		// D = 0, 16000, 18000, -1000, -20000: dearer in years 1-2, cheaper for good in year 3
		const p = paybackTime([0, 35000, 21000, 0, 0], [0, 19000, 19000, 19000, 19000], 1);
		expect(p.cycle).toBe(3);
		expect(p.years).toBeCloseTo(2 + 18000 / 19000, 12);
		expect(p.firstYears).toBeCloseTo(2 + 18000 / 19000, 12);
		// cheaper, dearer, cheaper for good: D = -5000, 1000, 3000, -1000
		const dip = paybackTime([0, 9000, 5000, 0], [5000, 3000, 3000, 4000], 1);
		expect(dip.firstYears).toBe(0);
		expect(dip.years).toBeCloseTo(2 + 3000 / 4000, 12);
		// cheaper, then dearer at the end: no payback, first cheaper at the start
		const lost = paybackTime([0, 6000], [1000, 0], 1);
		expect(lost.years).toBeNull();
		expect(lost.firstYears).toBe(0);
		// the same costs every cycle: no dearer from the start
		expect(paybackTime([0, 5, 5], [0, 5, 5], 1)).toEqual({ years: 0, cycle: 0, staysBelow: true, firstYears: 0 });
	});

	const model: ModelInput = {
		...oneCycleModel(),
		horizon: 5,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		states: [{ id: 'alive', label: 'Alive', utility: 0.7 }],
		strategies: [
			{ id: 'lifelong', label: 'Lifelong', start: { alive: 1 }, transitions: { alive: { alive: 1 } }, stateValues: { alive: { costs: { drug: 3000 } } } },
			{ id: 'oneOff', label: 'One-off', start: { alive: 1 }, transitions: { alive: { alive: 1 } }, startValues: { costs: { drug: 10000 } } }
		]
	};
	it('from a model run, discounted and undiscounted', () => {
		const result = run(compile(model));
		expect(deterministicPayback(result, { oneOffId: 'oneOff', lifelongId: 'lifelong', discounted: false }).years).toBeCloseTo(10 / 3, 9);
		// by hand: end-of-cycle costs discounted by 1.035^-k; D(k) = 10000 - sum_j<=k 3000 / 1.035^j
		let d = 10000;
		let years = NaN;
		for (let k = 1; k <= 5; k++) {
			const next = d - 3000 / Math.pow(1.035, k);
			if (next <= 0) {
				years = k - 1 + d / (d - next);
				break;
			}
			d = next;
		}
		expect(deterministicPayback(result, { oneOffId: 'oneOff', lifelongId: 'lifelong' }).years).toBeCloseTo(years, 9);
	});
	it('its distribution under PSA: each iteration agrees with paybackTime on its own costs', () => {
		const hiv = compileJson(readFileSync('models/hiv-chancellor.json', 'utf8'));
		const psa = runPsa(hiv, { iterations: 100, seed: 4, keepCycleCosts: true });
		const p = psaPayback(psa, { oneOffId: 'comb', lifelongId: 'mono' });
		expect(p.years.length).toBe(100);
		expect(p.probabilityWithinHorizon).toBeGreaterThanOrEqual(0);
		expect(p.cumulative[p.cumulative.length - 1]).toBeCloseTo(p.probabilityWithinHorizon, 12);
		const n1 = psa.settings.horizon + 1;
		const i = 17;
		const own = paybackTime(psa.cycleCosts!.subarray((i * 2 + 1) * n1, (i * 2 + 2) * n1), psa.cycleCosts!.subarray(i * 2 * n1, (i * 2 + 1) * n1), 1);
		expect(Number.isNaN(p.years[i]) ? null : p.years[i]).toBe(own.years);
	});
});
