/**
 * `model inputs <file>`: every input of a model file as Markdown tables, one per parameter group,
 * as written in the file (value, range, distribution, unit, currency and price year, whether it has
 * a source, and the source with its location or the assumption), then the derived (expression)
 * parameters. docs/ms-model.md quotes this output in a `<!-- cli-md: ... -->` block, so its
 * evidence tables are the model file's and cannot drift from it (scripts/docsFigures.ts).
 */
import type { Model, Parameter } from '../lib/engine';
import { loadModel, UsageError, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';

export const INPUTS = defineCommand({
	summary: 'every input of a model file with its source or assumption, as Markdown tables by group',
	usage: 'model inputs <file>',
	positionals: ['file'],
	options: {}
});

/** A table cell: one line, pipes escaped. @example cell('a | b\nc') // 'a \\| b c' */
function cell(text: string): string {
	return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** "Author (year)" from a citation, or its first 90 characters. @example shortCitation('Burt RK et al. (2019) Effect of ...') // 'Burt RK et al. (2019)' */
function shortCitation(citation: string): string {
	const m = /^(.{1,120}?\(\d{4}[a-z]?\))/.exec(citation);
	return m ? m[1] : citation.length > 90 ? `${citation.slice(0, 90)}...` : citation;
}

function evidenceOf(p: Parameter): string {
	if (p.source) return `${shortCitation(p.source.citation)}${p.source.location ? `: ${p.source.location}` : ''}`;
	return p.assumption ?? 'No source given in the model file.';
}

function row(id: string, p: Parameter): string {
	const range = p.low !== undefined && p.high !== undefined ? `${p.low} to ${p.high}` : '';
	const priced = p.kind === 'cost' && p.currency ? `${p.currency} ${p.priceYear}${p.priceYearAssumed ? ' (assumed)' : ''}` : '';
	const cells = [`\`${id}\` ${p.description}`, String(p.value), range, p.distribution?.type ?? 'fixed', p.unit, priced, p.source ? 'verified' : 'assumption', evidenceOf(p)];
	return `| ${cells.map(cell).join(' | ')} |`;
}

/** The Markdown of a model's inputs (see the module comment). */
export function inputTables(model: Model): string {
	const entries = Object.entries(model.parameters) as [string, Parameter][];
	const plain = entries.filter(([, p]) => p.expression === undefined);
	const derived = entries.filter(([, p]) => p.expression !== undefined);
	const sourced = plain.filter(([, p]) => p.source).length;
	const lines = [
		`Of ${plain.length} plain parameters, ${sourced} cite a source (the cited document gives the value for this population, at the location stated) and ${plain.length - sourced} are labelled assumptions (structural switches and scenario levers among them). Expression parameters are derived from these and listed last.`
	];
	const groups = [...new Set(plain.map(([, p]) => p.group))];
	for (const group of groups) {
		lines.push('', `#### ${group}`, '', '| Parameter | Value | Range | Distribution | Unit | Currency, price year | Status | Source (where) or assumption |', '|---|---|---|---|---|---|---|---|');
		for (const [id, p] of plain) if (p.group === group) lines.push(row(id, p));
	}
	lines.push(...subgroupRows(model));
	lines.push('', '#### Derived (expression) parameters', '', '| Parameter | Expression | Meaning |', '|---|---|---|');
	for (const [id, p] of derived) lines.push(`| \`${id}\` | \`${cell(p.expression as string)}\` | ${cell(p.description)} |`);
	return lines.join('\n') + '\n';
}

/** The subgroups' weights and values, with the source or assumption of each weight. */
function subgroupRows(model: Model): string[] {
	if (!model.subgroups?.length) return [];
	const values = (g: NonNullable<Model['subgroups']>[number]) =>
		Object.entries({ ...(g.settings ?? {}), ...(g.parameters ?? {}) })
			.map(([k, v]) => `${k} = ${v}`)
			.join(', ');
	return [
		'',
		'#### Subgroups (population weights)',
		'',
		'| Subgroup | Weight | Values | Status | Source (where) or assumption |',
		'|---|---|---|---|---|',
		...model.subgroups.map((g) => {
			const evidence = g.source ? `${shortCitation(g.source.citation)}${g.source.location ? `: ${g.source.location}` : ''}` : (g.assumption ?? 'No source given in the model file.');
			return `| ${[`\`${g.id}\` ${g.label}`, String(g.weight), values(g), g.source ? 'verified' : 'assumption', evidence].map(cell).join(' | ')} |`;
		})
	];
}

export function inputsCommand(args: string[]): void {
	const { positionals } = parseCommand('inputs', INPUTS, args);
	const file = positionals[0];
	if (!file) throw new UsageError(`usage: ${INPUTS.usage}`);
	writeOut(inputTables(loadModel(file).written));
}
