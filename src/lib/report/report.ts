/**
 * The report: one self-contained HTML page (inline CSS, charts as inline SVG, no scripts and no
 * external requests) from the current inputs, structured by CHEERS 2022 (sections.ts). The app
 * (Downloads, zip bundle) and the CLI (`model report`) both build it here:
 *
 *     const html = buildReport({ model, compiled, options, psa, modelHash, ... });
 *
 * Pure: the model file's hash is computed by the caller (hash.ts) and passed in, as is the PSA
 * when one was run; the deterministic run and one-way analysis are computed here.
 */
import {
	ceac,
	cePlane,
	createRunner,
	oneWay,
	summarisePsa,
	tornado,
	wtpRange,
	type CompiledModel,
	type ModelInput,
	type OneWayResult,
	type PsaResult,
	type RunOptions,
	type RunResult,
	type Tornado
} from '../engine';
import { resultRows, type ResultRow } from '../ui/resultsTable';
import { cumulativeCosts, timeYears } from '../ui/cumulative';
import { money, number } from '../ui/format';
import { icerText } from '../ui/icerLabel';
import { nmbStatement } from '../ui/keyResults';
import { esc, tornadoChart, xyChart } from './svg';
import { movesOf, stateDiagram } from './stateDiagram';
import { CHEERS_ITEMS, SECTIONS, coveredItems, uncoveredItems } from './sections';
import { inputsTable, assumptionsList } from './inputsSection';
import { REPORT_CSS } from './style';

export interface ReportInput {
	/** the model file as loaded, and compiled */
	model: ModelInput;
	compiled: CompiledModel;
	/** the inputs: scenario, parameter values and settings replacing the model's */
	options: RunOptions;
	/** what the user calls these inputs (a saved scenario's name, or "current inputs") */
	scenarioName: string;
	perspective: string;
	modelFileName: string;
	/** SHA-256 of the model file, hexadecimal, and what exactly was hashed */
	modelHash: string;
	hashedText: string;
	engineName: string;
	engineVersion: string;
	createdAt: Date;
	psa?: PsaResult | null;
	/** a one-way analysis already run on these inputs (computed here when absent) */
	oneWay?: OneWayResult | null;
	/** the verdict's sentences, when the engine gives them; else the incremental analysis's own statement */
	verdictSentences?: string[];
	/** tornado bars shown per comparison */
	tornadoBars?: number;
}

/** Everything the sections read, computed once. */
export interface ReportData extends ReportInput {
	result: RunResult;
	rows: ResultRow[];
	tornadoes: Tornado[];
	reference: string;
	fmt: (v: number) => string;
	label: (id: string) => string;
}

/**
 * Runs what the report shows: the deterministic result, its incremental rows (dominance, ICERs
 * along the frontier) and a tornado of incremental NMB for each strategy against the first.
 * @example reportData(input).rows[0].netMonetaryBenefit // WTP x QALYs - cost of the cheapest strategy
 */
export function reportData(input: ReportInput): ReportData {
	const result = createRunner(input.compiled).run(input.options);
	const rows = resultRows(result);
	const reference = result.strategies[0].id;
	const d = input.oneWay ?? oneWay(input.compiled, { options: input.options, referenceId: reference, willingnessToPay: result.settings.willingnessToPay });
	const tornadoes = d.strategyIds.filter((id) => id !== d.referenceId).map((id) => tornado(d, id, 'incremental-nmb'));
	const { currency } = result.settings;
	const labels = new Map(result.strategies.map((s) => [s.id, s.label]));
	return { ...input, result, rows, tornadoes, reference: d.referenceId, fmt: (v) => money(v, currency), label: (id) => labels.get(id) ?? id };
}

/**
 * The report page as one HTML string: CHEERS 2022 sections in the order of SECTIONS.
 * @example writeFileSync('report.html', buildReport({ model, compiled, options: {}, ... }))
 */
