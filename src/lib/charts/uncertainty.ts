/**
 * Chart configurations for the uncertainty analyses: the cost-effectiveness plane, the
 * acceptability curves (CEAC with the frontier), the EVPI curve and the tornado diagram. The
 * numbers come from src/lib/engine/analysis; this file only lays them out.
 */
import type { ChartConfiguration } from 'chart.js';
import type { CeacResult, CePlane, Tornado } from '$lib/engine';
import { BASE_OPTIONS, LEGEND, PALETTE, colourAt } from './palette';

/** Points drawn per strategy on the CE plane; more add drawing time but no visible information. */
export const CE_PLANE_POINTS = 2000;

/**
 * Every k-th iteration's point, k = ceil(iterations / CE_PLANE_POINTS), so a 10,000-iteration
 * PSA of five strategies draws 8,000 points, not 40,000 (the iterations are independent draws,
 * so a regular subsample is itself a random sample of them).
 * @example shownIterations(10000) // { step: 5, count: 2000 }
 */
export function shownIterations(iterations: number): { step: number; count: number } {
	const step = Math.max(1, Math.ceil(iterations / CE_PLANE_POINTS));
	return { step, count: Math.ceil(iterations / step) };
}

export function cePlaneChart(plane: CePlane, labels: Record<string, string>, strategyIds: string[], currency: string, priceYear: number, wtp: number): ChartConfiguration<'scatter'> {
	const iterations = plane.incrementalQaly[0]?.length ?? 0;
	const { step, count } = shownIterations(iterations);
	const datasets: ChartConfiguration<'scatter'>['data']['datasets'] = strategyIds
		.map((id, s) => ({ id, s }))
		.filter(({ id }) => id !== plane.referenceId)
		.map(({ id, s }) => ({
			label: labels[id] ?? id,
			data: Array.from({ length: count }, (_, k) => ({ x: plane.incrementalQaly[s][k * step], y: plane.incrementalCost[s][k * step] })),
			// filled dots without an outline: one fill a point, not a fill and a stroke (thousands of points)
			backgroundColor: colourAt(s) + 'b0',
			borderColor: colourAt(s),
			borderWidth: 0,
			pointRadius: 1.8,
			// the points are already {x, y} numbers: chart.js need not parse or sort them
			parsing: false as const,
			normalized: true
		}));
	// the willingness-to-pay line through the origin over the range of all the iterations
	let minX = 0;
	let maxX = 0;
	strategyIds.forEach((id, s) => {
		if (id === plane.referenceId) return;
		for (const x of plane.incrementalQaly[s]) {
			if (x < minX) minX = x;
			if (x > maxX) maxX = x;
		}
	});
	datasets.push({
		label: `Willingness to pay (${currency} ${wtp.toLocaleString('en-GB')} per QALY)`,
		data: [
			{ x: minX, y: minX * wtp },
			{ x: maxX, y: maxX * wtp }
		],
		type: 'line' as never,
		borderColor: '#555',
		borderDash: [5, 4],
		borderWidth: 1.5,
		pointRadius: 0,
		showLine: true
	} as never);
	return {
		type: 'scatter',
		data: { datasets },
		options: {
			...BASE_OPTIONS,
			scales: {
				x: { title: { display: true, text: `Incremental QALYs vs ${labels[plane.referenceId] ?? plane.referenceId}` } },
				y: { title: { display: true, text: `Incremental cost (${currency}, ${priceYear} prices)` } }
			},
			plugins: { legend: LEGEND }
		}
	};
}

