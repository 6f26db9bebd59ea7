/**
 * Fuzz tests of the model loader (compile / compileJson) and the run that follows it.
 *
 * (a) Mutations of every shipped model file: delete a field, change a value's type, add unknown
 *     fields, put NaN / Infinity / 1e308 / -1 in number fields, 100,000-character strings, junk
 *     and deeply nested expressions, parameter definitions that refer to each other in a loop,
 *     references to states that do not exist; byte-level damage to the JSON text; hostile
 *     run options; and parameter draws gone wrong on the PSA path (runner.totals).
 * (b) Structurally valid random models of extreme size: up to 1,000 states and 1,200 monthly
 *     cycles (100 years), with tunnels, life tables and time-dependent parameters.
 *
 * Every case must end in a result whose numbers are all finite, or in a ModelError whose issues
 * each name a path (see fuzz-support.ts). No hang: every input is bounded (the schema caps
 * states at 2,000, cycles at 2,400 and expressions at 4,000 characters; the generators stay
 * inside or just past those caps), so each case does a bounded amount of work, which the
 * large-model property checks by count (trace length = (cycles + 1) x states), not by clock.
 *
 * Seed FUZZ_SEED, fixed case counts (NUM_RUNS below): a failure prints its counterexample and
 * replays exactly.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compile, compileJson, createRunner, TOTALS, type ModelInput, type RunOptions } from '../../src/lib/engine';
import { FUZZ_SEED, shippedModels, loadAndRun, expectModelError, assertCleanModelError, seededRandom } from './fuzz-support';

const NUM_RUNS = {
	mutations: 200,
	cycles: 40,
	unknownStates: 40,
	jsonText: 200,
	runOptions: 150,
	psaDraws: 150,
	largeModels: 8
};

type Json = unknown;
type Path = (string | number)[];
type Obj = Record<string | number, Json>;

const MODELS = shippedModels();

// ---------------------------------------------------------------- tree helpers

function allPaths(v: Json, path: Path = [], out: Path[] = []): Path[] {
	out.push(path);
	if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...path, i], out));
	else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) allPaths((v as Obj)[k], [...path, k], out);
	return out;
}

function getAt(root: Json, path: Path): Json {
	let v = root;
	for (const k of path) v = (v as Obj)[k];
	return v;
}

/** Replaces the value at path; returns the (possibly new) root. */
function setAt(root: Json, path: Path, value: Json): Json {
	if (path.length === 0) return value;
	(getAt(root, path.slice(0, -1)) as Obj)[path[path.length - 1]] = value;
	return root;
}

function deleteAt(root: Json, path: Path): Json {
	if (path.length === 0) return undefined;
	const parent = getAt(root, path.slice(0, -1));
	const key = path[path.length - 1];
	if (Array.isArray(parent)) parent.splice(key as number, 1);
	else delete (parent as Obj)[key];
	return root;
}

const pick = <T>(list: T[], at: number): T | undefined => (list.length ? list[at % list.length] : undefined);

/** Fields that hold expressions (or numbers in their place). */
const EXPRESSION_FIELD = /^(transitions|costs|utility|outcomes|expression|start|parameters)$/;
function isExpressionPath(root: Json, p: Path): boolean {
	const v = getAt(root, p);
	if (typeof v !== 'string' && typeof v !== 'number') return false;
	return p.slice(0, -1).some((k) => typeof k === 'string' && EXPRESSION_FIELD.test(k)) && p[0] !== 'lifeTables';
}

// ---------------------------------------------------------------- generators

const strangeNumber = fc.oneof(
	fc.constantFrom(
		NaN,
		Infinity,
		-Infinity,
		1e308,
		-1e308,
		Number.MAX_VALUE,
		Number.MIN_VALUE,
		-1,
		0,
		-0,
		0.5,
		1.5,
		2400,
		2401,
		1e-300,
		Number.MAX_SAFE_INTEGER + 2
	),
	fc.double()
);

const LONG_STRINGS = ['x'.repeat(100_000), '('.repeat(100_000), 'é'.repeat(100_000), '\u0000'.repeat(1_000), '💥'.repeat(50_000)];
const longString = fc.constantFrom(...LONG_STRINGS);

