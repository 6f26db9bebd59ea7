/**
 * The yearly budget as CSV: one row per budget year, the same figures as the page's table (and
 * the incremental budget by cost category), with currency and price year in the column names.
 */
import Papa from 'papaparse';
import { budgetRows, type BudgetRun } from '$lib/engine';
import { formulaSafeTable } from '$lib/downloads/formulaSafety';

export function budgetCsv(run: BudgetRun): string {
	const cur = `${run.currency} ${run.priceYear}`;
	const rows = budgetRows(run.budget).map((r) => {
		const row: Record<string, number | string> = {
			year: r.year,
			[`current_world (${cur})`]: round2(r.current),
			[`new_world (${cur})`]: round2(r.new),
			[`incremental (${cur})`]: round2(r.incremental),
			[`cumulative_incremental (${cur})`]: round2(r.cumulativeIncremental)
		};
		run.strategyIds.forEach((s) => (row[`starts_current_world_${s} (patients)`] = round2(r.startsCurrent[s])));
		run.strategyIds.forEach((s) => (row[`starts_new_world_${s} (patients)`] = round2(r.startsNew[s])));
		run.strategyIds.forEach((s) => (row[`alive_current_world_${s} (patients)`] = round2(r.aliveCurrent[s])));
		run.strategyIds.forEach((s) => (row[`alive_new_world_${s} (patients)`] = round2(r.aliveNew[s])));
		row['waiting_new_world (patients)'] = round2(r.waitingNew);
		run.categoryIds.forEach((c) => (row[`incremental_${c} (${cur})`] = round2(r.incrementalByCategory[c])));
		return row;
	});
	const fields = rows.length ? Object.keys(rows[0]) : [];
	return Papa.unparse(formulaSafeTable({ fields, data: rows.map((r) => fields.map((f) => r[f])) }));
}

function round2(v: number): number {
	return Math.round(v * 100) / 100;
}
