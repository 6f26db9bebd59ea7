/**
 * The payback shown above the cumulative cost chart: which pair of strategies, and the
 * sentence. The payback time itself is the analysis module's (engine/analysis/payback.ts).
 */
import type { ResolvedComparison, RunResult } from '$lib/engine';
import { deterministicPayback } from '$lib/engine';
import { cumulativeCosts } from './cumulative';
import type { Payback } from './paybackView';
import { money, number } from './format';

/**
 * Default pair: the one the model file declares (`comparison.payback`, else its first one-off
 * strategy against its lifelong one); without a declaration, the strategy with the largest
 * one-off start cost against the costliest other at the horizon.
 */
export function defaultPaybackPair(result: RunResult, comparison?: ResolvedComparison): { oneOff: string; comparator: string } | null {
	if (result.strategies.length < 2) return null;
	const C = result.categoryIds.length;
	const start = (i: number) => {
		let s = 0;
		for (let c = 0; c < C; c++) s += result.strategies[i].cycleCostsUndiscounted[c];
		return s;
	};
	const ids = result.strategies.map((s) => s.id);
	const declared = comparison?.payback;
	if (declared && ids.includes(declared.strategy) && ids.includes(declared.comparator)) return { oneOff: declared.strategy, comparator: declared.comparator };
	let o = 0;
	for (let i = 1; i < ids.length; i++) if (start(i) > start(o)) o = i;
	// payback needs a one-off strategy: one with costs at model start
	if (!(start(o) > 0)) return null;
	let c = o === 0 ? 1 : 0;
	for (let i = 0; i < ids.length; i++) if (i !== o && result.strategies[i].discounted.cost > result.strategies[c].discounted.cost) c = i;
	return { oneOff: ids[o], comparator: ids[c] };
}

export function paybackView(result: RunResult, oneOffId: string, comparatorId: string, discounted = true): Payback | null {
	const a = result.strategies.find((s) => s.id === oneOffId);
	const b = result.strategies.find((s) => s.id === comparatorId);
	if (!a || !b || a === b) return null;
	const ca = cumulativeCosts(result, a, discounted);
	const cb = cumulativeCosts(result, b, discounted);
	const p = deterministicPayback(result, { oneOffId, lifelongId: comparatorId, discounted });
	const year = p.years;
	const horizonYears = result.settings.horizon * result.settings.cycleLength;
	const gap = ca[ca.length - 1] - cb[cb.length - 1];
	const cur = result.settings.currency;
	const text =
		year === null
			? `${a.label} does not pay back against ${b.label} within ${horizonYears} years: its cumulative ${discounted ? 'discounted ' : ''}cost is still ${money(gap, cur)} higher per patient at the horizon (${cur}, ${result.settings.priceYear} prices).`
			: year === 0
				? `${a.label} costs no more than ${b.label} from the start.`
				: `Payback year: ${number(year, 1)} years. ${a.label}'s cumulative ${discounted ? 'discounted ' : ''}cost per patient falls to that of ${b.label} for good after ${number(year, 1)} years (${cur}, ${result.settings.priceYear} prices).`;
	return { year, label: year === null ? '' : `Payback ${number(year, 1)} y`, text };
}
