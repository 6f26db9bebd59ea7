/**
 * EVSI and the EVPPI curve against closed forms worked out here, independently of the code:
 *  - normal prior theta ~ N(mu0, s0^2), trial estimate T ~ N(theta, sd^2 / n), INB linear in theta:
 *    the posterior mean of INB is N(m, v) with m = a + b mu0 and SD |b| s0^2 / sqrt(s0^2 + sd^2 / n)
 *    (preposterior analysis; Raiffa & Schlaifer 1961), so EVSI = E[max(0, X)] - max(0, m) for
 *    X ~ N(m, v), the unit normal loss v phi(m / v) - |m| Phi(-|m| / v);
 *  - beta prior, binomial trial: E[theta | X] = (alpha + X) / (alpha + beta + n) with X
 *    beta-binomial, so EVSI is a finite sum over X = 0..n.
 */
import { describe, expect, it } from 'vitest';
import jStat from 'jstat';
import { createRandom, evppi, evppiCurve, evsi, sampleBeta, sampleBinomial, sampleStandardNormal, ModelError, type PsaWithDraws } from '../../src/lib/engine';

/** E[max(0, X)] - max(0, m) for X ~ N(m, sd^2): sd phi(m / sd) - |m| Phi(-|m| / sd). */
function normalLoss(m: number, sd: number): number {
	return sd * jStat.normal.pdf(m / sd, 0, 1) - Math.abs(m) * jStat.normal.cdf(-Math.abs(m) / sd, 0, 1);
}

const N = 20_000;
const [a, b, c] = [300, -2000, 600];
const [mu0, s0] = [0, 0.5];
const sd = 2;

/** Two strategies, A (reference) at zero; B's INB = a + b theta + c y at a willingness to pay of 1 (effect = INB, cost 0). */
function psaOf(theta: Float64Array, y: Float64Array): PsaWithDraws {
	const qaly = new Float64Array(N * 2);
	const draws = new Float64Array(N * 2);
	for (let i = 0; i < N; i++) {
		qaly[i * 2 + 1] = a + b * theta[i] + c * y[i];
		draws[i * 2] = theta[i];
		draws[i * 2 + 1] = y[i];
	}
	return { iterations: N, strategyIds: ['A', 'B'], cost: new Float64Array(N * 2), qaly, parameterIds: ['theta', 'y'], draws };
}

const rng = createRandom(2015);
const theta = Float64Array.from({ length: N }, () => mu0 + s0 * sampleStandardNormal(rng));
const y = Float64Array.from({ length: N }, () => sampleStandardNormal(rng));
const psa = psaOf(theta, y);

