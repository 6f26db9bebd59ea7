/**
 * The random streams of a batch of PSA iterations, one per lane, and the basic variates drawn
 * from them a lane at a time: uniforms, standard normals and gamma draws. sampler.ts builds
 * every distribution's draws out of these (distributions.ts, `laneSampler`).
 *
 * Two implementations give the same values to the last bit: WebAssembly (wasm/batch.ts, the
 * PSA's, with the streams' states and the variates' columns in a small arena of its own), and
 * JavaScript (random.ts and distributions.ts; where WebAssembly cannot run, and for one
 * iteration at a time). tests/unit/analysis-sampling-reference.test.ts checks both against a
 * plain reference. The generator of every stream is the one docs/random.md specifies.
 *
 *     const streams = createStreams(128, 4);
 *     streams.setState(b, state);             // lane b's stream
 *     const z = streams.scratch(0);
 *     streams.normals(z, n);                  // z[b]: lane b's standard normal, b < n
 */
import { LANES, createArena, loadKernels } from '../simulate/wasm/kernels';
import { marsagliaTsang, sampleStandardNormal } from './distributions';
import { Random } from './random';

type State = [number, number, number, number];

export interface Streams {
	/** how many streams (lanes) */
	readonly count: number;
	/** where the variates are computed */
	readonly engine: 'WebAssembly' | 'JavaScript';
	/** sets lane b's stream to a saved state */
	setState(b: number, state: State): void;
	/** lane b's stream's state now (after its draws), for setState */
	getState(b: number): State;
	/** scratch column k (a double per stream), where variates are written; k below the count asked for */
	scratch(k: number): Float64Array;
	/** out[b] = lane b's uniform for b < n: in [0, 1) with offset 0, in (0, 1) with offset 0.5; out a scratch column */
	uniforms(offset: 0 | 0.5, out: Float64Array, n: number): void;
	/** out[b] = lane b's standard normal (Marsaglia's polar method) */
	normals(out: Float64Array, n: number): void;
	/** out[b] = lane b's Marsaglia-Tsang gamma draw for d = shape - 1/3, c = 1 / sqrt(9 d) (shape at least 1) */
	gammas(d: number, c: number, out: Float64Array, n: number): void;
}

/**
 * `count` streams with `scratchColumns` scratch columns: in WebAssembly where it runs, else in
 * JavaScript; both give the same variates from the same states.
 *
 * @example
 * const streams = createStreams(2, 4);
 * streams.setState(0, createRandom(42).state());
 * streams.uniforms(0, streams.scratch(0), 1); // streams.scratch(0)[0] === 0.6606157208001621
 */
export function createStreams(count: number, scratchColumns: number): Streams {
	return wasmStreams(count, scratchColumns) ?? jsStreams(new Random(count), scratchColumns);
}

/**
 * Streams in JavaScript over the streams of `rng` (lane b: stream b).
 *
 * @example
 * const streams = jsStreams(new Random(128), 4); // 128 lanes, 4 scratch columns
 */
export function jsStreams(rng: Random, scratchColumns: number): JsStreams {
	return new JsStreams(rng, scratchColumns);
}

/**
 * Streams in JavaScript. `rng` may be replaced by another generator with as many streams: a
 * sampler draws one iteration at a time through one JsStreams, over each iteration's generator.
 */
export class JsStreams implements Streams {
	readonly engine = 'JavaScript';
	private readonly columns: Float64Array[];

	constructor(
		public rng: Random,
		scratchColumns: number
	) {
		this.columns = Array.from({ length: scratchColumns }, () => new Float64Array(rng.streams));
	}

	get count(): number {
		return this.rng.streams;
	}

	setState(b: number, state: State): void {
		this.rng.setState(b, state);
	}

	getState(b: number): State {
		this.rng.select(b);
		return this.rng.state();
	}

	scratch(k: number): Float64Array {
		return this.columns[k];
	}

	uniforms(offset: 0 | 0.5, out: Float64Array, n: number): void {
		const rng = this.rng;
		for (let b = 0; b < n; b++) {
			rng.select(b);
			out[b] = offset === 0 ? rng.uniform() : rng.uniformOpen();
		}
	}

	normals(out: Float64Array, n: number): void {
		const rng = this.rng;
		for (let b = 0; b < n; b++) {
			rng.select(b);
			out[b] = sampleStandardNormal(rng);
		}
	}

	gammas(d: number, c: number, out: Float64Array, n: number): void {
		const rng = this.rng;
		for (let b = 0; b < n; b++) {
			rng.select(b);
			out[b] = marsagliaTsang(rng, d, c);
		}
	}
}

/**
 * Streams in WebAssembly (at most LANES), or null where it cannot run: the lanes' states take
 * 16 bytes each in the arena (docs/random.md, step 4), then the scratch columns.
 *
 * @example
 * const streams = wasmStreams(128, 4) ?? jsStreams(new Random(128), 4);
 */
export function wasmStreams(count: number, scratchColumns: number): Streams | null {
	const module = loadKernels();
	if (!module) return null;
	const arena = createArena(module, 16 * count + (scratchColumns + 1) * LANES * 8);
	const states = arena.ints(new Int32Array(4 * count));
	const statesAt = states.byteOffset;
	const columns = Array.from({ length: scratchColumns }, () => arena.column());
	const kernels = arena.variates;
	return {
		count,
		engine: 'WebAssembly',
		setState(b, state) {
			for (let i = 0; i < 4; i++) states[4 * b + i] = state[i];
		},
		getState: (b) => [states[4 * b] >>> 0, states[4 * b + 1] >>> 0, states[4 * b + 2] >>> 0, states[4 * b + 3] >>> 0],
		scratch: (k) => columns[k],
		uniforms: (offset, out, n) => kernels.uniforms(statesAt, n, offset, out.byteOffset),
		normals: (out, n) => kernels.normals(statesAt, n, out.byteOffset),
		gammas: (d, c, out, n) => kernels.gammas(statesAt, n, d, c, out.byteOffset)
	};
}
