/**
 * Budget impact: the yearly cost to the payer of the eligible population under the current
 * treatment mix and under a new one (Sullivan et al. 2014, Value Health 17:5-14).
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

export function budgetImpact(input: BudgetInput): BudgetResult {
	const T = input.years;
	for (const p of [...input.profiles, ...(input.prevalentProfiles ?? [])])
		if (p.years < T) throw new RangeError(`profile of ${p.strategyId} covers ${p.years} years; the budget needs ${T}`);
	const current = worldBudget(input, input.current);
	const next = worldBudget(input, input.new);
	const C = input.categoryIds.length;
	const incremental = new Float64Array(T);
	const incrementalByCategory = new Float64Array(T * C);
	const cumulativeIncremental = new Float64Array(T);
	let running = 0;
	for (let t = 0; t < T; t++) {
		incremental[t] = next.total[t] - current.total[t];
		for (let c = 0; c < C; c++) incrementalByCategory[t * C + c] = next.byCategory[t * C + c] - current.byCategory[t * C + c];
		running += incremental[t];
		cumulativeIncremental[t] = running;
	}
	return {
		years: T,
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

function worldBudget(input: BudgetInput, world: WorldInput): WorldBudget {
	const T = input.years;
	const S = input.strategyIds.length;
	const C = input.categoryIds.length;
	const incidentProfiles = input.profiles;
	const prevalentProfiles = input.prevalentProfiles ?? input.profiles;
	const cohorts: Cohort[] = [];
	const starts = new Float64Array(T * S);
	const waiting = new Float64Array(T);
	const cap = input.capacity;
	/** the queue: entry year, patients (as counted at entry) still waiting, their profiles */
	const queue: { entry: number; remaining: number; profiles: AnnualProfile[] }[] = [];

	const enter = (s: number, t: number, size: number, profiles: AnnualProfile[]) => {
		if (size === 0) return;
		cohorts.push({ strategy: s, entry: t, from: t, size, profiles });
		starts[t * S + s] += size;
	};

	for (let t = 0; t < T; t++) {
		// demand for each strategy among this year's starters
		const groups: { size: number; shares: Float64Array; offset: number; profiles: AnnualProfile[] }[] = [
			{ size: input.incident[t], shares: world.shares.incident, offset: t * S, profiles: incidentProfiles }
		];
		if (t === 0) groups.push({ size: input.prevalent, shares: world.shares.prevalent, offset: 0, profiles: prevalentProfiles });
		let free = cap ? cap.slots[t] : Infinity;

		// the queue is served first, in order of entry
		if (cap && cap.queue) {
			for (const w of queue) {
				if (free <= 0) break;
				if (w.remaining <= 0) continue;
				const aliveShare = w.profiles[cap.queueOn].alive[t - w.entry];
				if (aliveShare <= 0) continue;
				const served = Math.min(free, w.remaining * aliveShare);
				const asEntered = served / aliveShare;
				cohorts.push({ strategy: cap.queueOn, entry: w.entry, from: t, size: -asEntered, profiles: w.profiles });
				enter(cap.strategy, t, served, w.profiles);
				w.remaining -= asEntered;
				free -= served;
			}
		}

		for (const g of groups) {
			for (let s = 0; s < S; s++) {
				const demand = g.size * g.shares[g.offset + s];
				if (demand === 0) continue;
				if (!cap || s !== cap.strategy) {
					enter(s, t, demand, g.profiles);
					continue;
				}
				const served = Math.min(free, demand);
				free -= served;
				enter(s, t, served, g.profiles);
				const over = demand - served;
				if (over > 0) {
					enter(cap.queueOn, t, over, g.profiles);
					if (cap.queue) queue.push({ entry: t, remaining: over, profiles: g.profiles });
				}
			}
		}
		if (cap && cap.queue)
			for (const w of queue) if (w.remaining > 0) waiting[t] += w.remaining * w.profiles[cap.queueOn].alive[t + 1 - w.entry];
	}

	// the convolution: cohort entering at `entry` costs profile[t - entry] in year t
	const cost = new Float64Array(T * S * C);
	const alive = new Float64Array(T * S);
	for (const k of cohorts) {
		const p = k.profiles[k.strategy];
		for (let t = k.from; t < T; t++) {
			const j = t - k.entry;
			const base = (t * S + k.strategy) * C;
			for (let c = 0; c < C; c++) cost[base + c] += k.size * p.cost[j * C + c];
			alive[t * S + k.strategy] += k.size * p.alive[j];
		}
	}
	const r = input.discountRate ?? 0;
	if (r > 0)
		for (let t = 0; t < T; t++) {
			const d = 1 / Math.pow(1 + r, t);
			for (let i = t * S * C; i < (t + 1) * S * C; i++) cost[i] *= d;
		}
	const total = new Float64Array(T);
	const byCategory = new Float64Array(T * C);
	const byStrategy = new Float64Array(T * S);
	for (let t = 0; t < T; t++)
		for (let s = 0; s < S; s++)
			for (let c = 0; c < C; c++) {
				const v = cost[(t * S + s) * C + c];
				total[t] += v;
				byCategory[t * C + c] += v;
				byStrategy[t * S + s] += v;
			}
	return { cost, total, byCategory, byStrategy, starts, alive, waiting };
}