export function ceacChart(c: CeacResult, labels: Record<string, string>, currency: string, wtp: number): ChartConfiguration<'line'> {
	const x = Array.from(c.wtp);
	return {
		type: 'line',
		data: {
			labels: x,
			datasets: [
				...c.strategyIds.map((id, s) => ({
					label: labels[id] ?? id,
					data: Array.from(c.probability[s]),
					borderColor: colourAt(s),
					backgroundColor: colourAt(s),
					pointRadius: 0,
					borderWidth: 2
				})),
				{
					label: 'Frontier (strategy with highest expected NMB)',
					data: Array.from(c.frontierProbability),
					borderColor: '#000',
					backgroundColor: '#000',
					borderDash: [2, 3],
					pointRadius: 0,
					borderWidth: 3
				}
			]
		},
		options: {
			...BASE_OPTIONS,
			interaction: { mode: 'index', intersect: false },
			scales: {
				x: { type: 'linear', min: x[0], max: x[x.length - 1], title: { display: true, text: `Willingness to pay (${currency} per QALY)` } },
				y: { min: 0, max: 1, title: { display: true, text: 'Probability cost-effective' } }
			},
			plugins: { legend: LEGEND, verticalMarker: { x: wtp, label: 'WTP' } }
		}
	};
}

export function evpiChart(wtpGrid: Float64Array, values: Float64Array, currency: string, priceYear: number, wtp: number): ChartConfiguration<'line'> {
	return {
		type: 'line',
		data: {
			labels: Array.from(wtpGrid),
			datasets: [{ label: 'EVPI per patient', data: Array.from(values), borderColor: PALETTE[0], backgroundColor: PALETTE[0] + '33', fill: 'origin', pointRadius: 0, borderWidth: 2 }]
		},
		options: {
			...BASE_OPTIONS,
			scales: {
				x: { type: 'linear', min: wtpGrid[0], max: wtpGrid[wtpGrid.length - 1], title: { display: true, text: `Willingness to pay (${currency} per QALY)` } },
				y: { min: 0, title: { display: true, text: `EVPI per patient (${currency}, ${priceYear} prices)` } }
			},
			plugins: { legend: { display: false }, verticalMarker: { x: wtp, label: 'WTP' } }
		}
	};
}

export function tornadoChart(t: Tornado, maxBars: number, currency: string): ChartConfiguration<'bar'> {
	const bars = t.bars.filter((b) => Number.isFinite(b.swing)).slice(0, maxBars);
	const label = (b: (typeof bars)[number]) => `${b.description} (${b.lowValue} to ${b.highValue} ${b.unit})`;
	const range = tornadoAxis(t.base, bars);
	return {
		type: 'bar',
		data: {
			labels: bars.map((b) => (label(b).length > 70 ? label(b).slice(0, 67) + '…' : label(b))),
			datasets: [
				{ label: 'Parameter at its low value', data: bars.map((b) => [t.base, b.atLow] as [number, number]), backgroundColor: PALETTE[9], borderSkipped: false, grouped: false },
				{ label: 'Parameter at its high value', data: bars.map((b) => [t.base, b.atHigh] as [number, number]), backgroundColor: PALETTE[1], borderSkipped: false, grouped: false }
			]
		},
		options: {
			...BASE_OPTIONS,
			indexAxis: 'y',
			scales: {
				x: {
					min: range.min,
					max: range.max,
					title: {
						display: true,
						text: t.measure === 'icer' ? `ICER (${currency} per QALY)` : `Incremental NMB vs reference (${currency}, WTP ${t.willingnessToPay.toLocaleString('en-GB')} per QALY)`
					}
				},
				y: { ticks: { font: { size: 10 } } }
			},
			plugins: { legend: LEGEND, verticalMarker: { x: t.base, label: 'Base case' } }
		}
	};
}

/**
 * The tornado's axis: from the smallest to the largest bar end (and the base case), with 5% of the
 * span on each side, so every bar fits and none is drawn from an axis edge.
 * @example tornadoAxis(10, [{ atLow: 4, atHigh: 30 }]) // { min: 2.7, max: 31.3 }
 */
export function tornadoAxis(base: number, bars: { atLow: number; atHigh: number }[]): { min: number; max: number } {
	const ends = [base, ...bars.flatMap((b) => [b.atLow, b.atHigh])].filter(Number.isFinite);
	const lo = Math.min(...ends);
	const hi = Math.max(...ends);
	const pad = (hi - lo) * 0.05 || Math.abs(base) * 0.05 || 1;
	return { min: lo - pad, max: hi + pad };
}
