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
import { sharedBatch, BATCH, type Batch } from '../simulate/batch';
import { createRandom, fromState, jumpState } from './random';
import { createSampler, type Sampler } from './sampler';
import type { Streams } from './variates';

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

type StreamState = [number, number, number, number];

/** The iterations a config runs, [from, to), checked: the whole PSA unless `iterationRange` names a part. */
function iterationsOf(config: PsaConfig): [number, number] {
	const { iterations, seed } = config;
	if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS)
		throw new ModelError(issue('iterations', 'invalid-override', `iterations must be a whole number from 1 to ${MAX_ITERATIONS}, got ${iterations}`));
	if (!Number.isInteger(seed)) throw new ModelError(issue('seed', 'invalid-override', `seed must be a whole number, got ${seed}`));
	const [first, last] = config.iterationRange ?? [0, iterations];
	if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last <= first || last > iterations)
		throw new ModelError(issue('iterationRange', 'invalid-override', `iterationRange must be whole numbers 0 <= from < to <= ${iterations}, got ${first} to ${last}`));
	return [first, last];
}

/**
 * The substreams of iterations first, first + 1, ...: the seeded state jumped 2^64 steps once per
 * iteration (xoshiro128**'s jump), so iteration i's draws, and its redraws, depend on the seed
 * and i only: not on chunking, batching, parts, or how many earlier iterations were redrawn.
 */
function substreams(seed: number, first: number): () => StreamState {
	let next: StreamState = createRandom(seed).state();
	for (let i = 0; i < first; i++) next = jumpState(next);
	return () => {
		const s = next;
		next = jumpState(next);
		return s;
	};
}

/** Parameters a scenario or the user set: held at their value, not drawn. */
function heldParameters(cm: CompiledModel, options: RunOptions | undefined): Set<number> {
	const overridden = { ...((cm.model.scenarios ?? []).find((s) => s.id === options?.scenario)?.parameters ?? {}), ...(options?.parameters ?? {}) };
	return new Set(Object.keys(overridden).map((id) => cm.parameterIndex.get(id) as number));
}

/** A running PSA: its model, inputs and sampler, the iterations it runs, and its output arrays. */
interface PsaRun {
	cm: CompiledModel;
	runner: Runner;
	sampler: Sampler;
	resolved: ReturnType<Runner['resolve']>;
	/** the first iteration's index in the PSA, and how many this run holds */
	first: number;
	count: number;
	strategies: number;
	drawn: number;
	/** cycles + 1: per-cycle costs per iteration and strategy */
	n1: number;
	draws: Float64Array;
	columns: Record<'cost' | 'qaly' | 'lifeYears' | 'costUndiscounted' | 'qalyUndiscounted' | 'lifeYearsUndiscounted', Float64Array>;
	cycleCosts: Float64Array | null;
	cycleCostsUndiscounted: Float64Array | null;
	nextStream: () => StreamState;
	/** iterations completed, counted from `first` */
	done: number;
	redraw: boolean;
	redrawn: number;
	redrawReasons: string[];
}

const TOTAL_FIELDS = ['cost', 'qaly', 'lifeYears', 'costUndiscounted', 'qalyUndiscounted', 'lifeYearsUndiscounted'] as const;

/** each of TOTAL_FIELDS' place in a run's totals (TOTALS) */
const TOTAL_PLACES = TOTAL_FIELDS.map((f) => TOTALS[f]);

/** Stores iteration i's totals of every strategy: field f of strategy s at source[at + s * strategyStride + f * fieldStride]. */
function storeTotals(run: PsaRun, i: number, source: Float64Array, at: number, strategyStride: number, fieldStride: number): void {
	const S = run.strategies;
	for (let f = 0; f < TOTAL_FIELDS.length; f++) {
		const column = run.columns[TOTAL_FIELDS[f]];
		const from = at + TOTAL_PLACES[f] * fieldStride;
		for (let s = 0; s < S; s++) column[i * S + s] = source[from + s * strategyStride];
	}
}

/** Redraw reasons a PSA keeps (the first ones). */
const REASONS_KEPT = 5;

/**
 * The one-by-one path: iteration i from the start of its substream; an invalid draw or run
 * stops, or draws again. `flagged`: the batch found the first draw's run invalid (it flags
 * exactly the runs that throw; tests/unit/batch.test.ts), so when redrawing with every reason
 * kept already, that run is not made again only to fail: its draw is taken from the stream
 * and counted as redrawn.
 */
