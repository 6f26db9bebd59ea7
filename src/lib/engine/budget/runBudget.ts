/**
 * runBudget(compiled, settings): the budget impact analysis and payment-model comparison for one
 * model and one set of budget settings. Define, then evaluate (ARCHITECTURE.md, principle 1):
 * `planBudget` checks the settings once; `budgetCohorts` runs the cohort model once per strategy
 * (and once more for prevalent patients of another age) and turns the runs into per-patient
 * yearly profiles; everything else (`budgetImpact`, `paymentComparison`) is arithmetic on the
 * profiles. The probabilistic budget (budgetPsa.ts) calls the same three steps per PSA draw.
 *
 * Prevalent patients (method and limitation): they enter in budget year 1 with the cohort profile
 * from model start (state distribution and one-off costs of a new starter), at the model's start
 * age or at `prevalentStartAge` when given. Their earlier years of disease and treatment are not
 * represented: a real prevalent population is spread over disease states and durations, so their
 * yearly costs are approximated by those of new starters.
 */
import type { CompiledModel } from '../model/compile';
import { createRunner, type RunOptions, type RunResult, type Runner } from '../simulate/run';
import { annualProfiles, type AnnualProfile } from './profiles';
import { eligiblePopulation, type EligiblePopulation } from './population';
import { resolveShares } from './uptake';
import { budgetImpact, type BudgetCapacity, type BudgetInput, type BudgetResult } from './budgetImpact';
import { failureCurve, type FailureCurve } from './failure';
import { paymentModels, type PaymentResult } from './paymentModels';
import { BudgetSettingsError, checkBudgetSettings, type BudgetSettings } from './settings';

export interface BudgetRunOptions {
	/** model scenario, parameter and settings overrides */
	run?: RunOptions;
	/**
	 * Reuses cohort runs between calls (the app re-runs the budget on every input change; only
	 * scenario, horizon, failure states or prevalent age need new cohort runs).
	 */
	cache?: BudgetCache;
	/** overrides settings.horizonYears */
	years?: number;
	/** overrides settings.discountRate */
	discountRate?: number;
}

export interface PaymentComparison {
	strategy: string;
	comparator: string;
	priceCategory: string;
	price: number;
	oneOffInModel: number;
	priceCapPerQaly: number;
	failure: FailureCurve;
	models: (PaymentResult & {
		/** budget impact with this payment model (new minus current world, per year) */
		incremental: Float64Array;
		cumulativeIncremental: number;
		/**
		 * refunds paid to the payer in each budget year for the new world's patients on the one-off
		 * therapy (positive; discounted as the budget is)
		 */
		refundsPaid: Float64Array;
		/**
		 * payments still due after the horizon for patients treated within it (new minus current
		 * world, undiscounted): deferred payment is owed, not saved
		 */
		dueAfterHorizon: number;
	})[];
}

export interface BudgetRun {
	settings: BudgetSettings;
	modelId: string;
	title: string;
	currency: string;
	priceYear: number;
	years: number;
	discountRate: number;
	strategyIds: string[];
	strategyLabels: string[];
	categoryIds: string[];
	categoryLabels: string[];
	population: EligiblePopulation;
	profiles: AnnualProfile[];
	budget: BudgetResult;
	payment: PaymentComparison | null;
	run: RunResult;
}

/** Memo of the cohort runs behind a budget, keyed by what they depend on; one model per cache. */
export class BudgetCache {
	private entries = new Map<string, unknown>();
	constructor(private readonly limit = 8) {}
	get<T>(key: unknown, compute: () => T): T {
		const k = JSON.stringify(key);
		if (this.entries.has(k)) return this.entries.get(k) as T;
		const v = compute();
		if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
		this.entries.set(k, v);
		return v;
	}
}

