/**
 * The meaning checks of a model file's `subgroups` (docs/model-format.md, "Subgroups"): every
 * error names its path by the subgroup's id, `subgroups.<id>.parameters.<name>`, as strategies'
 * errors do (ARCHITECTURE.md, principle 9).
 */
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { own } from '../records';
import { checkParameterValue } from './parameterChecks';
import { mergeSettings } from './horizon';
import type { Model, Settings } from './schema';

/** How far the weights may sum from 1. */
export const WEIGHT_TOLERANCE = 1e-9;

/**
 * Problems of the subgroups of `model`: duplicate ids, a weight without a source or an
 * assumption, weights not summing to 1 (within 1e-9), parameters the model does not have,
 * values their parameter's kind refuses, and settings that leave no horizon (a horizon age not above the start age).
 *
 * @example
 *     checkSubgroups(model, settings); // [] or [{ path: 'subgroups.young.parameters.p_x', ... }]
 */
export function checkSubgroups(model: Model, settings: Settings): ModelIssue[] {
	const groups = model.subgroups ?? [];
	const issues: ModelIssue[] = [];
	const seen = new Set<string>();
	for (const g of groups) {
		const path = joinPath('subgroups', g.id);
		if (seen.has(g.id)) issues.push(issue(joinPath(path, 'id'), 'duplicate-id', `"${g.id}" is used twice`));
		seen.add(g.id);
		if (!g.source && !g.assumption)
			issues.push(issue(joinPath(path, 'weight'), 'schema', `subgroup "${g.id}" needs a "source" for its weight (citation and where) or an "assumption" (the reason)`));
		issues.push(...parameterProblems(model, g.parameters ?? {}, joinPath(path, 'parameters')));
		try {
			mergeSettings(settings, g.settings, joinPath(path, 'settings'));
		} catch (e) {
			if (e instanceof ModelError) issues.push(...e.issues);
			else throw e;
		}
	}
	const total = groups.reduce((a, g) => a + g.weight, 0);
	if (groups.length && Math.abs(total - 1) > WEIGHT_TOLERANCE)
		issues.push(
			issue('subgroups', 'parameter-range', `the subgroups' weights sum to ${Number(total.toPrecision(12))}, not 1 (${groups.map((g) => `${g.id} ${g.weight}`).join(', ')}): each weight is the subgroup's share of the population`)
		);
	return issues;
}

function parameterProblems(model: Model, values: Record<string, number>, path: string): ModelIssue[] {
	const issues: ModelIssue[] = [];
	for (const [id, v] of Object.entries(values)) {
		const p = own(model.parameters, id);
		const at = joinPath(path, id);
		if (!p) issues.push(issue(at, 'unknown-reference', `no parameter named "${id}"`));
		else
			try {
				checkParameterValue(p, v, at);
			} catch (e) {
				if (e instanceof ModelError) issues.push(...e.issues);
				else throw e;
			}
	}
	return issues;
}

/**
 * Schema issues inside `subgroups` named by the subgroup's id rather than its position, as the
 * meaning checks name them: `subgroups.0.settings.currency` becomes `subgroups.young.settings.currency`.
 *
 * @example
 *     bySubgroupId(issues, { subgroups: [{ id: 'young' }] });
 */
export function bySubgroupId(issues: ModelIssue[], data: object): ModelIssue[] {
	const groups = (data as { subgroups?: unknown }).subgroups;
	if (!Array.isArray(groups)) return issues;
	return issues.map((i) => {
		const m = /^subgroups\.(\d+)(?=\.|$)/.exec(i.path);
		const id = m ? (groups[Number(m[1])] as { id?: unknown } | undefined)?.id : undefined;
		return typeof id === 'string' && /^[A-Za-z][A-Za-z0-9_-]*$/.test(id) && !i.path.endsWith('.id') ? { ...i, path: i.path.replace(/^subgroups\.\d+/, `subgroups.${id}`) } : i;
	});
}
