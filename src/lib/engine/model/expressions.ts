/**
 * Model expressions: restricted mathjs syntax, compiled once into plain closures over a
 * Float64Array of variables.
 *
 * mathjs is used only to parse text into a syntax tree (mathParser.ts: a `create()` instance
 * holding just the parser). The tree is then walked once here, and only whitelisted node types, operators and
 * functions (functions.ts) become closures. Nothing else is reachable from a model file: no
 * mathjs instance (so no import, evaluate, parse, createUnit, simplify, derivative, resolve),
 * no assignment or function definition, no property access or indexing, no objects, no
 * strings except the name and sex arguments of lifeTable(). The compiled closures call only
 * Math functions and the table in functions.ts, so evaluation cannot touch the global object,
 * prototypes or the network; and since nothing is parsed at run time, evaluation is fast
 * (tens of nanoseconds per node instead of mathjs's microseconds).
 */
import type { MathNode } from 'mathjs';
import { ModelError, issue } from '../errors';
import { FUNCTIONS, LIFE_TABLE_FUNCTION } from './functions';
import { parseMath } from './mathParser';

/** A compiled expression: its value from the variables' Float64Array (parameters, then the built-ins). */
export type Evaluator = (variables: Float64Array) => number;

/** Looks up qx for a named life table; set up by the caller from the model's lifeTables. */
export interface LifeTableLookup {
	/** index of the table, or -1 when the model has no table of that name */
	indexOf(name: string): number;
	/** qx at the given age for the given female share (0 = male, 1 = female) */
	qx(table: number, age: number, femaleShare: number): number;
}

/** The look-up for column evaluation (columns.ts) */
export interface LifeTableColumns extends LifeTableLookup {
	/** out[b] = qx(table, age, femaleShares[b]) for b < n: one age, a column of shares */
	qxOfShares(table: number, age: number, femaleShares: Float64Array, out: Float64Array, n: number): void;
}

export interface ExpressionContext {
	/** slot of a variable in the Float64Array, or undefined when the name is unknown */
	slotOf(name: string): number | undefined;
	lifeTables: LifeTableLookup;
	/** where this expression sits in the model file, for error messages */
	path: string;
}

export interface CompiledExpression {
	evaluate: Evaluator;
	/** every variable name the expression reads */
	symbols: Set<string>;
	/** the value, when the expression is a plain number */
	constant: number | undefined;
}

const MAX_LENGTH = 4000;
const MAX_DEPTH = 200;

interface Parsed {
	node: MathNode;
	symbols: Set<string>;
}

/**
 * Expressions parsed and checked, by text: a model's expressions are parsed again for each
 * strategy and for the PSA's batch, and a parse by mathjs costs a tenth of a millisecond or more.
 * The trees are only read, never changed. Only accepted expressions are kept (a refused one is
 * refused again, with the path of where it stands). Bounded: emptied when full.
 */
const parsed = new Map<string, Readonly<Parsed>>();
const MAX_PARSED = 10_000;

/**
 * Forgets every shared parse, so the next compile parses afresh (for `npm run bench`'s compile time).
 *
 * @example
 * forgetParses(); compile(model); // every expression of the model parsed again
 */
export function forgetParses(): void {
	parsed.clear();
}

/**
 * Parses an expression and lists the variables it reads, without compiling it. The result is
 * shared with every other parse of the same text: read it, do not change it.
 *
 * @example
 * parseExpression('c_drug * (1 + rr)', 'parameters.c_total.expression').symbols // Set { 'c_drug', 'rr' }
 */
export function parseExpression(text: string, path: string): Readonly<Parsed> {
	const known = parsed.get(text);
	if (known) return known;
	const result = parseAndCheck(text, path);
	if (parsed.size >= MAX_PARSED) parsed.clear();
	parsed.set(text, result);
	return result;
}

