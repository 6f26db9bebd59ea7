/** The scenario comparison as CSV: differing inputs, then each scenario's results per strategy. */
import Papa from 'papaparse';
import type { InputDifference, ComparedScenario } from '$lib/state/compare';
import type { RunOutcome } from '$lib/state/session.svelte';
import { STATUS_TEXT } from '$lib/ui/resultsTable';
import { formulaSafeTable } from './formulaSafety';

export function compareCsv(scenarios: ComparedScenario[], diffs: InputDifference[], outcomes: RunOutcome[]): string {
	const names = scenarios.map((s) => s.name);
	const inputs = Papa.unparse(
		formulaSafeTable({
			fields: ['section', 'key', 'input', 'unit', ...names, 'differs'],
			data: diffs.map((d) => ['input', d.key, d.label, d.unit, ...d.values, d.differs ? 'yes' : 'no'])
		}),
		{ newline: '\n' }
	);
	const rows: (string | number)[][] = [];
	outcomes.forEach((o, k) => {
		if (!o.ok) {
			rows.push(['result', names[k], '', '', '', '', '', '', '', `error: ${o.issues.map((i) => i.message).join('; ')}`, '']);
			return;
		}
		const cur = `${o.result.settings.currency} ${o.result.settings.priceYear}`;
		for (const r of o.rows)
			rows.push([
				'result',
				names[k],
				r.id,
				r.label,
				cur,
				r.cost,
				r.qaly,
				r.lifeYears,
				r.icer ?? '',
				STATUS_TEXT[r.status],
				r.netMonetaryBenefit
			]);
	});
	const results = Papa.unparse(
		formulaSafeTable({
			fields: ['section', 'scenario', 'strategy_id', 'strategy', 'currency_price_year', 'cost', 'qalys', 'life_years', 'icer (per QALY)', 'status', 'net_monetary_benefit'],
			data: rows
		}),
		{ newline: '\n' }
	);
	return `${inputs}\n\n${results}\n`;
}