/** A budget's checked settings and what follows from them, before any cohort run. */
export interface BudgetPlan {
	settings: BudgetSettings;
	years: number;
	discountRate: number;
	/** years of per-patient profile the budget and the payment schedules need */
	profileYears: number;
	/** cycles that cover the profile years (a run this long gives the same profiles as a longer one) */
	profileCycles: number;
	/** options of the cohort runs behind the profiles (horizon extended, life-table correction) */
	cohortOptions: RunOptions;
	/** the cohort runs are the model as specified (same correction and horizon), so the ICERs can come from them */
	cohortIsModel: boolean;
	population: EligiblePopulation;
	/** what budgetImpact needs besides the profiles */
	input: Omit<BudgetInput, 'profiles' | 'prevalentProfiles'>;
}

/**
 * Checks budget settings against a model (every problem at once, each with its path, as a
 * BudgetSettingsError) and derives the cohort runs' options: the horizon extended to
 * max(model horizon, ceil(profile years / cycle length)) and half-cycle or Simpson correction
 * replaced by the life-table method, which keeps each cycle's cost in its own budget year.
 * @example
 * const plan = planBudget(compiled, settings, { years: 10 }, createRunner(compiled));
 * plan.population.prevalent; // eligible prevalent patients in year 1
 */
export function planBudget(cm: CompiledModel, settings: BudgetSettings, options: BudgetRunOptions, runner: Runner): BudgetPlan {
	const strategyIds = cm.strategies.map((s) => s.id);
	const years = options.years ?? settings.horizonYears;
	const deadStates = cm.model.states.filter((s) => s.dead).map((s) => s.id);
	const issues = checkBudgetSettings(
		settings,
		{ strategyIds, categoryIds: cm.categoryIds, stateIds: cm.stateIds, deadStates },
		Number.isInteger(years) ? Math.min(years, 100) : settings.horizonYears
	);
	if (!(Number.isInteger(years) && years >= 1 && years <= 100))
		issues.push({ path: 'horizonYears', code: 'parameter-range', message: `${years} is not a whole number of years in [1, 100]` });
	const discountRate = options.discountRate ?? settings.discountRate;
	if (!(discountRate >= 0 && discountRate <= 1))
		issues.push({ path: 'discountRate', code: 'parameter-range', message: `${discountRate} is not a rate in [0, 1]` });
	if (issues.length) throw new BudgetSettingsError(issues);

	const pay = settings.payment;
	const profileYears = Math.max(years, pay ? Math.max(pay.instalmentYears, pay.outcomeWindowYears) : 0);
	const base = runner.resolve(options.run).settings;
	const profileCycles = Math.ceil(profileYears / base.cycleLength - 1e-9);
	const horizon = Math.max(base.horizon, profileCycles);
	// Half-cycle and Simpson weights move value across cycle boundaries (half-cycle counts 1.5
	// cycles of cost in cycle 1 and 0.5 in the last), which is right for lifetime totals but puts
	// costs in the wrong budget year. The budget runs use the life-table method, which counts each
	// cycle as the mean of its start and end occupancy (same totals for constant values); 'start'
	// and 'end' already keep each cycle's value in its own interval.
	const cycleCorrection = base.cycleCorrection === 'half-cycle' || base.cycleCorrection === 'simpson' ? 'life-table' : base.cycleCorrection;
	const cohortOptions: RunOptions = { ...options.run, settings: { ...(options.run?.settings ?? {}), horizon, cycleCorrection } };
	const population = eligiblePopulation(settings.population, years);
	const capacity: BudgetCapacity | undefined = settings.capacity
		? {
				strategy: strategyIds.indexOf(settings.capacity.strategy),
				slots: new Float64Array(years).fill(settings.capacity.slotsPerYear.value),
				queueOn: strategyIds.indexOf(settings.capacity.queueOn),
				queue: settings.capacity.queue
			}
		: undefined;
	const input = {
		years,
		strategyIds,
		categoryIds: cm.categoryIds,
		prevalent: population.prevalent,
		incident: population.incident,
		current: { shares: resolveShares(settings.uptake.current, strategyIds, years) },
		new: { shares: resolveShares(settings.uptake.new, strategyIds, years) },
		capacity,
		discountRate
	};
	const cohortIsModel = cycleCorrection === base.cycleCorrection && horizon === base.horizon;
	return { settings, years, discountRate, profileYears, profileCycles, cohortOptions, cohortIsModel, population, input };
}

