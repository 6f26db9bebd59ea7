/**
 * `model psa <file> --iterations N --seed S [--wtp-range min:max:step] [--wtp x] [--reference id]
 *  [--scenario id] [--set p=v ...] [--evppi a,b ...] [--population n --years y] [--payback oneOff:lifelong]
 *  [--redraw-invalid]
 *  [--json] [--out dir]`
 * Probabilistic sensitivity analysis with CEAC, EVPI (per person and population) and optional
 * EVPPI of each group: at the willingness to pay, over the willingness-to-pay grid (one
 * regression fit; evppiCurve) and, with --population and --years, for the population. Progress on stderr; results on stdout; `--out` writes CSV files in BCEA's layout.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	ceac,
	createRunner,
	deterministicPayback,
	evpi,
	evpiCurve,
	evppi,
	evppiCurve,
	populationEvpi,
	psaPayback,
	runPsa,
	subgroupById,
	subgroupOptions,
	summarisePsa,
	wtpRange,
	type EvppiResult,
	type PopulationSpec,
	type PsaProgress,
	type RunOptions,
	type PsaResult
} from '../lib/engine';
import { ensureDirectory, formatMoney, inFile, loadModel, numberOption, parseSets, table, targetSettings, TARGET_OPTIONS, UsageError, wtpOption, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';
import { icerText } from '../lib/ui/icerLabel';
import { writeSubgroupPsa } from './subgroups';

export const PSA = defineCommand({
	summary: 'probabilistic sensitivity analysis: CEAC, EVPI, EVPPI, payback; CSVs in BCEA layout',
	usage:
		'model psa <file> --iterations N --seed S [--wtp-range min:max:step] [--wtp x] [--reference id] [--scenario id] [--set p=v ...] [--evppi p1,p2 ...] [--population n --years y] [--payback oneOff:lifelong] [--redraw-invalid] [--subgroups | --subgroup id] [--price-year year] [--currency code] [--json] [--out dir]',
	positionals: ['file'],
	options: {
		iterations: { type: 'string' },
		seed: { type: 'string' },
		'wtp-range': { type: 'string' },
		wtp: { type: 'string' },
		reference: { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		evppi: { type: 'string', multiple: true },
		population: { type: 'string' },
		years: { type: 'string' },
		'population-discount': { type: 'string' },
		payback: { type: 'string' },
		'redraw-invalid': { type: 'boolean', default: false },
		subgroups: { type: 'boolean', default: false },
		subgroup: { type: 'string' },
		json: { type: 'boolean', default: false },
		...TARGET_OPTIONS,
		out: { type: 'string' }
	}
});

/** A progress bar on stderr when it is a terminal; a line per quarter otherwise. Never on stdout. */
export function progressReporter(label: string): { update(p: PsaProgress): void; done(): void } {
	const tty = process.stderr.isTTY === true;
	let lastQuarter = 0;
	const started = performance.now();
	return {
		update(p) {
			const share = p.total ? p.done / p.total : 1;
			if (tty) {
				const width = 30;
				const filled = Math.round(share * width);
				process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${p.done}/${p.total}`);
			} else {
				const quarter = Math.floor(share * 4);
				if (quarter > lastQuarter) {
					lastQuarter = quarter;
					process.stderr.write(`${label}: ${quarter * 25}% (${p.done}/${p.total})\n`);
				}
			}
		},
		done() {
			if (tty) process.stderr.write(`\r${label}: done in ${((performance.now() - started) / 1000).toFixed(1)} s${' '.repeat(30)}\n`);
		}
	};
}

function integerOption(name: string, value: string | undefined): number | undefined {
	const v = numberOption(name, value);
	if (v !== undefined && !Number.isInteger(v)) throw new UsageError(`--${name}: "${value}" is not a whole number`);
	return v;
}

export function parseWtpRange(text: string): Float64Array {
	const m = /^([^:]+):([^:]+):([^:]+)$/.exec(text);
	if (!m) throw new UsageError(`--wtp-range expects min:max:step, got "${text}"`);
	const [min, max, step] = [m[1], m[2], m[3]].map((v) => Number(v));
	try {
		return wtpRange(min, max, step);
	} catch (e) {
		throw new UsageError(`--wtp-range: ${e instanceof Error ? e.message : String(e)}`);
	}
}

export interface EvppiOfGroup extends EvppiResult {
	/** EVPPI per person over the willingness-to-pay grid of the CEAC */
	curve: { wtp: number[]; evppi: number[] };
	/** per-person EVPPI x the discounted people facing the decision (with --population and --years) */
	population: { effectivePopulation: number; value: number } | null;
}

/** EVPPI of one --evppi group ("a,b"): at the willingness to pay, over the grid, and for the population. */
function evppiOfGroup(psa: PsaResult, text: string, c: { wtp: number; wtps: Float64Array; reference: string; seed: number; population: PopulationSpec | null }): EvppiOfGroup {
	const group = text.split(',').map((s) => s.trim()).filter(Boolean);
	try {
		const point = evppi(psa, group, { willingnessToPay: c.wtp, referenceId: c.reference, seed: c.seed });
		const curve = evppiCurve(psa, group, { willingnessToPay: c.wtps, referenceId: c.reference });
		return { ...point, curve: { wtp: [...curve.willingnessToPay], evppi: [...curve.evppi] }, population: c.population ? populationEvpi(point.evppi, c.population) : null };
	} catch (e) {
		throw new UsageError(`--evppi ${text}: ${e instanceof Error ? e.message : String(e)}`);
	}
}

function csvNumber(v: number): string {
	return Number.isFinite(v) ? String(v) : '';
}

/** EVPPI per person by willingness to pay: a column per group, named by its parameters joined with "+". */
function evppiCsv(results: EvppiOfGroup[]): string {
	const lines = [['wtp', ...results.map((r) => `evppi_${r.parameters.join('+')}`)].join(',')];
	results[0].curve.wtp.forEach((w, j) => lines.push([csvNumber(w), ...results.map((r) => csvNumber(r.curve.evppi[j]))].join(',')));
	return lines.join('\n') + '\n';
}

/** BCEA layout: one row per simulation, one column per intervention. */
function matrixCsv(ids: string[], a: Float64Array, iterations: number): string {
	const lines = [['iteration', ...ids].join(',')];
	const S = ids.length;
	for (let i = 0; i < iterations; i++) {
		const row = [String(i + 1)];
		for (let s = 0; s < S; s++) row.push(csvNumber(a[i * S + s]));
		lines.push(row.join(','));
	}
	return lines.join('\n') + '\n';
}

export async function psaCommand(args: string[]): Promise<void> {
	const { values, positionals } = parseCommand('psa', PSA, args);
	const file = positionals[0];
	if (!file) throw new UsageError(`usage: ${PSA.usage}`);
	const iterations = integerOption('iterations', values.iterations) ?? 1000;
	const seed = integerOption('seed', values.seed) ?? 1;
	if (iterations < 2) throw new UsageError('--iterations must be at least 2');
	// a folder that cannot be made is refused before the PSA runs, not after
	if (values.out) ensureDirectory(values.out);
	const compiled = loadModel(file);
	const wtpChosen = wtpOption(values.wtp);
	const population = numberOption('population', values.population);
	const years = numberOption('years', values.years);
	if ((population === undefined) !== (years === undefined)) throw new UsageError('--population and --years go together');
	const payback = values.payback ? values.payback.split(':') : null;
	if (payback && payback.length !== 2) throw new UsageError(`--payback expects oneOff:lifelong strategy ids, got "${values.payback}"`);
	const strategyIds = compiled.strategies.map((s) => s.id);
	for (const id of [values.reference, ...(payback ?? [])])
		if (id !== undefined && !strategyIds.includes(id)) throw new UsageError(`no strategy "${id}" in ${file}; strategies: ${strategyIds.join(', ')}`);

	if (values.subgroups) {
		const other = (['evppi', 'population', 'payback', 'out', 'subgroup'] as const).filter((k) => values[k] !== undefined);
		if (other.length) throw new UsageError(`model psa: --subgroups does not go with ${other.map((k) => `--${k}`).join(', ')}`);
		const wtps = values['wtp-range'] ? parseWtpRange(values['wtp-range']) : wtpRange(0, Math.max(100000, wtpChosen ?? 0), Math.max(100000, wtpChosen ?? 0) / 100);
		const options = { scenario: values.scenario, parameters: parseSets(values.set), settings: targetSettings(values) };
		return writeSubgroupPsa(file, compiled, { iterations, seed, wtp: wtps, willingnessToPay: wtpChosen, referenceId: values.reference, invalidDraws: values['redraw-invalid'] ? 'redraw' : 'stop', options }, values.json);
	}
	// --subgroup id: the PSA of that subgroup alone (its values on top of the others)
	const group = values.subgroup === undefined ? null : inFile(file, () => subgroupById(compiled, values.subgroup as string));
	const withGroup = (o: RunOptions): RunOptions => (group ? subgroupOptions(group, o) : o);
	const bar = progressReporter(`PSA ${iterations} iterations`);
	const psa: PsaResult = runPsa(
		compiled,
		{ iterations, seed, keepCycleCosts: payback !== null, invalidDraws: values['redraw-invalid'] ? 'redraw' : 'stop', options: withGroup({ scenario: values.scenario, parameters: parseSets(values.set), settings: targetSettings(values) }) },
		{ onProgress: (p) => bar.update(p), chunk: Math.max(50, Math.ceil(iterations / 100)) }
	);
	bar.done();
	const { currency, priceYear } = psa.settings;
	const wtp = wtpChosen ?? psa.settings.willingnessToPay;
	const wtps = values['wtp-range'] ? parseWtpRange(values['wtp-range']) : wtpRange(0, Math.max(100000, wtp), Math.max(100000, wtp) / 100);
	const reference = values.reference ?? strategyIds[0];
	const summary = summarisePsa(psa, wtp, reference);
	const curve = ceac(psa, wtps, reference);
	const evpiCurveValues = evpiCurve(psa, wtps);
	const evpiValue = evpi(psa, wtp);
	const pop =
		population !== undefined && years !== undefined
			? { annualPopulation: population, years, discountRate: numberOption('population-discount', values['population-discount']) ?? psa.settings.discountRates.costs }
			: null;
	let popEvpi: ReturnType<typeof populationEvpi> | null = null;
	try {
		popEvpi = pop ? populationEvpi(evpiValue, pop) : null;
	} catch (e) {
		throw new UsageError(e instanceof Error ? e.message : String(e));
	}
	const evppiResults = (values.evppi ?? []).map((g) => evppiOfGroup(psa, g, { wtp, wtps, reference, seed, population: pop }));
	const paybackResult = payback ? psaPayback(psa, { oneOffId: payback[0], lifelongId: payback[1] }) : null;
	const paybackBase = payback
		? deterministicPayback(createRunner(compiled).run(withGroup({ scenario: values.scenario, parameters: parseSets(values.set) })), { oneOffId: payback[0], lifelongId: payback[1] })
		: null;

	const ceacJson = {
		wtp: [...curve.wtp],
		probability: Object.fromEntries(strategyIds.map((id, s) => [id, [...curve.probability[s]]])),
		pairwiseVsReference: Object.fromEntries(strategyIds.map((id, s) => [id, [...curve.pairwise[s]]])),
		frontier: [...curve.frontier].map((s) => strategyIds[s]),
		frontierProbability: [...curve.frontierProbability],
		evpi: [...evpiCurveValues]
	};
	const out = {
		model: psa.modelId,
		scenario: psa.scenario,
		currency,
		priceYear,
		seed,
		iterations: psa.iterations,
		willingnessToPay: wtp,
		reference,
		drawnParameters: psa.parameterIds,
		heldFixed: psa.heldFixed,
		redrawnInvalidDraws: psa.redrawn,
		redrawReasons: psa.redrawReasons,
		method: psa.method,
		deterministic: Object.fromEntries(strategyIds.map((id, s) => [id, { cost: psa.deterministic.cost[s], qaly: psa.deterministic.qaly[s] }])),
		summary,
		evpiPerPerson: evpiValue,
		populationEvpi: popEvpi && pop ? { ...pop, ...popEvpi } : null,
		evppi: evppiResults,
		payback: paybackResult
			? {
					oneOff: paybackResult.oneOffId,
					lifelong: paybackResult.lifelongId,
					discounted: paybackResult.discounted,
					deterministicYears: paybackBase?.years ?? null,
					probabilityWithinHorizon: paybackResult.probabilityWithinHorizon,
					medianYears: Number.isFinite(paybackResult.median) ? paybackResult.median : null,
					intervalYears: paybackResult.interval.map((v) => (Number.isFinite(v) ? v : null)),
					horizonYears: paybackResult.horizonYears
				}
			: null,
		ceac: ceacJson
	};

	if (values.out) {
		const dir = values.out;
		try {
			const drawLines = [['iteration', ...psa.parameterIds].join(',')];
			const K = psa.parameterIds.length;
			for (let i = 0; i < psa.iterations; i++) {
				const row = [String(i + 1)];
				for (let k = 0; k < K; k++) row.push(csvNumber(psa.draws[i * K + k]));
				drawLines.push(row.join(','));
			}
			writeFileSync(join(dir, 'psa_draws.csv'), drawLines.join('\n') + '\n');
			writeFileSync(join(dir, 'psa_costs.csv'), matrixCsv(strategyIds, psa.cost, psa.iterations));
			writeFileSync(join(dir, 'psa_effects.csv'), matrixCsv(strategyIds, psa.qaly, psa.iterations));
			writeFileSync(join(dir, 'psa_life_years.csv'), matrixCsv(strategyIds, psa.lifeYears, psa.iterations));
			const ceacLines = [['wtp', ...strategyIds.map((id) => `p_${id}`), 'frontier', 'frontier_probability', 'evpi'].join(',')];
			for (let w = 0; w < curve.wtp.length; w++)
				ceacLines.push(
					[csvNumber(curve.wtp[w]), ...strategyIds.map((_, s) => csvNumber(curve.probability[s][w])), strategyIds[curve.frontier[w]], csvNumber(curve.frontierProbability[w]), csvNumber(evpiCurveValues[w])].join(',')
				);
			writeFileSync(join(dir, 'ceac.csv'), ceacLines.join('\n') + '\n');
			if (evppiResults.length) writeFileSync(join(dir, 'evppi.csv'), evppiCsv(evppiResults));
			writeFileSync(join(dir, 'summary.json'), JSON.stringify({ ...out, ceac: undefined }, null, 2) + '\n');
		} catch (e) {
			throw new UsageError(`cannot write results to ${dir}: ${e instanceof Error ? e.message : String(e)}`);
		}
	}

	if (values.json) {
		writeOut(JSON.stringify(out, null, 2) + '\n');
		return;
	}
	const label = new Map(compiled.strategies.map((s) => [s.id, s.label]));
	const f4 = (v: number) => v.toFixed(4);
	const lines = [
		`${compiled.model.title}${psa.scenario ? ` (scenario: ${psa.scenario})` : ''}`,
		`PSA: ${psa.iterations} iterations, seed ${seed}, ${psa.parameterIds.length} parameters drawn${psa.heldFixed.length ? `, held fixed: ${psa.heldFixed.join(', ')}` : ''}. Costs in ${currency} (${priceYear}), discounted; effects in QALYs. Reference: ${label.get(reference)}.`,
		'',
		table(
			['Strategy', 'Mean cost', '95% interval', 'Mean QALYs', '95% interval', 'Incr. cost', 'Incr. QALYs', 'ICER', `P(CE) @ ${wtp}`],
			summary.map((r) => [
				`${label.get(r.id)} [${r.id}]`,
				formatMoney(r.meanCost, currency),
				`${formatMoney(r.costInterval[0], currency)} to ${formatMoney(r.costInterval[1], currency)}`,
				f4(r.meanQaly),
				`${f4(r.qalyInterval[0])} to ${f4(r.qalyInterval[1])}`,
				r.id === reference ? '-' : formatMoney(r.incrementalCost, currency),
				r.id === reference ? '-' : f4(r.incrementalQaly),
				r.id === reference ? '-' : icerText(r.incrementalCost, r.incrementalQaly, (v) => formatMoney(v, currency)),
				r.probabilityCostEffective.toFixed(3)
			])
		),
		'',
		`EVPI per person at ${currency} ${wtp}/QALY: ${formatMoney(evpiValue, currency)}`
	];
	if (popEvpi && pop)
		lines.push(
			`Population EVPI: ${formatMoney(popEvpi.value, currency)} (${pop.annualPopulation} people a year for ${pop.years} years, discounted at ${Number((pop.discountRate * 100).toPrecision(6))}%: ${popEvpi.effectivePopulation.toFixed(0)} people)`
		);
	for (const r of evppiResults)
		lines.push(
			`EVPPI [${r.parameters.join(', ')}]: ${formatMoney(r.evppi, currency)} per person (SE ${formatMoney(r.standardError, currency)}; ${r.basisColumns}-term regression)${r.population ? `; population ${formatMoney(r.population.value, currency)}` : ''}`
		);
	if (paybackResult)
		lines.push(
			`Payback of ${label.get(paybackResult.oneOffId)} vs ${label.get(paybackResult.lifelongId)} (discounted costs): base case ${paybackBase?.years == null ? 'beyond the horizon' : `${paybackBase.years.toFixed(1)} years`}; within the ${paybackResult.horizonYears}-year horizon in ${(paybackResult.probabilityWithinHorizon * 100).toFixed(1)}% of iterations; median ${Number.isFinite(paybackResult.median) ? `${paybackResult.median.toFixed(1)} years` : 'beyond the horizon'}`
		);
	if (psa.redrawn)
		lines.push(
			`Warning: ${psa.redrawn} draws made the model invalid and were redrawn (the PSA distribution is truncated to valid values); first reason: ${psa.redrawReasons[0]}`
		);
	const marks = [0, 0.25, 0.5, 0.75, 1].map((q) => Math.round(q * (curve.wtp.length - 1)));
	lines.push(
		'',
		'Cost-effectiveness acceptability (probability each strategy has the highest net monetary benefit):',
		table(
			['Strategy', ...marks.map((w) => `${currency} ${curve.wtp[w]}`)],
			[
				...strategyIds.map((id, s) => [`${label.get(id)} [${id}]`, ...marks.map((w) => curve.probability[s][w].toFixed(3))]),
				['Optimal (highest expected NMB)', ...marks.map((w) => strategyIds[curve.frontier[w]])],
				[`EVPI per person (${currency})`, ...marks.map((w) => Math.round(evpiCurveValues[w]).toLocaleString('en-GB'))],
				...evppiResults.map((r) => [`EVPPI [${r.parameters.join(', ')}] per person (${currency})`, ...marks.map((w) => Math.round(r.curve.evppi[w]).toLocaleString('en-GB'))])
			]
		)
	);
	if (values.out) lines.push('', `Wrote psa_draws.csv, psa_costs.csv, psa_effects.csv, psa_life_years.csv, ceac.csv${evppiResults.length ? ', evppi.csv' : ''}, summary.json to ${values.out}`);
	writeOut(lines.join('\n') + '\n');
}
