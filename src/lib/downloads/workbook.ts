/**
 * The results as an .xlsx workbook: inputs with their sources, results, incremental analysis,
 * Markov trace, costs per cycle, and, when run, the PSA's draws and results, and a scenario
 * comparison. `workbookSheets` lays the sheets out (pure, tested); `workbookBlob` writes them
 * with write-excel-file (MIT), loaded only when a workbook is asked for.
 *
 * Figures are numbers at full precision; every text cell goes through `escapeFormula` (a cell
 * that starts with = + - @ is not run as a formula). Units, currency and price year are in the
 * column headers, as in the CSV files.
 *
 *     const blob = await workbookBlob(workbookSheets({ model, result, rows, options, psa: null }));
 */
import type { ModelInput, PsaResult, RunOptions, RunResult } from '../engine';
import type { ResultRow } from '../ui/resultsTable';
import { STATUS_TEXT } from '../ui/resultsTable';
import { icerText } from '../ui/icerLabel';
import { money } from '../ui/format';
import { priceTag, distributionText } from '../report/inputsSection';
import { escapeFormula } from './formulaSafety';
import type { TidyComparisonRow } from './compareCsv';

export type Cell = string | number | null;
export interface SheetTable {
	sheet: string;
	rows: Cell[][];
}

export interface WorkbookInput {
	model: ModelInput;
	result: RunResult;
	rows: ResultRow[];
	options: RunOptions;
	scenarioName: string;
	psa?: PsaResult | null;
	comparison?: TidyComparisonRow[] | null;
}

/** A text cell, made safe; a number kept as a number; null or a non-finite number left empty. */
export function cell(v: string | number | null | undefined): Cell {
	if (v === null || v === undefined) return null;
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	return escapeFormula(v);
}

/** Every sheet of the workbook, in order; the PSA's sheets only when a PSA ran, the comparison only when given. */
export function workbookSheets(w: WorkbookInput): SheetTable[] {
	const sheets = [aboutSheet(w), inputsSheet(w), resultsSheet(w), incrementalSheet(w), traceSheet(w.result), cycleCostsSheet(w.result)];
	if (w.psa && w.psa.iterations > 0) sheets.push(psaDrawsSheet(w.psa), psaResultsSheet(w.psa));
	if (w.comparison && w.comparison.length) sheets.push(comparisonSheet(w.comparison));
	return sheets.map((s) => ({ sheet: s.sheet, rows: s.rows.map((r) => r.map(cell)) }));
}

type Raw = { sheet: string; rows: (string | number | null)[][] };

function aboutSheet(w: WorkbookInput): Raw {
	const s = w.result.settings;
	const rows: (string | number | null)[][] = [
		['item', 'value'],
		['model', w.result.title],
		['model_id', w.result.modelId],
		['inputs', w.scenarioName],
		['model_scenario', w.result.scenario],
		['currency', s.currency],
		['price_year', s.priceYear],
		['willingness_to_pay (per QALY)', s.willingnessToPay],
		['horizon (cycles)', s.horizon],
		['cycle_length (years)', s.cycleLength],
		['discount_rate_costs (per year)', s.discountRates.costs],
		['discount_rate_outcomes (per year)', s.discountRates.outcomes],
		['cycle_correction', s.cycleCorrection],
		['psa_iterations', w.psa?.iterations ?? null],
		['psa_seed', w.psa?.seed ?? null]
	];
	return { sheet: 'About', rows };
}

function inputsSheet(w: WorkbookInput): Raw {
	const changed = new Set(Object.keys(w.options.parameters ?? {}));
	const rows = Object.entries(w.model.parameters).map(([id, p]) => [
		id,
		p.description,
		p.group,
		w.result.parameters[id],
		p.value ?? null,
		changed.has(id) ? 'yes' : 'no',
		p.unit,
		p.low ?? null,
		p.high ?? null,
		distributionText(p.distribution),
		priceTag(p),
		p.source?.citation ?? null,
		p.source?.location ?? null,
		p.source?.url ?? null,
		p.assumption ?? null,
		p.expression ?? null
	]);
	const header = ['parameter_id', 'description', 'group', 'value_used', 'model_value', 'changed_by_user', 'unit', 'low', 'high', 'psa_distribution', 'currency_price_year', 'source', 'source_location', 'source_url', 'assumption', 'expression'];
	return { sheet: 'Inputs', rows: [header, ...rows] };
}

function resultsSheet(w: WorkbookInput): Raw {
	const r = w.result;
	const cur = `${r.settings.currency} ${r.settings.priceYear}`;
	const header = ['scenario', 'strategy_id', 'strategy', `cost (${cur}, discounted)`, 'qalys (discounted)', 'life_years (discounted)', `cost (${cur}, undiscounted)`, 'qalys (undiscounted)', 'life_years (undiscounted)', `net_monetary_benefit (${cur}, wtp ${r.settings.willingnessToPay} per QALY)`, ...r.categoryLabels.map((l) => `${l} (${cur}, discounted)`)];
	const nmb = new Map(w.rows.map((x) => [x.id, x.netMonetaryBenefit]));
	const rows = r.strategies.map((s) => [w.scenarioName, s.id, s.label, s.discounted.cost, s.discounted.qaly, s.discounted.lifeYears, s.undiscounted.cost, s.undiscounted.qaly, s.undiscounted.lifeYears, nmb.get(s.id) ?? null, ...r.categoryIds.map((c) => s.discounted.costByCategory[c])]);
	return { sheet: 'Results', rows: [header, ...rows] };
}