/** Values of the wrong type for almost any field, including ones JSON cannot carry. */
const strangeValue = fc.oneof(
	fc.constantFrom<Json>(null, true, false, 0, -1, '', ' ', 'C', 'x', '1e999', [], {}, [1, 2], { a: 1 }, undefined, 10n, () => 1),
	fc.jsonValue({ maxDepth: 2 }),
	fc.string({ maxLength: 20 }),
	strangeNumber
);

const fieldName = fc.oneof(
	fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'foo', '', ' ', '$schema'),
	fc.string({ maxLength: 12 })
);

const TOKENS = [
	'(', ')', '[', ']', '{', '}', ',', '?', ':', '+', '-', '*', '/', '^', '!', "'", '"', '.', '=', ';', '\n', ' ', '1', '0.5',
	'1e308', 'NaN', 'Infinity', 'tpAB', 'rrNow', 'cZidovudine', 'model_time', 'age', 'state_time', 'cycle_length', 'C', 'exp',
	'log', 'min', 'max', 'schedule', 'piecewise', 'lifeTable', 'import', 'evaluate', 'parse', 'createUnit', 'constructor',
	'__proto__', 'toString', 'globalThis', 'process', 'cm', 'to', 'mod', 'and', 'or', 'not', 'xor', '==', '<', '>=', '&', '|',
	'<<', 'i', 'e', 'pi', 'true', 'null', 'undefined', '"male"', '"uk"'
];

/** Very deep or very long expressions: the kinds of nesting a recursive parser or compiler chokes on. */
const NESTINGS: Record<string, (n: number) => string> = {
	parentheses: (n) => '('.repeat(n) + '1' + ')'.repeat(n),
	additions: (n) => Array(n + 1).fill('1').join('+'),
	unaryMinus: (n) => '-'.repeat(n) + '1',
	powers: (n) => '2^'.repeat(n) + '1',
	calls: (n) => 'exp('.repeat(n) + '0' + ')'.repeat(n),
	maxCalls: (n) => 'max(1,'.repeat(n) + '1' + ')'.repeat(n),
	ternaryThen: (n) => '1 ? '.repeat(n) + '1' + ' : 0'.repeat(n),
	ternaryElse: (n) => '0 ? 1 : '.repeat(n) + '1',
	brackets: (n) => '['.repeat(n) + '1' + ']'.repeat(n),
	nots: (n) => 'not '.repeat(n) + '1',
	unbalanced: (n) => '('.repeat(n)
};
const deepExpression = fc
	.tuple(
		fc.constantFrom(...Object.keys(NESTINGS)),
		fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(199, 200, 201, 1_000, 1_999, 5_000, 10_000))
	)
	.map(([kind, n]) => NESTINGS[kind](n));

const junkExpression = fc.oneof(
	fc.string({ maxLength: 80 }),
	fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join('')),
	deepExpression
);

type Mutation =
	| { kind: 'delete'; at: number }
	| { kind: 'retype'; at: number; value: Json }
	| { kind: 'unknownField'; at: number; key: string; value: Json }
	| { kind: 'number'; at: number; value: number }
	| { kind: 'longString'; at: number; value: string }
	| { kind: 'expression'; at: number; value: string }
	| { kind: 'cycle'; at: number; length: number }
	| { kind: 'unknownState'; at: number; where: UnknownStateWhere };

type UnknownStateWhere = 'start' | 'transitionFrom' | 'transitionTo' | 'stateValues' | 'transitionValue' | 'stateId';

const at = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('delete' as const), at }),
	fc.record({ kind: fc.constant('retype' as const), at, value: strangeValue }),
	fc.record({ kind: fc.constant('unknownField' as const), at, key: fieldName, value: fc.jsonValue({ maxDepth: 2 }) }),
	fc.record({ kind: fc.constant('number' as const), at, value: strangeNumber }),
	fc.record({ kind: fc.constant('longString' as const), at, value: longString }),
	fc.record({ kind: fc.constant('expression' as const), at, value: junkExpression }),
	fc.record({ kind: fc.constant('cycle' as const), at, length: fc.integer({ min: 1, max: 4 }) }),
	fc.record({
		kind: fc.constant('unknownState' as const),
		at,
		where: fc.constantFrom<UnknownStateWhere>('start', 'transitionFrom', 'transitionTo', 'stateValues', 'transitionValue', 'stateId')
	})
);

