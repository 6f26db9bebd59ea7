/**
 * `model budget <file> --years N [--settings budget.json] [--scenario id] [--set p=v ...]
 * [--discount r] [--iterations N --seed S [--redraw-invalid]] [--json]`: yearly budget impact
 * and the payment-model comparison; with --iterations, the same over the model's PSA draws
 * (budgetUncertainty.ts). Budget settings default to the file in <model dir>/budget/ whose
 * modelId is the model's id.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BudgetSettingsError, budgetRows, ModelError, parseBudgetSettings, runBudget, runBudgetPsa, type BudgetPsaResult, type BudgetRun, type BudgetSettings, type CompiledModel } from '../lib/engine';
import { FileModelError, formatMoney, inFile, loadModel, numberOption, parseSets, readTextFile, table, UsageError, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';
import { budgetPsaJson, budgetPsaText } from './budgetUncertainty';
import { progressReporter } from './psa';

export const BUDGET = defineCommand({
	summary: 'yearly budget impact and the payment-model comparison; with --iterations, over PSA draws (95% intervals, probability of saving)',
	usage:
		'model budget <file> [--years N] [--settings budget.json] [--scenario id] [--set param=value ...] [--discount rate] [--iterations N --seed S [--redraw-invalid]] [--json]',
	positionals: ['file'],
	options: {
		years: { type: 'string' },
		settings: { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		discount: { type: 'string' },
		iterations: { type: 'string' },
		seed: { type: 'string' },
		'redraw-invalid': { type: 'boolean', default: false },
		json: { type: 'boolean', default: false }
	}
});

/** --iterations and --seed: both whole numbers, iterations at least 1; --seed alone is refused. */
function uncertaintyOptions(values: { iterations?: string; seed?: string; 'redraw-invalid'?: boolean }): { iterations: number; seed: number } | null {
	const whole = (name: string, text: string | undefined) => {
		const v = numberOption(name, text);
		if (v !== undefined && !Number.isInteger(v)) throw new UsageError(`--${name}: "${text}" is not a whole number`);
		return v;
	};
	const iterations = whole('iterations', values.iterations);
	const seed = whole('seed', values.seed);
	if (iterations === undefined) {
		if (seed !== undefined || values['redraw-invalid']) throw new UsageError('--seed and --redraw-invalid go with --iterations N (the budget under uncertainty)');
		return null;
	}
	if (iterations < 1) throw new UsageError(`--iterations: ${iterations} is not a positive whole number of PSA iterations`);
	return { iterations, seed: seed ?? 1 };
}

export function budgetCommand(args: string[]): void {
	const { values, positionals } = parseCommand('budget', BUDGET, args);
	const file = positionals[0];
	if (!file) throw new UsageError(`usage: ${BUDGET.usage}`);
	const compiled = loadModel(file);
	const years = numberOption('years', values.years);
	if (years !== undefined && !(Number.isInteger(years) && years >= 1 && years <= 100))
		throw new UsageError(`--years: ${years} is not a whole number of years in [1, 100]`);
	const discountRate = numberOption('discount', values.discount);
	if (discountRate !== undefined && !(discountRate >= 0 && discountRate <= 1))
		throw new UsageError(`--discount: ${discountRate} is not a rate in [0, 1] (0.035 = 3.5%)`);
	const uncertainty = uncertaintyOptions(values);
	const { settings, settingsFile } = loadSettings(values.settings, file, compiled.model.id);
	const run = { scenario: values.scenario, parameters: parseSets(values.set) };
	// model errors (a scenario, a --set value, a probability at some cycle) name the model file
	const result = inSettings(settingsFile, () => inFile(file, () => runBudget(compiled, settings, { years, discountRate, run })));
	const psa = uncertainty && inSettings(settingsFile, () => budgetUnderUncertainty(file, compiled, settings, { ...uncertainty, years, discountRate, run, invalidDraws: values['redraw-invalid'] ? 'redraw' : 'stop' }));
	if (values.json) {
		writeOut(JSON.stringify({ ...toJson(result, settingsFile), ...(psa ? { uncertainty: budgetPsaJson(psa) } : {}) }, null, 2) + '\n');
		return;
	}
	if (psa) writeOut([toText(result, settingsFile).split('\n').slice(0, 3).join('\n'), '', budgetPsaText(psa)].join('\n') + '\n');
	else writeOut(toText(result, settingsFile) + '\n');
}

