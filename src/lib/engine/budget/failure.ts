/**
 * The probability that a therapy has failed by each year since treatment, for outcome-based
 * payment agreements. Failure is entering any of a chosen set of states (e.g. disability
 * progression, rescue treatment). The trace share in those states is not the answer when
 * patients can leave them (to worse states, or death), so the model is run once more with the
 * failure states merged into one absorbing state `everFailed`: every move into a failure state
 * becomes a move into `everFailed`, where the patient stays. Its trace share at time t is then
 * P(failed by t), and patients who die before failing are not counted as failures.
 */
import { compile } from '../model/compile';
import { createRunner, type RunOptions, type Runner } from '../simulate/run';
import type { Model } from '../model/schema';
import type { CompiledModel } from '../model/compile';
import { ModelError, issue, joinPath } from '../errors';
import { atTime } from './profiles';

export interface FailureCurve {
	/** failed[j]: P(the therapy has failed by the start of year-since-treatment j), j = 0..Y */
	failed: Float64Array;
	/** aliveNotFailed[j]: P(alive and not failed at the start of year j) */
	aliveNotFailed: Float64Array;
}

/** A model with the failure states merged into one absorbing state, compiled once (its runs are the failure curve). */
export interface FailureModel {
	runner: Runner;
	/** the absorbing state's id */
	absorbing: string;
	/** dead[s]: state s is a death state (of the transformed model) */
	dead: boolean[];
	/** the original model's horizon and cycle length */
	horizon: number;
	cycleLength: number;
}

/**
 * P(failed by year j) and P(alive and not failed at year j), j = 0..years, for one strategy:
 * the failure model compiled, then run once.
 * @example
 * const f = failureCurve(compiled, 'cell', ['failed'], 5);
 * f.failed[3]; // probability that the therapy has failed within 3 years
 */
export function failureCurve(
	cm: CompiledModel,
	strategyId: string,
	failureStates: string[],
	years: number,
	options: RunOptions = {}
): FailureCurve {
	return failureCurveOf(failureModel(cm, strategyId, failureStates), years, options);
}

/**
 * The failure model of one strategy: every move into a failure state becomes a move into the
 * absorbing state `everFailed`; a complement "C" into a failure state stays the complement;
 * a start in a failure state starts in `everFailed`. Compiled once: a PSA runs it per draw.
 * @example failureCurveOf(failureModel(compiled, 'cell', ['failed']), 5, { parameters: draw })
 */
export function failureModel(cm: CompiledModel, strategyId: string, failureStates: string[]): FailureModel {
	const model = cm.model;
	const st = model.strategies.find((s) => s.id === strategyId);
	if (!st) throw new ModelError(issue('payment.strategy', 'unknown-reference', `no strategy "${strategyId}"`));
	const failing = new Set(failureStates);
	failureStates.forEach((f, i) => {
		const s = model.states.find((x) => x.id === f);
		if (!s) throw new ModelError(issue(joinPath('payment', 'failureStates', i), 'unknown-reference', `no state "${f}"`));
		if (s.dead) throw new ModelError(issue(joinPath('payment', 'failureStates', i), 'invalid-override', `"${f}" is a death state`));
	});
	let absorbing = 'everFailed';
	while (model.states.some((s) => s.id === absorbing)) absorbing += '_';
	const transitions = mergedTransitions(st.transitions, failing, absorbing);
	const start: Record<string, string | number> = {};
	const intoStart: (string | number)[] = [];
	for (const [s, v] of Object.entries(st.start)) {
		if (failing.has(s)) intoStart.push(v);
		else start[s] = v;
	}
	if (intoStart.length) start[absorbing] = intoStart.map((v) => `(${v})`).join(' + ');
	// one strategy only: the model's comparison names the ones removed
	const transformed: Model = {
		...model,
		states: [...model.states, { id: absorbing, label: 'Therapy failed (absorbing, for payment models)' }],
		strategies: [{ ...st, transitions, start, transitionValues: [] }],
		comparison: undefined
	};
	return {
		runner: createRunner(compile(transformed)),
		absorbing,
		dead: transformed.states.map((s) => !!s.dead),
		horizon: model.horizon,
		cycleLength: model.cycleLength
	};
}

type Transitions = Record<string, Record<string, string | number>>;

/** The transition rows with every move into a failure state turned into a move into `absorbing`. */
function mergedTransitions(rows: Transitions, failing: Set<string>, absorbing: string): Transitions {
	const transitions: Transitions = {};
	for (const [from, row] of Object.entries(rows)) {
		if (failing.has(from)) {
			transitions[from] = row; // never entered: everyone arriving goes to `absorbing`
			continue;
		}
		const kept: Record<string, string | number> = {};
		const into: (string | number)[] = [];
		let complement = false;
		for (const [to, v] of Object.entries(row)) {
			if (!failing.has(to)) kept[to] = v;
			else if (typeof v === 'string' && v.trim() === 'C') complement = true;
			else into.push(v);
		}
		// the complement into a failure state stays the complement: 1 - (all non-failure entries)
		if (complement) kept[absorbing] = 'C';
		else if (into.length) kept[absorbing] = into.map((v) => `(${v})`).join(' + ');
		transitions[from] = kept;
	}
	transitions[absorbing] = { [absorbing]: 1 };
	return transitions;
}

/**
 * One run of a failure model: failed[j] = trace share in the absorbing state at year j,
 * aliveNotFailed[j] = share in the other live states (linear interpolation between cycles).
 * The run's horizon is the one in `options` (default: the model's), extended to cover `years`.
 * @example failureCurveOf(fm, 5, { parameters: { pFail: 0.12 } }).failed[1] // 0.12
 */
export function failureCurveOf(fm: FailureModel, years: number, options: RunOptions = {}): FailureCurve {
	const needed = Math.ceil(years / (options.settings?.cycleLength ?? fm.cycleLength) - 1e-9);
	const result = fm.runner.run({ ...options, settings: { ...(options.settings ?? {}), horizon: Math.max(needed, options.settings?.horizon ?? fm.horizon) } });
	const S = result.stateIds.length;
	const fi = result.stateIds.indexOf(fm.absorbing);
	const n = result.settings.horizon;
	const failedAt = new Float64Array(n + 1);
	const okAt = new Float64Array(n + 1);
	const trace = result.strategies[0].trace;
	for (let t = 0; t <= n; t++) {
		failedAt[t] = trace[t * S + fi];
		let ok = 0;
		for (let s = 0; s < S; s++) if (!fm.dead[s] && s !== fi) ok += trace[t * S + s];
		okAt[t] = ok;
	}
	const L = result.settings.cycleLength;
	const failed = new Float64Array(years + 1);
	const aliveNotFailed = new Float64Array(years + 1);
	for (let j = 0; j <= years; j++) {
		failed[j] = atTime(failedAt, j / L);
		aliveNotFailed[j] = atTime(okAt, j / L);
	}
	return { failed, aliveNotFailed };
}
