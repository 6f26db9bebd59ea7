/**
 * Distributions: method-of-moments parameters checked against hand-computed values, and the
 * sample moments of 200,000 draws against each distribution's own mean and sd (formulas
 * from the distribution, not from the sampler) within Monte-Carlo error.
 */
import { describe, expect, it } from 'vitest';
import jStat from 'jstat';
import {
	compile,
	createRandom,
	createSampler,
	distributionMoments,
	quantile,
	resolveDistribution,
	sample,
	type ModelInput,
	type Parameter,
	type ResolvedDistribution
} from '../../src/lib/engine';

const base = { kind: 'other', unit: 'u', description: 'd', group: 'g', assumption: 'test' } as const;
const param = (p: Partial<Parameter>): Parameter => ({ ...base, ...p }) as Parameter;

describe('distribution parameters from the model file', () => {
	it('beta from mean and se: alpha = m(m(1-m)/s^2 - 1), beta = alpha(1-m)/m', () => {
		// m = 0.2, s = 0.05: m(1-m)/s^2 = 0.16/0.0025 = 64; alpha = 0.2 * 63 = 12.6; beta = 12.6 * 4 = 50.4
		const d = resolveDistribution('p', param({ value: 0.2, kind: 'probability', distribution: { type: 'beta', se: 0.05 } }));
		expect(d.type).toBe('beta');
		if (d.type !== 'beta') return;
		expect(d.alpha).toBeCloseTo(12.6, 10);
		expect(d.beta).toBeCloseTo(50.4, 10);
	});
	it('gamma from mean and se: shape = m^2/s^2, scale = s^2/m', () => {
		// m = 1000, s = 250: shape 16, scale 62.5
		const d = resolveDistribution('c', param({ value: 1000, kind: 'cost', distribution: { type: 'gamma', se: 250 } }));
		expect(d).toEqual({ type: 'gamma', shape: 16, scale: 62.5 });
	});
	it('lognormal from a 95% range: meanlog = log(value), sdlog = log(high/low)/3.92', () => {
		// HIV relative risk 0.509 (0.365 to 0.710): sdlog = ln(0.710/0.365)/3.92 = 0.1697366 (Python math.log)
		const d = resolveDistribution('rr', param({ value: 0.509, low: 0.365, high: 0.71, kind: 'ratio', distribution: { type: 'lognormal', fromRange: true } }));
		if (d.type !== 'lognormal') throw new Error('not lognormal');
		expect(d.meanlog).toBeCloseTo(Math.log(0.509), 12);
		expect(d.sdlog).toBeCloseTo(0.1697366, 6);
	});
	it('normal fromRange: sd = (high - low) / 3.92', () => {
		const d = resolveDistribution('x', param({ value: 10, low: 6.08, high: 13.92, distribution: { type: 'normal', fromRange: true } }));
		expect(d).toEqual({ type: 'normal', mean: 10, sd: expect.closeTo(2, 12) });
	});
	it('a beta se too large for its mean is an error naming the parameter', () => {
		expect(() => resolveDistribution('p', param({ value: 0.5, kind: 'probability', distribution: { type: 'beta', se: 0.6 } }))).toThrow(
			/parameters\.p\.distribution/
		);
	});
});

const cases: [string, ResolvedDistribution, { mean: number; sd: number }][] = [
	// moments from the textbook formulas, written out by hand
	['beta(2, 5)', { type: 'beta', alpha: 2, beta: 5 }, { mean: 2 / 7, sd: Math.sqrt(10 / (49 * 8)) }],
	['beta(0.5, 0.5)', { type: 'beta', alpha: 0.5, beta: 0.5 }, { mean: 0.5, sd: Math.sqrt(0.25 / 2) }],
	['gamma(shape 3, scale 2)', { type: 'gamma', shape: 3, scale: 2 }, { mean: 6, sd: Math.sqrt(12) }],
	['gamma(shape 0.4, scale 10)', { type: 'gamma', shape: 0.4, scale: 10 }, { mean: 4, sd: Math.sqrt(40) }],
	['lognormal(0, 0.5)', { type: 'lognormal', meanlog: 0, sdlog: 0.5 }, { mean: Math.exp(0.125), sd: Math.exp(0.125) * Math.sqrt(Math.exp(0.25) - 1) }],
	['normal(10, 3)', { type: 'normal', mean: 10, sd: 3 }, { mean: 10, sd: 3 }],
	['uniform(2, 8)', { type: 'uniform', min: 2, max: 8 }, { mean: 5, sd: 6 / Math.sqrt(12) }],
	['triangular(0, 1, 4)', { type: 'triangular', min: 0, mode: 1, max: 4 }, { mean: 5 / 3, sd: Math.sqrt((0 + 16 + 1 - 0 - 0 - 4) / 18) }]
];

