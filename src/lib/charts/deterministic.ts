/**
 * Chart configurations for a deterministic run (pure data in, chart.js config out): cumulative
 * cost per patient with the payback year, the state trace per strategy, and the cost breakdown.
 */
import type { ChartConfiguration } from 'chart.js';
import type { RunResult } from '$lib/engine';
import { cumulativeCosts, timeYears } from '$lib/ui/cumulative';
import { PALETTE } from './palette';

const LEGEND = { position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 12, font: { size: 11 } } };

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
				borderColor: PALETTE[i % PALETTE.length],
				backgroundColor: PALETTE[i % PALETTE.length],
				pointRadius: 0,
				borderWidth: 2,
				tension: 0
			}))
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
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

export function traceChart(result: RunResult, strategyIndex: number): ChartConfiguration<'line'> {
	const S = result.stateIds.length;
	const s = result.strategies[strategyIndex];
	const years = timeYears(result);
	return {
		type: 'line',
		data: {
			labels: years,
			datasets: result.stateIds.map((id, j) => ({
				label: result.stateLabels[j],
				data: years.map((_, t) => s.trace[t * S + j]),
				borderColor: result.stateIds[j] === 'dead' || /dead|death/i.test(result.stateLabels[j]) ? '#555555' : PALETTE[j % PALETTE.length],
				backgroundColor: (result.stateIds[j] === 'dead' || /dead|death/i.test(result.stateLabels[j]) ? '#bbbbbb' : PALETTE[j % PALETTE.length]) + 'cc',
				fill: j === 0 ? 'origin' : '-1',
				pointRadius: 0,
				borderWidth: 1
			}))
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			interaction: { mode: 'index', intersect: false },
			scales: {
				x: { type: 'linear', title: { display: true, text: 'Years from start' }, min: 0, max: years[years.length - 1] },
				y: { stacked: true, min: 0, max: 1, title: { display: true, text: 'Share of cohort' } }
			},
			plugins: { title: { display: false, text: `State trace: ${s.label}` }, legend: LEGEND }
		}
	};
}

export function costBreakdownChart(result: RunResult): ChartConfiguration<'bar'> {
	return {
		type: 'bar',
		data: {
			labels: result.strategies.map((s) => s.label),
			datasets: result.categoryIds.map((id, c) => ({
				label: result.categoryLabels[c],
				data: result.strategies.map((s) => s.discounted.costByCategory[id] ?? 0),
				backgroundColor: PALETTE[c % PALETTE.length]
			}))
		},
		options: {
			responsive: true,
			maintainAspectRatio: false,
			animation: false,
			indexAxis: 'y',
			scales: {
				x: { stacked: true, title: { display: true, text: `Discounted cost per patient (${priceTag(result)})` } },
				y: { stacked: true }
			},
			plugins: { title: { display: false, text: 'Cost by category' }, legend: LEGEND }
		}
	};
}
