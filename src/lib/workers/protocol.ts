/** Messages between the page and the analysis worker (structured-clone data only). */
import type { ModelInput, ModelIssue, RunOptions } from '$lib/engine';
import type { OutcomeSummaries, PsaShown } from '$lib/ui/psaView';
import type { BreakevenAxis, BreakevenResult, EvsiOptions, EvsiResult, OneWayResult, PaybackPriceResult, PsaBreakevenResult, PsaResult, PsaWithDraws, SubgroupPsaResult } from '$lib/engine';

export type WorkerRequest =
	| {
			type: 'psa';
			id: number;
			/** the model file, or null for the one this worker was sent last (the page sends each worker a model once) */
			model: ModelInput | null;
			options: RunOptions;
			iterations: number;
			seed: number;
			/**
			 * this worker's part of a PSA split across workers: iterations from .. to - 1 of
			 * `iterations`; the lead part (from 0) receives the others (`psa-part`), joins them and
			 * answers `psa-done`, the others answer `psa-part`; absent: the whole PSA here
			 */
			part?: { from: number; to: number; lead: boolean; of: number };
	  }
	| {
			/** another worker's part of the PSA, forwarded by the page to the lead worker */
			type: 'psa-part';
			id: number;
			part: PsaPart;
	  }
	| {
			/** the lead's costs and QALYs, forwarded by the page to the helper worker, which computes the EVPI curve */
			type: 'psa-outcomes';
			id: number;
			outcomes: PartOutcomes;
	  }
	| {
			/** the helper's EVPI curve, EVPI and summary of the joined PSA, forwarded by the page to the lead worker */
			type: 'psa-evpi';
			id: number;
			summaries: OutcomeSummaries;
	  }
	| {
			type: 'dsa';
			id: number;
			/** the model file, or null for the one this worker was sent last (the page sends each worker a model once) */
			model: ModelInput | null;
			options: RunOptions;
			referenceId: string;
			willingnessToPay: number;
	  }
	| {
			type: 'breakeven';
			id: number;
			/** the model file, or null for the one this worker was sent last (the page sends each worker a model once) */
			model: ModelInput | null;
			options: RunOptions;
			strategyId: string;
			comparatorId: string;
			willingnessToPay: number;
			efficacy: BreakevenAxis;
			durability: BreakevenAxis;
			/** the payer's horizon for the payback price, or null for none */
			paybackYears: number | null;
			/** PSA iterations and seed for the price at P(cost-effective) 50% and 80%, or null for none */
			psa: { iterations: number; seed: number } | null;
	  }
	| {
			type: 'evsi';
			id: number;
			/** the PSA's costs and effects, and the draws of the trial's parameter only */
			psa: PsaWithDraws;
			options: Omit<EvsiOptions, 'onProgress'>;
	  }
	| {
			/** one PSA per subgroup with the same seed (analysis/subgroupPsa.ts) */
			type: 'subgroup-psa';
			id: number;
			model: ModelInput | null;
			options: RunOptions;
			iterations: number;
			seed: number;
			wtp: number[];
	  };

/**
 * One worker's part of a split PSA: its iterations' results without their per-cycle costs, and
 * of those only the payback pair's (`pairCycleCosts`), which is all the page reads of them.
 */
export interface PsaPart {
	result: PsaResult;
	pairCosts: Float64Array | null;
	/** whether the PSA kept per-cycle costs (they fit the PSA memory limit) */
	cycleCostsKept: boolean;
	/** when the part's worker started and finished its iterations (epochMs) */
	started: number;
	finished: number;
}

/** When each stage of a PSA ran (epochMs), for the page's performance measures (`npm run bench` reads them). */
export interface PsaTiming {
	parts: { started: number; finished: number }[];
	/** the lead worker had every part and started joining them */
	joining: number;
	/** the lead worker posted the joined result and what the page shows */
	posted: number;
}

/**
 * Milliseconds since the epoch, comparable between the page and its workers (each has its own
 * `performance.now()` origin): timeOrigin + now().
 * @example epochMs() - performance.timeOrigin // the page's performance.now()
 */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** A part's discounted costs and QALYs per iteration and strategy (copies), from its first iteration. */
export interface PartOutcomes {
	firstIteration: number;
	iterations: number;
	cost: Float64Array;
	qaly: Float64Array;
}

/** What the break-even job returns: the grid and, when asked, the payer's payback price. */
export interface BreakevenJobResult {
	breakeven: BreakevenResult;
	payback: PaybackPriceResult | null;
	/** without the per-iteration prices (only the summary crosses to the page) */
	psa: Omit<PsaBreakevenResult, 'prices'> | null;
}

export type WorkerResponse =
	| { type: 'progress'; id: number; done: number; total: number }
	| { type: 'psa-part'; id: number; part: PsaPart }
	| { type: 'psa-outcomes'; id: number; outcomes: PartOutcomes }
	| { type: 'psa-evpi'; id: number; summaries: OutcomeSummaries }
	| { type: 'psa-done'; id: number; result: PsaResult; shown: PsaShown; timing: PsaTiming }
	| { type: 'dsa-done'; id: number; result: OneWayResult }
	| { type: 'breakeven-done'; id: number; result: BreakevenJobResult }
	| { type: 'evsi-done'; id: number; result: EvsiResult }
	| { type: 'subgroup-psa-done'; id: number; result: SubgroupPsaResult }
	| { type: 'error'; id: number; message: string; issues: ModelIssue[] };

/** A request before the client numbers it (Omit does not distribute over a union). */
export type NewRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** The buffers of a PSA result's arrays (and a part's pair costs), to move them between threads without copying. */
export function psaBuffers(r: PsaResult, pairCosts: Float64Array | null = null): ArrayBuffer[] {
	const arrays = [r.draws, r.cost, r.qaly, r.lifeYears, r.costUndiscounted, r.qalyUndiscounted, r.lifeYearsUndiscounted, r.cycleCosts, r.cycleCostsUndiscounted, pairCosts];
	return [...new Set(arrays.filter((a): a is Float64Array => a !== null).map((a) => a.buffer as ArrayBuffer))];
}
