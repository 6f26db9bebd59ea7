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
 * under a scenario), by the method of moments of the file's head: beta alpha = m (m (1 - m) / s^2 - 1),
 * beta = alpha (1 - m) / m; gamma shape = m^2 / s^2, scale = s^2 / m; lognormal sdlog^2 =
 * log(1 + s^2 / m^2), meanlog = log(m) - sdlog^2 / 2 (Briggs, Claxton & Sculpher 2006, ch. 4).
 * Throws a ModelError naming `parameters.<id>.distribution` when they cannot be derived.
 *
 * @example
 * resolveDistribution('p', { kind: 'probability', value: 0.2, distribution: { type: 'beta', se: 0.04 }, ... })
 * // { type: 'beta', alpha: 19.8, beta: 79.2 }
 * resolveDistribution('c', { kind: 'cost', value: 100, distribution: { type: 'gamma', se: 20 }, ... })
 * // { type: 'gamma', shape: 25, scale: 4 }
 */
export function resolveDistribution(id: string, p: Parameter, value = p.value as number): ResolvedDistribution {
	const path = joinPath('parameters', id, 'distribution');
	const fail = (message: string): never => {
		throw new ModelError(issue(path, 'distribution', message));
	};
	const distribution = p.distribution;
	if (!distribution || distribution.type === 'fixed') return { type: 'fixed', value };
	const rangeSe = (): number => {
		if (p.low === undefined || p.high === undefined) return fail(`${distribution.type} with fromRange needs low and high`);
		return (p.high - p.low) / RANGE_WIDTH_IN_SE;
	};
	switch (distribution.type) {
		case 'beta': {
			if (distribution.alpha !== undefined && distribution.beta !== undefined) return { type: 'beta', alpha: distribution.alpha, beta: distribution.beta };
			const mean = distribution.mean ?? value;
			const standardError = distribution.fromRange ? rangeSe() : (distribution.se ?? fail('beta needs se, alpha and beta, or fromRange'));
			if (!(mean > 0 && mean < 1)) fail(`beta mean ${mean} must be strictly between 0 and 1`);
			if (!(standardError > 0) || standardError * standardError >= mean * (1 - mean)) fail(`beta standard error ${standardError} is not in (0, sqrt(mean (1 - mean))) for mean ${mean}`);
			const alpha = mean * ((mean * (1 - mean)) / (standardError * standardError) - 1);
			return { type: 'beta', alpha, beta: (alpha * (1 - mean)) / mean };
		}
		case 'gamma': {
			if (distribution.shape !== undefined && distribution.scale !== undefined) return { type: 'gamma', shape: distribution.shape, scale: distribution.scale };
			const mean = distribution.mean ?? value;
			const standardError = distribution.fromRange ? rangeSe() : (distribution.se ?? fail('gamma needs se, shape and scale, or fromRange'));
			if (!(mean > 0)) fail(`gamma mean ${mean} must be above 0`);
			if (!(standardError > 0)) fail(`gamma standard error ${standardError} must be above 0`);
			return { type: 'gamma', shape: (mean * mean) / (standardError * standardError), scale: (standardError * standardError) / mean };
		}
		case 'lognormal': {
			if (distribution.meanlog !== undefined && distribution.sdlog !== undefined) return { type: 'lognormal', meanlog: distribution.meanlog, sdlog: distribution.sdlog };
			if (distribution.fromRange) {
				if (p.low === undefined || p.high === undefined || !(p.low > 0)) fail('lognormal with fromRange needs 0 < low < high');
				if (!(value > 0)) fail(`lognormal needs a value above 0, got ${value}`);
				const sdlog = (Math.log(p.high as number) - Math.log(p.low as number)) / RANGE_WIDTH_IN_SE;
				if (!(sdlog > 0)) fail('lognormal with fromRange needs low below high');
				return { type: 'lognormal', meanlog: Math.log(value), sdlog };
			}
			const mean = distribution.mean ?? value;
			const standardError = distribution.se ?? fail('lognormal needs se, meanlog and sdlog, or fromRange');
			if (!(mean > 0)) fail(`lognormal mean ${mean} must be above 0`);
			const variancelog = Math.log(1 + (standardError * standardError) / (mean * mean));
			return { type: 'lognormal', meanlog: Math.log(mean) - variancelog / 2, sdlog: Math.sqrt(variancelog) };
		}
		case 'normal': {
			const sd = distribution.fromRange ? rangeSe() : (distribution.sd ?? fail('normal needs sd or fromRange'));
			if (!(sd > 0)) fail(`normal sd ${sd} must be above 0`);
			return { type: 'normal', mean: distribution.mean ?? value, sd };
		}
		case 'uniform': {
			const min = distribution.min ?? p.low;
			const max = distribution.max ?? p.high;
			if (min === undefined || max === undefined) return fail('uniform needs min and max (or low and high)');
			if (!(min < max)) fail(`uniform min ${min} must be below max ${max}`);
			return { type: 'uniform', min, max };
		}
		case 'triangular': {
			const min = distribution.min ?? p.low;
			const max = distribution.max ?? p.high;
			const mode = distribution.mode ?? value;
			if (min === undefined || max === undefined) return fail('triangular needs min and max (or low and high)');
			if (!(min <= mode && mode <= max && min < max)) fail(`triangular needs min <= mode <= max with min < max (got ${min}, ${mode}, ${max})`);
			return { type: 'triangular', min, mode, max };
		}
		case 'dirichlet':
			return { type: 'dirichlet', group: distribution.group, alpha: distribution.alpha };
	}
}

