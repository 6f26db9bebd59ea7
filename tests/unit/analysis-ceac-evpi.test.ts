/**
 * CEAC, EVPI and EVPPI against values worked out by hand or in closed form.
 */
import { describe, expect, it } from 'vitest';
import jStat from 'jstat';
import { ceac, createRandom, evpi, evpiCurve, evppi, populationEvpi, sampleStandardNormal, summarisePsa, wtpRange, type PsaWithDraws } from '../../src/lib/engine';

/**
 * Three iterations, two strategies. A costs and gains nothing; B:
 *   iteration  cost   QALYs   NMB_B at 20,000   at 40,000
 *   1          1000   0.1       1000              3000
 *   2          3000   0.1      -1000              1000
 *   3           500   0.01      -300              -100
 * At 20,000: B best in 1 of 3; mean NMB_B = -100 so A is optimal; EVPI = (1000 + 0 + 0)/3 - 0 = 333.33.
 * At 40,000: B best in 2 of 3; mean NMB_B = 1300 so B is optimal; EVPI = (3000 + 1000 + 0)/3 - 1300 = 33.33.
 */
const hand = {
	iterations: 3,
	strategyIds: ['A', 'B'],
	cost: Float64Array.from([0, 1000, 0, 3000, 0, 500]),
	qaly: Float64Array.from([0, 0.1, 0, 0.1, 0, 0.01])
};

