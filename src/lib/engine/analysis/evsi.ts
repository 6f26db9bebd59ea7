/**
 * Expected value of sample information of a proposed two-arm trial with n patients per arm
 * that estimates one parameter theta, by the regression method of Strong, Oakley, Brennan &
 * Breeze (2015, Med Decis Making 35(5):570-583):
 *
 *  1. for each PSA iteration i, simulate the trial's summary statistic T_i from its sampling
 *     distribution given the iteration's draw theta_i (the data-generating model below);
 *  2. regress each strategy's incremental net benefit (vs a reference) on T_i (the
 *     one-parameter spline basis of evppi.ts): g_s(T_i) estimates E[INB_s | T_i];
 *  3. EVSI(n) = mean_i max_s g_s(T_i) - max_s mean_i g_s(T_i)        (per person).
 *
 * Data-generating models (what the user gives, and what T is):
 *  - 'normal': T = the trial's estimate of theta, T ~ N(theta, sd^2 / n); `sd` is the standard
 *    deviation per patient per arm of the estimate (for a difference in mean outcome between
 *    two arms of n with outcome SD s in each, sd = s sqrt(2)).
 *  - 'log-normal' (a hazard ratio, rate ratio or relative risk): T = the estimated log ratio,
 *    T ~ N(log theta, sd^2 / n); for a log hazard ratio from a 1:1 trial, Var = 4 / events
 *    (Schoenfeld 1983, Biometrics 39(2):499-503), so with a share e of each arm having an event
 *    during follow-up, sd^2 = 2 / e.
 *  - 'binomial' (a probability): the treated arm's count X ~ Binomial(n, theta), T = X / n;
 *    nothing else to give.
 * Common random numbers across sample sizes: the normal kinds use one set of standard normal
 * variates for every n; the binomial trials are nested (the patients of a smaller trial are
 * the first patients of a larger one: X(n2) = X(n1) + Binomial(n2 - n1, theta)), so EVSI(n) is
 * estimated on the same simulated data for every n and rises with n up to Monte Carlo error.
 *
 * Standard error: with s* the strategy of highest mean fitted value and
 * d_i = max_s g_s(T_i) - g_s*(T_i), SE² = var(d) / N (the Monte Carlo error of the mean over
 * iterations) + sum_s sigma_s² ||L^-1 X'w_s / N||² (the error of the fitted coefficients, by the
 * delta method: w_s,i = [s has the highest g at i] - [s = s*], X the design, L L' = X'X, sigma_s
 * the residual SD); the second term is the delta-method counterpart of Strong et al.'s
 * coefficient draws (evppi.ts).
 *
 * Population EVSI = EVSI x the discounted number of people facing the decision
 * (populationEvpi); expected net benefit of sampling ENBS(n) = population EVSI(n) -
 * (fixed cost + cost per patient x 2n), and the optimal n is the asked size with the highest
 * ENBS (Ades, Lu & Claxton 2004, Med Decis Making 24(2):207-227).
 * Cost: per sample size one regression with 8 columns: O(iterations x 64 + iterations x strategies x 8).
 */
import { ModelError, issue } from '../errors';
import { netBenefits, strategyIndex } from './outcomes';
import { evpiFromNetBenefits, populationEvpi, type PopulationSpec } from './evpi';
import { designOf, evppi, evppiOfFitted, fitResponse, standardised, type PsaWithDraws, type RegressionDesign } from './evppi';
import { createRandom, type RandomSource } from './random';
import { sampleBeta, sampleStandardNormal } from './distributions';

export type TrialLikelihood = { kind: 'normal'; sd: number } | { kind: 'log-normal'; sd: number } | { kind: 'binomial' };

export interface StudyCost {
	/** cost of setting up and running the study, whatever its size (currency of the PSA) */
	fixed: number;
	/** cost per patient enrolled; a two-arm trial of n per arm enrols 2n */
	perPatient: number;
}

