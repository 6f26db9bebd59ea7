/**
 * Fuzz tests of the expression layer alone (compileExpression): random text and random token
 * soup either compile to an evaluator that reads only numbers from the variable array and
 * returns a number, or are refused with a ModelError at the expression's path. And the parser's
 * own recursion: when mathjs runs out of stack (a smaller stack, as in a Web Worker, or deep
 * unbracketed chains), the user still gets a ModelError, not "RangeError: Maximum call stack
 * size exceeded".
 *
 * And every function of the expression language, called with NaN, infinities, huge, negative,
 * tiny and non-integer arguments inside a model, through compile, run and a small PSA: each case
 * ends in a finite result or a ModelError naming its path, counted and printed.
 *
 * Seed FUZZ_SEED; case counts in NUM_RUNS.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compile, createRunner, runPsa, FUNCTIONS, ModelError, type ModelInput } from '../../src/lib/engine';
import { compileExpression, parseAndCheck, type ExpressionContext } from '../../src/lib/engine/model/expressions';
import { FUZZ_SEED, assertCleanModelError, assertFiniteResult } from './fuzz-support';

const NUM_RUNS = { tokens: 1500, text: 200, functions: 5000 };

const NAMES = ['p', 'q', 'constructor', 'model_time', 'age', 'state_time', 'cycle_length'];
const slots = new Map(NAMES.map((n, i) => [n, i]));
const PATH = 'strategies.s.transitions.a.b';
const ctx: ExpressionContext = {
	slotOf: (n) => slots.get(n),
	lifeTables: { indexOf: (n) => (n === 'uk' ? 0 : -1), qx: (_t, age) => Math.min(1, Math.max(0, age / 200)) },
	path: PATH
};

const TOKENS = [
	'(', ')', ',', '?', ':', '+', '-', '*', '/', '^', '!', "'", '"', '.', '=', ';', ' ', '[', ']', '{', '}', '1', '0', '2.5',
	'1e308', '1e-308', 'NaN', 'Infinity', 'p', 'q', 'constructor', 'model_time', 'age', 'state_time', 'cycle_length',
	'exp', 'log', 'log10', 'sqrt', 'abs', 'floor', 'ceil', 'round', 'pow', 'min', 'max', 'rateToProb', 'probToRate',
	'rescaleProb', 'applyHR', 'applyOR', 'combineProbs', 'schedule', 'piecewise', 'lifeTable', '"uk"', '"male"', '"female"',
	'import', 'evaluate', 'parse', 'createUnit', '__proto__', 'toString', 'globalThis', 'this', 'cm', 'to', 'in', 'mod',
	'and', 'or', 'not', 'xor', '==', '!=', '<', '<=', '>', '>=', '&', '|', '<<', '>>', 'i', 'e', 'pi', 'true', 'false', 'null'
];

const variableValues = fc.array(fc.oneof(fc.double(), fc.constantFrom(0, 1, 0.5, -1, 40, 1e308)), {
	minLength: NAMES.length,
	maxLength: NAMES.length
});

/** Compiles; if it compiles, evaluates on a watched Float64Array. Throws on any unclean outcome. */
function checkExpression(text: string, values: number[]): 'compiled' | 'refused' {
	let evaluate: (v: Float64Array) => number;
	try {
		evaluate = compileExpression(text, ctx).evaluate;
	} catch (e) {
		assertCleanModelError(e);
		for (const i of e.issues) if (i.path !== PATH) throw new Error(`issue at "${i.path}", expected "${PATH}": ${i.message}`);
		return 'refused';
	}
	const reads: (string | symbol)[] = [];
	const writes: (string | symbol)[] = [];
	const vars = new Proxy(Float64Array.from(values), {
		get(t, key) {
			reads.push(key);
			return Reflect.get(t, key);
		},
		set(_t, key) {
			writes.push(key);
			return false;
		}
	});
	const v = evaluate(vars);
	if (typeof v !== 'number') throw new Error(`"${text}" evaluated to a ${typeof v}`);
	for (const key of reads)
		if (typeof key !== 'string' || !/^\d+$/.test(key) || Number(key) >= NAMES.length)
			throw new Error(`"${text}" read ${String(key)} from the variables`);
	if (writes.length) throw new Error(`"${text}" wrote ${writes.map(String).join(', ')} to the variables`);
	return 'compiled';
}

