/**
 * The one cohort driver (ARCHITECTURE.md, "Two backends, kept equal"): its order of calls, which
 * both backends rely on (the batch reuses an earlier strategy's columns of the same cycle), and
 * that run() and runner.totals, both driven by it, agree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileJson, createRunner, TOTALS } from '../../src/lib/engine';
import { driveCohort, type CohortBackend } from '../../src/lib/engine/simulate/driver';

describe('driveCohort', () => {
	it('starts every strategy, then takes cycle k of every strategy in order (values, step, recorder), then finishes', () => {
		const calls: string[] = [];
		const backend: CohortBackend<string> = {
			strategyCount: 2,
			start: (strategy) => (calls.push(`start ${strategy}`), `view ${strategy}:0`),
			cycleValues: (strategy, cycle) => void calls.push(`values ${strategy}:${cycle}`),
			step: (strategy, cycle) => (calls.push(`step ${strategy}:${cycle}`), `view ${strategy}:${cycle}`),
			finish: () => void calls.push('finish')
		};
		const recorder = (strategy: number) => ({ record: (view: string) => void calls.push(`record ${strategy} ${view}`) });
		driveCohort(backend, 2, [recorder(0), recorder(1)]);
		expect(calls).toEqual([
			'start 0',
			'record 0 view 0:0',
			'start 1',
			'record 1 view 1:0',
			'values 0:1',
			'step 0:1',
			'record 0 view 0:1',
			'values 1:1',
			'step 1:1',
			'record 1 view 1:1',
			'values 0:2',
			'step 0:2',
			'record 0 view 0:2',
			'values 1:2',
			'step 1:2',
			'record 1 view 1:2',
			'finish'
		]);
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