export interface EvsiOptions {
	/** the parameter the trial informs (one of the PSA's drawn parameters) */
	parameter: string;
	/** patients per arm */
	sampleSizes: number[];
	likelihood: TrialLikelihood;
	willingnessToPay: number;
	referenceId?: string;
	/** seed of the simulated trial data (default 1) */
	seed?: number;
	/** people facing the decision, for population EVSI and ENBS */
	population?: PopulationSpec;
	/** with a population: ENBS and the optimal sample size */
	studyCost?: StudyCost;
	/** called after each sample size */
	onProgress?: (done: number, total: number) => void;
}

export interface EvsiPoint {
	/** patients per arm */
	sampleSize: number;
	evsi: number;
	standardError: number;
	populationEvsi: number | null;
	studyCost: number | null;
	/** expected net benefit of sampling: population EVSI - study cost */
	enbs: number | null;
}

export interface EvsiResult {
	parameter: string;
	likelihood: TrialLikelihood;
	willingnessToPay: number;
	referenceId: string;
	iterations: number;
	/** EVPPI of the parameter (the value of an infinite trial), same iterations and basis */
	evppi: number;
	evpi: number;
	points: EvsiPoint[];
	/** discounted people facing the decision, when a population is given */
	effectivePopulation: number | null;
	/** the asked sample size with the highest ENBS (null without study costs) */
	optimal: { sampleSize: number; enbs: number } | null;
	method: string;
}

/** PSA iterations the regression needs at least (its basis has 8 columns). */
export const MIN_EVSI_ITERATIONS = 200;
/** largest sample size per arm */
export const MAX_EVSI_SAMPLE_SIZE = 10_000_000;
/** most sample sizes in one call */
export const MAX_EVSI_SAMPLE_SIZES = 50;

export const EVSI_METHOD =
	'regression on a simulated trial summary statistic (Strong, Oakley, Brennan & Breeze 2015): unpenalised cubic regression splines, 8 columns';

const fail = (path: string, message: string): never => {
	throw new ModelError(issue(path, 'invalid-override', message));
};

/**
 * EVSI per person, population EVSI and ENBS of a two-arm trial of each sample size
 * (Strong et al. 2015; formulas in this file's header). Bad options are ModelErrors whose
 * path names the option: parameter, sampleSizes, iterations, likelihood.sd, population.*, studyCost.*.
 * @example
 * // 200 iterations, strategies a (nothing) and b (QALYs x_i, cost 0), x_i = (i - 99.5) / 100 evenly in (-1, 1):
 * // EVPPI(x) = EVPI = 0.25 at willingness to pay 1 (as in evppi's example); a trial of n estimates x with SD 1 / sqrt(n)
 * const r = evsi(psa, { parameter: 'x', sampleSizes: [1, 1000000], likelihood: { kind: 'normal', sd: 1 }, willingnessToPay: 1 });
 * r.points.map((p) => p.evsi); // [0.159, 0.2499995]: one patient's noise hides most of x; a million patients reach the EVPPI
 * // with population and studyCost: populationEvsi = evsi x effective population, enbs = populationEvsi - (fixed + perPatient x 2n)
 */
