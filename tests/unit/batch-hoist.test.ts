/**
 * Hoisted batch columns (columns.ts, Variation.FixedColumn and hoistColumn): in the batched PSA a
 * part of a per-cycle or per-step expression that reads only drawn parameters (and constant
 * parameters reading them), numbers and constants is evaluated once per batch into a column of
 * its own. These tests hold the batch equal to the JavaScript backend (runner.totals, lanes are
 * cycles there and nothing is hoisted) lane by lane, to the last bit, on models made so that such
 * parts exist: multiplied inside per-cycle expressions, read through a forced or overridden
 * parameter, and inside a tunnel.
 */
import { describe, expect, it } from 'vitest';
import { compile, createRunner, TOTALS, type CompiledModel } from '../../src/lib/engine';
import { BATCH, createBatch } from '../../src/lib/engine/simulate/batch';
import { BLOCK, Variation, compileColumn, createLanes, type ColumnContext, type ColumnEvaluator } from '../../src/lib/engine/simulate/columns';
import { compileExpression } from '../../src/lib/engine/model/expressions';
import { lifeTableLookup } from '../../src/lib/engine/model/lifeTable';
import { createSampler } from '../../src/lib/engine/analysis/sampler';
import { createRandom } from '../../src/lib/engine/analysis/random';
import { linearModel } from './analysis-fixtures';

type ModelInput = ReturnType<typeof linearModel>;

/** Two beta-drawn probabilities pA and pB and a three-state model, as batch.test.ts's overlappingExits but with exits that stay in range. */
function drawnExits(): ModelInput {
	const model = linearModel();
	const beta = { type: 'beta', alpha: 5, beta: 15 } as const;
	model.horizon = 10;
	model.parameters.pA = { value: 0.25, kind: 'probability', unit: 'p', description: 'to ill', group: 'g', assumption: 'test', distribution: beta };
	model.parameters.pB = { value: 0.25, kind: 'probability', unit: 'p', description: 'to dead', group: 'g', assumption: 'test', distribution: beta };
	return model;
}

/**
 * Drawn parameters multiplied inside per-cycle expressions: `pA * pB * (...)` in a transition,
 * `pHalf * pB` (pHalf a constant parameter reading pA) in a time-dependent parameter, a cost
 * `c * u * model_time`, a conditional whose condition is per cycle and whose branches are fixed
 * columns, a function of fixed columns beside a per-cycle scalar, and a unary minus of a product.
 */
function multipliedInside(): CompiledModel {
	const model = drawnExits();
	model.parameters.pHalf = { expression: 'pA * 0.5', kind: 'probability', unit: 'p', description: 'half of pA', group: 'g', assumption: 'test' };
	model.parameters.pT = { expression: 'pHalf * pB * (1 + model_time / 10)', kind: 'probability', unit: 'p', description: 'grows', group: 'g', assumption: 'test' };
	model.states = [
		{ id: 'alive', label: 'Well', costs: { care: 'c * u * model_time' }, utility: 'u * (1 - pA * pB) - model_time / 100' },
		{ id: 'ill', label: 'Ill', costs: { care: 'model_time > 4 ? c * pA * 2 : d * pB' }, utility: 'max(u * pB, 0.1) * (1 - model_time / 50)' },
		{ id: 'dead', label: 'Dead', dead: true }
	];
	model.strategies = model.strategies.map((s) => ({
		...s,
		transitions: {
			alive: { ill: 'pA * pB * (1 + model_time / 20)', dead: 'pT', alive: 'C' },
			ill: { dead: 'min(1, pB * pB * 2 + -(pA * pB) * 0 + model_time / 100)', ill: 'C' },
			dead: { dead: 1 }
		}
	}));
	return compile(model);
}

/**
 * A constant expression parameter pE = pA * pB read with a drawn one inside per-cycle expressions
 * (`pE * pA * ...`), so the hoisted `pE * pA` reads pE's column: computed, held at a forced
 * value (as DSA or a subgroup sets one), or, in strategy 'new', overridden (its own definition
 * wins over the forced value).
 */
function forcedInside(): CompiledModel {
	const model = drawnExits();
	model.parameters.pE = { expression: 'pA * pB', kind: 'probability', unit: 'p', description: 'product', group: 'g', assumption: 'test' };
	model.states = [
		{ id: 'alive', label: 'Well', costs: { care: 'c * pE * model_time' }, utility: 'u' },
		{ id: 'ill', label: 'Ill', costs: { care: 'c' }, utility: 'u * (1 - pE * pA * model_time)' },
		{ id: 'dead', label: 'Dead', dead: true }
	];
	model.strategies = model.strategies.map((s, index) => ({
		...s,
		parameters: index === 1 ? { pE: 'pA * pB * 0.5' } : undefined,
		transitions: { alive: { ill: 'pE * pA * (1 + model_time / 10)', dead: 'pB / 4', alive: 'C' }, ill: { dead: 'pE * 2 + model_time / 100', ill: 'C' }, dead: { dead: 1 } }
	}));
	return compile(model);
}

