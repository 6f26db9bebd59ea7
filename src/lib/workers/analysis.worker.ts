/**
 * The analysis worker: probabilistic (PSA) and one-way (DSA) sensitivity analyses, the
 * break-even grid and the EVSI of a proposed trial (from a PSA the page holds) off the main
 * thread, so the page stays responsive. It reports progress between chunks of iterations; the
 * page cancels a run by terminating the worker (immediate, whatever the chunk).
 */
import '$lib/ui/zodSetup';
import { compile, ModelError, PSA_BATCH_LANES, type CompiledModel, type ModelInput, type PsaResult } from '$lib/engine';
import { breakeven, createPsa, evsi, oneWay, paybackPrice, psaBreakeven, subgroupPsa, type Psa, type PsaConfig } from '$lib/engine';
import type { WorkerRequest, WorkerResponse } from './protocol';

/**
 * Iterations per step: whole batches, so the batched PSA runs its full 128 lanes side by side
 * (a step of 20 would run batches of 20 lanes, several times slower per iteration).
 */
const STEP = 2 * PSA_BATCH_LANES;
/** progress messages at most this often (ms): each one repaints the page's progress bar */
const PROGRESS_EVERY_MS = 100;

let cache: { key: string; compiled: CompiledModel } | null = null;

function compiledFor(model: ModelInput): CompiledModel {
	const key = JSON.stringify(model);
	if (cache?.key !== key) cache = { key, compiled: compile(model) };
	return cache.compiled;
}

/**
 * The PSA with each iteration's costs per cycle (for payback under uncertainty) when they fit in
 * the engine's memory limit (MAX_PSA_BYTES), else without them; a PSA too large even without
 * them is refused by createPsa with the number of iterations that would fit.
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

/** The result's arrays, handed to the page without copying (tens of MB with per-cycle costs). */
function resultBuffers(result: PsaResult): Transferable[] {
	const arrays = [result.draws, result.cost, result.qaly, result.lifeYears, result.costUndiscounted, result.qalyUndiscounted, result.lifeYearsUndiscounted, result.cycleCosts, result.cycleCostsUndiscounted];
	return [...new Set(arrays.filter((a): a is Float64Array => a !== null).map((a) => a.buffer as ArrayBuffer))];
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
	const req = e.data;
	try {
		if (req.type === 'evsi') {
			const result = evsi(req.psa, { ...req.options, onProgress: (done, total) => post({ type: 'progress', id: req.id, done, total }) });
			post({ type: 'evsi-done', id: req.id, result });
			return;
		}
		const cm = compiledFor(req.model);
		if (req.type === 'psa') {
			const psa = psaKeepingCycleCostsIfTheyFit(cm, { iterations: req.iterations, seed: req.seed, options: req.options });
			let lastPost = 0;
			for (;;) {
				const p = psa.step(STEP);
				if (p.finished) break;
				const now = performance.now();
				if (now - lastPost >= PROGRESS_EVERY_MS) {
					post({ type: 'progress', id: req.id, done: p.done, total: p.total });
					lastPost = now;
				}
			}
			const result = psa.result();
			post({ type: 'psa-done', id: req.id, result }, resultBuffers(result));
		} else if (req.type === 'subgroup-psa') {
			let lastPost = 0;
			const onProgress = (p: { done: number; total: number }) => {
				const now = performance.now();
				if (now - lastPost < PROGRESS_EVERY_MS) return;
				post({ type: 'progress', id: req.id, done: p.done, total: p.total });
				lastPost = now;
			};
			const result = subgroupPsa(cm, { iterations: req.iterations, seed: req.seed, options: req.options, wtp: req.wtp }, { onProgress, chunk: STEP });
			post({ type: 'subgroup-psa-done', id: req.id, result });
		} else if (req.type === 'breakeven') {
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
		} else {
			post({ type: 'progress', id: req.id, done: 0, total: 1 });
			const result = oneWay(cm, { options: req.options, referenceId: req.referenceId, willingnessToPay: req.willingnessToPay });
			post({ type: 'dsa-done', id: req.id, result });
		}
	} catch (err) {
		const issues = err instanceof ModelError ? err.issues : [];
		post({ type: 'error', id: req.id, message: (err as Error).message, issues });
	}
};
