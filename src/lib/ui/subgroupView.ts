/**
 * What the subgroup panel shows: the engine's subgroup analysis of the current inputs, or the
 * problems that stop it, in the user's words (never an exception on the page).
 */
import { ModelError, subgroupAnalysis, type CompiledModel, type ModelIssue, type RunOptions, type SubgroupAnalysis } from '$lib/engine';

export type SubgroupOutcome = { ok: true; analysis: SubgroupAnalysis } | { ok: false; issues: ModelIssue[] };

/**
 * The subgroup analysis at the inputs' parameters and settings (subgroupAnalysis: each subgroup's
 * values on top of them), or its issues.
 *
 *     subgroupOutcome(cm, { parameters: {}, settings: {} }); // { ok: true, analysis } for models/ms.json
 */
export function subgroupOutcome(cm: CompiledModel, options: RunOptions): SubgroupOutcome {
	try {
		return { ok: true, analysis: subgroupAnalysis(cm, { options }) };
	} catch (e) {
		if (e instanceof ModelError) return { ok: false, issues: e.issues };
		return { ok: false, issues: [{ path: '', code: 'not-finite', message: e instanceof Error ? e.message : String(e) }] };
	}
}

/**
 * Willingness-to-pay values for the subgroup CEACs: 0 to max(100,000, 2 x the threshold) in 100 steps.
 *
 *     ceacGrid(20000); // [0, 1000, ..., 100000]
 */
export function ceacGrid(willingnessToPay: number): number[] {
	const top = Math.max(100000, 2 * willingnessToPay);
	return Array.from({ length: 101 }, (_, k) => (top * k) / 100);
}