function createOne(run: PsaRun): (i: number, stream: StreamState, flagged?: boolean) => void {
	const { runner, sampler, strategies: S, drawn: K, n1 } = run;
	const { settings, values, forced } = run.resolved;
	const work = Float64Array.from(values);
	const out = new Float64Array(S * TOTALS.size);
	const draw = new Float64Array(K);
	const part = (a: Float64Array | null, i: number) => a?.subarray(i * S * n1, (i + 1) * S * n1);
	return (i, stream, flagged = false) => {
		const rng = fromState(stream);
		for (let attempt = 1; ; attempt++) {
			try {
				sampler.draw(rng, draw);
				if (attempt === 1 && flagged && run.redraw && run.redrawReasons.length >= REASONS_KEPT) {
					run.redrawn++;
					continue;
				}
				for (let k = 0; k < K; k++) work[sampler.slots[k]] = draw[k];
				runner.totals(work, settings, out, part(run.cycleCosts, i), forced, part(run.cycleCostsUndiscounted, i));
				break;
			} catch (e) {
				if (!(e instanceof ModelError)) throw e;
				if (!run.redraw || attempt >= MAX_REDRAWS) throw iterationError(e, run.first + i, sampler.parameterIds, draw);
				run.redrawn++;
				if (run.redrawReasons.length < REASONS_KEPT) run.redrawReasons.push(e.issues.map((x) => `${x.path}: ${x.message}`).join('; '));
			}
		}
		run.draws.set(draw, i * K);
		storeTotals(run, i, out, 0, TOTALS.size, 1);
	};
}

/**
 * The batched path (batch.ts): iterations done .. done + lanes - 1 side by side. Each lane draws
 * from its iteration's substream; a lane whose draw or run is invalid is then run again by `one`
 * from the start of its substream (which stops, or redraws, with its error message), in
 * iteration order. Advances `done` past the iterations completed.
 */
function createBatchStep(run: PsaRun, batch: Batch, one: (i: number, stream: StreamState, flagged?: boolean) => void): (lanes: number) => void {
	const { sampler } = run;
	const { settings, values, forced } = run.resolved;
	const slots = sampler.slots;
	const P = run.cm.parameterIds.length;
	const input = new Float64Array(P * BATCH);
	for (let i = 0; i < P; i++) input.fill(values[i], i * BATCH, (i + 1) * BATCH);
	const batchOut = new Float64Array(run.strategies * TOTALS.size * BATCH);
	const bad = new Uint8Array(BATCH);
	const streams: StreamState[] = new Array(BATCH);
	const laneStreams = sampler.createStreams(BATCH);
	// drawn parameter k of lane b goes to input[slots[k] * BATCH + b]
	const rows = Int32Array.from(slots, (slot) => slot * BATCH);
	const drawnOk = new Uint8Array(BATCH);
	const lanes: BatchLanes = { input, rows, drawnOk, bad, batchOut, laneStreams };
	const redraw = createBatchRedraw(run, batch, lanes, one);
	return (count) => {
		for (let b = 0; b < count; b++) laneStreams.setState(b, (streams[b] = run.nextStream()));
		const anyOk = drawInto(run, lanes, count);
		const start = run.done;
		if (anyOk) batch.totals(input, count, settings, forced, batchOut, bad, run.cycleCosts ?? undefined, run.cycleCostsUndiscounted ?? undefined, start);
		const pending: number[] = [];
		for (let b = 0; b < count; b++) {
			const i = start + b;
			run.done = i;
			if (drawnOk[b] === 0 || bad[b] === 1) {
				if (redraw.batches()) pending.push(b);
				else one(i, streams[b], drawnOk[b] === 1);
				continue;
			}
			keepLane(run, lanes, b, i);
		}
		redraw.run(pending, start, streams);
		run.done = start + count;
	};
}

/** The arrays of a batch of lanes: inputs (parameter slot k of lane b at rows[k] + b), flags, totals and the lanes' random streams. */
interface BatchLanes {
	input: Float64Array;
	rows: Int32Array;
	drawnOk: Uint8Array;
	bad: Uint8Array;
	batchOut: Float64Array;
	laneStreams: Streams;
}

/** Each lane's draw into `input` from its stream; a lane with a draw out of range runs on the base values (and is run again). Whether any draw is in range. */
function drawInto(run: PsaRun, lanes: BatchLanes, count: number): boolean {
	const { sampler, drawn: K } = run;
	const { values } = run.resolved;
	const { input, rows, drawnOk } = lanes;
	sampler.drawLanes(lanes.laneStreams, count, input, rows, drawnOk);
	let anyOk = false;
	for (let b = 0; b < count; b++) {
		if (drawnOk[b] === 1) anyOk = true;
		else for (let k = 0; k < K; k++) input[rows[k] + b] = values[sampler.slots[k]];
	}
	return anyOk;
}

