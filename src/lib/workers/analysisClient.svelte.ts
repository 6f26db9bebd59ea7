/**
 * Runs analyses in the worker and holds their state for the page: progress, result, error.
 * One job at a time per kind; `cancel` terminates the worker, so a cancelled run stops at once
 * and leaves the previous result on screen. A worker that finished is kept for the next run of
 * its kind (its code loaded and its compiled model cached), and `warm()` starts one before the
 * first run, so a click does not wait for the worker to load.
 */
import type { ModelInput, RunOptions } from '$lib/engine';
import type { EvsiOptions, EvsiResult, OneWayResult, PsaResult, PsaWithDraws, SubgroupPsaResult } from '$lib/engine';
import type { BreakevenJobResult, NewRequest, WorkerRequest, WorkerResponse } from './protocol';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

class Job<R> {
	status: Status = $state('idle');
	done = $state(0);
	total = $state(0);
	result: R | null = $state.raw(null);
	error = $state('');
	/** what the current result was computed from (to flag a result as out of date) */
	inputsKey = $state('');
	#worker: Worker | null = null;
	#id = 0;

	readonly finished: WorkerResponse['type'];

	constructor(finished: WorkerResponse['type']) {
		this.finished = finished;
	}

	/** Starts this kind's worker ahead of its first run (nothing if one is there already). */
	warm(): void {
		if (!this.#worker && typeof Worker !== 'undefined') this.#worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' });
	}

	start(request: NewRequest, inputsKey: string): void {
		this.cancel(false);
		this.warm();
		const worker = this.#worker as Worker;
		const id = ++this.#id;
		this.status = 'running';
		this.done = 0;
		this.total = request.type === 'psa' || request.type === 'subgroup-psa' ? request.iterations : request.type === 'evsi' ? request.options.sampleSizes.length : 1;
		this.error = '';
		worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
			const m = e.data;
			if (m.id !== id) return;
			if (m.type === 'progress') {
				this.done = m.done;
				this.total = m.total;
			} else if (m.type === 'error') {
				this.status = 'error';
				this.error = m.message;
				this.#stop();
			} else if (m.type === this.finished) {
				this.result = (m as unknown as { result: R }).result;
				this.inputsKey = inputsKey;
				this.status = 'done';
			}
		};
		worker.onerror = (e) => {
			this.status = 'error';
			this.error = e.message || 'the analysis worker failed to start';
			this.#stop();
		};
		worker.postMessage({ ...request, id } as WorkerRequest);
	}

	#stop(): void {
		this.#worker?.terminate();
		this.#worker = null;
	}

	/** Stops a running job (its worker is terminated at once); an idle worker is kept. */
	cancel(mark = true): void {
		if (this.#worker && this.status === 'running') {
			this.#stop();
			if (mark) this.status = 'cancelled';
		}
	}

	clear(): void {
		this.cancel(false);
		this.#stop();
		this.status = 'idle';
		this.result = null;
		this.error = '';
	}
}

export class AnalysisClient {
	psa = new Job<PsaResult>('psa-done');
	dsa = new Job<OneWayResult>('dsa-done');
	breakeven = new Job<BreakevenJobResult>('breakeven-done');
	evsi = new Job<EvsiResult>('evsi-done');
	subgroupPsa = new Job<SubgroupPsaResult>('subgroup-psa-done');

	runPsa(model: ModelInput, options: RunOptions, iterations: number, seed: number, inputsKey: string): void {
		this.psa.start({ type: 'psa', model: $state.snapshot(model) as ModelInput, options: $state.snapshot(options) as RunOptions, iterations, seed }, inputsKey);
	}

	runDsa(model: ModelInput, options: RunOptions, referenceId: string, willingnessToPay: number, inputsKey: string): void {
		this.dsa.start({ type: 'dsa', model: $state.snapshot(model) as ModelInput, options: $state.snapshot(options) as RunOptions, referenceId, willingnessToPay }, inputsKey);
	}

	runBreakeven(model: ModelInput, request: Omit<Extract<NewRequest, { type: 'breakeven' }>, 'type' | 'model'>, inputsKey: string): void {
		this.breakeven.start({ type: 'breakeven', model: $state.snapshot(model) as ModelInput, ...($state.snapshot(request) as typeof request) }, inputsKey);
	}

	/**
	 * EVSI in the worker from a PSA the page holds: only its costs, effects and the draws of the
	 * trial's parameter are copied to the worker (the page keeps its arrays).
	 */
	runEvsi(psa: PsaWithDraws, options: Omit<EvsiOptions, 'onProgress'>, inputsKey: string): void {
		const K = psa.parameterIds.length;
		const k = psa.parameterIds.indexOf(options.parameter);
		// a parameter not drawn is sent as none, so the engine's error names it
		const draws = k < 0 ? new Float64Array(0) : Float64Array.from({ length: psa.iterations }, (_, i) => psa.draws[i * K + k]);
		const slim: PsaWithDraws = { iterations: psa.iterations, strategyIds: [...psa.strategyIds], cost: psa.cost, qaly: psa.qaly, parameterIds: k < 0 ? [] : [options.parameter], draws };
		this.evsi.start({ type: 'evsi', psa: slim, options: $state.snapshot(options) as typeof options }, inputsKey);
	}

	runSubgroupPsa(model: ModelInput, options: RunOptions, iterations: number, seed: number, wtp: number[], inputsKey: string): void {
		this.subgroupPsa.start({ type: 'subgroup-psa', model: $state.snapshot(model) as ModelInput, options: $state.snapshot(options) as RunOptions, iterations, seed, wtp }, inputsKey);
	}

	clear(): void {
		this.evsi.clear();
		this.subgroupPsa.clear();
		this.psa.clear();
		this.dsa.clear();
		this.breakeven.clear();
	}
}
