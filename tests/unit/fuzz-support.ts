/**
 * Shared checks for the fuzz and sandbox tests: every input must end either in a result whose
 * numbers are all finite, or in a ModelError whose issues each name a path and say what is wrong.
 * Anything else (a TypeError, "RangeError: Maximum call stack size exceeded", a result holding
 * NaN or Infinity) fails the property. The checks throw plain Errors so fast-check can shrink the
 * failing input and print it with its seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRunner, ModelError, type CompiledModel, type RunOptions, type RunResult } from '../../src/lib/engine';

/** One seed for every property in these files, so any failure reproduces exactly. */
export const FUZZ_SEED = 20261127;

export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** The shipped model files (every models/*.json except the JSON Schema). */
export function shippedModels(): { file: string; text: string; data: Record<string, unknown> }[] {
	return readdirSync(MODELS_DIR)
		.filter((f) => f.endsWith('.json') && f !== 'schema.json')
		.sort()
		.map((file) => {
			const text = readFileSync(MODELS_DIR + file, 'utf8');
			return { file, text, data: JSON.parse(text) as Record<string, unknown> };
		});
}

/**
 * Whole-file problems have no field to point at: text that is not JSON, or JSON that is not an
 * object. Every other issue must carry a path.
 */
const WHOLE_FILE = /^(not valid JSON|a model file holds one JSON object)/;

export function assertCleanModelError(e: unknown): asserts e is ModelError {
	if (!(e instanceof ModelError)) {
		const err = e as Error | undefined;
		throw new Error(
			`expected a ModelError, got ${err?.name ?? typeof e}: ${String(err?.message ?? e).slice(0, 300)}\n${err?.stack ?? ''}`
		);
	}
	if (e.issues.length === 0) throw new Error('a ModelError without issues');
	for (const i of e.issues) {
		if (typeof i.message !== 'string' || i.message.trim() === '') throw new Error(`an issue without a message at "${i.path}"`);
		if (typeof i.path !== 'string') throw new Error(`an issue whose path is not text: ${i.message}`);
		if (i.path === '' && !WHOLE_FILE.test(i.message)) throw new Error(`an issue without a path: ${i.message}`);
		if (/\n\s+at /.test(i.message)) throw new Error(`a stack trace in a message: ${i.message}`);
	}
}

function assertFiniteArray(name: string, a: ArrayLike<number>): void {
	for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${name}[${i}] is ${a[i]}`);
}

/** Every number a user could see in a run result is finite. */
export function assertFiniteResult(r: RunResult): void {
	for (const s of r.strategies) {
		for (const [kind, t] of [
			['discounted', s.discounted],
			['undiscounted', s.undiscounted]
		] as const) {
			const values = [t.cost, t.qaly, t.lifeYears, ...Object.values(t.costByCategory), ...Object.values(t.outcomes)];
			assertFiniteArray(`${s.id}.${kind}`, values);
		}
		assertFiniteArray(`${s.id}.stateYears`, Object.values(s.stateYears));
		assertFiniteArray(`${s.id}.trace`, s.trace);
		assertFiniteArray(`${s.id}.cycleCosts`, s.cycleCosts);
		assertFiniteArray(`${s.id}.cycleCostsUndiscounted`, s.cycleCostsUndiscounted);
		assertFiniteArray(`${s.id}.cycleQalys`, s.cycleQalys);
		assertFiniteArray(`${s.id}.cycleLifeYears`, s.cycleLifeYears);
		assertFiniteArray(`${s.id}.cycleOutcomes`, s.cycleOutcomes);
	}
	assertFiniteArray('parameters', Object.values(r.parameters));
}

export type Outcome = { kind: 'result'; result: RunResult } | { kind: 'error'; error: ModelError };

/** Loads (compiles) and runs; returns how it ended, or throws when it ended any other way. */
export function loadAndRun(load: () => CompiledModel, options?: RunOptions): Outcome {
	let result: RunResult;
	try {
		result = createRunner(load()).run(options);
	} catch (e) {
		assertCleanModelError(e);
		return { kind: 'error', error: e };
	}
	assertFiniteResult(result);
	return { kind: 'result', result };
}

/** The error a case must end in, for cases that must not succeed. */
export function expectModelError(load: () => CompiledModel, options?: RunOptions): ModelError {
	const outcome = loadAndRun(load, options);
	if (outcome.kind !== 'error') throw new Error('expected a ModelError, but the model ran');
	return outcome.error;
}

/** A small seeded generator (mulberry32) for building large models from a short recipe. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
