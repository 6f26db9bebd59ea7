/** `model run <file>`: deterministic results with the incremental analysis. */
import { parseArgs } from 'node:util';
import { createRunner, incrementalAnalysis, netMonetaryBenefit } from '../lib/engine';
import { formatMoney, inFile, loadModel, numberOption, parseSets, table, UsageError } from './io';
import { icerText } from '../lib/ui/icerLabel';
import { writeWorkbookFile } from './xlsx';

export async function runCommand(args: string[]): Promise<void> {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: {
			scenario: { type: 'string' },
			set: { type: 'string', multiple: true },
			wtp: { type: 'string' },
			json: { type: 'boolean', default: false },
			xlsx: { type: 'string' }
		}
	});
	const file = positionals[0];
	if (!file) throw new UsageError('usage: model run <file> [--scenario id] [--set param=value ...] [--wtp number] [--json] [--xlsx out.xlsx]');
	const compiled = loadModel(file);
	const wtp = numberOption('wtp', values.wtp);
	const options = { scenario: values.scenario, parameters: parseSets(values.set), settings: wtp === undefined ? undefined : { willingnessToPay: wtp } };
	const result = inFile(file, () => createRunner(compiled).run(options));
	if (values.xlsx) await writeWorkbookFile(values.xlsx, compiled, result, options);
	const { currency, priceYear, willingnessToPay } = result.settings;
	const incremental = incrementalAnalysis(
		result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly }))
	);
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
			}))
		};
		process.stdout.write(JSON.stringify(out, null, 2) + '\n');
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
		)
	];
	process.stdout.write(lines.join('\n') + '\n');
}

function percent(rate: number): string {
	return `${Number((rate * 100).toFixed(4))}%`;
}
