/**
 * `model threshold <file> --param id --strategy id --comparator id [--wtp x] [--range lo:hi]
 *  [--tolerance t] [--scenario id] [--set p=v ...] [--json]`
 * The parameter value at which two strategies have equal net monetary benefit.
 */
import { threshold } from '../lib/engine';
import { formatMoney, loadModel, numberOption, parseSets, UsageError, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';

export const THRESHOLD = defineCommand({
	summary: 'the value of one parameter at which two strategies have equal net monetary benefit',
	usage: 'model threshold <file> --param id --strategy id --comparator id [--wtp x] [--range lo:hi] [--tolerance t] [--scenario id] [--set p=v ...] [--json]',
	positionals: ['file'],
	options: {
		param: { type: 'string' },
		strategy: { type: 'string' },
		comparator: { type: 'string' },
		wtp: { type: 'string' },
		range: { type: 'string' },
		tolerance: { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		json: { type: 'boolean', default: false }
	}
});

export function thresholdCommand(args: string[]): void {
	const { values, positionals } = parseCommand('threshold', THRESHOLD, args);
	const file = positionals[0];
	if (!file || !values.param || !values.strategy || !values.comparator) throw new UsageError(`usage: ${THRESHOLD.usage}`);
	const compiled = loadModel(file);
	if (!compiled.parameterIndex.has(values.param))
		throw new UsageError(`--param: no parameter "${values.param}" in ${file}`);
	const strategyIds = compiled.strategies.map((s) => s.id);
	for (const [flag, id] of [['strategy', values.strategy], ['comparator', values.comparator]] as const)
		if (!strategyIds.includes(id)) throw new UsageError(`--${flag}: no strategy "${id}" in ${file}; strategies: ${strategyIds.join(', ')}`);
	let range: [number, number] | undefined;
	if (values.range) {
		const m = /^([^:]+):([^:]+)$/.exec(values.range);
		const lo = Number(m?.[1]);
		const hi = Number(m?.[2]);
		if (!m || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new UsageError(`--range expects lo:hi numbers, got "${values.range}"`);
		range = [lo, hi];
	}
	let r: ReturnType<typeof threshold>;
	try {
		r = threshold(compiled, {
			parameter: values.param,
			strategyId: values.strategy,
			comparatorId: values.comparator,
			willingnessToPay: numberOption('wtp', values.wtp),
			range,
			tolerance: numberOption('tolerance', values.tolerance),
			options: { scenario: values.scenario, parameters: parseSets(values.set) }
		});
	} catch (e) {
		if (e instanceof RangeError) throw new UsageError(e.message);
		throw e;
	}
	if (values.json) {
		writeOut(JSON.stringify(r, null, 2) + '\n');
		return;
	}
	writeOut(
		[
			r.message + '.',
			`Search range ${r.range[0]} to ${r.range[1]}; base value ${r.baseValue}; ${r.evaluations} model runs.`,
			`Incremental NMB (${r.strategyId} minus ${r.comparatorId}) at ${r.currency} ${r.willingnessToPay}/QALY, price year ${r.priceYear}: base ${formatMoney(r.incrementalNmbAtBase, r.currency)}, at ${r.range[0]}: ${formatMoney(r.incrementalNmbAtLow, r.currency)}, at ${r.range[1]}: ${formatMoney(r.incrementalNmbAtHigh, r.currency)}.`
		].join('\n') + '\n'
	);
}