/**
 * A tunnel state (four steps) whose exits read products of drawn parameters beside state_time
 * (a per-step parameter and a per-step value that also reads time), and a cost per step.
 */
function tunnelInside(): CompiledModel {
	const model = drawnExits();
	model.parameters.pStep = { expression: 'pA * pB * (1 + state_time) / 2', kind: 'probability', unit: 'p', description: 'exit by step', group: 'g', assumption: 'test' };
	model.states = [
		{ id: 'alive', label: 'Well', costs: { care: 'c' }, utility: 'u' },
		{ id: 'ill', label: 'Ill', tunnel: 4, costs: { care: 'c * pA * state_time' }, utility: 'u - pA * pB * state_time' },
		{ id: 'dead', label: 'Dead', dead: true }
	];
	model.strategies = model.strategies.map((s) => ({
		...s,
		transitions: {
			alive: { ill: 'pA / 2', dead: 'pB / 4', alive: 'C' },
			ill: { dead: 'pStep', alive: 'pA * pB * state_time * (1 + model_time / 20) / 4', ill: 'C' },
			dead: { dead: 1 }
		}
	}));
	return compile(model);
}

/** BATCH seeded draws laid out as batch input (one row of lanes per parameter), and the same draws as whole parameter vectors. */
function drawLanes(cm: CompiledModel, values: Float64Array, seed: number) {
	const sampler = createSampler(cm, values);
	const rng = createRandom(seed);
	const parameterCount = cm.parameterIds.length;
	const input = new Float64Array(parameterCount * BATCH);
	for (let i = 0; i < parameterCount; i++) input.fill(values[i], i * BATCH, (i + 1) * BATCH);
	const draws: Float64Array[] = [];
	const drawn = new Float64Array(sampler.parameterIds.length);
	for (let b = 0; b < BATCH; b++) {
		sampler.draw(rng, drawn);
		const parameterValues = Float64Array.from(values);
		sampler.slots.forEach((slot, k) => {
			parameterValues[slot] = drawn[k];
			input[slot * BATCH + b] = drawn[k];
		});
		draws.push(parameterValues);
	}
	return { input, draws, slots: sampler.slots };
}

/**
 * Runs one batch of seeded draws per seed, in turn on one batch (a hoisted column is evaluated
 * again for each), and expects every total and cycle cost of every lane to be the JavaScript
 * backend's, with Object.is; forced parameters keep their value in every lane.
 */
function expectLaneByLaneEqual(cm: CompiledModel, parameters: Record<string, number> = {}, seeds = [11, 12]): void {
	const runner = createRunner(cm);
	const { settings, forced, values } = runner.resolve({ parameters });
	let batch: ReturnType<typeof createBatch> = null;
	for (const seed of seeds) {
		const { input, draws, slots } = drawLanes(cm, values, seed);
		batch ??= createBatch(cm, slots);
		expect(batch).not.toBeNull();
		const strategyCount = cm.strategies.length;
		const cycleCount = settings.horizon + 1;
		const out = new Float64Array(strategyCount * TOTALS.size * BATCH);
		const bad = new Uint8Array(BATCH);
		const cycles = new Float64Array(BATCH * strategyCount * cycleCount);
		batch!.totals(input, BATCH, settings, forced, out, bad, cycles, undefined, 0);
		const one = new Float64Array(strategyCount * TOTALS.size);
		const oneCycles = new Float64Array(strategyCount * cycleCount);
		for (let b = 0; b < BATCH; b++) {
			runner.totals(draws[b], settings, one, oneCycles, forced);
			expect(bad[b], `lane ${b}`).toBe(0);
			for (let s = 0; s < strategyCount; s++)
				for (let f = 0; f < TOTALS.size; f++) expect(Object.is(out[(s * TOTALS.size + f) * BATCH + b], one[s * TOTALS.size + f]), `seed ${seed} lane ${b} strategy ${s} total ${f}`).toBe(true);
			expect(cycles.subarray(b * strategyCount * cycleCount, (b + 1) * strategyCount * cycleCount)).toEqual(oneCycles);
		}
	}
}

