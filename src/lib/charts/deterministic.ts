/**
 * Chart configurations for a deterministic run (pure data in, chart.js config out): cumulative
 * cost per patient with the payback year, the state trace per strategy, and the cost breakdown.
 */
import type { ChartConfiguration } from 'chart.js';
import type { RunResult } from '$lib/engine';
import { cumulativeCosts, timeYears } from '$lib/ui/cumulative';
import { BASE_OPTIONS, LEGEND, colourAt } from './palette';
import type { Band } from '$lib/ui/bands';

/** Blue (no disability) to red (severe), then grey for death: an ordered scale for bands. */
const BAND_COLOURS = ['#4477AA', '#66CCEE', '#CCBB44', '#EE6677', '#AA3377', '#882255'];

const priceTag = (r: RunResult) => `${r.settings.currency}, ${r.settings.priceYear} prices`;

export function cumulativeCostChart(result: RunResult, payback: { year: number | null; label: string } | null, discounted = true): ChartConfiguration<'line'> {
	const years = timeYears(result);
	return {
		type: 'line',
		data: {
			labels: years,
			datasets: result.strategies.map((s, i) => ({
				label: s.label,
				data: Array.from(cumulativeCosts(result, s, discounted)),
				borderColor: colourAt(i),
				backgroundColor: colourAt(i),
				pointRadius: 0,
				borderWidth: 2,
				tension: 0
			}))
		},
		options: {
			...BASE_OPTIONS,
			interaction: { mode: 'index', intersect: false },
			scales: {
				x: { type: 'linear', title: { display: true, text: 'Years from start' }, min: 0, max: years[years.length - 1] },
				y: { title: { display: true, text: `Cumulative cost per patient (${priceTag(result)}${discounted ? ', discounted' : ''})` } }
			},
			plugins: {
				title: { display: false, text: 'Cumulative cost per patient' },
				legend: LEGEND,
				verticalMarker: payback && payback.year !== null ? { x: payback.year, label: payback.label } : {}
			}
		}
	};
}

/** The trace summed within the model's trace bands (see ui/bands.ts), titled by what the bands are. */
export function bandTraceChart(result: RunResult, strategyIndex: number, bands: Band[], bandsLabel = 'Trace bands'): ChartConfiguration<'line'> {
	const S = result.stateIds.length;
	const s = result.strategies[strategyIndex];
	let colour = 0;
	return shareOfCohortChart(
		result,
		`${bandsLabel}: ${s.label}`,
		bands.map((b) => {
			const c = b.dead ? '#999999' : BAND_COLOURS[colour++ % BAND_COLOURS.length];
			return { label: b.label, share: (t) => b.states.reduce((a, i) => a + s.trace[t * S + i], 0), border: c, fill: c + 'dd' };
		})
	);
}

export function traceChart(result: RunResult, strategyIndex: number): ChartConfiguration<'line'> {
	const S = result.stateIds.length;
	const s = result.strategies[strategyIndex];
	return shareOfCohortChart(
		result,
		`State trace: ${s.label}`,
		result.stateIds.map((id, j) => {
			const dead = id === 'dead' || /dead|death/i.test(result.stateLabels[j]);
			return { label: result.stateLabels[j], share: (t) => s.trace[t * S + j], border: dead ? '#555555' : colourAt(j), fill: (dead ? '#bbbbbb' : colourAt(j)) + 'cc' };
		})
	);
}

/** Stacked areas of the cohort's share in each series, by years from start. */
function shareOfCohortChart(
	result: RunResult,
	title: string,
	series: { label: string; share: (t: number) => number; border: string; fill: string }[]
): ChartConfiguration<'line'> {
	const years = timeYears(result);
	return {
		type: 'line',
		data: {
			labels: years,
			datasets: series.map((x, j) => ({
				label: x.label,
				data: years.map((_, t) => x.share(t)),
				borderColor: x.border,
				backgroundColor: x.fill,
				fill: j === 0 ? 'origin' : '-1',
				pointRadius: 0,
				borderWidth: 1
			}))
		},
		options: {
			...BASE_OPTIONS,
			interaction: { mode: 'index', intersect: false },
			scales: {
				x: { type: 'linear', title: { display: true, text: 'Years from start' }, min: 0, max: years[years.length - 1] },
				y: { stacked: true, min: 0, max: 1, title: { display: true, text: 'Share of cohort' } }
			},
			plugins: { title: { display: false, text: title }, legend: LEGEND }
		}
	};
}

export function costBreakdownChart(result: RunResult): ChartConfiguration<'bar'> {
	return {
		type: 'bar',
		data: {
			labels: result.strategies.map((s) => (s.label.length > 26 ? s.label.slice(0, 25) + '…' : s.label)),
			datasets: result.categoryIds.map((id, c) => ({
				label: result.categoryLabels[c],
				data: result.strategies.map((s) => s.discounted.costByCategory[id] ?? 0),
				backgroundColor: colourAt(c)
			}))
		},
		options: {
			...BASE_OPTIONS,
			indexAxis: 'y',
			scales: {
				x: { stacked: true, title: { display: true, text: `Discounted cost per patient (${priceTag(result)})` } },
				y: { stacked: true }
			},
			plugins: { title: { display: false, text: 'Cost by category' }, legend: LEGEND }
		}
	};
}
