/**
 * `model evsi <file> --param id --n 50,100,200,500 --iterations N --seed S [--wtp x]
 *  [--likelihood normal|log-normal|binomial] [--sd x] [--reference id]
 *  [--population n --years y [--population-discount r]] [--fixed-cost x --cost-per-patient x]
 *  [--scenario id] [--set p=v ...] [--json]`
 * Expected value of sample information of a two-arm trial of n patients per arm on one
 * parameter, from a PSA of the model (engine: analysis/evsi.ts); with a population, population
 * EVSI; with study costs, the expected net benefit of sampling and the optimal size.
 */
import { MIN_EVSI_ITERATIONS, ModelError, evsi, own, runPsa, suggestedLikelihood, type EvsiResult, type StudyCost, type TrialLikelihood } from '../lib/engine';
import { formatMoney, loadModel, numberOption, parseSets, table, targetSettings, TARGET_OPTIONS, UsageError, wtpOption, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';
import { progressReporter } from './psa';

export const EVSI = defineCommand({
	summary: 'expected value of sample information of a two-arm trial on one parameter; ENBS and the optimal size',
	usage:
		'model evsi <file> --param id --n 50,100,200,500 [--iterations N] [--seed S] [--wtp x] [--likelihood normal|log-normal|binomial] [--sd x] [--reference id] [--population n --years y [--population-discount r]] [--fixed-cost x --cost-per-patient x] [--scenario id] [--set p=v ...] [--price-year year] [--currency code] [--json]',
	positionals: ['file'],
	options: {
		param: { type: 'string' },
		n: { type: 'string' },
		iterations: { type: 'string' },
		seed: { type: 'string' },
		wtp: { type: 'string' },
		likelihood: { type: 'string' },
		sd: { type: 'string' },
		reference: { type: 'string' },
		population: { type: 'string' },
		years: { type: 'string' },
		'population-discount': { type: 'string' },
		'fixed-cost': { type: 'string' },
		'cost-per-patient': { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		json: { type: 'boolean', default: false },
		...TARGET_OPTIONS
	}
});

/** The option each path of the engine's errors names. */
const FLAG_OF: Record<string, string> = {
	parameter: '--param',
	sampleSizes: '--n',
	iterations: '--iterations',
	likelihood: '--likelihood',
	'likelihood.sd': '--sd',
	'population.annualPopulation': '--population',
	'population.years': '--years',
	'population.discountRate': '--population-discount',
	studyCost: '--fixed-cost and --cost-per-patient',
	'studyCost.fixed': '--fixed-cost',
	'studyCost.perPatient': '--cost-per-patient'
};

/**
 * "50,100,200" into whole numbers of at least 1, or a usage error naming --n.
 * @example parseSampleSizes('50,100') // [50, 100];  parseSampleSizes('2.5') // UsageError '--n: "2.5" is not ...'
 */
export function parseSampleSizes(text: string | undefined): number[] {
	if (text === undefined) throw new UsageError(`--n: give the sample sizes per arm, e.g. --n 50,100,200,500\nusage: ${EVSI.usage}`);
	return text.split(',').map((part) => {
		const v = Number(part.trim());
		if (part.trim() === '' || !Number.isInteger(v) || v < 1)
			throw new UsageError(`--n: "${part.trim()}" is not a sample size per arm (a whole number of at least 1; sizes are separated by commas, so write 1000, not 1,000)`);
		return v;
	});
}

function wholeOption(name: string, value: string | undefined, fallback: number): number {
	const v = numberOption(name, value) ?? fallback;
	if (!Number.isInteger(v)) throw new UsageError(`--${name}: "${value}" is not a whole number`);
	return v;
}

/** The trial's data-generating model: --likelihood (default from the parameter's PSA distribution) and --sd. */
function likelihoodOf(values: { likelihood?: string; sd?: string }, distributionType: string): TrialLikelihood {
	const kind = values.likelihood ?? suggestedLikelihood(distributionType);
	if (kind === 'binomial') return { kind };
	if (kind !== 'normal' && kind !== 'log-normal') throw new UsageError(`--likelihood: "${kind}" is not one of normal, log-normal, binomial`);
	const sd = numberOption('sd', values.sd);
	if (sd === undefined)
		throw new UsageError(`--sd: a ${kind} trial needs the standard deviation per patient per arm of its estimate${kind === 'log-normal' ? ' (log scale; for a log hazard ratio, sqrt(2 / e) with e the share of each arm having an event)' : ''}`);
	return { kind, sd };
}

function studyCostOf(values: { 'fixed-cost'?: string; 'cost-per-patient'?: string }): StudyCost | undefined {
	const fixed = numberOption('fixed-cost', values['fixed-cost']);
	const perPatient = numberOption('cost-per-patient', values['cost-per-patient']);
	if (fixed === undefined && perPatient === undefined) return undefined;
	return { fixed: fixed ?? 0, perPatient: perPatient ?? 0 };
}

/**
 * The command: checks the options (before the PSA runs where it can), runs the PSA, then EVSI;
 * the engine's errors are reported under the option they name (FLAG_OF).
 * @example evsiCommand(['models/ms.json', '--param', 'hr_ahsct_vs_hedmt', '--n', '50,100', '--sd', '2.6', '--json'])
 */
export async function evsiCommand(args: string[]): Promise<void> {
	const { values, positionals } = parseCommand('evsi', EVSI, args);
	const file = positionals[0];
	if (!file || !values.param) throw new UsageError(`usage: ${EVSI.usage}`);
	const sampleSizes = parseSampleSizes(values.n);
	const iterations = wholeOption('iterations', values.iterations, 1000);
	const seed = wholeOption('seed', values.seed, 1);
	if (iterations < MIN_EVSI_ITERATIONS) throw new UsageError(`--iterations: EVSI's regression needs at least ${MIN_EVSI_ITERATIONS} PSA iterations, got ${iterations}`);
	const compiled = loadModel(file);
	const parameter = own(compiled.model.parameters, values.param);
	if (!parameter) throw new UsageError(`--param: no parameter "${values.param}" in ${file}`);
	const likelihood = likelihoodOf(values, parameter.distribution?.type ?? 'fixed');
	const population = numberOption('population', values.population);
	const years = numberOption('years', values.years);
	if ((population === undefined) !== (years === undefined)) throw new UsageError('--population and --years go together');
	const strategyIds = compiled.strategies.map((s) => s.id);
	if (values.reference !== undefined && !strategyIds.includes(values.reference)) throw new UsageError(`--reference: no strategy "${values.reference}" in ${file}; strategies: ${strategyIds.join(', ')}`);
	const wtpChosen = wtpOption(values.wtp);
	const options = { scenario: values.scenario, parameters: parseSets(values.set), settings: targetSettings(values) };

	const bar = progressReporter(`PSA ${iterations} iterations`);
	const psa = runPsa(compiled, { iterations, seed, options }, { onProgress: (p) => bar.update(p), chunk: Math.max(50, Math.ceil(iterations / 100)) });
	bar.done();
	const wtp = wtpChosen ?? psa.settings.willingnessToPay;
	const pop = population !== undefined && years !== undefined ? { annualPopulation: population, years, discountRate: numberOption('population-discount', values['population-discount']) ?? psa.settings.discountRates.costs } : undefined;
	let r: EvsiResult;
	try {
		r = evsi(psa, { parameter: values.param, sampleSizes, likelihood, willingnessToPay: wtp, referenceId: values.reference, seed, population: pop, studyCost: studyCostOf(values) });
	} catch (e) {
		if (e instanceof ModelError) throw new UsageError(e.issues.map((i) => `${FLAG_OF[i.path] ?? i.path}: ${i.message}`).join('\n'));
		throw e;
	}
	const { currency, priceYear } = psa.settings;
	if (values.json) {
		writeOut(JSON.stringify({ model: psa.modelId, scenario: psa.scenario, currency, priceYear, seed, population: pop ?? null, ...r }, null, 2) + '\n');
		return;
	}
	writeOut(evsiText(r, { title: compiled.model.title, currency, priceYear, seed, population: pop, referenceLabel: compiled.strategies.find((s) => s.id === r.referenceId)?.label ?? r.referenceId }));
}

interface TextContext {
	title: string;
	currency: string;
	priceYear: number;
	seed: number;
	population?: { annualPopulation: number; years: number; discountRate: number };
	referenceLabel: string;
}

function likelihoodText(l: TrialLikelihood, parameter: string): string {
	if (l.kind === 'binomial') return `events in the treated arm ~ Binomial(n, ${parameter})`;
	return l.kind === 'log-normal' ? `estimated log ratio ~ Normal(log ${parameter}, ${l.sd}^2 / n)` : `estimate ~ Normal(${parameter}, ${l.sd}^2 / n)`;
}

/** The result as a table with its units, currency and price year. */
function evsiText(r: EvsiResult, c: TextContext): string {
	const money = (v: number | null) => formatMoney(v, c.currency);
	const withPopulation = r.effectivePopulation !== null;
	const withCost = r.points.some((p) => p.enbs !== null);
	const header = ['n per arm', `EVSI per person (${c.currency})`, 'SE'];
	if (withPopulation) header.push(`Population EVSI (${c.currency})`);
	if (withCost) header.push(`Study cost (${c.currency})`, `ENBS (${c.currency})`);
	const rows = r.points.map((p) => {
		const row = [String(p.sampleSize), money(p.evsi), money(p.standardError)];
		if (withPopulation) row.push(money(p.populationEvsi));
		if (withCost) row.push(money(p.studyCost), money(p.enbs));
		return row;
	});
	const lines = [
		c.title,
		`EVSI of a two-arm trial on ${r.parameter} (${likelihoodText(r.likelihood, r.parameter)}), from a PSA of ${r.iterations} iterations, seed ${c.seed}, at ${c.currency} ${r.willingnessToPay}/QALY against ${c.referenceLabel}. Costs in ${c.currency}, ${c.priceYear} prices.`,
		'',
		table(header, rows),
		'',
		`EVPPI of ${r.parameter} (an infinitely large trial): ${money(r.evppi)} per person; EVPI ${money(r.evpi)} per person.`
	];
	if (c.population && r.effectivePopulation !== null)
		lines.push(`Population: ${c.population.annualPopulation} people a year for ${c.population.years} years, discounted at ${Number((c.population.discountRate * 100).toPrecision(6))}%: ${r.effectivePopulation.toFixed(0)} people.`);
	if (r.optimal)
		lines.push(r.optimal.enbs > 0 ? `Optimal sample size among those asked: ${r.optimal.sampleSize} per arm (ENBS ${money(r.optimal.enbs)}).` : `No sample size asked has a positive ENBS (best: ${r.optimal.sampleSize} per arm, ${money(r.optimal.enbs)}): the trial costs more than its information is worth.`);
	lines.push(`Method: ${r.method}.`);
	return lines.join('\n') + '\n';
}
