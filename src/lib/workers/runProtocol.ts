/** Messages between the page and the run worker (structured-clone data only). */
import type { ModelInput, RunOptions } from '$lib/engine';
import type { RunOutcome } from '$lib/state/runOutcome';
import type { SubgroupOutcome } from '$lib/ui/subgroupView';

/** What the run worker computes: the deterministic run of the inputs, or the subgroup analysis at them. */
export type RunKind = 'run' | 'subgroups';

export interface RunRequest {
	id: number;
	kind: RunKind;
	/** which model (the page numbers each open model once) */
	modelToken: number;
	/** the model file when this worker has not been sent that model yet, else null */
	model: ModelInput | null;
	options: RunOptions;
}

export type RunAnswer =
	| { id: number; kind: 'run'; outcome: RunOutcome; started: number; finished: number }
	| { id: number; kind: 'subgroups'; outcome: SubgroupOutcome; started: number; finished: number };
