/**
 * Step 2 of compile: the parameters. Plain values are checked against their kind and their
 * distribution; expressions are compiled once (ARCHITECTURE.md, principle 1); Dirichlet groups
 * and correlations must name real parameters.
 */
import type { Model, Parameter } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { compileExpression, type CompiledExpression } from './expressions';
import { checkParameterValue, checkDistribution } from './parameterChecks';
import { collectIssues, type Identifiers } from './compileContext';

/** The parameters as compile keeps them: base values (NaN for expressions) and compiled expressions (null for values). */
export interface CompiledParameters {
	baseValues: Float64Array;
	parameterExpressions: (CompiledExpression | null)[];
}

/**
 * Checks every parameter and compiles its expression; problems go to `issues`.
 *
 * @example
 * compileParameters(model, identify(model, issues), issues).baseValues // value per slot, NaN for an expression
 */
export function compileParameters(model: Model, names: Identifiers, issues: ModelIssue[]): CompiledParameters {
	const { parameterIds, parameterIndex, slotOf, lifeTables } = names;
	const baseValues = new Float64Array(parameterIds.length).fill(NaN);
	const parameterExpressions: (CompiledExpression | null)[] = parameterIds.map(() => null);
	parameterIds.forEach((id, slot) => {
		const parameter = model.parameters[id];
		const path = joinPath('parameters', id);
		collectIssues(issues, () => checkParameterDefinition(id, parameter, path));
		if (parameter.value !== undefined) {
			baseValues[slot] = parameter.value;
			collectIssues(issues, () => checkParameterValue(parameter, parameter.value as number, path));
			collectIssues(issues, () => checkDistribution(parameter, path));
		} else if (parameter.expression !== undefined) {
			collectIssues(issues, () => {
				parameterExpressions[slot] = compileExpression(parameter.expression as string, { slotOf, lifeTables, path: joinPath(path, 'expression') });
			});
		}
	});
	collectIssues(issues, () => checkDirichletGroups(model));
	for (const [position, correlation] of (model.correlations ?? []).entries()) {
		for (const end of ['a', 'b'] as const)
			if (!parameterIndex.has(correlation[end]))
				issues.push(issue(joinPath('correlations', position, end), 'unknown-reference', `no parameter named "${correlation[end]}"`));
	}
	return { baseValues, parameterExpressions };
}

/** Exactly one of value and expression; no distribution on an expression; a value has its evidence. */
function checkParameterDefinition(id: string, parameter: Parameter, path: string): void {
	const problems: ModelIssue[] = [];
	if ((parameter.value === undefined) === (parameter.expression === undefined))
		problems.push(issue(path, 'schema', 'give exactly one of "value" or "expression"'));
	if (parameter.expression !== undefined && parameter.distribution && parameter.distribution.type !== 'fixed')
		problems.push(
			issue(joinPath(path, 'distribution'), 'distribution', 'an expression parameter takes its uncertainty from its inputs; give no distribution')
		);
	if (parameter.value !== undefined && !parameter.source && !parameter.assumption)
		problems.push(issue(path, 'schema', `parameter "${id}" needs a "source" (citation and where to find it) or an "assumption" (the reason)`));
	if (problems.length) throw new ModelError(problems);
}

/** A Dirichlet group needs at least two parameters (one share alone is not uncertain). */
function checkDirichletGroups(model: Model): void {
	const groups = new Map<string, string[]>();
	for (const [id, parameter] of Object.entries(model.parameters))
		if (parameter.distribution?.type === 'dirichlet') {
			const members = groups.get(parameter.distribution.group) ?? [];
			members.push(id);
			groups.set(parameter.distribution.group, members);
		}
	const problems: ModelIssue[] = [];
	for (const [group, members] of groups)
		if (members.length < 2)
			problems.push(
				issue(joinPath('parameters', members[0], 'distribution', 'group'), 'distribution', `Dirichlet group "${group}" needs at least two parameters`)
			);
	if (problems.length) throw new ModelError(problems);
}
