/**
 * Expressions compiled to columns: an expression that changes with time (it reads model_time,
 * age or a parameter that does) is evaluated for a block of cycles at once, one lane per cycle,
 * instead of once per cycle. `pd_mild = min(1, q_background * mr_mild)` becomes three tight
 * loops over Float64Arrays (look up q for each lane's age, multiply by the scalar mr_mild, clip)
 * rather than three closure calls per cycle; the interpretive cost is paid once per block.
 *
 * Each syntax-tree node compiles to one of:
 *  - a number, or a variable slot, or a scalar closure (`constant` when it reads no per-cycle
 *    variable: such composite parts are hoisted, evaluated once per run into an extra slot of
 *    the variables array, as a loop-invariant);
 *  - a column closure, which fills and returns its own buffer of BLOCK lanes (the first
 *    `lanes.n` are used). Scalar operands of a column operation are evaluated once per call.
 * Variables that change per tunnel step but not with time (state_time, and parameters reading it)
 * are scalars that are not constant: the caller sets them in the variables array before
 * evaluating a column for that tunnel step.
 *
 * A name may also be a column that does not change within the run (`Variation.FixedColumn`: in
 * the batched PSA, where lanes are iterations, a drawn parameter or a constant parameter reading
 * one). A composite part reading only such columns, numbers and constants, met inside an
 * expression that also reads something per cycle or per step, is hoisted like the scalar parts:
 * the context's `hoistColumn` keeps it in a column of its own, which the caller fills once per run
 * (after the fixed columns are set) and the per-cycle closure only reads. Lane by lane it is the
 * same operations on the same operands, so the values are the same (ARCHITECTURE.md, 'Two
 * backends, kept equal'); a whole expression that is fixed is not hoisted (the caller evaluates it
 * once per run already).
 *
 * The results are those of the scalar closures of expressions.ts, lane by lane: the same
 * operations in the same order. One difference in evaluation, not in results: a conditional or
 * schedule/piecewise whose selector differs between lanes evaluates every branch over all
 * lanes and then picks per lane (the allowed functions never throw; a NaN in a branch that is not
 * picked is discarded). The syntax tree comes from parseExpression (expressions.ts), which has
 * already checked it against the whitelist; nothing here evaluates text.
 */
import type { MathNode } from 'mathjs';
import { arithmeticClosure, binaryOperation, callFunction, parseExpression, relation, relationalChain as scalarChain, type Evaluator, type LifeTableColumns } from '../model/expressions';
import { FUNCTIONS, LIFE_TABLE_FUNCTION } from '../model/functions';
import { BINARY_FUNCTION_KERNELS, OPERATOR_KERNELS, TERNARY_FUNCTION_KERNELS, UNARY_FUNCTION_KERNELS, negateColumn, notColumn, pickColumn, piecewiseColumns, scheduleColumns } from './columnKernels';
import type { ColumnArithmetic } from './wasm/kernels';
import { createColumnMemory, type ColumnMemory } from './columnMemory';

/** Cycles evaluated together; column buffers have this many lanes. */
export const BLOCK = 128;

/**
 * The block being evaluated: its lane count and each lane's model_time and age; where column
 * buffers come from; and, when they all come from a WebAssembly arena (the batched PSA), the
 * arena's column arithmetic, which +, -, *, /, min and max use instead of JavaScript loops.
 */
export interface Lanes {
	n: number;
	modelTime: Float64Array;
	age: Float64Array;
	/** a new column buffer of BLOCK lanes */
	alloc(): Float64Array;
	arithmetic: ColumnArithmetic | null;
	/** results of the costly loops by their operands, shared by every column of these lanes (columnMemory.ts) */
	memory: ColumnMemory;
}

/**
 * The lanes of a column evaluation: n (set by the caller before each block), each lane's
 * model_time and age, where buffers come from and, in the batch, the arena's arithmetic.
 *
 * @example `createLanes()` for the one-lane backend (JavaScript buffers and loops);
 * `createLanes(arena.column, arena.arithmetic)` for the batch.
 */
export function createLanes(alloc: () => Float64Array = () => new Float64Array(BLOCK), arithmetic: ColumnArithmetic | null = null): Lanes {
	const modelTime = alloc();
	return { n: 0, modelTime, age: alloc(), alloc, arithmetic, memory: createColumnMemory(modelTime.length) };
}

