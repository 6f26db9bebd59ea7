/**
 * The budget worker: the budget impact under uncertainty (createBudgetPsa) off the main thread,
 * in steps of whole PSA batches with progress between them. The page cancels a run by
 * terminating the worker (immediate, whatever the step).
 */
import '$lib/ui/zodSetup';
import { compile, createBudgetPsa, ModelError, parseBudgetSettings, PSA_BATCH_LANES, type BudgetPsaResult, type CompiledModel, type ModelInput } from '$lib/engine';
import type { BudgetWorkerRequest, BudgetWorkerResponse } from './budgetProtocol';

/** iterations per step: whole batches, so the PSA behind the draws runs its full lanes side by side */
const STEP = 2 * PSA_BATCH_LANES;
/** progress messages at most this often (ms) */
const PROGRESS_EVERY_MS = 100;

let cache: { key: string; compiled: CompiledModel } | null = null;

function compiledFor(model: ModelInput): CompiledModel {
	const key = JSON.stringify(model);
	if (cache?.key !== key) cache = { key, compiled: compile(model) };
	return cache.compiled;
}

const post = (m: BudgetWorkerResponse, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** The result's arrays, handed to the page without copying. */
function buffers(r: BudgetPsaResult): Transferable[] {
	const series = [r.perIteration, r.deterministic];
	const arrays = series.flatMap((s) => [s.current, s.new, s.incremental, s.cumulativeIncremental, ...s.payment.flatMap((p) => [p.incremental, p.cumulativeIncremental, p.refundsPaid])]);
	return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

self.onmessage = (e: MessageEvent<BudgetWorkerRequest>) => {
	const req = e.data;
	try {
		const bp = createBudgetPsa(compiledFor(req.model), parseBudgetSettings(req.settings), req.config);
		let lastPost = 0;
		for (;;) {
			const p = bp.step(STEP);
			if (p.finished) break;
			const now = performance.now();
			if (now - lastPost >= PROGRESS_EVERY_MS) {
				post({ type: 'progress', id: req.id, done: p.done, total: p.total });
				lastPost = now;
			}
		}
		const result = bp.result();
		post({ type: 'done', id: req.id, result }, buffers(result));
	} catch (err) {
		const issues = err instanceof ModelError ? err.issues : [];
		post({ type: 'error', id: req.id, message: (err as Error).message, issues });
	}
};
