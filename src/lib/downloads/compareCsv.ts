/**
 * The scenario comparison as one tidy table (Wickham 2014, "Tidy data", J Stat Softw 59(10)):
 * one header, one row per scenario and figure: the inputs that differ (section "input") and each
 * strategy's results (section "result"), so a spreadsheet or R/pandas reads it as it is.
 *
 *     scenario,section,item,item_label,measure,unit,value,differs
 *     Base,input,parameters.c_ocr,Ocrelizumab cost,value,GBP per year,19160,yes
 *     Base,result,ahsct,aHSCT (one-off),cost,"GBP, 2024 prices, discounted",237555.1,
 */
import Papa from 'papaparse';
import type { InputDifference, ComparedScenario } from '$lib/state/compare';
import type { RunOutcome } from '$lib/state/session.svelte';
import { STATUS_TEXT } from '../ui/resultsTable';
import { escapeFormula } from './formulaSafety';

export interface TidyComparisonRow {
	scenario: string;
	section: 'input' | 'result';
	/** the input's key (parameters.x, settings.y) or the strategy id */
	item: string;
	item_label: string;
	measure: string;
	unit: string;
	value: number | string;
	/** for inputs: whether the scenarios differ in it ("yes"/"no"); empty for results */
	differs: string;
}

/** The comparison's rows: inputs first (each scenario's value), then each scenario's results. */
export function comparisonRows(scenarios: ComparedScenario[], diffs: InputDifference[], outcomes: RunOutcome[]): TidyComparisonRow[] {
	const names = scenarios.map((s) => s.name);
	const rows: TidyComparisonRow[] = [];
	for (const d of diffs)
		d.values.forEach((v, k) => rows.push({ scenario: names[k], section: 'input', item: d.key, item_label: d.label, measure: 'value', unit: d.unit, value: v, differs: d.differs ? 'yes' : 'no' }));
	outcomes.forEach((o, k) => {
		if (!o.ok) {
			rows.push({ scenario: names[k], section: 'result', item: '', item_label: '', measure: 'error', unit: '', value: o.issues.map((i) => i.message).join('; '), differs: '' });
			return;
		}
		const s = o.result.settings;
		const price = `${s.currency}, ${s.priceYear} prices`;
		for (const r of o.rows) {
			// an ICER that does not exist (reference, dominated) is an empty value, so every strategy has every measure
			const add = (measure: string, unit: string, value: number | string | null) =>
				rows.push({ scenario: names[k], section: 'result', item: r.id, item_label: r.label, measure, unit, value: value ?? '', differs: '' });
			add('cost', `${price}, discounted`, r.cost);
			add('qalys', 'QALYs, discounted', r.qaly);
			add('life_years', 'years, discounted', r.lifeYears);
			add('icer', `${price} per QALY`, r.icer);
			add('status', '', STATUS_TEXT[r.status]);
			add('net_monetary_benefit', `${price}, at ${s.willingnessToPay} per QALY`, r.netMonetaryBenefit);
		}
	});
	return rows;
}

export const COMPARISON_FIELDS: (keyof TidyComparisonRow)[] = ['scenario', 'section', 'item', 'item_label', 'measure', 'unit', 'value', 'differs'];

/** The comparison as CSV text: the tidy rows under one header, text cells made formula-safe. */
export function compareCsv(scenarios: ComparedScenario[], diffs: InputDifference[], outcomes: RunOutcome[]): string {
	const data = comparisonRows(scenarios, diffs, outcomes).map((r) => COMPARISON_FIELDS.map((f) => (typeof r[f] === 'string' ? escapeFormula(r[f] as string) : r[f])));
	return Papa.unparse({ fields: COMPARISON_FIELDS, data }, { newline: '\n' }) + '\n';
}