export type ColumnEvaluator = (vars: Float64Array) => Float64Array;

/** How a name varies within a run. */
export const enum Variation {
	/** once per run: a slot of the variables array */
	Constant,
	/** per tunnel step: a slot of the variables array, set by the caller */
	Step,
	/** per cycle: a column */
	Column,
	/** a column that does not change within the run (a drawn parameter in the batch): its composite parts are hoisted */
	FixedColumn
}

export interface ColumnContext {
	slotOf(name: string): number | undefined;
	variation(name: string): Variation;
	/** the current column of a time-dependent parameter (or built-in model_time or age) */
	column(name: string): ColumnEvaluator;
	lifeTables: LifeTableColumns;
	lanes: Lanes;
	/** registers a per-run subexpression and returns the variables slot it is written to */
	hoist(evaluate: Evaluator): number;
	/**
	 * registers a per-run column subexpression (it reads only fixed columns, numbers and
	 * constants) and returns a read of the column its value is kept in; without it (a context with
	 * no fixed columns) nothing is hoisted as a column
	 */
	hoistColumn?(evaluate: ColumnEvaluator): ColumnEvaluator;
}

type AnyNode = MathNode & Record<string, unknown>;

interface Compiled {
	kind: 'number' | 'slot' | 'closure' | 'column';
	value: number;
	slot: number;
	/** scalar kinds: the value; column kind: unused */
	evaluate: Evaluator;
	column: ColumnEvaluator | null;
	constant: boolean;
	/** does not change within the run: a constant scalar, or a column reading only fixed columns, numbers and constants */
	fixed: boolean;
	/** a column computed by an operation (not a read of a name's column): worth hoisting when fixed */
	composite: boolean;
}

const notScalar: Evaluator = () => {
	throw new Error('a column has no scalar value');
};
const num = (value: number): Compiled => ({ kind: 'number', value, slot: -1, evaluate: () => value, column: null, constant: true, fixed: true, composite: false });
const slotNode = (slot: number, constant: boolean): Compiled => ({ kind: 'slot', value: NaN, slot, evaluate: (v) => v[slot], column: null, constant, fixed: constant, composite: false });
const closure = (evaluate: Evaluator, constant: boolean): Compiled => ({ kind: 'closure', value: NaN, slot: -1, evaluate, column: null, constant, fixed: constant, composite: false });
/** a column computed from `parts`: fixed when every part is */
const columnNode = (column: ColumnEvaluator, parts: Compiled[]): Compiled => ({
	kind: 'column',
	value: NaN,
	slot: -1,
	evaluate: notScalar,
	column,
	constant: false,
	fixed: parts.every((part) => part.fixed),
	composite: true
});
/** a read of a name's column (or of a hoisted part's column) */
const columnRead = (column: ColumnEvaluator, fixed: boolean): Compiled => ({ kind: 'column', value: NaN, slot: -1, evaluate: notScalar, column, constant: false, fixed, composite: false });

export interface CompiledColumn {
	/** true when the expression reads a per-cycle variable: use `column`; else `scalar` */
	isColumn: boolean;
	column: ColumnEvaluator;
	scalar: Evaluator;
}

/**
 * Compiles an expression (or a number) for block evaluation, its per-run parts hoisted: a
 * column closure when it reads a per-cycle variable (lane l gets the expression's value with
 * lane l's variables), else a scalar closure and its broadcast.
 *
 * @example with q_background a column, `compileColumn('min(1, q_background * mr_mild)', ctx, path)`
 * is a column closure doing three loops over the lanes.
 */
export function compileColumn(source: string | number, ctx: ColumnContext, path: string): CompiledColumn {
	const trimmed = typeof source === 'number' ? '' : source.trim();
	const plain = typeof source === 'number' ? source : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) ? Number(trimmed) : null;
	const c = plain !== null ? num(plain) : compileNode(parseExpression(source as string, path).node, ctx);
	if (c.column) return { isColumn: true, column: c.column, scalar: notScalar };
	const s = settle(c, ctx);
	return { isColumn: false, column: broadcast(s, ctx.lanes), scalar: s.evaluate };
}

/**
 * Replaces a constant composite part by a read of its hoisted slot; and, when `besidePerCycle`
 * (its node also reads something that changes per cycle or step), a fixed composite column by a
 * read of its hoisted column.
 */
