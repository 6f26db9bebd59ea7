/**
 * Budget impact: the yearly cost to the payer of the eligible population under the current
 * treatment mix and under a new one (Sullivan et al. 2014, Value Health 17(1):5-14; Mauskopf et
 * al. 2007, Value Health 10(5):336-347).
 *
 * Each group of patients starting a strategy in budget year y (a cohort) is costed on its own
 * time since treatment start: in budget year t >= y it costs size x profile[t - y]. The yearly
 * budget is the sum over cohorts, i.e. the convolution of entries with the per-patient profile,
 * not the profile read at calendar time (which would give every later cohort the costs of
 * patients already several years into treatment).
 *
 * Capacity: a strategy may be limited to a number of starts per year (e.g. transplant slots).
 * Patients over the limit start on `queueOn`; with `queue`, they wait there and take free slots
 * in later years, first come first served. A patient leaving the queue in year t after entering
 * it in year e stops the queueOn profile (a negative cohort of the same entry year from t on) and
 * starts the capacity strategy's profile at time 0; only those alive at t (queueOn's alive share
 * at t - e) can take a slot.
 *
 * Discounting is off by default, as the guidance recommends; with a rate r, year t (1-based) is
 * multiplied by 1 / (1 + r)^(t - 1), discounting from the start of the budget, not from each
 * patient's entry.
 *
 * The steps, in order: `enrolCohorts` (who starts what, when, the queue served first),
 * `costCohorts` (the convolution), `discountYears`, `sumWorld` (totals by year, category and
 * strategy); `budgetImpact` does them for both worlds and takes the difference.
 */
import type { AnnualProfile } from './profiles';
import type { ResolvedShares } from './uptake';

export interface BudgetCapacity {
	/** strategy index limited to `slots[y]` starts in year y */
	strategy: number;
	slots: Float64Array;
	queueOn: number;
	queue: boolean;
}

export interface WorldInput {
	shares: ResolvedShares;
}

export interface BudgetInput {
	years: number;
	strategyIds: string[];
	categoryIds: string[];
	/** per-patient profiles for incident patients (model order, years >= `years`) */
	profiles: AnnualProfile[];
	/** per-patient profiles for prevalent patients (default: `profiles`) */
	prevalentProfiles?: AnnualProfile[];
	prevalent: number;
	incident: Float64Array;
	current: WorldInput;
	new: WorldInput;
	capacity?: BudgetCapacity;
	/** 0 or undefined: undiscounted */
	discountRate?: number;
}

export interface WorldBudget {
	/** cost[(t * S + s) * C + c]: cost in budget year t of patients on strategy s, category c */
	cost: Float64Array;
	/** total[t]: all strategies and categories */
	total: Float64Array;
	/** byCategory[t * C + c] */
	byCategory: Float64Array;
	/** byStrategy[t * S + s] */
	byStrategy: Float64Array;
	/** starts[t * S + s]: patients starting strategy s in year t (prevalent, incident, and from the queue) */
	starts: Float64Array;
	/** alive[t * S + s]: patients alive at the start of year t who started strategy s (on it, or after it) */
	alive: Float64Array;
	/** waiting[t]: patients alive and waiting for the capacity-limited strategy at the end of year t */
	waiting: Float64Array;
}

export interface BudgetResult {
	years: number;
	strategyIds: string[];
	categoryIds: string[];
	discountRate: number;
	current: WorldBudget;
	new: WorldBudget;
	/** new minus current, per year */
	incremental: Float64Array;
	incrementalByCategory: Float64Array;
	/** running sums of `incremental` */
	cumulativeIncremental: Float64Array;
}

interface Cohort {
	strategy: number;
	/** entry year (years-since-entry = t - entry) */
	entry: number;
	/** first budget year it counts in (>= entry; later for the negative cohort of a switch) */
	from: number;
	size: number;
	profiles: AnnualProfile[];
}

/** Patients waiting for the capacity-limited strategy: entry year, those still waiting (as counted at entry), their profiles. */
interface QueueEntry {
	entry: number;
	remaining: number;
	profiles: AnnualProfile[];
}

/** The patients starting treatment in one year: how many, their market shares [offset + s], their profiles. */
interface StarterGroup {
	size: number;
	shares: Float64Array;
	offset: number;
	profiles: AnnualProfile[];
}

/** Who starts what and when in one world: the cohorts, starts[t * S + s] and waiting[t]. */
interface Enrolment {
	cohorts: Cohort[];
	starts: Float64Array;
	waiting: Float64Array;
}

