/**
 * The caps every entry point applies before it reads or runs anything (the CLI, the app's file
 * and bundle openers, the URL, the Web Worker). One place, so a file refused by one is refused
 * by all.
 */

/** A model file, scenario file or inputs entry is read only up to this many bytes (the largest shipped model is about 0.12 MB). */
export const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;

/** A bundle's small JSON entries (manifest.json, inputs.json). */
export const MAX_BUNDLE_JSON_BYTES = 1024 * 1024;

/** A bundle (zip) file as opened, charts included. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/**
 * Whether a file of `bytes` bytes may be read (bytes <= max), or the message saying why not.
 * @example
 * fileSizeProblem(1000) -> null
 * fileSizeProblem(2 ** 31) -> 'the file is 2,048 MB; a model file is at most 16 MB'
 */
export function fileSizeProblem(bytes: number, max = MAX_MODEL_FILE_BYTES, what = 'a model file'): string | null {
	if (bytes <= max) return null;
	const mb = (b: number) => `${(b / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
	return `the file is ${mb(bytes)}; ${what} is at most ${mb(max)}`;
}

/**
 * The largest willingness to pay per QALY accepted (a billion per QALY, far above any published
 * threshold): net monetary benefit = WTP x QALYs - cost must stay a finite number.
 */
export const MAX_WILLINGNESS_TO_PAY = 1e9;

/**
 * How much work and memory a model asks for, computed from the file before anything is
 * expanded or run. A state with a tunnel of n cycles counts n times (one sub-state per step).
 */
export interface ModelSize {
	/** states after tunnels are expanded */
	expandedStates: number;
	strategies: number;
	cycles: number;
	/** cohort moves per run: for each strategy and cycle, each expanded state and each move out of it */
	moves: number;
	/** bytes of one run's per-cycle results (trace, costs, QALYs, life years, outcomes) for all strategies */
	resultBytes: number;
}

/** A run may compute at most this many cohort moves (about a second or two in one thread). */
export const MAX_RUN_MOVES = 100_000_000;
/** A run's per-cycle results may take at most this many bytes. */
export const MAX_RESULT_BYTES = 128 * 1024 * 1024;
/** A PSA may keep at most this many bytes of draws and results (the Web Worker and the CLI). */
export const MAX_PSA_BYTES = 1024 * 1024 * 1024;

/** The parts of a model file the size depends on (any object that has them). */
export interface SizedModel {
	states: { id: string; tunnel?: number }[];
	strategies: { transitions: Record<string, Record<string, unknown>> }[];
	costCategories: unknown[];
	outcomes?: unknown[];
}

/**
 * The size of a model over `cycles` cycles:
 *   moves = cycles x sum over strategies and states of tunnel(state) x (1 + moves out of the state)
 *   resultBytes = 8 x strategies x (cycles + 1) x (states + 2 x categories + outcomes + 2)
 * @example
 * // states a and b (a 3-cycle tunnel), one strategy with a -> a, a -> b, one cost category, 10 cycles:
 * // moves = 10 x (1 x 3 + 3 x 1) = 60, resultBytes = 8 x 1 x 11 x (2 + 2 + 0 + 2) = 528
 * modelSize({ states: [{ id: 'a' }, { id: 'b', tunnel: 3 }], strategies: [{ transitions: { a: { a: 'C', b: 0.1 } } }], costCategories: [{}] }, 10);
 * // { expandedStates: 4, strategies: 1, cycles: 10, moves: 60, resultBytes: 528 }
 * // e.g. 2,000 states with a 600-cycle tunnel, 2,400 cycles: moves about 2.9e9 x (1 + moves out)
 */
export function modelSize(model: SizedModel, cycles: number): ModelSize {
	let perCycle = 0;
	let expandedStates = 0;
	for (const s of model.states) expandedStates += s.tunnel ?? 1;
	for (const st of model.strategies)
		for (const s of model.states) {
			const row = Object.hasOwn(st.transitions, s.id) ? st.transitions[s.id] : {};
			perCycle += (s.tunnel ?? 1) * (1 + Object.keys(row).length);
		}
	const perRow = model.states.length + 2 * model.costCategories.length + (model.outcomes?.length ?? 0) + 2;
	return {
		expandedStates,
		strategies: model.strategies.length,
		cycles,
		moves: perCycle * cycles,
		resultBytes: 8 * model.strategies.length * (cycles + 1) * perRow
	};
}

const mb = (b: number) => `${Math.ceil(b / 1024 / 1024).toLocaleString('en-GB')} MB`;

/**
 * Why a model of this size is refused (moves > MAX_RUN_MOVES or resultBytes > MAX_RESULT_BYTES),
 * or null when it may run.
 * @example
 * sizeProblem({ expandedStates: 4, strategies: 1, cycles: 10, moves: 60, resultBytes: 528 }) -> null
 * sizeProblem(modelSize(m, 2400)) -> 'the model is too large to run: 1,200,000 states (tunnel steps counted) ...'
 */
export function sizeProblem(size: ModelSize): string | null {
	if (size.moves <= MAX_RUN_MOVES && size.resultBytes <= MAX_RESULT_BYTES) return null;
	const what = `${size.expandedStates.toLocaleString('en-GB')} states (tunnel steps counted) x ${size.cycles.toLocaleString('en-GB')} cycles x ${size.strategies} strategies`;
	if (size.moves > MAX_RUN_MOVES)
		return `the model is too large to run: ${what} make ${size.moves.toLocaleString('en-GB')} cohort moves per run; the limit is ${MAX_RUN_MOVES.toLocaleString('en-GB')}. Shorten the horizon, the tunnels or the number of states`;
	return `the model is too large to run: ${what} need ${mb(size.resultBytes)} of results per run; the limit is ${mb(MAX_RESULT_BYTES)}. Shorten the horizon or the number of states`;
}

/**
 * Bytes a PSA keeps: per iteration, the drawn parameters and six totals per strategy, and with
 * per-cycle costs two more numbers per strategy and cycle (Float64, 8 bytes each):
 *   bytes = 8 x iterations x (drawn + 6 x strategies + (keepCycleCosts ? 2 x strategies x (cycles + 1) : 0))
 * @example
 * psaBytes({ iterations: 1000, drawn: 10, strategies: 2, cycles: 20, keepCycleCosts: false }) // 176000 = 8 x 1000 x (10 + 12)
 * // e.g. 100,000 iterations, 177 drawn, 5 strategies, 64 cycles, cycle costs kept: 689 MB
 */
export function psaBytes(o: { iterations: number; drawn: number; strategies: number; cycles: number; keepCycleCosts: boolean }): number {
	const perIteration = o.drawn + 6 * o.strategies + (o.keepCycleCosts ? 2 * o.strategies * (o.cycles + 1) : 0);
	return 8 * o.iterations * perIteration;
}

/**
 * Why a PSA of this size is refused (psaBytes > MAX_PSA_BYTES), or null; names the most
 * iterations that would fit, floor(iterations x MAX_PSA_BYTES / bytes).
 * @example
 * psaSizeProblem({ iterations: 1e7, drawn: 10, strategies: 2, cycles: 20, keepCycleCosts: false });
 * // '10,000,000 iterations of this model would keep 1,679 MB of draws and results; the limit is 1,024 MB: use at most 6,100,805 iterations'
 */
export function psaSizeProblem(o: Parameters<typeof psaBytes>[0]): string | null {
	const bytes = psaBytes(o);
	if (bytes <= MAX_PSA_BYTES) return null;
	const fit = Math.floor((o.iterations * MAX_PSA_BYTES) / bytes);
	return `${o.iterations.toLocaleString('en-GB')} iterations of this model would keep ${mb(bytes)} of draws and results${o.keepCycleCosts ? ' (with costs per cycle for every iteration)' : ''}; the limit is ${mb(MAX_PSA_BYTES)}: use at most ${fit.toLocaleString('en-GB')} iterations${o.keepCycleCosts ? ', or leave out the per-cycle costs (payback)' : ''}`;
}