describe('EVSI: normal prior, normal likelihood, INB linear in the parameter', () => {
	const sizes = [5, 20, 100, 1000];
	const r = evsi(psa, { parameter: 'theta', sampleSizes: sizes, likelihood: { kind: 'normal', sd }, willingnessToPay: 1, referenceId: 'A', seed: 7 });
	const exact = (n: number) => normalLoss(a + b * mu0, (Math.abs(b) * s0 * s0) / Math.sqrt(s0 * s0 + (sd * sd) / n));

	it('each EVSI is within 3 Monte Carlo standard errors of the closed form', () => {
		for (const p of r.points) {
			expect(p.standardError).toBeGreaterThan(0);
			expect(Math.abs(p.evsi - exact(p.sampleSize))).toBeLessThan(3 * p.standardError);
		}
	});

	it('EVSI rises with n, stays below EVPPI, and tends to it (EVPPI closed form: SD |b| s0)', () => {
		const values = r.points.map((p) => p.evsi);
		for (let j = 1; j < values.length; j++) expect(values[j]).toBeGreaterThan(values[j - 1]);
		for (const v of values) expect(v).toBeLessThanOrEqual(r.evppi);
		const evppiExact = normalLoss(a + b * mu0, Math.abs(b) * s0);
		expect(Math.abs(r.evppi - evppiExact) / evppiExact).toBeLessThan(0.03);
		const huge = evsi(psa, { parameter: 'theta', sampleSizes: [1_000_000], likelihood: { kind: 'normal', sd }, willingnessToPay: 1, referenceId: 'A' });
		expect(Math.abs(huge.points[0].evsi - r.evppi) / r.evppi).toBeLessThan(0.01);
		expect(r.evppi).toBeLessThan(r.evpi);
	});

	it('the standard error is the spread of the estimate: z-scores over 12 independent PSA samples have SD about 1', () => {
		// guards the test above from passing because of an inflated standard error
		const M = 5000;
		const z: number[] = [];
		for (let k = 1; k <= 12; k++) {
			const g = createRandom(100 + k);
			const qaly = new Float64Array(M * 2);
			const draws = new Float64Array(M);
			for (let i = 0; i < M; i++) {
				draws[i] = mu0 + s0 * sampleStandardNormal(g);
				qaly[i * 2 + 1] = a + b * draws[i] + c * sampleStandardNormal(g);
			}
			const small: PsaWithDraws = { iterations: M, strategyIds: ['A', 'B'], cost: new Float64Array(M * 2), qaly, parameterIds: ['theta'], draws };
			for (const p of evsi(small, { parameter: 'theta', sampleSizes: sizes, likelihood: { kind: 'normal', sd }, willingnessToPay: 1, seed: k }).points) z.push((p.evsi - exact(p.sampleSize)) / p.standardError);
		}
		const mean = z.reduce((x, v) => x + v, 0) / z.length;
		const spread = Math.sqrt(z.reduce((x, v) => x + (v - mean) ** 2, 0) / (z.length - 1));
		expect(Math.abs(mean)).toBeLessThan(0.75);
		expect(spread).toBeGreaterThan(0.6);
		expect(spread).toBeLessThan(1.5);
	});

	it('a log-normal trial on a ratio gives the closed form on the log scale', () => {
		// the same case with theta = exp(log ratio): INB linear in the log ratio
		const ratio = psaOf(theta, y);
		ratio.draws = ratio.draws.map((v, j) => (j % 2 === 0 ? Math.exp(v) : v));
		const lr = evsi(ratio, { parameter: 'theta', sampleSizes: [20], likelihood: { kind: 'log-normal', sd }, willingnessToPay: 1, referenceId: 'A', seed: 7 });
		expect(Math.abs(lr.points[0].evsi - exact(20))).toBeLessThan(3 * lr.points[0].standardError);
	});

	it('population EVSI, study cost, ENBS and the optimal size by hand', () => {
		const pop = { annualPopulation: 1000, years: 3, discountRate: 0.05 };
		const effective = 1000 + 1000 / 1.05 + 1000 / 1.05 ** 2;
		const s = evsi(psa, { parameter: 'theta', sampleSizes: sizes, likelihood: { kind: 'normal', sd }, willingnessToPay: 1, referenceId: 'A', seed: 7, population: pop, studyCost: { fixed: 100_000, perPatient: 500 } });
		expect(s.effectivePopulation).toBeCloseTo(effective, 6);
		s.points.forEach((p, j) => {
			expect(p.evsi).toBe(r.points[j].evsi);
			expect(p.populationEvsi).toBeCloseTo(p.evsi * effective, 4);
			expect(p.studyCost).toBe(100_000 + 500 * 2 * p.sampleSize);
			expect(p.enbs).toBeCloseTo((p.populationEvsi as number) - (p.studyCost as number), 4);
		});
		const best = s.points.reduce((x, p) => ((p.enbs as number) > (x.enbs as number) ? p : x));
		expect(s.optimal).toEqual({ sampleSize: best.sampleSize, enbs: best.enbs });
	});
});

describe('EVSI: beta prior, binomial trial', () => {
	const [alpha, beta] = [6, 14];
	const rngB = createRandom(33);
	const p = Float64Array.from({ length: N }, () => sampleBeta(rngB, alpha, beta));
	// INB = 1000 - 4000 p: B is worth adopting when p < 0.25 (prior mean 0.3)
	const qaly = new Float64Array(N * 2);
	for (let i = 0; i < N; i++) qaly[i * 2 + 1] = 1000 - 4000 * p[i];
	const bin: PsaWithDraws = { iterations: N, strategyIds: ['A', 'B'], cost: new Float64Array(N * 2), qaly, parameterIds: ['p'], draws: p };

	const logBeta = (x: number, z: number) => jStat.gammaln(x) + jStat.gammaln(z) - jStat.gammaln(x + z);
	const logChoose = (n: number, x: number) => jStat.gammaln(n + 1) - jStat.gammaln(x + 1) - jStat.gammaln(n - x + 1);
	/** sum over X of the beta-binomial probability of X times max(0, INB at the posterior mean), minus max(0, prior INB) */
	function exact(n: number): number {
		let total = 0;
		for (let x = 0; x <= n; x++) {
			const logPmf = logChoose(n, x) + logBeta(x + alpha, n - x + beta) - logBeta(alpha, beta);
			total += Math.exp(logPmf) * Math.max(0, 1000 - (4000 * (alpha + x)) / (alpha + beta + n));
		}
		return total - Math.max(0, 1000 - (4000 * alpha) / (alpha + beta));
	}

	it('EVSI within 3 Monte Carlo standard errors of the beta-binomial sum', () => {
		// a discrete statistic: the spline fits E[INB | X] at the observed counts
		const r = evsi(bin, { parameter: 'p', sampleSizes: [10, 50, 200], likelihood: { kind: 'binomial' }, willingnessToPay: 1, referenceId: 'A', seed: 3 });
		for (const q of r.points) expect(Math.abs(q.evsi - exact(q.sampleSize))).toBeLessThan(3 * q.standardError + 0.02 * exact(q.sampleSize));
		// nested trials (the first patients of the larger one are the smaller one): rising with n
		expect(r.points[0].evsi).toBeLessThan(r.points[1].evsi);
		expect(r.points[1].evsi).toBeLessThan(r.points[2].evsi);
		expect(r.points[2].evsi).toBeLessThanOrEqual(r.evppi);
		// sizes in any order: the same figures, in the order asked
		const shuffled = evsi(bin, { parameter: 'p', sampleSizes: [200, 10, 50], likelihood: { kind: 'binomial' }, willingnessToPay: 1, referenceId: 'A', seed: 3 });
		expect(shuffled.points.map((q) => q.evsi)).toEqual([r.points[2].evsi, r.points[0].evsi, r.points[1].evsi]);
	});

	it('binomial draws have mean np and variance np(1 - p), for small n and for n split by beta draws', () => {
		for (const [n, q] of [
			[20, 0.3],
			[5000, 0.02]
		]) {
			const g = createRandom(9);
			const xs = Float64Array.from({ length: 40_000 }, () => sampleBinomial(g, n, q));
			const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
			const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1);
			const se = Math.sqrt((n * q * (1 - q)) / xs.length);
			expect(Math.abs(mean - n * q)).toBeLessThan(4 * se);
			expect(Math.abs(variance / (n * q * (1 - q)) - 1)).toBeLessThan(0.04);
			for (const v of xs) expect(Number.isInteger(v) && v >= 0 && v <= n).toBe(true);
		}
	});
});

