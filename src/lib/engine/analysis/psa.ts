/**
 * Probabilistic sensitivity analysis (Briggs, Claxton & Sculpher 2006, ch. 4): draw every
 * uncertain parameter from its distribution, run the model, keep each iteration's totals.
 *
 * Pure and seeded: the same model, options, seed and iteration count give the same arrays,
 * however the run is split into chunks. Iteration i draws from its own substream of the seeded
 * generator (its state jumped 2^64 steps i times, xoshiro128**'s jump), redraws included, so
 * its values depend only on the seed and i. Where the model allows, up to 128 iterations run
 * side by side (batch.ts), with the same results as one by one.
 * Resumable for a Web Worker: `createPsa(...)` then `step(count)` until done, `result()`.
 * Splittable: `iterationRange: [from, to]` runs only those iterations of the PSA (for parallel
 * workers), and `joinPsaParts` puts the parts back together, equal to the whole run.
 *
 * Memory: per iteration, the draws and per strategy six totals are kept; traces are not
 * (with `keepCycleCosts`, also the discounted and undiscounted cost of each cycle, for payback).
 *
 *     const psa = runPsa(compiled, { iterations: 1000, seed: 1 });
 *     psa.cost[i * psa.strategyIds.length + s]; // discounted cost of strategy s in iteration i
 */
import type { CompiledModel } from '../model/compile';
import { compiledFor } from '../model/compile';
import { ModelError, issue } from '../errors';
import { psaSizeProblem } from '../limits';
import { createRunner, TOTALS, type RunOptions, type Runner } from '../simulate/run';
import type { Settings } from '../model/schema';
import { sharedBatch, BATCH } from '../simulate/batch';
import { createRandom, fromState, jumpState } from './random';
import { createSampler, type Sampler } from './sampler';

export interface PsaConfig {
	iterations: number;
	seed: number;
	/** scenario, parameter overrides and settings; overridden parameters are held at their value, not drawn */
	options?: RunOptions;
	/** keep each iteration's cost per cycle (discounted and undiscounted), for payback under uncertainty */
	keepCycleCosts?: boolean;
	/**
	 * What to do when a draw makes the model invalid (a probability outside [0, 1], a row not
	 * summing to 1, a value outside its kind's range): 'stop' (default) throws a ModelError naming
	 * the iteration and draws; 'redraw' draws that iteration again (up to 1000 times), which
	 * truncates the joint distribution to valid values, and counts the redraws in the result.
	 */
	invalidDraws?: 'stop' | 'redraw';
	/**
	 * 'auto' (default): batched in WebAssembly where the model allows, else one iteration at a
	 * time; 'javascript': one iteration at a time through the lean path even where a batch could
	 * run (the same results; for comparing the two backends, ARCHITECTURE.md "Two backends").
	 */
	backend?: 'auto' | 'javascript';
	/**
	 * Run only iterations from .. to - 1 of the `iterations` (default all): one part of a PSA
	 * split across workers. Iteration i draws from substream i whatever the part, so the parts'
	 * arrays, joined in order (`joinPsaParts`), equal those of the whole run.
	 */
	iterationRange?: [from: number, to: number];
}

/** Draws per iteration before 'redraw' gives up. */
export const MAX_REDRAWS = 1000;

