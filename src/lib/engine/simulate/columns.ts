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
 * The results are those of the scalar closures of expressions.ts, lane by lane: the same
 * operations in the same order. One difference in evaluation, not in results: a conditional or
 * schedule/piecewise whose selector differs between lanes evaluates every branch over all
 * lanes and then picks per lane (the allowed functions never throw; a NaN in a branch that is not
 * picked is discarded). The syntax tree comes from parseExpression (expressions.ts), which has
 * already checked it against the whitelist; nothing here evaluates text.
 */
import type { MathNode } from 'mathjs';
import { binaryOperation, callFunction, parseExpression, relation, relationalChain as scalarChain, type Evaluator, type LifeTableColumns } from '../model/expressions';
import { FUNCTIONS, LIFE_TABLE_FUNCTION } from '../model/functions';
import type { ColumnArithmetic } from './wasm/kernels';

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
}

/**
 * The lanes of a column evaluation: n (set by the caller before each block), each lane's
 * model_time and age, where buffers come from and, in the batch, the arena's arithmetic.
 *
 * @example `createLanes()` for the one-lane backend (JavaScript buffers and loops);
 * `createLanes(arena.column, arena.arithmetic)` for the batch.
 */
export function createLanes(alloc: () => Float64Array = () => new Float64Array(BLOCK), arithmetic: ColumnArithmetic | null = null): Lanes {
	return { n: 0, modelTime: alloc(), age: alloc(), alloc, arithmetic };
}

export type ColumnEvaluator = (vars: Float64Array) => Float64Array;

/** How a name varies within a run. */
export const enum Variation {
	/** once per run: a slot of the variables array */
	Constant,
	/** per tunnel step: a slot of the variables array, set by the caller */
	Step,
	/** per cycle: a column */
	Column
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
}

const notScalar: Evaluator = () => {
	throw new Error('a column has no scalar value');
};
const num = (value: number): Compiled => ({ kind: 'number', value, slot: -1, evaluate: () => value, column: null, constant: true });
const slotNode = (slot: number, constant: boolean): Compiled => ({ kind: 'slot', value: NaN, slot, evaluate: (v) => v[slot], column: null, constant });
const closure = (evaluate: Evaluator, constant: boolean): Compiled => ({ kind: 'closure', value: NaN, slot: -1, evaluate, column: null, constant });
const columnNode = (column: ColumnEvaluator): Compiled => ({ kind: 'column', value: NaN, slot: -1, evaluate: notScalar, column, constant: false });

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

/** Replaces a constant composite part by a read of its hoisted slot. */
function settle(c: Compiled, ctx: ColumnContext): Compiled {
	return c.constant && c.kind === 'closure' ? slotNode(ctx.hoist(c.evaluate), true) : c;
}

function settleAll(parts: Compiled[], ctx: ColumnContext): Compiled[] {
	return parts.every((p) => p.constant) ? parts : parts.map((p) => settle(p, ctx));
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
			if (variation === Variation.Column) return columnNode(ctx.column(name));
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
		return columnNode((v) => (ce(v) !== 0 ? ac(v) : bc(v)));
	}
	const cc = c.column;
	const out = lanes.alloc();
	return columnNode((v) => {
		const cond = cc(v);
		const x = ac(v);
		const y = bc(v);
		for (let i = 0; i < lanes.n; i++) out[i] = cond[i] !== 0 ? x[i] : y[i];
		return out;
	});
}

function relationalChain(n: AnyNode, ctx: ColumnContext): Compiled {
	const parts = settleAll((n.params as MathNode[]).map((p) => compileNode(p, ctx)), ctx);
	const ops = (n.conditionals as string[]).map(relation);
	const chain = (values: number[]) => {
		for (let i = 0; i < ops.length; i++) if (!ops[i](values[i], values[i + 1])) return 0;
		return 1;
	};
	if (!parts.some((p) => p.column))
		return closure(
			scalarChain(
				parts.map((p) => p.evaluate),
				ops
			),
			parts.every((p) => p.constant)
		);
	return lanewise(parts, chain, ctx.lanes);
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
				if (x.column) return lanewise(args, (p) => -p[0], lanes);
				return x.kind === 'number' ? num(-x.value) : closure((v) => -a(v), constant);
			case 'unaryPlus':
				return x;
			case 'not':
				if (x.column) return lanewise(args, (p) => (p[0] === 0 ? 1 : 0), lanes);
				return closure((v) => (a(v) === 0 ? 1 : 0), constant);
		}
		throw new Error(`unexpected operator ${fn}`);
	}
	const [x, y] = args;
	if (fn === 'add' || fn === 'subtract' || fn === 'multiply' || fn === 'divide') {
		if (x.column || y.column) return columnNode(arithmeticColumn(fn, x, y, lanes));
		return closure(arithmeticClosure(fn, x, y), constant);
	}
	const binary = binaryOperation(fn);
	if (x.column || y.column) return lanewise(args, (p) => binary(p[0], p[1]), lanes);
	const a = x.evaluate;
	const b = y.evaluate;
	return closure((v) => binary(a(v), b(v)), constant);
}