describe('random expressions compile to number-only evaluators or are refused at their path', () => {
	it(`token soup (${NUM_RUNS.tokens} cases)`, () => {
		const seen = { compiled: 0, refused: 0 };
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 25 }), variableValues, (tokens, values) => {
				seen[checkExpression(tokens.join(''), values)]++;
				seen[checkExpression(tokens.join(' '), values)]++;
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.tokens }
		);
		// both ends reached, or the property proves little
		expect(seen.compiled).toBeGreaterThan(50);
		expect(seen.refused).toBeGreaterThan(50);
	});

	it(`arbitrary text, including control characters and other scripts (${NUM_RUNS.text} cases)`, () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), (text) => {
				checkExpression(text, [0.5, 0.2, 40, 3, 52, 2, 1]);
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.text }
		);
	});
});

describe('running out of stack inside the mathjs parser is a ModelError', () => {
	/** Calls f with about `frames` stack frames already in use. */
	function withStackUsed(frames: number, f: () => void): number {
		if (frames > 0) return withStackUsed(frames - 1, f) + 1;
		f();
		return 0;
	}

	it.each([
		['3,999 unary minus signs', '-'.repeat(3_999) + '1'],
		['1,999 chained powers', '2^'.repeat(1_999) + '1'],
		['200 nested parentheses (the most allowed)', '('.repeat(200) + '1' + ')'.repeat(200)]
	])('%s, parsed with less and less stack left', (_name, text) => {
		const outcomes: string[] = [];
		for (let frames = 0; frames < 200_000; frames += 250) {
			let outcome = '';
			try {
				withStackUsed(frames, () => {
					try {
						parseAndCheck(text, PATH);
						outcome = 'parsed';
					} catch (e) {
						if (!(e instanceof ModelError)) outcome = `other: ${(e as Error).name}`;
						else if (e.path !== PATH) outcome = `wrong path: ${e.path}`;
						else outcome = /too deeply to read/.test(e.message) ? 'stack' : /deeper than/.test(e.message) ? 'depth' : `other: ${e.message}`;
					}
				});
			} catch {
				break; // the padding itself ran out of stack: nothing left to test
			}
			outcomes.push(outcome);
			// at the very edge even calling parseAndCheck can fail; stop at the first such case
			if (outcome.startsWith('other')) break;
		}
		const firstStack = outcomes.indexOf('stack');
		expect(firstStack, outcomes.join(', ')).toBeGreaterThan(0);
		// before the parser ran out of stack, the result was the ordinary one
		expect(new Set(outcomes.slice(0, firstStack)).size).toBe(1);
		expect(['parsed', 'depth']).toContain(outcomes[0]);
		expect(outcomes.slice(0, firstStack).some((o) => o.startsWith('other') || o.startsWith('wrong'))).toBe(false);
	});
});

// ---------------------------------------------------------------- every function inside a model

/** Argument texts: NaN (0 / 0, log(-1)), infinities, the largest and smallest doubles, negatives, non-integers, built-ins. */
const HOSTILE_ARGUMENTS = [
	'0', '1', '-1', '0.5', '2.7', '-2.5', '1e308', '-1e308', '1e308 * 10', '-1e308 * 10', '0 / 0', 'log(-1)', '1 / 0', '-1 / 0',
	'1e-320', '2400', '2401', '1e15 + 0.5', 'model_time', 'age', 'state_time', 'p', 'p - 1', 'model_time / 3', '-model_time'
];
const FUNCTION_NAMES = [...Object.keys(FUNCTIONS), 'lifeTable'];
/** where the call is placed (a tunnel state only when it reads state_time, so the PSA also runs batched): a parameter's expression, a state cost, a utility, a transition */
const PLACES = ['parameters.x.expression', 'states.sick.costs.care', 'states.sick.utility', 'strategies.a.transitions.sick.dead'] as const;

function functionModel(call: string, place: (typeof PLACES)[number]): ModelInput {
	const at = <T>(p: (typeof PLACES)[number], otherwise: T): string | T => (place === p ? call : otherwise);
	return {
		formatVersion: 1,
		id: 'functions',
		title: 'One function call',
		description: 'A two-state model holding one call of an expression function.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 5,
		startAge: 60,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		cycleCorrection: 'half-cycle',
		willingnessToPay: 20000,
		costCategories: [{ id: 'care', label: 'Care' }],
		parameters: {
			p: { value: 0.3, kind: 'probability', unit: 'probability', description: 'p', group: 'g', assumption: 'test', distribution: { type: 'beta', se: 0.05 } },
			x: { expression: at('parameters.x.expression', '0.1'), kind: 'other', unit: 'GBP', description: 'x', group: 'g', assumption: 'test' }
		},
		lifeTables: { uk: { source: { citation: 'a test table' }, minAge: 50, qx: { male: [0.01, 0.02, 0.03], female: [0.005, 0.01, 0.02] } } },
		states: [
			{ id: 'sick', label: 'Sick', ...(call.includes('state_time') ? { tunnel: 3 } : {}), costs: { care: at('states.sick.costs.care', 'x') }, utility: at('states.sick.utility', 0.7) },
			{ id: 'dead', label: 'Dead', dead: true, costs: { care: 0 }, utility: 0 }
		],
		strategies: [{ id: 'a', label: 'A', description: 'a', start: { sick: 1 }, transitions: { sick: { sick: 'C', dead: at('strategies.a.transitions.sick.dead', 'p * 0.1') }, dead: { dead: 1 } } }]
	} as ModelInput;
}

