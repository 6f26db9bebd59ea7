/**
 * The page's editable form of a world's uptake: shares per strategy for every year up to
 * MAX_YEARS, prevalent shares, and the strategy that takes the remainder (so shares sum to 1).
 */
import type { World } from '$lib/engine';

export const MAX_YEARS = 30;

export interface UptakeGrid {
	/** shares[id][y], y = 0..MAX_YEARS-1 */
	shares: Record<string, number[]>;
	prevalent: Record<string, number>;
	remainder: string;
}

export function gridFromWorld(world: World, strategyIds: string[]): UptakeGrid {
	const shares: Record<string, number[]> = {};
	for (const s of strategyIds) {
		const list = world.shares[s] ?? [0];
		shares[s] = Array.from({ length: MAX_YEARS }, (_, y) => list[Math.min(y, list.length - 1)]);
	}
	const prevalent: Record<string, number> = {};
	for (const s of strategyIds) prevalent[s] = world.prevalentShares ? (world.prevalentShares[s] ?? 0) : shares[s][0];
	// the remainder goes to the strategy with the largest share in year 1
	const remainder = strategyIds.reduce((best, s) => (shares[s][0] > shares[best][0] ? s : best), strategyIds[0]);
	return { shares, prevalent, remainder };
}

export function worldFromGrid(grid: UptakeGrid, strategyIds: string[], years: number, label?: string): World {
	const others = strategyIds.filter((s) => s !== grid.remainder);
	const shares: Record<string, number[]> = {};
	for (const s of others) shares[s] = grid.shares[s].slice(0, years);
	shares[grid.remainder] = Array.from({ length: years }, (_, y) => clean(1 - others.reduce((a, s) => a + grid.shares[s][y], 0)));
	const prevalentShares: Record<string, number> = {};
	for (const s of others) prevalentShares[s] = grid.prevalent[s];
	prevalentShares[grid.remainder] = clean(1 - others.reduce((a, s) => a + grid.prevalent[s], 0));
	return { label, shares, prevalentShares };
}

/** 1 - 0.95 - 0.05 is 1e-17, not 0: round away float noise so [0, 1] checks do not trip. */
function clean(v: number): number {
	return Math.round(v * 1e12) / 1e12;
}
