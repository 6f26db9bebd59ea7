/**
 * Names of the performance measures the app records on the page's timeline (User Timing), one
 * of each kind, replaced by the next: the stages of the last PSA and the last deterministic run.
 * `npm run bench` reads them to show where the time of "Run PSA" to chart, and of an edit to the
 * repainted table, goes; anyone can read them in the browser's performance panel.
 */
export const PSA_MEASURES = {
	start: 'psa: request to the workers starting',
	engine: 'psa: iterations in the workers (parts side by side)',
	summaries: 'psa: parts joined and summarised (lead worker)',
	transfer: 'psa: result to the page'
} as const;

export const RUN_MEASURE = 'run: deterministic model run (engine)';

/**
 * Records one measure from `start` to `end` (page milliseconds, `performance.now()`), replacing
 * the last of that name; nothing where the User Timing API is missing.
 * @example measure(RUN_MEASURE, started, performance.now())
 */
export function measure(name: string, start: number, end: number): void {
	if (typeof performance === 'undefined' || !performance.measure) return;
	performance.clearMeasures(name);
	performance.measure(name, { start, end: Math.max(start, end) });
}
