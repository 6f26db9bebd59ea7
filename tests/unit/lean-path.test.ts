/**
 * The lean totals path (runner.totals, used by PSA, DSA and threshold search) must give the same
 * totals as run() for values that depend on both time and state_time. Regression test for a bug
 * found with the THR validation model: a revision risk reading `age` and `model_time` inside a
 * tunnel state was evaluated at state_time = 1 for every tunnel step.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, createRunner, TOTALS } from '../../src/lib/engine';

describe('lean totals path', () => {
	it('matches run() when a tunnel value depends on time and state_time (THR, age at primary derived from age)', () => {
		const model = JSON.parse(readFileSync('models/thr-briggs.json', 'utf8'));
		const p = model.parameters.ageAtPrimary;
		delete p.value;
		delete p.distribution;
		delete p.low;
		delete p.high;
		delete p.source;
		p.expression = 'age - (model_time - 1) * cycle_length';
		const runner = createRunner(compile(model));
		const full = runner.run();
		const { settings, values, forced } = runner.resolve();
		const out = new Float64Array(full.strategies.length * TOTALS.size);
		runner.totals(values, settings, out, undefined, forced);
		full.strategies.forEach((s, i) => {
			expect(out[i * TOTALS.size + TOTALS.cost]).toBeCloseTo(s.discounted.cost, 8);
			expect(out[i * TOTALS.size + TOTALS.qaly]).toBeCloseTo(s.discounted.qaly, 10);
			expect(out[i * TOTALS.size + TOTALS.costUndiscounted]).toBeCloseTo(s.undiscounted.cost, 8);
		});
		// and the derived age gives the published standard-arm cost (512.43 GBP, tests/validation/thr-briggs.test.ts)
		expect(full.strategies[0].discounted.cost).toBeCloseTo(512.43, 2);
	});
});