/**
 * Yearly budget of the current and the new world and the budget impact (Sullivan et al. 2014,
 * "Budget impact"): incremental[t] = cost_new(t) - cost_current(t), by category likewise, and
 * cumulativeIncremental[t] = sum_{u <= t} incremental[u]. Each world is the convolution of
 * starters with per-patient profiles (this file's header); a profile shorter than the budget is
 * a RangeError.
 * @example
 * // 2 years, 100 prevalent + 10 incident a year; lifelong 'dmt' costs 1000 a year,
 * // one-off 'cell' 50 000 at treatment; current world all dmt, new world all cell
 * const profile = (id: string, cost: number[]) => ({ strategyId: id, label: id, years: 2, categoryIds: ['drug'], cost: Float64Array.from(cost), alive: Float64Array.of(1, 1, 1) });
 * const world = (dmt: number) => ({ shares: { incident: Float64Array.of(dmt, 1 - dmt, dmt, 1 - dmt), prevalent: Float64Array.of(dmt, 1 - dmt) } });
 * const r = budgetImpact({ years: 2, strategyIds: ['dmt', 'cell'], categoryIds: ['drug'], profiles: [profile('dmt', [1000, 1000]), profile('cell', [50000, 0])],
 *   prevalent: 100, incident: Float64Array.of(10, 10), current: world(1), new: world(0) });
 * r.current.total; // [110000, 120000]
 * r.new.total;     // [5500000, 500000]
 * r.cumulativeIncremental; // [5390000, 5770000]
 */
export function budgetImpact(input: BudgetInput): BudgetResult {
	const years = input.years;
	for (const profile of [...input.profiles, ...(input.prevalentProfiles ?? [])])
		if (profile.years < years) throw new RangeError(`profile of ${profile.strategyId} covers ${profile.years} years; the budget needs ${years}`);
	const current = worldBudget(input, input.current);
	const next = worldBudget(input, input.new);
	const categories = input.categoryIds.length;
	const incremental = new Float64Array(years);
	const incrementalByCategory = new Float64Array(years * categories);
	const cumulativeIncremental = new Float64Array(years);
	let running = 0;
	for (let t = 0; t < years; t++) {
		incremental[t] = next.total[t] - current.total[t];
		for (let c = 0; c < categories; c++) incrementalByCategory[t * categories + c] = next.byCategory[t * categories + c] - current.byCategory[t * categories + c];
		running += incremental[t];
		cumulativeIncremental[t] = running;
	}
	return {
		years,
		strategyIds: input.strategyIds,
		categoryIds: input.categoryIds,
		discountRate: input.discountRate ?? 0,
		current,
		new: next,
		incremental,
		incrementalByCategory,
		cumulativeIncremental
	};
}

/** One world's budget, as the four named steps of this file's header. */
function worldBudget(input: BudgetInput, world: WorldInput): WorldBudget {
	const { cohorts, starts, waiting } = enrolCohorts(input, world);
	const { cost, alive } = costCohorts(cohorts, input.years, input.strategyIds.length, input.categoryIds.length);
	discountYears(cost, input.years, input.discountRate ?? 0);
	const { total, byCategory, byStrategy } = sumWorld(cost, input.years, input.strategyIds.length, input.categoryIds.length);
	return { cost, total, byCategory, byStrategy, starts, alive, waiting };
}

/**
 * The cohorts of one world, year by year: the queue is served first (in order of entry), then
 * this year's starters (incident, and in year 1 the prevalent patients) enter by market share,
 * the capacity-limited strategy up to its free slots and the rest on `queueOn`.
 */
function enrolCohorts(input: BudgetInput, world: WorldInput): Enrolment {
	const strategies = input.strategyIds.length;
	const capacity = input.capacity;
	const enrolment: Enrolment = { cohorts: [], starts: new Float64Array(input.years * strategies), waiting: new Float64Array(input.years) };
	const queue: QueueEntry[] = [];
	for (let t = 0; t < input.years; t++) {
		const groups: StarterGroup[] = [{ size: input.incident[t], shares: world.shares.incident, offset: t * strategies, profiles: input.profiles }];
		if (t === 0) groups.push({ size: input.prevalent, shares: world.shares.prevalent, offset: 0, profiles: input.prevalentProfiles ?? input.profiles });
		let freeSlots = capacity ? capacity.slots[t] : Infinity;
		if (capacity && capacity.queue) freeSlots = serveQueue(enrolment, queue, capacity, t, freeSlots, strategies);
		for (const group of groups) freeSlots = enterStarters(enrolment, queue, group, capacity, t, freeSlots, strategies);
		if (capacity && capacity.queue)
			for (const waiting of queue)
				if (waiting.remaining > 0) enrolment.waiting[t] += waiting.remaining * waiting.profiles[capacity.queueOn].alive[t + 1 - waiting.entry];
	}
	return enrolment;
}