export function evsi(outcomes: PsaWithDraws, options: EvsiOptions): EvsiResult {
	const theta = checkedDraws(outcomes, options);
	const sizes = checkedSampleSizes(options.sampleSizes);
	const population = options.population ? checkedPopulation(options.population) : null;
	const cost = options.studyCost ? checkedStudyCost(options.studyCost, population !== null) : null;
	const iterations = outcomes.iterations;
	const strategies = outcomes.strategyIds.length;
	const referenceId = options.referenceId ?? outcomes.strategyIds[0];
	const reference = strategyIndex(outcomes, referenceId, 'reference strategy');
	const netBenefit = netBenefits(outcomes, options.willingnessToPay);
	const incrementalBenefit = outcomes.strategyIds.map((_, s) => Float64Array.from({ length: iterations }, (_, i) => netBenefit[i * strategies + s] - netBenefit[i * strategies + reference]));
	const simulate = trialSimulator(theta, options.likelihood, options.seed ?? 1);
	// smallest n first (the nested binomial trials grow); the points keep the order asked
	const points: EvsiPoint[] = new Array(sizes.length);
	const ascending = sizes.map((_, j) => j).sort((x, y) => sizes[x] - sizes[y]);
	ascending.forEach((j, done) => {
		const n = sizes[j];
		const { value, standardError } = evsiOfStatistic(simulate(n), incrementalBenefit, reference);
		const populationEvsi = population ? value * population.effectivePopulation : null;
		const studyCost = cost ? cost.fixed + cost.perPatient * 2 * n : null;
		points[j] = { sampleSize: n, evsi: value, standardError, populationEvsi, studyCost, enbs: populationEvsi !== null && studyCost !== null ? populationEvsi - studyCost : null };
		options.onProgress?.(done + 1, sizes.length);
	});
	const best = points.reduce<EvsiPoint | null>((b, p) => (p.enbs !== null && (b === null || p.enbs > (b.enbs as number)) ? p : b), null);
	return {
		parameter: options.parameter,
		likelihood: options.likelihood,
		willingnessToPay: options.willingnessToPay,
		referenceId,
		iterations: iterations,
		evppi: evppi(outcomes, [options.parameter], { willingnessToPay: options.willingnessToPay, referenceId, seSamples: 0 }).evppi,
		evpi: evpiFromNetBenefits(netBenefit, iterations, strategies),
		points,
		effectivePopulation: population?.effectivePopulation ?? null,
		optimal: best ? { sampleSize: best.sampleSize, enbs: best.enbs as number } : null,
		method: EVSI_METHOD
	};
}

/**
 * The likelihood a parameter's PSA distribution suggests: ratios and rates on the log scale,
 * probabilities binomial, anything else normal.
 * @example suggestedLikelihood('lognormal') // 'log-normal';  suggestedLikelihood('beta') // 'binomial'
 */
export function suggestedLikelihood(distributionType: string): TrialLikelihood['kind'] {
	return distributionType === 'lognormal' || distributionType === 'gamma' ? 'log-normal' : distributionType === 'beta' ? 'binomial' : 'normal';
}

/**
 * EVSI from one simulated statistic: regress every INB_s on T, then
 * mean max fitted - max mean fitted, with the standard error of this file's header.
 */
function evsiOfStatistic(statistic: Float64Array, incrementalBenefit: Float64Array[], reference: number): { value: number; standardError: number } {
	const iterations = statistic.length;
	const standardisedStatistic = standardised(statistic);
	if (!standardisedStatistic) return { value: 0, standardError: 0 };
	const design = designOf([standardisedStatistic]) as RegressionDesign;
	const fits = incrementalBenefit.map((response, s) => (s === reference ? null : fitResponse(design, response)));
	const fitted = fits.map((fit) => fit?.fitted ?? new Float64Array(iterations));
	const value = evppiOfFitted(fitted, iterations);
	const means = fitted.map((fit) => fit.reduce((total, fittedValue) => total + fittedValue, 0) / iterations);
	const chosen = means.indexOf(Math.max(...means));
	// per iteration: the strategy with the highest fitted value, and d_i = its value - the chosen one's
	const bestStrategy = new Int32Array(iterations);
	let sum = 0;
	let sumSquares = 0;
	for (let i = 0; i < iterations; i++) {
		for (let s = 1; s < fitted.length; s++) if (fitted[s][i] > fitted[bestStrategy[i]][i]) bestStrategy[i] = s;
		const shortfall = fitted[bestStrategy[i]][i] - fitted[chosen][i];
		sum += shortfall;
		sumSquares += shortfall * shortfall;
	}
	const monteCarlo = Math.max(0, (sumSquares - (sum * sum) / iterations) / Math.max(1, iterations - 1)) / iterations;
	const fitting = fits.reduce((variance, fit, s) => variance + (fit ? fit.sigma ** 2 * gradientNorm(design, bestStrategy, s, s === chosen) : 0), 0);
	return { value, standardError: Math.sqrt(monteCarlo + fitting) };
}