const argument: fc.Arbitrary<string> = fc.oneof(
	{ weight: 4, arbitrary: fc.constantFrom(...HOSTILE_ARGUMENTS) },
	{ weight: 1, arbitrary: fc.double().map((d) => (Number.isFinite(d) ? String(d) : d > 0 ? '1 / 0' : d < 0 ? '-1 / 0' : '0 / 0')) }
);

/** A call with an arity the function accepts (mostly) or not (sometimes), arguments possibly calls themselves. */
const functionCall: fc.Arbitrary<string> = fc.letrec<{ call: string }>((tie) => ({
	call: fc.constantFrom(...FUNCTION_NAMES).chain((name) => {
		const inner = fc.oneof({ weight: 5, arbitrary: argument }, { weight: 1, arbitrary: tie('call') });
		if (name === 'lifeTable')
			return fc.tuple(inner, fc.oneof(inner, fc.constantFrom('"male"', '"female"'))).map(([a, s]) => `lifeTable("uk", ${a}, ${s})`);
		const spec = FUNCTIONS[name];
		const arity = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: spec.minArgs, max: Math.min(spec.maxArgs, 6) }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) });
		return arity.chain((n) => fc.array(inner, { minLength: n, maxLength: n })).map((args) => `${name}(${args.join(', ')})`);
	})
})).call;

describe('every expression function, with hostile arguments, through compile, run and PSA', () => {
	it(`ends in a finite result or a ModelError naming the call's path (${NUM_RUNS.functions} cases)`, () => {
		const counts = { cases: 0, finished: 0, results: 0, modelErrors: 0, otherExceptions: 0 };
		const byFunction = new Map<string, number>();
		const ran = (f: () => void, place: string): void => {
			try {
				f();
				counts.results++;
			} catch (e) {
				if (!(e instanceof ModelError)) counts.otherExceptions++;
				assertCleanModelError(e);
				// a problem the call causes is reported where the call is (or where its value is used)
				if (!e.issues.some((i) => i.path.startsWith(place) || i.path.startsWith('parameters.x') || i.path.startsWith('strategies.a')))
					throw new Error(`issue at ${e.issues.map((i) => i.path).join(', ')} for a call at ${place}`);
				counts.modelErrors++;
			}
		};
		fc.assert(
			fc.property(functionCall, fc.constantFrom(...PLACES), (call, place) => {
				counts.cases++;
				const name = call.slice(0, call.indexOf('('));
				byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
				ran(() => assertFiniteResult(createRunner(compile(functionModel(call, place))).run()), place);
				ran(() => {
					const r = runPsa(compile(functionModel(call, place)), { iterations: 3, seed: 1 });
					for (const a of [r.cost, r.qaly]) for (const v of a) if (!Number.isFinite(v)) throw new Error(`PSA gave ${v} for ${call}`);
				}, place);
				counts.finished++;
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.functions }
		);
		const hangs = counts.cases - counts.finished;
		console.log(
			`expression-function fuzz: ${counts.cases} calls x (run + PSA): ${counts.results} results, ${counts.modelErrors} ModelErrors with a path, ` +
				`${counts.otherExceptions} other exceptions, ${hangs} hangs; calls per function: ${[...byFunction].map(([f, n]) => `${f} ${n}`).join(', ')}`
		);
		expect(counts.otherExceptions).toBe(0);
		expect(hangs).toBe(0);
		expect(counts.cases).toBeGreaterThanOrEqual(5000);
		// both ends reached, and every function called
		expect(counts.results).toBeGreaterThan(1000);
		expect(counts.modelErrors).toBeGreaterThan(1000);
		expect(byFunction.size).toBe(FUNCTION_NAMES.length);
	});
});