/**
 * parseExpression without the shared results: a fresh parse every call. Refuses text over 4000
 * characters, nesting deeper than 200 levels, and every construct but numbers, names, operators,
 * conditionals, comparisons and calls of the allowed functions.
 *
 * @example
 * parseAndCheck('a.b', 'parameters.x.expression') // ModelError: "property access or indexing is not allowed ..."
 */
export function parseAndCheck(text: string, path: string): Parsed {
	if (text.length > MAX_LENGTH)
		throw new ModelError(issue(path, 'expression-syntax', `expression is longer than ${MAX_LENGTH} characters`));
	// mathjs parses by recursive descent: deep bracket nesting would exhaust the call stack
	// before check() below sees the tree, so brackets are counted first.
	if (bracketDepth(text) > MAX_DEPTH)
		throw new ModelError(issue(path, 'expression-syntax', `expression nests brackets deeper than ${MAX_DEPTH} levels`));
	let node: MathNode;
	try {
		node = parseMath(text);
	} catch (error) {
		// other deep chains (a ? b : c ? ..., - - - x, 2^2^...) can still exhaust the stack
		if (error instanceof RangeError)
			throw new ModelError(
				issue(path, 'expression-syntax', `expression nests too deeply to read (more than ${MAX_DEPTH} levels): "${excerpt(text)}"`)
			);
		const reason = error instanceof Error ? error.message : String(error);
		throw new ModelError(issue(path, 'expression-syntax', `cannot read expression "${excerpt(text)}": ${reason}`));
	}
	const symbols = new Set<string>();
	check(node, path, excerpt(text), symbols, 0);
	return { node, symbols };
}

/**
 * Deepest nesting of (), [] and {} in the text. Brackets inside quotes count too: the only text
 * a model expression may hold is a life-table name or a sex, and skipping quoted parts would let
 * a stray quote (also mathjs's transpose operator) hide the brackets after it.
 */
function bracketDepth(text: string): number {
	let depth = 0;
	let max = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === 40 || code === 91 || code === 123) max = Math.max(max, ++depth); // ( [ {
		else if (code === 41 || code === 93 || code === 125) depth--; // ) ] }
	}
	return max;
}

/**
 * The expression as quoted in a message: one over 120 characters is cut to its first 100.
 *
 * @example
 * excerpt('p_a + p_b') // 'p_a + p_b'
 * excerpt('x + '.repeat(50)) // the first 100 characters, then '... (200 characters)'
 */
export function excerpt(text: string): string {
	return text.length > 120 ? `${text.slice(0, 100)}... (${text.length} characters)` : text;
}

type AnyNode = MathNode & Record<string, unknown>;

/** Walks the parsed tree once: only whitelisted constructs pass, and every name read is collected in `symbols`. */
function check(node: MathNode, path: string, text: string, symbols: Set<string>, depth: number): void {
	if (depth > MAX_DEPTH)
		throw new ModelError(issue(path, 'expression-syntax', `expression nests deeper than ${MAX_DEPTH} levels`));
	const fields = node as AnyNode;
	const forbidden = (what: string) =>
		new ModelError(issue(path, 'expression-forbidden', `${what} is not allowed in a model expression ("${text}")`));
	switch (node.type) {
		case 'ConstantNode': {
			const value = fields.value;
			if (typeof value === 'number' || typeof value === 'boolean') return;
			if (typeof value === 'string') return; // only accepted where compile() allows it
			throw forbidden(`the constant ${String(value)}`);
		}
		case 'SymbolNode':
			symbols.add(fields.name as string);
			return;
		case 'ParenthesisNode':
			return check(fields.content as MathNode, path, text, symbols, depth + 1);
		case 'OperatorNode':
		case 'ConditionalNode':
		case 'RelationalNode':
			for (const child of childrenOf(node)) check(child, path, text, symbols, depth + 1);
			return;
		case 'FunctionNode': {
			const fnNode = fields.fn as AnyNode;
			if (fnNode.type !== 'SymbolNode') throw forbidden('calling a computed function');
			const name = fnNode.name as string;
			// own keys only: `name in FUNCTIONS` would also accept toString, constructor, ...
			if (!Object.hasOwn(FUNCTIONS, name) && name !== LIFE_TABLE_FUNCTION)
				throw new ModelError(
					issue(path, 'expression-forbidden', `unknown function "${name}" in "${text}"; allowed: ${allowedFunctions()}`)
				);
			for (const arg of fields.args as MathNode[]) check(arg, path, text, symbols, depth + 1);
			return;
		}
		case 'AssignmentNode':
			throw forbidden('assignment');
		case 'FunctionAssignmentNode':
			throw forbidden('defining a function');
		case 'AccessorNode':
		case 'IndexNode':
			throw forbidden('property access or indexing');
		case 'ObjectNode':
			throw forbidden('an object');
		case 'ArrayNode':
			throw forbidden('an array');
		case 'BlockNode':
			throw forbidden('several statements');
		case 'RangeNode':
			throw forbidden('a range');
		default:
			throw forbidden(`the construct ${node.type}`);
	}
}