export interface PsaResult {
	modelId: string;
	title: string;
	settings: Settings;
	scenario: string | null;
	seed: number;
	/** iterations asked for, and completed (fewer if cancelled) */
	iterationsRequested: number;
	iterations: number;
	/** the index of this result's first iteration in the PSA (0 unless it is a part, `iterationRange`) */
	firstIteration: number;
	strategyIds: string[];
	strategyLabels: string[];
	/** drawn parameters: columns of `draws` */
	parameterIds: string[];
	/** parameters held at a scenario or user value instead of drawn */
	heldFixed: string[];
	/** draws[i * parameterIds.length + k] */
	draws: Float64Array;
	/** per iteration per strategy, [i * strategies + s] (BCEA layout: rows simulations, columns interventions) */
	cost: Float64Array;
	qaly: Float64Array;
	lifeYears: Float64Array;
	costUndiscounted: Float64Array;
	qalyUndiscounted: Float64Array;
	lifeYearsUndiscounted: Float64Array;
	/** with keepCycleCosts: [(i * strategies + s) * (horizon + 1) + k], k = 0 the one-off costs at start */
	cycleCosts: Float64Array | null;
	cycleCostsUndiscounted: Float64Array | null;
	/** draws rejected as invalid and redrawn (invalidDraws: 'redraw'), with the first few reasons */
	redrawn: number;
	redrawReasons: string[];
	/**
	 * how the iterations ran: 'batched', up to 128 side by side with the arithmetic in WebAssembly
	 * (batch.ts), or 'one by one' through the lean path (models with tunnel states or
	 * time-dependent starting values, or where WebAssembly cannot run); the results are the same
	 */
	method: 'batched' | 'one by one';
	/** the deterministic (base-case) totals per strategy, for comparison with the PSA means */
	deterministic: { cost: Float64Array; qaly: Float64Array; lifeYears: Float64Array };
}

export interface PsaProgress {
	done: number;
	total: number;
	finished: boolean;
}

export interface Psa {
	sampler: Sampler;
	/** runs the next `count` iterations (fewer at the end) */
	step(count: number): PsaProgress;
	progress(): PsaProgress;
	/** results so far (arrays trimmed to the completed iterations) */
	result(): PsaResult;
}

export const MAX_ITERATIONS = 1_000_000;

const runners = new WeakMap<CompiledModel, Runner>();
/**
 * One runner per compiled model for its PSAs, so a PSA run again does not compile the lean
 * path's programs again. The PSA only resolves inputs (new arrays each time) and calls `totals`,
 * which writes into the arrays it is given, so PSAs may share it, even interleaved.
 */
function runnerOf(cm: CompiledModel): Runner {
	let runner = runners.get(cm);
	if (!runner) runners.set(cm, (runner = createRunner(cm)));
	return runner;
}

