/**
 * One deterministic run of the current inputs as the page shows it: the result and its table
 * rows, or the problems that stop the run (never an exception). The page runs it on the main
 * thread when runs are quick and in the run worker when they are not (runClient.svelte.ts);
 * both call this one function, so their results are the same to the last bit.
 */
import { ModelError, type ModelIssue, type RunOptions, type RunResult, type Runner } from '$lib/engine';
import { resultRows, type ResultRow } from '$lib/ui/resultsTable';

export type RunOutcome = { ok: true; result: RunResult; rows: ResultRow[] } | { ok: false; issues: ModelIssue[] };

/**
 * The run of `options` on `runner` with its table rows, or its issues.
 * @example runOutcome(createRunner(compiled), { parameters: { c_ocr: 20000 }, settings: {} }) // { ok: true, result, rows }
 */
export function runOutcome(runner: Runner, options: RunOptions): RunOutcome {
	try {
		const result = runner.run(options);
		return { ok: true, result, rows: resultRows(result) };
	} catch (e) {
		if (e instanceof ModelError) return { ok: false, issues: e.issues };
		return { ok: false, issues: [{ path: '', code: 'not-finite', message: (e as Error).message }] };
	}
}
