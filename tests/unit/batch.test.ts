/**
 * The batched PSA path (batch.ts) against the one-iteration lean path (runner.totals): the same
 * totals to the last bit, the same iterations found invalid, the same per-cycle costs, and a PSA
 * that uses the random stream exactly as a plain one-by-one loop written here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, compileJson, createPsa, createRunner, run, runPsa, TOTALS, type CompiledModel } from '../../src/lib/engine';
import { BATCH, createBatch, fusedForm, sameCohorts, sameDefinitions, sameRows } from '../../src/lib/engine/simulate/batch';
import { Variation } from '../../src/lib/engine/simulate/columns';
import { programOf } from '../../src/lib/engine/simulate/program';
import { FUSED_ALIAS, Operand } from '../../src/lib/engine/simulate/wasm/kernels';
import { createSampler } from '../../src/lib/engine/analysis/sampler';
import { createRandom, fromState, jumpState } from '../../src/lib/engine/analysis/random';
import { ModelError } from '../../src/lib/engine/errors';
import { linearModel } from './analysis-fixtures';

const load = (file: string) => compileJson(readFileSync(`models/${file}`, 'utf8'));

/** Two beta-drawn exits from one state: their sum passes 1 (a negative complement) in about a third of draws. */
function overlappingExits(): CompiledModel {
	const model = linearModel();
	const beta = { type: 'beta', alpha: 5, beta: 6 } as const;
	model.parameters.pA = { value: 0.45, kind: 'probability', unit: 'p', description: 'to A', group: 'g', assumption: 'test', distribution: beta };
	model.parameters.pB = { value: 0.45, kind: 'probability', unit: 'p', description: 'to B', group: 'g', assumption: 'test', distribution: beta };
	model.states = [
		{ id: 'alive', label: 'Well', costs: { care: 'c + d' }, utility: 'u' },
		{ id: 'ill', label: 'Ill', costs: { care: '2 * c' }, utility: 'u / 2' },
		{ id: 'dead', label: 'Dead', dead: true }
	];
	model.strategies = model.strategies.map((s) => ({
		...s,
		transitions: { alive: { ill: 'pA', dead: 'pB * (0.6 + model_time / 10)', alive: 'C' }, ill: { dead: 'pB', ill: 'C' }, dead: { dead: 1 } }
	}));
	return compile(model);
}

/** A probability that grows with time past 1 in the lanes with a large pA (the kind's range, checked per cycle). */
function growingProbability(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.parameters.pT = { expression: 'pA * (1 + model_time) / 3', kind: 'probability', unit: 'p', description: 'grows', group: 'g', assumption: 'test' };
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { ...s.transitions, alive: { ill: 'pA * 0.5', dead: 'pT * 0.2', alive: 'C' } } }));
	return compile(model);
}

/** A state cost that is not a number (the log of a negative number) in the lanes with a small pB, from the second cycle. */
function costNotFinite(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, costs: { care: 'model_time > 1 ? 2 * c * log(pB - 0.42) : c' } } : st));
	return compile(model);
}

/** The same, in a state nobody enters: no total shows it, so only the per-cycle check can. */
function emptyStateCostNotFinite(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.states = [...model.states.slice(0, -1), { id: 'never', label: 'Never entered', costs: { care: 'model_time > 1 ? 2 * c * log(pB - 0.42) : c' }, utility: 'u' }, model.states[model.states.length - 1]];
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { ...s.transitions, never: { never: 1 } } }));
	return compile(model);
}

/**
 * A per-cycle cost the cycle kernel computes itself (c / t, fused) that is +Infinity from the
 * second cycle in the lanes with pB <= 0.42 (t is 0 there), in two states nobody enters, in
 * both strategies: one column, checked finite once per cycle (batch.ts, shareFused), the only
 * check that sees it (no total does).
 */
function sharedCostNotFinite(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.parameters.t = { expression: 'model_time > 1 ? max(pB - 0.42, 0) : 1', kind: 'other', unit: '1', description: 'zero in some lanes', group: 'g', assumption: 'test' };
	const never = (id: string) => ({ id, label: 'Never entered', costs: { care: 'c / t' }, utility: 'u' });
	model.states = [...model.states.slice(0, -1), never('never'), never('never2'), model.states[model.states.length - 1]];
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { ...s.transitions, never: { never: 1 }, never2: { never2: 1 } } }));
	return compile(model);
}

/**
 * Per-cycle values in each form the cycle kernel computes itself (batch.ts, fusedForm): a column
 * over a number, a column times a per-cycle scalar parameter, a parameter's column as it is (in
 * parentheses), a state cost that is a column times a built-in variable, a utility that is a
 * number minus a column; and one nested expression, which stays a closure.
 */
function fusedForms(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.parameters.t10 = { expression: 'model_time / 10', kind: 'other', unit: 'years / 10', description: 'time', group: 'g', assumption: 'test' };
	model.parameters.pT = { expression: 'pA * (1 + model_time) / 20', kind: 'probability', unit: 'p', description: 'grows', group: 'g', assumption: 'test' };
	model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, costs: { care: 'c * model_time' }, utility: '1 - pT' } : st));
	model.strategies = model.strategies.map((s) => ({
		...s,
		transitions: {
			alive: { ill: 'pA / 2', dead: 't10 * pB * 0.5', alive: 'C' },
			ill: { dead: '(pT)', alive: 'pB * t10', ill: 'C' },
			dead: { dead: 1 }
		}
	}));
	return compile(model);
}