describe('samplers: sample moments match the distribution within Monte-Carlo error', () => {
	const n = 200_000;
	for (const [name, d, m] of cases)
		it(name, () => {
			expect(distributionMoments(d).mean).toBeCloseTo(m.mean, 10);
			expect(distributionMoments(d).sd).toBeCloseTo(m.sd, 10);
			const rng = createRandom(99);
			let sum = 0;
			let sq = 0;
			for (let i = 0; i < n; i++) {
				const x = sample(d, rng);
				sum += x;
				sq += x * x;
			}
			const mean = sum / n;
			const sd = Math.sqrt(sq / n - mean * mean);
			expect(Math.abs(mean - m.mean)).toBeLessThan(5 * (m.sd / Math.sqrt(n)));
			// the sd of a sample sd is about sd / sqrt(2n) for near-normal data; allow generously for skew
			expect(Math.abs(sd - m.sd) / m.sd).toBeLessThan(0.02);
		});

	for (const [name, d] of cases)
		it(`${name}: the quantile function inverts jStat's CDF`, () => {
			for (const u of [0.01, 0.2, 0.5, 0.9, 0.999]) {
				const x = quantile(d, u);
				let cdf: number;
				if (d.type === 'beta') cdf = jStat.beta.cdf(x, d.alpha, d.beta);
				else if (d.type === 'gamma') cdf = jStat.gamma.cdf(x, d.shape, d.scale);
				else if (d.type === 'lognormal') cdf = jStat.normal.cdf(Math.log(x), d.meanlog, d.sdlog);
				else if (d.type === 'normal') cdf = jStat.normal.cdf(x, d.mean, d.sd);
				else if (d.type === 'uniform') cdf = (x - d.min) / (d.max - d.min);
				else if (d.type === 'triangular')
					cdf = x <= d.mode ? ((x - d.min) ** 2) / ((d.max - d.min) * (d.mode - d.min)) : 1 - ((d.max - x) ** 2) / ((d.max - d.min) * (d.max - d.mode));
				else throw new Error('untested');
				expect(cdf).toBeCloseTo(u, 6);
			}
		});
});

function model(extra: Partial<ModelInput>): ModelInput {
	return {
		formatVersion: 1,
		id: 'm',
		title: 'm',
		description: 'm',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 2,
		startAge: 40,
		discountRates: { costs: 0, outcomes: 0 },
		cycleCorrection: 'end',
		willingnessToPay: 20000,
		costCategories: [{ id: 'c', label: 'c' }],
		parameters: {},
		states: [{ id: 'a', label: 'a' }],
		strategies: [{ id: 's', label: 's', start: { a: 1 }, transitions: { a: { a: 1 } } }],
		...extra
	};
}

describe('joint draws: Dirichlet groups and correlations', () => {
	it('a Dirichlet group sums to its base total with means alpha_i / sum(alpha) x total', () => {
		const cm = compile(
			model({
				parameters: {
					x: { ...base, kind: 'probability', value: 0.5, distribution: { type: 'dirichlet', group: 'g', alpha: 10 } },
					y: { ...base, kind: 'probability', value: 0.3, distribution: { type: 'dirichlet', group: 'g', alpha: 20 } },
					z: { ...base, kind: 'probability', value: 0.1, distribution: { type: 'dirichlet', group: 'g', alpha: 70 } }
				}
			})
		);
		const sampler = createSampler(cm, cm.baseValues);
		const rng = createRandom(5);
		const out = new Float64Array(3);
		const sums = [0, 0, 0];
		const n = 50_000;
		let worst = 0;
		for (let i = 0; i < n; i++) {
			sampler.draw(rng, out);
			worst = Math.max(worst, Math.abs(out[0] + out[1] + out[2] - 0.9));
			for (let k = 0; k < 3; k++) sums[k] += out[k];
		}
		expect(worst).toBeLessThan(1e-12);
		// Dirichlet(10, 20, 70) means 0.1, 0.2, 0.7, times total 0.9; sd of x ~ 0.9 * 0.03 -> SE 0.00013
		expect(sums[0] / n).toBeCloseTo(0.09, 3);
		expect(sums[1] / n).toBeCloseTo(0.18, 3);
		expect(sums[2] / n).toBeCloseTo(0.63, 3);
	});

	it('correlated normals have the declared correlation (Gaussian copula)', () => {
		const cm = compile(
			model({
				parameters: {
					x: { ...base, value: 0, distribution: { type: 'normal', sd: 1 } },
					y: { ...base, value: 5, distribution: { type: 'normal', sd: 2 } },
					w: { ...base, value: 1, distribution: { type: 'uniform', min: 0, max: 2 } }
				},
				correlations: [{ a: 'x', b: 'y', rho: -0.6, assumption: 'test' }]
			})
		);
		const sampler = createSampler(cm, cm.baseValues);
		const rng = createRandom(11);
		const out = new Float64Array(3);
		const n = 50_000;
		const xs = new Float64Array(n);
		const ys = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			sampler.draw(rng, out);
			xs[i] = out[sampler.parameterIds.indexOf('x')];
			ys[i] = out[sampler.parameterIds.indexOf('y')];
		}
		const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
		const mx = mean(xs);
		const my = mean(ys);
		let sxy = 0;
		let sxx = 0;
		let syy = 0;
		for (let i = 0; i < n; i++) {
			sxy += (xs[i] - mx) * (ys[i] - my);
			sxx += (xs[i] - mx) ** 2;
			syy += (ys[i] - my) ** 2;
		}
		// SE of r near -0.6 with n = 50,000 is (1 - r^2)/sqrt(n) = 0.0029
		expect(sxy / Math.sqrt(sxx * syy)).toBeCloseTo(-0.6, 1);
		expect(Math.abs(sxy / Math.sqrt(sxx * syy) + 0.6)).toBeLessThan(0.015);
		expect(my).toBeCloseTo(5, 1);
	});

	it('inconsistent correlations are an error naming the pair', () => {
		const cm = compile(
			model({
				parameters: {
					a: { ...base, value: 0, distribution: { type: 'normal', sd: 1 } },
					b: { ...base, value: 0, distribution: { type: 'normal', sd: 1 } },
					c: { ...base, value: 0, distribution: { type: 'normal', sd: 1 } }
				},
				correlations: [
					{ a: 'a', b: 'b', rho: 0.9, assumption: 't' },
					{ a: 'b', b: 'c', rho: 0.9, assumption: 't' },
					{ a: 'a', b: 'c', rho: -0.9, assumption: 't' }
				]
			})
		);
		expect(() => createSampler(cm, cm.baseValues)).toThrow(/correlations\.\d.*not positive definite/);
	});
});