export function buildReport(input: ReportInput): string {
	const d = reportData(input);
	const body = [
		titleBlock(d),
		toc(),
		decisionSection(d),
		comparatorsSection(d),
		perspectiveSection(d),
		horizonSection(d),
		discountSection(d),
		outcomesSection(d),
		currencySection(d),
		structureSection(d),
		section('inputs', inputsTable(d.model, d.result, d.options)),
		section('assumptions', assumptionsList(d.model, d.result)),
		resultsSection(d),
		verdictSection(d),
		uncertaintySection(d),
		limitationsSection(d),
		provenanceSection(d),
		notCoveredSection()
	].join('\n');
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(d.result.title)}: report</title><style>${REPORT_CSS}</style></head>
<body><main>${body}</main></body></html>
`;
}

function heading(id: string): string {
	const s = SECTIONS.find((x) => x.id === id)!;
	return `<h2>${esc(s.title)}${s.cheers.length ? ` <span class="cheers">CHEERS ${s.cheers.join(', ')}</span>` : ''}</h2>`;
}

/** A section of the report: its element id (the contents link to it), heading with CHEERS items, and body. */
function section(id: string, inner: string): string {
	return `<section id="${id}" data-section="${id}">${heading(id)}${inner}</section>`;
}

function titleBlock(d: ReportData): string {
	const s = d.result.settings;
	return `<header><h1>${esc(d.result.title)}</h1>
<p class="lead">Cost-effectiveness report for the inputs “${esc(d.scenarioName)}”${d.result.scenario ? ` (model scenario ${esc(d.result.scenario)})` : ''}. Costs in ${esc(s.currency)} at ${s.priceYear} prices; effects in QALYs. Generated ${esc(d.createdAt.toISOString())} by ${esc(d.engineName)} ${esc(d.engineVersion)}.</p></header>`;
}

function toc(): string {
	const items = SECTIONS.map((s) => `<li><a href="#${s.id}">${esc(s.title)}</a>${s.cheers.length ? ` <span class="cheers">CHEERS ${s.cheers.join(', ')}</span>` : ''}</li>`);
	const covered = coveredItems().map((n) => `${n} ${CHEERS_ITEMS[n]}`);
	return `<nav id="contents" aria-label="Contents"><h2>Contents</h2><ol>${items.join('')}</ol>
<p class="small" data-testid="cheers-covered">CHEERS 2022 items reported here: ${esc(covered.join('; '))}. Items ${uncoveredItems().join(', ')} are left to the analyst (see the last section).</p></nav>`;
}

function decisionSection(d: ReportData): string {
	const s = d.result.settings;
	const start = d.model.strategies.map((st) => `<li>${esc(st.label)}: ${Object.entries(st.start).map(([state, share]) => `${esc(stateLabel(d, state))} ${esc(String(share))}`).join(', ')}</li>`);
	return section(
		'decision-problem',
		`<p>${esc(d.model.description)}</p>
<p>Cohort: starting age ${number(s.startAge, 0)} years. Starting share of the cohort in each state, by strategy (numbers or expressions of the inputs):</p><ul>${start.join('')}</ul>`
	);
}

function stateLabel(d: ReportData, id: string): string {
	return d.model.states.find((x) => x.id === id)?.label ?? id;
}

function comparatorsSection(d: ReportData): string {
	const items = d.model.strategies.map((st) => `<li><strong>${esc(st.label)}</strong> <code>${esc(st.id)}</code>${st.description ? `: ${esc(st.description)}` : ''}</li>`);
	return section('comparators', `<p>${d.model.strategies.length} strategies are compared; the first, ${esc(d.label(d.reference))}, is the reference of the one-way and probabilistic analyses.</p><ul>${items.join('')}</ul>`);
}

function perspectiveSection(d: ReportData): string {
	const cats = d.model.costCategories.map((c) => `<li>${esc(c.label)} <code>${esc(c.id)}</code></li>`);
	return section('perspective', `<p>Perspective: <strong data-testid="perspective">${esc(d.perspective)}</strong>. The costs counted are the model's cost categories, per person:</p><ul>${cats.join('')}</ul>`);
}

function horizonSection(d: ReportData): string {
	const s = d.result.settings;
	const years = s.horizon * s.cycleLength;
	return section('horizon', `<p data-testid="horizon">${s.horizon} cycles of ${number(s.cycleLength, 0)} year${s.cycleLength === 1 ? '' : 's'}: ${number(years, 0)} years, from age ${number(s.startAge, 0)} to ${number(s.startAge + years, 0)}.</p>`);
}

function discountSection(d: ReportData): string {
	const r = d.result.settings.discountRates;
	const pct = (v: number) => `${Number((v * 100).toPrecision(6))}% per year`;
	return section('discounting', `<p data-testid="discounting">Costs discounted at ${pct(r.costs)}; outcomes at ${pct(r.outcomes)}. Cycle correction: ${esc(d.result.settings.cycleCorrection)}.</p>`);
}

