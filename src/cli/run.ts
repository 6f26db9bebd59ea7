/** `model run <file>`: deterministic results with the incremental analysis. */
import { createRunner, incrementalAnalysis, modelComparison, netMonetaryBenefit, subgroupById, subgroupOptions, verdict } from '../lib/engine';
import { formatMoney, inFile, loadModel, parseSets, table, targetSettings, TARGET_OPTIONS, UsageError, wtpOption, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';
import { icerText } from '../lib/ui/icerLabel';
import { writeWorkbookFile } from './xlsx';
import { writeSubgroupRun } from './subgroups';

export const RUN = defineCommand({
	summary: 'deterministic results: costs, QALYs, life years, ICERs with dominance, net monetary benefit',
	usage: 'model run <file> [--scenario id] [--set param=value ...] [--wtp number] [--price-year year] [--currency code] [--subgroups | --subgroup id] [--json] [--xlsx out.xlsx]',
	positionals: ['file'],
	options: {
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		wtp: { type: 'string' },
		json: { type: 'boolean', default: false },
		subgroups: { type: 'boolean', default: false },
		subgroup: { type: 'string' },
		xlsx: { type: 'string' },
		...TARGET_OPTIONS
	}
});

export async function runCommand(args: string[]): Promise<void> {
	const { values, positionals } = parseCommand('run', RUN, args);
	const file = positionals[0];
	if (!file) throw new UsageError(`usage: ${RUN.usage}`);
	const wtp = wtpOption(values.wtp);
	const sets = parseSets(values.set);
	const compiled = loadModel(file);
	// --price-year and --currency: costs are converted to them (the model compiled for that target)
	const settings = { ...targetSettings(values), ...(wtp === undefined ? {} : { willingnessToPay: wtp }) };
	const shared = { scenario: values.scenario, parameters: sets, settings: Object.keys(settings).length ? settings : undefined };
	// --subgroup id: the usual results for that subgroup alone (its values on top of the others)
	const options = values.subgroup === undefined ? shared : inFile(file, () => subgroupOptions(subgroupById(compiled, values.subgroup as string), shared));
	if (values.subgroups) {
		if (values.subgroup !== undefined) throw new UsageError('model run: give --subgroups (all of them) or --subgroup id (one), not both');
		if (values.xlsx) throw new UsageError('model run: --subgroups and --xlsx do not go together (the workbook holds one cohort)');
		return writeSubgroupRun(file, compiled, options, values.json, wtp);
	}
	const result = inFile(file, () => createRunner(compiled).run(options));
	if (values.xlsx) await writeWorkbookFile(values.xlsx, compiled, result, options);
	const { currency, priceYear, willingnessToPay } = result.settings;
	const incremental = incrementalAnalysis(
		result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly }))
	);
	const answer = verdict(result, { comparison: modelComparison(compiled.model) });
	if (values.json) {
		const out = {
			model: result.modelId,
			scenario: result.scenario,
			currency,
			priceYear,
			willingnessToPay,
			strategies: result.strategies.map((s) => ({
				id: s.id,
				label: s.label,
				cost: s.discounted.cost,
				qaly: s.discounted.qaly,
				lifeYears: s.discounted.lifeYears,
				netMonetaryBenefit: netMonetaryBenefit(s.discounted.cost, s.discounted.qaly, willingnessToPay),
				costByCategory: s.discounted.costByCategory,
				outcomes: s.undiscounted.outcomes,
				undiscounted: {
					cost: s.undiscounted.cost,
					qaly: s.undiscounted.qaly,
					lifeYears: s.undiscounted.lifeYears,
					costByCategory: s.undiscounted.costByCategory
				},
				stateYears: s.stateYears
			})),
			incremental: incremental.map((r) => ({
				id: r.id,
				cost: r.cost,
				qaly: r.effect,
				incrementalCost: r.incrementalCost,
				incrementalQaly: r.incrementalEffect,
				icer: r.icer,
				status: r.status,
				comparator: r.comparator,
				dominatedBy: r.dominatedBy
			})),
			verdict: answer
		};
		writeOut(JSON.stringify(out, null, 2) + '\n');
		return;
	}
	const label = new Map(result.strategies.map((s) => [s.id, s.label]));
	const lines = [
		`${result.title}${result.scenario ? ` (scenario: ${result.scenario})` : ''}`,
		`Costs in ${currency}, price year ${priceYear}; discounted at ${percent(result.settings.discountRates.costs)} (costs) and ${percent(result.settings.discountRates.outcomes)} (outcomes); horizon ${result.settings.horizon} cycles of ${result.settings.cycleLength} year(s); ${result.settings.cycleCorrection} correction.`,
		'',
		table(
			['Strategy', 'Cost', 'QALYs', 'Life years', 'Incr. cost', 'Incr. QALYs', 'ICER', 'Status', `NMB @ ${willingnessToPay}`],
			incremental.map((r) => {
				const s = result.strategies.find((x) => x.id === r.id)!;
				return [
					`${label.get(r.id)} [${r.id}]`,
					formatMoney(r.cost, currency),
					r.effect.toFixed(4),
					s.discounted.lifeYears.toFixed(4),
					formatMoney(r.incrementalCost, currency),
					r.incrementalEffect === null ? '-' : r.incrementalEffect.toFixed(4),
					icerText(r.incrementalCost, r.incrementalEffect, (v) => formatMoney(v, currency)),
					r.status,
					formatMoney(netMonetaryBenefit(r.cost, r.effect, willingnessToPay), currency)
				];
			})
		),
		'',
		...answer.sentences
	];
	writeOut(lines.join('\n') + '\n');
}

function percent(rate: number): string {
	return `${Number((rate * 100).toFixed(4))}%`;
}
