/**
 * Parameter distributions for probabilistic sensitivity analysis: how a model file's
 * `distribution` becomes concrete parameters, direct samplers for independent draws, and
 * inverse distribution functions for correlated draws (Gaussian copula, see psa.ts).
 *
 * Parameterisations (Briggs, Claxton & Sculpher 2006, Decision Modelling for Health Economic
 * Evaluation, ch. 4, "method of moments"):
 *  - beta from mean m and standard error s: alpha = m (m (1 - m) / s^2 - 1), beta = alpha (1 - m) / m;
 *  - gamma from m, s: shape = m^2 / s^2, scale = s^2 / m;
 *  - lognormal from the natural-scale m, s: sdlog^2 = log(1 + s^2 / m^2), meanlog = log(m) - sdlog^2 / 2;
 *  - `fromRange`: low/high are a 95% interval, s = (high - low) / (2 x 1.96); for the lognormal
 *    meanlog = log(value) and sdlog = (log(high) - log(low)) / 3.92 (the interval is symmetric
 *    on the log scale, as for a published relative risk);
 *  - uniform and triangular bounds default to low/high, the triangular mode to the value.
 * The mean defaults to the parameter's value.
 *
 * Samplers: normal by Marsaglia's polar method; gamma by Marsaglia & Tsang (2000, ACM TOMS
 * 26(3):363-372), with the boost G(a) = G(a + 1) U^(1/a) for a < 1; beta as G(a) / (G(a) + G(b));
 * triangular and uniform by inversion. Inverse CDFs of beta and gamma come from jStat (Newton
 * iterations, relative tolerance 1e-8); jStat's own samplers use Math.random and are not used.
 * The PSA draws each parameter in every iteration, a batch of iterations at a time, so
 * `laneSampler` and `dirichletLaneSampler` set a parameter's sampler up once (its type looked at,
 * gamma's constants worked out) and return a loop over the batch's lanes, each lane drawing
 * from its own stream; each lane takes the same values from its stream as `sample` and
 * `drawDirichlet`.
 */
import jStatModule from 'jstat';
import type { Parameter } from '../model/schema';
import { ModelError, issue, joinPath } from '../errors';
import type { RandomSource } from './random';
import type { Streams } from './variates';

// jStat is CommonJS: Vite and tsx give the object as the default import
const jStat = jStatModule;

/** 2 x 1.96: the width of a 95% normal interval in standard errors. */
export const RANGE_WIDTH_IN_SE = 3.92;

export type ResolvedDistribution =
	| { type: 'fixed'; value: number }
	| { type: 'beta'; alpha: number; beta: number }
	| { type: 'gamma'; shape: number; scale: number }
	| { type: 'lognormal'; meanlog: number; sdlog: number }
	| { type: 'normal'; mean: number; sd: number }
	| { type: 'uniform'; min: number; max: number }
	| { type: 'triangular'; min: number; mode: number; max: number }
	/** one component of a Dirichlet group, drawn jointly with its group (sampler.ts) */
	| { type: 'dirichlet'; group: string; alpha: number };

/**
 * The concrete distribution of a plain parameter (`value` overrides the model's value, e.g.
 * under a scenario). Throws a ModelError naming `parameters.<id>.distribution` when the
 * parameters cannot be derived.
 */