/**
 * Operators mathjs reads in a way a modeller rarely means: implicit multiplication (`2 rr` is
 * 2 * rr, `2 (3)` is 6) and `%` before a sign (`50% + 1` is 50 modulo +1 = 0, while `50%` alone
 * is 0.5). Both are refused with the explicit form to write.
 */
function checkOperator(fields: AnyNode, path: string, text: string): void {
	// called once the operands compiled, so an unknown name or a string in them is reported first
	if (fields.implicit === true)
		throw new ModelError(issue(path, 'expression-syntax', `implicit multiplication is not allowed: write the "*" between the factors in "${text}" (e.g. 2 * rr, not 2 rr)`));
	const right = (fields.args as AnyNode[] | undefined)?.[1];
	if (fields.fn === 'mod' && fields.op === '%' && right?.type === 'OperatorNode' && (right.fn === 'unaryPlus' || right.fn === 'unaryMinus'))
		throw new ModelError(
			issue(path, 'expression-syntax', `"%" followed by a sign is ambiguous in "${text}" (mathjs reads 50% + 1 as 50 modulo +1, not 0.5 + 1): write a percentage as a fraction (0.5 + 1), and a remainder as mod(a, b)`)
		);
}

/** The operands of an operator, comparison or conditional node. */
function childrenOf(node: MathNode): MathNode[] {
	const fields = node as AnyNode;
	switch (node.type) {
		case 'OperatorNode':
		case 'RelationalNode':
			return (fields.args ?? fields.params) as MathNode[];
		case 'ConditionalNode':
			return [fields.condition, fields.trueExpr, fields.falseExpr] as MathNode[];
		default:
			return [];
	}
}

/**
 * The functions a model expression may call, as a list for messages.
 *
 * @example
 * allowedFunctions() // 'exp, log, ..., lifeTable'
 */
export function allowedFunctions(): string {
	return [...Object.keys(FUNCTIONS), LIFE_TABLE_FUNCTION].join(', ');
}

/**
 * Compiles an expression (or a plain number) into a closure over the variables' Float64Array,
 * once; a plain number keeps its value as `constant`. Throws a ModelError naming the path.
 *
 * @example
 * const compiled = compileExpression('c_drug * 2', { slotOf: (name) => (name === 'c_drug' ? 0 : undefined), lifeTables, path: 'x' });
 * compiled.evaluate(Float64Array.of(150)) // 300
 */
export function compileExpression(source: string | number, ctx: ExpressionContext): CompiledExpression {
	if (typeof source === 'number') {
		if (!Number.isFinite(source))
			throw new ModelError(issue(ctx.path, 'not-finite', `expected a finite number, got ${source}`));
		const value = source;
		return { evaluate: () => value, symbols: new Set(), constant: value };
	}
	const trimmed = source.trim();
	if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) {
		const value = Number(trimmed);
		return { evaluate: () => value, symbols: new Set(), constant: value };
	}
	const { node, symbols } = parseExpression(source, ctx.path);
	for (const symbol of symbols)
		if (ctx.slotOf(symbol) === undefined)
			throw new ModelError(issue(ctx.path, 'unknown-reference', `unknown name "${symbol}" in expression "${excerpt(source)}"`));
	const evaluate = build(node, ctx, excerpt(source));
	return { evaluate, symbols, constant: undefined };
}