export function createPsa(compiled: CompiledModel, config: PsaConfig): Psa {
	// costs converted to the currency and price year the options ask for: draws are around converted values
	const cm = compiledFor(compiled, config.options);
	const { iterations, seed } = config;
	if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
		throw new ModelError(issue('iterations', 'invalid-override', `iterations must be a whole number from 1 to ${MAX_ITERATIONS}, got ${iterations}`));
	if (!Number.isInteger(seed)) throw new ModelError(issue('seed', 'invalid-override', `seed must be a whole number, got ${seed}`));
	const [first, last] = config.iterationRange ?? [0, iterations];
	if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last <= first || last > iterations)
		throw new ModelError(issue('iterationRange', 'invalid-override', `iterationRange must be whole numbers 0 <= from < to <= ${iterations}, got ${first} to ${last}`));
	// the part's own count: its arrays hold iterations first .. last - 1
	const count = last - first;
	const runner = runnerOf(cm);
	const { settings, values, forced, scenario } = runner.resolve(config.options);
	const held = new Set<number>();
	const overridden = { ...((cm.model.scenarios ?? []).find((s) => s.id === config.options?.scenario)?.parameters ?? {}), ...(config.options?.parameters ?? {}) };
	for (const id of Object.keys(overridden)) held.add(cm.parameterIndex.get(id) as number);
	const sampler = createSampler(cm, values, held);
	// each iteration draws from its own substream: the seeded state jumped 2^64 steps once per
	// iteration (xoshiro128**'s jump), so iteration i's draws, and its redraws, depend on the seed
	// and i only: not on chunking, batching, or how many earlier iterations were redrawn
	type StreamState = [number, number, number, number];
	let nextStream: StreamState = createRandom(seed).state();
	for (let i = 0; i < first; i++) nextStream = jumpState(nextStream);
	const streamOf = (): StreamState => {
		const s = nextStream;
		nextStream = jumpState(nextStream);
		return s;
	};

	const S = cm.strategies.length;
	const K = sampler.parameterIds.length;
	const n1 = settings.horizon + 1;
	// refused before any array is made, with the number of iterations that would fit
	const tooBig = psaSizeProblem({ iterations, drawn: K, strategies: S, cycles: settings.horizon, keepCycleCosts: config.keepCycleCosts === true });
	if (tooBig) throw new ModelError(issue('iterations', 'model-size', tooBig));
	const draws = new Float64Array(count * K);
	const columns = {
		cost: new Float64Array(count * S),
		qaly: new Float64Array(count * S),
		lifeYears: new Float64Array(count * S),
		costUndiscounted: new Float64Array(count * S),
		qalyUndiscounted: new Float64Array(count * S),
		lifeYearsUndiscounted: new Float64Array(count * S)
	};
	const cycleCosts = config.keepCycleCosts ? new Float64Array(count * S * n1) : null;
	const cycleCostsUndiscounted = config.keepCycleCosts ? new Float64Array(count * S * n1) : null;

	const deterministicOut = new Float64Array(S * TOTALS.size);
	runner.totals(values, settings, deterministicOut, undefined, forced);
	const pick = (field: number) => Float64Array.from({ length: S }, (_, s) => deterministicOut[s * TOTALS.size + field]);
	const deterministic = { cost: pick(TOTALS.cost), qaly: pick(TOTALS.qaly), lifeYears: pick(TOTALS.lifeYears) };

	const work = Float64Array.from(values);
	const out = new Float64Array(S * TOTALS.size);
	const draw = new Float64Array(K);
	const slots = sampler.slots;
	let done = 0;

	// `done` and the arrays count from the part's first iteration; messages name the PSA's own index
	const progress = (): PsaProgress => ({ done, total: count, finished: done >= count });

	const store = (i: number, s: number, cost: number, qaly: number, ly: number, costU: number, qalyU: number, lyU: number) => {
		const j = i * S + s;
		columns.cost[j] = cost;
		columns.qaly[j] = qaly;
		columns.lifeYears[j] = ly;
		columns.costUndiscounted[j] = costU;
		columns.qalyUndiscounted[j] = qalyU;
		columns.lifeYearsUndiscounted[j] = lyU;
	};

	// many iterations at once where the model allows it (batch.ts); the same numbers as one by one
	const batch = config.backend === 'javascript' ? null : sharedBatch(cm, slots);
	const P = cm.parameterIds.length;
	const input = new Float64Array(batch ? P * BATCH : 0);
	for (let i = 0; batch && i < P; i++) input.fill(values[i], i * BATCH, (i + 1) * BATCH);
	const batchOut = new Float64Array(batch ? S * TOTALS.size * BATCH : 0);
	const bad = new Uint8Array(BATCH);
	const streams: StreamState[] = new Array(BATCH);
	const laneStreams = batch ? sampler.createStreams(BATCH) : null;
	// drawn parameter k of lane b goes to input[slots[k] * BATCH + b]
	const rows = Int32Array.from(slots, (slot) => slot * BATCH);
	const drawnOk = new Uint8Array(BATCH);
	/**
	 * Iterations done .. done + lanes - 1 as one batch. Each lane draws from its iteration's
	 * substream; a lane whose draw or run is invalid is then run again by `one` from the start of
	 * its substream (which stops, or redraws, with its error message), in iteration order.
	 * Advances `done` past the iterations completed.
	 */
	const runBatch = (lanes: number): void => {
		for (let b = 0; b < lanes; b++) {
			streams[b] = streamOf();
			laneStreams!.setState(b, streams[b]);
		}
		sampler.drawLanes(laneStreams!, lanes, input, rows, drawnOk);
		let anyOk = false;
		for (let b = 0; b < lanes; b++) {
			if (drawnOk[b] === 1) anyOk = true;
			// a lane with a draw out of range is run by `one`; in the batch it runs on the base values
			else for (let k = 0; k < K; k++) input[rows[k] + b] = values[slots[k]];
		}
		const start = done;
		if (anyOk)
			batch!.totals(input, lanes, settings, forced, batchOut, bad, cycleCosts ?? undefined, cycleCostsUndiscounted ?? undefined, start);
		for (let b = 0; b < lanes; b++) {
			const i = start + b;
			done = i;
			if (drawnOk[b] === 0 || bad[b] === 1) {
				one(i, streams[b]);
				continue;
			}
			for (let k = 0; k < K; k++) draws[i * K + k] = input[rows[k] + b];
			for (let s = 0; s < S; s++) {
				const at = s * TOTALS.size * BATCH + b;
				store(
					i,
					s,
					batchOut[at + TOTALS.cost * BATCH],
					batchOut[at + TOTALS.qaly * BATCH],
					batchOut[at + TOTALS.lifeYears * BATCH],
					batchOut[at + TOTALS.costUndiscounted * BATCH],
					batchOut[at + TOTALS.qalyUndiscounted * BATCH],
					batchOut[at + TOTALS.lifeYearsUndiscounted * BATCH]
				);
			}
		}
		done = start + lanes;
	};

	const redraw = config.invalidDraws === 'redraw';
	let redrawn = 0;
	const redrawReasons: string[] = [];
	/** Iteration i from the start of its substream: draw, run, and on an invalid draw or run stop or draw again. */
	const one = (i: number, stream: StreamState) => {
		const rng = fromState(stream);
		for (let attempt = 1; ; attempt++) {
			try {
				sampler.draw(rng, draw);
				for (let k = 0; k < K; k++) work[slots[k]] = draw[k];
				runner.totals(
					work,
					settings,
					out,
					cycleCosts ? cycleCosts.subarray(i * S * n1, (i + 1) * S * n1) : undefined,
					forced,
					cycleCostsUndiscounted ? cycleCostsUndiscounted.subarray(i * S * n1, (i + 1) * S * n1) : undefined
				);
				break;
			} catch (e) {
				if (!(e instanceof ModelError)) throw e;
				if (!redraw || attempt >= MAX_REDRAWS) throw iterationError(e, first + i, sampler.parameterIds, draw);
				redrawn++;
				if (redrawReasons.length < 5) redrawReasons.push(e.issues.map((x) => `${x.path}: ${x.message}`).join('; '));
			}
		}
		draws.set(draw, i * K);
		for (let s = 0; s < S; s++) {
			const b = s * TOTALS.size;
			store(i, s, out[b + TOTALS.cost], out[b + TOTALS.qaly], out[b + TOTALS.lifeYears], out[b + TOTALS.costUndiscounted], out[b + TOTALS.qalyUndiscounted], out[b + TOTALS.lifeYearsUndiscounted]);
		}
	};

	return {
		sampler,
		progress,
		step(steps) {
			const end = Math.min(count, done + Math.max(0, Math.floor(steps)));
			while (done < end) {
				if (batch) runBatch(Math.min(BATCH, end - done));
				else {
					one(done, streamOf());
					done++;
				}
			}
			return progress();
		},
		result() {
			const trim = (a: Float64Array, width: number) => (done === count ? a : a.slice(0, done * width));
			return {
				modelId: cm.model.id,
				title: cm.model.title,
				settings,
				scenario,
				seed,
				iterationsRequested: iterations,
				iterations: done,
				firstIteration: first,
				strategyIds: cm.strategies.map((s) => s.id),
				strategyLabels: cm.strategies.map((s) => s.label),
				parameterIds: sampler.parameterIds,
				heldFixed: [...held].map((i) => cm.parameterIds[i]),
				draws: trim(draws, K),
				cost: trim(columns.cost, S),
				qaly: trim(columns.qaly, S),
				lifeYears: trim(columns.lifeYears, S),
				costUndiscounted: trim(columns.costUndiscounted, S),
				qalyUndiscounted: trim(columns.qalyUndiscounted, S),
				lifeYearsUndiscounted: trim(columns.lifeYearsUndiscounted, S),
				cycleCosts: cycleCosts ? trim(cycleCosts, S * n1) : null,
				cycleCostsUndiscounted: cycleCostsUndiscounted ? trim(cycleCostsUndiscounted, S * n1) : null,
				redrawn,
				redrawReasons,
				method: batch ? 'batched' : 'one by one',
				deterministic
			};
		}
	};
}

