/**
 * Run-time probability errors: a transition row that stops being a probability distribution at
 * some cycle is reported with the path of the row (or entry), the cycle and the value, as
 * heemod does, so the UI can put the message beside the field.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, compile, run, type ModelInput } from '../../src/lib/engine';

function model(rowA: Record<string, string | number>, tunnel?: number): ModelInput {
	return {
		formatVersion: 1,
		id: 'errors',
		title: 'Errors',
		description: 'A model whose row A breaks at cycle 3.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 5,
		startAge: 50,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		cycleCorrection: 'half-cycle',
		costCategories: [{ id: 'care', label: 'Care' }],
		parameters: {},
		states: [
			{ id: 'A', label: 'A', utility: 1, ...(tunnel ? { tunnel } : {}) },
			{ id: 'B', label: 'B', utility: 0.5 },
			{ id: 'D', label: 'Dead', dead: true }
		],
		strategies: [
			{
				id: 'treat',
				label: 'Treat',
				start: { A: 1 },
				transitions: { A: rowA, B: { B: 'C', D: 0.1 }, D: { D: 1 } }
			}
		]
	};
}

function runError(m: ModelInput): ModelError {
	const compiled = compile(m); // compiles: the problem only appears when the row is evaluated
	try {
		run(compiled);
	} catch (e) {
		if (e instanceof ModelError) return e;
		throw e;
	}
	throw new Error('run() should have failed');
}

describe('run-time probability errors', () => {
	it('a row summing to 1.02 at cycle 3 names the row, the cycle and the sum', () => {
		const error = runError(model({ A: 'model_time == 3 ? 0.52 : 0.5', B: 0.4, D: 0.1 }));
		expect(error.code).toBe('probability-sum');
		expect(error.path).toBe('strategies.treat.transitions.A');
		expect(error.message).toMatch(/cycle 3\b/);
		expect(error.message).toMatch(/1\.02\b/);
		expect(error.issues).toHaveLength(1);
	});

	it('an entry above 1 at cycle 3 names the entry', () => {
		const error = runError(model({ A: 'C', B: 'model_time == 3 ? 1.02 : 0.2', D: 0 }));
		expect(error.code).toBe('probability-range');
		expect(error.path).toBe('strategies.treat.transitions.A.B');
		expect(error.message).toMatch(/1\.02 at cycle 3\b/);
	});

	it('a negative complement at cycle 3 names the complement entry and its value', () => {
		const error = runError(model({ A: 'C', B: 'model_time == 3 ? 0.62 : 0.2', D: 0.4 }));
		expect(error.code).toBe('probability-range');
		expect(error.path).toBe('strategies.treat.transitions.A.A');
		expect(error.message).toMatch(/complement/);
		expect(error.message).toMatch(/-0\.02 at cycle 3\b/);
	});

	it('in a tunnel state the message also gives state_time (every sub-state row is checked from cycle 1, occupied or not)', () => {
		const error = runError(model({ A: 'C', B: 'state_time == 2 ? 1.02 : 0.2', D: 0 }, 3));
		expect(error.path).toBe('strategies.treat.transitions.A.B');
		expect(error.message).toMatch(/1\.02 at cycle 1, state_time 2\b/);
	});

	it('the same rows are fine before cycle 3 (the error is not raised at compile time)', () => {
		const m = model({ A: 'model_time == 3 ? 0.52 : 0.5', B: 0.4, D: 0.1 });
		expect(() => run(compile(m), { settings: { horizon: 2 } })).not.toThrow();
	});
});
