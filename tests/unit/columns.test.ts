/**
 * Column compilation (columns.ts) against the scalar closures of expressions.ts: every operator,
 * every function and each way of mixing columns, per-step scalars and constants, evaluated over
 * lanes and compared lane by lane with the scalar closure evaluated with that lane's variables.
 * The scalar closures are themselves checked against hand values in expressions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../src/lib/engine/model/expressions';
import { Variation, compileColumn, createLanes, type ColumnContext } from '../../src/lib/engine/simulate/columns';
import { lifeTableLookup } from '../../src/lib/engine/model/lifeTable';
import { createArena, loadKernels } from '../../src/lib/engine/simulate/wasm/kernels';

const SLOTS: Record<string, number> = { p: 0, q: 1, c: 2, model_time: 3, age: 4 };
const HOISTED = 5;
const lifeTables = lifeTableLookup({
	uk: { source: { citation: 'test', location: 'test' }, minAge: 30, qx: { male: [0.001, 0.002, 0.004, 0.008], female: [0.0005, 0.001, 0.003, 0.006] } }
} as never);

const EXPRESSIONS = [
	'model_time * 2 + p',
	'p - model_time',
	'model_time / (p + 1)',
	'c * model_time',
	'c / q',
	'q - c',
	'-model_time',
	'+age',
	'not (model_time > 3)',
	'model_time ^ 2',
	'c ^ q',
	'model_time mod 3',
	'model_time > 2 and c < 0.5',
	'model_time > 2 or p == 0',
	'model_time > 2 xor c > 0.3',
	'1 < model_time <= 4',
	'p < model_time < c * 10',
	'model_time == 3',
	'model_time != 3',
	'model_time >= 3',
	'model_time > 3 ? c : p',
	'p > 0 ? model_time : 0',
	'q > 1 ? age : c',
	'model_time > 3 ? 1 : 0',
	'min(1, c * model_time)',
	'min(c, 0.5)',
	'max(model_time, p)',
	'min(model_time, c, p)',
	'max(model_time, 2, 3, 4)',
	'applyHR(c, model_time / 10)',
	'applyHR(c, p)',
	'applyHR(0.2, c)',
	'exp(-model_time)',
	'log(model_time)',
	'log(model_time, 2)',
	'log10(age)',
	'sqrt(model_time)',
	'abs(p - model_time)',
	'floor(model_time / 2)',
	'ceil(age / 7)',
	'round(age / 3)',
	'pow(model_time, 0.5)',
	'rateToProb(c, model_time)',
	'rateToProb(c)',
	'probToRate(c)',
	'rescaleProb(c, 1, model_time)',
	'applyOR(c, model_time)',
	'combineProbs(c, 1 / model_time)',
	'schedule(model_time, 1, 2, 3)',
	'schedule(model_time, c, p, 3)',
	'schedule(q, c, 7)',
	'piecewise(model_time, 2, 10, 4, 20, 30)',
	'piecewise(age, 40, c, 50, p, 0)',
	'lifeTable("uk", age, "female")',
	'lifeTable("uk", age, c)',
	'lifeTable("uk", 31, c)',
	'lifeTable("uk", 31.5 + q, c)',
	'lifeTable("uk", p * 100, c)',
	'(p + 1) * model_time',
	'exp(p) * c + q * cycle_length',
	'1 / (model_time - 3)'
];

/** Column buffers as plain arrays with JavaScript loops, or in a WebAssembly arena with its arithmetic (the batched PSA). */
const MODES = {
	JavaScript: () => createLanes(),
	WebAssembly: () => {
		const arena = createArena(loadKernels()!, 2 ** 20);
		return createLanes(arena.column, arena.arithmetic);
	}
};

describe.each(Object.entries(MODES))('column evaluation (%s) equals the scalar closure lane by lane', (_, makeLanes) => {
	const lanes = makeLanes();
	const n = 9;
	lanes.n = n;
	const cColumn = lanes.alloc();
	for (let l = 0; l < n; l++) {
		lanes.modelTime[l] = l + 1;
		lanes.age[l] = 28 + 2 * l; // below, inside and above the table's ages
		cColumn[l] = 0.05 + 0.1 * l;
	}
	const vars = new Float64Array(64);
	vars[SLOTS.p] = 0.7;
	vars[SLOTS.q] = 2;
	let next = HOISTED;
	const hoisted: [number, (v: Float64Array) => number][] = [];
	const ctx: ColumnContext = {
		slotOf: (name) => (name === 'cycle_length' ? 30 : SLOTS[name]),
		variation: (name) => (name === 'p' || name === 'cycle_length' ? Variation.Constant : name === 'q' ? Variation.Step : Variation.Column),
		column: (name) => (name === 'model_time' ? () => lanes.modelTime : name === 'age' ? () => lanes.age : () => cColumn),
		lifeTables,
		lanes,
		hoist: (evaluate) => {
			hoisted.push([next, evaluate]);
			return next++;
		}
	};
	vars[30] = 0.5; // cycle_length

	for (const text of EXPRESSIONS) {
		it(text, () => {
			const column = compileColumn(text, ctx, 'test');
			for (const [slot, evaluate] of hoisted) vars[slot] = evaluate(vars);
			const scalar = compileExpression(text, { slotOf: ctx.slotOf, lifeTables, path: 'test' }).evaluate;
			const got = Float64Array.from(column.column(vars).subarray(0, n));
			for (let l = 0; l < n; l++) {
				const laneVars = Float64Array.from(vars);
				laneVars[SLOTS.model_time] = lanes.modelTime[l];
				laneVars[SLOTS.age] = lanes.age[l];
				laneVars[SLOTS.c] = cColumn[l];
				expect(Object.is(got[l], scalar(laneVars)) || got[l] === scalar(laneVars), `lane ${l}: ${got[l]} vs ${scalar(laneVars)}`).toBe(true);
			}
		});
	}

	it('an expression with no per-cycle part is a scalar, spread over the lanes', () => {
		const c = compileColumn('p * 2 + q', ctx, 'test');
		for (const [slot, evaluate] of hoisted) vars[slot] = evaluate(vars);
		expect(c.isColumn).toBe(false);
		expect(c.scalar(vars)).toBe(0.7 * 2 + 2);
		expect([...c.column(vars).subarray(0, n)]).toEqual(new Array(n).fill(0.7 * 2 + 2));
	});
});
