/**
 * Published cost-effectiveness tables of the Sick-Sicker models, and one check of a run against
 * such a table at its rounding (costs and ICERs to $1, QALYs to 0.001). Shared by the
 * Sick-Sicker validation tests.
 */
import { expect } from 'vitest';
import { incrementalAnalysis, type RunResult } from '../../../src/lib/engine';

export interface PublishedRow {
	cost: number;
	qaly: number;
	status: 'ND' | 'D';
	incrementalCost?: number;
	incrementalQaly?: number;
	icer?: number;
}
export type PublishedTable = Record<'SoC' | 'A' | 'B' | 'AB', PublishedRow>;

/**
 * Table 3 of Alarid-Escudero et al. (2023), Med Decis Making 43(1):21-41: the
 * simulation-time-dependent model (accepted manuscript, manuscript/cSTM_Tutorial_TimeDep.tex,
 * table "tab:table-cea", of github.com/DARTH-git/cohort-modeling-tutorial-timedep).
 */
export const publishedTable3: PublishedTable = {
	SoC: { cost: 116374, qaly: 18.879, status: 'ND' },
	B: { cost: 202536, qaly: 20.199, status: 'ND', incrementalCost: 86162, incrementalQaly: 1.32, icer: 65288 },
	AB: { cost: 296300, qaly: 21.097, status: 'ND', incrementalCost: 93764, incrementalQaly: 0.898, icer: 104461 },
	A: { cost: 218789, qaly: 19.636, status: 'D' }
};

/**
 * The CEA table of the introductory tutorial, Alarid-Escudero et al. (2023), Med Decis Making
 * 43(1):3-20: the time-independent model (manuscript/cSTM_Tutorial_Intro.tex, table
 * "tab:table-cea", of github.com/DARTH-git/cohort-modeling-tutorial-intro).
 */
export const publishedIntroTable: PublishedTable = {
	SoC: { cost: 151580, qaly: 20.711, status: 'ND' },
	B: { cost: 259100, qaly: 22.184, status: 'ND', incrementalCost: 107521, incrementalQaly: 1.473, icer: 72988 },
	AB: { cost: 378875, qaly: 23.137, status: 'ND', incrementalCost: 119775, incrementalQaly: 0.952, icer: 125764 },
	A: { cost: 284805, qaly: 21.499, status: 'D' }
};

/** Asserts a run against Table 3 at the published rounding ($1, 0.001 QALY, $1/QALY). */
export function expectTable3(result: RunResult): void {
	expectPublishedTable(result, publishedTable3);
}

/** Asserts a run against a published table at its rounding ($1, 0.001 QALY, $1/QALY). */
export function expectPublishedTable(result: RunResult, table: PublishedTable): void {
	const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s.discounted]));
	for (const [id, row] of Object.entries(table)) {
		expect(Math.abs(byId[id].cost - row.cost), `${id} cost`).toBeLessThanOrEqual(0.5);
		expect(Math.abs(byId[id].qaly - row.qaly), `${id} QALYs`).toBeLessThanOrEqual(0.0005);
	}
	const rows = incrementalAnalysis(result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly })));
	const row = (id: string) => rows.find((r) => r.id === id)!;
	for (const [id, published] of Object.entries(table))
		expect(['dominated', 'extendedly-dominated'].includes(row(id).status), `${id} status ${published.status}`).toBe(published.status === 'D');
	expect(rows.map((r) => r.id)).toEqual(['SoC', 'B', 'A', 'AB']);
	expect(row('SoC').status).toBe('reference');
	expect(row('A').status).toBe('dominated');
	expect(row('A').dominatedBy).toBe('B');
	for (const id of ['B', 'AB'] as const) {
		const published = table[id];
		expect(row(id).status).toBe('frontier');
		expect(Math.abs(row(id).incrementalCost! - published.incrementalCost!), `${id} incremental cost`).toBeLessThanOrEqual(0.5);
		expect(Math.abs(row(id).incrementalEffect! - published.incrementalQaly!), `${id} incremental QALYs`).toBeLessThanOrEqual(0.0005);
		expect(Math.abs(row(id).icer! - published.icer!), `${id} ICER`).toBeLessThanOrEqual(0.5);
	}
	expect(row('B').comparator).toBe('SoC');
	expect(row('AB').comparator).toBe('B');
}

