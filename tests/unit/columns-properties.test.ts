/**
 * Properties of column evaluation (columns.ts and its loops in columnKernels.ts): for random
 * expressions over every allowed operator and function, and random lane values (NaN, infinities,
 * -0 and huge values among them), the column's lane l is the scalar closure of expressions.ts
 * evaluated with lane l's variables, bit for bit (Object.is: -0 is not 0, NaN is NaN). Checked
 *  - for every operator and function in every operand shape (each argument a column, a per-step
 *    scalar, a per-run constant or a number, at least one a column), and for random trees;
 *  - with the JavaScript loops and with the columns in a WebAssembly arena (the batched PSA);
 *  - over several evaluations of one compiled column, the operands unchanged, changed in one
 *    lane, or a 0 turned to -0 (the columns that remember their last call must notice).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileExpression } from '../../src/lib/engine/model/expressions';
import { FUNCTIONS } from '../../src/lib/engine/model/functions';
import { lifeTableLookup } from '../../src/lib/engine/model/lifeTable';
import { BLOCK, Variation, compileColumn, createLanes, type ColumnContext, type Lanes } from '../../src/lib/engine/simulate/columns';
import { createArena, loadKernels } from '../../src/lib/engine/simulate/wasm/kernels';
import { FUZZ_SEED } from './fuzz-support';

const COLUMNS = ['c1', 'c2', 'model_time', 'age'] as const;
const STEPS = ['s1'] as const;
const CONSTANTS = ['k1', 'k2', 'cycle_length'] as const;
const NAMES = [...COLUMNS, ...STEPS, ...CONSTANTS];
const SLOTS = new Map<string, number>(NAMES.map((name, slot) => [name, slot]));
const VARIABLE_COUNT = 512;
const lifeTables = lifeTableLookup({
	uk: { source: { citation: 'test', location: 'test' }, minAge: 30, qx: { male: [0.001, 0.002, 0.004, 0.008], female: [0.0005, 0.001, 0.003, 0.006] } }
} as never);

const OPERATORS = ['+', '-', '*', '/', '^', 'mod', 'and', 'or', 'xor', '<', '>', '<=', '>=', '==', '!='];
const COMPARISONS = ['<', '>', '<=', '>=', '==', '!='];
/** every function with each arity it takes, up to 6 arguments */
const CALLS: [string, number][] = Object.entries(FUNCTIONS).flatMap(([name, spec]) =>
	Array.from({ length: Math.min(spec.maxArgs, 6) - spec.minArgs + 1 }, (_, i) => [name, spec.minArgs + i] as [string, number]).filter(
		([fn, arity]) => fn !== 'piecewise' || arity % 2 === 0
	)
);

/** A lane's value: anything a double can be, often a value that models meet or that tests an edge. */
const laneValue = fc.oneof(
	fc.double(),
	fc.constantFrom(0, -0, 1, -1, 0.5, 2, 3, 0.25, 31.5, 40, NaN, Infinity, -Infinity, 1e308, 1e-310),
	fc.double({ min: 0, max: 1, noNaN: true }),
	fc.integer({ min: -3, max: 8 })
);

interface Values {
	n: number;
	columns: number[][];
	scalars: number[];
}

const values: fc.Arbitrary<Values> = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(BLOCK)).chain((n) =>
	fc.record({
		n: fc.constant(n),
		// a column of any values, or of a few values repeated (as per-cycle values that hold still from cycle to cycle)
		columns: fc.array(fc.oneof(fc.array(laneValue, { minLength: n, maxLength: n }), fc.array(fc.constantFrom(0, -0, 0.5, 2, -1, NaN), { minLength: n, maxLength: n })), {
			minLength: COLUMNS.length,
			maxLength: COLUMNS.length
		}),
		scalars: fc.array(laneValue, { minLength: STEPS.length + CONSTANTS.length, maxLength: STEPS.length + CONSTANTS.length })
	})
);

