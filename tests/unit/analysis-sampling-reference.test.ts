/**
 * The PSA's random draws against a plain reference: the generator, the samplers, a sampler's
 * draw and a PSA's draws must give exactly the values (toBe, not toBeCloseTo) of the algorithms
 * documented in random.ts, distributions.ts, sampler.ts and psa.ts, transcribed here as simply
 * as possible, with the same order of use of the random stream. The engine's versions are
 * optimised (constants computed once per parameter, state in typed arrays); these are not, so
 * a change of any drawn value, for any seed, distribution or model, fails here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import jStatModule from 'jstat';
import {
	compile,
	compileJson,
	createRandom,
	createRunner,
	createSampler,
	drawDirichlet,
	fromState,
	jumpState,
	KIND_BOUNDS,
	ModelError,
	Random,
	runPsa,
	sample,
	sampleBeta,
	sampleGamma,
	sampleStandardNormal,
	type CompiledModel,
	type ModelInput,
	type RandomSource,
	type ResolvedDistribution,
	type Sampler
} from '../../src/lib/engine';
import { linearModel } from './analysis-fixtures';
import { jsStreams, wasmStreams, type Streams } from '../../src/lib/engine/analysis/variates';

const jStat = jStatModule;
type State = [number, number, number, number];

// ---- reference generator: xoshiro128** 1.1 seeded by splitmix32, as in random.ts ----

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

class ReferenceRandom {
	s: number[];
	constructor(state: State) {
		this.s = state.map((x) => x >>> 0);
	}
	static seeded(seed: number): ReferenceRandom {
		let sm = seed >>> 0;
		const words: number[] = [];
		for (let i = 0; i < 4; i++) {
			sm = (sm + 0x9e3779b9) >>> 0;
			let z = sm;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
			words.push((z ^ (z >>> 16)) >>> 0);
		}
		if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
		return new ReferenceRandom(words as State);
	}
	/** one step of the state (the reference code's next() without the output) */
	step(): void {
		const s = this.s;
		const t = (s[1] << 9) >>> 0;
		s[2] = (s[2] ^ s[0]) >>> 0;
		s[3] = (s[3] ^ s[1]) >>> 0;
		s[1] = (s[1] ^ s[2]) >>> 0;
		s[0] = (s[0] ^ s[3]) >>> 0;
		s[2] = (s[2] ^ t) >>> 0;
		s[3] = rotl(s[3], 11);
	}
	nextUint32(): number {
		const result = Math.imul(rotl(Math.imul(this.s[1], 5) >>> 0, 7), 9) >>> 0;
		this.step();
		return result;
	}
	uniform(): number {
		const a = this.nextUint32() >>> 5;
		const b = this.nextUint32() >>> 6;
		return (a * 2 ** 26 + b) / 2 ** 53;
	}
	uniformOpen(): number {
		const a = this.nextUint32() >>> 5;
		const b = this.nextUint32() >>> 6;
		return (a * 2 ** 26 + b + 0.5) / 2 ** 53;
	}
	state(): State {
		return [...this.s] as State;
	}
}

/** xoshiro128**'s jump(): the state 2^64 steps ahead, by the reference code's polynomial. */
function referenceJump(state: State): State {
	const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
	const g = new ReferenceRandom(state);
	const acc = [0, 0, 0, 0];
	for (const word of JUMP)
		for (let b = 0; b < 32; b++) {
			if ((word >>> b) & 1) for (let i = 0; i < 4; i++) acc[i] = (acc[i] ^ g.s[i]) >>> 0;
			g.step();
		}
	return acc as State;
}

// ---- reference samplers, as documented in distributions.ts ----

function refNormal(rng: ReferenceRandom): number {
	for (;;) {
		const u = 2 * rng.uniform() - 1;
		const v = 2 * rng.uniform() - 1;
		const s = u * u + v * v;
		if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
	}
}

