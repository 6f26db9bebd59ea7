/**
 * Runs analyses in workers and holds their state for the page: progress, result, error.
 * One job at a time per kind; `cancel` terminates its workers, so a cancelled run stops at once
 * and leaves the previous result on screen. Workers that finished are kept for the next run of
 * their kind (their code loaded and their compiled model cached), and `warm()` starts them before
 * the first run, so a click does not wait for a worker to load. The PSA's workers also rehearse
 * (`warmPsa`): while the page is idle after loading, and again when another model is opened, they
 * run a small PSA through every step of a real one (compile, WebAssembly, the parts, joining,
 * summaries), whose result is not shown, so the first "Run PSA" is as quick as the later ones.
 *
 * A PSA large enough is split across two workers (the machine's cores, at most two), each running
 * half of the iterations; the page forwards the second half to the first worker, which joins
 * them (the same arrays as one run: each iteration has its own random substream) and computes
 * what the page shows, and the first half's costs and QALYs to the second worker, which computes
 * the EVPI curve, EVPI and summary table meanwhile and hands them to the first.
 */
import { PSA_BATCH_LANES, type ModelInput, type RunOptions } from '$lib/engine';
import type { EvsiOptions, EvsiResult, OneWayResult, PsaResult, PsaWithDraws, SubgroupPsaResult } from '$lib/engine';
import type { PsaShown } from '$lib/ui/psaView';
import { measure, PSA_MEASURES } from '$lib/ui/measures';
import { epochMs, psaBuffers, type BreakevenJobResult, type NewRequest, type PsaTiming, type WorkerRequest, type WorkerResponse } from './protocol';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

/**
 * Workers a PSA may be split across: one per core (navigator.hardwareConcurrency), at most two.
 * @example psaWorkerCount() // 2 on a machine with two or more cores
 */
export function psaWorkerCount(): number {
	const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
	return Math.max(1, Math.min(2, cores));
}

/** PSAs with fewer iterations run in one worker: a few batches take less time than a second worker's part adds. */
const SPLIT_FROM = 4 * PSA_BATCH_LANES;
/** the warm-up PSA: one batch in each worker, split as a real PSA is, so every stage of one runs */
const WARM_UP_ITERATIONS = 2 * PSA_BATCH_LANES;

/**
 * How a PSA of `iterations` is split across `workers`: two ranges [from, to) cut at the whole batch
 * of 128 nearest the middle (so every batch runs its full lanes), one range below SPLIT_FROM.
 * @example psaParts(10000, 2) // [[0, 4992], [4992, 10000]]
 */
export function psaParts(iterations: number, workers: number): [number, number][] {
	const cut = Math.round(iterations / 2 / PSA_BATCH_LANES) * PSA_BATCH_LANES;
	if (workers < 2 || iterations < SPLIT_FROM || cut <= 0 || cut >= iterations) return [[0, iterations]];
	return [
		[0, cut],
		[cut, iterations]
	];
}

class Job<R, V = null> {
	status: Status = $state('idle');
	done = $state(0);
	total = $state(0);
	result: R | null = $state.raw(null);
	/** what the worker computed from the result for the page (the PSA's view), else null */
	shown: V | null = $state.raw(null);
	error = $state('');
	/** what the current result was computed from (to flag a result as out of date) */
	inputsKey = $state('');
	#workers: Worker[] = [];
	/** the model object each worker was last sent: not cloned and sent again while it is the same */
	#sent = new WeakMap<Worker, object>();
	#id = 0;
	#startedAt = 0;

	readonly finished: WorkerResponse['type'];
	/** workers this kind may use at once */
	readonly size: number;

	constructor(finished: WorkerResponse['type'], size = 1) {
		this.finished = finished;
		this.size = size;
	}

	/** Starts this kind's workers ahead of their first run (nothing for those there already). */
	warm(count = this.size): Worker[] {
		while (typeof Worker !== 'undefined' && this.#workers.length < count) this.#workers.push(new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module' }));
		return this.#workers;
	}

	/**
	 * Posts a request, its model copied (a snapshot of the page's state) only when this worker has
	 * not been sent that model object already, else null: the worker's compiled copy is used.
	 */
	#send(worker: Worker, request: NewRequest, id: number): void {
		const model = 'model' in request ? request.model : null;
		const fresh = model !== null && this.#sent.get(worker) !== model;
		if (fresh) this.#sent.set(worker, model);
		worker.postMessage({ ...request, ...('model' in request ? { model: fresh ? $state.snapshot(model) : null } : {}), id } as WorkerRequest);
	}

