/**
 * The analysis worker: probabilistic (PSA) and one-way (DSA) sensitivity analyses, the
 * break-even grid, the EVSI of a proposed trial (from a PSA the page holds) and the PSA per
 * subgroup off the main thread, so the page stays responsive. It reports progress between
 * chunks of iterations; the page cancels a run by terminating the worker (immediate, whatever
 * the chunk).
 *
 * A PSA may be split across workers (one per core): each runs its part of the iterations
 * (`iterationRange`; iteration i draws from substream i, so the parts joined equal the whole run),
 * the page forwards the other parts to the lead worker, which joins them and computes, once,
 * everything the page shows of the PSA (`psaShown`: CEAC, CE plane, EVPI, summary, payback), so
 * the page does no work in proportion to iterations x strategies but draw. With two parts, the
 * second worker meanwhile computes the EVPI curve, EVPI and the summary table from both parts'
 * costs and QALYs (the lead's forwarded to it) while the lead computes the CEAC, CE plane and
 * payback, so the summaries run side by side.
 */
import '$lib/ui/zodSetup';
import { compile, createRunner, modelComparison, ModelError, PSA_BATCH_LANES, type CompiledModel, type ModelInput, type PsaResult, type RunOptions, type Runner } from '$lib/engine';
import { breakeven, createPsa, evsi, joinPsaParts, oneWay, paybackPrice, psaBreakeven, subgroupPsa, type Psa, type PsaConfig } from '$lib/engine';
import { defaultPaybackPair } from '$lib/ui/payback';
import { curvesOf, outcomeSummaries, pairCycleCosts, psaShown, shownBuffers, type OutcomeSummaries, type PaybackPair, type PsaCurves } from '$lib/ui/psaView';
import { epochMs, psaBuffers, type PartOutcomes, type PsaPart, type WorkerRequest, type WorkerResponse } from './protocol';

/**
 * Iterations per step: whole batches, so the batched PSA runs its full 128 lanes side by side
 * (a step of 20 would run batches of 20 lanes, several times slower per iteration).
 */
const STEP = 2 * PSA_BATCH_LANES;
/** progress messages at most this often (ms): each one repaints the page's progress bar */
const PROGRESS_EVERY_MS = 150;

/** the last model sent: compiled, or the error compiling it gave (given again to a request that names no model) */
let cache: { key: string; compiled: CompiledModel; runner: Runner } | { key: string; error: unknown } | null = null;

/** The model compiled (cached: the last one); null asks for the model this worker was sent last. */
function compiledFor(model: ModelInput | null): { compiled: CompiledModel; runner: Runner } {
	if (model !== null) {
		const key = JSON.stringify(model);
		if (cache?.key !== key) {
			try {
				const compiled = compile(model);
				cache = { key, compiled, runner: createRunner(compiled) };
			} catch (error) {
				cache = { key, error };
			}
		}
	}
	if (!cache) throw new Error('the analysis worker has no model yet');
	if ('error' in cache) throw cache.error;
	return cache;
}

/**
 * The PSA with each iteration's costs per cycle (for payback under uncertainty) when they fit in
 * the engine's memory limit (MAX_PSA_BYTES), else without them; a PSA too large even without
 * them is refused by createPsa with the number of iterations that would fit. The limit is of the
 * whole PSA, so every part of a split PSA decides the same.
 */
function psaKeepingCycleCostsIfTheyFit(cm: CompiledModel, config: Omit<PsaConfig, 'keepCycleCosts'>): Psa {
	try {
		return createPsa(cm, { ...config, keepCycleCosts: true });
	} catch (e) {
		if (e instanceof ModelError && e.code === 'model-size') return createPsa(cm, { ...config, keepCycleCosts: false });
		throw e;
	}
}

