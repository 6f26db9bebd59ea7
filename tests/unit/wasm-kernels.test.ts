/**
 * The WebAssembly kernels of the batched PSA: the committed module is what its source compiles
 * to, the arena refuses to grow past its size, and the check and arithmetic kernels agree with
 * the JavaScript expressions they replace on awkward values (NaN, infinities, signed zeros,
 * subnormals). The cohort step itself is checked through the batch against the lean path
 * (batch.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileKernels, moduleText, TARGET } from '../../scripts/build-wasm.mjs';
import { ArenaFull, CYCLE_RECORD_FIELDS, LANES, createArena, loadKernels } from '../../src/lib/engine/simulate/wasm/kernels';

const AWKWARD = [0, -0, 1, -1, 0.5, 1e-310, -1e-310, 1e308, -1e308, Infinity, -Infinity, NaN, 3, 1 / 3, 2 ** -52, 1 + 2 ** -52, -2.5, 7e-9];

describe('WebAssembly kernels', () => {
	it('the committed module is a fresh compile of wasm/batch.ts', async () => {
		const bytes: Uint8Array = await compileKernels();
		expect(readFileSync(TARGET, 'utf8')).toBe(moduleText(bytes));
	}, 60_000);

	it('the cycle record the JavaScript side writes has the fields the kernel reads, in order', () => {
		const arena = createArena(loadKernels()!, 65536);
		expect(arena.recordFields).toBe(CYCLE_RECORD_FIELDS.length);
		// the kernel's RECORD_* indices, read from its source
		const source = readFileSync('wasm/batch.ts', 'utf8');
		const indices = [...source.matchAll(/^const RECORD_([A-Z_]+) = (\d+);/gm)].map((m) => [m[1].toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), Number(m[2])]);
		expect(indices).toEqual(CYCLE_RECORD_FIELDS.map((field, i) => [field, i]));
	});

	it('an arena is a fixed size: a request past it throws ArenaFull', () => {
		const arena = createArena(loadKernels()!, 65536);
		expect(arena.columns(60).length).toBe(60 * LANES);
		expect(() => arena.columns(8)).toThrow(ArenaFull);
	});

	const arena = createArena(loadKernels()!, 2 ** 20);
	const x = arena.column();
	const y = arena.column();
	const out = arena.column();
	const bad = arena.bytes(LANES);
	const n = AWKWARD.length;
	// every pair of awkward values: x[b] op y[b] over lanes, in blocks of n
	const pairs = AWKWARD.flatMap((a) => AWKWARD.map((b) => [a, b]));

	it('column arithmetic, min and max equal JavaScript on every pair of awkward values (NaN, signed zeros, infinities)', () => {
		const k = arena.arithmetic;
		const js: Record<string, (a: number, b: number) => number> = { add: (a, b) => a + b, subtract: (a, b) => a - b, multiply: (a, b) => a * b, divide: (a, b) => a / b, min: Math.min, max: Math.max };
		for (const [name, f] of Object.entries(js)) {
			const op = k.ops[name as keyof typeof k.ops];
			for (let start = 0; start < pairs.length; start += n) {
				const block = pairs.slice(start, start + n);
				block.forEach(([a, b], i) => ((x[i] = a), (y[i] = b)));
				k.columnColumn(op, out.byteOffset, x.byteOffset, y.byteOffset, block.length);
				block.forEach(([a, b], i) => expect(Object.is(out[i], f(a, b)), `${a} ${name} ${b}`).toBe(true));
				const [s] = block[0];
				k.scalarColumn(op, out.byteOffset, s, y.byteOffset, block.length);
				block.forEach(([, b], i) => expect(Object.is(out[i], f(s, b)), `${s} ${name} ${b}`).toBe(true));
				k.columnScalar(op, out.byteOffset, x.byteOffset, s, block.length);
				block.forEach(([a], i) => expect(Object.is(out[i], f(a, s)), `${a} ${name} ${s}`).toBe(true));
			}
		}
	});

	it('only the first n lanes are written', () => {
		out.fill(42);
		x.fill(1);
		y.fill(2);
		arena.arithmetic.columnColumn(arena.arithmetic.ops.add, out.byteOffset, x.byteOffset, y.byteOffset, 5);
		expect([...out.subarray(0, 6)]).toEqual([3, 3, 3, 3, 3, 42]);
	});

	it('checkRange flags exactly what !(v >= lower && v <= upper) flags', () => {
		x.set(AWKWARD);
		for (const [lower, upper] of [[0, 1], [0, Infinity], [-Infinity, Infinity], [1e-310, 1]]) {
			bad.fill(0);
			arena.checkRange(x.byteOffset, lower, upper, bad.byteOffset, n);
			AWKWARD.forEach((v, b) => expect(bad[b], `${v} in [${lower}, ${upper}]`).toBe(!(v >= lower && v <= upper) ? 1 : 0));
		}
	});

	it('checkFinite flags exactly what Number.isFinite rejects, and never clears a flag', () => {
		x.set(AWKWARD);
		bad.fill(0);
		bad[0] = 1;
		arena.checkFinite(x.byteOffset, bad.byteOffset, n);
		AWKWARD.forEach((v, b) => expect(bad[b], String(v)).toBe(b === 0 || !Number.isFinite(v) ? 1 : 0));
	});
	it("the variates' logarithm (fdlibm's) is Math.log to the last bit: awkward values, random bit patterns, and (0, 1)", () => {
		const log = arena.variates.logarithm;
		const values = [...AWKWARD, 5e-324, 2.2250738585072014e-308, 1 - 2 ** -53, 2, Math.E, Math.SQRT2, Math.SQRT1_2, 0.9999990463256836, 1.0000009536743164];
		// random doubles of every exponent: two 32-bit words from a fixed linear congruential sequence
		const word = new Uint32Array(2);
		const asDouble = new Float64Array(word.buffer);
		let state = 2024;
		const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
		for (let i = 0; i < 200_000; i++) {
			word[0] = next();
			word[1] = next();
			values.push(asDouble[0]);
			values.push((next() + 0.5) / 2 ** 32); // in (0, 1), as the samplers' uniforms and s of the polar method
		}
		const differ = values.filter((v) => !Object.is(log(v), Math.log(v)));
		expect(differ.slice(0, 5)).toEqual([]);
	});
});

it('a kernel column has as many lanes as a column block', async () => {
	const { BLOCK } = await import('../../src/lib/engine/simulate/columns');
	expect(LANES).toBe(BLOCK);
});
