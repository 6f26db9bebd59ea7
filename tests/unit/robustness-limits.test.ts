/**
 * Issue 17, points 4 and 7: one size estimate (modelSize, psaBytes in src/lib/engine/limits.ts)
 * is applied at compile (before tunnels are expanded), at every run whose horizon differs from
 * the file's, and before a PSA allocates anything; a bundle cannot ask for a larger PSA than
 * the PSA panel allows.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { compile, createPsa, createRunner, ModelError, modelSize, psaBytes, MAX_RUN_MOVES, type ModelInput } from '../../src/lib/engine';
import { buildBundle, readBundle } from '../../src/lib/downloads/bundle';

const hiv = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));

/** the attack of the issue: 2,000 states each with a 600-cycle tunnel, 2,400 cycles */
function tunnelBomb(): ModelInput {
	const states = Array.from({ length: 2000 }, (_, i) => ({ id: `s${i}`, label: `S${i}`, tunnel: 600, costs: { c: 1 }, utility: 0.5 }));
	return {
		formatVersion: 1,
		id: 'bomb',
		title: 'Tunnel bomb',
		description: 'x',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1 / 12,
		horizon: 2400,
		startAge: 40,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		cycleCorrection: 'half-cycle',
		willingnessToPay: 20000,
		costCategories: [{ id: 'c', label: 'C' }],
		parameters: {},
		states,
		strategies: [{ id: 'a', label: 'A', description: 'a', start: { s0: 1 }, transitions: Object.fromEntries(states.map((s) => [s.id, { [s.id]: 'C' }])) }]
	} as ModelInput;
}

const issueOf = (f: () => unknown) => {
	try {
		f();
	} catch (e) {
		if (e instanceof ModelError) return e.issues[0];
		throw e;
	}
	return null;
};

describe('point 4: the size bound counts expanded states x cycles x strategies', () => {
	it('modelSize counts tunnel steps and moves as written out by hand', () => {
		// 3 states: tunnel 4 with 2 moves out, plain with 1, plain with 0; 2 strategies; 10 cycles
		const m = { states: [{ id: 'a', tunnel: 4 }, { id: 'b' }, { id: 'c' }], strategies: [0, 1].map(() => ({ transitions: { a: { a: 'C', b: 0.1 }, b: { c: 1 } } })), costCategories: [1, 2], outcomes: [] };
		const size = modelSize(m, 10);
		expect(size.expandedStates).toBe(6);
		// per strategy and cycle: a 4 x (1 + 2) + b 1 x (1 + 1) + c 1 x (1 + 0) = 15
		expect(size.moves).toBe(2 * 15 * 10);
		// 8 bytes x 2 strategies x 11 time points x (3 states + 2 x 2 categories + 0 outcomes + 2)
		expect(size.resultBytes).toBe(8 * 2 * 11 * 9);
	});

	it('a 0.3 MB file asking for 2,000 states x 600 tunnel steps x 2,400 cycles is refused at compile with the computed size', () => {
		const model = tunnelBomb();
		expect(JSON.stringify(model).length).toBeLessThan(300_000);
		const i = issueOf(() => compile(model));
		expect(i).toMatchObject({ path: 'horizon', code: 'model-size' });
		// 1,200,000 expanded states x 2 (itself and one move) x 2,400 cycles
		expect(i?.message).toContain('1,200,000 states (tunnel steps counted) x 2,400 cycles x 1 strategies make 5,760,000,000 cohort moves per run; the limit is 100,000,000');
	});

	it('a horizon override that makes a model too large is refused at run time, at settings.horizon', () => {
		const m = tunnelBomb();
		m.horizon = Math.floor(MAX_RUN_MOVES / (2 * 1_200_000)); // 41 cycles: accepted
		const runner = createRunner(compile({ ...m, states: m.states.map((s) => ({ ...s, tunnel: 600 })) }));
		expect(issueOf(() => runner.resolve({ settings: { horizon: 2400 } }))).toMatchObject({ path: 'settings.horizon', code: 'model-size' });
	});

	it('the published models are far inside the bound', () => {
		for (const f of ['ms', 'hiv-chancellor', 'sick-sicker-state-residence', 'thr-briggs']) {
			const m = JSON.parse(readFileSync(`models/${f}.json`, 'utf8'));
			expect(modelSize(m, 2400).moves, f).toBeLessThan(MAX_RUN_MOVES);
		}
	});
});

describe('point 7: PSA requests take the same memory estimate and caps everywhere', () => {
	it('psaBytes is the arithmetic of the arrays a PSA keeps', () => {
		// 8 bytes x 1,000 iterations x (20 drawn + 6 x 2 totals + 2 x 2 x 21 cycle costs)
		expect(psaBytes({ iterations: 1000, drawn: 20, strategies: 2, cycles: 20, keepCycleCosts: true })).toBe(8 * 1000 * (20 + 12 + 84));
	});

	it('createPsa refuses 1,000,000 iterations of a 2,400-cycle model with cycle costs before allocating, naming what fits', () => {
		const cm = compile({ ...hiv, horizon: 2400 });
		const i = issueOf(() => createPsa(cm, { iterations: 1_000_000, seed: 1, keepCycleCosts: true }));
		expect(i).toMatchObject({ path: 'iterations', code: 'model-size' });
		expect(i?.message).toMatch(/^1,000,000 iterations of this model would keep 73,\d{3} MB .* the limit is 1,024 MB: use at most 13,9\d\d iterations, or leave out the per-cycle costs \(payback\)$/);
		// without per-cycle costs the same request fits
		expect(issueOf(() => createPsa(cm, { iterations: 100_000, seed: 1, keepCycleCosts: false }))).toBeNull();
	});

	it("a bundle's manifest cannot ask for more iterations than the PSA panel allows (10 to 100,000)", () => {
		const files = unzipSync(buildBundle({ modelFileName: 'hiv.json', model: hiv, scenarioName: 'x', inputs: { modelId: 'hiv-chancellor', parameters: {}, settings: {} }, texts: {}, binaries: {}, psa: { iterations: 500, seed: 1 } }));
		const withPsa = (psa: unknown) => {
			const manifest = { ...JSON.parse(strFromU8(files['manifest.json'])), psa };
			return readBundle(zipSync({ ...files, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
		};
		expect(withPsa({ iterations: 100_000, seed: 1 })).toMatchObject({ ok: true });
		expect(withPsa({ iterations: 1_000_000, seed: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/^manifest\.json: psa\.iterations: /) });
		expect(withPsa({ iterations: 5, seed: 1 })).toMatchObject({ ok: false, message: expect.stringMatching(/^manifest\.json: psa\.iterations: /) });
		expect(withPsa({ iterations: 500, seed: -1 })).toMatchObject({ ok: false, message: expect.stringMatching(/^manifest\.json: psa\.seed: /) });
	});
});