export interface RunPsaHooks {
	/** called after each chunk */
	onProgress?: (p: PsaProgress) => void;
	/** checked between chunks; true stops the run and returns the iterations completed */
	isCancelled?: () => boolean;
	/** iterations per chunk (default 250) */
	chunk?: number;
}

/** The whole PSA in one call, with progress and cancellation between chunks. */
export function runPsa(cm: CompiledModel, config: PsaConfig, hooks: RunPsaHooks = {}): PsaResult {
	const psa = createPsa(cm, config);
	const chunk = hooks.chunk ?? 250;
	for (;;) {
		if (hooks.isCancelled?.()) break;
		const p = psa.step(chunk);
		hooks.onProgress?.(p);
		if (p.finished) break;
	}
	return psa.result();
}

/**
 * The parts of one PSA (each run with its `iterationRange`) joined in iteration order: the
 * same arrays as the PSA run whole, since iteration i draws from substream i in any part.
 * Each part's arrays are copied once into arrays of the joined length. A part that stopped
 * early (cancelled) ends the result there: iterations after a gap are not kept.
 *
 *     const [a, b] = [[0, 5000], [5000, 10000]].map((r) => runPsa(cm, { iterations: 10000, seed: 1, iterationRange: r as [number, number] }));
 *     joinPsaParts([a, b]).cost; // equal, element by element, to runPsa(cm, { iterations: 10000, seed: 1 }).cost
 */