/**
 * A tunnel state (four steps) whose exits are tunnel-step parameters drawn per lane: one read as
 * it is (`pStep`, a column that changes at each step), one that reads both time and state_time;
 * a cost and a utility per step; a starting share that reads a time-dependent parameter.
 */
function tunnelModel(stepExit = 'pA * state_time / 10 * (1 + model_time / 20)'): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.horizon = 12;
	model.parameters.t10 = { expression: 'model_time / 10', kind: 'other', unit: 'years / 10', description: 'time', group: 'g', assumption: 'test' };
	model.parameters.pStep = { expression: 'pB * (1 + state_time) / 16', kind: 'probability', unit: 'p', description: 'exit by step', group: 'g', assumption: 'test' };
	model.parameters.pStepTime = { expression: stepExit, kind: 'probability', unit: 'p', description: 'exit by step and time', group: 'g', assumption: 'test' };
	model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, tunnel: 4, costs: { care: 'c * state_time' }, utility: 'u - pStep' } : st));
	model.strategies = model.strategies.map((s) => ({
		...s,
		start: { alive: '1 - pA * t10', ill: 'pA * t10' },
		transitions: { alive: { ill: 'pA / 2', dead: 'pB / 4', alive: 'C' }, ill: { dead: 'pStep', alive: 'pStepTime', ill: 'C' }, dead: { dead: 1 } }
	}));
	return compile(model);
}

/**
 * Rows whose checks the kernel makes once per batch (program.ts, rowChecks), valid in every lane
 * or, with `invalid`, not in some: a row that reads drawn parameters only and has no complement
 * (invalid: summing to 1 only where pB < 0.5, as at the base case); a row of them with a complement
 * (invalid: below 0 where pA + pB > 1); and a row mixing such an entry (invalid: below 0 where
 * pA < 0.3, though the row's complement is in range) with a per-cycle one (invalid: below 0
 * where pB < 0.3), so its sum and complement are checked per cycle. The ill state is a
 * tunnel whose exit reads state_time (a per-step slot, fixed for the batch too).
 */
function fixedRows(rows: 'no complement' | 'complement' | 'mixed', invalid = false): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.horizon = 8;
	model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, tunnel: 3 } : st));
	const alive: Record<string, string> = {
		'no complement': { ill: 'pB', alive: invalid ? 'pB < 0.5 ? 1 - pB : 0.4' : '1 - pB' },
		complement: { ill: invalid ? 'pA' : 'pA / 2', dead: invalid ? 'pB' : 'pB / 2', alive: 'C' },
		mixed: { ill: invalid ? 'pA - 0.3' : 'pA / 2', dead: invalid ? '(pB - 0.3) * model_time / 100' : 'pB * model_time / 100', alive: 'C' }
	}[rows];
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { alive, ill: { dead: 'pB * state_time / 4', ill: 'C' }, dead: { dead: 1 } } }));
	return compile(model);
}

/**
 * A 10-step tunnel whose values are invalid only where nobody can be (cohort.ts, inReach): with
 * `perCycle`, a per-cycle probability parameter of 2 at steps above model_time + 1 (read by the
 * row), over 12 cycles; else a row fixed for the batch whose complement is below 0 from step 6,
 * over 4 cycles (step 6 is in reach from cycle 5).
 */
function outOfReach(perCycle: boolean): CompiledModel {
	const model = tunnelModel('state_time > model_time + 1 ? 2 : pA * state_time / 40').model as unknown as ReturnType<typeof linearModel>;
	model.horizon = perCycle ? 12 : 4;
	model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, tunnel: 10 } : st));
	const ill = perCycle ? { dead: 'pStep', alive: 'pStepTime', ill: 'C' } : { dead: 'pStep', alive: 'state_time > 5 ? 0.95 : pA * state_time / 40', ill: 'C' };
	model.strategies = model.strategies.map((s) => ({ ...s, transitions: { ...s.transitions, ill } }));
	return compile(model);
}

/**
 * Strategies whose cohorts are defined alike (batch.ts, sameCohorts): "old" and "new" have the
 * same rows, start and transition values (a one-off cost and utility change on falling ill, a
 * cost on dying), "new" its own utility; "third" its own exit from ill. Half-cycle correction and
 * discounting, so both ends of each cycle count.
 */
function sharedCohorts(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.cycleCorrection = 'half-cycle';
	model.discountRates = { costs: 0.035, outcomes: 0.035 };
	model.horizon = 12;
	const transitions = { alive: { ill: 'pA / 2', dead: 'pB / 4 * (1 + model_time / 10)', alive: 'C' }, ill: { dead: 'pB / 2', ill: 'C' }, dead: { dead: 1 } };
	const transitionValues = [
		{ from: 'alive', to: 'ill', costs: { care: 'c * model_time / 4' }, utility: '-u / 10' },
		{ from: '*', to: 'dead', costs: { care: 'c / 2' } }
	];
	const [old, young] = model.strategies;
	model.strategies = [
		{ ...old, transitions, transitionValues },
		{ ...young, transitions, transitionValues },
		{ ...young, id: 'third', label: 'Third', transitions: { ...transitions, ill: { dead: 'pB / 3', ill: 'C' } }, transitionValues }
	];
	return compile(model);
}