/**
 * Mean and standard deviation of a resolved distribution: beta mean a / (a + b), sd
 * sqrt(a b / ((a + b)^2 (a + b + 1))); gamma k theta and sqrt(k) theta; lognormal
 * exp(mu + sigma^2 / 2) and mean sqrt(exp(sigma^2) - 1); uniform (min + max) / 2 and
 * (max - min) / sqrt(12); triangular (a + b + c) / 3 and sqrt((a^2 + b^2 + c^2 - ab - ac - bc) / 18).
 * A Dirichlet component's marginal beta needs its group, so NaN.
 *
 * @example
 * distributionMoments({ type: 'gamma', shape: 25, scale: 4 }) // { mean: 100, sd: 20 }
 */
export function distributionMoments(d: ResolvedDistribution): { mean: number; sd: number } {
	switch (d.type) {
		case 'fixed':
			return { mean: d.value, sd: 0 };
		case 'beta': {
			const total = d.alpha + d.beta;
			return { mean: d.alpha / total, sd: Math.sqrt((d.alpha * d.beta) / (total * total * (total + 1))) };
		}
		case 'gamma':
			return { mean: d.shape * d.scale, sd: Math.sqrt(d.shape) * d.scale };
		case 'lognormal': {
			const variancelog = d.sdlog * d.sdlog;
			const mean = Math.exp(d.meanlog + variancelog / 2);
			return { mean, sd: mean * Math.sqrt(Math.exp(variancelog) - 1) };
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

/**
 * A standard normal draw by Marsaglia's polar method (Marsaglia & Bray 1964, SIAM Review
 * 6(3):260-264): u, v uniform on (-1, 1) until s = u^2 + v^2 is in (0, 1), then
 * u sqrt(-2 ln(s) / s). The spare value is discarded so each call uses its own uniforms.
 *
 * @example
 * sampleStandardNormal(createRandom(1)) // one draw of N(0, 1)
 */
export function sampleStandardNormal(rng: RandomSource): number {
	for (;;) {
		const u = 2 * rng.uniform() - 1;
		const v = 2 * rng.uniform() - 1;
		const s = u * u + v * v;
		if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
	}
}

/**
 * A gamma draw with the given shape and scale 1 (Marsaglia & Tsang 2000, ACM TOMS 26(3):363-372),
 * with the boost G(a) = G(a + 1) U^(1/a) for a shape a below 1.
 *
 * @example
 * 4 * sampleGamma(rng, 25) // a draw of a gamma with shape 25 and scale 4 (mean 100)
 */
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
 * c = 1 / sqrt(9 d): v = (1 + c x)^3 for a standard normal x, accepted when
 * u < 1 - 0.0331 x^4 (the squeeze) or ln(u) < x^2 / 2 + d (1 - v + ln(v)); the draw is d v
 * (Marsaglia & Tsang 2000, ACM TOMS 26(3):363-372).
 *
 * @example
 * const d = 25 - 1 / 3;
 * marsagliaTsang(rng, d, 1 / Math.sqrt(9 * d)) // a draw of a gamma with shape 25, scale 1
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

/**
 * A beta draw as X / (X + Y) with X ~ G(alpha), Y ~ G(beta) independent.
 *
 * @example
 * sampleBeta(rng, 19.8, 79.2) // a draw of a beta with mean 0.2
 */
export function sampleBeta(rng: RandomSource, alpha: number, beta: number): number {
	const first = sampleGamma(rng, alpha);
	const second = sampleGamma(rng, beta);
	return first / (first + second);
}

/** The triangular distribution's inverse CDF at u: min + sqrt(u (max - min)(mode - min)) below F(mode), else max - sqrt((1 - u)(max - min)(max - mode)). */
function triangularQuantile(u: number, min: number, mode: number, max: number): number {
	const atMode = (mode - min) / (max - min);
	return u < atMode ? min + Math.sqrt(u * (max - min) * (mode - min)) : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
}

/**
 * One independent draw. A Dirichlet component cannot be drawn alone (see drawDirichlet).
 *
 * @example
 * sample({ type: 'uniform', min: 0.1, max: 0.3 }, createRandom(42)) // 0.1 + 0.2 x 0.6606... = 0.2321
 */
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

/**
 * One parameter's lane sampler (see LaneSampler), set up once: lane b writes what
 * `sample(d, rng)` would draw from lane b's stream.
 *
 * @example
 * const draw = laneSampler({ type: 'gamma', shape: 25, scale: 4 });
 * draw(streams, out, 0, 128); // out[0..127]: one gamma draw per lane
 */
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

/**
 * The inverse distribution function F^-1(u) at u in (0, 1), for correlated draws (beta and
 * gamma by jStat's Newton iterations, the normal and lognormal through the normal quantile).
 *
 * @example
 * quantile({ type: 'normal', mean: 10, sd: 2 }, 0.975) // 13.92
 */
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

/**
 * Standard normal inverse CDF, Phi^-1(u) (jStat, via the inverse complementary error function).
 *
 * @example
 * normalQuantile(0.975) // 1.959964
 */
export function normalQuantile(u: number): number {
	return jStat.normal.inv(u, 0, 1);
}

/**
 * Standard normal CDF, Phi(z) = (1 + erf(z / sqrt(2))) / 2 (jStat).
 *
 * @example
 * normalCdf(1.959964) // 0.975
 */
export function normalCdf(z: number): number {
	return jStat.normal.cdf(z, 0, 1);
}

/**
 * A Dirichlet draw scaled to `total`: independent G(alpha_i) normalised to sum 1, then
 * multiplied by the group's base total, x_i = total G_i / sum_j G_j (Briggs et al. 2006, ch. 4,
 * for transition rows).
 *
 * @example
 * drawDirichlet(rng, [80, 15, 5], 1, out) // out: three shares summing to 1, means 0.80, 0.15, 0.05
 */
export function drawDirichlet(rng: RandomSource, alphas: ArrayLike<number>, total: number, out: Float64Array): void {
	let sum = 0;
	for (let i = 0; i < alphas.length; i++) {
		const gammaDraw = sampleGamma(rng, alphas[i]);
		out[i] = gammaDraw;
		sum += gammaDraw;
	}
	for (let i = 0; i < alphas.length; i++) out[i] = (out[i] / sum) * total;
}

/**
 * A Dirichlet group's draws for a batch side by side, as `drawDirichlet` for each lane: lane b
 * draws from its own stream, component i going to out[rows[i] + b]. Uses scratch columns
 * 0 .. 2 k - 1 for k components.
 *
 * @example
 * dirichletLaneSampler([80, 15, 5])(streams, 1, out, Int32Array.of(0, 128, 256), 128) // each lane's three shares sum to 1
 */
export function dirichletLaneSampler(alphas: ArrayLike<number>): (streams: Streams, total: number, out: Float64Array, rows: Int32Array, n: number) => void {
	const constants = Array.from(alphas, gammaConstants);
	const gammaColumns: Float64Array[] = new Array(constants.length);
	return (streams, total, out, rows, n) => {
		for (let i = 0; i < constants.length; i++) gammaColumns[i] = laneGammas(streams, constants[i], 2 * i, n);
		for (let b = 0; b < n; b++) {
			let sum = 0;
			for (let i = 0; i < gammaColumns.length; i++) sum += gammaColumns[i][b];
			for (let i = 0; i < gammaColumns.length; i++) out[rows[i] + b] = (gammaColumns[i][b] / sum) * total;
		}
	};
}
