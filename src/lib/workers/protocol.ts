/** Messages between the page and the analysis worker (structured-clone data only). */
import type { ModelInput, ModelIssue, RunOptions } from '$lib/engine';
import type { OneWayResult, PsaResult } from '$lib/engine';

export type WorkerRequest =
	| {
			type: 'psa';
			id: number;
			model: ModelInput;
			options: RunOptions;
			iterations: number;
			seed: number;
	  }
	| {
			type: 'dsa';
			id: number;
			model: ModelInput;
			options: RunOptions;
			referenceId: string;
			willingnessToPay: number;
	  };

export type WorkerResponse =
	| { type: 'progress'; id: number; done: number; total: number }
	| { type: 'psa-done'; id: number; result: PsaResult }
	| { type: 'dsa-done'; id: number; result: OneWayResult }
	| { type: 'error'; id: number; message: string; issues: ModelIssue[] };

/** A request before the client numbers it (Omit does not distribute over a union). */
export type NewRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