/** A change between two evaluations: none, one lane of one column, a 0 turned to -0 (or back), or one scalar. */
const change = fc.oneof(
	fc.constant({ kind: 'none' as const }),
	fc.record({ kind: fc.constant('lane' as const), column: fc.nat(COLUMNS.length - 1), lane: fc.nat(BLOCK - 1), value: laneValue }),
	fc.record({ kind: fc.constant('zero' as const), column: fc.nat(COLUMNS.length - 1), lane: fc.nat(BLOCK - 1) }),
	fc.record({ kind: fc.constant('scalar' as const), scalar: fc.nat(STEPS.length + CONSTANTS.length - 1), value: laneValue })
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function changed(v: Values, c: Change): Values {
	const next = { n: v.n, columns: v.columns.map((col) => [...col]), scalars: [...v.scalars] };
	if (c.kind === 'lane') next.columns[c.column][c.lane % v.n] = c.value;
	if (c.kind === 'zero') {
		const old = next.columns[c.column][c.lane % v.n];
		next.columns[c.column][c.lane % v.n] = Object.is(old, -0) ? 0 : -0;
	}
	if (c.kind === 'scalar') next.scalars[c.scalar] = c.value;
	return next;
}

const MODES: Record<string, (bytes?: number) => Lanes> = {
	JavaScript: () => createLanes(),
	WebAssembly: (bytes = 2 ** 20) => {
		const arena = createArena(loadKernels()!, bytes);
		return createLanes(arena.column, arena.arithmetic);
	}
};

interface Compiled {
	lanes: Lanes;
	buffers: Float64Array[];
	hoisted: [number, (v: Float64Array) => number][];
	column: (vars: Float64Array) => Float64Array;
	scalar: (vars: Float64Array) => number;
}

/** An expression compiled as a column (its buffers from `lanes`) and as the scalar closure. */
function compileBoth(text: string, lanes: Lanes): Compiled {
	const columnBuffers = [lanes.alloc(), lanes.alloc()];
	const hoisted: [number, (v: Float64Array) => number][] = [];
	let next = NAMES.length;
	const ctx: ColumnContext = {
		slotOf: (name) => SLOTS.get(name),
		variation: (name) => ((COLUMNS as readonly string[]).includes(name) ? Variation.Column : (STEPS as readonly string[]).includes(name) ? Variation.Step : Variation.Constant),
		column: (name) => {
			const buffer = name === 'model_time' ? lanes.modelTime : name === 'age' ? lanes.age : columnBuffers[name === 'c1' ? 0 : 1];
			return () => buffer;
		},
		lifeTables,
		lanes,
		hoist: (evaluate) => {
			hoisted.push([next, evaluate]);
			return next++;
		}
	};
	const column = compileColumn(text, ctx, 'test').column;
	const scalar = compileExpression(text, { slotOf: ctx.slotOf, lifeTables, path: 'test' }).evaluate;
	return { lanes, buffers: [columnBuffers[0], columnBuffers[1], lanes.modelTime, lanes.age], hoisted, column, scalar };
}

const vars = new Float64Array(VARIABLE_COUNT);
const laneVars = new Float64Array(VARIABLE_COUNT);

/** Evaluates a compiled expression for each set of values in turn; returns the first lane that differs from the scalar closure, or null. */
function firstDifference(c: Compiled, rounds: Values[]): string | null {
	for (let round = 0; round < rounds.length; round++) {
		const v = rounds[round];
		c.lanes.n = v.n;
		v.scalars.forEach((x, j) => (vars[COLUMNS.length + j] = x));
		v.columns.forEach((col, j) => c.buffers[j].set(col));
		for (const [slot, evaluate] of c.hoisted) vars[slot] = evaluate(vars);
		const got = Float64Array.from(c.column(vars).subarray(0, v.n));
		for (let l = 0; l < v.n; l++) {
			laneVars.set(vars);
			for (let j = 0; j < COLUMNS.length; j++) laneVars[j] = v.columns[j][l];
			const want = c.scalar(laneVars);
			if (!Object.is(got[l], want)) return `round ${round}, lane ${l}: column ${got[l]}, scalar ${want}`;
		}
	}
	return null;
}

/** The kinds of operand: a column, a per-step scalar, a per-run constant, a composite per-run part (hoisted), a number. */
const OPERAND_KINDS = ['c1', 'c2', 's1', 'k1', '(k2 * 2)', '0.5'];
const isColumn = (operand: string) => operand === 'c1' || operand === 'c2';

/** Every list of `arity` operand kinds with at least one column. */
function shapes(arity: number): string[][] {
	const all: string[][] = arity === 0 ? [[]] : shapes(arity - 1).flatMap((rest) => OPERAND_KINDS.map((kind) => [kind, ...rest]));
	return all;
}
const withColumn = (arity: number) => shapes(arity).filter((shape) => shape.some(isColumn));

const SHAPED: string[] = [
	...OPERATORS.flatMap((op) => withColumn(2).map(([a, b]) => `(${a}) ${op} (${b})`)),
	...withColumn(1).flatMap(([a]) => [`-(${a})`, `not (${a})`]),
	...withColumn(3).flatMap(([a, b, c]) => [`(${a}) ? (${b}) : (${c})`, `(${a}) < (${b}) <= (${c})`, `(${a}) >= (${b}) != (${c})`]),
	...CALLS.filter(([, arity]) => arity <= 3).flatMap(([name, arity]) => withColumn(arity).map((args) => `${name}(${args.join(', ')})`)),
	// four to six arguments: the first column, at the end, or everywhere, with scalars between
	...CALLS.filter(([, arity]) => arity > 3).flatMap(([name, arity]) =>
		[
			['c1', ...Array.from({ length: arity - 1 }, (_, i) => OPERAND_KINDS[2 + (i % 4)])],
			[...Array.from({ length: arity - 1 }, (_, i) => OPERAND_KINDS[2 + (i % 4)]), 'c2'],
			Array.from({ length: arity }, (_, i) => (i % 2 ? 'c1' : 'c2')),
			Array.from({ length: arity }, (_, i) => OPERAND_KINDS[i % OPERAND_KINDS.length])
		].map((args) => `${name}(${args.join(', ')})`)
	),
	...['"male"', '"female"', 'c2', 'k1', 's1'].flatMap((sex) => ['c1', 'age', 'k1', '(age + c1)'].map((age) => `lifeTable("uk", ${age}, ${sex})`)).filter((t) => /c1|c2|age/.test(t))
];

/** A random expression over every operator, function and kind of operand, up to `depth` levels. */
function expression(depth: number): fc.Arbitrary<string> {
	const leaf = fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom('0', '1', '2', '0.5', '3', '40', '1e308', '1e-300'));
	if (depth === 0) return leaf;
	const sub = fc.constant(null).chain(() => expression(depth - 1));
	return fc.oneof(
		{ arbitrary: leaf, weight: 2 },
		{ arbitrary: fc.tuple(fc.constantFrom(...OPERATORS), sub, sub).map(([op, a, b]) => `(${a}) ${op} (${b})`), weight: 4 },
		{ arbitrary: fc.tuple(fc.constantFrom('-', 'not '), sub).map(([op, a]) => `${op}(${a})`), weight: 1 },
		{ arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `(${c}) ? (${a}) : (${b})`), weight: 1 },
		{
			arbitrary: fc.tuple(fc.constantFrom(...COMPARISONS), fc.constantFrom(...COMPARISONS), sub, sub, sub).map(([p, q, a, b, c]) => `(${a}) ${p} (${b}) ${q} (${c})`),
			weight: 1
		},
		{
			arbitrary: fc.constantFrom(...CALLS).chain(([name, arity]) => fc.array(sub, { minLength: arity, maxLength: arity }).map((args) => `${name}(${args.join(', ')})`)),
			weight: 3
		},
		{ arbitrary: fc.tuple(sub, fc.oneof(fc.constantFrom('"male"', '"female"'), sub.map((share) => `(${share})`))).map(([age, sex]) => `lifeTable("uk", ${age}, ${sex})`), weight: 1 }
	);
}