function refGamma(rng: ReferenceRandom, shape: number): number {
	if (shape < 1) {
		const g = refGamma(rng, shape + 1);
		return g * Math.pow(rng.uniformOpen(), 1 / shape);
	}
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		let x: number;
		let v: number;
		do {
			x = refNormal(rng);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		const u = rng.uniformOpen();
		if (u < 1 - 0.0331 * x * x * x * x) return d * v;
		if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
	}
}

function refBeta(rng: ReferenceRandom, a: number, b: number): number {
	const x = refGamma(rng, a);
	const y = refGamma(rng, b);
	return x / (x + y);
}

function refTriangular(u: number, a: number, c: number, b: number): number {
	return u < (c - a) / (b - a) ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

function refSample(d: ResolvedDistribution, rng: ReferenceRandom): number {
	if (d.type === 'fixed') return d.value;
	if (d.type === 'beta') return refBeta(rng, d.alpha, d.beta);
	if (d.type === 'gamma') return refGamma(rng, d.shape) * d.scale;
	if (d.type === 'lognormal') return Math.exp(d.meanlog + d.sdlog * refNormal(rng));
	if (d.type === 'normal') return d.mean + d.sd * refNormal(rng);
	if (d.type === 'uniform') return d.min + (d.max - d.min) * rng.uniform();
	if (d.type === 'triangular') return refTriangular(rng.uniform(), d.min, d.mode, d.max);
	throw new Error('a Dirichlet component is drawn with its group');
}

function refQuantile(d: ResolvedDistribution, u: number): number {
	if (d.type === 'beta') return jStat.beta.inv(u, d.alpha, d.beta);
	if (d.type === 'gamma') return jStat.gamma.inv(u, d.shape, d.scale);
	if (d.type === 'lognormal') return Math.exp(d.meanlog + d.sdlog * jStat.normal.inv(u, 0, 1));
	if (d.type === 'normal') return d.mean + d.sd * jStat.normal.inv(u, 0, 1);
	if (d.type === 'uniform') return d.min + (d.max - d.min) * u;
	if (d.type === 'triangular') return refTriangular(u, d.min, d.mode, d.max);
	throw new Error(`no quantile for ${d.type}`);
}

function refDirichlet(rng: ReferenceRandom, alphas: number[], total: number): number[] {
	const g = alphas.map((a) => refGamma(rng, a));
	const sum = g.reduce((s, x) => s + x, 0);
	return g.map((x) => (x / sum) * total);
}

/**
 * One iteration's draws as sampler.ts documents them: correlated parameters (normals through
 * the Cholesky factor, Phi, inverse CDF), then independent ones in parameter order, then
 * Dirichlet groups; null when a draw is outside its parameter kind's range. Uses the sampler's
 * plan (distributions, correlated set, Cholesky factor, groups), not its draw.
 */
function refDraw(cm: CompiledModel, plan: Sampler, rng: ReferenceRandom): number[] | null {
	const K = plan.parameterIds.length;
	const out = new Array<number>(K).fill(NaN);
	const m = plan.correlated.length;
	const z: number[] = [];
	for (let r = 0; r < m; r++) z.push(refNormal(rng));
	for (let r = m - 1; r >= 0; r--) {
		let v = 0;
		for (let c = 0; c <= r; c++) v += plan.choleskyFactor[r * m + c] * z[c];
		const u = Math.min(Math.max(jStat.normal.cdf(v, 0, 1), 1e-16), 1 - 1e-16);
		out[plan.correlated[r]] = refQuantile(plan.distributions[plan.correlated[r]], u);
	}
	const correlated = new Set(plan.correlated);
	plan.distributions.forEach((d, k) => {
		if (d.type !== 'dirichlet' && !correlated.has(k)) out[k] = refSample(d, rng);
	});
	for (const g of plan.dirichlet) {
		const x = refDirichlet(rng, Array.from(g.alphas), g.total);
		g.members.forEach((k, j) => (out[k] = x[j]));
	}
	const ok = out.every((x, k) => {
		const b = KIND_BOUNDS[cm.model.parameters[plan.parameterIds[k]].kind ?? 'other'];
		return x >= (b.min ?? -Infinity) && x <= (b.max ?? Infinity);
	});
	return ok ? out : null;
}

// ---- models ----

const base = { unit: 'u', group: 'g', assumption: 'test value' } as const;

/** Every distribution type, gamma and beta shapes below and above 1, correlated marginals of each type, two Dirichlet groups, and a normal probability that is redrawn. */
function everyDistributionModel(): ModelInput {
	const m = linearModel();
	// a cost states its currency and price year: the model's own, so it is not converted
	const p = (value: number, kind: string, distribution: object, range: object = {}) => ({ ...base, value, kind, ...(kind === 'cost' ? { currency: 'GBP', priceYear: 2024 } : {}), description: 'test parameter', distribution, ...range });
	Object.assign(m.parameters, {
		fixedCost: p(10, 'cost', { type: 'fixed' }),
		betaSe: p(0.3, 'probability', { type: 'beta', se: 0.05 }),
		betaSmall: p(0.3, 'probability', { type: 'beta', alpha: 0.3, beta: 0.6 }),
		betaRange: p(0.6, 'probability', { type: 'beta', fromRange: true }, { low: 0.5, high: 0.7 }),
		gammaSmall: p(4, 'cost', { type: 'gamma', shape: 0.4, scale: 10 }),
		gammaTiny: p(0.1, 'rate', { type: 'gamma', shape: 0.02, scale: 5 }),
		gammaOne: p(3, 'cost', { type: 'gamma', shape: 1, scale: 3 }),
		gammaBig: p(2, 'rate', { type: 'gamma', shape: 400, scale: 0.005 }),
		gammaRange: p(100, 'cost', { type: 'gamma', fromRange: true }, { low: 60, high: 140 }),
		logSe: p(2, 'ratio', { type: 'lognormal', se: 0.4 }),
		logParams: p(1, 'ratio', { type: 'lognormal', meanlog: -0.2, sdlog: 0.7 }),
		logRange: p(0.8, 'ratio', { type: 'lognormal', fromRange: true }, { low: 0.6, high: 1.1 }),
		normalOther: p(-5, 'other', { type: 'normal', sd: 2 }),
		normalProb: p(0.9, 'probability', { type: 'normal', sd: 0.1 }),
		uniformOwn: p(3, 'other', { type: 'uniform', min: 1, max: 7 }),
		uniformRange: p(0.5, 'proportion', { type: 'uniform' }, { low: 0.2, high: 0.9 }),
		triangularOwn: p(1, 'other', { type: 'triangular', min: 0, mode: 1, max: 4 }),
		triangularRange: p(0.4, 'probability', { type: 'triangular' }, { low: 0.1, high: 0.5 }),
		cBeta: p(0.2, 'probability', { type: 'beta', se: 0.04 }),
		cGamma: p(50, 'cost', { type: 'gamma', se: 20 }),
		cGammaSmall: p(50, 'cost', { type: 'gamma', shape: 0.5, scale: 100 }),
		cLog: p(1.5, 'ratio', { type: 'lognormal', se: 0.3 }),
		cNormal: p(0, 'other', { type: 'normal', sd: 1 }),
		cUniform: p(5, 'other', { type: 'uniform', min: 0, max: 10 }),
		cTriangular: p(2, 'other', { type: 'triangular', min: 1, mode: 2, max: 5 }),
		row1: p(0.5, 'probability', { type: 'dirichlet', group: 'row', alpha: 50 }),
		row2: p(0.3, 'probability', { type: 'dirichlet', group: 'row', alpha: 3 }),
		row3: p(0.2, 'probability', { type: 'dirichlet', group: 'row', alpha: 0.4 }),
		other1: p(0.05, 'proportion', { type: 'dirichlet', group: 'other', alpha: 0.7 }),
		other2: p(0.95, 'proportion', { type: 'dirichlet', group: 'other', alpha: 1 })
	});
	m.correlations = [
		{ a: 'cBeta', b: 'cGamma', rho: 0.5 },
		{ a: 'cGamma', b: 'cLog', rho: -0.3 },
		{ a: 'cLog', b: 'cNormal', rho: 0.2 },
		{ a: 'cNormal', b: 'cUniform', rho: 0.6 },
		{ a: 'cUniform', b: 'cTriangular', rho: -0.4 },
		{ a: 'cBeta', b: 'cTriangular', rho: 0.1 },
		{ a: 'cGammaSmall', b: 'cBeta', rho: 0.3 },
		{ a: 'u', b: 'c', rho: 0.25 }
	];
	return m;
}

const models: [string, CompiledModel][] = [
	['every distribution', compile(everyDistributionModel())],
	['ms.json', compileJson(readFileSync('models/ms.json', 'utf8'))],
	['hiv-chancellor.json', compileJson(readFileSync('models/hiv-chancellor.json', 'utf8'))],
	['thr-briggs.json (correlated normals)', compileJson(readFileSync('models/thr-briggs.json', 'utf8'))]
];

const seeds = [0, 1, 2, 7, 42, 2024, -1, -123456, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 987654321];

/** The first index where two arrays differ (Object.is), or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) return Math.min(a.length, b.length);
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
	return -1;
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
	const i = firstDifference(actual, expected);
	expect(i, `${what}: first difference at ${i}: ${actual[i]} vs ${expected[i]}`).toBe(-1);
}

describe('random.ts against a reference xoshiro128**', () => {
	it('the same 32-bit outputs, uniforms and states for many seeds', () => {
		for (const seed of seeds) {
			const rng = createRandom(seed);
			const ref = ReferenceRandom.seeded(seed);
			expect(rng.state()).toEqual(ref.state());
			const got: number[] = [];
			const want: number[] = [];
			for (let i = 0; i < 2000; i++) {
				const which = i % 5;
				if (which < 2) {
					got.push(rng.nextUint32());
					want.push(ref.nextUint32());
				} else if (which < 4) {
					got.push(rng.uniform());
					want.push(ref.uniform());
				} else {
					got.push(rng.uniformOpen());
					want.push(ref.uniformOpen());
				}
			}
			expectSame(got, want, `seed ${seed}`);
			expect(rng.state()).toEqual(ref.state());
			const resumed = fromState(rng.state());
			expectSame([resumed.nextUint32(), resumed.uniform()], [ref.nextUint32(), ref.uniform()], `resumed, seed ${seed}`);
		}
	});

	it('jumpState gives the reference jump, again and again', () => {
		for (const seed of seeds) {
			let state = createRandom(seed).state();
			let ref = ReferenceRandom.seeded(seed).state();
			for (let i = 0; i < 40; i++) {
				state = jumpState(state);
				ref = referenceJump(ref);
				expect(state).toEqual(ref);
			}
		}
	});

	it('the reference jump is 2^64 steps: jumping commutes with stepping', () => {
		const start = ReferenceRandom.seeded(5);
		const stepped = new ReferenceRandom(start.state());
		for (let i = 0; i < 7; i++) stepped.step();
		const jumpedThenStepped = new ReferenceRandom(referenceJump(start.state()));
		for (let i = 0; i < 7; i++) jumpedThenStepped.step();
		expect(referenceJump(stepped.state())).toEqual(jumpedThenStepped.state());
	});
});

describe('distributions.ts samplers against the reference', () => {
	const shapes = [0.01, 0.3, 0.5, 0.999, 1, 1.0001, 1.7, 3, 42, 1e4];
	const cases: ResolvedDistribution[] = [
		{ type: 'fixed', value: 3 },
		{ type: 'beta', alpha: 2, beta: 5 },
		{ type: 'beta', alpha: 0.2, beta: 0.7 },
		{ type: 'beta', alpha: 300, beta: 0.9 },
		{ type: 'gamma', shape: 0.4, scale: 10 },
		{ type: 'gamma', shape: 25, scale: 0.3 },
		{ type: 'lognormal', meanlog: 0.3, sdlog: 0.5 },
		{ type: 'normal', mean: -2, sd: 3 },
		{ type: 'uniform', min: 2, max: 8 },
		{ type: 'triangular', min: 0, mode: 1, max: 4 },
		{ type: 'triangular', min: 0, mode: 0, max: 1 }
	];

	it('sampleStandardNormal, sampleGamma, sampleBeta, drawDirichlet', () => {
		for (const seed of seeds) {
			const rng = createRandom(seed);
			const ref = ReferenceRandom.seeded(seed);
			const got: number[] = [];
			const want: number[] = [];
			for (let i = 0; i < 200; i++) {
				got.push(sampleStandardNormal(rng));
				want.push(refNormal(ref));
				for (const a of shapes) {
					got.push(sampleGamma(rng, a));
					want.push(refGamma(ref, a));
				}
				got.push(sampleBeta(rng, 0.5, 2.5), sampleBeta(rng, 4, 4));
				want.push(refBeta(ref, 0.5, 2.5), refBeta(ref, 4, 4));
				const out = new Float64Array(3);
				drawDirichlet(rng, [0.5, 7, 2], 0.9, out);
				got.push(...out);
				want.push(...refDirichlet(ref, [0.5, 7, 2], 0.9));
			}
			expectSame(got, want, `seed ${seed}`);
			expect(rng.state()).toEqual(ref.state());
		}
	});

	it('sample, for every distribution type', () => {
		for (const seed of seeds) {
			const rng = createRandom(seed);
			const ref = ReferenceRandom.seeded(seed);
			const got: number[] = [];
			const want: number[] = [];
			for (let i = 0; i < 300; i++)
				for (const d of cases) {
					got.push(sample(d, rng));
					want.push(refSample(d, ref));
				}
			expectSame(got, want, `seed ${seed}`);
			expect(rng.state()).toEqual(ref.state());
		}
	});
});

describe('a sampler draws what the reference draws', () => {
	for (const [name, cm] of models)
		it(`${name}: successive iterations' substreams, redraws included`, () => {
			const { values } = createRunner(cm).resolve();
			const sampler = createSampler(cm, values);
			const K = sampler.parameterIds.length;
			const out = new Float64Array(K);
			let invalid = 0;
			for (const seed of seeds.slice(0, 6)) {
				let stream = createRandom(seed).state();
				for (let i = 0; i < 150; i++, stream = jumpState(stream)) {
					const rng = fromState(stream);
					const ref = new ReferenceRandom(stream);
					// the first draw and two redraws from the same substream
					for (let attempt = 0; attempt < 3; attempt++) {
						const want = refDraw(cm, sampler, ref);
						let valid = true;
						try {
							sampler.draw(rng, out);
						} catch (e) {
							if (!(e instanceof ModelError)) throw e;
							valid = false;
						}
						expect(valid, `seed ${seed}, iteration ${i}, attempt ${attempt}: valid`).toBe(want !== null);
						if (want) expectSame(out, want, `seed ${seed}, iteration ${i}, attempt ${attempt}`);
						else invalid++;
						expect(rng.state()).toEqual(ref.state());
					}
				}
			}
			if (name === 'every distribution') expect(invalid).toBeGreaterThan(50);
		});

	for (const [name, cm] of models)
		for (const where of ['WebAssembly', 'JavaScript'] as const)
			it(`${name}: drawLanes in ${where} gives each lane what the reference draws from its stream, and flags out-of-range lanes`, () => {
				const sampler = createSampler(cm, createRunner(cm).resolve().values);
				const K = sampler.parameterIds.length;
				// parameter k of lane b at out[rows[k] + b], rows spaced wider than the lanes and reversed
				const width = 131;
				const rows = Int32Array.from({ length: K }, (_, k) => (K - 1 - k) * width);
				const out = new Float64Array(K * width);
				const ok = new Uint8Array(width);
				let flagged = 0;
				for (const [seed, n] of [[3, 128], [4, 37], [5, 1]]) {
					out.fill(-7);
					ok.fill(9);
					const streams = where === 'WebAssembly' ? (wasmStreams(n, 16) as Streams) : jsStreams(new Random(n), 16);
					const states: State[] = [];
					let stream = createRandom(seed).state();
					for (let b = 0; b < n; b++, stream = jumpState(stream)) {
						states.push(stream);
						streams.setState(b, stream);
					}
					sampler.drawLanes(streams, n, out, rows, ok);
					for (let b = 0; b < n; b++) {
						const want = refDraw(cm, sampler, new ReferenceRandom(states[b]));
						expect(ok[b], `seed ${seed}, lane ${b}: flagged as the reference rejects`).toBe(want ? 1 : 0);
						if (!want) {
							flagged++;
							continue;
						}
						expectSame(
							Array.from({ length: K }, (_, k) => out[rows[k] + b]),
							want,
							`seed ${seed}, lane ${b} of ${n}`
						);
					}
					// lanes past n are left as they were
					expect(out[rows[0] + n]).toBe(-7);
					expect(ok[n]).toBe(9);
				}
				if (name === 'every distribution') expect(flagged).toBeGreaterThan(5);
			});

	it('a sampler draws a batch in WebAssembly here, one iteration in JavaScript', () => {
		const [, cm] = models[1];
		expect(createSampler(cm, createRunner(cm).resolve().values).createStreams(128).engine).toBe('WebAssembly');
		expect(jsStreams(new Random(1), 4).engine).toBe('JavaScript');
	});

	it('the every-distribution model draws every type, correlated and not', () => {
		const cm = models[0][1];
		const sampler = createSampler(cm, createRunner(cm).resolve().values);
		const types = (ks: Iterable<number>) => new Set([...ks].map((k) => sampler.distributions[k].type));
		expect(types(sampler.correlated)).toEqual(new Set(['beta', 'gamma', 'lognormal', 'normal', 'uniform', 'triangular']));
		const independent = sampler.distributions.map((_, k) => k).filter((k) => !sampler.correlated.includes(k));
		expect(types(independent)).toEqual(new Set(['beta', 'gamma', 'lognormal', 'normal', 'uniform', 'triangular', 'dirichlet']));
		expect(sampler.dirichlet.map((g) => g.members.length)).toEqual([3, 2]);
	});
});

describe("a PSA's draws are the reference's", () => {
	/** Iteration i: the seeded state jumped i times; draw until a draw is in range (psa.ts). */
	function referencePsaDraws(cm: CompiledModel, plan: Sampler, iterations: number, seed: number) {
		const draws: number[] = [];
		let stream = ReferenceRandom.seeded(seed).state();
		let redrawn = 0;
		for (let i = 0; i < iterations; i++, stream = referenceJump(stream)) {
			const ref = new ReferenceRandom(stream);
			let d = refDraw(cm, plan, ref);
			while (!d) {
				redrawn++;
				d = refDraw(cm, plan, ref);
			}
			draws.push(...d);
		}
		return { draws, redrawn };
	}

	for (const [name, cm] of models)
		for (const seed of [1, 99])
			it(`${name}, seed ${seed}, in uneven chunks`, () => {
				const iterations = name === 'every distribution' ? 700 : 300;
				const psa = runPsa(cm, { iterations, seed, invalidDraws: 'redraw' }, { chunk: 97 });
				const want = referencePsaDraws(cm, createSampler(cm, createRunner(cm).resolve().values), iterations, seed);
				expectSame(psa.draws, want.draws, `${name}, seed ${seed}`);
				// the models' runs accept every in-range draw, so the redraws are the sampler's
				expect(psa.redrawn).toBe(want.redrawn);
				if (name === 'every distribution') expect(psa.redrawn).toBeGreaterThan(0);
			});
});