function settle(c: Compiled, ctx: ColumnContext, besidePerCycle = false): Compiled {
	if (c.constant && c.kind === 'closure') return slotNode(ctx.hoist(c.evaluate), true);
	if (besidePerCycle && c.fixed && c.composite && c.column && ctx.hoistColumn) return columnRead(ctx.hoistColumn(c.column), true);
	return c;
}

function settleAll(parts: Compiled[], ctx: ColumnContext): Compiled[] {
	if (parts.every((p) => p.constant)) return parts;
	const besidePerCycle = !parts.every((p) => p.fixed);
	return parts.map((p) => settle(p, ctx, besidePerCycle));
}

/** A scalar spread over the lanes (evaluated once per call). */
function broadcast(c: Compiled, lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const f = c.evaluate;
	return (v) => {
		out.fill(f(v), 0, lanes.n);
		return out;
	};
}

function compileNode(node: MathNode, ctx: ColumnContext): Compiled {
	const n = node as AnyNode;
	switch (node.type) {
		case 'ConstantNode':
			return num(Number(n.value));
		case 'SymbolNode': {
			const name = n.name as string;
			const variation = ctx.variation(name);
			if (variation === Variation.Column || variation === Variation.FixedColumn) return columnRead(ctx.column(name), variation === Variation.FixedColumn);
			return slotNode(ctx.slotOf(name) as number, variation === Variation.Constant);
		}
		case 'ParenthesisNode':
			return compileNode(n.content as MathNode, ctx);
		case 'ConditionalNode':
			return conditional(n, ctx);
		case 'RelationalNode':
			return relationalChain(n, ctx);
		case 'OperatorNode':
			return operator(n, ctx);
		case 'FunctionNode':
			return call(n, ctx);
		default:
			throw new Error(`unexpected ${node.type} after validation`);
	}
}

function conditional(n: AnyNode, ctx: ColumnContext): Compiled {
	const parts = settleAll([n.condition, n.trueExpr, n.falseExpr].map((p) => compileNode(p as MathNode, ctx)), ctx);
	const [c, a, b] = parts;
	if (!parts.some((p) => p.column)) {
		const ce = c.evaluate;
		const ae = a.evaluate;
		const be = b.evaluate;
		return closure((v) => (ce(v) !== 0 ? ae(v) : be(v)), parts.every((p) => p.constant));
	}
	const lanes = ctx.lanes;
	const ac = a.column ?? broadcast(a, lanes);
	const bc = b.column ?? broadcast(b, lanes);
	if (!c.column) {
		// one condition for all lanes: only the branch taken is evaluated
		const ce = c.evaluate;
		return columnNode((v) => (ce(v) !== 0 ? ac(v) : bc(v)), parts);
	}
	const cc = c.column;
	const out = lanes.alloc();
	return columnNode((v) => {
		pickColumn(out, cc(v), ac(v), bc(v), lanes.n);
		return out;
	}, parts);
}

/**
 * a < b <= c ... with a column among the operands: every operand evaluated once per call, each
 * comparison over the lanes by its own loop, and the comparisons' results joined by `and` (the
 * scalar chain stops at the first that fails; the comparisons have no side effects, so the
 * result is the same).
 */
function relationalChain(n: AnyNode, ctx: ColumnContext): Compiled {
	const parts = settleAll((n.params as MathNode[]).map((p) => compileNode(p, ctx)), ctx);
	const fns = n.conditionals as string[];
	const ops = fns.map(relation);
	if (!parts.some((p) => p.column))
		return closure(
			scalarChain(
				parts.map((p) => p.evaluate),
				ops
			),
			parts.every((p) => p.constant)
		);
	const lanes = ctx.lanes;
	const out = lanes.alloc();
	const held = lanes.alloc();
	const columns = new Array<Float64Array | null>(parts.length).fill(null);
	const scalars = new Float64Array(parts.length);
	const joinAnd = OPERATOR_KERNELS.and.columnColumn;
	return columnNode((v) => {
		for (let j = 0; j < parts.length; j++) {
			const column = parts[j].column;
			if (column) columns[j] = column(v);
			else scalars[j] = parts[j].evaluate(v);
		}
		for (let j = 0; j < fns.length; j++) {
			const into = j === 0 ? out : held;
			const a = columns[j];
			const b = columns[j + 1];
			const kernels = OPERATOR_KERNELS[fns[j]];
			if (a && b) kernels.columnColumn(into, a, b, lanes.n);
			else if (a) kernels.columnScalar(into, a, scalars[j + 1], lanes.n);
			else if (b) kernels.scalarColumn(into, scalars[j], b, lanes.n);
			else into.fill(ops[j](scalars[j], scalars[j + 1]) ? 1 : 0, 0, lanes.n);
			if (j > 0) joinAnd(out, out, held, lanes.n);
		}
		return out;
	}, parts);
}