function outcomesSection(d: ReportData): string {
	const extra = (d.model.outcomes ?? []).map((o) => `<li>${esc(o.label)}${o.unit ? ` (${esc(o.unit)})` : ''}</li>`);
	return section(
		'outcomes',
		`<p>Effects: quality-adjusted life years (QALYs, utility weight per year times years in each state, discounted) and life years. Utility weights and their sources are in <a href="#inputs">Inputs</a>.${extra.length ? ' Also counted (undiscounted):' : ''}</p>${extra.length ? `<ul>${extra.join('')}</ul>` : ''}`
	);
}

function currencySection(d: ReportData): string {
	const s = d.result.settings;
	return section('currency', `<p data-testid="currency">All costs in ${esc(s.currency)} at ${s.priceYear} prices, as stated by the model. Where an input gives its own currency or price year, the Inputs table shows it beside the value.</p>`);
}

function structureSection(d: ReportData): string {
	const moves = movesOf(d.model);
	const states = d.model.states.map((s) => `<tr><td><code>${esc(s.id)}</code></td><td>${esc(s.label)}</td><td>${s.dead ? 'death' : s.tunnel ? `tunnel of ${s.tunnel} cycles` : ''}</td></tr>`);
	const moveRows = moves.map((m) => `<tr><td>${esc(stateLabel(d, m.from))}</td><td>${esc(stateLabel(d, m.to))}</td><td>${m.strategies.length === d.model.strategies.length ? 'all' : esc(m.strategies.map(d.label).join(', '))}</td></tr>`);
	return section(
		'structure',
		`<p>A Markov cohort model with ${d.model.states.length} states, cycles of ${number(d.result.settings.cycleLength, 0)} year(s). Each strategy has its own transition probabilities; the diagram shows every move any strategy defines.</p>
${stateDiagram(d.model, moves)}
<div class="scroll"><table><caption>States</caption><thead><tr><th>Id</th><th>State</th><th>Kind</th></tr></thead><tbody>${states.join('')}</tbody></table></div>
<div class="scroll"><table data-testid="moves"><caption>Moves between states (${moves.length})</caption><thead><tr><th>From</th><th>To</th><th>Strategies</th></tr></thead><tbody>${moveRows.join('')}</tbody></table></div>`
	);
}

