/**
 * Reproduces the time-independent Sick-Sicker model of the introductory tutorial: Alarid-Escudero
 * F, Krijkamp EM, Enns EA, Yang A, Hunink MGM, Pechlivanoglou P, Jalal H (2023), "An Introductory
 * Tutorial on Cohort State-Transition Models in R Using a Cost-Effectiveness Analysis Example",
 * Med Decis Making 43(1):3-20: the table of expected costs and QALYs and the CEA table (costs to
 * $1, QALYs to 0.001, ICERs to $1), asserted at that rounding; and the independent naive
 * implementation (reference/sickSicker.ts) to 1e-9 relative.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, run } from '../../src/lib/engine';
import { darthSimpsonWeights, sickSickerReference } from './reference/sickSicker';
import { expectPublishedTable, publishedIntroTable } from './reference/table3';

const compiled = compileJson(readFileSync('models/sick-sicker-intro.json', 'utf8'));
const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('Sick-Sicker, time-independent (Alarid-Escudero 2023 introductory tutorial) reproduces the published tables', () => {
	const result = run(compiled);

	it('costs, QALYs, incremental results, ICERs and dominance match the published CEA table to its rounding', () => {
		expectPublishedTable(result, publishedIntroTable);
	});

	it('matches the independent naive implementation to 1e-9 relative', () => {
		const reference = sickSickerReference({ tunnels: false, weibullScale: 0, weibullShape: 1, weights: darthSimpsonWeights(75), timeIndependent: true });
		for (const s of result.strategies) {
			const ref = reference[s.id as keyof typeof reference];
			expect(relativeError(s.discounted.cost, ref.cost), `${s.id} cost`).toBeLessThan(1e-9);
			expect(relativeError(s.discounted.qaly, ref.qaly), `${s.id} QALYs`).toBeLessThan(1e-9);
		}
	});

	it('background mortality is the constant rate 0.002: after one cycle 1 - exp(-0.002) of the cohort has died', () => {
		const soc = result.strategies.find((s) => s.id === 'SoC')!;
		const S = result.stateIds.length;
		const D = result.stateIds.indexOf('D');
		expect(soc.trace[S + D]).toBeCloseTo(1 - Math.exp(-0.002), 15);
	});
});