/** A cohort of `size` patients starting `strategy` in year t (nothing for size 0). */
function enter(enrolment: Enrolment, strategy: number, t: number, size: number, profiles: AnnualProfile[], strategies: number): void {
	if (size === 0) return;
	enrolment.cohorts.push({ strategy, entry: t, from: t, size, profiles });
	enrolment.starts[t * strategies + strategy] += size;
}

/**
 * Free slots of year t given to the queue, first come first served: of those still waiting from
 * entry year e, served = min(free, remaining x alive_queueOn(t - e)) leave queueOn (a negative
 * cohort from t on) and start the capacity strategy. Returns the slots left.
 */
function serveQueue(enrolment: Enrolment, queue: QueueEntry[], capacity: BudgetCapacity, t: number, freeSlots: number, strategies: number): number {
	let free = freeSlots;
	for (const waiting of queue) {
		if (free <= 0) break;
		if (waiting.remaining <= 0) continue;
		const aliveShare = waiting.profiles[capacity.queueOn].alive[t - waiting.entry];
		if (aliveShare <= 0) continue;
		const served = Math.min(free, waiting.remaining * aliveShare);
		const asEntered = served / aliveShare;
		enrolment.cohorts.push({ strategy: capacity.queueOn, entry: waiting.entry, from: t, size: -asEntered, profiles: waiting.profiles });
		enter(enrolment, capacity.strategy, t, served, waiting.profiles, strategies);
		waiting.remaining -= asEntered;
		free -= served;
	}
	return free;
}

/**
 * One group of year-t starters entering by market share: demand_s = size x share_s; the
 * capacity strategy takes min(free, demand) and the rest start `queueOn` (and join the queue
 * when patients wait). Returns the slots left.
 */
function enterStarters(enrolment: Enrolment, queue: QueueEntry[], group: StarterGroup, capacity: BudgetCapacity | undefined, t: number, freeSlots: number, strategies: number): number {
	let free = freeSlots;
	for (let s = 0; s < strategies; s++) {
		const demand = group.size * group.shares[group.offset + s];
		if (demand === 0) continue;
		if (!capacity || s !== capacity.strategy) {
			enter(enrolment, s, t, demand, group.profiles, strategies);
			continue;
		}
		const served = Math.min(free, demand);
		free -= served;
		enter(enrolment, s, t, served, group.profiles, strategies);
		const overCapacity = demand - served;
		if (overCapacity > 0) {
			enter(enrolment, capacity.queueOn, t, overCapacity, group.profiles, strategies);
			if (capacity.queue) queue.push({ entry: t, remaining: overCapacity, profiles: group.profiles });
		}
	}
	return free;
}

/**
 * The convolution: a cohort entering in year e costs size x profile.cost[t - e] in year t >= its
 * first year, and size x profile.alive[t - e] of it is alive at the start of year t.
 */
function costCohorts(cohorts: Cohort[], years: number, strategies: number, categories: number): { cost: Float64Array; alive: Float64Array } {
	const cost = new Float64Array(years * strategies * categories);
	const alive = new Float64Array(years * strategies);
	for (const cohort of cohorts) {
		const profile = cohort.profiles[cohort.strategy];
		for (let t = cohort.from; t < years; t++) {
			const sinceEntry = t - cohort.entry;
			const base = (t * strategies + cohort.strategy) * categories;
			for (let c = 0; c < categories; c++) cost[base + c] += cohort.size * profile.cost[sinceEntry * categories + c];
			alive[t * strategies + cohort.strategy] += cohort.size * profile.alive[sinceEntry];
		}
	}
	return { cost, alive };
}

/** Year t (0-based) of the costs multiplied by 1 / (1 + r)^t, in place; nothing for r = 0. */
function discountYears(cost: Float64Array, years: number, discountRate: number): void {
	if (!(discountRate > 0)) return;
	const perYear = cost.length / years;
	for (let t = 0; t < years; t++) {
		const discountFactor = 1 / Math.pow(1 + discountRate, t);
		for (let i = t * perYear; i < (t + 1) * perYear; i++) cost[i] *= discountFactor;
	}
}

/** The costs summed per year, per year and category, and per year and strategy. */
function sumWorld(cost: Float64Array, years: number, strategies: number, categories: number): Pick<WorldBudget, 'total' | 'byCategory' | 'byStrategy'> {
	const total = new Float64Array(years);
	const byCategory = new Float64Array(years * categories);
	const byStrategy = new Float64Array(years * strategies);
	for (let t = 0; t < years; t++)
		for (let s = 0; s < strategies; s++)
			for (let c = 0; c < categories; c++) {
				const value = cost[(t * strategies + s) * categories + c];
				total[t] += value;
				byCategory[t * categories + c] += value;
				byStrategy[t * strategies + s] += value;
			}
	return { total, byCategory, byStrategy };
}