export function joinPsaParts(parts: PsaResult[]): PsaResult {
	const ordered = [...parts].sort((x, y) => x.firstIteration - y.firstIteration);
	const kept: PsaResult[] = [];
	let next = ordered[0]?.firstIteration ?? 0;
	for (const part of ordered) {
		if (part.firstIteration !== next) break;
		kept.push(part);
		next += part.iterations;
		if (part.iterations === 0) break;
	}
	if (kept.length === 0) throw new RangeError('joinPsaParts needs at least one part');
	const join = (pick: (r: PsaResult) => Float64Array | null): Float64Array | null => {
		const arrays = kept.map(pick);
		if (arrays.some((a) => a === null)) return null;
		if (arrays.length === 1) return arrays[0];
		const out = new Float64Array(arrays.reduce((n, a) => n + (a as Float64Array).length, 0));
		let at = 0;
		for (const a of arrays as Float64Array[]) {
			out.set(a, at);
			at += a.length;
		}
		return out;
	};
	const head = kept[0];
	return {
		...head,
		iterations: kept.reduce((n, r) => n + r.iterations, 0),
		draws: join((r) => r.draws) as Float64Array,
		cost: join((r) => r.cost) as Float64Array,
		qaly: join((r) => r.qaly) as Float64Array,
		lifeYears: join((r) => r.lifeYears) as Float64Array,
		costUndiscounted: join((r) => r.costUndiscounted) as Float64Array,
		qalyUndiscounted: join((r) => r.qalyUndiscounted) as Float64Array,
		lifeYearsUndiscounted: join((r) => r.lifeYearsUndiscounted) as Float64Array,
		cycleCosts: join((r) => r.cycleCosts),
		cycleCostsUndiscounted: join((r) => r.cycleCostsUndiscounted),
		redrawn: kept.reduce((n, r) => n + r.redrawn, 0),
		redrawReasons: kept.flatMap((r) => r.redrawReasons).slice(0, 5)
	};
}

/** A model error in one iteration, with the iteration and its draws so it can be reproduced. */
function iterationError(e: ModelError, i: number, ids: string[], draw: Float64Array): ModelError {
	const shown = ids
		.slice(0, 12)
		.map((id, k) => `${id}=${Number(draw[k].toPrecision(6))}`)
		.join(', ');
	return new ModelError(
		e.issues.map((x) => ({
			...x,
			message: `${x.message} [PSA iteration ${i + 1}; draws ${shown}${ids.length > 12 ? ', ...' : ''}; to redraw invalid draws instead, use invalidDraws 'redraw' (CLI --redraw-invalid)]`
		}))
	);
}