describe('EVPPI over willingness to pay', () => {
	it('one fit of costs and effects gives at each willingness to pay the EVPPI of a fit of INB at it', () => {
		// costs and effects both depend on theta and y, so the optimal strategy changes with WTP
		const rngC = createRandom(4);
		const cost = new Float64Array(N * 3);
		const qaly = new Float64Array(N * 3);
		for (let i = 0; i < N; i++) {
			cost[i * 3 + 1] = 10_000 + 4000 * theta[i] + 500 * y[i];
			qaly[i * 3 + 1] = 0.5 - 0.3 * theta[i] + 0.05 * sampleStandardNormal(rngC);
			cost[i * 3 + 2] = 25_000 + 2000 * y[i];
			qaly[i * 3 + 2] = 0.9 + 0.2 * y[i] - 0.2 * theta[i];
		}
		const three: PsaWithDraws = { iterations: N, strategyIds: ['A', 'B', 'C'], cost, qaly, parameterIds: ['theta', 'y'], draws: psa.draws };
		const wtps = [0, 10_000, 20_000, 30_000, 50_000];
		const curve = evppiCurve(three, ['theta'], { willingnessToPay: wtps, referenceId: 'A' });
		wtps.forEach((w, j) => {
			const point = evppi(three, ['theta'], { willingnessToPay: w, referenceId: 'A', seSamples: 0 });
			expect(Math.abs(curve.evppi[j] - point.evppi)).toBeLessThanOrEqual(1e-6 * Math.max(1, point.evpi));
			expect(Math.abs(curve.evpi[j] - point.evpi)).toBeLessThanOrEqual(1e-9 * Math.max(1, point.evpi));
			expect(curve.evppi[j]).toBeLessThanOrEqual(curve.evpi[j] + 1e-9);
		});
		expect(curve.evppi.some((v) => v > 0)).toBe(true);
		expect(curve.basisColumns).toBe(8);
	});
});

describe('EVSI refuses bad input, naming the field', () => {
	const base = { parameter: 'theta', sampleSizes: [50], likelihood: { kind: 'normal' as const, sd }, willingnessToPay: 1 };
	const pathOf = (f: () => unknown): string => {
		try {
			f();
		} catch (e) {
			if (e instanceof ModelError) return e.path;
			throw e;
		}
		return 'no error';
	};
	it('unknown parameter, sample sizes, iterations, SD, likelihood, study cost without population', () => {
		expect(pathOf(() => evsi(psa, { ...base, parameter: 'nope' }))).toBe('parameter');
		expect(pathOf(() => evsi(psa, { ...base, sampleSizes: [50, 2.5] }))).toBe('sampleSizes');
		expect(pathOf(() => evsi(psa, { ...base, sampleSizes: [0] }))).toBe('sampleSizes');
		expect(pathOf(() => evsi(psa, { ...base, sampleSizes: [] }))).toBe('sampleSizes');
		expect(pathOf(() => evsi(psa, { ...base, likelihood: { kind: 'normal', sd: -1 } }))).toBe('likelihood.sd');
		expect(pathOf(() => evsi(psa, { ...base, likelihood: { kind: 'binomial' } }))).toBe('likelihood');
		expect(pathOf(() => evsi(psa, { ...base, studyCost: { fixed: 1, perPatient: 1 } }))).toBe('studyCost');
		const short = { ...psa, iterations: 100, cost: psa.cost.slice(0, 200), qaly: psa.qaly.slice(0, 200), draws: psa.draws.slice(0, 200) };
		expect(pathOf(() => evsi(short, base))).toBe('iterations');
		expect(() => evsi(short, base)).toThrow(/at least 200 PSA iterations, got 100/);
	});
});
