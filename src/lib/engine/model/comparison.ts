/**
 * The model's default comparison: which strategy is the lifelong comparator, which is no
 * treatment, which are one-off therapies, which pair the payback year is shown for, and which
 * parameters are a one-off therapy's price, efficacy and durability (its levers). All of it is
 * declared in the model file (`comparison`, each strategy's `role` and `levers`), so generic
 * code names no disease-specific strategy or parameter.
 */
import { issue, joinPath, type ModelIssue } from '../errors';
import { own } from '../records';
import type { Levers, Model, StrategyRole } from './schema';

export interface ResolvedComparison {
	/** the lifelong comparator, or null when the model declares none */
	lifelong: string | null;
	untreated: string | null;
	/** strategies declared one-off or short-course, in file order */
	oneOff: string[];
	/** the payback pair: declared, else the first one-off against the lifelong comparator */
	payback: { strategy: string; comparator: string } | null;
	roles: Record<string, StrategyRole | undefined>;
	levers: Record<string, Levers | undefined>;
}

/**
 * Checks the declarations against the model's strategies and parameters: every strategy id in
 * `comparison` and every lever parameter must exist, and a lever must be a parameter with a
 * value (break-even analysis sets it); levers belong to one-off or short-course strategies (or
 * ones with no role); every state in `traceBands` must exist and sit in one band only; `societalSwitch`
 * names a parameter valued 0 or 1. Returns the problems, each with its path in the file.
 *
 * @example
 * checkComparison(model); // [] when consistent
 */
export function checkComparison(model: Model): ModelIssue[] {
	const issues: ModelIssue[] = [];
	const ids = new Set(model.strategies.map((strategy) => strategy.id));
	const known = [...ids].join(', ');
	const needStrategy = (id: string | undefined, path: string) => {
		if (id !== undefined && !ids.has(id)) issues.push(issue(path, 'unknown-reference', `no strategy "${id}"; strategies are ${known}`));
	};
	const comparison = model.comparison;
	if (comparison) {
		needStrategy(comparison.lifelong, 'comparison.lifelong');
		needStrategy(comparison.untreated, 'comparison.untreated');
		needStrategy(comparison.payback?.strategy, 'comparison.payback.strategy');
		needStrategy(comparison.payback?.comparator, 'comparison.payback.comparator');
		if (comparison.payback && comparison.payback.strategy === comparison.payback.comparator)
			issues.push(issue('comparison.payback', 'invalid-override', 'the payback strategy and comparator must differ'));
	}
	const states = new Set(model.states.map((state) => state.id));
	const seen = new Set<string>();
	model.traceBands?.bands.forEach((band, i) =>
		band.states.forEach((state, j) => {
			const path = `traceBands.bands.${i}.states.${j}`;
			if (!states.has(state)) issues.push(issue(path, 'unknown-reference', `no state "${state}"; states are ${[...states].join(', ')}`));
			else if (seen.has(state)) issues.push(issue(path, 'invalid-override', `state "${state}" is already in another band`));
			seen.add(state);
		})
	);
	for (const strategy of model.strategies) issues.push(...leverIssues(model, strategy));
	const societal = model.societalSwitch;
	if (societal !== undefined) {
		const parameter = own(model.parameters, societal);
		if (!parameter) issues.push(issue('societalSwitch', 'unknown-reference', `no parameter "${societal}"`));
		else if (parameter.value !== 0 && parameter.value !== 1)
			issues.push(issue('societalSwitch', 'invalid-override', `parameter "${societal}" must be a switch with value 0 or 1`));
	}
	return issues;
}

/** A strategy's levers: only for one-off or short-course strategies (or none), each a parameter with a value. */
function leverIssues(model: Model, strategy: Model['strategies'][number]): ModelIssue[] {
	if (!strategy.levers) return [];
	const issues: ModelIssue[] = [];
	const path = joinPath('strategies', strategy.id, 'levers');
	if (strategy.role === 'lifelong' || strategy.role === 'untreated')
		issues.push(issue(path, 'invalid-override', `levers are for one-off or short-course strategies; "${strategy.id}" has role "${strategy.role}"`));
	for (const lever of ['price', 'efficacy', 'durability'] as const) {
		const id = strategy.levers[lever];
		const parameter = Object.hasOwn(model.parameters, id) ? model.parameters[id] : undefined;
		if (!parameter) issues.push(issue(joinPath(path, lever), 'unknown-reference', `no parameter named "${id}"`));
		else if (parameter.value === undefined)
			issues.push(issue(joinPath(path, lever), 'invalid-override', `"${id}" is an expression parameter; a lever must be a parameter with a value, which break-even analysis varies`));
	}
	return issues;
}

/**
 * The comparison a model declares, with defaults: without `comparison.payback`, the first
 * one-off strategy against the lifelong comparator.
 *
 * @example
 * modelComparison(model).lifelong; // "lifelong" for a model declaring comparison.lifelong = "lifelong", else null
 */
export function modelComparison(model: Model): ResolvedComparison {
	const roles: ResolvedComparison['roles'] = {};
	const levers: ResolvedComparison['levers'] = {};
	for (const strategy of model.strategies) {
		roles[strategy.id] = strategy.role;
		levers[strategy.id] = strategy.levers;
	}
	const oneOff = model.strategies.filter((strategy) => strategy.role === 'one-off' || strategy.role === 'short-course').map((strategy) => strategy.id);
	const lifelong = model.comparison?.lifelong ?? model.strategies.find((strategy) => strategy.role === 'lifelong')?.id ?? null;
	const untreated = model.comparison?.untreated ?? model.strategies.find((strategy) => strategy.role === 'untreated')?.id ?? null;
	const payback = model.comparison?.payback ?? (lifelong && oneOff.length ? { strategy: oneOff[0], comparator: lifelong } : null);
	return { lifelong, untreated, oneOff, payback, roles, levers };
}

/**
 * A strategy's levers, or a RangeError naming what is missing.
 *
 * @example
 * leversOf(model, 'therapy'); // { price: 'c_therapy', efficacy: 'hr_therapy', durability: 'effect_years' }
 */
export function leversOf(model: Model, strategyId: string): Levers {
	const strategy = model.strategies.find((candidate) => candidate.id === strategyId);
	if (!strategy) throw new RangeError(`no strategy "${strategyId}"; strategies are ${model.strategies.map((candidate) => candidate.id).join(', ')}`);
	if (!strategy.levers)
		throw new RangeError(
			`strategy "${strategyId}" declares no levers: break-even analysis needs strategies.${strategyId}.levers with its price, efficacy and durability parameters`
		);
	return strategy.levers;
}
