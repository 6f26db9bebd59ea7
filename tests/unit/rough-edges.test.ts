/** Small rules behind the rough edges: wording of budget fields, percentages, savings, range notes, the tornado's axis. */
import { describe, expect, it } from 'vitest';
import { fieldWords } from '$lib/components/budget/issueWords';
import { budgetMeaning, percent } from '$lib/components/budget/format';
import { outsideRangeNote } from '$lib/ui/parameterView';
import { tornadoAxis, tornadoChart } from '$lib/charts/uncertainty';
import { compileJson, oneWay, tornado } from '$lib/engine';
import { readFileSync } from 'node:fs';

const words = {
	strategyLabel: (id: string) => ({ ahsct: 'aHSCT (one-off)', dmt: 'Lifelong DMT' })[id] ?? id,
	worldLabel: (w: string) => `${w} world`,
	populationLabel: (k: string) => (k === 'prevalentCases' ? 'Prevalent cases' : undefined)
};

describe('rough edges', () => {
	it('budget paths read as the fields the user sees', () => {
		expect(fieldWords('uptake.new.shares.ahsct.1', words)).toBe('Year 2 share for aHSCT (one-off), new world');
		expect(fieldWords('uptake.current.prevalentShares.dmt', words)).toBe("Prevalent patients' share for Lifelong DMT, current world");
		expect(fieldWords('uptake.new.shares', words)).toBe('Market shares, new world');
		expect(fieldWords('population.prevalentCases.value', words)).toBe('Prevalent cases');
		expect(fieldWords('payment.instalmentYears', words)).toBe('Instalments (years)');
		expect(fieldWords('horizonYears', words)).toBe('Budget horizon (years)');
	});
	// Intl separates the currency code with a no-break space
	it('rates print without float noise and a negative budget is a saving', () => {
		expect(0.035 * 100).not.toBe(3.5); // the float noise this guards against
		expect(percent(0.035)).toBe('3.5%');
		expect(percent(0.015)).toBe('1.5%');
		expect(budgetMeaning(-19189118, 'GBP').replace(/\s/g, ' ')).toBe('a saving of GBP 19,189,118');
		expect(budgetMeaning(250, 'GBP').replace(/\s/g, ' ')).toBe('an extra cost of GBP 250');
		expect(budgetMeaning(0, 'GBP')).toBe('no change');
	});
	it('a value outside the stated range gets a note, one inside does not', () => {
		expect(outsideRangeNote({ low: 15000, high: 19160 }, 25000)).toBe('outside the evidence range 15,000-19,160');
		expect(outsideRangeNote({ low: 15000, high: 19160 }, 1000)).toBe('outside the evidence range 15,000-19,160');
		expect(outsideRangeNote({ low: 15000, high: 19160 }, 17000)).toBe('');
		expect(outsideRangeNote({}, 17000)).toBe('');
	});
	it('the tornado axis spans every bar end and the base, with 5% to spare', () => {
		// ends -260k to -180k and the base -220k: span 80k, 4k each side
		expect(tornadoAxis(-220000, [{ atLow: -260000, atHigh: -200000 }, { atLow: -180000, atHigh: NaN }])).toEqual({ min: -264000, max: -176000 });
	});
	it("the tornado chart's axis holds every bar of a real one-way analysis", () => {
		const cm = compileJson(readFileSync('models/ms.json', 'utf8'));
		const d = oneWay(cm, {});
		const t = tornado(d, 'ahsct');
		const x = tornadoChart(t, 10, 'GBP').options!.scales!.x as { min: number; max: number };
		const bars = t.bars.filter((b) => Number.isFinite(b.swing)).slice(0, 10);
		expect(bars.length).toBeGreaterThan(2);
		for (const b of bars) for (const v of [b.atLow, b.atHigh, t.base]) {
			expect(v).toBeGreaterThan(x.min);
			expect(v).toBeLessThan(x.max);
		}
	});
});
