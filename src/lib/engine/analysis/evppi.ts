/**
 * Expected value of partial perfect information for a group of parameters, by the
 * regression method of Strong, Oakley & Brennan (2014, Med Decis Making 34(3):311-326):
 * regress each strategy's incremental net benefit (vs a reference) on the group's PSA draws;
 * the fitted values estimate E[INB_s | phi], and
 *
 *     EVPPI = mean_i max_s g_s(phi_i) - max_s mean_i g_s(phi_i),   g_reference = 0.
 *
 * Regression basis (unpenalised regression splines; Strong et al. used mgcv GAMs, which this
 * approximates without the smoothing penalty), on standardised draws:
 *  - one parameter: cubic polynomial plus truncated cubics at the 20/40/60/80% quantiles;
 *  - two parameters: tensor product of (1, x, x^2, x^3, (x - median)^3_+) in each (25 terms);
 *  - three or more: the one-parameter basis for each, plus all pairwise products x_j x_k.
 * Standard error as in Strong et al. section 2.4: the EVPPI recomputed with coefficients drawn
 * from their sampling distribution N(beta_hat, sigma^2 (X'X)^-1), its standard deviation over
 * `seSamples` draws (seeded, so reproducible).
 * Cost: O(iterations x basis^2) per strategy for the fit, O(iterations x basis x seSamples) for the SE.
 */
import { cholesky, choleskySolve } from './linearAlgebra';
import { netBenefits, quantileOf, strategyIndex, type PsaOutcomes } from './outcomes';
import { evpiFromNetBenefits } from './evpi';
import { createRandom } from './random';
import { sampleStandardNormal } from './distributions';

export interface PsaWithDraws extends PsaOutcomes {
	parameterIds: string[];
	/** draws[i * parameterIds.length + k] */
	draws: Float64Array;
}

export interface EvppiOptions {
	willingnessToPay: number;
	referenceId?: string;
	/** coefficient draws for the standard error (default 200; 0 skips it) */
	seSamples?: number;
	seed?: number;
}

export interface EvppiResult {
	parameters: string[];
	willingnessToPay: number;
	evppi: number;
	standardError: number;
	/** EVPI from the same iterations, for comparison (EVPPI <= EVPI up to regression error) */
	evpi: number;
	basisColumns: number;
	/** per strategy, the share of INB variance the group explains (reference: NaN) */
	rSquared: number[];
	method: string;
}

export const EVPPI_METHOD =
	'regression (Strong, Oakley & Brennan 2014): unpenalised cubic regression splines (1 parameter), tensor product (2), additive splines with pairwise products (3+)';

