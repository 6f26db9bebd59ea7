/**
 * Table 3 of Alarid-Escudero et al. (2023), Med Decis Making 43(1):21-41: cost-effectiveness
 * results of the simulation-time-dependent Sick-Sicker model (as in the accepted manuscript,
 * manuscript/cSTM_Tutorial_TimeDep.tex, table "tab:table-cea", of
 * github.com/DARTH-git/cohort-modeling-tutorial-timedep). Shared by the two Sick-Sicker tests.
 */
import { expect } from 'vitest';
import { incrementalAnalysis, type RunResult } from '../../../src/lib/engine';

export const publishedTable3 = {
	SoC: { cost: 116374, qaly: 18.879, status: 'ND' },
	B: { cost: 202536, qaly: 20.199, status: 'ND', incrementalCost: 86162, incrementalQaly: 1.32, icer: 65288 },
	AB: { cost: 296300, qaly: 21.097, status: 'ND', incrementalCost: 93764, incrementalQaly: 0.898, icer: 104461 },
	A: { cost: 218789, qaly: 19.636, status: 'D' }
} as const;

/** Asserts a run against Table 3 at the published rounding ($1, 0.001 QALY, $1/QALY). */
export function expectTable3(result: RunResult): void {
	const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s.discounted]));
	for (const [id, row] of Object.entries(publishedTable3)) {
		expect(Math.abs(byId[id].cost - row.cost), `${id} cost`).toBeLessThanOrEqual(0.5);
		expect(Math.abs(byId[id].qaly - row.qaly), `${id} QALYs`).toBeLessThanOrEqual(0.0005);
	}
	const rows = incrementalAnalysis(result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly })));
	const row = (id: string) => rows.find((r) => r.id === id)!;
	expect(rows.map((r) => r.id)).toEqual(['SoC', 'B', 'A', 'AB']);
	expect(row('SoC').status).toBe('reference');
	expect(row('A').status).toBe('dominated');
	expect(row('A').dominatedBy).toBe('B');
	for (const id of ['B', 'AB'] as const) {
		const published = publishedTable3[id];
		expect(row(id).status).toBe('frontier');
		expect(Math.abs(row(id).incrementalCost! - published.incrementalCost), `${id} incremental cost`).toBeLessThanOrEqual(0.5);
		expect(Math.abs(row(id).incrementalEffect! - published.incrementalQaly), `${id} incremental QALYs`).toBeLessThanOrEqual(0.0005);
		expect(Math.abs(row(id).icer! - published.icer), `${id} ICER`).toBeLessThanOrEqual(0.5);
	}
	expect(row('B').comparator).toBe('SoC');
	expect(row('AB').comparator).toBe('B');
}

