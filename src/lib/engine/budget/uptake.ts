/**
 * Market shares by budget year (uptake curves) for a current world and a new world: the share of
 * the patients starting treatment in year y who start each strategy (Sullivan et al. 2014,
 * "Market share"). A list per strategy gives years 1, 2, ...; its last value carries on.
 */
import type { World } from './settings';
import { own } from '../records';

export interface ResolvedShares {
	/** [y * S + s]: share of year-y starters on strategy s (strategies in model order) */
	incident: Float64Array;
	/** [s]: shares of the prevalent patients entering in year 1 */
	prevalent: Float64Array;
}

/**
 * A world's market shares laid out by year and strategy: share(y, s) = list_s[min(y, last)]
 * (the last value carries on; a strategy without a list has share 0); the prevalent patients
 * take `prevalentShares` when given, else the year-1 shares.
 * @example
 * resolveShares({ shares: { dmt: [0.8, 0.6], cell: [0.2, 0.4] } }, ['dmt', 'cell'], 3);
 * // { incident: [0.8, 0.2, 0.6, 0.4, 0.6, 0.4], prevalent: [0.8, 0.2] }
 */
export function resolveShares(world: World, strategyIds: string[], years: number): ResolvedShares {
	const strategies = strategyIds.length;
	const incident = new Float64Array(years * strategies);
	strategyIds.forEach((id, s) => {
		const list = own(world.shares, id);
		if (!list) return;
		for (let y = 0; y < years; y++) incident[y * strategies + s] = list[Math.min(y, list.length - 1)];
	});
	const prevalent = new Float64Array(strategies);
	strategyIds.forEach((id, s) => {
		prevalent[s] = world.prevalentShares ? (own(world.prevalentShares, id) ?? 0) : incident[s];
	});
	return { incident, prevalent };
}

/**
 * A linear uptake curve from `first` (year 1) to `last` (year `rampYears`), then flat: a helper
 * for the app's "ramp" input; share(y) = first + (last - first) x (y - 1) / (rampYears - 1).
 * @example
 * linearUptake(0.05, 0.2, 4); // [0.05, 0.1, 0.15, 0.2] (up to rounding: 0.15000000000000002)
 */
export function linearUptake(first: number, last: number, rampYears: number): number[] {
	if (rampYears <= 1) return [last];
	return Array.from({ length: rampYears }, (_, y) => first + ((last - first) * y) / (rampYears - 1));
}
