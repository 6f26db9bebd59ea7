/**
 * CSV files of a run: the results table, the Markov trace and per-cycle costs. Figures are
 * written at full precision (the page rounds them for display); units, currency and price
 * year are in the column names so a file read on its own is unambiguous.
 */
import Papa from 'papaparse';
import type { RunResult } from '$lib/engine';
import type { ResultRow } from '$lib/ui/resultsTable';
import { STATUS_TEXT } from '$lib/ui/resultsTable';
import { formulaSafeTable } from './formulaSafety';

const cell = (v: number | null) => (v === null ? '' : v);

export function resultsCsv(result: RunResult, rows: ResultRow[], scenarioName: string): string {
	const cur = `${result.settings.currency} ${result.settings.priceYear}`;
	const fields = [
		'scenario',
		'strategy_id',
		'strategy',
		`cost (${cur}, discounted)`,
		'qalys (discounted)',
		'life_years (discounted)',
		`incremental_cost (${cur})`,
		'incremental_qalys',
		'incremental_life_years',
		`icer (${cur} per QALY)`,
		'status',
		'compared_with',
		`net_monetary_benefit (${cur}, wtp ${result.settings.willingnessToPay} per QALY)`
	];
	const data = rows.map((r) => [
		scenarioName,
		r.id,
		r.label,
		r.cost,
		r.qaly,
		r.lifeYears,
		cell(r.incrementalCost),
		cell(r.incrementalQaly),
		cell(r.incrementalLifeYears),
		cell(r.icer),
		STATUS_TEXT[r.status],
		r.comparator ?? r.dominatedBy ?? '',
		r.netMonetaryBenefit
	]);
	return Papa.unparse(formulaSafeTable({ fields, data }), { newline: '\n' });
}

/** One row per strategy and time point: the share of the cohort in each state. */
export function traceCsv(result: RunResult): string {
	const S = result.stateIds.length;
	const fields = ['strategy_id', 'cycle', 'time_years', ...result.stateIds.map((id, i) => `${id} (${result.stateLabels[i]}, share)`)];
	const data: (string | number)[][] = [];
	for (const s of result.strategies)
		for (let t = 0; t <= result.settings.horizon; t++) {
			const row: (string | number)[] = [s.id, t, t * result.settings.cycleLength];
			for (let j = 0; j < S; j++) row.push(s.trace[t * S + j]);
			data.push(row);
		}
	return Papa.unparse(formulaSafeTable({ fields, data }), { newline: '\n' });
}

/** Per strategy and cycle (0 = one-off costs at model start): costs by category, QALYs, life years. */
export function cycleCostsCsv(result: RunResult): string {
	const C = result.categoryIds.length;
	const cur = `${result.settings.currency} ${result.settings.priceYear}`;
	const fields = [
		'strategy_id',
		'cycle',
		'time_years',
		...result.categoryIds.map((id) => `${id} (${cur}, undiscounted)`),
		...result.categoryIds.map((id) => `${id} (${cur}, discounted)`),
		`total (${cur}, undiscounted)`,
		`total (${cur}, discounted)`,
		'qalys (discounted)',
		'life_years (discounted)'
	];
	const data: (string | number)[][] = [];
	for (const s of result.strategies)
		for (let k = 0; k <= result.settings.horizon; k++) {
			const u = Array.from({ length: C }, (_, c) => s.cycleCostsUndiscounted[k * C + c]);
			const d = Array.from({ length: C }, (_, c) => s.cycleCosts[k * C + c]);
			data.push([
				s.id,
				k,
				k * result.settings.cycleLength,
				...u,
				...d,
				u.reduce((a, b) => a + b, 0),
				d.reduce((a, b) => a + b, 0),
				s.cycleQalys[k],
				s.cycleLifeYears[k]
			]);
		}
	return Papa.unparse(formulaSafeTable({ fields, data }), { newline: '\n' });
}

/** Parses a CSV produced above back into objects (numbers typed), e.g. to check a download. */
export function parseCsv(text: string): Record<string, string | number>[] {
	return Papa.parse<Record<string, string | number>>(text, { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
}
