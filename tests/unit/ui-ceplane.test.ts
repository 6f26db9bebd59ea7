/** The CE plane draws a regular subsample of a large PSA, and its WTP line spans every iteration. */
import { describe, expect, it } from 'vitest';
import { cePlaneChart, shownIterations, CE_PLANE_POINTS } from '../../src/lib/charts/uncertainty';

describe('CE plane decimation', () => {
	it('takes every k-th iteration, k = ceil(n / 2000)', () => {
		expect(shownIterations(10_000)).toEqual({ step: 5, count: 2000 });
		expect(shownIterations(2000)).toEqual({ step: 1, count: 2000 });
		expect(shownIterations(2001)).toEqual({ step: 2, count: 1001 });
		expect(shownIterations(50_000)).toEqual({ step: 25, count: 2000 });
		expect(shownIterations(7)).toEqual({ step: 1, count: 7 });
	});

	it('draws at most 2,000 points a strategy, the iterations 0, k, 2k, ..., and a WTP line over all of them', () => {
		const n = 10_000;
		const qaly = Float64Array.from({ length: n }, (_, i) => (i === 3 ? 9 : i / n));
		const cost = Float64Array.from({ length: n }, (_, i) => 1000 * i);
		const zeros = new Float64Array(n);
		const chart = cePlaneChart({ referenceId: 'a', incrementalQaly: [zeros, qaly], incrementalCost: [zeros, cost] }, { a: 'A', b: 'B' }, ['a', 'b'], 'GBP', 2024, 20000);
		const points = chart.data.datasets[0].data as { x: number; y: number }[];
		expect(points.length).toBe(CE_PLANE_POINTS);
		expect(points[1]).toEqual({ x: 5 / n, y: 5000 });
		// iteration 3 is not drawn, but the willingness-to-pay line still reaches its x = 9
		const line = chart.data.datasets[1].data as { x: number; y: number }[];
		expect(line[1]).toEqual({ x: 9, y: 9 * 20000 });
	});
});
