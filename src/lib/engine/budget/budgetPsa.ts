/**
 * Budget impact under uncertainty: the budget and every payment model over the draws of a
 * probabilistic sensitivity analysis (Sullivan et al. 2014, Value Health 17:5-14, on
 * uncertainty in budget impact; Briggs, Claxton & Sculpher 2006, ch. 4, on the PSA).
 *
 * The draws are the model's PSA (`createPsa`, seeded): iteration i of a budget PSA uses the
 * parameter values of iteration i of `model psa` with the same seed, scenario and overrides, and
 * that iteration's discounted costs and QALYs for the payment models' ICERs and price cap. Per
 * draw, the deterministic budget's own steps run again (ARCHITECTURE.md, principle 2):
 * `budgetCohorts` with the draw as parameter overrides, `budgetImpact`, `paymentComparison`.
 * Only the strategies some patient can start are run (a strategy with no share in either world,
 * no capacity role and no payment role adds nothing to the budget). The budget settings'
 * population, uptake and capacity are not drawn: they are held at their values.
 *
 *     const r = runBudgetPsa(compiled, settings, { iterations: 1000, seed: 1 });
 *     const s = summariseBudgetPsa(r);
 *     s.cumulativeIncremental.upper[9]; // 97.5th percentile of the 10-year budget impact
 *     s.probabilitySaving[9];           // P(cumulative budget impact < 0 by year 10)
 */
import { compile, type CompiledModel } from '../model/compile';
import { createRunner, type RunOptions, type Runner } from '../simulate/run';
import { createPsa, type PsaProgress, type PsaResult, type RunPsaHooks } from '../analysis/psa';
import { quantileOf } from '../analysis/outcomes';
import { ModelError, issue } from '../errors';
import { MAX_PSA_BYTES } from '../limits';
import { budgetImpact, type BudgetResult } from './budgetImpact';
import { failureModel, failureCurveOf, type FailureModel } from './failure';
import type { AnnualProfile } from './profiles';
import type { PaymentModelId } from './paymentModels';
import { budgetCohorts, oneOffCost, paymentComparison, planBudget, runBudget, type BudgetPlan, type PaymentComparison } from './runBudget';
import type { BudgetSettings } from './settings';

export interface BudgetPsaConfig {
	iterations: number;
	seed: number;
	/** model scenario, parameter and settings overrides (overridden parameters are held, not drawn) */
	run?: RunOptions;
	/** overrides settings.horizonYears */
	years?: number;
	/** overrides settings.discountRate */
	discountRate?: number;
	/** as the PSA's: 'stop' (default) on an invalid draw, or 'redraw' */
	invalidDraws?: 'stop' | 'redraw';
}

/** One payment model's yearly figures, [i * years + t]. */
export interface PaymentSeries {
	id: PaymentModelId;
	label: string;
	/** budget impact with this payment model (new minus current world): the payer's net cash flow */
	incremental: Float64Array;
	cumulativeIncremental: Float64Array;
	/** refunds paid to the payer for the new world's patients on the one-off therapy */
	refundsPaid: Float64Array;
}

/** Yearly budget figures of one or more iterations, [i * years + t] (currency of the model, undiscounted unless a rate is set). */
export interface BudgetSeries {
	current: Float64Array;
	new: Float64Array;
	/** new minus current world, with the model's one-off cost at treatment */
	incremental: Float64Array;
	cumulativeIncremental: Float64Array;
	payment: PaymentSeries[];
}

export interface BudgetPsaResult {
	modelId: string;
	title: string;
	settingsId: string;
	currency: string;
	priceYear: number;
	years: number;
	discountRate: number;
	scenario: string | null;
	seed: number;
	iterationsRequested: number;
	/** iterations completed (fewer if cancelled) */
	iterations: number;
	/** the drawn parameters (as the PSA's) and those held at a scenario or user value */
	parameterIds: string[];
	heldFixed: string[];
	/** draws the PSA rejected as invalid and drew again (invalidDraws 'redraw') */
	redrawn: number;
	payment: { strategy: string; comparator: string } | null;
	/** the base case (one iteration): the deterministic budget */
	deterministic: BudgetSeries;
	perIteration: BudgetSeries;
}