/** The results table: every figure in a cell with its full-precision value in data-value. */
function resultsSection(d: ReportData): string {
	const s = d.result.settings;
	const cell = (col: string, v: number | null, text: string) => `<td class="num" data-col="${col}"${v === null ? '' : ` data-value="${v}"`}>${esc(text)}</td>`;
	const rows = d.rows.map(
		(r) => `<tr data-strategy="${esc(r.id)}"><th scope="row">${esc(r.label)}</th>${cell('cost', r.cost, d.fmt(r.cost))}${cell('qaly', r.qaly, number(r.qaly, 3))}${cell('lifeYears', r.lifeYears, number(r.lifeYears, 3))}${cell('incrementalCost', r.incrementalCost, r.incrementalCost === null ? '-' : d.fmt(r.incrementalCost))}${cell('incrementalQaly', r.incrementalQaly, r.incrementalQaly === null ? '-' : number(r.incrementalQaly, 3))}${cell('icer', r.icer, icerText(r.incrementalCost, r.incrementalQaly, d.fmt))}<td data-col="status">${esc(statusText(d, r))}</td>${cell('nmb', r.netMonetaryBenefit, d.fmt(r.netMonetaryBenefit))}</tr>`
	);
	const table = `<div class="scroll"><table data-testid="results-table"><caption>Discounted costs (${esc(s.currency)}, ${s.priceYear} prices), QALYs and life years per person; incremental against the next cheaper strategy on the frontier; NMB at ${esc(d.fmt(s.willingnessToPay))} per QALY</caption>
<thead><tr><th>Strategy</th><th>Cost</th><th>QALYs</th><th>Life years</th><th>Incr. cost</th><th>Incr. QALYs</th><th>ICER</th><th>Status</th><th>Net monetary benefit</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
	const years = timeYears(d.result);
	const costs = xyChart(
		d.result.strategies.map((st) => ({ label: st.label, points: Array.from(cumulativeCosts(d.result, st, true), (c, k): [number, number] => [years[k], c]) })),
		{ id: 'chart-costs', title: 'Cumulative discounted cost per person over time', xLabel: 'Years from start', yLabel: `Cost (${s.currency}, ${s.priceYear} prices)`, lines: true }
	);
	const plane = xyChart(
		d.result.strategies.map((st) => ({ label: st.label, points: [[st.discounted.qaly, st.discounted.cost] as [number, number]] })),
		{ id: 'chart-plane', title: 'Cost-effectiveness plane (deterministic): cost against QALYs per person', xLabel: 'QALYs (discounted)', yLabel: `Cost (${s.currency}, ${s.priceYear} prices)`, lines: false }
	);
	return section('results', `${table}${categoryTable(d)}${costs}${plane}`);
}

function statusText(d: ReportData, r: ResultRow): string {
	if (r.status === 'reference') return 'reference (least costly)';
	if (r.status === 'frontier') return `on the frontier (vs ${d.label(r.comparator ?? '')})`;
	const by = r.dominatedBy ? ` by ${r.dominatedBy.split('+').map(d.label).join(' and ')}` : '';
	return r.status === 'dominated' ? `dominated${by}` : `extendedly dominated${by}`;
}

function categoryTable(d: ReportData): string {
	const cats = d.result.categoryIds;
	const head = d.result.categoryLabels.map((l) => `<th>${esc(l)}</th>`).join('');
	const rows = d.result.strategies.map((st) => `<tr><th scope="row">${esc(st.label)}</th>${cats.map((c) => `<td class="num" data-value="${st.discounted.costByCategory[c]}">${esc(d.fmt(st.discounted.costByCategory[c]))}</td>`).join('')}</tr>`);
	return `<div class="scroll"><table data-testid="category-table"><caption>Discounted cost per person by category (${esc(d.result.settings.currency)}, ${d.result.settings.priceYear} prices)</caption><thead><tr><th>Strategy</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function verdictSection(d: ReportData): string {
	const given = d.verdictSentences && d.verdictSentences.length > 0;
	const sentences = given ? d.verdictSentences! : nmbStatement(d.rows, d.result.settings.willingnessToPay, d.fmt, d.label);
	const note = given ? '' : '<p class="small">From the incremental analysis of the results table.</p>';
	return section('verdict', `<div data-testid="verdict">${sentences.map((t) => `<p>${esc(t)}</p>`).join('')}</div>${note}`);
}

function uncertaintySection(d: ReportData): string {
	const bars = d.tornadoBars ?? 10;
	const s = d.result.settings;
	const tornadoes = d.tornadoes.map((t, i) =>
		tornadoChart(
			t.bars.slice(0, bars).map((b) => ({ label: b.description || b.id, low: b.atLow, high: b.atHigh })),
			t.base,
			{ id: `chart-tornado-${i}`, title: `Tornado: incremental NMB of ${d.label(t.strategyId)} vs ${d.label(t.referenceId)}, the ${Math.min(bars, t.bars.length)} widest of ${t.bars.length} inputs at their low and high values`, xLabel: `Incremental NMB at ${d.fmt(s.willingnessToPay)}/QALY (${s.currency}, ${s.priceYear} prices)` }
		)
	);
	const method = `<p>One-way sensitivity analysis: each input with a low and a high value (and not marked fixed) is set to each in turn, the others at their values here; the bars show the incremental net monetary benefit against ${esc(d.label(d.reference))}. ${d.psa ? psaMethod(d.psa) : 'No probabilistic sensitivity analysis was run for this report (run one in the app, or pass <code>--psa N --seed S</code> to <code>model report</code>).'}</p>`;
	return section('uncertainty', `${method}${tornadoes.join('')}${d.psa ? psaBlock(d, d.psa) : ''}`);
}

function psaMethod(p: PsaResult): string {
	return `Probabilistic sensitivity analysis: ${p.iterations} iterations with seed ${p.seed}, ${p.parameterIds.length} inputs drawn from their distributions${p.heldFixed.length ? `, ${p.heldFixed.length} held at the values given here (${esc(p.heldFixed.join(', '))})` : ''}.`;
}

function psaBlock(d: ReportData, p: PsaResult): string {
	const s = d.result.settings;
	const wtp = s.willingnessToPay;
	const summary = summarisePsa(p, wtp, d.reference);
	const rows = summary.map(
		(r) => `<tr data-strategy="${esc(r.id)}"><th scope="row">${esc(d.label(r.id))}</th><td class="num" data-value="${r.meanCost}">${esc(d.fmt(r.meanCost))}</td><td class="num">${esc(d.fmt(r.costInterval[0]))} to ${esc(d.fmt(r.costInterval[1]))}</td><td class="num" data-value="${r.meanQaly}">${number(r.meanQaly, 3)}</td><td class="num">${number(r.qalyInterval[0], 3)} to ${number(r.qalyInterval[1], 3)}</td><td>${r.id === d.reference ? '-' : esc(icerText(r.incrementalCost, r.incrementalQaly, d.fmt))}</td><td class="num" data-value="${r.probabilityCostEffective}">${number(r.probabilityCostEffective, 3)}</td></tr>`
	);
	const table = `<div class="scroll"><table data-testid="psa-table"><caption>PSA: means and 95% intervals per person (${esc(s.currency)}, ${s.priceYear} prices); ICER of the means against ${esc(d.label(d.reference))}; probability of the highest NMB at ${esc(d.fmt(wtp))}/QALY</caption><thead><tr><th>Strategy</th><th>Mean cost</th><th>95% interval</th><th>Mean QALYs</th><th>95% interval</th><th>ICER vs reference</th><th>P(cost-effective)</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
	const plane = cePlane(p, d.reference);
	const keep = Math.min(p.iterations, 1000);
	const planeChart = xyChart(
		p.strategyIds.map((id, si) => ({ label: d.label(id), points: Array.from({ length: id === d.reference ? 0 : keep }, (_, i): [number, number] => [plane.incrementalQaly[si][i], plane.incrementalCost[si][i]]) })),
		{ id: 'chart-psa-plane', title: `Cost-effectiveness plane (PSA, ${keep} of ${p.iterations} iterations): incremental cost and QALYs against ${d.label(d.reference)}`, xLabel: 'Incremental QALYs', yLabel: `Incremental cost (${s.currency}, ${s.priceYear} prices)`, lines: false, origin: true }
	);
	const max = Math.max(100000, 2 * wtp);
	const curve = ceac(p, wtpRange(0, max, max / 100), d.reference);
	const ceacChart = xyChart(
		p.strategyIds.map((id, si) => ({ label: d.label(id), points: Array.from(curve.wtp, (w, k): [number, number] => [w, curve.probability[si][k]]) })),
		{ id: 'chart-ceac', title: 'Cost-effectiveness acceptability curves: probability each strategy has the highest NMB', xLabel: `Willingness to pay (${s.currency} per QALY)`, yLabel: 'Probability', lines: true }
	);
	return `${table}${planeChart}${ceacChart}`;
}

function limitationsSection(d: ReportData): string {
	const params = Object.entries(d.model.parameters);
	const assumed = params.filter(([, p]) => !p.source).length;
	const noRange = params.filter(([, p]) => p.value !== undefined && (p.low === undefined || p.high === undefined)).length;
	const items = [
		`${assumed} of ${params.length} inputs have no cited source and rest on a stated assumption (listed under Assumptions). A cited source means the document gives the value; it has not been verified here.`,
		`${noRange} inputs with a value have no low/high range and are not varied in the one-way analysis.`,
		'A cohort model: everyone in a state shares its costs and risks; heterogeneity between patients (CHEERS 18) and distributional effects (CHEERS 19) are not modelled beyond the states and tunnel states the model defines.',
		d.psa ? `The PSA's results carry Monte Carlo error from ${d.psa.iterations} iterations.` : 'Without a probabilistic analysis the joint uncertainty of the inputs is not reported.'
	];
	return section('limitations', `<ul data-testid="limitations">${items.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`);
}