export function resolveDistribution(id: string, p: Parameter, value = p.value as number): ResolvedDistribution {
	const path = joinPath('parameters', id, 'distribution');
	const fail = (message: string): never => {
		throw new ModelError(issue(path, 'distribution', message));
	};
	const d = p.distribution;
	if (!d || d.type === 'fixed') return { type: 'fixed', value };
	const rangeSe = (): number => {
		if (p.low === undefined || p.high === undefined) return fail(`${d.type} with fromRange needs low and high`);
		return (p.high - p.low) / RANGE_WIDTH_IN_SE;
	};
	switch (d.type) {
		case 'beta': {
			if (d.alpha !== undefined && d.beta !== undefined) return { type: 'beta', alpha: d.alpha, beta: d.beta };
			const m = d.mean ?? value;
			const s = d.fromRange ? rangeSe() : (d.se ?? fail('beta needs se, alpha and beta, or fromRange'));
			if (!(m > 0 && m < 1)) fail(`beta mean ${m} must be strictly between 0 and 1`);
			if (!(s > 0) || s * s >= m * (1 - m)) fail(`beta standard error ${s} is not in (0, sqrt(mean (1 - mean))) for mean ${m}`);
			const alpha = m * ((m * (1 - m)) / (s * s) - 1);
			return { type: 'beta', alpha, beta: (alpha * (1 - m)) / m };
		}
		case 'gamma': {
			if (d.shape !== undefined && d.scale !== undefined) return { type: 'gamma', shape: d.shape, scale: d.scale };
			const m = d.mean ?? value;
			const s = d.fromRange ? rangeSe() : (d.se ?? fail('gamma needs se, shape and scale, or fromRange'));
			if (!(m > 0)) fail(`gamma mean ${m} must be above 0`);
			if (!(s > 0)) fail(`gamma standard error ${s} must be above 0`);
			return { type: 'gamma', shape: (m * m) / (s * s), scale: (s * s) / m };
		}
		case 'lognormal': {
			if (d.meanlog !== undefined && d.sdlog !== undefined) return { type: 'lognormal', meanlog: d.meanlog, sdlog: d.sdlog };
			if (d.fromRange) {
				if (p.low === undefined || p.high === undefined || !(p.low > 0)) fail('lognormal with fromRange needs 0 < low < high');
				if (!(value > 0)) fail(`lognormal needs a value above 0, got ${value}`);
				const sdlog = (Math.log(p.high as number) - Math.log(p.low as number)) / RANGE_WIDTH_IN_SE;
				if (!(sdlog > 0)) fail('lognormal with fromRange needs low below high');
				return { type: 'lognormal', meanlog: Math.log(value), sdlog };
			}
			const m = d.mean ?? value;
			const s = d.se ?? fail('lognormal needs se, meanlog and sdlog, or fromRange');
			if (!(m > 0)) fail(`lognormal mean ${m} must be above 0`);
			const v = Math.log(1 + (s * s) / (m * m));
			return { type: 'lognormal', meanlog: Math.log(m) - v / 2, sdlog: Math.sqrt(v) };
		}
		case 'normal': {
			const sd = d.fromRange ? rangeSe() : (d.sd ?? fail('normal needs sd or fromRange'));
			if (!(sd > 0)) fail(`normal sd ${sd} must be above 0`);
			return { type: 'normal', mean: d.mean ?? value, sd };
		}
		case 'uniform': {
			const min = d.min ?? p.low;
			const max = d.max ?? p.high;
			if (min === undefined || max === undefined) return fail('uniform needs min and max (or low and high)');
			if (!(min < max)) fail(`uniform min ${min} must be below max ${max}`);
			return { type: 'uniform', min, max };
		}
		case 'triangular': {
			const min = d.min ?? p.low;
			const max = d.max ?? p.high;
			const mode = d.mode ?? value;
			if (min === undefined || max === undefined) return fail('triangular needs min and max (or low and high)');
			if (!(min <= mode && mode <= max && min < max)) fail(`triangular needs min <= mode <= max with min < max (got ${min}, ${mode}, ${max})`);
			return { type: 'triangular', min, mode, max };
		}
		case 'dirichlet':
			return { type: 'dirichlet', group: d.group, alpha: d.alpha };
	}
}

/** Mean and standard deviation of a resolved distribution (for a Dirichlet component: its marginal beta needs the group, so NaN). */
export function distributionMoments(d: ResolvedDistribution): { mean: number; sd: number } {
	switch (d.type) {
		case 'fixed':
			return { mean: d.value, sd: 0 };
		case 'beta': {
			const n = d.alpha + d.beta;
			return { mean: d.alpha / n, sd: Math.sqrt((d.alpha * d.beta) / (n * n * (n + 1))) };
		}
		case 'gamma':
			return { mean: d.shape * d.scale, sd: Math.sqrt(d.shape) * d.scale };
		case 'lognormal': {
			const v = d.sdlog * d.sdlog;
			const mean = Math.exp(d.meanlog + v / 2);
			return { mean, sd: mean * Math.sqrt(Math.exp(v) - 1) };
		}
		case 'normal':
			return { mean: d.mean, sd: d.sd };
		case 'uniform':
			return { mean: (d.min + d.max) / 2, sd: (d.max - d.min) / Math.sqrt(12) };
		case 'triangular': {
			const { min: a, mode: c, max: b } = d;
			return { mean: (a + b + c) / 3, sd: Math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18) };
		}
		case 'dirichlet':
			return { mean: NaN, sd: NaN };
	}
}

