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
 *
 * The same design (basis, X'X and its Cholesky factor) serves every strategy, every
 * willingness to pay (evppiCurve) and EVSI's regressions on a trial's summary statistic (evsi.ts).
 */
import { cholesky, choleskySolve } from './linearAlgebra';
import { netBenefits, quantileOf, strategyIndex, type PsaOutcomes } from './outcomes';
import { evpiCurve, evpiFromNetBenefits } from './evpi';
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

/**
 * A least-squares design: the row-major N x p matrix X (intercept first, other columns
 * centred and scaled) and the lower Cholesky factor of X'X (with a tiny ridge).
 */
export interface RegressionDesign {
	iterations: number;
	/** columns, intercept included */
	columns: number;
	X: Float64Array;
	factor: Float64Array;
}

/** One response regressed on a design: fitted values, residual SD and R². */
export interface RegressionFit {
	fitted: Float64Array;
	sigma: number;
	rSquared: number;
}

/**
 * EVPPI of a group of parameters at one willingness to pay, with its standard error
 * (Strong, Oakley & Brennan 2014; formula in this file's header).
 * @example
 * // 100 iterations, strategies a (nothing) and b (cost 0, QALYs x_i), x_i = (i - 49.5) / 50 evenly in (-1, 1):
 * // INB_b = x at willingness to pay 1, so EVPPI(x) = EVPI = mean_i max(0, x_i) - max(0, mean x) = 25 / 100 = 0.25
 * evppi(psa, ['x'], { willingnessToPay: 1, seSamples: 0 });
 * // { evppi: 0.25000006 (the tiny ridge), evpi: 0.25, basisColumns: 8, rSquared: [NaN, 0.99999999999], ... }
 */
export function evppi(outcomes: PsaWithDraws, group: string[], options: EvppiOptions): EvppiResult {
	const iterations = outcomes.iterations;
	const strategies = outcomes.strategyIds.length;
	const reference = strategyIndex(outcomes, options.referenceId ?? outcomes.strategyIds[0], 'reference strategy');
	const netBenefit = netBenefits(outcomes, options.willingnessToPay);
	const result = (value: number, standardError: number, columns: number, rSquared: number[]): EvppiResult => ({
		parameters: group,
		willingnessToPay: options.willingnessToPay,
		evppi: value,
		standardError: standardError,
		evpi: evpiFromNetBenefits(netBenefit, iterations, strategies),
		basisColumns: columns,
		rSquared: rSquared,
		method: EVPPI_METHOD
	});
	const design = designOf(groupInputs(outcomes, group));
	if (!design) return result(0, 0, 0, outcomes.strategyIds.map(() => NaN));
	const fits = outcomes.strategyIds.map((_, s) => (s === reference ? null : fitResponse(design, incrementalColumn(netBenefit, iterations, strategies, s, reference))));
	const fitted = fits.map((f) => f?.fitted ?? new Float64Array(iterations));
	const rSquared = fits.map((f) => f?.rSquared ?? NaN);
	const coefficientDraws = options.seSamples ?? 200;
	const standardError = coefficientDraws > 1 ? evppiStandardError(design, fitted, fits.map((f) => f?.sigma ?? 0), reference, coefficientDraws, options.seed ?? 1) : 0;
	return result(evppiOfFitted(fitted, iterations), standardError, design.columns, rSquared);
}

export interface EvppiCurveOptions {
	/** willingness-to-pay values per unit of effect */
	willingnessToPay: ArrayLike<number>;
	referenceId?: string;
}

export interface EvppiCurve {
	parameters: string[];
	willingnessToPay: Float64Array;
	/** EVPPI per person at each willingness to pay */
	evppi: Float64Array;
	/** EVPI per person at each willingness to pay, from the same iterations */
	evpi: Float64Array;
	basisColumns: number;
	method: string;
}

/**
 * EVPPI of a group over willingness to pay, from one regression fit per strategy. Least
 * squares is linear in the response, so regressing incremental costs and incremental effects
 * separately gives, at every willingness to pay lambda, exactly the fit of INB = lambda dE - dC:
 *
 *     g_s(phi; lambda) = lambda * fitted(dE_s)(phi) - fitted(dC_s)(phi)
 *     EVPPI(lambda)    = mean_i max_s g_s(phi_i; lambda) - max_s mean_i g_s(phi_i; lambda)
 *
 * (Strong, Oakley & Brennan 2014; no refit per willingness to pay). Cost: two fits per
 * strategy, then O(iterations x strategies) per willingness to pay.
 * @example
 * // the PSA of evppi's example: INB_b = lambda x, so EVPPI(lambda) = 0.25 lambda
 * evppiCurve(psa, ['x'], { willingnessToPay: [0, 1, 2] });
 * // { evppi: [0, 0.25000006, 0.5000001], evpi: [0, 0.25, 0.5], basisColumns: 8, ... }
 */
export function evppiCurve(outcomes: PsaWithDraws, group: string[], options: EvppiCurveOptions): EvppiCurve {
	const iterations = outcomes.iterations;
	const strategies = outcomes.strategyIds.length;
	const reference = strategyIndex(outcomes, options.referenceId ?? outcomes.strategyIds[0], 'reference strategy');
	const willingnessToPay = Float64Array.from(options.willingnessToPay);
	const values = new Float64Array(willingnessToPay.length);
	const design = designOf(groupInputs(outcomes, group));
	if (design) {
		const fitOf = (a: Float64Array, s: number) => (s === reference ? new Float64Array(iterations) : fitResponse(design, incrementalColumn(a, iterations, strategies, s, reference)).fitted);
		const effect = outcomes.strategyIds.map((_, s) => fitOf(outcomes.qaly, s));
		const cost = outcomes.strategyIds.map((_, s) => fitOf(outcomes.cost, s));
		const incrementalBenefit = outcomes.strategyIds.map(() => new Float64Array(iterations));
		for (let w = 0; w < willingnessToPay.length; w++) {
			for (let s = 0; s < strategies; s++) for (let i = 0; i < iterations; i++) incrementalBenefit[s][i] = willingnessToPay[w] * effect[s][i] - cost[s][i];
			values[w] = evppiOfFitted(incrementalBenefit, iterations);
		}
	}
	return { parameters: group, willingnessToPay: willingnessToPay, evppi: values, evpi: evpiCurve(outcomes, willingnessToPay), basisColumns: design?.columns ?? 0, method: EVPPI_METHOD };
}

/**
 * The group's draws as standardised columns, constant ones dropped; an unknown parameter is a
 * RangeError listing the drawn ones.
 */
function groupInputs(outcomes: PsaWithDraws, group: string[]): Float64Array[] {
	if (group.length === 0) throw new RangeError('EVPPI needs at least one parameter');
	const parameterCount = outcomes.parameterIds.length;
	const iterations = outcomes.iterations;
	const inputs: Float64Array[] = [];
	for (const id of group) {
		const parameterIndex = outcomes.parameterIds.indexOf(id);
		if (parameterIndex < 0) throw new RangeError(`parameter "${id}" was not drawn in this PSA; drawn: ${outcomes.parameterIds.join(', ')}`);
		const input = standardised(Float64Array.from({ length: iterations }, (_, i) => outcomes.draws[i * parameterCount + parameterIndex]));
		if (input) inputs.push(input);
	}
	return inputs;
}

/**
 * (x - mean) / sd with the sample SD (N - 1), or null when x is constant.
 * @example standardised(Float64Array.of(1, 2, 3)) // [-1, 0, 1];  standardised(Float64Array.of(2, 2)) // null
 */
export function standardised(x: Float64Array): Float64Array | null {
	const N = x.length;
	let mean = 0;
	for (let i = 0; i < N; i++) mean += x[i];
	mean /= N;
	let v = 0;
	for (let i = 0; i < N; i++) v += (x[i] - mean) ** 2;
	const sd = Math.sqrt(v / Math.max(1, N - 1));
	if (!(sd > 0)) return null;
	return x.map((value) => (value - mean) / sd);
}

/** dA_s = values[i, s] - values[i, reference] for every iteration (values laid out [i * strategies + s]). */
function incrementalColumn(values: Float64Array, iterations: number, strategies: number, strategy: number, reference: number): Float64Array {
	return Float64Array.from({ length: iterations }, (_, i) => values[i * strategies + strategy] - values[i * strategies + reference]);
}

/**
 * The regression design on standardised inputs (the spline basis of this file's header), or
 * null when there is no input (every parameter of the group constant).
 * @example
 *   designOf([standardised(x)!])  // -> { iterations: N, columns: 8, X, factor }
 */
export function designOf(inputs: Float64Array[]): RegressionDesign | null {
	if (inputs.length === 0) return null;
	const N = inputs[0].length;
	const basis = buildBasis(inputs);
	const p = basis.length + 1;
	if (p >= N) throw new RangeError(`EVPPI regression needs more iterations than basis terms (${p}); run more iterations or use fewer parameters`);
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
	const factor = cholesky(xtx, p, 0);
	if (typeof factor === 'number') throw new RangeError('EVPPI regression is singular; the parameter group may be constant');
	return { iterations: N, columns: p, X, factor };
}

/**
 * Least-squares fit of y on a design: beta = (X'X)^-1 X'y, fitted X beta, residual SD
 * sqrt(RSS / (N - p)) and R² = 1 - RSS / TSS (NaN when y is constant).
 * @example
 *   fitResponse(designOf([x])!, y).fitted  // E[y | x] at each iteration
 */
export function fitResponse(design: RegressionDesign, y: Float64Array): RegressionFit {
	const { iterations: N, columns: p, X, factor } = design;
	const xty = new Float64Array(p);
	let ym = 0;
	for (let i = 0; i < N; i++) {
		ym += y[i];
		for (let a = 0; a < p; a++) xty[a] += X[i * p + a] * y[i];
	}
	ym /= N;
	const beta = choleskySolve(factor, p, xty);
	const fitted = new Float64Array(N);
	let rss = 0;
	let tss = 0;
	for (let i = 0; i < N; i++) {
		let v = 0;
		for (let a = 0; a < p; a++) v += X[i * p + a] * beta[a];
		fitted[i] = v;
		rss += (y[i] - v) ** 2;
		tss += (y[i] - ym) ** 2;
	}
	return { fitted, sigma: Math.sqrt(rss / (N - p)), rSquared: tss > 0 ? 1 - rss / tss : NaN };
}

/** Strong et al. (2014) section 2.4: SD of the EVPPI over coefficient draws delta = sigma L^-T z. */
function evppiStandardError(design: RegressionDesign, fitted: Float64Array[], residualSd: number[], reference: number, coefficientDraws: number, seed: number): number {
	const { iterations, columns, X: designMatrix, factor } = design;
	const random = createRandom(seed);
	const scaledNormals = new Float64Array(columns);
	const values = new Float64Array(coefficientDraws);
	const perturbed = fitted.map((fit) => new Float64Array(fit.length));
	for (let draw = 0; draw < coefficientDraws; draw++) {
		for (let s = 0; s < fitted.length; s++) {
			if (s === reference) continue;
			for (let a = 0; a < columns; a++) scaledNormals[a] = sampleStandardNormal(random) * residualSd[s];
			const delta = solveUpperTransposed(factor, columns, scaledNormals);
			const fit = fitted[s];
			const perturbedFit = perturbed[s];
			for (let i = 0; i < iterations; i++) {
				let value = fit[i];
				for (let a = 0; a < columns; a++) value += designMatrix[i * columns + a] * delta[a];
				perturbedFit[i] = value;
			}
		}
		values[draw] = evppiOfFitted(perturbed, iterations);
	}
	let mean = 0;
	for (let draw = 0; draw < coefficientDraws; draw++) mean += values[draw];
	mean /= coefficientDraws;
	let sumOfSquares = 0;
	for (let draw = 0; draw < coefficientDraws; draw++) sumOfSquares += (values[draw] - mean) ** 2;
	return Math.sqrt(sumOfSquares / (coefficientDraws - 1));
}

/**
 * mean_i max_s g_s[i] - max_s mean_i g_s[i], never below 0 (the value of choosing per
 * iteration on the fitted expectations over choosing once on their means).
 * @example
 *   evppiOfFitted([Float64Array.of(0, 0), Float64Array.of(1, -1)], 2)  // -> (1 + 0) / 2 - 0 = 0.5
 */
export function evppiOfFitted(fitted: Float64Array[], N: number): number {
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

/** x, x^2, x^3 and a truncated cubic (x - knot)^3_+ at each quantile of x (this file's header). */
function splineColumns(input: Float64Array, quantiles: number[]): Float64Array[] {
	const sorted = Float64Array.from(input).sort();
	const knots = quantiles.map((quantile) => quantileOf(sorted, quantile));
	const columns = [input.map((value) => value), input.map((value) => value * value), input.map((value) => value * value * value)];
	for (const knot of knots) columns.push(input.map((value) => (value > knot ? (value - knot) ** 3 : 0)));
	return columns;
}

/** Basis columns without the intercept. */
function buildBasis(inputs: Float64Array[]): Float64Array[] {
	if (inputs.length === 1) return splineColumns(inputs[0], [0.2, 0.4, 0.6, 0.8]);
	if (inputs.length === 2) {
		// null stands for the constant 1 of each margin
		const [firstMargin, secondMargin] = inputs.map((input) => [null, ...splineColumns(input, [0.5])]);
		const columns: Float64Array[] = [];
		for (const first of firstMargin)
			for (const second of secondMargin) {
				if (!first && !second) continue; // the intercept is added separately
				if (!first) columns.push(second as Float64Array);
				else if (!second) columns.push(first);
				else columns.push(first.map((value, i) => value * (second as Float64Array)[i]));
			}
		return columns;
	}
	const columns: Float64Array[] = [];
	for (const input of inputs) columns.push(...splineColumns(input, [0.2, 0.4, 0.6, 0.8]));
	for (let j = 0; j < inputs.length; j++)
		for (let k = j + 1; k < inputs.length; k++) columns.push(inputs[j].map((value, i) => value * inputs[k][i]));
	return columns;
}

/** Solves L' x = b by back substitution, L the lower Cholesky factor (size x size, row-major); returns a new array. */
function solveUpperTransposed(factor: Float64Array, size: number, rightHandSide: Float64Array): Float64Array {
	const solution = Float64Array.from(rightHandSide);
	for (let i = size - 1; i >= 0; i--) {
		let remainder = solution[i];
		for (let k = i + 1; k < size; k++) remainder -= factor[k * size + i] * solution[k];
		solution[i] = remainder / factor[i * size + i];
	}
	return solution;
}
