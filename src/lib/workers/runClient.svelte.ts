/**
 * Deterministic runs for the page that never block typing. Each part of the page that shows a
 * run (the results, each compared scenario, the subgroups) asks for the run of its current
 * inputs through its own slot. A run already made is answered from the cache; a run of a model
 * whose runs are quick is made at once on the main thread, as before; once the model's last two
 * runs both took longer than a frame (FRAME_BUDGET_MS; one slow run may be noise, and the first
 * run of a model, which includes the JavaScript engine's warm-up, is weighed at COLD_RUN_WEIGHT
 * of its time), its runs go to the run worker (run.worker.ts) and the slot answers null (the page
 * shows "calculating" and keeps the last result) until it is done. The worker does one run at a
 * time; each slot keeps only its newest request, so while one run is in flight the keystrokes
 * typed meanwhile coalesce into one next run, of the newest value, and a result of inputs that
 * have changed since is never shown (it is kept in the cache, for its own inputs only).
 * Where there are no workers (prerendering, tests, a worker that failed) every run is made at once.
 */
import type { ModelInput, RunOptions } from '$lib/engine';
import { measure, RUN_MEASURE } from '$lib/ui/measures';
import type { RunAnswer, RunKind, RunRequest } from './runProtocol';

/** a run that takes longer than this (ms, one frame at 60 Hz) makes the next ones run in the worker */
export const FRAME_BUDGET_MS = 16;
/** the share of its time a model's first run counts for (it includes compiling the code: several times a warm run's) */
const COLD_RUN_WEIGHT = 1 / 4;

/** what a slot asks for: the `kind` of run of `options` on `model`, kept in `cache` under `key` */
export interface RunWant<T> {
	slot: string;
	kind: RunKind;
	model: ModelInput;
	options: RunOptions;
	key: string;
	cache: Map<string, T>;
	/** the same run on the main thread (when it is quick, or there is no worker) */
	compute: () => T;
}

type AnyWant = RunWant<unknown>;

export class RunScheduler {
	/** bumped when the worker answers (or fails), so the slots waiting look again */
	#version = $state(0);
	#worker: Worker | null = null;
	/** true once the worker failed: every run is made on the main thread from then on */
	#broken = false;
	/** per slot, the newest run it waits for */
	#waiting = new Map<string, AnyWant>();
	#inFlight: { id: number; want: AnyWant } | null = null;
	#id = 0;
	/** a number for each model file the page opened, and the one the worker has */
	#tokens = new WeakMap<ModelInput, number>();
	#nextToken = 1;
	#workerToken = 0;
	/** how long the last two runs of each model and kind took (ms), the newest first */
	#lastMs = new Map<string, [number, number?]>();

	/**
	 * The run a slot asks for, or null while the worker makes it (the slot is asked again when
	 * it is done). Safe to call while the page derives its state: it changes no page state.
	 */
	get<T>(want: RunWant<T>): T | null {
		void this.#version;
		const hit = want.cache.get(want.key);
		if (hit !== undefined) {
			this.#waiting.delete(want.slot);
			return hit;
		}
		// the same run in flight for another slot (the compared current inputs and the results, say): wait for it
		const flight = this.#inFlight?.want;
		if (flight && flight.cache === want.cache && flight.key === want.key) {
			this.#waiting.set(want.slot, want as AnyWant);
			return null;
		}
		const timing = this.#timingKey(want);
		if (!this.#canOffload() || !this.#slow(timing)) {
			this.#waiting.delete(want.slot);
			const started = performance.now();
			const value = want.compute();
			const finished = performance.now();
			this.#took(timing, finished - started);
			if (want.kind === 'run') measure(RUN_MEASURE, started, finished);
			want.cache.set(want.key, value);
			return value;
		}
		this.#waiting.set(want.slot, want as AnyWant);
		this.#pump();
		return null;
	}

	/** Forgets what the slots wait for (another model was opened). */
	clear(): void {
		this.#waiting.clear();
	}

	/** whether the last two runs both took longer than a frame */
	#slow(timing: string): boolean {
		const [last, before] = this.#lastMs.get(timing) ?? [];
		return last !== undefined && before !== undefined && Math.min(last, before) > FRAME_BUDGET_MS;
	}

	#took(timing: string, ms: number): void {
		const last = this.#lastMs.get(timing);
		this.#lastMs.set(timing, last ? [ms, last[0]] : [ms * COLD_RUN_WEIGHT]);
	}

	#timingKey(want: AnyWant | RunWant<unknown>): string {
		return `${this.#tokenOf(want.model)}:${want.kind}`;
	}

	#tokenOf(model: ModelInput): number {
		let token = this.#tokens.get(model);
		if (token === undefined) this.#tokens.set(model, (token = this.#nextToken++));
		return token;
	}

	#canOffload(): boolean {
		return !this.#broken && typeof Worker !== 'undefined';
	}

	/** Sends the first slot's newest request to the worker, unless a run is in flight already. */
	#pump(): void {
		if (this.#inFlight || !this.#canOffload()) return;
		// a slot whose run another slot's run made meanwhile finds it in the cache when it looks again
		for (const [slot, waiting] of this.#waiting) if (waiting.cache.has(waiting.key)) this.#waiting.delete(slot);
		const next = this.#waiting.values().next();
		if (next.done) return;
		const want = next.value;
		try {
			this.#worker ??= this.#startWorker();
			const modelToken = this.#tokenOf(want.model);
			const request: RunRequest = {
				id: ++this.#id,
				kind: want.kind,
				modelToken,
				model: this.#workerToken === modelToken ? null : ($state.snapshot(want.model) as ModelInput),
				options: $state.snapshot(want.options) as RunOptions
			};
			this.#worker.postMessage(request);
			this.#workerToken = modelToken;
			this.#inFlight = { id: request.id, want };
		} catch {
			this.#fail();
		}
	}

	#startWorker(): Worker {
		const worker = new Worker(new URL('./run.worker.ts', import.meta.url), { type: 'module' });
		worker.onmessage = (e: MessageEvent<RunAnswer>) => this.#receive(e.data);
		worker.onerror = (e) => {
			e.preventDefault();
			this.#fail();
		};
		worker.onmessageerror = () => this.#fail();
		return worker;
	}

	#receive(answer: RunAnswer): void {
		const flight = this.#inFlight;
		if (!flight || flight.id !== answer.id) return;
		this.#inFlight = null;
		const { want } = flight;
		want.cache.set(want.key, answer.outcome);
		this.#took(this.#timingKey(want), answer.finished - answer.started);
		if (want.kind === 'run') measure(RUN_MEASURE, answer.started - performance.timeOrigin, answer.finished - performance.timeOrigin);
		if (this.#waiting.get(want.slot)?.key === want.key) this.#waiting.delete(want.slot);
		this.#pump();
		this.#version++;
	}

	/** The worker failed (it could not start, say): the slots waiting are made on the main thread. */
	#fail(): void {
		this.#broken = true;
		this.#worker?.terminate();
		this.#worker = null;
		this.#inFlight = null;
		this.#waiting.clear();
		this.#version++;
	}
}