function operator(n: AnyNode, ctx: ColumnContext): Compiled {
	const args = settleAll((n.args as MathNode[]).map((a) => compileNode(a, ctx)), ctx);
	const constant = args.every((p) => p.constant);
	const fn = n.fn as string;
	const lanes = ctx.lanes;
	if (args.length === 1) {
		const [x] = args;
		const a = x.evaluate;
		switch (fn) {
			case 'unaryMinus':
				if (x.column) return columnNode(unaryColumn(negateColumn, x.column, lanes), args);
				return x.kind === 'number' ? num(-x.value) : closure((v) => -a(v), constant);
			case 'unaryPlus':
				return x;
			case 'not':
				if (x.column) return columnNode(unaryColumn(notColumn, x.column, lanes), args);
				return closure((v) => (a(v) === 0 ? 1 : 0), constant);
		}
		throw new Error(`unexpected operator ${fn}`);
	}
	const [x, y] = args;
	if (fn === 'add' || fn === 'subtract' || fn === 'multiply' || fn === 'divide') {
		if (x.column || y.column) return columnNode(arithmeticColumn(fn, x, y, lanes), args);
		return closure(arithmeticClosure(fn, x, y), constant);
	}
	if (x.column || y.column) return columnNode(operatorColumn(fn, x, y, lanes), args);
	const binary = binaryOperation(fn);
	const a = x.evaluate;
	const b = y.evaluate;
	return closure((v) => binary(a(v), b(v)), constant);
}

/** A loop over one column (unary minus, not), into the node's own buffer. */
function unaryColumn(kernel: (out: Float64Array, a: Float64Array, n: number) => void, xc: ColumnEvaluator, lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	return (v) => {
		kernel(out, xc(v), lanes.n);
		return out;
	};
}

/**
 * pow, mod, and, or, xor or a comparison with at least one column operand: the operation's own
 * loop for the operands' shape (columnKernels.ts). pow, the one that costs most per lane
 * (Math.pow), looks its operands up in the lanes' memory first (columnMemory.ts).
 */
function operatorColumn(fn: string, x: Compiled, y: Compiled, lanes: Lanes): ColumnEvaluator {
	const kernels = OPERATOR_KERNELS[fn];
	if (!kernels) throw new Error(`unexpected operator ${fn}`);
	const out = lanes.alloc();
	const xc = x.column;
	const yc = y.column;
	const xs = x.evaluate;
	const ys = y.evaluate;
	const memory = fn === 'pow' ? lanes.memory : null;
	const site = lanes.memory.site();
	if (xc && yc) {
		const kernel = kernels.columnColumn;
		return (v) => {
			const a = xc(v);
			const b = yc(v);
			if (memory && memory.recall(site, kernel, out, lanes.n, a, 0, b, 0)) return out;
			kernel(out, a, b, lanes.n);
			if (memory) memory.keep(site, out, lanes.n, a, 0, b, 0);
			return out;
		};
	}
	if (xc) {
		const kernel = kernels.columnScalar;
		return (v) => {
			const a = xc(v);
			const b = ys(v);
			if (memory && memory.recall(site, kernel, out, lanes.n, a, 0, null, b)) return out;
			kernel(out, a, b, lanes.n);
			if (memory) memory.keep(site, out, lanes.n, a, 0, null, b);
			return out;
		};
	}
	const kernel = kernels.scalarColumn;
	const bc = yc as ColumnEvaluator;
	return (v) => {
		const a = xs(v);
		const b = bc(v);
		if (memory && memory.recall(site, kernel, out, lanes.n, null, a, b, 0)) return out;
		kernel(out, a, b, lanes.n);
		if (memory) memory.keep(site, out, lanes.n, null, a, b, 0);
		return out;
	};
}

/**
 * +, -, *, / with at least one column operand: one WebAssembly call over the lanes when the
 * columns live in an arena, else written out so each is one tight JavaScript loop.
 */
