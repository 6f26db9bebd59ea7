/**
 * Issue 17, points 9 and 11: what the engine used to accept without a word is now an error
 * naming the field or, where a modeller might mean it, a warning the CLI and the app show; and
 * control characters in a model cannot reach a terminal or a message raw.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, createRunner, ModelError, quoteControl, MAX_WILLINGNESS_TO_PAY, type ModelInput } from '../../src/lib/engine';
import { inputIssues } from '../../src/lib/state/inputs';

const hiv = (): ModelInput & Record<string, any> => JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));
const age = (): ModelInput & Record<string, any> => JSON.parse(readFileSync('models/sick-sicker-age.json', 'utf8'));

function issues(f: () => unknown) {
	try {
		f();
	} catch (e) {
		if (e instanceof ModelError) return e.issues;
		throw e;
	}
	return [];
}

describe('point 11: refused, naming the field', () => {
	it('a state utility above 1 (full health)', () => {
		const m = hiv();
		m.states[0].utility = 1.5;
		expect(issues(() => compile(m))).toEqual([expect.objectContaining({ path: 'states.A.utility', message: 'a utility of 1.5 is more than full health (1); a QALY weight is at most 1' })]);
	});

	it('a dead state with moves out (it used to add 10 life years: 7.98 became 18.24)', () => {
		const m = hiv();
		m.strategies[0].transitions.D = { D: 'C', A: 0.5 };
		const i = issues(() => compile(m));
		expect(i.map((x) => x.path)).toEqual(['strategies.mono.transitions.D.A']);
		expect(i[0].message).toMatch(/^"D" is a dead state, which nobody leaves/);
		// an explicit 0 is no move, and stays accepted
		const ok = hiv();
		ok.strategies[0].transitions.D = { D: 1, A: 0 };
		expect(issues(() => compile(ok))).toEqual([]);
	});

	it('a life-table female share outside [0, 1]: a constant at compile, a computed one as not finite at run', () => {
		const m = age();
		const at = Object.entries(m.parameters).find(([, p]) => /lifeTable\(/.test(String((p as { expression?: string }).expression)))!;
		(m.parameters[at[0]] as { expression: string }).expression = 'lifeTable("usa2015", age, 2)';
		expect(issues(() => compile(m))).toEqual([expect.objectContaining({ path: `parameters.${at[0]}.expression`, message: expect.stringContaining('the female share must be from 0 to 1, not 2') })]);
		(m.parameters[at[0]] as { expression: string }).expression = 'lifeTable("usa2015", age, 1 + model_time / 100)';
		const run = issues(() => createRunner(compile(m)).run());
		expect(run[0]).toMatchObject({ path: `parameters.${at[0]}`, code: 'not-finite' });
	});

	it('a willingness to pay of 1e308 (NMB overflowed to null), in the file, an override and the app inputs', () => {
		const m = hiv();
		m.willingnessToPay = 1e308;
		expect(issues(() => compile(m))[0]).toMatchObject({ path: 'willingnessToPay' });
		const runner = createRunner(compile(hiv()));
		expect(issues(() => runner.run({ settings: { willingnessToPay: 1e308 } }))[0]).toMatchObject({ path: 'settings.willingnessToPay' });
		expect(issues(() => runner.run({ settings: { willingnessToPay: MAX_WILLINGNESS_TO_PAY } }))).toEqual([]);
		expect(inputIssues(compile(hiv()).model, { modelId: 'hiv-chancellor', parameters: {}, settings: { willingnessToPay: 1e308 } })[0]).toMatchObject({ path: 'settings.willingnessToPay' });
	});

	it('"50% + 1" (read by mathjs as 50 modulo +1 = 0, while 50% is 0.5) and implicit multiplication "2 rr"', () => {
		for (const [expr, says] of [
			['50% + 1', '"%" followed by a sign is ambiguous'],
			['50 % -1', '"%" followed by a sign is ambiguous'],
			['2 rr', 'implicit multiplication is not allowed'],
			['2 (rr)', 'implicit multiplication is not allowed'],
			['(rr)(2)', 'implicit multiplication is not allowed']
		]) {
			const m = hiv();
			m.parameters.rrNow.expression = expr;
			expect(issues(() => compile(m)), expr).toEqual([expect.objectContaining({ path: 'parameters.rrNow.expression', code: 'expression-syntax', message: expect.stringContaining(says) })]);
		}
		// what stays accepted: a percentage alone, and % as a remainder between two operands
		for (const expr of ['rr * 100%', 'model_time % 2 == 1 ? rr : 1', '2 * rr / 2']) {
			const m = hiv();
			m.parameters.rrNow.expression = expr;
			expect(issues(() => compile(m)), expr).toEqual([]);
		}
	});
});

describe('point 11: warned, where a modeller might mean it', () => {
	it('ages past the end of a life table are a warning naming the table, the age reached and the last age', () => {
		const m = age();
		expect(compile(m).warnings).toEqual([]);
		m.horizon = 100; // 25 + 99 years: age 124, past the table's 110
		const w = compile(m).warnings;
		expect(w).toEqual([expect.objectContaining({ path: 'lifeTables.usa2015', message: expect.stringContaining('the cohort reaches age 124 (start age 25, 100 cycles of 1 years); this table ends at age 110') })]);
	});
});

describe('point 9: control characters are quoted in every message', () => {
	it('quoteControl writes C0, DEL, C1 and bidirectional controls as escapes; newlines kept only when asked', () => {
		expect(quoteControl('a\u001b[2Jb\nc\td\u0085e\u202ef')).toBe('a\\u001b[2Jb\\nc\\td\\u0085e\\u202ef');
		expect(quoteControl('a\nb\u0007', true)).toBe('a\nb\\u0007');
	});

	it('a ModelError quoting an expression with an escape sequence and a forged line holds neither', () => {
		const m = hiv();
		m.parameters.rrNow.expression = 'rr \u001b[2J\nmodels/ms.json: valid';
		const i = issues(() => compile(m));
		expect(i).toHaveLength(1);
		expect(i[0].message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
		expect(i[0].message).toContain('rr \\u001b[2J\\nmodels/ms.json: valid');
	});
});