describe.each(Object.entries(MODES))('column evaluation (%s) is the scalar closure lane by lane, bit for bit', (_, makeLanes) => {
	// compiled once each, as a model's expressions are, then evaluated again and again
	const lanes = makeLanes(2 ** 26);
	const compiled = new Map<string, Compiled>();
	const compiledOnce = (text: string) => compiled.get(text) ?? compiled.set(text, compileBoth(text, lanes)).get(text)!;

	it(`every operator and function in every operand shape (${SHAPED.length} expressions), evaluated again unchanged and changed`, () => {
		fc.assert(
			fc.property(fc.constantFrom(...SHAPED), values, change, change, (text, first, c1, c2) => {
				const second = changed(first, c1);
				expect(firstDifference(compiledOnce(text), [first, first, second, changed(second, c2)]), text).toBeNull();
			}),
			{ seed: FUZZ_SEED, numRuns: 6000 }
		);
	});

	it('random expressions up to four levels deep', () => {
		fc.assert(
			fc.property(expression(4), values, change, (text, first, c) => {
				expect(firstDifference(compileBoth(text, makeLanes()), [first, first, changed(first, c)]), text).toBeNull();
			}),
			{ seed: FUZZ_SEED + 1, numRuns: 600 }
		);
	});

	it('every shaped expression with values at the edges, then with a 0 turned to -0 and a NaN to a number', () => {
		const edge: Values = {
			n: 8,
			columns: [
				[0, -0, NaN, Infinity, -Infinity, 0.5, 1, 1e308],
				[-0, 0, 2, 0.5, NaN, -1, 1e-310, 3],
				[1, 2, 3, 4, 5, 6, 7, 8],
				[28, 30, 31.5, 33, 36, 40, NaN, Infinity]
			],
			scalars: [-1, 0.5, -0, 1]
		};
		const flipped = changed(changed(changed(edge, { kind: 'zero', column: 0, lane: 0 }), { kind: 'zero', column: 1, lane: 1 }), { kind: 'lane', column: 0, lane: 2, value: 3 });
		for (const text of SHAPED) expect(firstDifference(compiledOnce(text), [edge, edge, flipped, flipped, edge]), text).toBeNull();
	});

	it('a remembered result is used only for equal operands: a 0 that becomes -0 (pow(0, -1) is Infinity, pow(-0, -1) is -Infinity)', () => {
		const zero: Values = { n: 2, columns: [[0, 2], [3, 3], [-1, 2], [30, 31]], scalars: [-1, 1, 1, 1] };
		const negativeZero = changed(zero, { kind: 'zero', column: 0, lane: 0 });
		for (const text of ['(c1) ^ (s1)', '(c1) ^ (c2)', 'pow(c1, s1)', '(s1) ^ (c1)', 'exp(-(c1) / (s1))']) {
			const c = compileBoth(text, makeLanes());
			expect(firstDifference(c, [zero, zero, negativeZero, negativeZero, zero]), text).toBeNull();
		}
		const c = compileBoth('(c1) ^ (s1)', makeLanes());
		firstDifference(c, [zero]);
		expect(c.column(vars)[0]).toBe(Infinity);
		firstDifference(c, [negativeZero]);
		expect(c.column(vars)[0]).toBe(-Infinity);
		// a scalar operand: s1 = 0, then -0, with model_time = -1
		const scalarZero: Values = { ...zero, scalars: [0, 1, 1, 1] };
		const scalarNegativeZero: Values = { ...zero, scalars: [-0, 1, 1, 1] };
		const s = compileBoth('(s1) ^ (model_time)', makeLanes());
		expect(firstDifference(s, [scalarZero, scalarNegativeZero, scalarZero, scalarNegativeZero])).toBeNull();
	});

	it('columns of one set of lanes share remembered results: (state_time + 1)^x at one step is state_time^x at the next', () => {
		const shared = makeLanes();
		const now = compileBoth('(s1) ^ (model_time)', shared);
		const next = compileBoth('(s1 + 1) ^ (model_time)', shared);
		const other = compileBoth('(k1) ^ (model_time)', shared);
		const at = (step: number, k1 = 7): Values => ({ n: 3, columns: [[0, 0, 0], [0, 0, 0], [0.5, 1.5, -1], [30, 31, 32]], scalars: [step, k1, 1, 1] });
		for (let step = 0; step < 6; step++) {
			expect(firstDifference(now, [at(step)])).toBeNull();
			expect(firstDifference(next, [at(step)])).toBeNull();
			expect(firstDifference(other, [at(step, step + 1), at(step, -0), at(step, 0)])).toBeNull();
		}
	});
});
