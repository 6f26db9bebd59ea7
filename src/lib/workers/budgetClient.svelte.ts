/**
 * Runs the budget under uncertainty in the budget worker and holds its state for the page:
 * progress, result, error. One run at a time; `cancel` terminates the worker, so a cancelled
 * run stops at once and the previous result stays. A worker that finished is kept for the next
 * run (its code loaded and its compiled model cached).
 */
import type { BudgetPsaConfig, BudgetPsaResult, BudgetSettingsInput, ModelInput, ModelIssue } from '$lib/engine';
import type { BudgetWorkerRequest, BudgetWorkerResponse } from './budgetProtocol';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export class BudgetUncertaintyJob {
	status: Status = $state('idle');
	done = $state(0);
	total = $state(0);
	result: BudgetPsaResult | null = $state.raw(null);
	error = $state('');
	issues: ModelIssue[] = $state.raw([]);
	/** what the current result was computed from (to flag it as out of date) */
	inputsKey = $state('');
	#worker: Worker | null = null;
	#id = 0;

	/** Starts the worker ahead of the first run (nothing if one is there already). */
	warm(): void {
		if (!this.#worker && typeof Worker !== 'undefined') this.#worker = new Worker(new URL('./budget.worker.ts', import.meta.url), { type: 'module' });
	}

	start(model: ModelInput, settings: BudgetSettingsInput, config: BudgetPsaConfig, inputsKey: string): void {
		this.cancel(false);
		this.warm();
		const worker = this.#worker as Worker;
		const id = ++this.#id;
		this.status = 'running';
		this.done = 0;
		this.total = config.iterations;
		this.error = '';
		this.issues = [];
		worker.onmessage = (e: MessageEvent<BudgetWorkerResponse>) => {
			const m = e.data;
			if (m.id !== id) return;
			if (m.type === 'progress') {
				this.done = m.done;
				this.total = m.total;
			} else if (m.type === 'error') {
				this.status = 'error';
				this.error = m.message;
				this.issues = m.issues;
				this.#stop();
			} else {
				this.result = m.result;
				this.inputsKey = inputsKey;
				this.status = 'done';
			}
		};
		worker.onerror = (e) => {
			this.status = 'error';
			this.error = e.message || 'the budget worker failed to start';
			this.#stop();
		};
		worker.postMessage({ id, model: $state.snapshot(model) as ModelInput, settings: $state.snapshot(settings) as BudgetSettingsInput, config: $state.snapshot(config) as BudgetPsaConfig } satisfies BudgetWorkerRequest);
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
}