export function evppi(o: PsaWithDraws, group: string[], options: EvppiOptions): EvppiResult {
	const N = o.iterations;
	const S = o.strategyIds.length;
	const K = o.parameterIds.length;
	const ref = strategyIndex(o, options.referenceId ?? o.strategyIds[0], 'reference strategy');
	if (group.length === 0) throw new RangeError('EVPPI needs at least one parameter');
	const columns = group.map((id) => {
		const k = o.parameterIds.indexOf(id);
		if (k < 0) throw new RangeError(`parameter "${id}" was not drawn in this PSA; drawn: ${o.parameterIds.join(', ')}`);
		return k;
	});
	const nmb = netBenefits(o, options.willingnessToPay);
	const evpiValue = evpiFromNetBenefits(nmb, N, S);

	// standardised inputs, constant ones dropped
	const inputs: Float64Array[] = [];
	for (const k of columns) {
		const x = new Float64Array(N);
		let mean = 0;
		for (let i = 0; i < N; i++) mean += x[i] = o.draws[i * K + k];
		mean /= N;
		let v = 0;
		for (let i = 0; i < N; i++) v += (x[i] - mean) ** 2;
		const sd = Math.sqrt(v / Math.max(1, N - 1));
		if (!(sd > 0)) continue;
		for (let i = 0; i < N; i++) x[i] = (x[i] - mean) / sd;
		inputs.push(x);
	}
	const result = (value: number, se: number, p: number, r2: number[]): EvppiResult => ({
		parameters: group,
		willingnessToPay: options.willingnessToPay,
		evppi: value,
		standardError: se,
		evpi: evpiValue,
		basisColumns: p,
		rSquared: r2,
		method: EVPPI_METHOD
	});
	if (inputs.length === 0) return result(0, 0, 0, o.strategyIds.map(() => NaN));

	const basis = buildBasis(inputs);
	const p = basis.length + 1;
	if (p >= N) throw new RangeError(`EVPPI regression needs more iterations than basis terms (${p}); run more iterations or use fewer parameters`);
	// design matrix, row-major N x p, intercept first, other columns centred and scaled
	const X = new Float64Array(N * p);
	for (let i = 0; i < N; i++) X[i * p] = 1;
	basis.forEach((col, j) => {
		let mean = 0;
		for (let i = 0; i < N; i++) mean += col[i];
		mean /= N;
		let v = 0;
		for (let i = 0; i < N; i++) v += (col[i] - mean) ** 2;
		const sd = Math.sqrt(v / N) || 1;
		for (let i = 0; i < N; i++) X[i * p + j + 1] = (col[i] - mean) / sd;
	});
	const xtx = new Float64Array(p * p);
	for (let i = 0; i < N; i++) {
		const r = i * p;
		for (let a = 0; a < p; a++) {
			const xa = X[r + a];
			for (let b = 0; b <= a; b++) xtx[a * p + b] += xa * X[r + b];
		}
	}
	for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[b * p + a] = xtx[a * p + b];
	// a tiny ridge keeps collinear bases (e.g. Dirichlet components summing to a constant) solvable
	for (let a = 0; a < p; a++) xtx[a * p + a] += 1e-8 * N;
	const L = cholesky(xtx, p, 0);
	if (typeof L === 'number') throw new RangeError('EVPPI regression is singular; the parameter group may be constant');

	const fitted: Float64Array[] = [];
	const sigma: number[] = [];
	const r2: number[] = [];
	const y = new Float64Array(N);
	for (let s = 0; s < S; s++) {
		if (s === ref) {
			fitted.push(new Float64Array(N));
			sigma.push(0);
			r2.push(NaN);
			continue;
		}
		let ym = 0;
		for (let i = 0; i < N; i++) ym += y[i] = nmb[i * S + s] - nmb[i * S + ref];
		ym /= N;
		const xty = new Float64Array(p);
		for (let i = 0; i < N; i++) for (let a = 0; a < p; a++) xty[a] += X[i * p + a] * y[i];
		const beta = choleskySolve(L, p, xty);
		const g = new Float64Array(N);
		let rss = 0;
		let tss = 0;
		for (let i = 0; i < N; i++) {
			let v = 0;
			for (let a = 0; a < p; a++) v += X[i * p + a] * beta[a];
			g[i] = v;
			rss += (y[i] - v) ** 2;
			tss += (y[i] - ym) ** 2;
		}
		fitted.push(g);
		sigma.push(Math.sqrt(rss / (N - p)));
		r2.push(tss > 0 ? 1 - rss / tss : NaN);
	}
	const value = evppiOfFitted(fitted, N);

	// standard error: coefficients drawn from N(beta_hat, sigma^2 (X'X)^-1): delta = sigma L^-T z
	const M = options.seSamples ?? 200;
	let se = 0;
	if (M > 1) {
		const rng = createRandom(options.seed ?? 1);
		const z = new Float64Array(p);
		const values = new Float64Array(M);
		const perturbed = fitted.map((f) => new Float64Array(f.length));
		for (let m = 0; m < M; m++) {
			for (let s = 0; s < S; s++) {
				if (s === ref) continue;
				for (let a = 0; a < p; a++) z[a] = sampleStandardNormal(rng) * sigma[s];
				const delta = solveUpperTransposed(L, p, z);
				const g = fitted[s];
				const out = perturbed[s];
				for (let i = 0; i < N; i++) {
					let v = g[i];
					for (let a = 0; a < p; a++) v += X[i * p + a] * delta[a];
					out[i] = v;
				}
			}
			values[m] = evppiOfFitted(perturbed, N);
		}
		let mean = 0;
		for (let m = 0; m < M; m++) mean += values[m];
		mean /= M;
		let v = 0;
		for (let m = 0; m < M; m++) v += (values[m] - mean) ** 2;
		se = Math.sqrt(v / (M - 1));
	}
	return result(value, se, p, r2);
}

function evppiOfFitted(fitted: Float64Array[], N: number): number {
	const S = fitted.length;
	let meanOfMax = 0;
	const sums = new Float64Array(S);
	for (let i = 0; i < N; i++) {
		let best = -Infinity;
		for (let s = 0; s < S; s++) {
			const v = fitted[s][i];
			sums[s] += v;
			if (v > best) best = v;
		}
		meanOfMax += best;
	}
	let maxOfMean = -Infinity;
	for (let s = 0; s < S; s++) maxOfMean = Math.max(maxOfMean, sums[s] / N);
	return Math.max(0, meanOfMax / N - maxOfMean);
}

function splineColumns(x: Float64Array, quantiles: number[]): Float64Array[] {
	const sorted = Float64Array.from(x).sort();
	const knots = quantiles.map((q) => quantileOf(sorted, q));
	const cols = [x.map((v) => v), x.map((v) => v * v), x.map((v) => v * v * v)];
	for (const kn of knots) cols.push(x.map((v) => (v > kn ? (v - kn) ** 3 : 0)));
	return cols;
}

/** Basis columns without the intercept. */
function buildBasis(inputs: Float64Array[]): Float64Array[] {
	if (inputs.length === 1) return splineColumns(inputs[0], [0.2, 0.4, 0.6, 0.8]);
	if (inputs.length === 2) {
		const [a, b] = inputs.map((x) => [null, ...splineColumns(x, [0.5])]);
		const cols: Float64Array[] = [];
		for (const ca of a)
			for (const cb of b) {
				if (!ca && !cb) continue; // the intercept is added separately
				if (!ca) cols.push(cb as Float64Array);
				else if (!cb) cols.push(ca);
				else cols.push(ca.map((v, i) => v * (cb as Float64Array)[i]));
			}
		return cols;
	}
	const cols: Float64Array[] = [];
	for (const x of inputs) cols.push(...splineColumns(x, [0.2, 0.4, 0.6, 0.8]));
	for (let j = 0; j < inputs.length; j++)
		for (let k = j + 1; k < inputs.length; k++) cols.push(inputs[j].map((v, i) => v * inputs[k][i]));
	return cols;
}

/** Solves L' x = b (returns a new array). */
function solveUpperTransposed(L: Float64Array, n: number, rhs: Float64Array): Float64Array {
	const x = Float64Array.from(rhs);
	for (let i = n - 1; i >= 0; i--) {
		let s = x[i];
		for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
		x[i] = s / L[i * n + i];
	}
	return x;
}
