/**
 * Expressions compiled for the lean path (totals.ts) in two stages. An expression re-evaluated
 * every cycle (it reads model_time, age or state_time) usually has parts that read only
 * parameters, e.g. `(1 - pd_mild) * (1 - p_exit) * applyHR(p_none_mild, hr)` where only pd_mild
 * changes with age. Those parts are hoisted: evaluated once per run into extra slots of the
 * variables array, and the per-cycle closure reads the slot. Closures whose operands are
 * variables or numbers are specialised (`v[i] * v[j]` in one closure instead of three).
 *
 * The syntax tree comes from parseExpression (expressions.ts), which has already checked it
 * against the same whitelist; nothing here evaluates text. Results are identical to the
 * closures of expressions.ts: the same operations in the same order.
 */
import type { MathNode } from 'mathjs';
import { callFunction, parseExpression, relation, type Evaluator, type LifeTableLookup } from './expressions';
import { FUNCTIONS, LIFE_TABLE_FUNCTION } from './functions';

export interface StageContext {
	slotOf(name: string): number | undefined;
	lifeTables: LifeTableLookup;
	/** true when the variable does not change within a run (parameters of constant dependence, cycle_length) */
	isConstant(name: string): boolean;
	/** registers a per-run subexpression and returns the variables slot it is written to */
	hoist(evaluate: Evaluator): number;
}

type AnyNode = MathNode & Record<string, unknown>;

/** A compiled node: a number, a variable slot, or a closure; `constant` if it reads no per-cycle variable. */
interface Staged {
	kind: 'number' | 'slot' | 'closure';
	value: number;
	slot: number;
	evaluate: Evaluator;
	constant: boolean;
}

const num = (value: number): Staged => ({ kind: 'number', value, slot: -1, evaluate: () => value, constant: true });
const slotNode = (slot: number, constant: boolean): Staged => ({ kind: 'slot', value: NaN, slot, evaluate: (v) => v[slot], constant });
const closure = (evaluate: Evaluator, constant: boolean): Staged => ({ kind: 'closure', value: NaN, slot: -1, evaluate, constant });

/** Compiles an expression for per-cycle evaluation with its per-run parts hoisted. */
export function compileStaged(source: string | number, ctx: StageContext, path: string): Evaluator {
	if (typeof source === 'number') return () => source;
	const trimmed = source.trim();
	if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
		const v = Number(trimmed);
		return () => v;
	}
	const { node } = parseExpression(source, path);
	const staged = stage(node, ctx);
	// the whole expression constant (e.g. in a strategy whose other values vary): evaluate once
	if (staged.constant && staged.kind === 'closure') return slotNode(ctx.hoist(staged.evaluate), true).evaluate;
	return staged.evaluate;
}

/** Replaces a constant composite child by a read of its hoisted slot. */
function settle(s: Staged, ctx: StageContext): Staged {
	return s.constant && s.kind === 'closure' ? slotNode(ctx.hoist(s.evaluate), true) : s;
}

function stage(node: MathNode, ctx: StageContext): Staged {
	const n = node as AnyNode;
	switch (node.type) {
		case 'ConstantNode':
			return num(Number(n.value));
		case 'SymbolNode': {
			const name = n.name as string;
			return slotNode(ctx.slotOf(name) as number, ctx.isConstant(name));
		}
		case 'ParenthesisNode':
			return stage(n.content as MathNode, ctx);
		case 'ConditionalNode': {
			const parts = [n.condition, n.trueExpr, n.falseExpr].map((p) => stage(p as MathNode, ctx));
			const constant = parts.every((p) => p.constant);
			const [c, a, b] = constant ? parts : parts.map((p) => settle(p, ctx));
			const ce = c.evaluate;
			const ae = a.evaluate;
			const be = b.evaluate;
			return closure((v) => (ce(v) !== 0 ? ae(v) : be(v)), constant);
		}
		case 'RelationalNode': {
			const parts = (n.params as MathNode[]).map((p) => stage(p, ctx));
			const constant = parts.every((p) => p.constant);
			const params = (constant ? parts : parts.map((p) => settle(p, ctx))).map((p) => p.evaluate);
			const ops = (n.conditionals as string[]).map(relation);
			return closure((v) => {
				let left = params[0](v);
				for (let i = 0; i < ops.length; i++) {
					const right = params[i + 1](v);
					if (!ops[i](left, right)) return 0;
					left = right;
				}
				return 1;
			}, constant);
		}
		case 'OperatorNode':
			return operator(n, ctx);
		case 'FunctionNode':
			return call(n, ctx);
		default:
			throw new Error(`unexpected ${node.type} after validation`);
	}
}