function arithmeticColumn(fn: string, x: Compiled, y: Compiled, lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	if (lanes.arithmetic) return inArena(lanes.arithmetic, lanes.arithmetic.ops[fn as 'add'], out, x, y, lanes);
	if (x.column && y.column) return columnOpColumn(fn, x.column, y.column, out, lanes);
	if (x.column) return columnOpScalar(fn, x.column, y.evaluate, out, lanes);
	return scalarOpColumn(fn, x.evaluate, y.column as ColumnEvaluator, out, lanes);
}

/** out[i] = a[i] op b[i] over the lanes, one loop per operation. */
function columnOpColumn(fn: string, xc: ColumnEvaluator, yc: ColumnEvaluator, out: Float64Array, lanes: Lanes): ColumnEvaluator {
	switch (fn) {
		case 'add':
			return (v) => {
				const a = xc(v);
				const b = yc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] + b[i];
				return out;
			};
		case 'subtract':
			return (v) => {
				const a = xc(v);
				const b = yc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] - b[i];
				return out;
			};
		case 'multiply':
			return (v) => {
				const a = xc(v);
				const b = yc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] * b[i];
				return out;
			};
		default:
			return (v) => {
				const a = xc(v);
				const b = yc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] / b[i];
				return out;
			};
	}
}