function provenanceSection(d: ReportData): string {
	const sets = Object.entries(d.options.parameters ?? {});
	const settings = Object.entries(d.options.settings ?? {});
	return section(
		'provenance',
		`<dl><dt>Engine</dt><dd data-testid="engine-version">${esc(d.engineName)} ${esc(d.engineVersion)}</dd>
<dt>Model file</dt><dd>${esc(d.modelFileName)} (model id <code>${esc(d.result.modelId)}</code>)</dd>
<dt>SHA-256</dt><dd><code data-testid="model-hash">${esc(d.modelHash)}</code> of ${esc(d.hashedText)}</dd>
<dt>Model scenario</dt><dd>${esc(d.result.scenario ?? 'none')}</dd>
<dt>Inputs changed from the model</dt><dd>${sets.length ? esc(sets.map(([k, v]) => `${k} = ${v}`).join('; ')) : 'none'}</dd>
<dt>Settings changed</dt><dd>${settings.length ? esc(JSON.stringify(d.options.settings)) : 'none'}</dd>
<dt>Generated</dt><dd>${esc(d.createdAt.toISOString())}</dd></dl>`
	);
}

function notCoveredSection(): string {
	const items = uncoveredItems().map((n) => `<li>${n}. ${esc(CHEERS_ITEMS[n])}</li>`);
	return section('not-covered', `<p>A report generated from a model file cannot know these; the analyst reports them:</p><ul>${items.join('')}</ul>`);
}