/**
 * A column from any parts (columns or scalars) and a function of one lane's values. Scalars are
 * evaluated once per call; the function gets the lane's values in an array it must not keep.
 */
function lanewise(parts: Compiled[], f: (values: number[]) => number, lanes: Lanes): Compiled {
	const out = lanes.alloc();
	const k = parts.length;
	const columns: (ColumnEvaluator | null)[] = parts.map((p) => p.column);
	const scalars: Evaluator[] = parts.map((p) => p.evaluate);
	const current: (Float64Array | null)[] = new Array(k).fill(null);
	const values: number[] = new Array(k).fill(0);
	return columnNode((v) => {
		for (let j = 0; j < k; j++) {
			const c = columns[j];
			if (c) current[j] = c(v);
			else {
				current[j] = null;
				values[j] = scalars[j](v);
			}
		}
		for (let i = 0; i < lanes.n; i++) {
			for (let j = 0; j < k; j++) {
				const c = current[j];
				if (c) values[j] = c[i];
			}
			out[i] = f(values);
		}
		return out;
	});
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

/** +, -, *, / on scalars, with operands read directly when they are numbers or variable slots. */
function arithmeticClosure(fn: string, x: Compiled, y: Compiled): Evaluator {
	const a = x.evaluate;
	const b = y.evaluate;
	const i = x.slot;
	const j = y.slot;
	const k = x.value;
	const l = y.value;
	const pattern = `${x.kind[0]}${y.kind[0]}`; // n(umber), s(lot), c(losure)
	switch (fn) {
		case 'add':
			switch (pattern) {
				case 'ss': return (v) => v[i] + v[j];
				case 'ns': return (v) => k + v[j];
				case 'sn': return (v) => v[i] + l;
				case 'cs': return (v) => a(v) + v[j];
				case 'sc': return (v) => v[i] + b(v);
				case 'cn': return (v) => a(v) + l;
				case 'nc': return (v) => k + b(v);
				default: return (v) => a(v) + b(v);
			}
		case 'subtract':
			switch (pattern) {
				case 'ss': return (v) => v[i] - v[j];
				case 'ns': return (v) => k - v[j];
				case 'sn': return (v) => v[i] - l;
				case 'cs': return (v) => a(v) - v[j];
				case 'sc': return (v) => v[i] - b(v);
				case 'cn': return (v) => a(v) - l;
				case 'nc': return (v) => k - b(v);
				default: return (v) => a(v) - b(v);
			}
		case 'multiply':
			switch (pattern) {
				case 'ss': return (v) => v[i] * v[j];
				case 'ns': return (v) => k * v[j];
				case 'sn': return (v) => v[i] * l;
				case 'cs': return (v) => a(v) * v[j];
				case 'sc': return (v) => v[i] * b(v);
				case 'cn': return (v) => a(v) * l;
				case 'nc': return (v) => k * b(v);
				default: return (v) => a(v) * b(v);
			}
		default:
			switch (pattern) {
				case 'ss': return (v) => v[i] / v[j];
				case 'ns': return (v) => k / v[j];
				case 'sn': return (v) => v[i] / l;
				case 'cs': return (v) => a(v) / v[j];
				case 'sc': return (v) => v[i] / b(v);
				case 'cn': return (v) => a(v) / l;
				case 'nc': return (v) => k / b(v);
				default: return (v) => a(v) / b(v);
			}
	}
}

function call(n: AnyNode, ctx: ColumnContext): Compiled {
	const name = (n.fn as AnyNode).name as string;
	const raw = n.args as MathNode[];
	if (name === LIFE_TABLE_FUNCTION) return lifeTable(raw as AnyNode[], ctx);
	const parts = settleAll(raw.map((a) => compileNode(a, ctx)), ctx);
	const f = FUNCTIONS[name].fn;
	if (parts.some((p) => p.column)) {
		if (name === 'schedule' && parts[0].column && parts.slice(1).every((p) => !p.column)) return scheduleColumn(parts, ctx.lanes);
		switch (parts.length) {
			case 1:
				return columnNode(unaryKernel(f, parts[0], ctx.lanes));
			case 2:
				return columnNode(binaryKernel(name, f, parts[0], parts[1], ctx.lanes));
			case 3:
				return lanewise(parts, (p) => f(p[0], p[1], p[2]), ctx.lanes);
			default:
				return lanewise(parts, (p) => f(...p), ctx.lanes);
		}
	}
	const constant = parts.every((p) => p.constant);
	if (parts.length === 2 && parts[0].kind === 'slot' && parts[1].kind === 'slot' && name !== 'schedule' && name !== 'piecewise') {
		const i = parts[0].slot;
		const j = parts[1].slot;
		return closure((v) => f(v[i], v[j]), constant);
	}
	return closure(callFunction(name, parts.map((p) => p.evaluate)), constant);
}

/** f over one column. */
function unaryKernel(f: (x: number) => number, x: Compiled, lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const xc = x.column as ColumnEvaluator;
	return (v) => {
		const a = xc(v);
		for (let i = 0; i < lanes.n; i++) out[i] = f(a[i]);
		return out;
	};
}

/**
 * A function of two arguments, at least one a column. min, max and applyHR, the most common in
 * per-cycle expressions (a probability capped at 1, a hazard ratio applied), are written out so
 * the loop has no call in it; others call the function per lane.
 */
function binaryKernel(name: string, f: (a: number, b: number) => number, x: Compiled, y: Compiled, lanes: Lanes): ColumnEvaluator {
	const out = lanes.alloc();
	const xc = x.column;
	const yc = y.column;
	const xs = x.evaluate;
	const ys = y.evaluate;
	// in an arena, one WebAssembly call (IEEE minimum and maximum: what Math.min and Math.max give)
	if (lanes.arithmetic && (name === 'min' || name === 'max')) return inArena(lanes.arithmetic, lanes.arithmetic.ops[name], out, x, y, lanes);
	const pick = (kernel: (a: Float64Array | null, as: number, b: Float64Array | null, bs: number, n: number) => void): ColumnEvaluator => (v) => {
		kernel(xc ? xc(v) : null, xc ? 0 : xs(v), yc ? yc(v) : null, yc ? 0 : ys(v), lanes.n);
		return out;
	};
	switch (name) {
		case 'min':
			return pick((a, as, b, bs, n) => {
				if (a && b) for (let i = 0; i < n; i++) out[i] = Math.min(a[i], b[i]);
				else if (a) for (let i = 0; i < n; i++) out[i] = Math.min(a[i], bs);
				else if (b) for (let i = 0; i < n; i++) out[i] = Math.min(as, b[i]);
			});
		case 'max':
			return pick((a, as, b, bs, n) => {
				if (a && b) for (let i = 0; i < n; i++) out[i] = Math.max(a[i], b[i]);
				else if (a) for (let i = 0; i < n; i++) out[i] = Math.max(a[i], bs);
				else if (b) for (let i = 0; i < n; i++) out[i] = Math.max(as, b[i]);
			});
		case 'applyHR':
			// as functions.ts: 1 - (1 - p)^hr
			return pick((a, as, b, bs, n) => {
				if (a && b) for (let i = 0; i < n; i++) out[i] = 1 - Math.pow(1 - a[i], b[i]);
				else if (a) for (let i = 0; i < n; i++) out[i] = 1 - Math.pow(1 - a[i], bs);
				else if (b) for (let i = 0; i < n; i++) out[i] = 1 - Math.pow(1 - as, b[i]);
			});
		default:
			return pick((a, as, b, bs, n) => {
				for (let i = 0; i < n; i++) out[i] = f(a ? a[i] : as, b ? b[i] : bs);
			});
	}
}

/** schedule(t, v1, ..., vn) with t a column and scalar values: each lane picks one value. */
function scheduleColumn(parts: Compiled[], lanes: Lanes): Compiled {
	const t = parts[0].column as ColumnEvaluator;
	const values = parts.slice(1).map((p) => p.evaluate);
	const current = new Float64Array(values.length);
	const last = values.length - 1;
	const out = lanes.alloc();
	return columnNode((v) => {
		for (let j = 0; j <= last; j++) current[j] = values[j](v);
		const tc = t(v);
		for (let i = 0; i < lanes.n; i++) {
			const j = Math.floor(tc[i]) - 1;
			// as FUNCTIONS.schedule: a NaN index gives NaN (reported as not finite)
			out[i] = j !== j ? NaN : current[j < 0 ? 0 : j > last ? last : j];
		}
		return out;
	});
}

/** lifeTable("name", age, sex): sex "male", "female", or a female share. */
function lifeTable(raw: AnyNode[], ctx: ColumnContext): Compiled {
	const [nameNode, ageNode, sexNode] = raw;
	const table = ctx.lifeTables.indexOf(nameNode.value as string);
	const lookup = ctx.lifeTables;
	const fixedShare = sexNode.type === 'ConstantNode' && typeof sexNode.value === 'string' ? (sexNode.value === 'female' ? 1 : 0) : null;
	const age = settle(compileNode(ageNode, ctx), ctx);
	const share = fixedShare === null ? settle(compileNode(sexNode, ctx), ctx) : num(fixedShare);
	if (!age.column && share.column) {
		// one age for the block (a PSA batch: lanes are iterations), a share per lane
		const lanes = ctx.lanes;
		const out = lanes.alloc();
		const a = age.evaluate;
		const shares = share.column;
		return columnNode((v) => {
			lookup.qxOfShares(table, a(v), shares(v), out, lanes.n);
			return out;
		});
	}
	if (age.column || share.column) return lanewise([age, share], (p) => lookup.qx(table, p[0], p[1]), ctx.lanes);
	const a = age.evaluate;
	const s = share.evaluate;
	return closure((v) => lookup.qx(table, a(v), s(v)), age.constant && share.constant);
}
