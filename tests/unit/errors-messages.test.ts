/**
 * The quality of error messages for the mistakes analysts actually make: each must say where (a
 * path a UI can put the message beside), what (the value, the cycle, the strategy) and what was
 * expected. The expected numbers are worked out by hand from models/hiv-chancellor.json
 * (Chancellor 1997 inputs), not read from the engine.
 */
import { describe, it, expect } from 'vitest';
import { compile, compileJson, createRunner } from '../../src/lib/engine';
import { expectModelError, loadAndRun, shippedModels } from './fuzz-support';

const hiv = shippedModels().find((m) => m.file === 'hiv-chancellor.json') as { text: string; data: Record<string, any> };
const model = () => structuredClone(hiv.data);
const runner = () => createRunner(compile(hiv.data));

describe('error messages name the culprit', () => {
	it('a transition row not summing to 1 names strategy, state, cycle and the sum', () => {
		const m = model();
		// monotherapy, from A: 0.5 + tpAB 0.202 + tpAC 0.067 + tpAD 0.010 = 0.779
		m.strategies[0].transitions.A.A = 0.5;
		const error = expectModelError(() => compile(m));
		expect(error.path).toBe('strategies.mono.transitions.A');
		expect(error.code).toBe('probability-sum');
		expect(error.message).toMatch(/sum to 0\.779\b/);
		expect(error.message).toMatch(/at cycle 1\b/);
		expect(error.message).toMatch(/expected 1/);
		expect(error.message).toMatch(/"C"/); // says how to fix it
	});

	it('a probability that grows past 1 names the first cycle where the complement goes negative', () => {
		const m = model();
		// A -> B = min(1, 0.1 t): at t = 9 the others sum to 0.9 + 0.067 + 0.010 = 0.977 (fine);
		// at t = 10 to 1.077, so the complement "C" of A -> A is 1 - 1.077 = -0.077
		m.strategies[0].transitions.A.B = 'min(1, 0.1 * model_time)';
		const error = expectModelError(() => compile(m));
		expect(error.path).toBe('strategies.mono.transitions.A.A');
		expect(error.code).toBe('probability-range');
		expect(error.message).toMatch(/-0\.077\b/);
		expect(error.message).toMatch(/at cycle 10\b/);
		expect(error.message).toMatch(/complement/);
	});

	it('a negative cost in the file names the parameter and says a cost cannot be negative', () => {
		const m = model();
		m.parameters.cDirectA.value = -100;
		delete m.parameters.cDirectA.low;
		delete m.parameters.cDirectA.high;
		const error = expectModelError(() => compile(m));
		const i = error.issues.find((x) => x.path === 'parameters.cDirectA');
		expect(i, error.message).toBeDefined();
		expect(i?.code).toBe('parameter-range');
		expect(i?.message).toMatch(/-100/);
		expect(i?.message).toMatch(/cost of at least 0/);
	});

	it('a negative cost typed in by the user names parameters.<id>', () => {
		const error = expectModelError(() => runner().compiled, { parameters: { cDirectA: -5 } });
		expect(error.path).toBe('parameters.cDirectA');
		expect(error.message).toMatch(/-5 is not a cost of at least 0/);
	});

	it('a probability of 1.5 passed to runner.run names parameters.<id> and the range', () => {
		const error = expectModelError(() => runner().compiled, { parameters: { tpAB: 1.5 } });
		expect(error.issues).toHaveLength(1);
		expect(error.path).toBe('parameters.tpAB');
		expect(error.code).toBe('invalid-override');
		expect(error.message).toMatch(/1\.5 is not a probability in \[0, 1\]/);
	});

	it('NaN and text typed in by the user are named as such, not as "null"', () => {
		const nan = expectModelError(() => runner().compiled, { parameters: { tpAB: NaN } });
		expect(nan.path).toBe('parameters.tpAB');
		expect(nan.message).toMatch(/got NaN/);
		const text = expectModelError(() => runner().compiled, { parameters: { tpAB: '0.2' as unknown as number } });
		expect(text.message).toMatch(/expected a number, got "0\.2"/);
	});

	it('text in a number field of the file names the field and the types', () => {
		const m = model();
		m.parameters.tpAB.value = '0.202';
		m.horizon = '20';
		const error = expectModelError(() => compile(m));
		const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
		expect(byPath.get('parameters.tpAB.value')).toMatch(/expected number, received string/);
		expect(byPath.get('horizon')).toMatch(/expected number, received string/);
	});

	it('a misspelt field is reported at the misspelt name, with the missing one beside it', () => {
		const m = model();
		m.horizn = m.horizon;
		delete m.horizon;
		const error = expectModelError(() => compile(m));
		const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
		expect(byPath.get('horizn')).toBe('unknown field "horizn"');
		expect(byPath.get('horizon')).toMatch(/required field is missing/);
	});

	it('an unknown name in an expression is quoted, at the expression', () => {
		const m = model();
		m.strategies[1].transitions.A.B = 'tpAX * rrNow';
		const error = expectModelError(() => compile(m));
		expect(error.path).toBe('strategies.comb.transitions.A.B');
		expect(error.message).toMatch(/unknown name "tpAX"/);
	});

	it('starting shares that do not sum to 1 name the strategy and the sum', () => {
		const m = model();
		m.strategies[1].start = { A: 0.6, B: 0.3 };
		const error = expectModelError(() => compile(m));
		expect(error.path).toBe('strategies.comb.start');
		expect(error.message).toMatch(/sum to 0\.9\b/);
	});

	it('a file saved with a byte-order mark loads like one without', () => {
		const plain = loadAndRun(() => compileJson(hiv.text));
		const bom = loadAndRun(() => compileJson('\uFEFF' + hiv.text));
		if (plain.kind !== 'result' || bom.kind !== 'result') throw new Error('both must load');
		expect(bom.result.strategies.map((s) => s.discounted.cost)).toEqual(plain.result.strategies.map((s) => s.discounted.cost));
	});

	it('a file that is not JSON says so, with the parser position', () => {
		const error = expectModelError(() => compileJson('{ "formatVersion": 1, }'));
		expect(error.path).toBe('');
		expect(error.message).toMatch(/^not valid JSON: .*(position|line|column)/i);
	});
});