export interface BudgetPsa {
	/** runs the next `count` iterations (fewer at the end) */
	step(count: number): PsaProgress;
	progress(): PsaProgress;
	/** results so far, trimmed to the completed iterations */
	result(): BudgetPsaResult;
}

/**
 * Bytes a budget PSA keeps: per iteration and budget year, four budget series and three per
 * payment model, 8 bytes each.
 * @example budgetPsaBytes(1000, 10, 5) // 1,520,000
 */
export function budgetPsaBytes(iterations: number, years: number, paymentModels: number): number {
	return iterations * years * (4 + 3 * paymentModels) * 8;
}

/**
 * A resumable probabilistic budget (for a Web Worker: `step` in chunks, check a cancel flag
 * between them, then `result`). Refuses bad settings (BudgetSettingsError naming the path), an
 * iteration count that is not a whole number in [1, MAX_ITERATIONS] or does not fit in memory.
 * @example
 * const bp = createBudgetPsa(compiled, settings, { iterations: 1000, seed: 1 });
 * while (!bp.step(256).finished) {}
 * bp.result().perIteration.cumulativeIncremental; // [i * years + t]
 */
export function createBudgetPsa(cm: CompiledModel, settings: BudgetSettings, config: BudgetPsaConfig): BudgetPsa {
	const options = { run: config.run, years: config.years, discountRate: config.discountRate };
	const deterministicRun = runBudget(cm, settings, options);
	const years = deterministicRun.years;
	const paymentModelCount = deterministicRun.payment?.models.length ?? 0;
	// refused before the PSA's arrays are made
	if (budgetPsaBytes(config.iterations, years, paymentModelCount) > MAX_PSA_BYTES) {
		const fit = Math.floor(MAX_PSA_BYTES / budgetPsaBytes(1, years, paymentModelCount));
		throw new ModelError(issue('iterations', 'model-size', `${config.iterations} iterations of a ${years}-year budget need more memory than allowed; at most ${fit.toLocaleString('en-GB')} fit`));
	}
	const psa = createPsa(cm, { iterations: config.iterations, seed: config.seed, options: config.run, invalidDraws: config.invalidDraws });
	const deterministic = newSeries(1, years, deterministicRun.payment);
	storeSeries(deterministic, 0, years, deterministicRun.budget, deterministicRun.payment);
	const perIteration = newSeries(config.iterations, years, deterministicRun.payment);
	const draw = drawBudget(cm, settings, options);
	let done = 0;
	// the PSA (every strategy, batched) is a small part of the work: it runs whole at the first
	// step, so its result is read once rather than copied at every step
	let draws: PsaResult | null = null;
	const progress = (): PsaProgress => ({ done, total: config.iterations, finished: done >= config.iterations });
	return {
		progress,
		step(count) {
			if (!draws) {
				psa.step(config.iterations);
				draws = psa.result();
			}
			const end = Math.min(config.iterations, done + Math.max(0, Math.floor(count)));
			for (; done < end; done++) {
				const b = draw(done, draws);
				storeSeries(perIteration, done, years, b.budget, b.payment);
			}
			return progress();
		},
		result() {
			const r = draws ?? psa.result();
			return {
				modelId: deterministicRun.modelId,
				title: deterministicRun.title,
				settingsId: settings.id,
				currency: deterministicRun.currency,
				priceYear: deterministicRun.priceYear,
				years,
				discountRate: deterministicRun.discountRate,
				scenario: deterministicRun.run.scenario,
				seed: config.seed,
				iterationsRequested: config.iterations,
				iterations: done,
				parameterIds: r.parameterIds,
				heldFixed: r.heldFixed,
				redrawn: r.redrawn,
				payment: deterministicRun.payment && { strategy: deterministicRun.payment.strategy, comparator: deterministicRun.payment.comparator },
				deterministic,
				perIteration: done === config.iterations ? perIteration : trimSeries(perIteration, done * years)
			};
		}
	};
}