/**
 * sharedCohorts with the first row of overlappingExits (a complement below 0 in about a third of
 * the draws, more with time): "third" has its own cohort but checks and sums that row from "old"
 * (batch.ts, sameRows).
 */
function sharedRowInvalid(): CompiledModel {
	const model = sharedCohorts().model as unknown as ReturnType<typeof linearModel>;
	const alive = { ill: 'pA', dead: 'pB * (0.6 + model_time / 10)', alive: 'C' };
	model.strategies = model.strategies.map((st) => ({ ...st, transitions: { ...st.transitions, alive } }));
	return compile(model);
}

/**
 * Per-cycle costs of -0 (lanes of `c * -0`, times model_time) where the kernel skips the lean
 * path's leading 0 + (wasm/batch.ts, sumCosts): alone in a state, first of two in a state, and
 * on a transition value without fixed costs. 0 + -0 is +0, which the totals cannot tell apart.
 */
function negativeZeroCosts(): CompiledModel {
	const model = sharedCohorts().model as unknown as ReturnType<typeof linearModel>;
	model.parameters.z = { expression: 'c * -0', kind: 'other', unit: 'GBP', description: '-0 in every lane', group: 'g', assumption: 'test' };
	model.costCategories = [...model.costCategories, { id: 'other', label: 'Other' }];
	model.states = model.states.map((st) => (st.id === 'alive' ? { ...st, costs: { care: 'z * model_time' } } : st.id === 'ill' ? { ...st, costs: { care: 'z * model_time', other: 'c * model_time' } } : st));
	model.strategies = model.strategies.map((st) => ({ ...st, transitionValues: [{ from: 'alive', to: 'ill', costs: { care: 'z * model_time', other: 'c / model_time' } }] }));
	return compile(model);
}

/**
 * Two finite per-cycle costs whose sum overflows to +Infinity, in a state that the lanes with
 * pA > 0.5 enter and the others never do, where the sum overflows: no total shows it and no
 * value is invalid, so in a pair of lanes one entering and one not the kernel must keep the
 * empty lane's sums as they are (wasm/batch.ts, stateValues with select), not add Infinity x 0.
 */
function overflowingCostSum(): CompiledModel {
	const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
	model.parameters.big = { expression: 'pA > 0.5 ? c : c * 9e304', kind: 'other', unit: 'GBP', description: 'near the largest double where pA <= 0.5', group: 'g', assumption: 'test' };
	model.costCategories = [...model.costCategories, { id: 'other', label: 'Other' }];
	model.states = [...model.states.slice(0, -1), { id: 'some', label: 'Entered where pA > 0.5', costs: { care: 'big + model_time', other: 'big + model_time' }, utility: 'u' }, model.states[model.states.length - 1]];
	const transitions = { alive: { ill: 'pA / 2', some: 'pA > 0.5 ? 0.1 : 0', dead: 'pB / 4', alive: 'C' }, ill: { dead: 'pB / 2', ill: 'C' }, some: { some: 1 }, dead: { dead: 1 } };
	model.strategies = model.strategies.map((st) => ({ ...st, transitions }));
	return compile(model);
}

/** A dead state with a cost per cycle: it adds to the cycle's costs, unlike a dead state with no values (wasm/batch.ts, VALUELESS). */
function deadStateCost(): CompiledModel {
	const model = fixedRows('complement').model as unknown as ReturnType<typeof linearModel>;
	model.states = model.states.map((st) => (st.id === 'dead' ? { ...st, costs: { care: 'c / 10' } } : st));
	return compile(model);
}

interface Lanes {
	input: Float64Array;
	draws: Float64Array[];
	values: Float64Array;
}

/** BATCH seeded draws laid out as batch input, and the same draws as whole parameter vectors. */
function drawLanes(cm: CompiledModel, seed: number): Lanes & { slots: Int32Array } {
	const runner = createRunner(cm);
	const { values } = runner.resolve();
	const sampler = createSampler(cm, values);
	const rng = createRandom(seed);
	const P = cm.parameterIds.length;
	const input = new Float64Array(P * BATCH);
	for (let i = 0; i < P; i++) input.fill(values[i], i * BATCH, (i + 1) * BATCH);
	const draws: Float64Array[] = [];
	const d = new Float64Array(sampler.parameterIds.length);
	for (let b = 0; b < BATCH; b++) {
		sampler.draw(rng, d);
		const w = Float64Array.from(values);
		sampler.slots.forEach((slot, k) => {
			w[slot] = d[k];
			input[slot * BATCH + b] = d[k];
		});
		draws.push(w);
	}
	return { input, draws, values, slots: sampler.slots };
}