/** A standard normal draw (Marsaglia's polar method; the spare value is discarded so each call uses its own uniforms). */
export function sampleStandardNormal(rng: RandomSource): number {
	for (;;) {
		const u = 2 * rng.uniform() - 1;
		const v = 2 * rng.uniform() - 1;
		const s = u * u + v * v;
		if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
	}
}

/** A gamma draw with the given shape and scale 1 (Marsaglia & Tsang 2000). */
export function sampleGamma(rng: RandomSource, shape: number): number {
	return gammaDraw(rng, gammaConstants(shape));
}

/**
 * Marsaglia & Tsang's constants for a shape: d = s - 1/3 and c = 1 / sqrt(9 d) with s the shape,
 * or, for a shape a below 1, s = a + 1 and the boost G(a) = G(a + 1) U^(1/a) (power 1/a; 0: none).
 */
interface GammaConstants {
	d: number;
	c: number;
	power: number;
}

function gammaConstants(shape: number): GammaConstants {
	const boosted = shape < 1;
	const d = (boosted ? shape + 1 : shape) - 1 / 3;
	return { d, c: 1 / Math.sqrt(9 * d), power: boosted ? 1 / shape : 0 };
}

function gammaDraw(rng: RandomSource, g: GammaConstants): number {
	const x = marsagliaTsang(rng, g.d, g.c);
	return g.power === 0 ? x : x * Math.pow(rng.uniformOpen(), g.power);
}

/**
 * Marsaglia & Tsang's method for a shape of at least 1, given its constants d = shape - 1/3 and
 * c = 1 / sqrt(9 d): a cubed normal, accepted by a quick squeeze or else by the log test.
 */
export function marsagliaTsang(rng: RandomSource, d: number, c: number): number {
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = sampleStandardNormal(rng);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = rng.uniformOpen();
		if (u < 1 - 0.0331 * x * x * x * x) return d * v;
		if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
	}
}

export function sampleBeta(rng: RandomSource, alpha: number, beta: number): number {
	const x = sampleGamma(rng, alpha);
	const y = sampleGamma(rng, beta);
	return x / (x + y);
}