/**
 * The whole probabilistic budget in one call, with progress and cancellation between chunks
 * (default 256 iterations: whole batches of the PSA).
 * @example runBudgetPsa(compiled, settings, { iterations: 1000, seed: 1 }).perIteration.incremental
 */
export function runBudgetPsa(cm: CompiledModel, settings: BudgetSettings, config: BudgetPsaConfig, hooks: RunPsaHooks = {}): BudgetPsaResult {
	const bp = createBudgetPsa(cm, settings, config);
	const chunk = hooks.chunk ?? 256;
	for (;;) {
		if (hooks.isCancelled?.()) break;
		const p = bp.step(chunk);
		hooks.onProgress?.(p);
		if (p.finished) break;
	}
	return bp.result();
}

/**
 * The budget of one PSA iteration: the iteration's draws as parameter overrides, the cohort runs
 * of the strategies the budget uses, then the deterministic budget's arithmetic; the payment
 * models take the iteration's discounted costs and QALYs from the PSA.
 */
function drawBudget(compiled: CompiledModel, settings: BudgetSettings, options: { run?: RunOptions; years?: number; discountRate?: number }) {
	const fullRunner = createRunner(compiled);
	const plan = planBudget(compiled, settings, options, fullRunner);
	const strategies = compiled.strategies.length;
	const used = strategiesUsed(plan);
	const runner = used.length === strategies ? fullRunner : subsetRunner(compiled, used);
	const paymentSettings = settings.payment;
	const failure: FailureModel | null = paymentSettings ? failureModel(compiled, paymentSettings.strategy, paymentSettings.failureStates) : null;
	const oneOff = paymentSettings ? compiled.strategies.findIndex((strategy) => strategy.id === paymentSettings.strategy) : -1;
	const comparator = paymentSettings ? compiled.strategies.findIndex((strategy) => strategy.id === paymentSettings.comparator) : -1;
	// the profiles need the first profileCycles cycles only, which do not depend on the horizon
	// (the ICERs come from the PSA, which runs the model as specified)
	const profilePlan: BudgetPlan = { ...plan, cohortOptions: { ...plan.cohortOptions, settings: { ...plan.cohortOptions.settings, horizon: plan.profileCycles } } };
	return (iteration: number, psa: PsaResult): { budget: BudgetResult; payment: PaymentComparison | null } => {
		const drawn = psa.parameterIds.length;
		const parameters: Record<string, number> = { ...(options.run?.parameters ?? {}) };
		for (let k = 0; k < drawn; k++) parameters[psa.parameterIds[k]] = psa.draws[iteration * drawn + k];
		try {
			const cohorts = budgetCohorts(runner, profilePlan, compiled.dead, parameters);
			const profiles = inModelOrder(cohorts.profiles, used, plan);
			const prevalentProfiles = cohorts.prevalentProfiles && inModelOrder(cohorts.prevalentProfiles, used, plan);
			const budget = budgetImpact({ ...plan.input, profiles, prevalentProfiles });
			if (!paymentSettings || !failure) return { budget, payment: null };
			const payment = paymentComparison(plan, compiled.categoryIds, { profiles, prevalentProfiles }, {
				oneOffInModel: oneOffCost(cohorts.result, paymentSettings.strategy, paymentSettings.priceCategory),
				failure: failureCurveOf(failure, plan.profileYears, { ...profilePlan.cohortOptions, parameters }),
				strategy: { cost: psa.cost[iteration * strategies + oneOff], qaly: psa.qaly[iteration * strategies + oneOff] },
				comparator: { cost: psa.cost[iteration * strategies + comparator], qaly: psa.qaly[iteration * strategies + comparator] },
				costDiscountRate: psa.settings.discountRates.costs,
				willingnessToPay: psa.settings.willingnessToPay
			});
			return { budget, payment };
		} catch (error) {
			if (!(error instanceof ModelError)) throw error;
			throw new ModelError(error.issues.map((problem) => ({ ...problem, message: `${problem.message} [budget PSA iteration ${iteration + 1}, seed ${psa.seed}]` })));
		}
	};
}

