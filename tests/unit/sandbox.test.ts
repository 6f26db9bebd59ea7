/**
 * The expression sandbox: a model file is data, possibly from someone untrusted (an emailed
 * model), and its expressions must not be able to run code. Each `it` below names one threat
 * (T1..T17, listed with their mitigations in docs/security.md) and proves it is blocked with a
 * ModelError naming the field the expression came from.
 *
 * How it is blocked (src/lib/engine/model/expressions.ts): mathjs is used only to parse; the tree is
 * walked once and only numbers, whitelisted operators, the functions in functions.ts (own keys
 * only) and the model's own variable names become closures over a Float64Array. There is no
 * mathjs instance to call, no property access, and nothing is evaluated by mathjs.
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { compile, compileJson, createRunner, FUNCTIONS, type ModelErrorCode } from '../../src/lib/engine';
import { compileExpression, type ExpressionContext } from '../../src/lib/engine/model/expressions';
import { expectModelError, loadAndRun, shippedModels } from './fuzz-support';

const hiv = shippedModels().find((m) => m.file === 'hiv-chancellor.json')?.data as Record<string, any>;
const PATH = 'states.A.costs.direct';

/** Puts the expression in state A's direct cost and asserts it is refused, at that path only. */
function blocked(expression: string, code: ModelErrorCode, message?: RegExp): void {
	const model = structuredClone(hiv);
	model.states[0].costs = { direct: expression };
	const error = expectModelError(() => compile(model));
	expect(error.issues.map((i) => i.path), expression).toEqual([PATH]);
	expect(error.code, `${expression}: ${error.message}`).toBe(code);
	if (message) expect(error.message, expression).toMatch(message);
}

const UNKNOWN_FUNCTION = /unknown function/;

// Traps that would show an escape: a global the expression could read, network calls, pollution.
const probes = { fetch: vi.fn(), XMLHttpRequest: vi.fn(), WebSocket: vi.fn(), importScripts: vi.fn() };
const saved: Record<string, unknown> = {};
beforeAll(() => {
	for (const [name, fn] of Object.entries({ ...probes, __sandboxProbe: 42 })) {
		saved[name] = (globalThis as Record<string, unknown>)[name];
		(globalThis as Record<string, unknown>)[name] = fn;
	}
});
afterAll(() => {
	for (const [name, v] of Object.entries(saved)) (globalThis as Record<string, unknown>)[name] = v;
});

