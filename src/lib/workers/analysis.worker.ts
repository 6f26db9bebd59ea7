/**
 * The analysis worker: probabilistic (PSA) and one-way (DSA) sensitivity analyses and the
 * break-even grid off the main
 * thread, so the page stays responsive. It reports progress between chunks of iterations; the
 * page cancels a run by terminating the worker (immediate, whatever the chunk).
 */
import '$lib/ui/zodSetup';
import { compile, ModelError, type CompiledModel, type ModelInput } from '$lib/engine';
import { breakeven, createPsa, oneWay, paybackPrice, psaBreakeven } from '$lib/engine';
import type { WorkerRequest, WorkerResponse } from './protocol';

/** chunk size: small enough for smooth progress, large enough that messaging costs little */
const CHUNK = 20;

let cache: { key: string; compiled: CompiledModel } | null = null;

function compiledFor(model: ModelInput): CompiledModel {
	const key = JSON.stringify(model);
	if (cache?.key !== key) cache = { key, compiled: compile(model) };
	return cache.compiled;
}

const post = (m: WorkerResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
	const req = e.data;
	try {
		const cm = compiledFor(req.model);
		if (req.type === 'psa') {
			const psa = createPsa(cm, { iterations: req.iterations, seed: req.seed, options: req.options, keepCycleCosts: true });
			for (;;) {
				const p = psa.step(CHUNK);
				post({ type: 'progress', id: req.id, done: p.done, total: p.total });
				if (p.finished) break;
			}
			const result = psa.result();
			post({ type: 'psa-done', id: req.id, result });
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