function operator(n: AnyNode, ctx: StageContext): Staged {
	const parts = (n.args as MathNode[]).map((a) => stage(a, ctx));
	const constant = parts.every((p) => p.constant);
	const args = constant ? parts : parts.map((p) => settle(p, ctx));
	const fn = n.fn as string;
	if (args.length === 1) {
		const a = args[0].evaluate;
		switch (fn) {
			case 'unaryMinus':
				return args[0].kind === 'number' ? num(-args[0].value) : closure((v) => -a(v), constant);
			case 'unaryPlus':
				return args[0];
			case 'not':
				return closure((v) => (a(v) === 0 ? 1 : 0), constant);
		}
		throw new Error(`unexpected operator ${fn}`);
	}
	const [x, y] = args;
	const arithmetic = fn === 'add' || fn === 'subtract' || fn === 'multiply' || fn === 'divide';
	if (arithmetic) return closure(arithmeticClosure(fn, x, y), constant);
	const a = x.evaluate;
	const b = y.evaluate;
	switch (fn) {
		case 'pow':
			return closure((v) => Math.pow(a(v), b(v)), constant);
		case 'mod':
			return closure((v) => {
				const p = a(v);
				const q = b(v);
				return p - q * Math.floor(p / q);
			}, constant);
		case 'and':
			return closure((v) => (a(v) !== 0 && b(v) !== 0 ? 1 : 0), constant);
		case 'or':
			return closure((v) => (a(v) !== 0 || b(v) !== 0 ? 1 : 0), constant);
		case 'xor':
			return closure((v) => ((a(v) !== 0) !== (b(v) !== 0) ? 1 : 0), constant);
		case 'smaller':
		case 'larger':
		case 'smallerEq':
		case 'largerEq':
		case 'equal':
		case 'unequal': {
			const r = relation(fn);
			return closure((v) => (r(a(v), b(v)) ? 1 : 0), constant);
		}
	}
	throw new Error(`unexpected operator ${fn}`);
}

/** +, -, *, / with operands read directly when they are numbers or variable slots. */
function arithmeticClosure(fn: string, x: Staged, y: Staged): Evaluator {
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

function call(n: AnyNode, ctx: StageContext): Staged {
	const name = (n.fn as AnyNode).name as string;
	const raw = n.args as MathNode[];
	if (name === LIFE_TABLE_FUNCTION) {
		const [nameNode, ageNode, sexNode] = raw as AnyNode[];
		const table = ctx.lifeTables.indexOf(nameNode.value as string);
		const lookup = ctx.lifeTables;
		const ageStaged = stage(ageNode, ctx);
		if (sexNode.type === 'ConstantNode' && typeof sexNode.value === 'string') {
			const share = sexNode.value === 'female' ? 1 : 0;
			const age = settle(ageStaged, ctx).evaluate;
			return closure((v) => lookup.qx(table, age(v), share), ageStaged.constant);
		}
		const shareStaged = stage(sexNode, ctx);
		const constant = ageStaged.constant && shareStaged.constant;
		const [age, share] = (constant ? [ageStaged, shareStaged] : [settle(ageStaged, ctx), settle(shareStaged, ctx)]).map((s) => s.evaluate);
		return closure((v) => lookup.qx(table, age(v), share(v)), constant);
	}
	const parts = raw.map((a) => stage(a, ctx));
	const constant = parts.every((p) => p.constant);
	const settled = constant ? parts : parts.map((p) => settle(p, ctx));
	if (settled.length === 2 && settled[0].kind === 'slot' && settled[1].kind === 'slot' && name !== 'schedule' && name !== 'piecewise') {
		const f = FUNCTIONS[name].fn;
		const i = settled[0].slot;
		const j = settled[1].slot;
		return closure((v) => f(v[i], v[j]), constant);
	}
	return closure(callFunction(name, settled.map((p) => p.evaluate)), constant);
}