describe('expression sandbox: each threat is blocked with an error naming the field', () => {
	it('T1 mathjs import() cannot add or override functions', () => {
		blocked('import({exp: 1}, {override: true})', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('import("fs")', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T2 evaluate() cannot run further mathjs text', () => {
		blocked('evaluate("1")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('evaluate("import({}, {override: true})")', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T3 parse() and compile() cannot build new expressions at run time', () => {
		blocked('parse("1")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('compile("1")', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T4 createUnit() cannot change the shared mathjs instance', () => {
		blocked('createUnit("x")', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T5 symbolic functions (simplify, derivative, resolve, rationalize) are unreachable', () => {
		blocked('simplify("x")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('derivative("x^2", "x")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('resolve("x")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('rationalize("1/x")', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T6 variable assignment cannot overwrite a parameter or a built-in', () => {
		blocked('a = 1', 'expression-forbidden', /assignment/);
		blocked('tpAB = 1', 'expression-forbidden', /assignment/);
		blocked('model_time = 5', 'expression-forbidden', /assignment/);
		blocked('tpAB.x = 1', 'expression-forbidden', /assignment/);
		blocked('f = exp', 'expression-forbidden', /assignment/);
	});

	it('T7 function definition cannot create callable code', () => {
		blocked('f(x) = x', 'expression-forbidden', /defining a function/);
		blocked('x => 1', 'expression-syntax');
		blocked('function(){}', 'expression-syntax');
	});

	it('T8 the global object (globalThis, window, self, global, process, require, this) is out of reach', () => {
		for (const name of ['globalThis', 'window', 'self', 'global', 'process', 'this', 'Function', 'eval'])
			blocked(name, 'unknown-reference', /unknown name/);
		// a global that exists in this very process is still unknown to the expression
		expect((globalThis as Record<string, unknown>).__sandboxProbe).toBe(42);
		blocked('__sandboxProbe', 'unknown-reference', /unknown name/);
		blocked('require("fs")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('eval("1")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('process.exit(1)', 'expression-forbidden', /computed function/);
	});

	it('T9 prototype properties (constructor, __proto__, toString, valueOf) are neither names nor functions', () => {
		for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'])
			blocked(name, 'unknown-reference', /unknown name/);
		// "name in FUNCTIONS" would have found these on Object.prototype: the lookup is by own key
		for (const call of ['toString(1)', 'valueOf(1)', 'hasOwnProperty("x")', 'constructor(1)', '__defineGetter__("a", 1)', 'isPrototypeOf(1)'])
			blocked(call, 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('tpAB.constructor', 'expression-forbidden', /property access/);
		blocked('tpAB["constructor"]', 'expression-forbidden', /property access/);
		blocked('tpAB?.constructor', 'expression-forbidden', /property access/);
		blocked('constructor("return process")()', 'expression-syntax');
		expect(Object.hasOwn(FUNCTIONS, 'toString')).toBe(false);
	});

	it('T10 indexing, objects and ranges cannot reach properties', () => {
		blocked('[1,2][1]', 'expression-forbidden', /property access or indexing/);
		blocked('tpAB[1]', 'expression-forbidden', /property access or indexing/);
		blocked('{a: 1}', 'expression-forbidden', /an object/);
		blocked('{a: 1}.a', 'expression-forbidden', /property access/);
		blocked('1:3', 'expression-forbidden', /a range/);
		blocked('1; 2', 'expression-forbidden', /several statements/);
		blocked('1\n2', 'expression-forbidden', /several statements/);
	});

	it('T11 matrices and arrays are refused (no mathjs matrix code runs)', () => {
		blocked('[1,2]', 'expression-forbidden', /an array/);
		blocked('[1,2;3,4]', 'expression-forbidden', /an array/);
		blocked('matrix([1])', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('ones(2)', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('det([[1]])', 'expression-forbidden', UNKNOWN_FUNCTION);
	});

	it('T12 string tricks: text is only a literal lifeTable name or sex, never a value, a name or a function', () => {
		blocked('"abc"', 'expression-type', /text "abc"/);
		blocked('"1" + 1', 'expression-type');
		blocked('exp("1")', 'expression-type');
		blocked('"exp"(1)', 'expression-type');
		// an escape sequence spelling "constructor" is still only text
		blocked('"\\u0063onstructor"', 'expression-type', /text "constructor"/);
		blocked('concat("a", "b")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('`1`', 'expression-syntax');
		blocked("'constructor'", 'expression-type');
	});

	it('T13 units cannot be created or converted (5 cm is not a number)', () => {
		blocked('5 cm', 'unknown-reference', /unknown name "cm"/);
		blocked('5 cm to inch', 'unknown-reference');
		blocked('unit("5 cm")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('2 inch + 1', 'unknown-reference');
	});

	it('T14 the network (fetch, XMLHttpRequest, WebSocket, importScripts, sendBeacon) is unreachable', () => {
		blocked('fetch("http://example.org")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('XMLHttpRequest()', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('WebSocket("ws://example.org")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('importScripts("http://example.org/x.js")', 'expression-forbidden', UNKNOWN_FUNCTION);
		blocked('navigator.sendBeacon("http://example.org")', 'expression-forbidden', /computed function/);
		// the real objects exist here as spies: compiling and running never touched them
		loadAndRun(() => compile(hiv));
		for (const spy of Object.values(probes)) expect(spy).not.toHaveBeenCalled();
	});

	it('T15 lifeTable takes only a literal table name and a literal or numeric sex', () => {
		const withTable = (expression: string) => {
			const model = structuredClone(hiv);
			model.lifeTables = {
				lt: { source: { citation: 'test table' }, minAge: 0, qx: { male: [0.01], female: [0.005] } }
			};
			model.states[0].costs = { direct: expression };
			return model;
		};
		const refused = (expression: string, code: ModelErrorCode) => {
			const error = expectModelError(() => compile(withTable(expression)));
			expect(error.issues.map((i) => i.path)).toEqual([PATH]);
			expect(error.code, error.message).toBe(code);
		};
		refused('lifeTable(tpAB, age, "male")', 'expression-type');
		refused('lifeTable("l" + "t", age, 1)', 'expression-type');
		refused('lifeTable(concat("l", "t"), age, 1)', 'expression-forbidden');
		refused('lifeTable("constructor", age, "male")', 'unknown-reference');
		refused('lifeTable("__proto__", age, "male")', 'unknown-reference');
		refused('lifeTable("lt", age, "__proto__")', 'expression-type');
		// and the literal form works
		const ok = loadAndRun(() => compile(withTable('1000 * lifeTable("lt", age, "male")')));
		expect(ok.kind).toBe('result');
	});

	it('T16 resource exhaustion: very long or deeply nested expressions are refused, not run', () => {
		blocked('('.repeat(300) + '1' + ')'.repeat(300), 'expression-syntax', /deeper than 200/);
		blocked('-'.repeat(3_000) + '1', 'expression-syntax', /deeper than 200/);
		blocked(`min(${Array(100).fill('1').join(',')})`, 'expression-type', /takes 1 to 64 arguments/);
		// over the 4,000-character limit the schema refuses it (its path uses the array index)
		const model = structuredClone(hiv);
		model.states[0].costs = { direct: '1+'.repeat(3_000) + '1' };
		const error = expectModelError(() => compile(model));
		expect(error.path).toBe('states.0.costs.direct');
	});

	it('T17 ids that are prototype property names are plain names (no prototype lookup)', () => {
		// "constructor", "toString" and "valueOf" are valid identifiers; before the fix a state
		// called "constructor" made compile() read Object.prototype.constructor and crash
		const model = structuredClone(hiv);
		const rename = (from: string, to: string) => {
			model.states.find((s: { id: string }) => s.id === from).id = to;
			for (const st of model.strategies) {
				st.start = Object.fromEntries(Object.entries(st.start).map(([k, v]) => [k === from ? to : k, v]));
				st.transitions = Object.fromEntries(
					Object.entries(st.transitions as Record<string, Record<string, unknown>>).map(([k, row]) => [
						k === from ? to : k,
						Object.fromEntries(Object.entries(row).map(([t, v]) => [t === from ? to : t, v]))
					])
				);
				if (st.stateValues)
					st.stateValues = Object.fromEntries(Object.entries(st.stateValues).map(([k, v]) => [k === from ? to : k, v]));
			}
		};
		rename('D', 'constructor');
		rename('C', 'toString');
		model.parameters.valueOf = { ...model.parameters.cZidovudine };
		for (const st of model.strategies)
			for (const sv of Object.values((st.stateValues ?? {}) as Record<string, { costs?: Record<string, string> }>))
				for (const [k, v] of Object.entries(sv.costs ?? {})) if (sv.costs) sv.costs[k] = v.replaceAll('cZidovudine', 'valueOf');
		const renamed = loadAndRun(() => compile(model));
		const original = loadAndRun(() => compile(hiv));
		if (renamed.kind !== 'result' || original.kind !== 'result') throw new Error('both models must run');
		// the same model under other names gives the same totals
		renamed.result.strategies.forEach((s, i) => {
			expect(s.discounted.cost).toBeCloseTo(original.result.strategies[i].discounted.cost, 9);
			expect(s.discounted.lifeYears).toBeCloseTo(original.result.strategies[i].discounted.lifeYears, 12);
		});

		// "__proto__" is not a valid identifier: a JSON file defining it gains nothing and pollutes nothing
		const text = JSON.stringify(hiv).replace(
			'"parameters":{',
			'"parameters":{"__proto__":{"value":1,"unit":"x","description":"x","group":"x","assumption":"x"},'
		);
		expect(text).toContain('"__proto__"');
		const polluted = JSON.parse(text);
		expect(Object.hasOwn(polluted.parameters, '__proto__')).toBe(true);
		polluted.states[0].costs = { direct: '__proto__' };
		const error = expectModelError(() => compile(polluted));
		expect(error.issues.some((i) => i.path === PATH && i.code === 'unknown-reference'), error.message).toBe(true);
		expect(loadAndRun(() => compileJson(text)).kind).toBe('result');
		expect(({} as Record<string, unknown>).value).toBeUndefined();
		expect(({} as Record<string, unknown>).assumption).toBeUndefined();
	});
});

describe('compiled evaluators only read numbers from the variable array', () => {
	const names = ['constructor', '__proto__', 'toString', 'valueOf', 'p', 'model_time', 'age', 'state_time', 'cycle_length'];
	const slots = new Map(names.map((n, i) => [n, i]));
	const ctx: ExpressionContext = {
		slotOf: (n) => slots.get(n),
		lifeTables: { indexOf: (n) => (n === 't' ? 0 : -1), qx: () => 0.01 },
		path: 'parameters.x.expression'
	};

	/** A Float64Array behind a proxy that records every property read and refuses every write. */
	function watched(values: number[]) {
		const reads: (string | symbol)[] = [];
		const writes: (string | symbol)[] = [];
		const target = Float64Array.from(values);
		const vars = new Proxy(target, {
			get(t, key) {
				reads.push(key);
				const v = Reflect.get(t, key);
				return typeof v === 'function' ? v.bind(t) : v;
			},
			set(_t, key) {
				writes.push(key);
				return false;
			},
			defineProperty(_t, key) {
				writes.push(key);
				return false;
			},
			has(t, key) {
				reads.push(key);
				return Reflect.has(t, key);
			}
		});
		return { vars, reads, writes };
	}

	it('parameters named constructor, __proto__, toString and valueOf are read as numbers from their slots', () => {
		const c = compileExpression('constructor + 10 * __proto__ + 100 * toString + 1000 * valueOf', ctx);
		const { vars, reads, writes } = watched([1, 2, 3, 4, 0, 0, 0, 0, 0]);
		// 1 + 10*2 + 100*3 + 1000*4, by hand
		expect(c.evaluate(vars)).toBe(4321);
		expect(reads.map(String).sort()).toEqual(['0', '1', '2', '3']);
		expect(writes).toEqual([]);
	});

	it('every allowed function and operator reads only numeric indexes and never writes', () => {
		const args = (n: number) => Array.from({ length: n }, (_, i) => ['p', 'age', 'model_time', 'state_time'][i % 4]).join(', ');
		const expressions = [
			...Object.entries(FUNCTIONS).map(([name, spec]) => `${name}(${args(spec.minArgs)})`),
			...Object.entries(FUNCTIONS).map(([name, spec]) => `${name}(${args(Math.min(spec.maxArgs, spec.minArgs + 4 - (spec.minArgs % 2)))})`),
			'lifeTable("t", age, "female")',
			'lifeTable("t", age, p)',
			'p > 0 ? p ^ 2 : -p',
			'p < age <= model_time',
			'not p and age or state_time xor cycle_length',
			'p mod 3 + p / 7 - p * 2 + +p',
			'p == age',
			'p != age',
			'p >= age'
		];
		for (const text of expressions) {
			const c = compileExpression(text, ctx);
			const { vars, reads, writes } = watched([0.5, 0.2, 0.3, 0.4, 0.1, 3, 42, 2, 1]);
			const v = c.evaluate(vars);
			expect(typeof v, text).toBe('number');
			for (const key of reads) expect(typeof key === 'string' && /^[0-8]$/.test(key), `${text} read ${String(key)}`).toBe(true);
			expect(writes, text).toEqual([]);
		}
	});

	it('the run itself leaves the prototypes of Object and Float64Array untouched', () => {
		const before = [Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Float64Array.prototype).sort()];
		createRunner(compile(hiv)).run({ parameters: { tpAB: 0.2 } });
		expect([Object.getOwnPropertyNames(Object.prototype).sort(), Object.getOwnPropertyNames(Float64Array.prototype).sort()]).toEqual(before);
	});
});