/** Model-order indices of the strategies some patient can start, or that the capacity or payment settings name. */
function strategiesUsed(plan: BudgetPlan): number[] {
	const { strategyIds, current, new: next, capacity } = plan.input;
	const strategyCount = strategyIds.length;
	const used = new Set<number>();
	for (const world of [current, next]) {
		for (let k = 0; k < world.shares.incident.length; k++) if (world.shares.incident[k] > 0) used.add(k % strategyCount);
		for (let s = 0; s < strategyCount; s++) if (world.shares.prevalent[s] > 0) used.add(s);
	}
	if (capacity) used.add(capacity.strategy).add(capacity.queueOn);
	const paymentSettings = plan.settings.payment;
	if (paymentSettings) used.add(strategyIds.indexOf(paymentSettings.strategy));
	return [...used].sort((a, b) => a - b);
}

/** A runner of the model with only the strategies `used` (in model order); each strategy's cohort is independent of the others. */
function subsetRunner(compiled: CompiledModel, used: number[]): Runner {
	const keptIds = new Set(used.map((s) => compiled.strategies[s].id));
	// the model's comparison names strategies that may be left out
	return createRunner(compile({ ...compiled.model, strategies: compiled.model.strategies.filter((strategy) => keptIds.has(strategy.id)), comparison: undefined }));
}

/** Profiles of the used strategies placed at their model positions; the others cost nothing and nobody starts them. */
function inModelOrder(profiles: AnnualProfile[], used: number[], plan: BudgetPlan): AnnualProfile[] {
	const { strategyIds, categoryIds } = plan.input;
	const profileYears = plan.profileYears;
	const all: AnnualProfile[] = strategyIds.map((id) => ({ strategyId: id, label: id, years: profileYears, categoryIds, cost: new Float64Array(profileYears * categoryIds.length), alive: new Float64Array(profileYears + 1) }));
	used.forEach((s, k) => (all[s] = profiles[k]));
	return all;
}

function newSeries(iterations: number, years: number, payment: PaymentComparison | null): BudgetSeries {
	const length = iterations * years;
	return {
		current: new Float64Array(length),
		new: new Float64Array(length),
		incremental: new Float64Array(length),
		cumulativeIncremental: new Float64Array(length),
		payment: (payment?.models ?? []).map((model) => ({ id: model.id, label: model.label, incremental: new Float64Array(length), cumulativeIncremental: new Float64Array(length), refundsPaid: new Float64Array(length) }))
	};
}

/** Writes one iteration's budget and payment figures at row `iteration`. */
function storeSeries(series: BudgetSeries, iteration: number, years: number, budget: BudgetResult, payment: PaymentComparison | null): void {
	const at = iteration * years;
	series.current.set(budget.current.total, at);
	series.new.set(budget.new.total, at);
	series.incremental.set(budget.incremental, at);
	series.cumulativeIncremental.set(budget.cumulativeIncremental, at);
	series.payment.forEach((paymentSeries, modelIndex) => {
		const model = (payment as PaymentComparison).models[modelIndex];
		let running = 0;
		for (let t = 0; t < years; t++) {
			running += model.incremental[t];
			paymentSeries.incremental[at + t] = model.incremental[t];
			paymentSeries.cumulativeIncremental[at + t] = running;
			paymentSeries.refundsPaid[at + t] = model.refundsPaid[t];
		}
	});
}

/** The first `length` values of every series (the completed iterations' rows). */
function trimSeries(series: BudgetSeries, length: number): BudgetSeries {
	return {
		current: series.current.slice(0, length),
		new: series.new.slice(0, length),
		incremental: series.incremental.slice(0, length),
		cumulativeIncremental: series.cumulativeIncremental.slice(0, length),
		payment: series.payment.map((paymentSeries) => ({
			...paymentSeries,
			incremental: paymentSeries.incremental.slice(0, length),
			cumulativeIncremental: paymentSeries.cumulativeIncremental.slice(0, length),
			refundsPaid: paymentSeries.refundsPaid.slice(0, length)
		}))
	};
}