describe('the forms the cycle kernel computes itself', () => {
	it('recognises a column op a number, variable or column, and a column alone; not nested expressions or scalars alone', () => {
		const cm = fusedForms();
		const isColumn = (name: string) => ['pA', 'pB', 'c', 'pT'].includes(name);
		const variation = Uint8Array.from(cm.parameterIds, (id) => (isColumn(id) ? Variation.Column : Variation.Constant));
		const ops = { add: 0, subtract: 1, multiply: 2, divide: 3 };
		const i = (id: string) => cm.parameterIndex.get(id)!;
		const numbers: number[] = [];
		const form = (source: string) => fusedForm(cm, source, 'test', variation, ops, numbers);
		expect(form('pA / 2')).toEqual([3, Operand.Column, i('pA'), Operand.Number, 0]);
		expect(numbers).toEqual([2]);
		expect(form('t10 * pB')).toEqual([2, Operand.Variable, i('t10'), Operand.Column, i('pB')]);
		expect(form('0.9 - (pB)')).toEqual([1, Operand.Number, 1, Operand.Column, i('pB')]);
		expect(form('c * model_time')).toEqual([2, Operand.Column, i('c'), Operand.Variable, cm.slots.model_time]);
		expect(form('(pT)')).toEqual([FUSED_ALIAS, Operand.Column, i('pT'), Operand.Column, i('pT')]);
		for (const source of ['t10 * pB * 0.5', 'pA ^ 2', '-pA', 'min(pA, pB)', 't10', '2 * t10', 'pA * "x"']) expect(form(source), source).toBeNull();
		expect(numbers).toEqual([2, 0.9]);
	});
});

describe('cohorts strategies define alike', () => {
	it('are found where rows, start and transition values are alike, and only there', () => {
		const sources = (cm: CompiledModel) => Array.from(sameCohorts(cm, cm.strategies.map((_, index) => programOf(cm, index, false)), sameDefinitions(cm)));
		expect(sources(load('sick-sicker-intro.json'))).toEqual([0, 0, 2, 2]);
		expect(sources(load('sick-sicker-state-residence.json'))).toEqual([0, 0, 2, 2]);
		expect(sources(sharedCohorts())).toEqual([0, 0, 2]);
		expect(sources(load('ms.json'))).toEqual(load('ms.json').strategies.map((_, index) => index));
		// rows alike in strategies with cohorts of their own: "third" shares the rows of alive and dead from "old"
		const cm = sharedCohorts();
		const rows = sameRows(cm, cm.strategies.map((_, index) => programOf(cm, index, false)), sameDefinitions(cm));
		const [alive, ill, dead] = ['alive', 'ill', 'dead'].map((id) => cm.stateIds.indexOf(id));
		expect([rows[2][alive], rows[2][ill], rows[2][dead]]).toEqual([0, 2, 0]);
		// the same transition values but one cost: no longer alike
		const model = sharedCohorts().model as unknown as ReturnType<typeof linearModel>;
		model.strategies[1] = { ...model.strategies[1], transitionValues: [model.strategies[1].transitionValues![0], { from: '*', to: 'dead', costs: { care: 'c / 3' } }] };
		expect(sources(compile(model))).toEqual([0, 1, 2]);
	});
});

describe('parameters strategies define alike', () => {
	it('ms.json: a strategy takes a parameter from the first strategy that defines it and everything it reads alike', () => {
		const cm = load('ms.json');
		const same = sameDefinitions(cm);
		const s = (id: string) => cm.strategies.findIndex((st) => st.id === id);
		const from = (strategy: string, id: string) => cm.strategies[same[s(strategy)][cm.parameterIndex.get(id)!]].id;
		// not overridden anywhere, reading nothing overridden: every strategy takes no-dmt's
		for (const id of ['hr_prog_next', 'f2_none_mild', 'q_background', 'pd_mild', 'sv_mild', 'c_ocr'])
			for (const st of cm.strategies) expect(from(st.id, id), `${st.id} ${id}`).toBe('no-dmt');
		// s1_mild reads pd_treat_line1, which reads p_pml_line1, overridden only by lifelong DMT
		expect(from('lifelong-dmt', 's1_mild')).toBe('lifelong-dmt');
		expect(from('ahsct', 's1_mild')).toBe('no-dmt');
		expect(from('hesc', 'pd_treat_line1')).toBe('no-dmt');
		// k1_mild reads p_exit_line1, which each treated strategy overrides differently
		for (const st of ['lifelong-dmt', 'ahsct', 'msc', 'hesc']) expect(from(st, 'k1_mild')).toBe(st);
		// hr_line1 is overridden by every treated strategy, with a parameter of its own
		for (const st of ['lifelong-dmt', 'ahsct', 'msc', 'hesc']) expect(from(st, 'hr_line1')).toBe(st);
	});

	it('the same override in two strategies is one definition; an override equal to the model expression is not (forced values treat them apart)', () => {
		const model = linearModel();
		model.parameters.e1 = { expression: 'c * 2', kind: 'cost', unit: 'GBP', description: 'e1', group: 'g', assumption: 'test' };
		model.parameters.e2 = { expression: 'c * 3', kind: 'cost', unit: 'GBP', description: 'e2', group: 'g', assumption: 'test' };
		const base = model.strategies[0];
		model.strategies = [
			{ ...base, id: 'a', parameters: {} },
			{ ...base, id: 'b', parameters: { e2: 'c * 2' } },
			{ ...base, id: 'c', parameters: { e2: 'c * 2', e1: 'c * 2' } },
			{ ...base, id: 'd', parameters: { e1: 'c * 3' } }
		];
		const cm = compile(model);
		const same = sameDefinitions(cm);
		const at = (id: string) => cm.parameterIndex.get(id)!;
		expect(Array.from(same, (row) => row[at('e2')])).toEqual([0, 1, 1, 0]);
		expect(Array.from(same, (row) => row[at('e1')])).toEqual([0, 0, 2, 3]);
		expect(Array.from(same, (row) => row[at('c')])).toEqual([0, 0, 0, 0]);
	});
});