/** A node compiled as a number: a text constant here is refused (text is only a life table's name or sex). */
function numberNode(node: MathNode, ctx: ExpressionContext, text: string): Evaluator {
	const fields = node as AnyNode;
	if (node.type === 'ConstantNode' && typeof fields.value === 'string')
		throw new ModelError(
			issue(ctx.path, 'expression-type', `text "${fields.value}" is only allowed as lifeTable's name or sex in "${text}"`)
		);
	return build(node, ctx, text);
}

/** The closure of a node, built once by walking the (already checked) tree. */
function build(node: MathNode, ctx: ExpressionContext, text: string): Evaluator {
	const fields = node as AnyNode;
	switch (node.type) {
		case 'ConstantNode': {
			if (typeof fields.value === 'string') return numberNode(node, ctx, text);
			const value = Number(fields.value);
			return () => value;
		}
		case 'SymbolNode': {
			const slot = ctx.slotOf(fields.name as string) as number;
			return (variables) => variables[slot];
		}
		case 'ParenthesisNode':
			return build(fields.content as MathNode, ctx, text);
		case 'ConditionalNode': {
			const condition = numberNode(fields.condition as MathNode, ctx, text);
			const whenTrue = numberNode(fields.trueExpr as MathNode, ctx, text);
			const whenFalse = numberNode(fields.falseExpr as MathNode, ctx, text);
			return (variables) => (condition(variables) !== 0 ? whenTrue(variables) : whenFalse(variables));
		}
		case 'RelationalNode':
			return relationalChain(
				(fields.params as MathNode[]).map((operand) => numberNode(operand, ctx, text)),
				(fields.conditionals as string[]).map(relation)
			);
		case 'OperatorNode':
			return operator(fields, ctx, text);
		case 'FunctionNode':
			return call(fields, ctx, text);
		default:
			throw new ModelError(issue(ctx.path, 'expression-forbidden', `the construct ${node.type} is not allowed`));
	}
}

/**
 * The operators other than + - * / on two numbers (true is 1, false 0; and/or read both sides:
 * nothing here has side effects). mod is the floored remainder p - q floor(p / q), as mathjs's.
 *
 * @example
 * binaryOperation('mod')(-7, 3) // 2
 * binaryOperation('larger')(2, 1) // 1
 */
export function binaryOperation(fn: string): (a: number, b: number) => number {
	switch (fn) {
		case 'pow':
			return Math.pow;
		case 'mod':
			return (left, right) => left - right * Math.floor(left / right);
		case 'and':
			return (left, right) => (left !== 0 && right !== 0 ? 1 : 0);
		case 'or':
			return (left, right) => (left !== 0 || right !== 0 ? 1 : 0);
		case 'xor':
			return (left, right) => ((left !== 0) !== (right !== 0) ? 1 : 0);
		default: {
			const compare = relation(fn);
			return (left, right) => (compare(left, right) ? 1 : 0);
		}
	}
}

/**
 * a < b <= c ...: 1 when every comparison holds, evaluating operands left to right until one fails.
 *
 * @example
 * relationalChain([() => 1, () => 2, () => 3], [relation('smaller'), relation('smaller')])(variables) // 1
 */
export function relationalChain(operands: Evaluator[], comparisons: ((left: number, right: number) => boolean)[]): Evaluator {
	return (variables) => {
		let left = operands[0](variables);
		for (let i = 0; i < comparisons.length; i++) {
			const right = operands[i + 1](variables);
			if (!comparisons[i](left, right)) return 0;
			left = right;
		}
		return 1;
	};
}

