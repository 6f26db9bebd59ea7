/**
 * The run worker: deterministic runs (and the subgroup analysis) of a model whose runs take
 * longer than a frame, off the main thread, so typing into a field never waits for a run
 * (runClient.svelte.ts decides which runs come here). It calls the same functions the page
 * calls on the main thread (runOutcome, subgroupOutcome), so the results are the same.
 */
import '$lib/ui/zodSetup';
import { compile, createRunner, type CompiledModel, type Runner } from '$lib/engine';
import { runOutcome } from '$lib/state/runOutcome';
import { subgroupOutcome } from '$lib/ui/subgroupView';
import { epochMs } from './protocol';
import type { RunAnswer, RunRequest } from './runProtocol';

/** the last model sent, compiled once */
let cached: { modelToken: number; compiled: CompiledModel; runner: Runner } | null = null;

const post = (m: RunAnswer) => (self as unknown as Worker).postMessage(m);

function answer(req: RunRequest): RunAnswer {
	let started = epochMs();
	const issue = (message: string) => ({ ok: false as const, issues: [{ path: '', code: 'not-finite' as const, message }] });
	try {
		if (req.model !== null) {
			const compiled = compile(req.model);
			cached = { modelToken: req.modelToken, compiled, runner: createRunner(compiled) };
			// the run's time, without compiling the model, is what the page weighs
			started = epochMs();
		}
		if (!cached || cached.modelToken !== req.modelToken) throw new Error('the run worker was not sent this model');
		if (req.kind === 'subgroups') return { id: req.id, kind: 'subgroups', outcome: subgroupOutcome(cached.compiled, req.options), started, finished: epochMs() };
		return { id: req.id, kind: 'run', outcome: runOutcome(cached.runner, req.options), started, finished: epochMs() };
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		return req.kind === 'subgroups' ? { id: req.id, kind: 'subgroups', outcome: issue(message), started, finished: epochMs() } : { id: req.id, kind: 'run', outcome: issue(message), started, finished: epochMs() };
	}
}

self.onmessage = (e: MessageEvent<RunRequest>) => post(answer(e.data));