describe('batched totals equal the lean path lane by lane', () => {
	const models: [string, () => CompiledModel][] = [
		...['ms.json', 'hiv-chancellor.json', 'sick-sicker-age.json', 'sick-sicker-intro.json', 'thr-briggs.json', 'sick-sicker-state-residence.json'].map((file): [string, () => CompiledModel] => [file, () => load(file)]),
		['per-cycle values the kernel computes itself', fusedForms],
		['a tunnel state with per-step parameters drawn per lane and a time-dependent start', () => tunnelModel()],
		...(['no complement', 'complement', 'mixed'] as const).map((rows): [string, () => CompiledModel] => [`rows checked once per batch (${rows}), a tunnel with a per-step exit`, () => fixedRows(rows)]),
		['a dead state with a cost (not left out of the states values, as a dead state without values is)', deadStateCost],
		['strategies sharing a cohort (rows, start, transition values alike), half-cycle correction', sharedCohorts],
		['per-cycle costs of -0, summed without the leading 0', negativeZeroCosts],
		['a sum of finite costs that overflows in a state some lanes never enter', overflowingCostSum],
		['tunnel steps out of reach: a per-cycle parameter invalid only there (not evaluated, not checked)', () => outOfReach(true)],
		['tunnel steps out of reach: a fixed row invalid only at steps above horizon + 1 (not checked by startRows)', () => outOfReach(false)]
	];
	for (const [file, make] of models) {
		it(`${file}: ${BATCH} seeded draws, every total identical, cycle costs too`, () => {
			const cm = make();
			const runner = createRunner(cm);
			const { settings, forced } = runner.resolve();
			const { input, draws, slots } = drawLanes(cm, 11);
			const batch = createBatch(cm, slots);
			expect(batch).not.toBeNull();
			const S = cm.strategies.length;
			const n1 = settings.horizon + 1;
			const out = new Float64Array(S * TOTALS.size * BATCH);
			const bad = new Uint8Array(BATCH);
			const cycles = new Float64Array(BATCH * S * n1);
			const cyclesU = new Float64Array(BATCH * S * n1);
			batch!.totals(input, BATCH, settings, forced, out, bad, cycles, cyclesU, 0);
			const one = new Float64Array(S * TOTALS.size);
			const oneCycles = new Float64Array(S * n1);
			const oneCyclesU = new Float64Array(S * n1);
			for (let b = 0; b < BATCH; b++) {
				runner.totals(draws[b], settings, one, oneCycles, forced, oneCyclesU);
				expect(bad[b]).toBe(0);
				for (let s = 0; s < S; s++)
					for (let f = 0; f < TOTALS.size; f++) expect(out[(s * TOTALS.size + f) * BATCH + b]).toBe(one[s * TOTALS.size + f]);
				expect(cycles.subarray(b * S * n1, (b + 1) * S * n1)).toEqual(oneCycles);
				expect(cyclesU.subarray(b * S * n1, (b + 1) * S * n1)).toEqual(oneCyclesU);
			}
		});
	}

	it('a parameter forced to a value (as DSA does with expression parameters) is used in every lane', () => {
		const cm = load('ms.json');
		const runner = createRunner(cm);
		const { settings, forced, values } = runner.resolve({ parameters: { pd_mild: 0.05 } });
		expect(forced[cm.parameterIndex.get('pd_mild')!]).toBe(1);
		const { input, draws, slots } = drawLanes(cm, 3);
		const i = cm.parameterIndex.get('pd_mild')!;
		input.fill(values[i], i * BATCH, (i + 1) * BATCH);
		const batch = createBatch(cm, slots)!;
		const S = cm.strategies.length;
		const out = new Float64Array(S * TOTALS.size * BATCH);
		const bad = new Uint8Array(BATCH);
		batch.totals(input, 20, settings, forced, out, bad);
		const one = new Float64Array(S * TOTALS.size);
		for (let b = 0; b < 20; b++) {
			draws[b][i] = values[i];
			runner.totals(draws[b], settings, one, undefined, forced);
			expect(out[(1 * TOTALS.size + TOTALS.qaly) * BATCH + b]).toBe(one[1 * TOTALS.size + TOTALS.qaly]);
		}
	});

	it.each([
		['a negative complement', overlappingExits],
		['a per-cycle probability above 1', growingProbability],
		['a state cost that is not a number', costNotFinite],
		['a cost that is not a number in a state nobody enters', emptyStateCostNotFinite],
		['an infinite per-cycle cost the kernel computes once for two states and two strategies', sharedCostNotFinite],
		['a row below 0 in some lanes that a strategy with its own cohort shares', sharedRowInvalid],
		['a tunnel-step probability above 1 at the last step', () => tunnelModel('pA * state_time / 2')],
		['a row of drawn parameters without a complement, not summing to 1', () => fixedRows('no complement', true)],
		['a row of drawn parameters whose complement is below 0', () => fixedRows('complement', true)],
		['a constant entry and a per-cycle entry below 0 in one row', () => fixedRows('mixed', true)]
	])('flags exactly the iterations the lean path rejects (%s) and matches the others', (_, make) => {
		const cm = make();
		const runner = createRunner(cm);
		const { settings, forced } = runner.resolve();
		const { input, draws, slots } = drawLanes(cm, 5);
		const batch = createBatch(cm, slots)!;
		const S = cm.strategies.length;
		const out = new Float64Array(S * TOTALS.size * BATCH);
		const bad = new Uint8Array(BATCH);
		batch.totals(input, BATCH, settings, forced, out, bad);
		const one = new Float64Array(S * TOTALS.size);
		let rejected = 0;
		for (let b = 0; b < BATCH; b++) {
			let error: unknown = null;
			try {
				runner.totals(draws[b], settings, one, undefined, forced);
			} catch (e) {
				error = e;
			}
			expect(bad[b]).toBe(error ? 1 : 0);
			if (error) {
				expect(error).toBeInstanceOf(ModelError);
				rejected++;
			} else expect(out[TOTALS.cost * BATCH + b]).toBe(one[TOTALS.cost]);
		}
		expect(rejected).toBeGreaterThan(10);
		expect(rejected).toBeLessThan(BATCH - 10);
	});

	it('a strategy is laid out once per compiled model: both backends and every run share its program', () => {
		const cm = load('thr-briggs.json');
		const lean = programOf(cm, 1, false);
		expect(programOf(cm, 1, false)).toBe(lean);
		expect(programOf(cm, 1, true)).not.toBe(lean);
		expect(programOf(cm, 1, true).sources.length).toBeGreaterThanOrEqual(lean.sources.length);
		// the revision risk reads state_time: a slot per tunnel step, read once per run for each step
		expect(lean.steps.length).toBe(cm.model.states.find((s) => s.id === 'SuccessP')!.tunnel);
		expect(lean.stepSlots.length).toBeGreaterThanOrEqual(lean.steps.length);
		runPsa(cm, { iterations: 130, seed: 1 });
		expect(programOf(cm, 1, false)).toBe(lean);
	});

	it('models with tunnel states and time-dependent starting shares are batched', () => {
		for (const cm of [load('thr-briggs.json'), load('sick-sicker-state-residence.json'), tunnelModel()]) {
			expect(cm.expanded.count).toBeGreaterThan(cm.stateIds.length);
			expect(createBatch(cm, createSampler(cm, createRunner(cm).resolve().values).slots)).not.toBeNull();
		}
		expect(tunnelModel().strategies[0].start.some((cv) => cv.dependence !== 0)).toBe(true);
	});

	it('PSAs of one model, stepped in turn, share its batches and give what each gives alone', () => {
		const cm = load('ms.json');
		// the first two draw the same parameters (one batch); the third holds one at a value (another)
		const configs = [
			{ iterations: 300, seed: 1 },
			{ iterations: 300, seed: 2, options: { settings: { discountRates: { costs: 0.015, outcomes: 0.015 } } } },
			{ iterations: 300, seed: 3, options: { parameters: { c_ahsct_uk: 60000 } } }
		];
		const alone = configs.map((c) => runPsa(compile(cm.model), c));
		const runs = configs.map((c) => createPsa(cm, c));
		while (runs.some((r) => !r.progress().finished)) for (const r of runs) r.step(97);
		runs.forEach((r, k) => {
			const both = r.result();
			expect(both.method).toBe('batched');
			expect(both.cost).toEqual(alone[k].cost);
			expect(both.qaly).toEqual(alone[k].qaly);
		});
		expect(alone[0].cost).not.toEqual(alone[1].cost);
	});

	it('the PSA result says how it ran', () => {
		expect(runPsa(load('ms.json'), { iterations: 3, seed: 1 }).method).toBe('batched');
		expect(runPsa(load('thr-briggs.json'), { iterations: 3, seed: 1 }).method).toBe('batched');
		expect(runPsa(load('thr-briggs.json'), { iterations: 3, seed: 1, backend: 'javascript' }).method).toBe('one by one');
	});

	it('a model too large for an arena is laid out again in the next size, with the same totals; past the last, none', () => {
		const cm = load('ms.json');
		const runner = createRunner(cm);
		const { settings, forced } = runner.resolve();
		const { input, slots } = drawLanes(cm, 5);
		expect(createBatch(cm, slots, [65536])).toBeNull();
		const S = cm.strategies.length;
		const results = [[65536, 2 ** 22], [2 ** 22]].map((sizes) => {
			const batch = createBatch(cm, slots, sizes);
			expect(batch).not.toBeNull();
			const out = new Float64Array(S * TOTALS.size * BATCH);
			batch!.totals(input, BATCH, settings, forced, out, new Uint8Array(BATCH));
			return out;
		});
		expect(results[0]).toEqual(results[1]);
	});
});

