/**
 * Reproduces the HIV/AIDS model of Chancellor et al. (1997) as set out in
 * Briggs, Claxton & Sculpher (2006) ch. 2. Reference figures come from an independent
 * computation of the published specification; tolerance: relative error 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { compileJson, incrementalAnalysis, run } from '../../src/lib/engine';

const file = 'models/hiv-chancellor.json';
const compiled = compileJson(readFileSync(file, 'utf8'));

function relativeError(actual: number, expected: number): number {
	return Math.abs(actual - expected) / Math.abs(expected);
}

const reference = {
	discounted: { mono: { cost: 44613.8508, ly: 7.979173 }, comb: { cost: 50554.7154, ly: 8.925505 }, icer: 6277.7779 },
	undiscounted: { mono: 63656.0075, comb: 72487.2158, icer: 9332.0363 }
};

describe('HIV model (Chancellor 1997) reproduces the published reference', () => {
	const result = run(compiled);
	const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s]));

	it('discounted costs and life years match to 1e-6', () => {
		for (const id of ['mono', 'comb'] as const) {
			expect(relativeError(byId[id].discounted.cost, reference.discounted[id].cost)).toBeLessThan(1e-6);
			expect(relativeError(byId[id].discounted.lifeYears, reference.discounted[id].ly)).toBeLessThan(1e-6);
			expect(relativeError(byId[id].undiscounted.lifeYears, reference.discounted[id].ly)).toBeLessThan(1e-6);
		}
	});

	it('the ICER of combination vs monotherapy matches to 1e-6', () => {
		const rows = incrementalAnalysis(
			result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.lifeYears }))
		);
		const comb = rows.find((r) => r.id === 'comb')!;
		expect(comb.status).toBe('frontier');
		expect(relativeError(comb.icer!, reference.discounted.icer)).toBeLessThan(1e-6);
	});

	it('undiscounted costs and ICER match to 1e-6', () => {
		expect(relativeError(byId.mono.undiscounted.cost, reference.undiscounted.mono)).toBeLessThan(1e-6);
		expect(relativeError(byId.comb.undiscounted.cost, reference.undiscounted.comb)).toBeLessThan(1e-6);
		const icer =
			(byId.comb.undiscounted.cost - byId.mono.undiscounted.cost) /
			(byId.comb.undiscounted.lifeYears - byId.mono.undiscounted.lifeYears);
		expect(relativeError(icer, reference.undiscounted.icer)).toBeLessThan(1e-6);
		// the same through settings: cost discount rate 0
		const zero = run(compiled, { settings: { discountRates: { costs: 0, outcomes: 0 } } });
		expect(relativeError(zero.strategies[0].discounted.cost, reference.undiscounted.mono)).toBeLessThan(1e-6);
	});

	it('the CLI prints the reference figures as JSON', () => {
		const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', file, '--json'], { encoding: 'utf8' });
		const json = JSON.parse(out);
		expect(json.model).toBe('hiv-chancellor');
		expect(json.currency).toBe('GBP');
		const mono = json.strategies.find((s: { id: string }) => s.id === 'mono');
		expect(relativeError(mono.cost, reference.discounted.mono.cost)).toBeLessThan(1e-6);
		const comb = json.incremental.find((s: { id: string }) => s.id === 'comb');
		expect(relativeError(comb.icer, reference.discounted.icer)).toBeLessThan(1e-6);
		expect(comb.status).toBe('frontier');
	});
});