function incrementalSheet(w: WorkbookInput): Raw {
	const s = w.result.settings;
	const cur = `${s.currency} ${s.priceYear}`;
	const fmt = (v: number) => money(v, s.currency);
	const header = ['strategy_id', 'strategy', `cost (${cur})`, 'qalys', 'life_years', `incremental_cost (${cur})`, 'incremental_qalys', 'incremental_life_years', `icer (${cur} per QALY)`, 'icer_meaning', 'status', 'compared_with', 'dominated_by'];
	const rows = w.rows.map((r) => [r.id, r.label, r.cost, r.qaly, r.lifeYears, r.incrementalCost, r.incrementalQaly, r.incrementalLifeYears, r.icer, icerText(r.incrementalCost, r.incrementalQaly, fmt), STATUS_TEXT[r.status], r.comparator, r.dominatedBy]);
	return { sheet: 'Incremental', rows: [header, ...rows] };
}

function traceSheet(r: RunResult): Raw {
	const S = r.stateIds.length;
	const header = ['strategy_id', 'cycle', 'time_years', ...r.stateIds.map((id, i) => `${id} (${r.stateLabels[i]}, share)`)];
	const rows: (string | number)[][] = [];
	for (const s of r.strategies)
		for (let t = 0; t <= r.settings.horizon; t++) rows.push([s.id, t, t * r.settings.cycleLength, ...Array.from({ length: S }, (_, j) => s.trace[t * S + j])]);
	return { sheet: 'Trace', rows: [header, ...rows] };
}

function cycleCostsSheet(r: RunResult): Raw {
	const C = r.categoryIds.length;
	const cur = `${r.settings.currency} ${r.settings.priceYear}`;
	const header = ['strategy_id', 'cycle', 'time_years', ...r.categoryIds.map((id) => `${id} (${cur}, discounted)`), `total (${cur}, discounted)`, `total (${cur}, undiscounted)`, 'qalys (discounted)', 'life_years (discounted)'];
	const rows: (string | number)[][] = [];
	for (const s of r.strategies)
		for (let k = 0; k <= r.settings.horizon; k++) {
			const d = Array.from({ length: C }, (_, c) => s.cycleCosts[k * C + c]);
			let u = 0;
			for (let c = 0; c < C; c++) u += s.cycleCostsUndiscounted[k * C + c];
			rows.push([s.id, k, k * r.settings.cycleLength, ...d, d.reduce((a, b) => a + b, 0), u, s.cycleQalys[k], s.cycleLifeYears[k]]);
		}
	return { sheet: 'Costs per cycle', rows: [header, ...rows] };
}

function psaDrawsSheet(p: PsaResult): Raw {
	const K = p.parameterIds.length;
	const rows: (string | number)[][] = [['iteration', ...p.parameterIds]];
	for (let i = 0; i < p.iterations; i++) rows.push([i + 1, ...Array.from({ length: K }, (_, k) => p.draws[i * K + k])]);
	return { sheet: 'PSA draws', rows };
}

function psaResultsSheet(p: PsaResult): Raw {
	const S = p.strategyIds.length;
	const cur = `${p.settings.currency} ${p.settings.priceYear}`;
	const header = ['iteration', ...p.strategyIds.map((id) => `${id} cost (${cur}, discounted)`), ...p.strategyIds.map((id) => `${id} qalys (discounted)`)];
	const rows: (string | number)[][] = [header];
	for (let i = 0; i < p.iterations; i++) rows.push([i + 1, ...Array.from({ length: S }, (_, s) => p.cost[i * S + s]), ...Array.from({ length: S }, (_, s) => p.qaly[i * S + s])]);
	return { sheet: 'PSA results', rows };
}

function comparisonSheet(rows: TidyComparisonRow[]): Raw {
	const header = Object.keys(rows[0]) as (keyof TidyComparisonRow)[];
	return { sheet: 'Comparison', rows: [header, ...rows.map((r) => header.map((h) => r[h]))] };
}

/** Writes the sheets as an .xlsx file (header rows bold), loading the writer only now. */
export async function workbookBlob(sheets: SheetTable[]): Promise<Blob> {
	const { default: writeXlsxFile } = await import('write-excel-file/universal');
	return writeXlsxFile(
		sheets.map((s) => ({
			sheet: s.sheet,
			data: s.rows.map((row, i) => row.map((v) => (v === null ? null : i === 0 && typeof v === 'string' ? { value: v, fontWeight: 'bold' as const } : v)))
		}))
	).toBlob();
}