describe('a batched PSA gives what one iteration after another gives', () => {
	/**
	 * The PSA as documented in psa.ts, written plainly: iteration i draws from the seeded state
	 * jumped i times; run; on an invalid draw or run, draw again from the same substream.
	 */
	function reference(cm: CompiledModel, iterations: number, seed: number) {
		const runner = createRunner(cm);
		const { settings, forced, values } = runner.resolve();
		const sampler = createSampler(cm, values);
		let stream = createRandom(seed).state();
		const S = cm.strategies.length;
		const cost = new Float64Array(iterations * S);
		const d = new Float64Array(sampler.parameterIds.length);
		const one = new Float64Array(S * TOTALS.size);
		let redrawn = 0;
		for (let i = 0; i < iterations; i++, stream = jumpState(stream)) {
			const rng = fromState(stream);
			for (;;) {
				try {
					sampler.draw(rng, d);
					const w = Float64Array.from(values);
					sampler.slots.forEach((slot, k) => (w[slot] = d[k]));
					runner.totals(w, settings, one, undefined, forced);
					for (let s = 0; s < S; s++) cost[i * S + s] = one[s * TOTALS.size + TOTALS.cost];
					break;
				} catch (e) {
					if (!(e instanceof ModelError)) throw e;
					redrawn++;
				}
			}
		}
		return { cost, redrawn };
	}

	it('with invalid runs redrawn: the same costs and the same number of redraws, in uneven chunks too', () => {
		const cm = overlappingExits();
		const expected = reference(cm, 400, 17);
		expect(expected.redrawn).toBeGreaterThan(50);
		const psa = runPsa(cm, { iterations: 400, seed: 17, invalidDraws: 'redraw' }, { chunk: 37 });
		expect(psa.redrawn).toBe(expected.redrawn);
		expect(psa.cost).toEqual(expected.cost);
	});

	it('redraws past the kept reasons run side by side in batches: the same draws, totals, redraws and reasons as one by one', () => {
		const cm = overlappingExits();
		const batched = runPsa(cm, { iterations: 600, seed: 5, invalidDraws: 'redraw' }, { chunk: 200 });
		const alone = runPsa(cm, { iterations: 600, seed: 5, invalidDraws: 'redraw', backend: 'javascript' }, { chunk: 200 });
		expect(batched.redrawn).toBeGreaterThan(50);
		expect(batched.redrawn).toBe(alone.redrawn);
		expect(batched.redrawReasons).toEqual(alone.redrawReasons);
		expect(batched.draws).toEqual(alone.draws);
		expect(batched.cost).toEqual(alone.cost);
		expect(batched.qaly).toEqual(alone.qaly);
	});

	it('a draw that no redraw makes valid stops the PSA with the same error batched and one by one', () => {
		const model = overlappingExits().model as unknown as ReturnType<typeof linearModel>;
		// pA + pB above 1 in every draw: beta(50, 1) and beta(50, 1) have means near 0.98
		const high = { type: 'beta', alpha: 50, beta: 1 } as const;
		model.parameters.pA = { ...model.parameters.pA, value: 0.45, distribution: high };
		model.parameters.pB = { ...model.parameters.pB, value: 0.45, distribution: high };
		const cm = compile(model);
		const message = (backend: 'auto' | 'javascript') => {
			try {
				runPsa(cm, { iterations: 20, seed: 2, invalidDraws: 'redraw', backend });
				return 'no error';
			} catch (e) {
				return (e as Error).message;
			}
		};
		const batched = message('auto');
		expect(batched).toMatch(/PSA iteration 1;/);
		expect(batched).toBe(message('javascript'));
	});

	it('ms.json: the first 300 iterations match the plain loop', () => {
		const cm = load('ms.json');
		const expected = reference(cm, 300, 4);
		expect(runPsa(cm, { iterations: 300, seed: 4 }).cost).toEqual(expected.cost);
	});

	it('rows checked once per batch: the same iterations rejected with the same errors as one by one, stopping or redrawing', () => {
		for (const rows of ['no complement', 'complement', 'mixed'] as const) {
			const cm = fixedRows(rows, true);
			const program = programOf(cm, 0, false);
			const alive = cm.stateIds.indexOf('alive');
			expect(program.rowIsFixed[alive], rows).toBe(rows === 'mixed' ? 0 : 1);
			expect(program.fixedRowSlots.length, rows).toBeGreaterThan(0);
			const errorOf = (backend: 'auto' | 'javascript') => {
				try {
					runPsa(cm, { iterations: 200, seed: 3, backend });
				} catch (e) {
					return e;
				}
				return null;
			};
			const stopped = errorOf('auto');
			expect(stopped, rows).toBeInstanceOf(ModelError);
			expect(stopped, rows).toEqual(errorOf('javascript'));
			expect((stopped as ModelError).message).toMatch(rows === 'no complement' ? /probabilities sum to/ : rows === 'complement' ? /complement/ : /value -0\.\d+ at cycle 1 is not a probability/);
			const config = { iterations: 300, seed: 9, invalidDraws: 'redraw' as const };
			const batched = runPsa(cm, config, { chunk: 100 });
			const javascript = runPsa(cm, { ...config, backend: 'javascript' }, { chunk: 100 });
			expect(batched.method).toBe('batched');
			expect(batched.redrawn, rows).toBeGreaterThan(20);
			expect(batched.redrawn, rows).toBe(javascript.redrawn);
			expect(batched.redrawReasons, rows).toEqual(javascript.redrawReasons);
			expect(batched.cost, rows).toEqual(javascript.cost);
			expect(batched.qaly, rows).toEqual(javascript.qaly);
		}
	});

	it("backend 'javascript' runs one by one and gives the batched PSA's arrays to the last bit", () => {
		for (const file of ['ms.json', 'hiv-chancellor.json', 'sick-sicker-intro.json', 'thr-briggs.json', 'sick-sicker-state-residence.json']) {
			const cm = load(file);
			const config = { iterations: 300, seed: 9, keepCycleCosts: true, invalidDraws: 'redraw' as const };
			const batched = runPsa(cm, config, { chunk: 100 });
			const javascript = runPsa(cm, { ...config, backend: 'javascript' }, { chunk: 100 });
			expect(batched.method, file).toBe('batched');
			expect(javascript.method, file).toBe('one by one');
			for (const key of ['cost', 'qaly', 'lifeYears', 'costUndiscounted', 'qalyUndiscounted', 'lifeYearsUndiscounted', 'draws', 'cycleCosts'] as const)
				expect(javascript[key], `${file} ${key}`).toEqual(batched[key]);
		}
	});
});

