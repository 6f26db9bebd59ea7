/**
 * The model's default comparison: which strategy is the lifelong comparator, which is no
 * treatment, which are one-off therapies, which pair the payback year is shown for, and which
 * parameters are a one-off therapy's price, efficacy and durability (its levers). All of it is
 * declared in the model file (`comparison`, each strategy's `role` and `levers`), so generic
 * code names no disease-specific strategy or parameter.
 */
import { issue, joinPath, type ModelIssue } from '../errors';
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
 * ones with no role); every state in `traceBands` must exist and sit in one band only. Returns the problems, each with its path in the file.
 *
 * @example
 * checkComparison(model); // [] when consistent
 */
export function checkComparison(model: Model): ModelIssue[] {
	const issues: ModelIssue[] = [];
	const ids = new Set(model.strategies.map((s) => s.id));
	const known = [...ids].join(', ');
	const needStrategy = (id: string | undefined, path: string) => {
		if (id !== undefined && !ids.has(id)) issues.push(issue(path, 'unknown-reference', `no strategy "${id}"; strategies are ${known}`));
	};
	const c = model.comparison;
	if (c) {
		needStrategy(c.lifelong, 'comparison.lifelong');
		needStrategy(c.untreated, 'comparison.untreated');
		needStrategy(c.payback?.strategy, 'comparison.payback.strategy');
		needStrategy(c.payback?.comparator, 'comparison.payback.comparator');
		if (c.payback && c.payback.strategy === c.payback.comparator)
			issues.push(issue('comparison.payback', 'invalid-override', 'the payback strategy and comparator must differ'));
	}
	const states = new Set(model.states.map((s) => s.id));
	const seen = new Set<string>();
	model.traceBands?.bands.forEach((b, i) =>
		b.states.forEach((st, j) => {
			const path = `traceBands.bands.${i}.states.${j}`;
			if (!states.has(st)) issues.push(issue(path, 'unknown-reference', `no state "${st}"; states are ${[...states].join(', ')}`));
			else if (seen.has(st)) issues.push(issue(path, 'invalid-override', `state "${st}" is already in another band`));
			seen.add(st);
		})
	);
	for (const s of model.strategies) {
		if (!s.levers) continue;
		const path = joinPath('strategies', s.id, 'levers');
		if (s.role === 'lifelong' || s.role === 'untreated')
			issues.push(issue(path, 'invalid-override', `levers are for one-off or short-course strategies; "${s.id}" has role "${s.role}"`));
		for (const lever of ['price', 'efficacy', 'durability'] as const) {
			const id = s.levers[lever];
			const p = Object.hasOwn(model.parameters, id) ? model.parameters[id] : undefined;
			if (!p) issues.push(issue(joinPath(path, lever), 'unknown-reference', `no parameter named "${id}"`));
			else if (p.value === undefined)
				issues.push(issue(joinPath(path, lever), 'invalid-override', `"${id}" is an expression parameter; a lever must be a parameter with a value, which break-even analysis varies`));
		}
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
	for (const s of model.strategies) {
		roles[s.id] = s.role;
		levers[s.id] = s.levers;
	}
	const oneOff = model.strategies.filter((s) => s.role === 'one-off' || s.role === 'short-course').map((s) => s.id);
	const lifelong = model.comparison?.lifelong ?? model.strategies.find((s) => s.role === 'lifelong')?.id ?? null;
	const untreated = model.comparison?.untreated ?? model.strategies.find((s) => s.role === 'untreated')?.id ?? null;
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
	const s = model.strategies.find((x) => x.id === strategyId);
	if (!s) throw new RangeError(`no strategy "${strategyId}"; strategies are ${model.strategies.map((x) => x.id).join(', ')}`);
	if (!s.levers)
		throw new RangeError(
			`strategy "${strategyId}" declares no levers: break-even analysis needs strategies.${strategyId}.levers with its price, efficacy and durability parameters`
		);
	return s.levers;
}