/** Lane b's draws and totals as iteration i's. */
function keepLane(run: PsaRun, lanes: BatchLanes, b: number, i: number): void {
	const K = run.drawn;
	for (let k = 0; k < K; k++) run.draws[i * K + k] = lanes.input[lanes.rows[k] + b];
	storeTotals(run, i, lanes.batchOut, b, TOTALS.size * BATCH, BATCH);
}

/**
 * Redraws of invalid lanes in batches. Once a redrawing PSA keeps every reason it reports
 * (REASONS_KEPT), an invalid draw only counts: the one-by-one path (createOne) then draws again
 * from where the draw left the iteration's stream, runs, and repeats until a run is valid. Here
 * the invalid lanes of a batch do exactly that side by side: each lane's stream goes on from
 * its state after the draw, the batch flags exactly the runs that throw, so each iteration ends
 * with the same draws, totals and count of redraws as one by one (tests/unit/batch.test.ts). A
 * lane still invalid at MAX_REDRAWS is run one by one, which reports the error. Per-cycle costs
 * are stored by position in the batch, so a PSA keeping them redraws one by one.
 */
function createBatchRedraw(run: PsaRun, batch: Batch, lanes: BatchLanes, one: (i: number, stream: StreamState, flagged?: boolean) => void) {
	const { settings, forced } = run.resolved;
	const { laneStreams, drawnOk, bad } = lanes;
	const batches = () => run.redraw && run.redrawReasons.length >= REASONS_KEPT && run.cycleCosts === null;
	return {
		batches,
		run(pending: number[], start: number, firstStreams: StreamState[]): void {
			// each lane's first draw was invalid: counted, its stream goes on from where it left
			let waiting = pending.map((b) => ({ b, state: laneStreams.getState(b) as StreamState }));
			run.redrawn += waiting.length;
			for (let attempt = 2; waiting.length > 0; attempt++) {
				waiting.forEach((lane, c) => laneStreams.setState(c, lane.state));
				const anyOk = drawInto(run, lanes, waiting.length);
				if (anyOk) batch.totals(lanes.input, waiting.length, settings, forced, lanes.batchOut, bad);
				const still: typeof waiting = [];
				waiting.forEach((lane, c) => {
					if (drawnOk[c] === 1 && bad[c] === 0) keepLane(run, lanes, c, start + lane.b);
					else still.push({ b: lane.b, state: laneStreams.getState(c) as StreamState });
				});
				if (still.length > 0 && attempt >= MAX_REDRAWS) {
					// one by one from the start of its stream, the first such lane stops with its error
					for (const lane of still) one((run.done = start + lane.b), firstStreams[lane.b], true);
					return;
				}
				run.redrawn += still.length;
				waiting = still;
			}
		}
	};
}

/** The base-case totals per strategy, for comparison with the PSA means. */
function deterministicTotals(run: PsaRun): PsaResult['deterministic'] {
	const { settings, values, forced } = run.resolved;
	const out = new Float64Array(run.strategies * TOTALS.size);
	run.runner.totals(values, settings, out, undefined, forced);
	const pick = (field: number) => Float64Array.from({ length: run.strategies }, (_, s) => out[s * TOTALS.size + field]);
	return { cost: pick(TOTALS.cost), qaly: pick(TOTALS.qaly), lifeYears: pick(TOTALS.lifeYears) };
}

/** The result so far: the arrays trimmed to the completed iterations. */
function resultOf(run: PsaRun, config: PsaConfig, held: Set<number>, method: PsaResult['method'], deterministic: PsaResult['deterministic']): PsaResult {
	const { cm, done, count, strategies: S } = run;
	const trim = (a: Float64Array, width: number) => (done === count ? a : a.slice(0, done * width));
	const trimmed = Object.fromEntries(TOTAL_FIELDS.map((f) => [f, trim(run.columns[f], S)])) as PsaRun['columns'];
	return {
		modelId: cm.model.id,
		title: cm.model.title,
		settings: run.resolved.settings,
		scenario: run.resolved.scenario,
		seed: config.seed,
		iterationsRequested: config.iterations,
		iterations: done,
		firstIteration: run.first,
		strategyIds: cm.strategies.map((s) => s.id),
		strategyLabels: cm.strategies.map((s) => s.label),
		parameterIds: run.sampler.parameterIds,
		heldFixed: [...held].map((i) => cm.parameterIds[i]),
		draws: trim(run.draws, run.drawn),
		...trimmed,
		cycleCosts: run.cycleCosts ? trim(run.cycleCosts, S * run.n1) : null,
		cycleCostsUndiscounted: run.cycleCostsUndiscounted ? trim(run.cycleCostsUndiscounted, S * run.n1) : null,
		redrawn: run.redrawn,
		redrawReasons: run.redrawReasons,
		method,
		deterministic
	};
}