/** Gives parameters p_0..p_{k-1} (from `at`) expressions p_i = p_{i+1} + 1, the last pointing back at p_0. */
function makeCycle(model: Obj, at: number, length: number): string[] {
	const params = model.parameters as Obj;
	const ids = Object.keys(params);
	if (!ids.length) return [];
	const loop = Array.from({ length: Math.min(length, ids.length) }, (_, k) => ids[(at + k) % ids.length]);
	// a Dirichlet group left with one member is an error of its own, which would mask the loop
	const groups = new Set(loop.map((id) => ((params[id] as Obj).distribution as Obj | undefined)?.group));
	for (const p of Object.values(params) as Obj[])
		if ((p.distribution as Obj | undefined)?.type === 'dirichlet' && groups.has((p.distribution as Obj).group)) delete p.distribution;
	loop.forEach((id, k) => {
		const next = loop[(k + 1) % loop.length];
		const p = params[id] as Obj;
		// a cost given by an expression states no currency or price year (an error of its own)
		for (const field of ['value', 'low', 'high', 'distribution', 'currency', 'priceYear', 'priceYearAssumed']) delete p[field];
		p.expression = `${next} * 1 + 0`;
	});
	return loop;
}

/** Puts a reference to a state "nowhere" into one strategy (or renames a state, orphaning its references). */
function referUnknownState(model: Obj, at: number, where: UnknownStateWhere): void {
	const strategies = model.strategies as Obj[];
	const st = strategies[at % strategies.length];
	const states = model.states as Obj[];
	const firstState = states[0].id as string;
	switch (where) {
		case 'start':
			(st.start as Obj).nowhere = 0;
			break;
		case 'transitionFrom':
			(st.transitions as Obj).nowhere = { [firstState]: 1 };
			break;
		case 'transitionTo': {
			const rows = st.transitions as Obj;
			const row = rows[Object.keys(rows)[at % Object.keys(rows).length]] as Obj;
			row.nowhere = 0;
			break;
		}
		case 'stateValues':
			st.stateValues = { ...((st.stateValues as Obj) ?? {}), nowhere: { costs: {} } };
			break;
		case 'transitionValue':
			st.transitionValues = [...((st.transitionValues as Obj[]) ?? []), { from: 'nowhere', to: firstState }];
			break;
		case 'stateId':
			states[at % states.length].id = 'nowhere';
			break;
	}
}

