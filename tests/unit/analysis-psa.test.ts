/** PSA: reproducible by seed and by chunk, means converge for a model linear in its parameters. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, compileJson, createPsa, joinPsaParts, runPsa } from '../../src/lib/engine';
import { linearModel } from './analysis-fixtures';

const hiv = compileJson(readFileSync('models/hiv-chancellor.json', 'utf8'));

describe('PSA reproducibility', () => {
	it('same seed gives identical draws and results; another seed differs', () => {
		const a = runPsa(hiv, { iterations: 200, seed: 42 });
		const b = runPsa(hiv, { iterations: 200, seed: 42 });
		const c = runPsa(hiv, { iterations: 200, seed: 43 });
		expect(b.draws).toEqual(a.draws);
		expect(b.cost).toEqual(a.cost);
		expect(b.qaly).toEqual(a.qaly);
		expect(c.cost).not.toEqual(a.cost);
	});

	it('running in uneven chunks gives the same arrays as one run', () => {
		const whole = runPsa(hiv, { iterations: 150, seed: 9, keepCycleCosts: true });
		const psa = createPsa(hiv, { iterations: 150, seed: 9, keepCycleCosts: true });
		for (const n of [1, 7, 50, 13, 1000]) psa.step(n);
		const parts = psa.result();
		expect(parts.iterations).toBe(150);
		expect(parts.draws).toEqual(whole.draws);
		expect(parts.cost).toEqual(whole.cost);
		expect(parts.cycleCosts).toEqual(whole.cycleCosts);
	});

	it('draws every parameter with a distribution (Dirichlet rows keep their totals), none without', () => {
		const r = runPsa(hiv, { iterations: 50, seed: 1 });
		expect(r.parameterIds).not.toContain('cZidovudine');
		expect(r.parameterIds).not.toContain('rrNow');
		expect(r.parameterIds).toContain('rr');
		const K = r.parameterIds.length;
		const ids = ['tpAA', 'tpAB', 'tpAC', 'tpAD'].map((id) => r.parameterIds.indexOf(id));
		for (let i = 0; i < r.iterations; i++) expect(ids.reduce((s, k) => s + r.draws[i * K + k], 0)).toBeCloseTo(1, 12);
	});

	it('cancellation between chunks returns the completed iterations', () => {
		let calls = 0;
		const r = runPsa(hiv, { iterations: 1000, seed: 1 }, { chunk: 100, isCancelled: () => calls++ >= 2 });
		expect(r.iterations).toBe(200);
		expect(r.iterationsRequested).toBe(1000);
		expect(r.cost.length).toBe(200 * 2);
	});

	it('parameters set by the user are held fixed, not drawn', () => {
		const r = runPsa(hiv, { iterations: 20, seed: 1, options: { parameters: { rr: 0.6 } } });
		expect(r.parameterIds).not.toContain('rr');
		expect(r.heldFixed).toEqual(['rr']);
	});

	it('a bad iteration count is an error', () => {
		expect(() => createPsa(hiv, { iterations: 0, seed: 1 })).toThrow(/iterations/);
	});
});

describe('invalid draws', () => {
	// a probability with a normal distribution of sd 0.3 around 0.5 leaves [0, 1] in about 10% of draws
	const model = linearModel();
	model.parameters.pStay = { value: 0.5, kind: 'probability', unit: 'p', description: 'stay', group: 'g', assumption: 'test', distribution: { type: 'normal', sd: 0.3 } };
	model.states = [
		{ id: 'alive', label: 'Alive', costs: { care: 'c + d' }, utility: 'u' },
		{ id: 'dead', label: 'Dead', dead: true }
	];
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { alive: { alive: 'pStay', dead: 'C' }, dead: { dead: 1 } } }));
	const cm = compile(model);
	it("'stop' (the default) names the parameter and the iteration", () => {
		expect(() => runPsa(cm, { iterations: 500, seed: 1 })).toThrow(/parameters\.pStay\.distribution.*PSA iteration \d+/);
	});
	it("'redraw' completes, counts the redraws, keeps every draw valid and is reproducible", () => {
		const a = runPsa(cm, { iterations: 500, seed: 1, invalidDraws: 'redraw' });
		const b = runPsa(cm, { iterations: 500, seed: 1, invalidDraws: 'redraw' });
		expect(a.redrawn).toBeGreaterThan(10);
		expect(a.redrawReasons[0]).toMatch(/pStay/);
		const k = a.parameterIds.indexOf('pStay');
		const K = a.parameterIds.length;
		for (let i = 0; i < a.iterations; i++) expect(a.draws[i * K + k] >= 0 && a.draws[i * K + k] <= 1).toBe(true);
		expect(b.cost).toEqual(a.cost);
	});
});

describe('PSA means converge to the deterministic result for a linear model', () => {
	it('mean cost and QALYs within 4 Monte-Carlo standard errors of 5(c + d) (+ price) and 5u', () => {
		const cm = compile(linearModel());
		const N = 20_000;
		const r = runPsa(cm, { iterations: N, seed: 2024 });
		// expected values by hand from the parameter means: old cost 5 x 1500 = 7500, QALYs 3.5;
		// new cost 7500 + 8000 = 15500, QALYs 4
		const expected = { cost: [7500, 15500], qaly: [3.5, 4] };
		for (const [key, arr] of [['cost', r.cost], ['qaly', r.qaly]] as const)
			for (let s = 0; s < 2; s++) {
				let sum = 0;
				let sq = 0;
				for (let i = 0; i < N; i++) {
					const v = arr[i * 2 + s];
					sum += v;
					sq += v * v;
				}
				const mean = sum / N;
				const se = Math.sqrt((sq / N - mean * mean) / N);
				expect(Math.abs(mean - expected[key][s])).toBeLessThan(4 * se);
				expect(Math.abs(r.deterministic[key][s] - expected[key][s])).toBeLessThan(1e-9);
			}
	});
});

describe('a PSA split into parts (parallel workers) equals the whole run', () => {
	const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
	const fields = ['draws', 'cost', 'qaly', 'lifeYears', 'costUndiscounted', 'qalyUndiscounted', 'lifeYearsUndiscounted', 'cycleCosts', 'cycleCostsUndiscounted'] as const;
	const parts = (cm: typeof ms, config: Parameters<typeof runPsa>[1], cuts: number[]) =>
		cuts.slice(0, -1).map((from, k) => runPsa(cm, { ...config, iterationRange: [from, cuts[k + 1]] }));

	it('batched (WebAssembly), split mid-batch and in uneven parts, in any order: every array equal element by element', () => {
		const config = { iterations: 700, seed: 7, keepCycleCosts: true };
		const whole = runPsa(ms, config);
		expect(whole.method).toBe('batched');
		const split = parts(ms, config, [0, 200, 201, 512, 700]);
		expect(split.map((p) => [p.firstIteration, p.iterations])).toEqual([
			[0, 200],
			[200, 1],
			[201, 311],
			[512, 188]
		]);
		const joined = joinPsaParts([split[2], split[0], split[3], split[1]]);
		expect(joined.iterations).toBe(700);
		expect(joined.iterationsRequested).toBe(700);
		for (const f of fields) {
			expect(joined[f]!.length, f).toBe(whole[f]!.length);
			expect(joined[f], f).toEqual(whole[f]);
		}
		// a part is not the start of the run: iterations 200.. of a run of 700 differ from iterations 0..
		expect(split[2].cost[0]).not.toBe(whole.cost[0]);
	});

	it('one by one (JavaScript backend): two halves equal the whole run', () => {
		const config = { iterations: 300, seed: 3, backend: 'javascript' as const };
		const whole = runPsa(hiv, config);
		const joined = joinPsaParts(parts(hiv, config, [0, 150, 300]));
		for (const f of fields) expect(joined[f], f).toEqual(whole[f]);
	});

	it("redrawn invalid draws: the parts' counts add up to the whole run's, the draws equal", () => {
		const model = linearModel();
		model.parameters.pStay = { value: 0.5, kind: 'probability', unit: 'p', description: 'stay', group: 'g', assumption: 'test', distribution: { type: 'normal', sd: 0.3 } };
		model.states = [
			{ id: 'alive', label: 'Alive', costs: { care: 'c + d' }, utility: 'u' },
			{ id: 'dead', label: 'Dead', dead: true }
		];
		model.strategies = model.strategies.map((s) => ({ ...s, transitions: { alive: { alive: 'pStay', dead: 'C' }, dead: { dead: 1 } } }));
		const cm = compile(model);
		const config = { iterations: 400, seed: 5, invalidDraws: 'redraw' as const };
		const whole = runPsa(cm, config);
		const joined = joinPsaParts(parts(cm, config, [0, 250, 400]));
		expect(whole.redrawn).toBeGreaterThan(10);
		expect(joined.redrawn).toBe(whole.redrawn);
		expect(joined.redrawReasons).toEqual(whole.redrawReasons);
		expect(joined.draws).toEqual(whole.draws);
		expect(joined.cost).toEqual(whole.cost);
	});

	it('a part that stopped early ends the joined result; a bad range is an error naming the field', () => {
		const a = createPsa(hiv, { iterations: 100, seed: 1, iterationRange: [0, 50] });
		a.step(20);
		const b = runPsa(hiv, { iterations: 100, seed: 1, iterationRange: [50, 100] });
		expect(joinPsaParts([a.result(), b]).iterations).toBe(20);
		expect(() => createPsa(hiv, { iterations: 100, seed: 1, iterationRange: [60, 50] })).toThrow(/iterationRange/);
		expect(() => createPsa(hiv, { iterations: 100, seed: 1, iterationRange: [0, 101] })).toThrow(/iterationRange/);
	});
});