/**
 * A PSA ready to run in steps: the iterations checked, the sampler made around the resolved
 * inputs, the memory limit checked before any array is made, then `step` runs iterations
 * batched where the model allows (else one by one), `result` gives what is done. Monte Carlo
 * probabilistic sensitivity analysis as in Briggs, Claxton & Sculpher 2006 (Decision Modelling
 * for Health Economic Evaluation, ch. 4): each iteration draws every uncertain parameter from
 * its distribution and runs the cohort model; expected values are means over iterations.
 *
 * @example
 *     const psa = createPsa(cm, { iterations: 1000, seed: 1 });
 *     psa.step(250);            // runs iterations 0..249; its progress reports 250 done of 1000
 *     psa.result().cost.length; // 250 iterations x the number of strategies, so far
 */
export function createPsa(compiled: CompiledModel, config: PsaConfig): Psa {
	// costs converted to the currency and price year the options ask for: draws are around converted values
	const cm = compiledFor(compiled, config.options);
	const [first, last] = iterationsOf(config);
	const count = last - first;
	const runner = runnerOf(cm);
	const resolved = runner.resolve(config.options);
	const held = heldParameters(cm, config.options);
	const sampler = createSampler(cm, resolved.values, held);
	const S = cm.strategies.length;
	const K = sampler.parameterIds.length;
	const n1 = resolved.settings.horizon + 1;
	// refused before any array is made, with the number of iterations that would fit (the whole PSA's, even for a part)
	const tooBig = psaSizeProblem({ iterations: config.iterations, drawn: K, strategies: S, cycles: resolved.settings.horizon, keepCycleCosts: config.keepCycleCosts === true });
	if (tooBig) throw new ModelError(issue('iterations', 'model-size', tooBig));
	const perCycle = () => (config.keepCycleCosts ? new Float64Array(count * S * n1) : null);
	const run: PsaRun = {
		cm,
		runner,
		sampler,
		resolved,
		first,
		count,
		strategies: S,
		drawn: K,
		n1,
		draws: new Float64Array(count * K),
		columns: Object.fromEntries(TOTAL_FIELDS.map((f) => [f, new Float64Array(count * S)])) as PsaRun['columns'],
		cycleCosts: perCycle(),
		cycleCostsUndiscounted: perCycle(),
		nextStream: substreams(config.seed, first),
		done: 0,
		redraw: config.invalidDraws === 'redraw',
		redrawn: 0,
		redrawReasons: []
	};
	const deterministic = deterministicTotals(run);
	const one = createOne(run);
	// many iterations at once where the model allows it (batch.ts); the same numbers as one by one
	const batch = config.backend === 'javascript' ? null : sharedBatch(cm, sampler.slots);
	const batchStep = batch ? createBatchStep(run, batch, one) : null;
	// `done` and the arrays count from the part's first iteration; messages name the PSA's own index
	const progress = (): PsaProgress => ({ done: run.done, total: count, finished: run.done >= count });
	return {
		sampler,
		progress,
		step(steps) {
			const end = Math.min(count, run.done + Math.max(0, Math.floor(steps)));
			while (run.done < end) {
				if (batchStep) batchStep(Math.min(BATCH, end - run.done));
				else {
					one(run.done, run.nextStream());
					run.done++;
				}
			}
			return progress();
		},
		result: () => resultOf(run, config, held, batch ? 'batched' : 'one by one', deterministic)
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

/**
 * The whole PSA in one call (createPsa, then step by `chunk` iterations until done), with
 * progress and cancellation between chunks (Briggs, Claxton & Sculpher 2006, ch. 4).
 *
 * @example
 *     const r = runPsa(cm, { iterations: 1000, seed: 1 }, { chunk: 250, onProgress: (p) => console.log(p) });
 *     // onProgress is called 4 times; the same seed gives the same r.cost on every run
 */
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
 * @example
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