function applyMutations(base: Obj, mutations: Mutation[]): Json {
	let root: Json = structuredClone(base);
	for (const m of mutations) {
		if (root === null || typeof root !== 'object') break;
		const paths = allPaths(root);
		switch (m.kind) {
			case 'delete':
				root = deleteAt(root, paths[m.at % paths.length]);
				break;
			case 'retype':
				root = setAt(root, paths[m.at % paths.length], m.value);
				break;
			case 'unknownField': {
				const objects = paths.filter((p) => {
					const v = getAt(root, p);
					return v !== null && typeof v === 'object' && !Array.isArray(v);
				});
				const p = pick(objects, m.at);
				// defineProperty so that "__proto__" becomes an own field, as JSON.parse makes it
				if (p) Object.defineProperty(getAt(root, p), m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
				break;
			}
			case 'number': {
				const p = pick(
					paths.filter((q) => typeof getAt(root, q) === 'number'),
					m.at
				);
				if (p) root = setAt(root, p, m.value);
				break;
			}
			case 'longString': {
				const p = pick(
					paths.filter((q) => typeof getAt(root, q) === 'string'),
					m.at
				);
				if (p) root = setAt(root, p, m.value);
				break;
			}
			case 'expression': {
				const p = pick(
					paths.filter((q) => isExpressionPath(root, q)),
					m.at
				);
				if (p) root = setAt(root, p, m.value);
				break;
			}
			case 'cycle':
				if ((root as Obj).parameters && typeof (root as Obj).parameters === 'object') makeCycle(root as Obj, m.at, m.length);
				break;
			case 'unknownState':
				if (Array.isArray((root as Obj).strategies) && Array.isArray((root as Obj).states)) {
					try {
						referUnknownState(root as Obj, m.at, m.where);
					} catch {
						// an earlier mutation broke the structure this one needs: leave the model as it is
					}
				}
				break;
		}
	}
	return root;
}

/** JSON text for a mutated model; BigInts (which JSON cannot carry) become strings. */
function toJsonText(v: Json): string | undefined {
	return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
}

// ---------------------------------------------------------------- (a) mutated model files

describe.each(MODELS)('mutations of models/$file', ({ file, data, text }) => {
	it('the unmutated file runs (the baseline the mutations start from)', () => {
		expect(loadAndRun(() => compileJson(text)).kind).toBe('result');
	});

	it(`1 to 3 random mutations end in a finite result or a ModelError naming a path (${NUM_RUNS.mutations} cases)`, () => {
		const seen = { result: 0, error: 0 };
		fc.assert(
			fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
				const mutated = applyMutations(data, mutations);
				// as a JavaScript object (NaN, BigInt, functions survive) ...
				seen[loadAndRun(() => compile(mutated as ModelInput)).kind]++;
				// ... and as the JSON text a user would load
				const json = toJsonText(mutated);
				if (json !== undefined) seen[loadAndRun(() => compileJson(json)).kind]++;
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.mutations }
		);
		console.log(`model-file fuzz, ${file}: ${NUM_RUNS.mutations} mutated files (as objects and as JSON text): ${seen.result} results, ${seen.error} ModelErrors with a path; every case finished (any other exception fails the property)`);
		// the generators must reach both ends, or the property proves little
		expect(seen.error).toBeGreaterThan(NUM_RUNS.mutations / 2);
		expect(seen.result).toBeGreaterThan(0);
	});

	it(`parameters defined in a loop give a parameter-cycle error naming a parameter (${NUM_RUNS.cycles} cases)`, () => {
		fc.assert(
			fc.property(at, fc.integer({ min: 1, max: 4 }), (start, length) => {
				const mutated = structuredClone(data);
				const loop = makeCycle(mutated, start, length);
				const error = expectModelError(() => compile(mutated));
				const cycleIssue = error.issues.find((i) => i.code === 'parameter-cycle');
				expect(cycleIssue, error.message).toBeDefined();
				expect(loop.map((id) => `parameters.${id}`)).toContain(cycleIssue?.path);
				expect(cycleIssue?.message).toMatch(/loop: \w+( -> \w+)+/);
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.cycles }
		);
	});

	it(`a reference to a state that does not exist is an unknown-reference error at its path (${NUM_RUNS.unknownStates} cases)`, () => {
		fc.assert(
			fc.property(
				at,
				fc.constantFrom<UnknownStateWhere>('start', 'transitionFrom', 'transitionTo', 'stateValues', 'transitionValue', 'stateId'),
				(start, where) => {
					const mutated = structuredClone(data);
					referUnknownState(mutated, start, where);
					const error = expectModelError(() => compile(mutated));
					expect(error.issues.some((i) => i.code === 'unknown-reference' && i.path.startsWith('strategies.')), error.message).toBe(true);
					if (where !== 'stateId')
						expect(error.issues.some((i) => i.path.includes('nowhere') || i.message.includes('"nowhere"')), error.message).toBe(true);
				}
			),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.unknownStates }
		);
	});

	it(`damaged JSON text (cut, spliced, bytes changed) never crashes (${NUM_RUNS.jsonText} cases)`, () => {
		fc.assert(
			fc.property(
				fc.constantFrom('cut', 'insert', 'remove', 'bom'),
				fc.nat(),
				fc.nat({ max: 40 }),
				fc.string({ maxLength: 8 }),
				(how, position, length, insert) => {
					const p = position % (text.length + 1);
					const damaged =
						how === 'cut'
							? text.slice(0, p)
							: how === 'insert'
								? text.slice(0, p) + insert + text.slice(p)
								: how === 'remove'
									? text.slice(0, p) + text.slice(p + length + 1)
									: '\uFEFF' + text;
					loadAndRun(() => compileJson(damaged));
				}
			),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.jsonText }
		);
	});

	it(`hostile run options (parameter and settings overrides, scenarios) never crash (${NUM_RUNS.runOptions} cases)`, () => {
		const runner = createRunner(compile(data));
		const ids = Object.keys((data.parameters as Obj) ?? {});
		const settingNames = ['horizon', 'cycleLength', 'startAge', 'discountRates', 'cycleCorrection', 'willingnessToPay', 'currency', 'priceYear'];
		const options = fc.record(
			{
				parameters: fc.dictionary(fc.oneof(fc.constantFrom(...ids), fieldName), fc.oneof(strangeNumber, strangeValue), { maxKeys: 4 }),
				settings: fc.dictionary(fc.oneof(fc.constantFrom(...settingNames), fieldName), fc.oneof(strangeNumber, strangeValue), { maxKeys: 3 }),
				scenario: fc.oneof(fc.constant(undefined), fieldName)
			},
			{ requiredKeys: [] }
		);
		fc.assert(
			fc.property(options, (o) => {
				loadAndRun(() => runner.compiled, o as RunOptions);
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.runOptions }
		);
	});

	it(`the PSA path (runner.totals) on random parameter draws ends in finite totals or a ModelError (${NUM_RUNS.psaDraws} cases)`, () => {
		const runner = createRunner(compile(data));
		const { settings, values } = runner.resolve({});
		const plain = Array.from(values.keys()).filter((i) => !Number.isNaN(values[i]));
		const out = new Float64Array(runner.compiled.strategies.length * TOTALS.size);
		const seen = { result: 0, error: 0 };
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(), fc.oneof(strangeNumber, fc.double({ min: 0, max: 1 }))), { maxLength: 4 }), (changes) => {
				// a sampler gone wrong: any plain parameter set to any number, unchecked (totals trusts its caller)
				const draw = Float64Array.from(values);
				for (const [at, v] of changes) if (plain.length) draw[plain[at % plain.length]] = v;
				try {
					runner.totals(draw, settings, out);
				} catch (e) {
					assertCleanModelError(e);
					seen.error++;
					return;
				}
				for (let k = 0; k < out.length; k++) if (!Number.isFinite(out[k])) throw new Error(`totals[${k}] is ${out[k]}`);
				seen.result++;
			}),
			{ seed: FUZZ_SEED, numRuns: NUM_RUNS.psaDraws }
		);
		expect(seen.result).toBeGreaterThan(0);
		expect(seen.error).toBeGreaterThan(0);
	});
});

