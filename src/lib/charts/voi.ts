/**
 * Chart configurations for value of information: EVPPI of a group over willingness to pay,
 * drawn with the EVPI from the same PSA (EVPPI never exceeds it), and EVSI by sample size with
 * the EVPPI it tends to. The numbers come from src/lib/engine/analysis; this file lays them out.
 */
import type { ChartConfiguration } from 'chart.js';
import type { EvppiCurve, EvsiResult } from '$lib/engine';
import { BASE_OPTIONS, LEGEND, PALETTE } from './palette';

/**
 * EVPI and EVPPI per patient by willingness to pay, with a marker at the chosen one.
 * @example evppiCurveChart(evppiCurve(psa, ['c_x'], { willingnessToPay: grid }), 'GBP', 2024, 20000)
 */
export function evppiCurveChart(curve: EvppiCurve, currency: string, priceYear: number, wtp: number): ChartConfiguration<'line'> {
	const x = Array.from(curve.willingnessToPay);
	return {
		type: 'line',
		data: {
			labels: x,
			datasets: [
				{ label: 'EVPI per patient', data: Array.from(curve.evpi), borderColor: PALETTE[11], borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 },
				{ label: `EVPPI per patient: ${curve.parameters.join(', ')}`, data: Array.from(curve.evppi), borderColor: PALETTE[0], backgroundColor: PALETTE[0] + '33', fill: 'origin', pointRadius: 0, borderWidth: 2 }
			]
		},
		options: {
			...BASE_OPTIONS,
			scales: {
				x: { type: 'linear', min: x[0], max: x[x.length - 1], title: { display: true, text: `Willingness to pay (${currency} per QALY)` } },
				y: { min: 0, title: { display: true, text: `Per patient (${currency}, ${priceYear} prices)` } }
			},
			plugins: { legend: LEGEND, verticalMarker: { x: wtp, label: 'WTP' } }
		}
	};
}

/**
 * EVSI per patient by sample size per arm, with the EVPPI of the parameter as the ceiling.
 * @example evsiChart(evsi(psa, options), 'GBP', 2024)
 */
export function evsiChart(r: EvsiResult, currency: string, priceYear: number): ChartConfiguration<'line'> {
	const points = r.points.map((p) => ({ x: p.sampleSize, y: p.evsi }));
	const xs = r.points.map((p) => p.sampleSize);
	const [min, max] = [Math.min(...xs), Math.max(...xs)];
	return {
		type: 'line',
		data: {
			datasets: [
				{ label: 'EVSI per patient', data: points, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 3, borderWidth: 2 },
				{ label: `EVPPI of ${r.parameter} (an infinitely large trial)`, data: [{ x: min, y: r.evppi }, { x: max, y: r.evppi }], borderColor: PALETTE[11], borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 }
			]
		},
		options: {
			...BASE_OPTIONS,
			scales: {
				x: { type: 'linear', min: 0, max, title: { display: true, text: 'Sample size per arm (patients)' } },
				y: { min: 0, title: { display: true, text: `Per patient (${currency}, ${priceYear} prices)` } }
			},
			plugins: { legend: LEGEND }
		}
	};
}
