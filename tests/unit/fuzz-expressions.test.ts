/**
 * Fuzz tests of the expression layer alone (compileExpression): random text and random token
 * soup either compile to an evaluator that reads only numbers from the variable array and
 * returns a number, or are refused with a ModelError at the expression's path. And the parser's
 * own recursion: when mathjs runs out of stack (a smaller stack, as in a Web Worker, or deep
 * unbracketed chains), the user still gets a ModelError, not "RangeError: Maximum call stack
 * size exceeded".
 *
 * Seed FUZZ_SEED; case counts in NUM_RUNS.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ModelError } from '../../src/lib/engine';
import { compileExpression, parseAndCheck, type ExpressionContext } from '../../src/lib/engine/expressions';
import { FUZZ_SEED, assertCleanModelError } from './fuzz-support';

const NUM_RUNS = { tokens: 1500, text: 200 };

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
