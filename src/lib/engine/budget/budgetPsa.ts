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
function drawBudget(cm: CompiledModel, settings: BudgetSettings, options: { run?: RunOptions; years?: number; discountRate?: number }) {
	const full = createRunner(cm);
	const plan = planBudget(cm, settings, options, full);
	const strategies = cm.strategies.length;
	const used = strategiesUsed(plan);
	const runner = used.length === strategies ? full : subsetRunner(cm, used);
	const pay = settings.payment;
	const failure: FailureModel | null = pay ? failureModel(cm, pay.strategy, pay.failureStates) : null;
	const oneOff = pay ? cm.strategies.findIndex((s) => s.id === pay.strategy) : -1;
	const comparator = pay ? cm.strategies.findIndex((s) => s.id === pay.comparator) : -1;
	// the profiles need the first profileCycles cycles only, which do not depend on the horizon
	// (the ICERs come from the PSA, which runs the model as specified)
	const short: BudgetPlan = { ...plan, cohortOptions: { ...plan.cohortOptions, settings: { ...plan.cohortOptions.settings, horizon: plan.profileCycles } } };
	return (i: number, psa: PsaResult): { budget: BudgetResult; payment: PaymentComparison | null } => {
		const drawn = psa.parameterIds.length;
		const parameters: Record<string, number> = { ...(options.run?.parameters ?? {}) };
		for (let k = 0; k < drawn; k++) parameters[psa.parameterIds[k]] = psa.draws[i * drawn + k];
		try {
			const cohorts = budgetCohorts(runner, short, cm.dead, parameters);
			const profiles = inModelOrder(cohorts.profiles, used, plan);
			const prevalentProfiles = cohorts.prevalentProfiles && inModelOrder(cohorts.prevalentProfiles, used, plan);
			const budget = budgetImpact({ ...plan.input, profiles, prevalentProfiles });
			if (!pay || !failure) return { budget, payment: null };
			const payment = paymentComparison(plan, cm.categoryIds, { profiles, prevalentProfiles }, {
				oneOffInModel: oneOffCost(cohorts.result, pay.strategy, pay.priceCategory),
				failure: failureCurveOf(failure, plan.profileYears, { ...short.cohortOptions, parameters }),
				strategy: { cost: psa.cost[i * strategies + oneOff], qaly: psa.qaly[i * strategies + oneOff] },
				comparator: { cost: psa.cost[i * strategies + comparator], qaly: psa.qaly[i * strategies + comparator] },
				costDiscountRate: psa.settings.discountRates.costs,
				willingnessToPay: psa.settings.willingnessToPay
			});
			return { budget, payment };
		} catch (e) {
			if (!(e instanceof ModelError)) throw e;
			throw new ModelError(e.issues.map((x) => ({ ...x, message: `${x.message} [budget PSA iteration ${i + 1}, seed ${psa.seed}]` })));
		}
	};
}

/** Model-order indices of the strategies some patient can start, or that the capacity or payment settings name. */
function strategiesUsed(plan: BudgetPlan): number[] {
	const { strategyIds, current, new: next, capacity } = plan.input;
	const S = strategyIds.length;
	const used = new Set<number>();
	for (const w of [current, next]) {
		for (let k = 0; k < w.shares.incident.length; k++) if (w.shares.incident[k] > 0) used.add(k % S);
		for (let s = 0; s < S; s++) if (w.shares.prevalent[s] > 0) used.add(s);
	}
	if (capacity) used.add(capacity.strategy).add(capacity.queueOn);
	const pay = plan.settings.payment;
	if (pay) used.add(strategyIds.indexOf(pay.strategy));
	return [...used].sort((a, b) => a - b);
}

/** A runner of the model with only the strategies `used` (in model order); each strategy's cohort is independent of the others. */
function subsetRunner(cm: CompiledModel, used: number[]): Runner {
	const keep = new Set(used.map((s) => cm.strategies[s].id));
	// the model's comparison names strategies that may be left out
	return createRunner(compile({ ...cm.model, strategies: cm.model.strategies.filter((s) => keep.has(s.id)), comparison: undefined }));
}

/** Profiles of the used strategies placed at their model positions; the others cost nothing and nobody starts them. */
function inModelOrder(profiles: AnnualProfile[], used: number[], plan: BudgetPlan): AnnualProfile[] {
	const { strategyIds, categoryIds } = plan.input;
	const Y = plan.profileYears;
	const all: AnnualProfile[] = strategyIds.map((id) => ({ strategyId: id, label: id, years: Y, categoryIds, cost: new Float64Array(Y * categoryIds.length), alive: new Float64Array(Y + 1) }));
	used.forEach((s, k) => (all[s] = profiles[k]));
	return all;
}

function newSeries(iterations: number, T: number, payment: PaymentComparison | null): BudgetSeries {
	const n = iterations * T;
	return {
		current: new Float64Array(n),
		new: new Float64Array(n),
		incremental: new Float64Array(n),
		cumulativeIncremental: new Float64Array(n),
		payment: (payment?.models ?? []).map((m) => ({ id: m.id, label: m.label, incremental: new Float64Array(n), cumulativeIncremental: new Float64Array(n), refundsPaid: new Float64Array(n) }))
	};
}

/** Writes one iteration's budget and payment figures at row i. */
function storeSeries(series: BudgetSeries, i: number, T: number, b: BudgetResult, payment: PaymentComparison | null): void {
	const at = i * T;
	series.current.set(b.current.total, at);
	series.new.set(b.new.total, at);
	series.incremental.set(b.incremental, at);
	series.cumulativeIncremental.set(b.cumulativeIncremental, at);
	series.payment.forEach((p, m) => {
		const model = (payment as PaymentComparison).models[m];
		let running = 0;
		for (let t = 0; t < T; t++) {
			running += model.incremental[t];
			p.incremental[at + t] = model.incremental[t];
			p.cumulativeIncremental[at + t] = running;
			p.refundsPaid[at + t] = model.refundsPaid[t];
		}
	});
}

function trimSeries(s: BudgetSeries, n: number): BudgetSeries {
	return {
		current: s.current.slice(0, n),
		new: s.new.slice(0, n),
		incremental: s.incremental.slice(0, n),
		cumulativeIncremental: s.cumulativeIncremental.slice(0, n),
		payment: s.payment.map((p) => ({ ...p, incremental: p.incremental.slice(0, n), cumulativeIncremental: p.cumulativeIncremental.slice(0, n), refundsPaid: p.refundsPaid.slice(0, n) }))
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

function seriesSummary(values: Float64Array, base: Float64Array, n: number, T: number, level: number): SeriesSummary {
	const mean = new Float64Array(T);
	const lower = new Float64Array(T);
	const upper = new Float64Array(T);
	const column = new Float64Array(n);
	for (let t = 0; t < T; t++) {
		let sum = 0;
		for (let i = 0; i < n; i++) sum += column[i] = values[i * T + t];
		column.sort();
		mean[t] = n ? sum / n : NaN;
		lower[t] = quantileOf(column, (1 - level) / 2);
		upper[t] = quantileOf(column, (1 + level) / 2);
	}
	return { deterministic: base.slice(0, T), mean, lower, upper };
}

function shareBelowZero(values: Float64Array, n: number, T: number): Float64Array {
	const out = new Float64Array(T);
	for (let t = 0; t < T; t++) {
		let below = 0;
		for (let i = 0; i < n; i++) if (values[i * T + t] < 0) below++;
		out[t] = n ? below / n : NaN;
	}
	return out;
}