function triangularQuantile(u: number, a: number, c: number, b: number): number {
	const f = (c - a) / (b - a);
	return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/** One independent draw. A Dirichlet component cannot be drawn alone (see drawDirichlet). */
export function sample(d: ResolvedDistribution, rng: RandomSource): number {
	switch (d.type) {
		case 'fixed':
			return d.value;
		case 'beta':
			return sampleBeta(rng, d.alpha, d.beta);
		case 'gamma':
			return sampleGamma(rng, d.shape) * d.scale;
		case 'lognormal':
			return Math.exp(d.meanlog + d.sdlog * sampleStandardNormal(rng));
		case 'normal':
			return d.mean + d.sd * sampleStandardNormal(rng);
		case 'uniform':
			return d.min + (d.max - d.min) * rng.uniform();
		case 'triangular':
			return triangularQuantile(rng.uniform(), d.min, d.mode, d.max);
		case 'dirichlet':
			throw new Error(`Dirichlet component of group "${d.group}" is drawn with its group`);
	}
}

/**
 * One parameter's draws for a batch of iterations side by side: lane b (0 <= b < n) draws from
 * its own stream into out[at + b], the same values as `sample(d, rng)` from that stream. The
 * variates come a lane at a time from `streams` (variates.ts); the distribution's type is looked
 * at and gamma's constants are worked out once, when the sampler is made. Uses scratch columns
 * 0 to 3.
 */
export type LaneSampler = (streams: Streams, out: Float64Array, at: number, n: number) => void;

/**
 * Each lane's gamma draw (scale 1) into scratch column `into`, the boost's uniforms (a shape
 * below 1) in column `into + 1`: as `gammaDraw`, lane by lane.
 */
function laneGammas(streams: Streams, g: GammaConstants, into: number, n: number): Float64Array {
	const x = streams.scratch(into);
	streams.gammas(g.d, g.c, x, n);
	if (g.power !== 0) {
		const u = streams.scratch(into + 1);
		streams.uniforms(0.5, u, n);
		for (let b = 0; b < n; b++) x[b] = x[b] * Math.pow(u[b], g.power);
	}
	return x;
}

export function laneSampler(d: ResolvedDistribution): LaneSampler {
	switch (d.type) {
		case 'fixed': {
			const value = d.value;
			return (_streams, out, at, n) => out.fill(value, at, at + n);
		}
		case 'beta': {
			const x = gammaConstants(d.alpha);
			const y = gammaConstants(d.beta);
			return (streams, out, at, n) => {
				const gx = laneGammas(streams, x, 0, n);
				const gy = laneGammas(streams, y, 2, n);
				for (let b = 0; b < n; b++) out[at + b] = gx[b] / (gx[b] + gy[b]);
			};
		}
		case 'gamma': {
			const g = gammaConstants(d.shape);
			const scale = d.scale;
			return (streams, out, at, n) => {
				const x = laneGammas(streams, g, 0, n);
				for (let b = 0; b < n; b++) out[at + b] = x[b] * scale;
			};
		}
		case 'lognormal': {
			const { meanlog, sdlog } = d;
			return (streams, out, at, n) => {
				const z = streams.scratch(0);
				streams.normals(z, n);
				for (let b = 0; b < n; b++) out[at + b] = Math.exp(meanlog + sdlog * z[b]);
			};
		}
		case 'normal': {
			const { mean, sd } = d;
			return (streams, out, at, n) => {
				const z = streams.scratch(0);
				streams.normals(z, n);
				for (let b = 0; b < n; b++) out[at + b] = mean + sd * z[b];
			};
		}
		case 'uniform': {
			const min = d.min;
			const width = d.max - d.min;
			return (streams, out, at, n) => {
				const u = streams.scratch(0);
				streams.uniforms(0, u, n);
				for (let b = 0; b < n; b++) out[at + b] = min + width * u[b];
			};
		}
		case 'triangular': {
			const { min, mode, max } = d;
			return (streams, out, at, n) => {
				const u = streams.scratch(0);
				streams.uniforms(0, u, n);
				for (let b = 0; b < n; b++) out[at + b] = triangularQuantile(u[b], min, mode, max);
			};
		}
		case 'dirichlet':
			throw new Error(`Dirichlet component of group "${d.group}" is drawn with its group`);
	}
}

/** The inverse distribution function at u in (0, 1), for correlated draws. */
export function quantile(d: ResolvedDistribution, u: number): number {
	switch (d.type) {
		case 'fixed':
			return d.value;
		case 'beta':
			return jStat.beta.inv(u, d.alpha, d.beta);
		case 'gamma':
			return jStat.gamma.inv(u, d.shape, d.scale);
		case 'lognormal':
			return Math.exp(d.meanlog + d.sdlog * normalQuantile(u));
		case 'normal':
			return d.mean + d.sd * normalQuantile(u);
		case 'uniform':
			return d.min + (d.max - d.min) * u;
		case 'triangular':
			return triangularQuantile(u, d.min, d.mode, d.max);
		case 'dirichlet':
			throw new Error(`Dirichlet component of group "${d.group}" has no marginal quantile here`);
	}
}

/** Standard normal inverse CDF (jStat, via the inverse complementary error function). */
export function normalQuantile(u: number): number {
	return jStat.normal.inv(u, 0, 1);
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
	return jStat.normal.cdf(z, 0, 1);
}

/**
 * A Dirichlet draw scaled to `total`: independent G(alpha_i) normalised to sum 1, then
 * multiplied by the group's base total (Briggs et al. 2006, ch. 4, for transition rows).
 */
export function drawDirichlet(rng: RandomSource, alphas: ArrayLike<number>, total: number, out: Float64Array): void {
	let sum = 0;
	for (let i = 0; i < alphas.length; i++) {
		const g = sampleGamma(rng, alphas[i]);
		out[i] = g;
		sum += g;
	}
	for (let i = 0; i < alphas.length; i++) out[i] = (out[i] / sum) * total;
}

/**
 * A Dirichlet group's draws for a batch side by side, as `drawDirichlet` for each lane: lane b
 * draws from its own stream, component i going to out[rows[i] + b]. Uses scratch columns
 * 0 .. 2 k - 1 for k components.
 */
export function dirichletLaneSampler(alphas: ArrayLike<number>): (streams: Streams, total: number, out: Float64Array, rows: Int32Array, n: number) => void {
	const gammas = Array.from(alphas, gammaConstants);
	const g: Float64Array[] = new Array(gammas.length);
	return (streams, total, out, rows, n) => {
		for (let i = 0; i < gammas.length; i++) g[i] = laneGammas(streams, gammas[i], 2 * i, n);
		for (let b = 0; b < n; b++) {
			let sum = 0;
			for (let i = 0; i < g.length; i++) sum += g[i][b];
			for (let i = 0; i < g.length; i++) out[rows[i] + b] = (g[i][b] / sum) * total;
		}
	};
}