/** Settings errors raised while running name the settings file. */
function inSettings<T>(settingsFile: string, fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (e instanceof FileModelError && e.cause instanceof BudgetSettingsError) throw settingsError(settingsFile, e.cause);
		throw e;
	}
}

/** The budget over the PSA, with a progress bar on stderr; an impossible iteration count names --iterations. */
function budgetUnderUncertainty(file: string, compiled: CompiledModel, settings: BudgetSettings, config: Parameters<typeof runBudgetPsa>[2]): BudgetPsaResult {
	const bar = progressReporter(`Budget PSA ${config.iterations} iterations`);
	try {
		const r = inFile(file, () => runBudgetPsa(compiled, settings, config, { onProgress: (p) => bar.update(p), chunk: 256 }));
		bar.done();
		return r;
	} catch (e) {
		const cause = e instanceof FileModelError ? e.cause : e;
		if (cause instanceof ModelError && cause.issues.every((i) => i.path === 'iterations')) throw new UsageError(`--iterations: ${cause.issues.map((i) => i.message).join('; ')}`);
		throw e;
	}
}

function loadSettings(given: string | undefined, modelFile: string, modelId: string): { settings: BudgetSettings; settingsFile: string } {
	let file = given;
	if (!file) {
		const dir = join(dirname(modelFile), 'budget');
		let names: string[] = [];
		try {
			names = readdirSync(dir).filter((n) => n.endsWith('.json'));
		} catch {
			names = [];
		}
		for (const n of names.sort()) {
			try {
				if (JSON.parse(readTextFile(join(dir, n))).modelId === modelId) {
					file = join(dir, n);
					break;
				}
			} catch {
				// not JSON: ignored here, reported if named with --settings
			}
		}
		if (!file) throw new UsageError(`no budget settings for model "${modelId}" in ${dir}; pass --settings <file>`);
	}
	let data: unknown;
	try {
		data = JSON.parse(readTextFile(file));
	} catch (e) {
		throw new UsageError(`cannot read budget settings ${file}: ${e instanceof Error ? e.message : String(e)}`);
	}
	try {
		return { settings: parseBudgetSettings(data), settingsFile: file };
	} catch (e) {
		if (e instanceof BudgetSettingsError) throw settingsError(file, e);
		throw e;
	}
}

function settingsError(file: string, e: BudgetSettingsError): UsageError {
	return new UsageError(e.issues.map((i) => `${file}: ${i.path || '(settings)'}: ${i.message}`).join('\n'));
}

function lastNonZero(a: Float64Array): number {
	for (let j = a.length - 1; j >= 0; j--) if (Math.abs(a[j]) > 1e-9) return j;
	return 0;
}

function percent(rate: number): string {
	return `${Number((rate * 100).toFixed(4))}%`;
}

function toJson(r: BudgetRun, settingsFile: string) {
	return {
		model: r.modelId,
		settings: settingsFile,
		scenario: r.run.scenario,
		currency: r.currency,
		priceYear: r.priceYear,
		years: r.years,
		discountRate: r.discountRate,
		population: { prevalentEligible: r.population.prevalent, incidentEligiblePerYear: Array.from(r.population.incident) },
		strategies: r.strategyIds.map((id, i) => ({ id, label: r.strategyLabels[i] })),
		categories: r.categoryIds.map((id, i) => ({ id, label: r.categoryLabels[i] })),
		rows: budgetRows(r.budget),
		cumulativeIncremental: r.budget.cumulativeIncremental[r.years - 1],
		payment: r.payment && {
			strategy: r.payment.strategy,
			comparator: r.payment.comparator,
			price: r.payment.price,
			priceCategory: r.payment.priceCategory,
			priceCapPerQaly: r.payment.priceCapPerQaly,
			failureProbability: Array.from(r.payment.failure.failed),
			models: r.payment.models.map((m) => ({
				id: m.id,
				label: m.label,
				price: m.price,
				schedule: Array.from(m.schedule),
				totalPaid: m.totalPaid,
				expectedRefund: m.expectedRefund,
				presentValue: m.presentValue,
				incrementalCost: m.incrementalCost,
				incrementalQaly: m.incrementalQaly,
				icer: m.icer,
				maxPriceAtCap: m.maxPriceAtCap,
				budgetImpact: Array.from(m.incremental),
				cumulativeBudgetImpact: m.cumulativeIncremental,
				refundsPaid: Array.from(m.refundsPaid),
				dueAfterHorizon: m.dueAfterHorizon
			}))
		}
	};
}

