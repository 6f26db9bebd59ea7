/** Messages between the budget page and the budget worker (structured-clone data only). */
import type { BudgetPsaConfig, BudgetPsaResult, BudgetSettingsInput, ModelInput, ModelIssue } from '$lib/engine';

export interface BudgetWorkerRequest {
	id: number;
	model: ModelInput;
	settings: BudgetSettingsInput;
	config: BudgetPsaConfig;
}

export type BudgetWorkerResponse =
	| { type: 'progress'; id: number; done: number; total: number }
	| { type: 'done'; id: number; result: BudgetPsaResult }
	| { type: 'error'; id: number; message: string; issues: ModelIssue[] };
