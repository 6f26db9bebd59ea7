/**
 * The one cohort driver (ARCHITECTURE.md, "Two backends, kept equal"): its order of calls, which
 * both backends rely on (the batch, moving its strategies together, reuses an earlier strategy's
 * columns of the same cycle), and that run() and runner.totals, both driven by it, agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJson, createRunner, TOTALS } from '../../src/lib/engine';
import { driveCohort, type CohortBackend } from '../../src/lib/engine/simulate/driver';

describe('driveCohort', () => {
	/** A backend of `strategyCount` strategies, `together` at a time, that notes each call; its recorders note each view. */
	const noting = (strategyCount: number, together: number) => {
		const calls: string[] = [];
		const backend: CohortBackend<string> = {
			strategyCount,
			strategiesTogether: together,
			start: (strategy) => (calls.push(`start ${strategy}`), `view ${strategy}:0`),
			cycleValues: (strategy, cycle) => void calls.push(`values ${strategy}:${cycle}`),
			step: (strategy, cycle) => (calls.push(`step ${strategy}:${cycle}`), `view ${strategy}:${cycle}`),
			finish: () => void calls.push('finish')
		};
		const recorders = Array.from({ length: strategyCount }, (_, strategy) => ({ record: (view: string) => void calls.push(`record ${strategy} ${view}`) }));
		return { calls, backend, recorders };
	};
	/** The calls for one strategy's cycle k: its values, its step, its recorder. */
	const cycle = (strategy: number, k: number) => [`values ${strategy}:${k}`, `step ${strategy}:${k}`, `record ${strategy} view ${strategy}:${k}`];
	const start = (strategy: number) => [`start ${strategy}`, `record ${strategy} view ${strategy}:0`];

	it('strategies moving together (the batch): every one started, then cycle k of each in order, then cycle k + 1, then finish', () => {
		const { calls, backend, recorders } = noting(2, 2);
		driveCohort(backend, 2, recorders);
		expect(calls).toEqual([...start(0), ...start(1), ...cycle(0, 1), ...cycle(1, 1), ...cycle(0, 2), ...cycle(1, 2), 'finish']);
	});

	it('strategies one at a time (the JavaScript backend): each through every cycle in turn, the same loop; groups of two with three strategies', () => {
		const one = noting(2, 1);
		driveCohort(one.backend, 2, one.recorders);
		expect(one.calls).toEqual([...start(0), ...cycle(0, 1), ...cycle(0, 2), ...start(1), ...cycle(1, 1), ...cycle(1, 2), 'finish']);
		const pairs = noting(3, 2);
		driveCohort(pairs.backend, 1, pairs.recorders);
		expect(pairs.calls).toEqual([...start(0), ...start(1), ...cycle(0, 1), ...cycle(1, 1), ...start(2), ...cycle(2, 1), 'finish']);
	});

	it('run() (full recorders) and runner.totals (lean, cycle-cost recorders) give the same totals and cycle costs, every strategy', () => {
		for (const file of ['ms.json', 'thr-briggs.json', 'sick-sicker-state-residence.json']) {
			const runner = createRunner(compileJson(readFileSync(`models/${file}`, 'utf8')));
			const result = runner.run();
			const { values, settings, forced } = runner.resolve();
			const strategyCount = result.strategies.length;
			const points = settings.horizon + 1;
			const out = new Float64Array(strategyCount * TOTALS.size);
			const cycleCosts = new Float64Array(strategyCount * points);
			runner.totals(values, settings, out, cycleCosts, forced);
			result.strategies.forEach((strategy, strategyIndex) => {
				expect(out[strategyIndex * TOTALS.size + TOTALS.qaly], `${file} ${strategy.id}`).toBeCloseTo(strategy.discounted.qaly, 9);
				expect(out[strategyIndex * TOTALS.size + TOTALS.cost], `${file} ${strategy.id}`).toBeCloseTo(strategy.discounted.cost, 6);
				const categories = result.categoryIds.length;
				for (let k = 0; k < points; k++) {
					let cost = 0;
					for (let category = 0; category < categories; category++) cost += strategy.cycleCosts[k * categories + category];
					expect(cycleCosts[strategyIndex * points + k]).toBeCloseTo(cost, 6);
				}
			});
		}
	});
});
