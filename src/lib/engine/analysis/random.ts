/**
 * A seeded random source that gives the same stream on every platform (ARCHITECTURE.md, principle 7): every
 * sampler takes one as an argument, nothing here calls Math.random.
 *
 * This file implements the generator specified in docs/random.md, which the WebAssembly lane
 * sampler (wasm/batch.ts) implements too: xoshiro128** 1.1 (Blackman & Vigna, ACM TOMS
 * 2021;47(4):36; reference code xoshiro128starstar.c), its 128-bit state filled from the seed
 * by splitmix32, doubles from 53 bits of two outputs, and one substream per PSA iteration by
 * the jump function. 32-bit integer arithmetic only (Math.imul and unsigned shifts), so the
 * integer stream is exact in any JavaScript engine.
 *
 * Cost: a few integer operations per 32-bit output.
 *
 * @example
 * const rng = createRandom(42);
 * rng.nextUint32(); // 2837322924 (docs/random.md, known answers)
 * rng.uniform();    // in [0, 1)
 */
export interface RandomSource {
	/** the next 32-bit unsigned integer */
	nextUint32(): number;
	/** a double in [0, 1) with 53 random bits */
	uniform(): number;
	/** a double in (0, 1), never 0 or 1: for inverse distribution functions and logarithms */
	uniformOpen(): number;
	/** the 128-bit state, to save or check a stream position */
	state(): [number, number, number, number];
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/**
 * splitmix32: one step, returning [next state, output] (docs/random.md, step 2): x = x +
 * 0x9e3779b9, then the MurmurHash3 finaliser z ^= z >>> 16, z *= 0x85ebca6b, z ^= z >>> 13,
 * z *= 0xc2b2ae35, z ^= z >>> 16, all modulo 2^32.
 *
 * @example
 * splitmix32(42) // [2654435811, output]: the state moved by the golden-ratio increment
 */
export function splitmix32(state: number): [number, number] {
	const s = (state + 0x9e3779b9) >>> 0;
	let z = s;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
	z = (z ^ (z >>> 16)) >>> 0;
	return [s, z];
}

/**
 * A generator seeded by an integer (taken modulo 2^32; non-integers are rejected): its four
 * state words are the first four outputs of splitmix32 from the seed (docs/random.md, step 2).
 *
 * @example
 * createRandom(42).state() // [939911724, 3948730756, 321366731, 3317318717]
 */
export function createRandom(seed: number): Random {
	if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
	let sm = seed >>> 0;
	const words: number[] = [];
	for (let i = 0; i < 4; i++) {
		const [next, out] = splitmix32(sm);
		sm = next;
		words.push(out);
	}
	// the all-zero state is a fixed point; splitmix32 cannot give four zeros, but guard anyway
	if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
	return fromState(words as [number, number, number, number]);
}

/**
 * A generator continuing from a saved state (one stream).
 *
 * @example
 * const saved = rng.state();
 * fromState(saved).uniform() === rng.uniform() // true: the same next draw
 */
export function fromState(state: [number, number, number, number]): Random {
	const rng = new Random(1);
	rng.setState(0, state);
	return rng;
}

/**
 * The generator: one or more independent streams side by side, one of them current. Where the
 * PSA's draws run in JavaScript (variates.ts, `jsStreams`), a batch of iterations, each from its
 * own substream, is drawn parameter by parameter across the batch, selecting each iteration's
 * stream in turn; a generator made by createRandom or fromState has one stream.
 *
 * A class, so that every generator shares one copy of each method (a sampler's call to
 * `rng.uniform()` then always meets the same function, which V8 can inline), with its state in
 * an Int32Array: the words are held as 32-bit integers, where closure variables would box each
 * value outside the small-integer range in a heap number on every step.
 */
export class Random implements RandomSource {
	/** four 32-bit words of state per stream */
	private readonly s: Int32Array;
	/** where the current stream's words start in `s` */
	private at = 0;

	constructor(readonly streams: number) {
		this.s = new Int32Array(4 * streams);
	}

	/** makes stream k current */
	select(k: number): void {
		this.at = k << 2;
	}

	/** sets stream k's state */
	setState(k: number, state: [number, number, number, number]): void {
		for (let i = 0; i < 4; i++) this.s[4 * k + i] = state[i];
	}

	nextUint32(): number {
		const s = this.s;
		const at = this.at;
		let s0 = s[at];
		let s1 = s[at + 1];
		let s2 = s[at + 2];
		let s3 = s[at + 3];
		const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
		const t = s1 << 9;
		s2 ^= s0;
		s3 ^= s1;
		s1 ^= s2;
		s0 ^= s3;
		s2 ^= t;
		s3 = rotl(s3, 11);
		s[at] = s0;
		s[at + 1] = s1;
		s[at + 2] = s2;
		s[at + 3] = s3;
		return result;
	}

	uniform(): number {
		return this.double(0);
	}

	uniformOpen(): number {
		return this.double(0.5);
	}

	/**
	 * Two outputs as a double, (a >>> 5) * 2^26 + (b >>> 6) + offset, over 2^53: the two steps
	 * of nextUint32 with the state loaded and stored once.
	 */
	private double(offset: number): number {
		const s = this.s;
		const at = this.at;
		let s0 = s[at];
		let s1 = s[at + 1];
		let s2 = s[at + 2];
		let s3 = s[at + 3];
		let bits = 0;
		for (let i = 0; i < 2; i++) {
			// 27 bits of the first output, then 26 of the second
			bits = bits * TWO_POW_26 + (Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> (5 + i));
			const t = s1 << 9;
			s2 ^= s0;
			s3 ^= s1;
			s1 ^= s2;
			s0 ^= s3;
			s2 ^= t;
			s3 = rotl(s3, 11);
		}
		s[at] = s0;
		s[at + 1] = s1;
		s[at + 2] = s2;
		s[at + 3] = s3;
		return (bits + offset) / TWO_POW_53;
	}

	/** the current stream's state */
	state(): [number, number, number, number] {
		const s = this.s;
		const at = this.at;
		return [s[at] >>> 0, s[at + 1] >>> 0, s[at + 2] >>> 0, s[at + 3] >>> 0];
	}
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

/**
 * The state 2^64 outputs ahead: xoshiro128**'s jump() from the reference code (docs/random.md,
 * step 4). Jumping again and again from one state gives non-overlapping substreams: PSA
 * iteration i starts from the seeded state jumped i times.
 *
 * @example
 * jumpState(createRandom(42).state()) // [1602994489, 1019052603, 3950444188, 402218280]
 */
export function jumpState(state: [number, number, number, number]): [number, number, number, number] {
	let [x0, x1, x2, x3] = state;
	let s0 = 0;
	let s1 = 0;
	let s2 = 0;
	let s3 = 0;
	for (const word of JUMP)
		for (let b = 0; b < 32; b++) {
			if ((word >>> b) & 1) {
				s0 ^= x0;
				s1 ^= x1;
				s2 ^= x2;
				s3 ^= x3;
			}
			// one step of the generator (its output is not needed)
			const t = x1 << 9;
			x2 ^= x0;
			x3 ^= x1;
			x1 ^= x2;
			x0 ^= x3;
			x2 ^= t;
			x3 = rotl(x3, 11);
		}
	return [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0];
}

function rotl(x: number, k: number): number {
	return (x << k) | (x >>> (32 - k));
}