/**
 * The comparison mathjs names `fn` (smaller, larger, smallerEq, largerEq, equal, unequal).
 *
 * @example
 * relation('smallerEq')(2, 2) // true
 */
export function relation(fn: string): (a: number, b: number) => boolean {
	switch (fn) {
		case 'smaller':
			return (a, b) => a < b;
		case 'larger':
			return (a, b) => a > b;
		case 'smallerEq':
			return (a, b) => a <= b;
		case 'largerEq':
			return (a, b) => a >= b;
		case 'equal':
			return (a, b) => a === b;
		case 'unequal':
			return (a, b) => a !== b;
		default:
			throw new Error(`unsupported relation ${fn}`);
	}
}

/** An operand of arithmeticClosure: a number, a variable's slot, or any closure. */
export interface ScalarOperand {
	kind: string;
	/** kind 'number': the number */
	value: number;
	/** kind 'slot': the variable's slot */
	slot: number;
	evaluate: Evaluator;
}

/**
 * +, -, *, / (fn add, subtract, multiply, divide) on two scalars, with operands read directly
 * when they are numbers or variable slots (one closure call, not three): the same operation on
 * the same values as `left(variables) op right(variables)`.
 *
 * @example
 * arithmeticClosure('multiply', { kind: 'slot', slot: 0, value: NaN, evaluate: (v) => v[0] }, { kind: 'number', slot: -1, value: 2, evaluate: () => 2 })(Float64Array.of(150)) // 300
 */
export function arithmeticClosure(fn: string, x: ScalarOperand, y: ScalarOperand): Evaluator {
	// each operand read as it is: a variable slot, a number, or a closure
	const leftOf = x.evaluate;
	const rightOf = y.evaluate;
	const leftSlot = x.slot;
	const rightSlot = y.slot;
	const leftNumber = x.value;
	const rightNumber = y.value;
	const pattern = `${x.kind[0]}${y.kind[0]}`; // n(umber), s(lot), c(losure)
	switch (fn) {
		case 'add':
			switch (pattern) {
				case 'ss': return (variables) => variables[leftSlot] + variables[rightSlot];
				case 'ns': return (variables) => leftNumber + variables[rightSlot];
				case 'sn': return (variables) => variables[leftSlot] + rightNumber;
				case 'cs': return (variables) => leftOf(variables) + variables[rightSlot];
				case 'sc': return (variables) => variables[leftSlot] + rightOf(variables);
				case 'cn': return (variables) => leftOf(variables) + rightNumber;
				case 'nc': return (variables) => leftNumber + rightOf(variables);
				default: return (variables) => leftOf(variables) + rightOf(variables);
			}
		case 'subtract':
			switch (pattern) {
				case 'ss': return (variables) => variables[leftSlot] - variables[rightSlot];
				case 'ns': return (variables) => leftNumber - variables[rightSlot];
				case 'sn': return (variables) => variables[leftSlot] - rightNumber;
				case 'cs': return (variables) => leftOf(variables) - variables[rightSlot];
				case 'sc': return (variables) => variables[leftSlot] - rightOf(variables);
				case 'cn': return (variables) => leftOf(variables) - rightNumber;
				case 'nc': return (variables) => leftNumber - rightOf(variables);
				default: return (variables) => leftOf(variables) - rightOf(variables);
			}
		case 'multiply':
			switch (pattern) {
				case 'ss': return (variables) => variables[leftSlot] * variables[rightSlot];
				case 'ns': return (variables) => leftNumber * variables[rightSlot];
				case 'sn': return (variables) => variables[leftSlot] * rightNumber;
				case 'cs': return (variables) => leftOf(variables) * variables[rightSlot];
				case 'sc': return (variables) => variables[leftSlot] * rightOf(variables);
				case 'cn': return (variables) => leftOf(variables) * rightNumber;
				case 'nc': return (variables) => leftNumber * rightOf(variables);
				default: return (variables) => leftOf(variables) * rightOf(variables);
			}
		default:
			switch (pattern) {
				case 'ss': return (variables) => variables[leftSlot] / variables[rightSlot];
				case 'ns': return (variables) => leftNumber / variables[rightSlot];
				case 'sn': return (variables) => variables[leftSlot] / rightNumber;
				case 'cs': return (variables) => leftOf(variables) / variables[rightSlot];
				case 'sc': return (variables) => variables[leftSlot] / rightOf(variables);
				case 'cn': return (variables) => leftOf(variables) / rightNumber;
				case 'nc': return (variables) => leftNumber / rightOf(variables);
				default: return (variables) => leftOf(variables) / rightOf(variables);
			}
	}
}

