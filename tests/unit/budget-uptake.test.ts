/** Uptake curves, the app's uptake grid, prevalent patients at their own age, and share checks beyond the horizon. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/lib/engine';
import { linearUptake, parseBudgetSettings, resolveShares, runBudget } from '../../src/lib/engine/budget';
import { gridFromWorld, worldFromGrid } from '../../src/lib/components/budget/uptakeGrid';
import { fixtureModel, fixtureSettings } from './budget-fixtures';

describe('uptake', () => {
	it('linear uptake ramps then stays flat', () => {
		expect(linearUptake(0.05, 0.2, 4).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.05, 0.1, 0.15, 0.2]);
		expect(linearUptake(0.3, 0.3, 1)).toEqual([0.3]);
	});
	it('the last share of a list carries on to later years', () => {
		const r = resolveShares({ shares: { a: [0.9, 0.8], b: [0.1, 0.2] } }, ['a', 'b', 'c'], 4);
		expect(Array.from(r.incident)).toEqual([0.9, 0.1, 0, 0.8, 0.2, 0, 0.8, 0.2, 0, 0.8, 0.2, 0]);
		expect(Array.from(r.prevalent)).toEqual([0.9, 0.1, 0]);
	});
	it('the app grid gives the remainder strategy 1 minus the others, without float noise', () => {
		const grid = gridFromWorld({ shares: { dmt: [0.95, 0.9], cell: [0.05, 0.1] } }, ['dmt', 'cell']);
		expect(grid.remainder).toBe('dmt');
		const w = worldFromGrid(grid, ['dmt', 'cell'], 3);
		expect(w.shares).toEqual({ cell: [0.05, 0.1, 0.1], dmt: [0.95, 0.9, 0.9] });
		expect(w.prevalentShares).toEqual({ cell: 0.05, dmt: 0.95 });
	});
	it('shares are checked in every year the budget covers, not only the settings horizon', () => {
		const cm = compile(fixtureModel());
		const s = parseBudgetSettings(
			fixtureSettings({ horizonYears: 2, uptake: { current: { shares: { dmt: [1] } }, new: { shares: { dmt: [1], cell: [0, 0, 0.5] } } } })
		);
		expect(() => runBudget(cm, s)).toThrow(/uptake\.new\.shares: market shares in year 3 sum to 1\.5/);
	});
});

describe('prevalent patients at their own start age', () => {
	it('are costed from a cohort run at prevalentStartAge', () => {
		// DMT costs 2000 a year from age 50, 1000 before; the model starts at 35
		const cm = compile(fixtureModel({ dmtCost: 'age >= 50 ? 2000 : 1000' }));
		const s = parseBudgetSettings(
			fixtureSettings({ prevalentStartAge: { value: 60, unit: 'years', assumption: 'test' } })
		);
		const r = runBudget(cm, s);
		// prevalent (100) at 60: 2000 each; incident (10 a year) at 35: 1000 each for the first 5 years
		for (let t = 1; t <= 5; t++) expect(r.budget.current.total[t - 1]).toBeCloseTo(100 * 2000 + 10 * t * 1000, 6);
	});
});
