/**
 * runBudget(compiled, settings): the budget impact analysis and payment-model comparison for one
 * model and one set of budget settings. Define, then evaluate: the cohort model is run once per
 * strategy (and once more for prevalent patients of another age, and once for the failure curve),
 * then everything else is arithmetic on the per-patient yearly profiles.
 *
 * Prevalent patients (method and limitation): they enter in budget year 1 with the cohort profile
 * from model start (state distribution and one-off costs of a new starter), at the model's start
 * age or at `prevalentStartAge` when given. Their earlier years of disease and treatment are not
 * represented: a real prevalent population is spread over disease states and durations, so their
 * yearly costs are approximated by those of new starters.
 */
import type { CompiledModel } from '../model/compile';
import { createRunner, type RunOptions, type RunResult } from '../simulate/run';
import { annualProfiles, type AnnualProfile } from './profiles';
import { eligiblePopulation, type EligiblePopulation } from './population';
import { resolveShares } from './uptake';
import { budgetImpact, type BudgetCapacity, type BudgetResult } from './budgetImpact';
import { failureCurve, type FailureCurve } from './failure';
import { paymentModels, type PaymentResult } from './paymentModels';
import { BudgetSettingsError, checkBudgetSettings, type BudgetSettings } from './settings';

export * from './settings';
export * from './population';
export * from './uptake';
export * from './profiles';
export * from './budgetImpact';
export * from './failure';
export * from './paymentModels';

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

export function runBudget(cm: CompiledModel, settings: BudgetSettings, options: BudgetRunOptions = {}): BudgetRun {
	const strategyIds = cm.strategies.map((s) => s.id);
	const years = options.years ?? settings.horizonYears;
	const issues = checkBudgetSettings(
		settings,
		{
			strategyIds,
			categoryIds: cm.categoryIds,
			stateIds: cm.stateIds,
			deadStates: cm.model.states.filter((s) => s.dead).map((s) => s.id)
		},
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
	const cache = options.cache ?? new BudgetCache();
	const runner = cache.get(['runner'], () => createRunner(cm));
	const base = runner.resolve(options.run).settings;
	const horizon = Math.max(base.horizon, Math.ceil(profileYears / base.cycleLength - 1e-9));
	// Half-cycle and Simpson weights move value across cycle boundaries (half-cycle counts 1.5
	// cycles of cost in cycle 1 and 0.5 in the last), which is right for lifetime totals but puts
	// costs in the wrong budget year. The budget runs use the life-table method, which counts each
	// cycle as the mean of its start and end occupancy (same totals for constant values); 'start'
	// and 'end' already keep each cycle's value in its own interval.
	const cycleCorrection = base.cycleCorrection === 'half-cycle' || base.cycleCorrection === 'simpson' ? 'life-table' : base.cycleCorrection;
	const runOptions: RunOptions = { ...options.run, settings: { ...(options.run?.settings ?? {}), horizon, cycleCorrection } };
	const result = cache.get(['run', runOptions], () => runner.run(runOptions));
	const profiles = cache.get(['profiles', runOptions, profileYears], () => annualProfiles(result, cm.dead, profileYears));
	const prevalentAge = settings.prevalentStartAge?.value;
	const prevalentProfiles =
		prevalentAge === undefined
			? undefined
			: cache.get(['prevalent', runOptions, profileYears, prevalentAge], () =>
					annualProfiles(runner.run({ ...runOptions, settings: { ...runOptions.settings, startAge: prevalentAge } }), cm.dead, profileYears)
				);

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
		profiles,
		prevalentProfiles,
		prevalent: population.prevalent,
		incident: population.incident,
		current: { shares: resolveShares(settings.uptake.current, strategyIds, years) },
		new: { shares: resolveShares(settings.uptake.new, strategyIds, years) },
		capacity,
		discountRate
	};
	const budget = budgetImpact(input);

	let payment: PaymentComparison | null = null;
	if (pay) {
		// the ICERs come from the model as specified (its own cycle correction and horizon)
		const cea = base.cycleCorrection === cycleCorrection ? null : cache.get(['cea', options.run ?? {}], () => runner.run(options.run));
		const totals = (i: number) => (cea ?? result).strategies[i].discounted;
		const si = strategyIds.indexOf(pay.strategy);
		const ci = strategyIds.indexOf(pay.comparator);
		const pc = cm.categoryIds.indexOf(pay.priceCategory);
		const C = cm.categoryIds.length;
		const oneOffInModel = result.strategies[si].cycleCostsUndiscounted[pc];
		const price = pay.price ?? oneOffInModel;
		const failure = cache.get(['failure', pay.strategy, pay.failureStates, profileYears, runOptions], () =>
			failureCurve(cm, pay.strategy, pay.failureStates, profileYears, runOptions)
		);
		const priceCapPerQaly = pay.priceCapPerQaly ?? result.settings.willingnessToPay;
		const models = paymentModels({
			price,
			oneOffInModel,
			alive: profiles[si].alive,
			failure,
			instalmentYears: pay.instalmentYears,
			instalmentRate: pay.instalmentRate,
			refundShare: pay.refundShare,
			outcomeWindowYears: pay.outcomeWindowYears,
			priceCapPerQaly,
			costDiscountRate: result.settings.discountRates.costs,
			strategy: { cost: totals(si).cost, qaly: totals(si).qaly },
			comparator: { cost: totals(ci).cost, qaly: totals(ci).qaly }
		}).map((m) => {
			// the one-off strategy's profile with the model's one-off price replaced by this schedule
			const swap = (list: AnnualProfile[] | undefined) =>
				list?.map((p, s) => {
					if (s !== si) return p;
					const cost = Float64Array.from(p.cost);
					cost[pc] -= oneOffInModel;
					for (let j = 0; j < m.schedule.length; j++) cost[j * C + pc] += m.schedule[j];
					return { ...p, cost };
				});
			const b = budgetImpact({ ...input, profiles: swap(profiles)!, prevalentProfiles: swap(prevalentProfiles) });
			const S = strategyIds.length;
			let dueAfterHorizon = 0;
			for (let t = 0; t < years; t++) {
				let tail = 0;
				for (let j = years - t; j < m.schedule.length; j++) tail += m.schedule[j];
				dueAfterHorizon += (b.new.starts[t * S + si] - b.current.starts[t * S + si]) * tail;
			}
			return { ...m, incremental: b.incremental, cumulativeIncremental: b.cumulativeIncremental[years - 1], dueAfterHorizon };
		});
		payment = { strategy: pay.strategy, comparator: pay.comparator, priceCategory: pay.priceCategory, price, oneOffInModel, priceCapPerQaly, failure, models };
	}

	return {
		settings,
		modelId: cm.model.id,
		title: cm.model.title,
		currency: result.settings.currency,
		priceYear: result.settings.priceYear,
		years,
		discountRate,
		strategyIds,
		strategyLabels: result.strategies.map((s) => s.label),
		categoryIds: cm.categoryIds,
		categoryLabels: result.categoryLabels,
		population,
		profiles,
		budget,
		payment,
		run: result
	};
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
