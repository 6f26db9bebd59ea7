/**
 * The yearly budget as CSV: one row per budget year, the same figures as the page's table (and
 * the incremental budget by cost category), with currency and price year in the column names.
 * With a budget under uncertainty for the same inputs, each year also has the mean, the lower and
 * upper percentiles (2.5th and 97.5th at 95%) of the budget impact, the cumulative budget impact
 * and each payment model's net cash flow and refunds, and the probability of a saving by that year.
 */
import Papa from 'papaparse';
import { budgetRows, type BudgetPsaSummary, type BudgetRun, type SeriesSummary } from '$lib/engine';
import { formulaSafeTable } from '$lib/downloads/formulaSafety';

/**
 * @example budgetCsv(run) // 'year,current_world (GBP 2024),...'
 * @example budgetCsv(run, summariseBudgetPsa(psa)) // adds incremental_mean (GBP 2024), incremental_lower_2.5% (GBP 2024), ...
 */
export function budgetCsv(run: BudgetRun, uncertainty: BudgetPsaSummary | null = null): string {
	const cur = `${run.currency} ${run.priceYear}`;
	const rows = budgetRows(run.budget).map((r, t) => {
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
		if (uncertainty) Object.assign(row, uncertaintyColumns(uncertainty, t, cur));
		return row;
	});
	const fields = rows.length ? Object.keys(rows[0]) : [];
	return Papa.unparse(formulaSafeTable({ fields, data: rows.map((r) => fields.map((f) => r[f])) }));
}

/** Mean, lower and upper columns of one yearly figure, and the probability of saving columns. */
function uncertaintyColumns(u: BudgetPsaSummary, t: number, cur: string): Record<string, number> {
	const pct = (p: number) => `${Number((p * 100).toFixed(1))}%`;
	const lo = pct((1 - u.level) / 2);
	const hi = pct((1 + u.level) / 2);
	const out: Record<string, number> = {};
	const add = (name: string, s: SeriesSummary) => {
		out[`${name}_mean (${cur})`] = round2(s.mean[t]);
		out[`${name}_lower_${lo} (${cur})`] = round2(s.lower[t]);
		out[`${name}_upper_${hi} (${cur})`] = round2(s.upper[t]);
	};
	add('incremental', u.incremental);
	add('cumulative_incremental', u.cumulativeIncremental);
	out[`probability_saving_by_year (${u.iterations} iterations)`] = u.probabilitySaving[t];
	for (const m of u.payment) {
		add(`${m.id}_net_cash_flow`, m.incremental);
		add(`${m.id}_cumulative_net_cash_flow`, m.cumulativeIncremental);
		add(`${m.id}_refunds_paid`, m.refundsPaid);
		out[`${m.id}_probability_saving_by_year`] = m.probabilitySaving[t];
	}
	return out;
}

function round2(v: number): number {
	return Math.round(v * 100) / 100;
}
