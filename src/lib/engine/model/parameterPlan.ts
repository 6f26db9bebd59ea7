/**
 * A strategy's parameter plan: which parameters it fixes or overrides, and the order in which
 * expression parameters are evaluated, grouped by how often they change (once per run, every
 * cycle, every tunnel step), so each is evaluated as rarely as possible.
 */
import type { Expression } from './schema';
import { issue, joinPath, type ModelIssue } from '../errors';
import { compileExpression, type CompiledExpression } from './expressions';
import { checkParameterValue } from './parameterChecks';
import { Dependence, type ParameterPlan } from './compiled';
import { collectIssues, type CompileContext } from './compileContext';

/** How each built-in variable changes during a run. */
export const BUILTIN_DEPENDENCE: ReadonlyMap<string, Dependence> = new Map<string, Dependence>([
	['model_time', Dependence.Time],
	['age', Dependence.Time],
	['state_time', Dependence.StateTime],
	['cycle_length', Dependence.Constant]
]);

/**
 * The plan of a strategy whose `parameters` override the model's (undefined: the base plan). An
 * override that compiles to a number fixes the slot and is checked against the parameter's kind;
 * one that is an expression replaces the parameter's expression. Problems go to context.issues.
 *
 * @example
 * planFor(context, { p_relapse: 0.1 }, 'strategies.ahsct.parameters').fixed // Map { slot of p_relapse => 0.1 }
 */
export function planFor(context: CompileContext, overrides: Record<string, Expression> | undefined, path: string): ParameterPlan {
	const { parameterIndex, slotOf, lifeTables, issues, model } = context;
	const expressions = context.parameterExpressions.slice();
	const fixed = new Map<number, number>();
	for (const [id, value] of Object.entries(overrides ?? {})) {
		const slot = parameterIndex.get(id);
		const overridePath = joinPath(path, id);
		if (slot === undefined) {
			issues.push(issue(overridePath, 'unknown-reference', `no parameter named "${id}" to override`));
			continue;
		}
		collectIssues(issues, () => {
			const compiled = compileExpression(value, { slotOf, lifeTables, path: overridePath });
			if (compiled.constant !== undefined) {
				checkParameterValue(model.parameters[id], compiled.constant, overridePath);
				fixed.set(slot, compiled.constant);
				expressions[slot] = null;
			} else expressions[slot] = compiled;
		});
	}
	const plan = orderParameters(context.parameterIds, expressions, fixed, path, issues);
	for (const id of Object.keys(overrides ?? {})) {
		const slot = parameterIndex.get(id);
		if (slot !== undefined) plan.overridden.add(slot);
	}
	return plan;
}

/**
 * How an expression changes in a run under `plan`: the union (bitwise or) of the dependences of
 * the parameters and built-ins it reads.
 *
 * @example
 * dependenceOf(compileExpression('c_drug * (1 + model_time)', ...), plan, parameterIndex) // Dependence.Time
 */
export function dependenceOf(compiled: CompiledExpression, plan: ParameterPlan, parameterIndex: Map<string, number>): Dependence {
	let dependence = Dependence.Constant;
	for (const symbol of compiled.symbols) {
		const slot = parameterIndex.get(symbol);
		dependence |= slot !== undefined ? (plan.dependence[slot] as Dependence) : (BUILTIN_DEPENDENCE.get(symbol) ?? Dependence.Constant);
	}
	return dependence;
}

/** One parameter on the explicit stack of the depth-first search. */
interface Frame {
	slot: number;
	reads: string[];
	next: number;
	dependence: Dependence;
}

/**
 * Orders expression parameters so each comes after the parameters it reads (a depth-first
 * topological sort); a loop of definitions is reported at its first parameter.
 */
function orderParameters(ids: string[], expressions: (CompiledExpression | null)[], fixed: Map<number, number>, path: string, issues: ModelIssue[]): ParameterPlan {
	const parameterCount = ids.length;
	const index = new Map(ids.map((id, slot) => [id, slot]));
	const visitState = new Uint8Array(parameterCount); // 0 new, 1 visiting, 2 done
	const order: number[] = [];
	const dependence = new Uint8Array(parameterCount);
	const search = { stack: [] as number[], frames: [] as Frame[], cycleFound: false };
	// depth-first search with an explicit stack: recursion would exhaust the call stack on a long
	// chain of definitions (p1 = p2 + 1, p2 = p3 + 1, ...)
	const enter = (slot: number) => {
		visitState[slot] = 1;
		search.stack.push(slot);
		const expression = expressions[slot];
		search.frames.push({ slot, reads: expression ? [...expression.symbols] : [], next: 0, dependence: Dependence.Constant });
	};
	const visit = (root: number): void => {
		if (visitState[root] !== 0 || search.cycleFound) return;
		enter(root);
		while (search.frames.length) {
			const frame = search.frames[search.frames.length - 1];
			if (frame.next < frame.reads.length) {
				const symbol = frame.reads[frame.next++];
				const read = index.get(symbol);
				if (read === undefined) frame.dependence |= BUILTIN_DEPENDENCE.get(symbol) ?? Dependence.Constant;
				else if (visitState[read] === 2) frame.dependence |= dependence[read];
				else if (visitState[read] === 1) return reportLoop(ids, search, read, path, issues);
				else enter(read);
				continue;
			}
			search.frames.pop();
			search.stack.pop();
			visitState[frame.slot] = 2;
			dependence[frame.slot] = frame.dependence;
			if (expressions[frame.slot]) order.push(frame.slot);
			const parent = search.frames[search.frames.length - 1];
			if (parent) parent.dependence |= frame.dependence;
		}
	};
	for (let slot = 0; slot < parameterCount; slot++) visit(slot);
	return {
		evaluators: expressions.map((expression) => (expression ? expression.evaluate : null)),
		dependence,
		constantOrder: order.filter((slot) => dependence[slot] === Dependence.Constant),
		timeOrder: order.filter((slot) => dependence[slot] === Dependence.Time),
		stateTimeOrder: order.filter((slot) => (dependence[slot] & Dependence.StateTime) !== 0),
		fixed,
		overridden: new Set<number>()
	};
}

/** Reports the loop of definitions that leads back to `slot` and stops the search. */
function reportLoop(ids: string[], search: { stack: number[]; frames: Frame[]; cycleFound: boolean }, slot: number, path: string, issues: ModelIssue[]): void {
	const from = search.stack.indexOf(slot);
	const loop = [...search.stack.slice(from), slot].map((k) => ids[k]).join(' -> ');
	issues.push(issue(joinPath(path, ids[slot]), 'parameter-cycle', `parameters refer to each other in a loop: ${loop}`));
	search.cycleFound = true;
	search.frames.length = 0;
	search.stack.length = 0;
}