/** An operator node's closure: unary minus, plus and not, the four arithmetic operators inline, the rest through binaryOperation. */
function operator(fields: AnyNode, ctx: ExpressionContext, text: string): Evaluator {
	const args = (fields.args as MathNode[]).map((operand) => numberNode(operand, ctx, text));
	checkOperator(fields, ctx.path, text);
	const fn = fields.fn as string;
	const forbidden = () =>
		new ModelError(issue(ctx.path, 'expression-forbidden', `the operator "${fields.op as string}" is not allowed in "${text}"`));
	if (args.length === 1) {
		const [operand] = args;
		switch (fn) {
			case 'unaryMinus':
				return (variables) => -operand(variables);
			case 'unaryPlus':
				return operand;
			case 'not':
				return (variables) => (operand(variables) === 0 ? 1 : 0);
			default:
				throw forbidden();
		}
	}
	if (args.length !== 2) throw forbidden();
	const [left, right] = args;
	switch (fn) {
		case 'add':
		case 'subtract':
		case 'multiply':
		case 'divide': {
			const [leftNode, rightNode] = fields.args as MathNode[];
			return arithmeticClosure(fn, operandOf(leftNode, left, ctx), operandOf(rightNode, right, ctx));
		}
		case 'pow':
		case 'mod':
		case 'and':
		case 'or':
		case 'xor':
		case 'smaller':
		case 'larger':
		case 'smallerEq':
		case 'largerEq':
		case 'equal':
		case 'unequal': {
			const operation = binaryOperation(fn);
			return (variables) => operation(left(variables), right(variables));
		}
		default:
			throw forbidden();
	}
}

/** An operand node as arithmeticClosure reads it: a number, a variable's slot, or its closure. */
function operandOf(node: MathNode, evaluate: Evaluator, ctx: ExpressionContext): ScalarOperand {
	let inner = node as AnyNode;
	while (inner.type === 'ParenthesisNode') inner = inner.content as AnyNode;
	if (inner.type === 'SymbolNode') return { kind: 'slot', value: NaN, slot: ctx.slotOf(inner.name as string) as number, evaluate };
	if (inner.type === 'ConstantNode' && (typeof inner.value === 'number' || typeof inner.value === 'boolean')) return { kind: 'number', value: Number(inner.value), slot: -1, evaluate };
	return { kind: 'closure', value: NaN, slot: -1, evaluate };
}

/** A function call node's closure, its arity checked against the function table (lifeTable compiled apart). */
function call(fields: AnyNode, ctx: ExpressionContext, text: string): Evaluator {
	const name = (fields.fn as AnyNode).name as string;
	const rawArgs = fields.args as MathNode[];
	if (name === LIFE_TABLE_FUNCTION) return lifeTableCall(rawArgs, ctx, text);
	const spec = FUNCTIONS[name];
	if (rawArgs.length < spec.minArgs || rawArgs.length > spec.maxArgs)
		throw new ModelError(
			issue(
				ctx.path,
				'expression-type',
				`${name}() takes ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} arguments, got ${rawArgs.length} in "${text}"`
			)
		);
	if (name === 'piecewise' && rawArgs.length % 2 !== 0)
		throw new ModelError(
			issue(ctx.path, 'expression-type', `piecewise(x, b1, v1, ..., otherwise) needs an even number of arguments in "${text}"`)
		);
	return callFunction(name, rawArgs.map((argument) => numberNode(argument, ctx, text)));
}