// ---------------------------------------------------------------- deep nesting, named cases

describe('deeply nested and very long expressions become ModelErrors naming the field', () => {
	const [{ data }] = MODELS.filter((m) => m.file === 'hiv-chancellor.json');
	const withExpression = (expr: string) => {
		const m = structuredClone(data) as Obj;
		const comb = (m.strategies as Obj[])[1];
		((comb.transitions as Obj).A as Obj).B = expr;
		return m;
	};
	const cases: [string, string][] = [
		['10,000 nested parentheses', NESTINGS.parentheses(10_000)],
		['1,999 nested parentheses (within the 4,000-character limit)', NESTINGS.parentheses(1_999)],
		['5,000 chained additions', NESTINGS.additions(5_000)],
		['1,999 chained additions', NESTINGS.additions(1_999)],
		['3,999 unary minus signs', NESTINGS.unaryMinus(3_999)],
		['1,999 chained powers', NESTINGS.powers(1_999)],
		['799 nested function calls', NESTINGS.calls(799)],
		['999 chained conditionals', NESTINGS.ternaryElse(499)],
		['1,999 nested brackets', NESTINGS.brackets(1_999)]
	];
	it.each(cases)('%s', (_name, expr) => {
		const error = expectModelError(() => compile(withExpression(expr)));
		expect(error.issues).toHaveLength(1);
		expect(error.path).toMatch(/^strategies\.(comb|1)\.transitions\.A\.B$/);
		expect(error.code).toMatch(/^(schema|expression-syntax|expression-forbidden)$/);
		// the message quotes at most an excerpt of the expression
		expect(error.message.length).toBeLessThan(400);
	});

	it('200 levels of nesting is still accepted (the limit is not set below what a model needs)', () => {
		const expr = `${NESTINGS.parentheses(150)} * 0 + tpAB * rrNow`;
		expect(loadAndRun(() => compile(withExpression(expr))).kind).toBe('result');
	});
});

// ---------------------------------------------------------------- (b) extreme but valid models

interface Recipe {
	states: number;
	horizon: number;
	cycleLength: number;
	strategies: number;
	cycleCorrection: 'start' | 'end' | 'half-cycle' | 'simpson' | 'life-table';
	discountCosts: number;
	discountOutcomes: number;
	startAge: number;
	tunnelEvery: number;
	seed: number;
}