describe('CEAC on a hand-computed case', () => {
	const c = ceac(hand, [20000, 40000], 'A');
	it('probabilities of being most cost-effective', () => {
		expect([...c.probability[0]]).toEqual([2 / 3, 1 / 3]);
		expect([...c.probability[1]]).toEqual([1 / 3, 2 / 3]);
	});
	it('expected NMB and the frontier (highest expected NMB)', () => {
		expect(c.expectedNmb[1][0]).toBeCloseTo(-100, 9);
		expect(c.expectedNmb[1][1]).toBeCloseTo(1300, 9);
		expect([...c.frontier]).toEqual([0, 1]);
		expect([...c.frontierProbability]).toEqual([2 / 3, 2 / 3]);
	});
	it('pairwise against the reference', () => {
		expect([...c.pairwise[1]]).toEqual([1 / 3, 2 / 3]);
	});
	it('EVPI', () => {
		expect(evpi(hand, 20000)).toBeCloseTo(1000 / 3, 9);
		expect(evpi(hand, 40000)).toBeCloseTo(4000 / 3 - 1300, 9);
		expect([...evpiCurve(hand, [20000, 40000])].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([333.333333, 33.333333]);
	});
	it('summary: ICER of mean increments and probability cost-effective', () => {
		const s = summarisePsa(hand, 20000, 'A');
		expect(s[1].incrementalCost).toBeCloseTo(1500, 9);
		expect(s[1].incrementalQaly).toBeCloseTo(0.07, 12);
		expect(s[1].icer).toBeCloseTo(1500 / 0.07, 6);
		expect(s[1].probabilityCostEffective).toBeCloseTo(1 / 3, 12);
	});
	it('CEACs of several strategies sum to 1 at every willingness to pay', () => {
		const rng = createRandom(3);
		const N = 500;
		const S = 4;
		const o = { iterations: N, strategyIds: ['a', 'b', 'c', 'd'], cost: new Float64Array(N * S), qaly: new Float64Array(N * S) };
		for (let j = 0; j < N * S; j++) {
			o.cost[j] = 1000 * rng.uniform();
			o.qaly[j] = rng.uniform() / 10;
		}
		const c4 = ceac(o, wtpRange(0, 50000, 5000));
		for (let w = 0; w < c4.wtp.length; w++) expect(c4.probability.reduce((s, p) => s + p[w], 0)).toBeCloseTo(1, 12);
	});
});

/** Closed form for two strategies with INB ~ Normal(mu, sigma): sigma phi(mu/sigma) - |mu| Phi(-|mu|/sigma). */
function closedFormEvpi(mu: number, sigma: number): number {
	return sigma * jStat.normal.pdf(mu / sigma, 0, 1) - Math.abs(mu) * jStat.normal.cdf(-Math.abs(mu) / sigma, 0, 1);
}

/** PSA outcomes with NMB_A = 0 and NMB_B = inb at wtp = 1 (QALYs carry the INB, costs are 0). */
function outcomesFromInb(inb: Float64Array) {
	const N = inb.length;
	const qaly = new Float64Array(N * 2);
	for (let i = 0; i < N; i++) qaly[i * 2 + 1] = inb[i];
	return { iterations: N, strategyIds: ['A', 'B'], cost: new Float64Array(N * 2), qaly };
}

describe('EVPI against the closed form for a normal INB', () => {
	it('hand-checked closed form: mu = 500, sigma = 1000 gives 197.80', () => {
		// phi(0.5) = 0.3520653, Phi(-0.5) = 0.3085375: 352.0653 - 154.2688 = 197.7966
		expect(closedFormEvpi(500, 1000)).toBeCloseTo(197.7966, 3);
	});
	for (const [mu, sigma] of [
		[500, 1000],
		[-2000, 1500],
		[0, 800]
	])
		it(`mu ${mu}, sigma ${sigma}: stratified quantile sample within 0.1%, random sample within 4 SE`, () => {
			const N = 100_000;
			const grid = Float64Array.from({ length: N }, (_, i) => mu + sigma * jStat.normal.inv((i + 0.5) / N, 0, 1));
			const exact = closedFormEvpi(mu, sigma);
			expect(Math.abs(evpi(outcomesFromInb(grid), 1) - exact) / exact).toBeLessThan(1e-3);
			const rng = createRandom(77);
			const random = Float64Array.from({ length: N }, () => mu + sigma * sampleStandardNormal(rng));
			// SE of the estimate is at most sd(max(0, INB))/sqrt(N) <= sigma/sqrt(N) (plus the mean term's, same order)
			expect(Math.abs(evpi(outcomesFromInb(random), 1) - exact)).toBeLessThan((4 * 2 * sigma) / Math.sqrt(N));
		});

	it('population EVPI: per person x sum of discounted annual cohorts', () => {
		// 100 per person, 1000 a year for 3 years at 5%: 1000 (1 + 1/1.05 + 1/1.1025) = 2859.41
		const p = populationEvpi(100, { annualPopulation: 1000, years: 3, discountRate: 0.05 });
		expect(p.effectivePopulation).toBeCloseTo(2859.4104, 3);
		expect(p.value).toBeCloseTo(285941.04, 1);
	});
});

describe('EVPPI by regression', () => {
	const N = 20_000;
	const rng = createRandom(2014);
	const x = Float64Array.from({ length: N }, () => sampleStandardNormal(rng));
	const y = Float64Array.from({ length: N }, () => sampleStandardNormal(rng));
	const withDraws = (inb: Float64Array): PsaWithDraws => {
		const draws = new Float64Array(N * 2);
		for (let i = 0; i < N; i++) {
			draws[i * 2] = x[i];
			draws[i * 2 + 1] = y[i];
		}
		return { ...outcomesFromInb(inb), parameterIds: ['x', 'y'], draws };
	};

	it('when one parameter is the only source of uncertainty, EVPPI equals EVPI', () => {
		const psa = withDraws(x.map((v) => 200 + 1000 * v));
		const r = evppi(psa, ['x'], { willingnessToPay: 1, seSamples: 100 });
		expect(Math.abs(r.evppi - r.evpi) / r.evpi).toBeLessThan(0.01);
		expect(r.rSquared[1]).toBeGreaterThan(0.999);
	});

	it('INB = 200 + 1000 x + 500 y: EVPPI(x) matches the closed form for E[INB | x] ~ N(200, 1000)', () => {
		const psa = withDraws(x.map((v, i) => 200 + 1000 * v + 500 * y[i]));
		const r = evppi(psa, ['x'], { willingnessToPay: 1, seSamples: 200, seed: 5 });
		const exact = closedFormEvpi(200, 1000);
		// sampling error of the estimate plus regression error: well within 4 SE + 3%
		expect(Math.abs(r.evppi - exact)).toBeLessThan(4 * r.standardError + 0.03 * exact);
		expect(r.standardError).toBeGreaterThan(0);
		expect(r.evppi).toBeLessThan(r.evpi);
		const both = evppi(psa, ['x', 'y'], { willingnessToPay: 1, seSamples: 0 });
		expect(Math.abs(both.evppi - both.evpi) / both.evpi).toBeLessThan(0.01);
		const none = evppi(psa, ['y'], { willingnessToPay: 1, seSamples: 0 });
		// E[INB | y] ~ N(200, 500): closed form
		expect(Math.abs(none.evppi - closedFormEvpi(200, 500))).toBeLessThan(0.05 * closedFormEvpi(200, 500) + 5);
	});

	it('a parameter unrelated to the outcome has EVPPI near 0', () => {
		const psa = withDraws(x.map((v) => 200 + 1000 * v));
		const r = evppi(psa, ['y'], { willingnessToPay: 1, seSamples: 0 });
		expect(r.evppi).toBeLessThan(0.05 * r.evpi);
	});

	it('an unknown parameter is an error', () => {
		expect(() => evppi(withDraws(x), ['nope'], { willingnessToPay: 1 })).toThrow(/not drawn/);
	});
});