describe('tunnel steps in reach (cohort.ts, inReach: step m from cycle m - 1 on)', () => {
	/** tunnelModel with a 10-step tunnel over `horizon` cycles and the ill row's exit to alive given. */
	function reachModel(exitToAlive: string, horizon: number): CompiledModel {
		const model = tunnelModel().model as unknown as ReturnType<typeof linearModel>;
		model.horizon = horizon;
		model.states = model.states.map((st) => (st.id === 'ill' ? { ...st, tunnel: 10 } : st));
		model.strategies = model.strategies.map((s) => ({ ...s, transitions: { ...s.transitions, ill: { dead: 'pStep', alive: exitToAlive, ill: 'C' } } }));
		return compile(model);
	}
	const psaError = (cm: CompiledModel, backend: 'auto' | 'javascript') => {
		try {
			runPsa(cm, { iterations: 40, seed: 3, backend });
			return 'no error';
		} catch (e) {
			return (e as Error).message;
		}
	};

	it('a per-cycle parameter and row invalid only where nobody can be (state_time above model_time + 1) are not errors; both backends agree', () => {
		// pStepTime, a probability, is 2 at cycle k for steps above k + 1 only
		const cm = reachModel('pStepTime', 12);
		(cm.model.parameters.pStepTime as { expression: string }).expression = 'state_time > model_time + 1 ? 2 : pA * state_time / 40';
		const reach = compile(cm.model);
		expect(() => run(reach)).not.toThrow();
		const batched = runPsa(reach, { iterations: 300, seed: 8 });
		const alone = runPsa(reach, { iterations: 300, seed: 8, backend: 'javascript' });
		expect(batched.method).toBe('batched');
		expect(batched.cost).toEqual(alone.cost);
		expect(batched.qaly).toEqual(alone.qaly);
		// the same expression read one cycle earlier (state_time above model_time) is in reach: an error
		(cm.model.parameters.pStepTime as { expression: string }).expression = 'state_time > model_time ? 2 : pA * state_time / 40';
		const early = compile(cm.model);
		expect(() => run(early)).toThrow(/pStepTime: 2 is not a probability in \[0, 1\] \(strategy old, cycle 1\)/);
		expect(psaError(early, 'auto')).toBe(psaError(early, 'javascript'));
		expect(psaError(early, 'auto')).not.toBe('no error');
	});

	it('a fixed row of a tunnel step above horizon + 1 is checked at no cycle; one within it is', () => {
		// the exit makes the row's complement negative from step 6 on (a per-step slot, fixed for the batch)
		const exit = 'state_time > 5 ? 0.95 : pA * state_time / 40';
		const short = reachModel(exit, 4);
		expect(() => run(short)).not.toThrow();
		expect(psaError(short, 'auto')).toBe('no error');
		expect(runPsa(short, { iterations: 200, seed: 2 }).cost).toEqual(runPsa(short, { iterations: 200, seed: 2, backend: 'javascript' }).cost);
		const long = reachModel(exit, 5);
		expect(() => run(long)).toThrow(/at cycle 5, state_time 6 is not a probability/);
		expect(psaError(long, 'auto')).toBe(psaError(long, 'javascript'));
		expect(psaError(long, 'auto')).toMatch(/at cycle 5, state_time 6/);
	});
});