/**
 * ||L^-1 X'w / N||² with w_i = [argmax_i = s] - [s chosen]: the EVSI estimate's gradient in the
 * coefficients of strategy s, so that sigma_s² times it is the fit's variance contribution
 * (delta method; Var(beta_hat) = sigma² (X'X)^-1 = sigma² L^-T L^-1).
 */
function gradientNorm(design: RegressionDesign, bestStrategy: Int32Array, strategy: number, chosen: boolean): number {
	const { iterations, columns, X: designMatrix, factor } = design;
	const gradient = new Float64Array(columns);
	for (let i = 0; i < iterations; i++) {
		const weight = (bestStrategy[i] === strategy ? 1 : 0) - (chosen ? 1 : 0);
		if (weight !== 0) for (let a = 0; a < columns; a++) gradient[a] += (weight * designMatrix[i * columns + a]) / iterations;
	}
	// forward substitution: gradient <- L^-1 gradient
	let norm = 0;
	for (let i = 0; i < columns; i++) {
		let remainder = gradient[i];
		for (let k = 0; k < i; k++) remainder -= factor[i * columns + k] * gradient[k];
		gradient[i] = remainder / factor[i * columns + i];
		norm += gradient[i] * gradient[i];
	}
	return norm;
}

/**
 * A function of n giving each iteration's simulated summary statistic (data-generating
 * models of this file's header); the normal kinds reuse one set of variates for every n, the
 * binomial trials are nested, so it is called with n never decreasing.
 */
function trialSimulator(theta: Float64Array, likelihood: TrialLikelihood, seed: number): (sampleSize: number) => Float64Array {
	const iterations = theta.length;
	if (likelihood.kind === 'binomial') {
		const random = createRandom(seed);
		const events = new Float64Array(iterations);
		let enrolled = 0;
		return (sampleSize) => {
			if (sampleSize < enrolled) throw new RangeError('nested binomial trials are simulated with n never decreasing');
			for (let i = 0; i < iterations; i++) events[i] += sampleBinomial(random, sampleSize - enrolled, theta[i]);
			enrolled = sampleSize;
			return events.map((count) => count / sampleSize);
		};
	}
	const random = createRandom(seed);
	const standardNormals = Float64Array.from({ length: iterations }, () => sampleStandardNormal(random));
	const centre = likelihood.kind === 'log-normal' ? theta.map(Math.log) : theta;
	return (sampleSize) => centre.map((mean, i) => mean + (likelihood.sd * standardNormals[i]) / Math.sqrt(sampleSize));
}

/**
 * A Binomial(n, p) draw, exact for any n: Knuth's beta splitting (The Art of Computer
 * Programming vol. 2, 3.4.1 F): the a-th smallest of n uniforms is Beta(a, n + 1 - a); the count
 * below p continues in whichever side p falls, until n is small enough to count Bernoulli draws.
 * @example
 *   sampleBinomial(createRandom(1), 500, 0.3)  // -> about 150 (mean np, variance np(1 - p))
 */
export function sampleBinomial(rng: RandomSource, n: number, p: number): number {
	if (p <= 0) return 0;
	if (p >= 1) return n;
	let k = 0;
	let m = n;
	let q = p;
	while (m > 64) {
		const a = 1 + (m >> 1);
		const b = m + 1 - a;
		const x = sampleBeta(rng, a, b);
		if (x >= q) {
			m = a - 1;
			q = q / x;
		} else {
			k += a;
			m = b - 1;
			q = (q - x) / (1 - x);
		}
	}
	for (let j = 0; j < m; j++) if (rng.uniform() < q) k++;
	return k;
}