const post = (m: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

type PsaRequest = Extract<WorkerRequest, { type: 'psa' }>;

/** A progress reporter for job `id` that posts at most every PROGRESS_EVERY_MS after `since` (0: the first report at once). */
function throttledProgress(id: number, since = performance.now()): (p: { done: number; total: number }) => void {
	let lastPost = since;
	return (p) => {
		const now = performance.now();
		if (now - lastPost < PROGRESS_EVERY_MS) return;
		post({ type: 'progress', id, done: p.done, total: p.total });
		lastPost = now;
	};
}

/** Runs this worker's iterations of a PSA in steps, posting progress at most every PROGRESS_EVERY_MS. */
function runPart(cm: CompiledModel, req: PsaRequest): PsaResult {
	const iterationRange: [number, number] | undefined = req.part ? [req.part.from, req.part.to] : undefined;
	const psa = psaKeepingCycleCostsIfTheyFit(cm, { iterations: req.iterations, seed: req.seed, options: req.options, iterationRange });
	const progress = throttledProgress(req.id);
	for (;;) {
		const p = psa.step(STEP);
		if (p.finished) break;
		progress(p);
	}
	return psa.result();
}

/**
 * The lead part of a split PSA, waiting for the other parts the page forwards and, for a PSA in
 * two parts, for the EVPI curve the other worker computes meanwhile.
 */
let gathering: {
	id: number;
	parts: PsaPart[];
	of: number;
	pair: PaybackPair | null;
	summaries: OutcomeSummaries | null;
	needsEvpi: boolean;
	/** the parts joined and the CEAC and plane computed, once every part is in (while the other worker may still compute the summaries) */
	joined: { result: PsaResult; pairCosts: Float64Array | null; curves: PsaCurves; joining: number } | null;
} | null = null;

/** The second part of a PSA in two: it computes the EVPI curve once it has the lead's costs and QALYs too. */
let helping: { id: number; outcomes: PartOutcomes[]; strategyIds: string[]; willingnessToPay: number } | null = null;

/** Copies of a part's costs and QALYs (its own arrays go to the page). */
const outcomesOf = (r: PsaResult): PartOutcomes => ({ firstIteration: r.firstIteration, iterations: r.iterations, cost: r.cost.slice(), qaly: r.qaly.slice() });

/** The pair the deterministic payback chart shows by default, for payback under uncertainty. */
function paybackPairOf(runner: Runner, compiled: CompiledModel, options: RunOptions): PaybackPair | null {
	try {
		return defaultPaybackPair(runner.run(options), modelComparison(compiled.model));
	} catch {
		return null;
	}
}

/** Arrays one after the other in one array (null if any is null). */
function concatenated(arrays: (Float64Array | null)[]): Float64Array | null {
	if (arrays.some((a) => a === null)) return null;
	const out = new Float64Array(arrays.reduce((n, a) => n + (a as Float64Array).length, 0));
	arrays.reduce((at, a) => (out.set(a as Float64Array, at), at + (a as Float64Array).length), 0);
	return out;
}

/**
 * When every part is in: joins them and computes the CEAC and CE plane at once (the other worker
 * may still be computing the EVPI curve and summary); when the summaries are in too, computes
 * the rest of what the page shows and hands both over.
 */
function finishIfComplete(): void {
	const g = gathering;
	if (!g || g.parts.length < g.of) return;
	if (!g.joined) {
		const joining = epochMs();
		const parts = [...g.parts].sort((a, b) => a.result.firstIteration - b.result.firstIteration);
		const result = joinPsaParts(parts.map((p) => p.result));
		const pairCosts = parts.length === 1 ? parts[0].pairCosts : concatenated(parts.map((p) => p.pairCosts));
		g.joined = { result, pairCosts, curves: curvesOf(result, result.strategyIds[0]), joining };
	}
	if (g.needsEvpi && !g.summaries) return;
	gathering = null;
	const { result, pairCosts, curves, joining } = g.joined;
	const shown = psaShown(result, g.pair, pairCosts, g.parts.every((p) => p.cycleCostsKept), g.summaries ?? undefined, curves);
	const timing = { parts: g.parts.map(({ started, finished }) => ({ started, finished })), joining, posted: epochMs() };
	post({ type: 'psa-done', id: g.id, result, shown, timing }, [...new Set([...psaBuffers(result), ...shownBuffers(shown)])]);
}

/**
 * Runs this worker's part of a PSA. Its per-cycle costs stay here but for the payback pair's:
 * the lead joins the parts (its own and those forwarded), the others hand theirs to the page.
 */
function onPsa(req: PsaRequest): void {
	const started = epochMs();
	const { compiled, runner } = compiledFor(req.model);
	const whole = runPart(compiled, req);
	const pair = paybackPairOf(runner, compiled, req.options);
	const result = { ...whole, cycleCosts: null, cycleCostsUndiscounted: null };
	const part: PsaPart = { result, pairCosts: pairCycleCosts(whole, pair), cycleCostsKept: whole.cycleCosts !== null, started, finished: epochMs() };
	const of = req.part?.of ?? 1;
	if (req.part && !req.part.lead) {
		if (of === 2) helping = { id: req.id, outcomes: [outcomesOf(result)], strategyIds: result.strategyIds, willingnessToPay: result.settings.willingnessToPay };
		post({ type: 'psa-part', id: req.id, part }, psaBuffers(part.result, part.pairCosts));
		return;
	}
	if (of === 2) {
		const outcomes = outcomesOf(result);
		post({ type: 'psa-outcomes', id: req.id, outcomes }, [outcomes.cost.buffer, outcomes.qaly.buffer]);
	}
	gathering = { id: req.id, parts: [part], of, pair, summaries: null, needsEvpi: of === 2, joined: null };
	finishIfComplete();
}

/** The helper: with both parts' costs and QALYs, the EVPI curve, EVPI and summary of the joined PSA (against its first strategy), for the lead. */
function onPsaOutcomes(req: Extract<WorkerRequest, { type: 'psa-outcomes' }>): void {
	const h = helping;
	if (h?.id !== req.id) return;
	helping = null;
	const parts = [...h.outcomes, req.outcomes].sort((a, b) => a.firstIteration - b.firstIteration);
	const joined = {
		iterations: parts.reduce((n, p) => n + p.iterations, 0),
		strategyIds: h.strategyIds,
		cost: concatenated(parts.map((p) => p.cost)) as Float64Array,
		qaly: concatenated(parts.map((p) => p.qaly)) as Float64Array
	};
	const summaries = outcomeSummaries(joined, h.willingnessToPay, h.strategyIds[0]);
	post({ type: 'psa-evpi', id: req.id, summaries }, [summaries.evpi.buffer as ArrayBuffer]);
}

function onPsaEvpi(req: Extract<WorkerRequest, { type: 'psa-evpi' }>): void {
	if (gathering?.id !== req.id) return;
	gathering.summaries = req.summaries;
	finishIfComplete();
}

function onPsaPart(req: Extract<WorkerRequest, { type: 'psa-part' }>): void {
	if (gathering?.id !== req.id) return;
	gathering.parts.push(req.part);
	finishIfComplete();
}

function onBreakeven(req: Extract<WorkerRequest, { type: 'breakeven' }>): void {
	const { compiled: cm } = compiledFor(req.model);
	post({ type: 'progress', id: req.id, done: 0, total: 1 });
	const { strategyId, comparatorId, willingnessToPay, options } = req;
	const grid = breakeven(cm, { strategyId, comparatorId, willingnessToPay, efficacy: req.efficacy, durability: req.durability, options });
	const payback = req.paybackYears === null ? null : paybackPrice(cm, { strategyId, comparatorId, years: req.paybackYears, options });
	let psa = null;
	if (req.psa) {
		const { prices: _prices, ...summary } = psaBreakeven(cm, { strategyId, comparatorId, willingnessToPay, iterations: req.psa.iterations, seed: req.psa.seed, options });
		psa = summary;
	}
	post({ type: 'breakeven-done', id: req.id, result: { breakeven: grid, payback, psa } });
}

/** The EVSI of a proposed trial from the PSA the page sent (its costs, effects and the trial parameter's draws). */
function onEvsi(req: Extract<WorkerRequest, { type: 'evsi' }>): void {
	const result = evsi(req.psa, { ...req.options, onProgress: (done, total) => post({ type: 'progress', id: req.id, done, total }) });
	post({ type: 'evsi-done', id: req.id, result });
}

/** One PSA per subgroup with the same seed (analysis/subgroupPsa.ts), progress at most every PROGRESS_EVERY_MS. */
function onSubgroupPsa(req: Extract<WorkerRequest, { type: 'subgroup-psa' }>): void {
	const { compiled: cm } = compiledFor(req.model);
	const result = subgroupPsa(cm, { iterations: req.iterations, seed: req.seed, options: req.options, wtp: req.wtp }, { onProgress: throttledProgress(req.id, 0), chunk: STEP });
	post({ type: 'subgroup-psa-done', id: req.id, result });
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
	const req = e.data;
	try {
		if (req.type === 'psa') onPsa(req);
		else if (req.type === 'psa-part') onPsaPart(req);
		else if (req.type === 'psa-outcomes') onPsaOutcomes(req);
		else if (req.type === 'psa-evpi') onPsaEvpi(req);
		else if (req.type === 'breakeven') onBreakeven(req);
		else if (req.type === 'evsi') onEvsi(req);
		else if (req.type === 'subgroup-psa') onSubgroupPsa(req);
		else {
			const { compiled: cm } = compiledFor(req.model);
			post({ type: 'progress', id: req.id, done: 0, total: 1 });
			const result = oneWay(cm, { options: req.options, referenceId: req.referenceId, willingnessToPay: req.willingnessToPay });
			post({ type: 'dsa-done', id: req.id, result });
		}
	} catch (err) {
		gathering = null;
		helping = null;
		const issues = err instanceof ModelError ? err.issues : [];
		post({ type: 'error', id: req.id, message: (err as Error).message, issues });
	}
};