/**
 * A closure calling a whitelisted function on compiled arguments (arity already checked):
 * schedule and piecewise evaluate only the branch they return; small arities avoid a spread.
 *
 * @example
 * callFunction('max', [() => 2, () => 5])(variables) // 5
 */
export function callFunction(name: string, args: Evaluator[]): Evaluator {
	if (name === 'schedule') return scheduleCall(args);
	if (name === 'piecewise') return piecewiseCall(args);
	const fn = FUNCTIONS[name].fn;
	switch (args.length) {
		case 1: {
			const [first] = args;
			return (variables) => fn(first(variables));
		}
		case 2: {
			const [first, second] = args;
			return (variables) => fn(first(variables), second(variables));
		}
		case 3: {
			const [first, second, third] = args;
			return (variables) => fn(first(variables), second(variables), third(variables));
		}
		default: {
			const values = new Array<number>(args.length);
			return (variables) => {
				for (let i = 0; i < args.length; i++) values[i] = args[i](variables);
				return fn(...values);
			};
		}
	}
}

/** lifeTable("name", age, sex): sex is "male", "female", or the female share (0..1). */
function lifeTableCall(rawArgs: MathNode[], ctx: ExpressionContext, text: string): Evaluator {
	const fail = (message: string) => new ModelError(issue(ctx.path, 'expression-type', `${message} in "${text}"`));
	if (rawArgs.length !== 3) throw fail('lifeTable(name, age, sex) takes 3 arguments');
	const [nameNode, ageNode, sexNode] = rawArgs as AnyNode[];
	if (nameNode.type !== 'ConstantNode' || typeof nameNode.value !== 'string')
		throw fail('lifeTable\'s first argument must be a table name in quotes, e.g. lifeTable("uk", age, "female")');
	const table = ctx.lifeTables.indexOf(nameNode.value);
	if (table < 0)
		throw new ModelError(issue(ctx.path, 'unknown-reference', `no life table named "${nameNode.value}" in lifeTables`));
	const age = numberNode(ageNode, ctx, text);
	const lookup = ctx.lifeTables;
	if (sexNode.type === 'ConstantNode' && typeof sexNode.value === 'string') {
		const sex = sexNode.value;
		if (sex !== 'male' && sex !== 'female') throw fail(`sex must be "male", "female" or a female share, not "${sex}"`);
		const share = sex === 'female' ? 1 : 0;
		return (variables) => lookup.qx(table, age(variables), share);
	}
	if (sexNode.type === 'ConstantNode' && typeof sexNode.value === 'number' && !(sexNode.value >= 0 && sexNode.value <= 1))
		throw fail(`the female share must be from 0 to 1, not ${sexNode.value}`);
	const share = numberNode(sexNode, ctx, text);
	return (variables) => lookup.qx(table, age(variables), share(variables));
}

/**
 * schedule(t, v1, ..., vn), evaluating only the value it returns. A NaN index gives NaN, which
 * the cohort reports as a value that is not finite at the expression's path (as FUNCTIONS.schedule).
 */
function scheduleCall(args: Evaluator[]): Evaluator {
	const [time, ...values] = args;
	const last = values.length - 1;
	return (variables) => {
		const index = Math.floor(time(variables)) - 1;
		if (index !== index) return NaN;
		return values[index < 0 ? 0 : index > last ? last : index](variables);
	};
}

/** piecewise(x, b1, v1, ..., otherwise), evaluating only what it needs. */
function piecewiseCall(args: Evaluator[]): Evaluator {
	const [x, ...rest] = args;
	const pairs = (rest.length - 1) / 2;
	const otherwise = rest[rest.length - 1];
	return (variables) => {
		const at = x(variables);
		for (let i = 0; i < pairs; i++) if (at <= rest[2 * i](variables)) return rest[2 * i + 1](variables);
		return otherwise(variables);
	};
}