	/** Runs the job: request k in worker k (the first one answers with the result). */
	start(requests: NewRequest[], inputsKey: string): void {
		this.cancel(false);
		const workers = this.warm(requests.length).slice(0, requests.length);
		const id = ++this.#id;
		this.#startedAt = epochMs();
		this.status = 'running';
		const done = requests.map(() => 0);
		this.done = 0;
		this.total = requests.reduce((n, r) => n + (r.type === 'psa' ? (r.part ? r.part.to - r.part.from : r.iterations) : r.type === 'subgroup-psa' ? r.iterations : r.type === 'evsi' ? r.options.sampleSizes.length : 1), 0);
		this.error = '';
		workers.forEach((worker, k) => {
			worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.#receive(e.data, id, k, done, inputsKey);
			worker.onerror = (e) => this.#fail(e.message || 'the analysis worker failed to start');
		});
		workers.forEach((worker, k) => this.#send(worker, requests[k], id));
	}

	/**
	 * Runs the requests as a job whose result is not shown (a rehearsal that warms the workers),
	 * then calls `onDone` (also when it fails: the real run reports problems). Nothing while a job
	 * runs; a job started meanwhile takes over (the rehearsal's answers are then ignored).
	 */
	rehearse(requests: NewRequest[], onDone: () => void): void {
		if (this.status === 'running') return;
		const workers = this.warm(requests.length).slice(0, requests.length);
		const id = ++this.#id;
		const done = requests.map(() => 0);
		workers.forEach((worker, k) => {
			worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.#receive(e.data, id, k, done, null, onDone);
			worker.onerror = (e) => {
				e.preventDefault();
				this.#stop();
				onDone();
			};
		});
		workers.forEach((worker, k) => this.#send(worker, requests[k], id));
	}

	/** A worker's answer to job `id`; `inputsKey` null for a rehearsal, which calls `rehearsed` when it is done. */
	#receive(m: WorkerResponse, id: number, k: number, done: number[], inputsKey: string | null, rehearsed?: () => void): void {
		if (m.id !== id) return;
		if (inputsKey === null && (m.type === 'progress' || m.type === 'error' || m.type === this.finished)) {
			if (m.type !== 'progress') rehearsed?.();
			return;
		}
		if (m.type === 'progress') {
			done[k] = m.done;
			this.done = done.reduce((a, b) => a + b, 0);
		} else if (m.type === 'psa-part') {
			// the lead worker joins the parts; handed on without copying
			done[k] = m.part.result.iterations;
			this.done = done.reduce((a, b) => a + b, 0);
			this.#workers[0]?.postMessage({ type: 'psa-part', id, part: m.part } satisfies WorkerRequest, psaBuffers(m.part.result, m.part.pairCosts));
		} else if (m.type === 'psa-outcomes') {
			// the lead's costs and QALYs to the second worker, which computes the EVPI curve from them and its own
			this.#workers[1]?.postMessage({ type: 'psa-outcomes', id, outcomes: m.outcomes } satisfies WorkerRequest, [m.outcomes.cost.buffer as ArrayBuffer, m.outcomes.qaly.buffer as ArrayBuffer]);
		} else if (m.type === 'psa-evpi') this.#workers[0]?.postMessage({ type: 'psa-evpi', id, summaries: m.summaries } satisfies WorkerRequest, [m.summaries.evpi.buffer as ArrayBuffer]);
		else if (m.type === 'error') this.#fail(m.message);
		else if (m.type === this.finished) {
			if (m.type === 'psa-done') measurePsa(m.timing, this.#startedAt);
			this.result = (m as unknown as { result: R }).result;
			this.shown = (m as unknown as { shown?: V }).shown ?? null;
			this.inputsKey = inputsKey as string;
			this.status = 'done';
		}
	}

	#fail(message: string): void {
		this.status = 'error';
		this.error = message;
		this.#stop();
	}

	#stop(): void {
		for (const w of this.#workers) w.terminate();
		this.#workers = [];
	}

	/** Stops a running job (its workers are terminated at once); idle workers are kept. */
	cancel(mark = true): void {
		if (this.#workers.length && this.status === 'running') {
			this.#stop();
			if (mark) this.status = 'cancelled';
		}
	}

	clear(): void {
		this.cancel(false);
		this.#stop();
		this.status = 'idle';
		this.result = null;
		this.shown = null;
		this.error = '';
	}
}

/** Records the stages of a finished PSA as performance measures (replacing the previous run's). */
function measurePsa(t: PsaTiming, startedAt: number): void {
	const page = (epoch: number) => epoch - performance.timeOrigin;
	const firstStart = Math.min(...t.parts.map((p) => p.started));
	const lastFinish = Math.max(...t.parts.map((p) => p.finished));
	const stages: [string, number, number][] = [
		[PSA_MEASURES.start, startedAt, firstStart],
		[PSA_MEASURES.engine, firstStart, lastFinish],
		[PSA_MEASURES.summaries, lastFinish, t.posted],
		[PSA_MEASURES.transfer, t.posted, epochMs()]
	];
	for (const [name, start, end] of stages) measure(name, page(start), page(end));
}

export class AnalysisClient {
	psa = new Job<PsaResult, PsaShown>('psa-done', psaWorkerCount());
	dsa = new Job<OneWayResult>('dsa-done');
	breakeven = new Job<BreakevenJobResult>('breakeven-done');
	evsi = new Job<EvsiResult>('evsi-done');
	subgroupPsa = new Job<SubgroupPsaResult>('subgroup-psa-done');

