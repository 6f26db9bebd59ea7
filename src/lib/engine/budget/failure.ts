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
import { createRunner, type RunOptions } from '../simulate/run';
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

export function failureCurve(
	cm: CompiledModel,
	strategyId: string,
	failureStates: string[],
	years: number,
	options: RunOptions = {}
): FailureCurve {
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

	const transitions: Record<string, Record<string, string | number>> = {};
	for (const [from, row] of Object.entries(st.transitions)) {
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
	const start: Record<string, string | number> = {};
	const intoStart: (string | number)[] = [];
	for (const [s, v] of Object.entries(st.start)) {
		if (failing.has(s)) intoStart.push(v);
		else start[s] = v;
	}
	if (intoStart.length) start[absorbing] = intoStart.map((v) => `(${v})`).join(' + ');

	// one strategy only: the model's default comparison names strategies that are not in it
	const { comparison: _comparison, ...single } = model;
	const transformed: Model = {
		...single,
		states: [...model.states, { id: absorbing, label: 'Therapy failed (absorbing, for payment models)' }],
		strategies: [{ ...st, transitions, start, transitionValues: [] }],
		// one strategy is kept: the model's comparison names the ones removed
		comparison: undefined
	};
	const runner = createRunner(compile(transformed));
	const horizonCycles = Math.max(model.horizon, Math.ceil(years / model.cycleLength - 1e-9));
	const result = runner.run({ ...options, settings: { ...(options.settings ?? {}), horizon: Math.max(options.settings?.horizon ?? 0, horizonCycles) } });
	const S = result.stateIds.length;
	const fi = result.stateIds.indexOf(absorbing);
	const dead = transformed.states.map((s) => !!s.dead);
	const n = result.settings.horizon;
	const failedAt = new Float64Array(n + 1);
	const okAt = new Float64Array(n + 1);
	const trace = result.strategies[0].trace;
	for (let t = 0; t <= n; t++) {
		failedAt[t] = trace[t * S + fi];
		let ok = 0;
		for (let s = 0; s < S; s++) if (!dead[s] && s !== fi) ok += trace[t * S + s];
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