/** The parameter's draws, checked against the PSA and the likelihood. */
function checkedDraws(outcomes: PsaWithDraws, options: EvsiOptions): Float64Array {
	const parameterIndex = outcomes.parameterIds.indexOf(options.parameter);
	if (parameterIndex < 0) {
		const shown = outcomes.parameterIds.slice(0, 12).join(', ') + (outcomes.parameterIds.length > 12 ? `, ... (${outcomes.parameterIds.length} in all)` : '');
		fail('parameter', `"${options.parameter}" was not drawn in this PSA (it is fixed, or held at a set value); drawn: ${shown}`);
	}
	if (outcomes.iterations < MIN_EVSI_ITERATIONS) fail('iterations', `EVSI's regression needs at least ${MIN_EVSI_ITERATIONS} PSA iterations, got ${outcomes.iterations}; run a longer PSA`);
	const parameterCount = outcomes.parameterIds.length;
	const theta = Float64Array.from({ length: outcomes.iterations }, (_, i) => outcomes.draws[i * parameterCount + parameterIndex]);
	const likelihood = options.likelihood;
	if (likelihood.kind !== 'binomial' && !(Number.isFinite(likelihood.sd) && likelihood.sd > 0)) fail('likelihood.sd', `the per-patient standard deviation must be a number above 0, got ${likelihood.sd}`);
	if (likelihood.kind === 'log-normal' && theta.some((value) => !(value > 0))) fail('likelihood', `a log-normal trial needs "${options.parameter}" above 0 in every draw (a ratio); choose 'normal'`);
	if (likelihood.kind === 'binomial' && theta.some((value) => !(value >= 0 && value <= 1))) fail('likelihood', `a binomial trial needs "${options.parameter}" in [0, 1] in every draw (a probability); choose 'normal'`);
	return theta;
}

function checkedSampleSizes(sizes: number[]): number[] {
	if (sizes.length === 0) fail('sampleSizes', 'give at least one sample size per arm');
	if (sizes.length > MAX_EVSI_SAMPLE_SIZES) fail('sampleSizes', `at most ${MAX_EVSI_SAMPLE_SIZES} sample sizes, got ${sizes.length}`);
	for (const sampleSize of sizes)
		if (!(Number.isInteger(sampleSize) && sampleSize >= 1 && sampleSize <= MAX_EVSI_SAMPLE_SIZE))
			fail('sampleSizes', `a sample size per arm must be a whole number from 1 to ${MAX_EVSI_SAMPLE_SIZE.toLocaleString('en-GB')}, got ${sampleSize}`);
	return sizes;
}

function checkedPopulation(spec: PopulationSpec): { effectivePopulation: number } {
	if (!(Number.isFinite(spec.annualPopulation) && spec.annualPopulation >= 0)) fail('population.annualPopulation', `people a year must be a number of at least 0, got ${spec.annualPopulation}`);
	if (!(Number.isFinite(spec.years) && spec.years >= 0)) fail('population.years', `years must be a number of at least 0, got ${spec.years}`);
	if (!(spec.discountRate >= 0 && spec.discountRate < 1)) fail('population.discountRate', `the discount rate must be in [0, 1), got ${spec.discountRate}`);
	return populationEvpi(1, spec);
}

function checkedStudyCost(cost: StudyCost, withPopulation: boolean): StudyCost {
	if (!withPopulation) fail('studyCost', 'the expected net benefit of sampling needs the population facing the decision (people a year and years)');
	if (!(Number.isFinite(cost.fixed) && cost.fixed >= 0)) fail('studyCost.fixed', `the fixed study cost must be a number of at least 0, got ${cost.fixed}`);
	if (!(Number.isFinite(cost.perPatient) && cost.perPatient >= 0)) fail('studyCost.perPatient', `the cost per patient must be a number of at least 0, got ${cost.perPatient}`);
	return cost;
}
