/**
 * Model expressions: every helper function against hand-computed values, the operators and
 * built-in variables, life-table look-up, and the constructs that must be refused.
 * Expected values are worked by hand (e.g. applyOR(0.1, 0.5): odds 1/9 x 0.5 = 1/18, so
 * p = (1/18) / (19/18) = 1/19), not read back from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, parseExpression, type ExpressionContext } from '../../src/lib/engine/model/expressions';
import { lifeTableLookup } from '../../src/lib/engine/model/lifeTable';
import { ModelError, applyHR, applyOR, probToRate, rateToProb, rescaleProb } from '../../src/lib/engine';
import type { LifeTable } from '../../src/lib/engine';

const names = ['p', 'hr', 'model_time', 'age', 'state_time', 'cycle_length'];
const tables: Record<string, LifeTable> = {
	uk: {
		source: { citation: 'Test table (hand-made)' },
		minAge: 50,
		qx: { male: [0.01, 0.02, 0.03], female: [0.005, 0.01, 0.015] }
	}
};
const context: ExpressionContext = {
	slotOf: (name) => (names.includes(name) ? names.indexOf(name) : undefined),
	lifeTables: lifeTableLookup(tables),
	path: 'parameters.x.expression'
};

function evaluate(text: string, values: Partial<Record<(typeof names)[number], number>> = {}): number {
	const vars = new Float64Array(names.length);
	names.forEach((n, i) => (vars[i] = values[n] ?? 0));
	return compileExpression(text, context).evaluate(vars);
}

function refusal(text: string): ModelError {
	try {
		compileExpression(text, context);
	} catch (e) {
		if (e instanceof ModelError) return e;
		throw e;
	}
	throw new Error(`"${text}" compiled but should have been refused`);
}

describe('helper functions, hand-computed', () => {
	it('rateToProb: p = 1 - exp(-r t)', () => {
		expect(rateToProb(0.1)).toBeCloseTo(0.0951625819640405, 14); // e^-0.1 = 0.904837418035960
		expect(rateToProb(0.2, 2)).toBeCloseTo(0.329679953964361, 14); // e^-0.4 = 0.670320046035639
		expect(rateToProb(0)).toBe(0);
		expect(evaluate('rateToProb(0.1)')).toBeCloseTo(0.0951625819640405, 14);
	});
	it('probToRate: r = -ln(1 - p) / t', () => {
		expect(probToRate(0.2)).toBeCloseTo(0.22314355131421, 13); // ln 1.25
		expect(probToRate(0.3, 2)).toBeCloseTo(0.178337471969366, 13); // ln(1/0.7) / 2
		expect(evaluate('probToRate(rateToProb(0.37))')).toBeCloseTo(0.37, 14);
	});
	it('rescaleProb: 1 - (1 - p)^(to / from)', () => {
		expect(rescaleProb(0.19, 1, 0.5)).toBeCloseTo(0.1, 14); // 1 - sqrt(0.81)
		expect(rescaleProb(0.1, 1, 2)).toBeCloseTo(0.19, 14); // 1 - 0.81
		expect(evaluate('rescaleProb(0.36, 12, 6)')).toBeCloseTo(0.2, 14); // 1 - sqrt(0.64)
	});
	it('applyHR: 1 - (1 - p)^hr', () => {
		expect(applyHR(0.36, 0.5)).toBeCloseTo(0.2, 14);
		expect(applyHR(0.1, 2)).toBeCloseTo(0.19, 14);
		expect(evaluate('applyHR(p, hr)', { p: 0.75, hr: 0.5 })).toBeCloseTo(0.5, 14);
	});
	it('applyOR: odds(p) x or back to a probability', () => {
		expect(applyOR(0.2, 2)).toBeCloseTo(1 / 3, 14); // odds 0.25 -> 0.5 -> 1/3
		expect(applyOR(0.1, 0.5)).toBeCloseTo(1 / 19, 14); // odds 1/9 -> 1/18 -> 1/19
		expect(evaluate('applyOR(0.5, 3)')).toBeCloseTo(0.75, 14); // odds 1 -> 3 -> 3/4
	});
	it('combineProbs: 1 - (1 - p1)(1 - p2)', () => {
		expect(evaluate('combineProbs(0.1, 0.2)')).toBeCloseTo(0.28, 14);
		expect(evaluate('combineProbs(0, 0.3)')).toBeCloseTo(0.3, 14);
	});
	it('schedule(t, v1, ..., vn): v_t, the last value after n, the first before 1', () => {
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 1 })).toBe(5);
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 2 })).toBe(7);
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 3 })).toBe(9);
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 40 })).toBe(9);
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 2.7 })).toBe(7);
		expect(evaluate('schedule(model_time, 5, 7, 9)', { model_time: 0 })).toBe(5);
	});
	it('piecewise(x, b1, v1, b2, v2, otherwise): first v with x <= b', () => {
		const f = 'piecewise(age, 60, 1, 70, 2, 3)';
		expect(evaluate(f, { age: 45 })).toBe(1);
		expect(evaluate(f, { age: 60 })).toBe(1);
		expect(evaluate(f, { age: 60.5 })).toBe(2);
		expect(evaluate(f, { age: 70 })).toBe(2);
		expect(evaluate(f, { age: 71 })).toBe(3);
	});
	it('Math helpers', () => {
		expect(evaluate('log(8, 2)')).toBeCloseTo(3, 14);
		expect(evaluate('log(exp(2.5))')).toBeCloseTo(2.5, 14);
		expect(evaluate('log10(1000)')).toBeCloseTo(3, 14);
		expect(evaluate('sqrt(2) ^ 2')).toBeCloseTo(2, 14);
		expect(evaluate('abs(-3) + floor(2.7) + ceil(2.1) + round(2.5)')).toBe(3 + 2 + 3 + 3);
		expect(evaluate('pow(2, 10)')).toBe(1024);
		expect(evaluate('min(4, 2, 8) + max(4, 2, 8)')).toBe(10);
	});
	it('lifeTable(name, age, sex): row of the completed year, clamped at both ends, share-weighted', () => {
		expect(evaluate('lifeTable("uk", age, "male")', { age: 50 })).toBe(0.01);
		expect(evaluate('lifeTable("uk", age, "female")', { age: 51.9 })).toBe(0.01);
		expect(evaluate('lifeTable("uk", age, "male")', { age: 30 })).toBe(0.01); // below the table: first row
		expect(evaluate('lifeTable("uk", age, "male")', { age: 99 })).toBe(0.03); // above: last row
		expect(evaluate('lifeTable("uk", age, 0.4)', { age: 52 })).toBeCloseTo(0.6 * 0.03 + 0.4 * 0.015, 15); // 0.024
	});
});

describe('operators and built-in variables', () => {
	it('arithmetic, precedence and unary minus', () => {
		expect(evaluate('1 + 2 * 3 - 4 / 2')).toBe(5);
		expect(evaluate('-2 ^ 2')).toBe(-4);
		expect(evaluate('(1 + 2) * 3')).toBe(9);
	});
	it('mod is floored, as in R and mathjs (-7 mod 3 = 2)', () => {
		expect(evaluate('7 % 3')).toBe(1);
		expect(evaluate('-7 % 3')).toBe(2);
		expect(evaluate('model_time % 2 == 1 ? 2/3 : 4/3', { model_time: 5 })).toBeCloseTo(2 / 3, 15);
	});
	it('comparisons, logic and the ternary', () => {
		expect(evaluate('model_time <= 2 ? 10 : 20', { model_time: 2 })).toBe(10);
		expect(evaluate('model_time <= 2 ? 10 : 20', { model_time: 3 })).toBe(20);
		expect(evaluate('age > 60 and state_time == 1', { age: 61, state_time: 1 })).toBe(1);
		expect(evaluate('age > 60 or state_time == 1', { age: 40, state_time: 2 })).toBe(0);
		expect(evaluate('not (age >= 65)', { age: 64 })).toBe(1);
		expect(evaluate('1 < 2 < 3')).toBe(1);
		expect(evaluate('3 != 3')).toBe(0);
	});
	it('reads parameters and built-ins from their slots', () => {
		expect(evaluate('p * cycle_length + hr', { p: 0.2, cycle_length: 0.5, hr: 1 })).toBeCloseTo(1.1, 15);
		expect(evaluate('age - model_time', { age: 60, model_time: 3 })).toBe(57);
	});
	it('plain numbers compile to constants', () => {
		expect(compileExpression('0.25', context).constant).toBe(0.25);
		expect(compileExpression(3, context).constant).toBe(3);
		expect(compileExpression('p', context).constant).toBeUndefined();
	});
});

describe('parsed expressions are shared by text', () => {
	it('the same text gives the same tree; a refused text is refused every time, naming where it stands', () => {
		const a = parseExpression('shared_a * (1 - shared_b)', 'parameters.x.expression');
		expect(parseExpression('shared_a * (1 - shared_b)', 'parameters.y.expression')).toBe(a);
		expect([...a.symbols]).toEqual(['shared_a', 'shared_b']);
		expect(parseExpression('shared_a * (1 - shared_c)', 'parameters.x.expression')).not.toBe(a);
		for (const path of ['parameters.p.expression', 'parameters.q.expression']) {
			let error: unknown;
			try {
				parseExpression('shared_a = 2', path);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(ModelError);
			expect((error as ModelError).issues[0].path).toBe(path);
		}
	});
});

describe('refused constructs name the path and the reason', () => {
	it.each([
		['x = 1', 'expression-forbidden', /assignment/],
		['f(x) = x', 'expression-forbidden', /defining a function/],
		['p.constructor', 'expression-forbidden', /property access/],
		['[1, 2]', 'expression-forbidden', /an array/],
		['evaluate("1")', 'expression-forbidden', /unknown function "evaluate"/],
		['q + 1', 'unknown-reference', /unknown name "q"/],
		['1 +', 'expression-syntax', /cannot read expression/],
		['rateToProb()', 'expression-type', /takes 1 to 2 arguments/],
		['piecewise(age, 60, 1, 2, 3)', 'expression-type', /even number of arguments/],
		['lifeTable("nowhere", age, "male")', 'unknown-reference', /no life table named "nowhere"/],
		['lifeTable("uk", age, "other")', 'expression-type', /sex must be/],
		['"text" + 1', 'expression-type', /only allowed as lifeTable/]
	])('%s', (text, code, message) => {
		const error = refusal(text);
		expect(error.path).toBe('parameters.x.expression');
		expect(error.code).toBe(code);
		expect(error.message).toMatch(message);
	});
});