	/** true once the PSA workers have rehearsed a PSA of the open model (the PSA panel's data-warm) */
	psaWarm = $state(false);

	/**
	 * Starts the PSA workers and has them rehearse a small PSA of the model (WARM_UP_ITERATIONS,
	 * a batch in each worker, joined as a real one is), while the page is idle: compiling the model,
	 * instantiating the WebAssembly kernels and warming the code of every stage, so the first
	 * "Run PSA" waits for none of it.
	 */
	warmPsa(model: ModelInput, options: RunOptions): void {
		if (this.psa.status === 'running') return;
		this.psaWarm = false;
		const base = { type: 'psa' as const, model, options: $state.snapshot(options) as RunOptions, iterations: WARM_UP_ITERATIONS, seed: 1 };
		const parts: [number, number][] = this.psa.size < 2 ? [[0, WARM_UP_ITERATIONS]] : [[0, PSA_BATCH_LANES], [PSA_BATCH_LANES, WARM_UP_ITERATIONS]];
		const requests: NewRequest[] = parts.length === 1 ? [base] : parts.map(([from, to], k) => ({ ...base, part: { from, to, lead: k === 0, of: parts.length } }));
		this.psa.rehearse(requests, () => (this.psaWarm = true));
	}

	runPsa(model: ModelInput, options: RunOptions, iterations: number, seed: number, inputsKey: string): void {
		const base = { type: 'psa' as const, model, options: $state.snapshot(options) as RunOptions, iterations, seed };
		const parts = psaParts(iterations, this.psa.size);
		const requests: NewRequest[] = parts.length === 1 ? [base] : parts.map(([from, to], k) => ({ ...base, part: { from, to, lead: k === 0, of: parts.length } }));
		this.psa.start(requests, inputsKey);
	}

	runDsa(model: ModelInput, options: RunOptions, referenceId: string, willingnessToPay: number, inputsKey: string): void {
		this.dsa.start([{ type: 'dsa', model, options: $state.snapshot(options) as RunOptions, referenceId, willingnessToPay }], inputsKey);
	}

	runBreakeven(model: ModelInput, request: Omit<Extract<NewRequest, { type: 'breakeven' }>, 'type' | 'model'>, inputsKey: string): void {
		this.breakeven.start([{ type: 'breakeven', model, ...($state.snapshot(request) as typeof request) }], inputsKey);
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
		this.evsi.start([{ type: 'evsi', psa: slim, options: $state.snapshot(options) as typeof options }], inputsKey);
	}

	runSubgroupPsa(model: ModelInput, options: RunOptions, iterations: number, seed: number, wtp: number[], inputsKey: string): void {
		this.subgroupPsa.start([{ type: 'subgroup-psa', model, options: $state.snapshot(options) as RunOptions, iterations, seed, wtp }], inputsKey);
	}

	clear(): void {
		this.psaWarm = false;
		this.evsi.clear();
		this.subgroupPsa.clear();
		this.psa.clear();
		this.dsa.clear();
		this.breakeven.clear();
	}
}
