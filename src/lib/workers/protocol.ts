/** Messages between the page and the analysis worker (structured-clone data only). */
import type { ModelInput, ModelIssue, RunOptions } from '$lib/engine';
import type { BreakevenAxis, BreakevenResult, EvsiOptions, EvsiResult, OneWayResult, PaybackPriceResult, PsaBreakevenResult, PsaResult, PsaWithDraws, SubgroupPsaResult } from '$lib/engine';

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
	  }
	| {
			type: 'breakeven';
			id: number;
			model: ModelInput;
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
			model: ModelInput;
			options: RunOptions;
			iterations: number;
			seed: number;
			wtp: number[];
	  };

/** What the break-even job returns: the grid and, when asked, the payer's payback price. */
export interface BreakevenJobResult {
	breakeven: BreakevenResult;
	payback: PaybackPriceResult | null;
	/** without the per-iteration prices (only the summary crosses to the page) */
	psa: Omit<PsaBreakevenResult, 'prices'> | null;
}

export type WorkerResponse =
	| { type: 'progress'; id: number; done: number; total: number }
	| { type: 'psa-done'; id: number; result: PsaResult }
	| { type: 'dsa-done'; id: number; result: OneWayResult }
	| { type: 'breakeven-done'; id: number; result: BreakevenJobResult }
	| { type: 'evsi-done'; id: number; result: EvsiResult }
	| { type: 'subgroup-psa-done'; id: number; result: SubgroupPsaResult }
	| { type: 'error'; id: number; message: string; issues: ModelIssue[] };

/** A request before the client numbers it (Omit does not distribute over a union). */
export type NewRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;