interface GeneratedState {
	id: string;
	label: string;
	dead?: boolean;
	tunnel?: number;
	costs?: Record<string, number>;
	utility?: string | number;
	outcomes?: Record<string, number>;
}

/**
 * A valid progressive model: state i moves on to i+1 (chance pProg, hazard ratio per strategy),
 * jumps to a random state (small chance), or dies (pDie combined with a life table by age);
 * some states are tunnels whose values and progression depend on state_time. All probabilities
 * stay below 1 by construction (pProg <= 0.3, jump 0.01, death <= 0.525), so the model must run.
 */
function buildModel(r: Recipe): ModelInput {
	const rand = seededRandom(r.seed);
	const S = r.states;
	const dead = `s${S - 1}`;
	const assumption = 'fuzz test input';
	const states: GeneratedState[] = Array.from({ length: S }, (_, i): GeneratedState => {
		const id = `s${i}`;
		if (i === S - 1) return { id, label: 'Dead', dead: true };
		const tunnel = r.tunnelEvery > 0 && i % r.tunnelEvery === 1 ? 2 + Math.floor(rand() * 23) : undefined;
		return {
			id,
			label: `State ${i}`,
			...(tunnel ? { tunnel } : {}),
			costs: { care: Math.round(rand() * 1e5), drug: 0 },
			utility: tunnel ? 'uBase - 0.01 * min(state_time, 10)' : Math.round((rand() * 1.5 - 0.5) * 1000) / 1000,
			outcomes: { visits: Math.round(rand() * 12) }
		};
	});
	const death = 'combineProbs(pDie, lifeTable("lt", age, 0.5))';
	const strategies = Array.from({ length: r.strategies }, (_, k) => {
		const transitions: Record<string, Record<string, string | number>> = {};
		states.forEach((s, i) => {
			if (i === S - 1) {
				transitions[s.id] = { [s.id]: 1 };
				return;
			}
			const row: Record<string, string | number> = { [s.id]: 'C' };
			const progression = s.tunnel ? 'applyHR(pProg, hr) * (state_time >= 3 ? 1 : 0.5)' : 'applyHR(pProg, hr)';
			if (i + 1 < S - 1) row[`s${i + 1}`] = progression;
			const jump = Math.floor(rand() * (S - 1));
			if (jump !== i && jump !== i + 1 && S > 3) row[`s${jump}`] = 0.01;
			row[dead] = death;
			transitions[s.id] = row;
		});
		const hr = ['1', '0.7', 'schedule(model_time, 0.5, 0.8, 1)'][k % 3];
		return {
			id: `strategy${k}`,
			label: `Strategy ${k}`,
			start: S > 2 ? { s0: 0.6, s1: 0.4 } : { s0: 1 },
			transitions,
			parameters: { hr },
			stateValues: { s0: { costs: { drug: `cDrug * (model_time <= 12 ? 1 : 0.5)` } } },
			transitionValues: [{ from: '*', to: dead, costs: { care: 1000 } }],
			startValues: { costs: { drug: k * 5000 } }
		};
	});
	const qx = (scale: number) => Array.from({ length: 101 }, (_, a) => Math.min(0.5, scale * Math.exp(0.08 * (a - 50))));
	// a cost states its currency and price year: the model's own, so it is not converted
	const num = (value: number, kind: string) => ({ value, kind, ...(kind === 'cost' ? { currency: 'GBP', priceYear: 2024 } : {}), unit: 'x', description: 'x', group: 'x', assumption });
	return {
		formatVersion: 1,
		id: 'fuzz-large',
		title: 'Fuzz model',
		description: 'Generated by the fuzz test',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: r.cycleLength,
		horizon: r.horizon,
		startAge: r.startAge,
		discountRates: { costs: r.discountCosts, outcomes: r.discountOutcomes },
		cycleCorrection: r.cycleCorrection,
		willingnessToPay: 20000,
		costCategories: [
			{ id: 'care', label: 'Care' },
			{ id: 'drug', label: 'Drug' }
		],
		outcomes: [{ id: 'visits', label: 'Visits' }],
		parameters: {
			pProg: num(Math.round(rand() * 300) / 1000, 'probability'),
			pDie: num(Math.round(rand() * 50) / 1000, 'probability'),
			hr: num(1, 'ratio'),
			uBase: num(0.8, 'utility'),
			cDrug: num(Math.round(rand() * 20000), 'cost')
		},
		states,
		strategies,
		lifeTables: {
			lt: { source: { citation: 'fuzz test input' }, minAge: 0, qx: { male: qx(0.01), female: qx(0.008) } }
		}
	} as ModelInput;
}