/** The cohort runs behind a budget and the per-patient profiles read from them (the runner's strategy order). */
export interface BudgetCohorts {
	result: RunResult;
	profiles: AnnualProfile[];
	/** with settings.prevalentStartAge: the profiles of patients starting at that age */
	prevalentProfiles?: AnnualProfile[];
}

/**
 * Runs the cohort model for a budget (`plan.cohortOptions`, plus `parameters` when given, e.g.
 * one PSA draw) and reads each strategy's per-patient yearly profile (annualProfiles); with a
 * prevalent start age, a second run at that age gives the prevalent patients' profiles.
 * @example budgetCohorts(runner, plan, compiled.dead).profiles[0].cost // by year since entry and category
 */
export function budgetCohorts(runner: Runner, plan: BudgetPlan, dead: ArrayLike<number | boolean>, parameters?: Record<string, number>): BudgetCohorts {
	const options: RunOptions = parameters ? { ...plan.cohortOptions, parameters } : plan.cohortOptions;
	const result = runner.run(options);
	const profiles = annualProfiles(result, dead, plan.profileYears);
	const age = plan.settings.prevalentStartAge?.value;
	if (age === undefined) return { result, profiles };
	const older = runner.run({ ...options, settings: { ...options.settings, startAge: age } });
	return { result, profiles, prevalentProfiles: annualProfiles(older, dead, plan.profileYears) };
}

/** What the payment models need from the cohort model besides the profiles. */
export interface PaymentEvidence {
	/** the one-off cost the model charges the one-off strategy at model start in the price category */
	oneOffInModel: number;
	failure: FailureCurve;
	/** discounted cost and QALYs per patient of the one-off strategy and its comparator (the model as specified) */
	strategy: { cost: number; qaly: number };
	comparator: { cost: number; qaly: number };
	costDiscountRate: number;
	willingnessToPay: number;
}

/**
 * The payment-model comparison (paymentModels) and, for each model, the budget recomputed with
 * the one-off strategy's price replaced by the model's schedule; refunds paid in budget year t =
 * sum over entry years e <= t of (new-world starts in e) x refund[t - e], discounted as the budget.
 * @example paymentComparison(plan, compiled.categoryIds, cohorts, evidence)!.models[0].incremental
 */
