/**
 * The seeded random source. Reference integers come from an independent Python implementation
 * of splitmix32 seeding + xoshiro128** (the reference C code transcribed, run with Python's
 * arbitrary-precision integers masked to 32 bits):
 *
 *   M = 0xffffffff
 *   def splitmix32(s):
 *       s = (s + 0x9e3779b9) & M; z = s
 *       z = ((z ^ (z >> 16)) * 0x85ebca6b) & M
 *       z = ((z ^ (z >> 13)) * 0xc2b2ae35) & M
 *       return s, (z ^ (z >> 16)) & M
 *   state = 4 splitmix32 outputs; next: r = rotl(s1 * 5, 7) * 9; t = s1 << 9; s2 ^= s0; s3 ^= s1;
 *   s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 */
import { describe, expect, it } from 'vitest';
import { createRandom, fromState, jumpState } from '../../src/lib/engine';

const PYTHON = {
	0: [3809008728, 1133695204, 53579671, 2891528803, 139681546, 2203266335],
	42: [2837322924, 544945897, 479756282, 3500138142, 339756180, 113173290],
	2026: [1436751614, 742089593, 1736781944, 1312845263, 2711517162, 3597559494]
} as const;

describe('random source (xoshiro128** seeded by splitmix32)', () => {
	for (const [seed, expected] of Object.entries(PYTHON))
		it(`seed ${seed}: first six outputs match the Python reference`, () => {
			const rng = createRandom(Number(seed));
			expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual(expected);
		});

	it('the first double of seed 42 matches Python ((a >> 5) * 2^26 + (b >> 6)) / 2^53', () => {
		expect(createRandom(42).uniform()).toBe(0.6606157208001621);
	});

	it('same seed, same stream; different seeds differ; a saved state resumes the stream', () => {
		const a = createRandom(7);
		const b = createRandom(7);
		const c = createRandom(8);
		const xs = Array.from({ length: 1000 }, () => a.uniform());
		expect(Array.from({ length: 1000 }, () => b.uniform())).toEqual(xs);
		expect(Array.from({ length: 1000 }, () => c.uniform())).not.toEqual(xs);
		const d = createRandom(7);
		for (let i = 0; i < 500; i++) d.uniform();
		const resumed = fromState(d.state());
		expect(Array.from({ length: 500 }, () => resumed.uniform())).toEqual(xs.slice(500));
	});

	it('uniform is in [0, 1), uniformOpen in (0, 1), with mean 1/2 and variance 1/12', () => {
		const rng = createRandom(123);
		const n = 200_000;
		let sum = 0;
		let sq = 0;
		let outside = 0;
		for (let i = 0; i < n; i++) {
			const u = rng.uniform();
			const v = rng.uniformOpen();
			if (!(u >= 0 && u < 1) || !(v > 0 && v < 1)) outside++;
			sum += u;
			sq += u * u;
		}
		expect(outside).toBe(0);
		const mean = sum / n;
		// Monte-Carlo error of the mean: sqrt(1/12 / n) = 0.00065; allow 5 SE
		expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
		expect(Math.abs(sq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
	});

	it('rejects a non-integer seed', () => {
		expect(() => createRandom(1.5)).toThrow(/integer/);
	});
});

describe('jump: substreams for PSA iterations', () => {
	// the reference C code (prng.di.unimi.it/xoshiro128starstar.c, next() and jump() as published,
	// JUMP = 0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b) compiled with gcc -O2, started from
	// the state of createRandom(42), printed the state after one and after two jumps
	it('matches the reference jump() from the state of seed 42, twice', () => {
		const start = createRandom(42).state();
		expect(start).toEqual([939911724, 3948730756, 321366731, 3317318717]);
		const once = jumpState(start);
		expect(once).toEqual([1602994489, 1019052603, 3950444188, 402218280]);
		expect(jumpState(once)).toEqual([2747032815, 1346633180, 1227414486, 3463465772]);
	});
	it('does not change the state it is given, and a jumped state starts a different stream', () => {
		const start = createRandom(7).state();
		const copy = [...start];
		const jumped = jumpState(start);
		expect(start).toEqual(copy);
		expect(fromState(jumped).nextUint32()).not.toBe(fromState(start).nextUint32());
	});
});