/**
 * Many states or many cycles, not both at once in the random cases (the one case with both is
 * below), to keep the file's run time bounded on a shared machine.
 */
const size = fc.oneof(
	fc.record({ states: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.constant(1_000)), horizon: fc.integer({ min: 1, max: 60 }) }),
	fc.record({ states: fc.integer({ min: 1, max: 40 }), horizon: fc.oneof(fc.integer({ min: 1, max: 1_200 }), fc.constant(1_200)) })
);
const recipe: fc.Arbitrary<Recipe> = fc
	.record({
		size,
		cycleLength: fc.constantFrom(1, 0.5, 0.25, 1 / 12),
		strategies: fc.integer({ min: 1, max: 3 }),
		cycleCorrection: fc.constantFrom('start', 'end', 'half-cycle', 'simpson', 'life-table'),
		discountCosts: fc.constantFrom(0, 0.015, 0.035, 0.1),
		discountOutcomes: fc.constantFrom(0, 0.015, 0.035, 0.1),
		startAge: fc.integer({ min: 0, max: 100 }),
		tunnelEvery: fc.constantFrom(0, 3, 10),
		seed: fc.nat()
	})
	.map(({ size, ...rest }) => ({ ...size, ...rest }));

/** Invariants any correct cohort model satisfies, checked without the engine's own formulas. */
function checkLargeRun(r: Recipe): void {
	const outcome = loadAndRun(() => compile(buildModel(r)));
	if (outcome.kind === 'error') throw new Error(`a valid model failed: ${outcome.error.message}`);
	const S = r.states;
	const n = r.horizon;
	const tolerance = 1e-9 * Math.max(1, S);
	for (const s of outcome.result.strategies) {
		// bounded work, counted: one trace row per time point 0..n
		expect(s.trace.length).toBe((n + 1) * S);
		let deadBefore = 0;
		for (let t = 0; t <= n; t++) {
			let total = 0;
			for (let i = 0; i < S; i++) {
				const x = s.trace[t * S + i];
				if (x < -1e-12) throw new Error(`${s.id}: negative share ${x} in state ${i} at t=${t}`);
				total += x;
			}
			if (Math.abs(total - 1) > tolerance) throw new Error(`${s.id}: cohort sums to ${total} at t=${t}`);
			const deadShare = s.trace[t * S + S - 1];
			if (S > 1 && deadShare < deadBefore - 1e-12) throw new Error(`${s.id}: the dead share falls at t=${t}`);
			deadBefore = deadShare;
		}
		const maxYears = n * r.cycleLength * (1 + 1e-12) + 1e-9;
		expect(s.undiscounted.lifeYears).toBeLessThanOrEqual(maxYears);
		expect(s.discounted.lifeYears).toBeLessThanOrEqual(s.undiscounted.lifeYears + 1e-9);
		expect(s.discounted.cost).toBeGreaterThanOrEqual(0);
		expect(s.discounted.cost).toBeLessThanOrEqual(s.undiscounted.cost * (1 + 1e-12) + 1e-6);
	}
}

describe('extreme but valid models run and keep the cohort whole', () => {
	it('1,000 states over 1,200 monthly cycles (100 years), with tunnels and a life table', () => {
		checkLargeRun({
			states: 1_000,
			horizon: 1_200,
			cycleLength: 1 / 12,
			strategies: 1,
			cycleCorrection: 'half-cycle',
			discountCosts: 0.035,
			discountOutcomes: 0.035,
			startAge: 30,
			tunnelEvery: 100,
			seed: FUZZ_SEED
		});
	});

	it(`random sizes up to 1,000 states and 1,200 cycles (${NUM_RUNS.largeModels} cases)`, () => {
		fc.assert(fc.property(recipe, checkLargeRun), { seed: FUZZ_SEED, numRuns: NUM_RUNS.largeModels });
	});
});