/** Mean and percentile interval of one yearly figure over the iterations, with the base case beside it. */
export interface SeriesSummary {
	/** base case (deterministic), per year */
	deterministic: Float64Array;
	mean: Float64Array;
	/** the (1 - level) / 2 and (1 + level) / 2 quantiles, per year (2.5th and 97.5th percentiles at 95%) */
	lower: Float64Array;
	upper: Float64Array;
}

export interface BudgetPsaSummary {
	iterations: number;
	years: number;
	level: number;
	current: SeriesSummary;
	new: SeriesSummary;
	incremental: SeriesSummary;
	cumulativeIncremental: SeriesSummary;
	/** P(cumulative budget impact < 0 by year t): the share of iterations in which it is a saving */
	probabilitySaving: Float64Array;
	payment: { id: PaymentModelId; label: string; incremental: SeriesSummary; cumulativeIncremental: SeriesSummary; refundsPaid: SeriesSummary; probabilitySaving: Float64Array }[];
}

/**
 * Per year: mean, and the percentile interval with quantiles interpolated between order
 * statistics (R's type 7, as quantileOf); P(saving by year t) = #{i : cumulative_i(t) < 0} / n.
 * @example
 * const s = summariseBudgetPsa(runBudgetPsa(compiled, settings, { iterations: 1000, seed: 1 }));
 * [s.incremental.lower[0], s.incremental.upper[0]]; // 95% interval of the year-1 budget impact
 */
export function summariseBudgetPsa(r: BudgetPsaResult, level = 0.95): BudgetPsaSummary {
	if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
	const n = r.iterations;
	const T = r.years;
	const of = (values: Float64Array, base: Float64Array) => seriesSummary(values, base, n, T, level);
	const d = r.deterministic;
	const p = r.perIteration;
	return {
		iterations: n,
		years: T,
		level,
		current: of(p.current, d.current),
		new: of(p.new, d.new),
		incremental: of(p.incremental, d.incremental),
		cumulativeIncremental: of(p.cumulativeIncremental, d.cumulativeIncremental),
		probabilitySaving: shareBelowZero(p.cumulativeIncremental, n, T),
		payment: p.payment.map((m, k) => ({
			id: m.id,
			label: m.label,
			incremental: of(m.incremental, d.payment[k].incremental),
			cumulativeIncremental: of(m.cumulativeIncremental, d.payment[k].cumulativeIncremental),
			refundsPaid: of(m.refundsPaid, d.payment[k].refundsPaid),
			probabilitySaving: shareBelowZero(m.cumulativeIncremental, n, T)
		}))
	};
}

function seriesSummary(values: Float64Array, base: Float64Array, iterations: number, years: number, level: number): SeriesSummary {
	const mean = new Float64Array(years);
	const lower = new Float64Array(years);
	const upper = new Float64Array(years);
	const column = new Float64Array(iterations);
	for (let t = 0; t < years; t++) {
		let sum = 0;
		for (let i = 0; i < iterations; i++) sum += column[i] = values[i * years + t];
		column.sort();
		mean[t] = iterations ? sum / iterations : NaN;
		lower[t] = quantileOf(column, (1 - level) / 2);
		upper[t] = quantileOf(column, (1 + level) / 2);
	}
	return { deterministic: base.slice(0, years), mean, lower, upper };
}

function shareBelowZero(values: Float64Array, iterations: number, years: number): Float64Array {
	const share = new Float64Array(years);
	for (let t = 0; t < years; t++) {
		let below = 0;
		for (let i = 0; i < iterations; i++) if (values[i * years + t] < 0) below++;
		share[t] = iterations ? below / iterations : NaN;
	}
	return share;
}