/** out[i] = a[i] op b over the lanes, b a scalar evaluated once per call. */
function columnOpScalar(fn: string, xc: ColumnEvaluator, ys: Evaluator, out: Float64Array, lanes: Lanes): ColumnEvaluator {
	switch (fn) {
		case 'add':
			return (v) => {
				const a = xc(v);
				const b = ys(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] + b;
				return out;
			};
		case 'subtract':
			return (v) => {
				const a = xc(v);
				const b = ys(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] - b;
				return out;
			};
		case 'multiply':
			return (v) => {
				const a = xc(v);
				const b = ys(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] * b;
				return out;
			};
		default:
			return (v) => {
				const a = xc(v);
				const b = ys(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a[i] / b;
				return out;
			};
	}
}

/** out[i] = a op b[i] over the lanes, a a scalar evaluated once per call. */
function scalarOpColumn(fn: string, xs: Evaluator, bc: ColumnEvaluator, out: Float64Array, lanes: Lanes): ColumnEvaluator {
	switch (fn) {
		case 'add':
			return (v) => {
				const a = xs(v);
				const b = bc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a + b[i];
				return out;
			};
		case 'subtract':
			return (v) => {
				const a = xs(v);
				const b = bc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a - b[i];
				return out;
			};
		case 'multiply':
			return (v) => {
				const a = xs(v);
				const b = bc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a * b[i];
				return out;
			};
		default:
			return (v) => {
				const a = xs(v);
				const b = bc(v);
				for (let i = 0; i < lanes.n; i++) out[i] = a / b[i];
				return out;
			};
	}
}

/** x op y into `out` by one call of the arena's kernels, at least one of x and y a column (in the arena). */
function inArena(k: ColumnArithmetic, op: number, out: Float64Array, x: Compiled, y: Compiled, lanes: Lanes): ColumnEvaluator {
	const o = out.byteOffset;
	const xc = x.column;
	const yc = y.column;
	const xs = x.evaluate;
	const ys = y.evaluate;
	if (xc && yc)
		return (v) => {
			k.columnColumn(op, o, xc(v).byteOffset, yc(v).byteOffset, lanes.n);
			return out;
		};
	if (xc)
		return (v) => {
			k.columnScalar(op, o, xc(v).byteOffset, ys(v), lanes.n);
			return out;
		};
	const bc = yc as ColumnEvaluator;
	return (v) => {
		k.scalarColumn(op, o, xs(v), bc(v).byteOffset, lanes.n);
		return out;
	};
}

function call(n: AnyNode, ctx: ColumnContext): Compiled {
	const name = (n.fn as AnyNode).name as string;
	const raw = n.args as MathNode[];
	if (name === LIFE_TABLE_FUNCTION) return lifeTable(raw as AnyNode[], ctx);
	const parts = settleAll(raw.map((a) => compileNode(a, ctx)), ctx);
	const f = FUNCTIONS[name].fn;
	if (parts.some((p) => p.column)) {
		if (name === 'schedule') return columnNode(scheduleColumn(parts, ctx.lanes), parts);
		if (name === 'piecewise') return columnNode(piecewiseColumn(parts, ctx.lanes), parts);
		if ((name === 'min' || name === 'max') && parts.length > 3) return columnNode(foldColumn(name, parts, ctx.lanes), parts);
		if (ctx.lanes.arithmetic && (name === 'min' || name === 'max') && parts.length === 2)
			return columnNode(inArena(ctx.lanes.arithmetic, ctx.lanes.arithmetic.ops[name], ctx.lanes.alloc(), parts[0], parts[1], ctx.lanes), parts);
		return columnNode(functionColumn(name, parts, ctx.lanes), parts);
	}
	const constant = parts.every((p) => p.constant);
	if (parts.length === 2 && parts[0].kind === 'slot' && parts[1].kind === 'slot' && name !== 'schedule' && name !== 'piecewise') {
		const i = parts[0].slot;
		const j = parts[1].slot;
		return closure((v) => f(v[i], v[j]), constant);
	}
	return closure(callFunction(name, parts.map((p) => p.evaluate)), constant);
}

/** Functions whose loop costs enough per lane (Math.pow, Math.exp, Math.log) to look its operands up in the lanes' memory first (columnMemory.ts). */
const REMEMBERED = new Set(['exp', 'log', 'log10', 'pow', 'rateToProb', 'probToRate', 'rescaleProb', 'applyHR']);

/**
 * A function of one, two or three arguments, at least one a column: scalar arguments spread
 * over the lanes (once per call), then the function's own loop over the columns (columnKernels.ts).
 */
function functionColumn(name: string, parts: Compiled[], lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const args = parts.map((p) => p.column ?? broadcast(p, lanes));
	const memory = REMEMBERED.has(name) ? lanes.memory : null;
	const site = lanes.memory.site();
	switch (args.length) {
		case 1: {
			const kernel = UNARY_FUNCTION_KERNELS[name];
			const [ac] = args;
			if (kernel)
				return (v) => {
					const a = ac(v);
					if (memory && memory.recall(site, kernel, out, lanes.n, a, 0)) return out;
					kernel(out, a, lanes.n);
					if (memory) memory.keep(site, out, lanes.n, a, 0);
					return out;
				};
			break;
		}
		case 2: {
			const kernel = BINARY_FUNCTION_KERNELS[name];
			const [ac, bc] = args;
			if (kernel)
				return (v) => {
					const a = ac(v);
					const b = bc(v);
					if (memory && memory.recall(site, kernel, out, lanes.n, a, 0, b, 0)) return out;
					kernel(out, a, b, lanes.n);
					if (memory) memory.keep(site, out, lanes.n, a, 0, b, 0);
					return out;
				};
			break;
		}
		case 3: {
			const kernel = TERNARY_FUNCTION_KERNELS[name];
			const [ac, bc, cc] = args;
			if (kernel)
				return (v) => {
					const a = ac(v);
					const b = bc(v);
					const c = cc(v);
					if (memory && memory.recall(site, kernel, out, lanes.n, a, 0, b, 0, c, 0)) return out;
					kernel(out, a, b, c, lanes.n);
					if (memory) memory.keep(site, out, lanes.n, a, 0, b, 0, c, 0);
					return out;
				};
			break;
		}
	}
	throw new Error(`no column loop for ${name} with ${args.length} arguments`);
}

/**
 * min or max of more than three arguments: the two-argument loop folded over the arguments in
 * order, min(min(min(a, b), c), d) (Math.min and Math.max of many numbers are the fold of the
 * two-number ones: a NaN gives NaN, -0 is below 0).
 */
function foldColumn(name: 'min' | 'max', parts: Compiled[], lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const args = parts.map((p) => p.column ?? broadcast(p, lanes));
	const arithmetic = lanes.arithmetic;
	const pairwise = BINARY_FUNCTION_KERNELS[name];
	if (arithmetic) {
		const op = arithmetic.ops[name];
		const o = out.byteOffset;
		return (v) => {
			arithmetic.columnColumn(op, o, args[0](v).byteOffset, args[1](v).byteOffset, lanes.n);
			for (let j = 2; j < args.length; j++) arithmetic.columnColumn(op, o, o, args[j](v).byteOffset, lanes.n);
			return out;
		};
	}
	return (v) => {
		pairwise(out, args[0](v), args[1](v), lanes.n);
		for (let j = 2; j < args.length; j++) pairwise(out, out, args[j](v), lanes.n);
		return out;
	};
}

/**
 * schedule(t, v1, ..., vn) with a column among its arguments. One t for the block: only the value
 * it picks is evaluated (as the scalar schedule). A column t with scalar values: each lane picks
 * one value. Otherwise every value over all lanes, then each lane picks.
 */
function scheduleColumn(parts: Compiled[], lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const [time, ...values] = parts;
	const last = values.length - 1;
	const tc = time.column;
	if (!tc) {
		const te = time.evaluate;
		const picks = values.map((p) => p.column ?? broadcast(p, lanes));
		return (v) => {
			const j = Math.floor(te(v)) - 1;
			// as FUNCTIONS.schedule: a NaN index gives NaN (reported as not finite)
			if (j !== j) {
				out.fill(NaN, 0, lanes.n);
				return out;
			}
			return picks[j < 0 ? 0 : j > last ? last : j](v);
		};
	}
	if (values.every((p) => !p.column)) {
		const scalars = values.map((p) => p.evaluate);
		const current = new Float64Array(values.length);
		return (v) => {
			for (let j = 0; j <= last; j++) current[j] = scalars[j](v);
			const t = tc(v);
			for (let i = 0; i < lanes.n; i++) {
				const j = Math.floor(t[i]) - 1;
				out[i] = j !== j ? NaN : current[j < 0 ? 0 : j > last ? last : j];
			}
			return out;
		};
	}
	const columns = values.map((p) => p.column ?? broadcast(p, lanes));
	const current = new Array<Float64Array>(columns.length);
	return (v) => {
		const t = tc(v);
		for (let j = 0; j <= last; j++) current[j] = columns[j](v);
		scheduleColumns(out, t, current, lanes.n);
		return out;
	};
}

/** piecewise(x, b1, v1, ..., otherwise) with a column among its arguments: every argument over all lanes, then each lane picks. */
function piecewiseColumn(parts: Compiled[], lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const columns = parts.map((p) => p.column ?? broadcast(p, lanes));
	const rest = new Array<Float64Array>(columns.length - 1);
	return (v) => {
		const x = columns[0](v);
		for (let j = 1; j < columns.length; j++) rest[j - 1] = columns[j](v);
		piecewiseColumns(out, x, rest, lanes.n);
		return out;
	};
}

/** lifeTable("name", age, sex): sex "male", "female", or a female share. */
function lifeTable(raw: AnyNode[], ctx: ColumnContext): Compiled {
	const [nameNode, ageNode, sexNode] = raw;
	const table = ctx.lifeTables.indexOf(nameNode.value as string);
	const lookup = ctx.lifeTables;
	const fixedShare = sexNode.type === 'ConstantNode' && typeof sexNode.value === 'string' ? (sexNode.value === 'female' ? 1 : 0) : null;
	const ageNodeCompiled = compileNode(ageNode, ctx);
	const shareNodeCompiled = fixedShare === null ? compileNode(sexNode, ctx) : num(fixedShare);
	const besidePerCycle = !(ageNodeCompiled.fixed && shareNodeCompiled.fixed);
	const age = settle(ageNodeCompiled, ctx, besidePerCycle);
	const share = settle(shareNodeCompiled, ctx, besidePerCycle);
	const lanes = ctx.lanes;
	if (!age.column && share.column) {
		// one age for the block (a PSA batch: lanes are iterations), a share per lane
		const out = lanes.alloc();
		const a = age.evaluate;
		const shares = share.column;
		return columnNode((v) => {
			lookup.qxOfShares(table, a(v), shares(v), out, lanes.n);
			return out;
		}, [age, share]);
	}
	if (age.column) {
		// an age per lane (the JavaScript backend: lanes are cycles)
		const out = lanes.alloc();
		const ages = age.column;
		const sc = share.column;
		const s = share.evaluate;
		if (!sc)
			return columnNode((v) => {
				const a = ages(v);
				const femaleShare = s(v);
				for (let i = 0; i < lanes.n; i++) out[i] = lookup.qx(table, a[i], femaleShare);
				return out;
			}, [age, share]);
		return columnNode((v) => {
			const a = ages(v);
			const shares = sc(v);
			for (let i = 0; i < lanes.n; i++) out[i] = lookup.qx(table, a[i], shares[i]);
			return out;
		}, [age, share]);
	}
	const a = age.evaluate;
	const s = share.evaluate;
	return closure((v) => lookup.qx(table, a(v), s(v)), age.constant && share.constant);
}
