/**
 * The cohort driver: the one loop over the cycles that both backends run (ARCHITECTURE.md,
 * "Two backends, kept equal"). A backend holds the strategies' cohort programs (program.ts)
 * compiled its way: the JavaScript one (cohort.ts) one set of parameter values at a time,
 * the WebAssembly one (batch.ts) many PSA iterations at a time. The driver takes the strategies
 * in groups that move through the cycles together, as many as the backend says: each strategy
 * of the group is started, then cycle k of each in order, then cycle k + 1. The WebAssembly
 * backend moves all its strategies together (a later strategy reads an earlier one's per-cycle
 * values of the same cycle where the two define them alike); the JavaScript backend one at a
 * time (a strategy's arrays then stay in the fastest cache through all its cycles).
 *
 * Per strategy and cycle k = 1..n, in the order of heemod's `eval_model` (parameters, matrices,
 * states, counts, values):
 *  1. `cycleValues`: the per-cycle values of cycle k (model_time = k, age = startAge + (k - 1) *
 *     cycleLength), the time-dependent parameters first;
 *  2. `step`: every transition row of P_k built and checked (entries in [0, 1], the row summing to
 *     1), the cohort moved (x_k = x_{k-1} P_k, with the one-off transition values on the flows),
 *     the states' values added with the cycle-correction weights and discount factors
 *     (cycleCorrection.ts) to the running totals;
 *  3. the strategy's recorder sees the cycle.
 * What a run keeps beyond the six totals (run()'s full results, the PSA's cost of each cycle) is
 * a recorder's work, so the loop has no branch for it.
 */

/** Keeps what a run needs beyond the totals, cycle by cycle: the driver calls it for k = 0..n. */
export interface Recorder<View> {
	record(view: View): void;
}

/**
 * A backend of the driver, for the strategies it holds (0 .. strategyCount - 1). It keeps each
 * strategy's own arrays apart (variables, values, cohort, totals), so that strategies can move
 * through the cycles together. A view is what the backend shows a recorder of one cycle of one
 * strategy; the backend may reuse it from cycle to cycle.
 */
export interface CohortBackend<View> {
	readonly strategyCount: number;
	/** how many strategies move through the cycles together (the last group may have fewer) */
	readonly strategiesTogether: number;
	/** the strategy's set-up (parameters, constant and per-step values, x_0) and one-off start values: the view of cycle 0 */
	start(strategy: number): View;
	/** step 1 of cycle k: the strategy's per-cycle values */
	cycleValues(strategy: number, cycle: number): void;
	/** step 2 of cycle k: rows built and checked, the cohort moved, the values added; the view of cycle k */
	step(strategy: number, cycle: number): View;
	/** after the last cycle: every strategy's totals to the caller */
	finish(): void;
}

/**
 * Runs every strategy of `backend` through cycles 1..horizon, in groups of
 * `backend.strategiesTogether` strategies moving cycle by cycle together, showing each
 * strategy's cycles k = 0..horizon to its recorder (`recorders[strategy]`). The totals are
 * cost = sum_k cost_k (k = 0..n, cost_0 the one-off start costs), and so for QALYs and life
 * years, discounted and not; a cycle's values weigh x_{k-1} and x_k by the cycle correction
 * (Sonnenberg & Beck 1993, Med Decis Making 13(4):322-338; Elbasha & Chhatwal 2016, Med Decis
 * Making 36(1):115-131).
 *
 * @example `driveCohort(backend, settings.horizon, Array.from({ length: backend.strategyCount }, () => KEEP_NOTHING))`
 * leaves the six totals of every strategy where the backend's `finish` puts them.
 */
export function driveCohort<View>(backend: CohortBackend<View>, horizon: number, recorders: readonly Recorder<View>[]): void {
	const strategyCount = backend.strategyCount;
	const together = Math.max(1, backend.strategiesTogether);
	for (let first = 0; first < strategyCount; first += together) {
		const end = Math.min(strategyCount, first + together);
		for (let strategy = first; strategy < end; strategy++) recorders[strategy].record(backend.start(strategy));
		for (let cycle = 1; cycle <= horizon; cycle++)
			for (let strategy = first; strategy < end; strategy++) {
				backend.cycleValues(strategy, cycle);
				recorders[strategy].record(backend.step(strategy, cycle));
			}
	}
	backend.finish();
}

/** A recorder that keeps nothing beyond the totals. */
export const KEEP_NOTHING: Recorder<unknown> = { record() {} };
