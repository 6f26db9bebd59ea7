/**
 * The parser-only mathjs instance (src/lib/engine/model/mathParser.ts) must read text exactly as
 * a mathjs instance made from `parseDependencies` does (the instance the engine used before):
 * the same syntax tree, node by node (types, operators, fn names, values, implicit and percentage
 * flags), and the same error for text it cannot read. Checked on every expression of the shipped
 * models, on chosen odd inputs (numbers in other bases, units, strings, accessors, ranges...), and
 * on random token soup (seed FUZZ_SEED).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { create, parseDependencies, type MathNode } from 'mathjs';
import { parseMath } from '../../src/lib/engine/model/mathParser';
import { FUZZ_SEED, shippedModels } from './fuzz-support';

const reference = create({ parseDependencies }, {});

/** The tree as JSON (mathjs's toJSON of every node), or the error's type and message. */
function reading(parse: (text: string) => MathNode, text: string): string {
	try {
		return JSON.stringify(parse(text));
	} catch (error) {
		return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `thrown ${String(error)}`;
	}
}

const same = (text: string) => expect(reading(parseMath, text), text).toBe(reading((t) => reference.parse(t), text));

/** Every string value of a parsed model file (expressions among them; other text parses too). */
function stringsOf(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
	else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
	return out;
}

describe('the parser-only mathjs instance reads text as the parseDependencies instance does', () => {
	it('every string of the shipped models', () => {
		const texts = [...new Set(shippedModels().flatMap((m) => stringsOf(m.data)))];
		expect(texts.length).toBeGreaterThan(500);
		for (const text of texts) same(text);
	});

	it('chosen odd inputs: bases, exponents, units, strings, constants, accessors, ranges, assignments, syntax errors', () => {
		const odd = [
			'a + b * 2', '0x1F + 0b101 + 0o17', '0x1Fi8', '1e3', '1e500', '-1e-400', '.5', '5.', '1_000', 'NaN', 'Infinity', '-Infinity',
			'true', 'false', 'null', 'undefined', 'pi', 'e', 'i', '2i', 'cm', '5 cm', '5 cm to inch', '2 rr', '50%', '50% + 1', '5!', "a'",
			'a ?? b', 'x ? 1 : 2', 'a < b <= c', 'a == b != c', 'f(x)[1]', 'a.b', 'a?.b', 'a["b"]', '{a: 1}', '[1, 2; 3, 4]', '1:3', '1:2:9',
			'x = 2', 'f(x) = 2', 'a; b', 'a\nb', "'s'", '"uk"', '"a\\"b"', 'lifeTable("uk", age, "female")', 'not a', 'a and b or c xor d',
			'a & b | c', 'a << 2 >> 1 >>> 3', 'a mod b', '-(-a)', '+a', '2^3^2', 'a .* b ./ c', '(((a)))', '', ' ', '(', ')', '1 +', '* 2',
			'a b c', '"unterminated', '0x', '1e', '@', '#', '$x', 'x_1 + _y', 'ä + β', 'a\u00a0+ b'
		];
		for (const text of odd) same(text);
	});

	it('random token soup', () => {
		const tokens = ['(', ')', ',', '?', ':', '+', '-', '*', '/', '^', '!', "'", '"', '.', '=', ';', ' ', '[', ']', '{', '}', '%', '1', '0', '2.5', '1e308', '0x1F', 'NaN', 'p', 'q', 'cm', 'to', 'in', 'mod', 'and', 'not', '==', '<=', '&', '|', '<<', 'i', 'true', 'null', 'exp', 'lifeTable', '"uk"'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 12 }), (parts) => {
				const text = parts.join('');
				return reading(parseMath, text) === reading((t) => reference.parse(t), text);
			}),
			{ seed: FUZZ_SEED, numRuns: 3000 }
		);
	});
});