function toText(r: BudgetRun, settingsFile: string): string {
	const cur = r.currency;
	const money = (v: number) => formatMoney(v, cur);
	const rows = budgetRows(r.budget);
	const capped = r.settings.capacity?.strategy;
	const active = r.strategyIds.filter((s) => rows.some((row) => row.startsCurrent[s] > 0 || row.startsNew[s] > 0));
	const lines = [
		`${r.title}: budget impact (${settingsFile})${r.run.scenario ? `, scenario ${r.run.scenario}` : ''}`,
		`Costs in ${cur}, price year ${r.priceYear}; ${r.discountRate > 0 ? `discounted at ${percent(r.discountRate)} a year from year 1` : 'undiscounted (ISPOR budget impact guidance)'}; ${r.years} years.`,
		`Eligible population: ${Math.round(r.population.prevalent).toLocaleString('en-GB')} prevalent patients in year 1, ${Math.round(r.population.incident[0]).toLocaleString('en-GB')} incident patients a year.`,
		'',
		table(
			['Year', `Current world (${cur})`, `New world (${cur})`, `Incremental (${cur})`, `Cumulative (${cur})`, ...(capped ? [`${capped} starts (new)`, 'Waiting (new)'] : [])],
			rows.map((row) => [
				String(row.year),
				money(row.current),
				money(row.new),
				money(row.incremental),
				money(row.cumulativeIncremental),
				...(capped ? [row.startsNew[capped].toFixed(0), row.waitingNew.toFixed(0)] : [])
			])
		),
		'',
		'Patients starting each strategy (current world / new world; alive at the start of the year in brackets, new world)',
		table(
			['Year', ...active.map((s) => r.strategyLabels[r.strategyIds.indexOf(s)])],
			rows.map((row) => [
				String(row.year),
				...active.map((s) => `${row.startsCurrent[s].toFixed(0)} / ${row.startsNew[s].toFixed(0)} (${row.aliveNew[s].toFixed(0)})`)
			])
		),
		'',
		'Incremental budget by cost category',
		table(
			['Year', ...r.categoryLabels.map((l) => `${l} (${cur})`)],
			rows.map((row) => [String(row.year), ...r.categoryIds.map((c) => money(row.incrementalByCategory[c]))])
		)
	];
	if (r.payment) {
		const p = r.payment;
		lines.push(
			'',
			`Payment models for ${p.strategy} vs ${p.comparator}: price ${money(p.price)} per patient (category ${p.priceCategory}); price cap ${money(p.priceCapPerQaly)} per QALY.`,
			table(
				[
					'Payment model',
					`Total paid (${cur})`,
					`Expected refund (${cur})`,
					`ICER (${cur}/QALY)`,
					`Max price at cap (${cur})`,
					`Budget impact over ${r.years} y (${cur})`,
					`Still due after year ${r.years} (${cur})`
				],
				p.models.map((m) => [
					m.label,
					money(m.totalPaid),
					money(m.expectedRefund),
					icerText(m.incrementalCost, m.incrementalQaly, cur),
					m.maxPriceAtCap === null ? '-' : money(m.maxPriceAtCap),
					money(m.cumulativeIncremental),
					money(m.dueAfterHorizon)
				])
			)
		);
		const n = Math.max(...p.models.map((m) => lastNonZero(m.schedule) + 1), 1);
		lines.push(
			'',
			`Expected payment per patient treated, by year since treatment (${cur}, undiscounted; refunds negative)`,
			table(
				['Payment model', ...Array.from({ length: n }, (_, j) => `Year ${j + 1}`)],
				p.models.map((m) => [m.id, ...Array.from(m.schedule.slice(0, n), (v) => money(v))])
			),
			'',
			`Incremental budget by year under each payment model (${cur})`,
			table(
				['Payment model', ...Array.from({ length: r.years }, (_, t) => `Year ${t + 1}`)],
				p.models.map((m) => [m.id, ...Array.from(m.incremental, (v) => money(v))])
			)
		);
	}
	return lines.join('\n');
}

export function icerText(incrementalCost: number, incrementalQaly: number, currency: string): string {
	if (incrementalQaly > 0 && incrementalCost <= 0) return 'dominant';
	if (incrementalQaly < 0 && incrementalCost >= 0) return 'dominated';
	if (incrementalQaly === 0) return '-';
	return formatMoney(incrementalCost / incrementalQaly, currency) + (incrementalQaly < 0 ? ' (SW quadrant)' : '');
}
