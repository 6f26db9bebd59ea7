/**
 * Incremental analysis on hand-computed cases. Case 1 is worked by hand below; the rules are
 * those of Drummond et al. (2015) ch. 4 and dampack's calculate_icers().
 */
import { describe, expect, it } from 'vitest';
import { incrementalAnalysis, pairwiseAnalysis, netMonetaryBenefit } from '../../src/lib/engine';

describe('incrementalAnalysis', () => {
	// A: 1000, 1.0   B: 3000, 1.5   C: 4000, 1.4 (dominated by B)   D: 9000, 2.0   E: 6000, 1.6
	// Frontier after strong dominance: A, B, E, D.
	// ICER B vs A = 2000/0.5 = 4000; E vs B = 3000/0.1 = 30000; D vs E = 3000/0.4 = 7500
	// E's ICER (30000) > D's (7500): E is extendedly dominated. Then D vs B = 6000/0.5 = 12000.
	const rows = incrementalAnalysis([
		{ id: 'A', cost: 1000, effect: 1.0 },
		{ id: 'B', cost: 3000, effect: 1.5 },
		{ id: 'C', cost: 4000, effect: 1.4 },
		{ id: 'D', cost: 9000, effect: 2.0 },
		{ id: 'E', cost: 6000, effect: 1.6 }
	]);
	const by = Object.fromEntries(rows.map((r) => [r.id, r]));

	it('orders by cost', () => expect(rows.map((r) => r.id)).toEqual(['A', 'B', 'C', 'E', 'D']));
	it('marks the reference, dominated and extendedly dominated strategies', () => {
		expect(by.A.status).toBe('reference');
		expect(by.C.status).toBe('dominated');
		expect(by.C.dominatedBy).toBe('B');
		expect(by.E.status).toBe('extendedly-dominated');
		expect(by.B.status).toBe('frontier');
		expect(by.D.status).toBe('frontier');
	});
	it('gives ICERs along the frontier only', () => {
		expect(by.B.icer).toBeCloseTo(4000, 9);
		expect(by.D.icer).toBeCloseTo(12000, 9);
		expect(by.D.comparator).toBe('B');
		expect(by.C.icer).toBeNull();
		expect(by.E.icer).toBeNull();
		expect(by.A.icer).toBeNull();
	});
	it('a cheaper and more effective strategy dominates all others', () => {
		const r = incrementalAnalysis([
			{ id: 'dmt', cost: 500000, effect: 10 },
			{ id: 'cell', cost: 200000, effect: 12 }
		]);
		expect(r.find((x) => x.id === 'cell')!.status).toBe('reference');
		expect(r.find((x) => x.id === 'dmt')!.status).toBe('dominated');
	});
	it('equal cost and effect: the first listed is kept, the twin dominated', () => {
		const r = incrementalAnalysis([
			{ id: 'x', cost: 1, effect: 1 },
			{ id: 'y', cost: 1, effect: 1 }
		]);
		expect(r.map((q) => q.status)).toEqual(['reference', 'dominated']);
	});
});

describe('pairwiseAnalysis', () => {
	it('compares every strategy with the chosen reference, with NMB', () => {
		const rows = pairwiseAnalysis(
			[
				{ id: 'soc', cost: 1000, effect: 1 },
				{ id: 'new', cost: 5000, effect: 1.2 }
			],
			'soc',
			20000
		);
		const n = rows.find((r) => r.id === 'new')!;
		expect(n.incrementalCost).toBe(4000);
		expect(n.incrementalEffect).toBeCloseTo(0.2, 12);
		expect(n.icer).toBeCloseTo(20000, 6);
		expect(n.netMonetaryBenefit).toBeCloseTo(20000 * 1.2 - 5000, 9);
		expect(n.incrementalNetMonetaryBenefit).toBeCloseTo(0, 6);
		expect(rows.find((r) => r.id === 'soc')!.dominance).toBe('reference');
		expect(netMonetaryBenefit(100, 2, 30)).toBe(-40);
	});
});