export function paymentComparison(
	plan: BudgetPlan,
	categoryIds: string[],
	cohorts: Pick<BudgetCohorts, 'profiles' | 'prevalentProfiles'>,
	evidence: PaymentEvidence
): PaymentComparison | null {
	const pay = plan.settings.payment;
	if (!pay) return null;
	const { strategyIds } = plan.input;
	const oneOff = strategyIds.indexOf(pay.strategy);
	const priceColumn = categoryIds.indexOf(pay.priceCategory);
	const price = pay.price ?? evidence.oneOffInModel;
	const priceCapPerQaly = pay.priceCapPerQaly ?? evidence.willingnessToPay;
	const results = paymentModels({
		price,
		oneOffInModel: evidence.oneOffInModel,
		alive: cohorts.profiles[oneOff].alive,
		failure: evidence.failure,
		instalmentYears: pay.instalmentYears,
		instalmentRate: pay.instalmentRate,
		refundShare: pay.refundShare,
		outcomeWindowYears: pay.outcomeWindowYears,
		priceCapPerQaly,
		costDiscountRate: evidence.costDiscountRate,
		strategy: evidence.strategy,
		comparator: evidence.comparator
	});
	const strategies = strategyIds.length;
	const years = plan.years;
	const budgets: { schedule: Float64Array; budget: BudgetResult }[] = [];
	const models = results.map((model) => {
		const swap = (list: AnnualProfile[] | undefined) => list && withSchedule(list, oneOff, priceColumn, evidence.oneOffInModel, model.schedule);
		// a schedule already costed (price-cap below the cap is upfront at the list price) has the same budget
		let budget = budgets.find((x) => sameValues(x.schedule, model.schedule))?.budget;
		if (!budget) {
			budget = budgetImpact({ ...plan.input, profiles: swap(cohorts.profiles)!, prevalentProfiles: swap(cohorts.prevalentProfiles) });
			budgets.push({ schedule: model.schedule, budget });
		}
		let dueAfterHorizon = 0;
		for (let t = 0; t < years; t++) {
			let tail = 0;
			for (let j = years - t; j < model.schedule.length; j++) tail += model.schedule[j];
			dueAfterHorizon += (budget.new.starts[t * strategies + oneOff] - budget.current.starts[t * strategies + oneOff]) * tail;
		}
		const refundsPaid = byBudgetYear(budget.new.starts, strategies, oneOff, model.refunds, years, plan.discountRate);
		return { ...model, incremental: budget.incremental, cumulativeIncremental: budget.cumulativeIncremental[years - 1], refundsPaid, dueAfterHorizon };
	});
	return { strategy: pay.strategy, comparator: pay.comparator, priceCategory: pay.priceCategory, price, oneOffInModel: evidence.oneOffInModel, priceCapPerQaly, failure: evidence.failure, models };
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Profiles with strategy si's one-off cost in category pc replaced by a payment schedule by year since treatment. */
function withSchedule(list: AnnualProfile[], si: number, pc: number, oneOff: number, schedule: Float64Array): AnnualProfile[] {
	return list.map((p, s) => {
		if (s !== si) return p;
		const C = p.categoryIds.length;
		const cost = Float64Array.from(p.cost);
		cost[pc] -= oneOff;
		for (let j = 0; j < schedule.length; j++) cost[j * C + pc] += schedule[j];
		return { ...p, cost };
	});
}

/**
 * A per-patient amount by year since treatment, over the patients starting strategy s:
 * out[t] = sum_{e <= t} starts[e * S + s] x perPatient[t - e] / (1 + r)^t.
 */
function byBudgetYear(starts: Float64Array, S: number, s: number, perPatient: Float64Array, T: number, r: number): Float64Array {
	const out = new Float64Array(T);
	for (let t = 0; t < T; t++) {
		let v = 0;
		for (let e = 0; e <= t && t - e < perPatient.length; e++) v += starts[e * S + s] * perPatient[t - e];
		out[t] = r > 0 ? v / Math.pow(1 + r, t) : v;
	}
	return out;
}

/**
 * The budget impact and payment comparison of one model and one set of budget settings, from the
 * model's own parameters (scenario and overrides in `options.run`).
 * @example
 * const r = runBudget(compiled, parseBudgetSettings(json), { years: 10 });
 * r.budget.cumulativeIncremental[9]; // new minus current world over 10 years
 */
export function runBudget(cm: CompiledModel, settings: BudgetSettings, options: BudgetRunOptions = {}): BudgetRun {
	const cache = options.cache ?? new BudgetCache();
	const runner = cache.get(['runner'], () => createRunner(cm));
	const plan = planBudget(cm, settings, options, runner);
	const prevalentAge = settings.prevalentStartAge?.value;
	const cohorts = cache.get(['cohorts', plan.cohortOptions, plan.profileYears, prevalentAge], () => budgetCohorts(runner, plan, cm.dead));
	const result = cohorts.result;
	const budget = budgetImpact({ ...plan.input, profiles: cohorts.profiles, prevalentProfiles: cohorts.prevalentProfiles });
	const pay = settings.payment;
	let payment: PaymentComparison | null = null;
	if (pay) {
		// the ICERs come from the model as specified (its own cycle correction and horizon)
		const cea = plan.cohortIsModel ? result : cache.get(['cea', options.run ?? {}], () => runner.run(options.run));
		const totals = (id: string) => {
			const d = cea.strategies[plan.input.strategyIds.indexOf(id)].discounted;
			return { cost: d.cost, qaly: d.qaly };
		};
		const failure = cache.get(['failure', pay.strategy, pay.failureStates, plan.profileYears, plan.cohortOptions], () =>
			failureCurve(cm, pay.strategy, pay.failureStates, plan.profileYears, plan.cohortOptions)
		);
		payment = paymentComparison(plan, cm.categoryIds, cohorts, {
			oneOffInModel: oneOffCost(result, pay.strategy, pay.priceCategory),
			failure,
			strategy: totals(pay.strategy),
			comparator: totals(pay.comparator),
			costDiscountRate: result.settings.discountRates.costs,
			willingnessToPay: result.settings.willingnessToPay
		});
	}
	return {
		settings,
		modelId: cm.model.id,
		title: cm.model.title,
		currency: result.settings.currency,
		priceYear: result.settings.priceYear,
		years: plan.years,
		discountRate: plan.discountRate,
		strategyIds: plan.input.strategyIds,
		strategyLabels: result.strategies.map((s) => s.label),
		categoryIds: cm.categoryIds,
		categoryLabels: result.categoryLabels,
		population: plan.population,
		profiles: cohorts.profiles,
		budget,
		payment,
		run: result
	};
}

/**
 * The one-off cost of a strategy at model start in one cost category (undiscounted, per patient).
 * @example oneOffCost(run(compiled), 'ahsct', 'procedure') // the transplant's cost at treatment
 */
export function oneOffCost(result: RunResult, strategyId: string, categoryId: string): number {
	const s = result.strategies.find((x) => x.id === strategyId);
	const c = result.categoryIds.indexOf(categoryId);
	return s && c >= 0 ? s.cycleCostsUndiscounted[c] : 0;
}

/** One row per budget year: the table behind the chart, the CSV download and the CLI output. */
export interface BudgetRow {
	year: number;
	current: number;
	new: number;
	incremental: number;
	cumulativeIncremental: number;
	/** incremental by category id */
	incrementalByCategory: Record<string, number>;
	/** new-world cost by category id */
	newByCategory: Record<string, number>;
	currentByCategory: Record<string, number>;
	/** starts by strategy id in each world */
	startsCurrent: Record<string, number>;
	startsNew: Record<string, number>;
	/** patients alive at the start of the year who started each strategy, in each world */
	aliveCurrent: Record<string, number>;
	aliveNew: Record<string, number>;
	waitingNew: number;
}

/**
 * The budget as one row per year, figures keyed by category and strategy id.
 * @example budgetRows(runBudget(compiled, settings).budget)[0].incremental // year 1, new minus current
 */
export function budgetRows(b: BudgetResult): BudgetRow[] {
	const C = b.categoryIds.length;
	const S = b.strategyIds.length;
	const rows: BudgetRow[] = [];
	for (let t = 0; t < b.years; t++) {
		const byCat = (a: Float64Array) => Object.fromEntries(b.categoryIds.map((c, i) => [c, a[t * C + i]]));
		const byStrat = (a: Float64Array) => Object.fromEntries(b.strategyIds.map((s, i) => [s, a[t * S + i]]));
		rows.push({
			year: t + 1,
			current: b.current.total[t],
			new: b.new.total[t],
			incremental: b.incremental[t],
			cumulativeIncremental: b.cumulativeIncremental[t],
			incrementalByCategory: byCat(b.incrementalByCategory),
			newByCategory: byCat(b.new.byCategory),
			currentByCategory: byCat(b.current.byCategory),
			startsCurrent: byStrat(b.current.starts),
			startsNew: byStrat(b.new.starts),
			aliveCurrent: byStrat(b.current.alive),
			aliveNew: byStrat(b.new.alive),
			waitingNew: b.new.waiting[t]
		});
	}
	return rows;
}