describe('hoisted batch columns: lane by lane equal to the JavaScript backend', () => {
	it('drawn parameters multiplied inside per-cycle expressions (transitions, a time-dependent parameter, costs, utilities, a conditional, min and max)', () => {
		expectLaneByLaneEqual(multipliedInside());
	});

	it('a constant parameter reading drawn ones, computed, then forced (as DSA or a subgroup sets it), overridden in one strategy', () => {
		const cm = forcedInside();
		expectLaneByLaneEqual(cm);
		expectLaneByLaneEqual(cm, { pE: 0.02 });
	});

	it('one batch run with the parameter computed, then forced, then computed again: each run re-evaluates what it hoisted', () => {
		const cm = forcedInside();
		const runner = createRunner(cm);
		const free = runner.resolve();
		const held = runner.resolve({ parameters: { pE: 0.02 } });
		const strategyCount = cm.strategies.length;
		let batch: ReturnType<typeof createBatch> = null;
		for (const resolved of [free, held, free]) {
			const { input, draws, slots } = drawLanes(cm, resolved.values, 5);
			batch ??= createBatch(cm, slots);
			const out = new Float64Array(strategyCount * TOTALS.size * BATCH);
			const bad = new Uint8Array(BATCH);
			batch!.totals(input, BATCH, resolved.settings, resolved.forced, out, bad);
			const one = new Float64Array(strategyCount * TOTALS.size);
			for (let b = 0; b < BATCH; b++) {
				runner.totals(draws[b], resolved.settings, one, undefined, resolved.forced);
				for (let s = 0; s < strategyCount; s++) expect(Object.is(out[(s * TOTALS.size + TOTALS.qaly) * BATCH + b], one[s * TOTALS.size + TOTALS.qaly])).toBe(true);
			}
		}
	});

	it('products of drawn parameters beside state_time in a tunnel (a per-step parameter, a per-step value reading time, a cost and a utility per step)', () => {
		expectLaneByLaneEqual(tunnelInside());
	});

	it('fewer lanes than a batch: the hoisted columns are filled for the lanes used', () => {
		const cm = multipliedInside();
		const runner = createRunner(cm);
		const { settings, forced, values } = runner.resolve();
		const { input, draws, slots } = drawLanes(cm, values, 7);
		const batch = createBatch(cm, slots)!;
		const strategyCount = cm.strategies.length;
		const out = new Float64Array(strategyCount * TOTALS.size * BATCH);
		batch.totals(input, 37, settings, forced, out, new Uint8Array(BATCH));
		const one = new Float64Array(strategyCount * TOTALS.size);
		for (let b = 0; b < 37; b++) {
			runner.totals(draws[b], settings, one, undefined, forced);
			expect(Object.is(out[TOTALS.cost * BATCH + b], one[TOTALS.cost])).toBe(true);
		}
	});
});

describe('columns.ts hoists the fixed parts of an expression that also reads something per cycle', () => {
	const SLOTS: Record<string, number> = { a: 0, b: 1, k: 2, q: 3, s: 4 };
	const FIXED = ['a', 'b'];
	/** a and b fixed columns, k a constant, q a per-cycle column, s a per-step scalar */
	function context(lanes: ReturnType<typeof createLanes>, columns: Record<string, Float64Array>, hoisted: { evaluate: ColumnEvaluator; column: Float64Array }[]): ColumnContext {
		return {
			slotOf: (name) => SLOTS[name],
			variation: (name) => (FIXED.includes(name) ? Variation.FixedColumn : name === 'q' ? Variation.Column : name === 's' ? Variation.Step : Variation.Constant),
			column: (name) => () => columns[name],
			lifeTables: lifeTableLookup({}),
			lanes,
			hoist: () => {
				throw new Error('no scalar part is hoisted here');
			},
			hoistColumn: (evaluate) => {
				const column = lanes.alloc();
				hoisted.push({ evaluate, column });
				return () => column;
			}
		};
	}

	it.each([
		['a * b * (1 - q)', 1],
		['a * b * s', 1],
		['exp(a) * b + q', 1],
		['q > 0.5 ? a * b : b / a', 2],
		['(a + k) * q', 1],
		['a * q', 0],
		['a * b', 0],
		['a * b * k', 0]
	])('%s: %i part(s) hoisted, the values lane by lane those of the scalar expression', (text, count) => {
		const lanes = createLanes();
		lanes.n = 9;
		const columns: Record<string, Float64Array> = { a: new Float64Array(BLOCK), b: new Float64Array(BLOCK), q: new Float64Array(BLOCK) };
		for (let l = 0; l < lanes.n; l++) {
			columns.a[l] = 0.1 + l / 7;
			columns.b[l] = 1.3 - l / 11;
			columns.q[l] = l / 9;
		}
		const hoisted: { evaluate: ColumnEvaluator; column: Float64Array }[] = [];
		const variables = new Float64Array(8);
		variables[SLOTS.k] = 0.3;
		variables[SLOTS.s] = 3;
		const compiled = compileColumn(text, context(lanes, columns, hoisted), 'test');
		expect(hoisted.length).toBe(count);
		// once per run, as the batch does (layout.ts, fillHoistedColumns)
		for (const { evaluate, column } of hoisted) column.set(evaluate(variables).subarray(0, lanes.n));
		const got = compiled.isColumn ? Float64Array.from(compiled.column(variables).subarray(0, lanes.n)) : null;
		const scalar = compileExpression(text, { slotOf: (name) => SLOTS[name], lifeTables: lifeTableLookup({}), path: 'test' }).evaluate;
		for (let l = 0; l < lanes.n; l++) {
			const laneVariables = Float64Array.from(variables);
			for (const name of ['a', 'b', 'q']) laneVariables[SLOTS[name]] = columns[name][l];
			expect(Object.is(got ? got[l] : compiled.scalar(variables), scalar(laneVariables)), `lane ${l}`).toBe(true);
		}
	});
});
