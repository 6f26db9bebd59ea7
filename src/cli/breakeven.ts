/**
 * `model breakeven <file> --strategy id --comparator id [--wtp x] [--steps n]
 *  [--efficacy lo:hi] [--durability lo:hi] [--tolerance t] [--payback-years n]
 *  [--iterations n --seed s] [--scenario id] [--set p=v ...] [--json]`
 * What a one-off therapy must achieve: the break-even (value-based) price over its declared
 * efficacy x durability, the efficacy needed at its price, optionally the price that pays back
 * within N years and the price at which P(cost-effective) reaches 50% and 80%.
 */
import { breakeven, paybackPrice, psaBreakeven, type BreakevenAxis, type BreakevenPoint, type BreakevenResult } from '../lib/engine';
import { formatMoney, inFile, loadModel, numberOption, parseSets, table, UsageError, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';

export const BREAKEVEN = defineCommand({
	summary: 'what a one-off therapy must achieve: the break-even price over its efficacy and durability',
	usage: 'model breakeven <file> --strategy id --comparator id [--wtp x] [--steps n] [--efficacy lo:hi] [--durability lo:hi] [--tolerance t] [--payback-years n] [--iterations n --seed s] [--scenario id] [--set p=v ...] [--json]',
	positionals: ['file'],
	options: {
		strategy: { type: 'string' },
		comparator: { type: 'string' },
		wtp: { type: 'string' },
		steps: { type: 'string' },
		efficacy: { type: 'string' },
		durability: { type: 'string' },
		tolerance: { type: 'string' },
		'payback-years': { type: 'string' },
		iterations: { type: 'string' },
		seed: { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		json: { type: 'boolean', default: false }
	}
});

export function breakevenCommand(args: string[]): void {
	const { values, positionals } = parseCommand('breakeven', BREAKEVEN, args);
	const file = positionals[0];
	if (!file || !values.strategy || !values.comparator) throw new UsageError(`usage: ${BREAKEVEN.usage}`);
	const compiled = loadModel(file);
	const ids = compiled.strategies.map((s) => s.id);
	for (const [flag, id] of [['strategy', values.strategy], ['comparator', values.comparator]] as const)
		if (!ids.includes(id)) throw new UsageError(`--${flag}: no strategy "${id}" in ${file}; strategies: ${ids.join(', ')}`);
	const steps = numberOption('steps', values.steps) ?? 11;
	const options = { scenario: values.scenario, parameters: parseSets(values.set) };
	const wtp = numberOption('wtp', values.wtp);
	const iterations = numberOption('iterations', values.iterations);
	const paybackYears = numberOption('payback-years', values['payback-years']);
	try {
		const r = inFile(file, () =>
			breakeven(compiled, {
				strategyId: values.strategy!,
				comparatorId: values.comparator!,
				willingnessToPay: wtp,
				steps,
				efficacy: axisOption('efficacy', values.efficacy, steps),
				durability: axisOption('durability', values.durability, steps),
				tolerance: numberOption('tolerance', values.tolerance),
				options
			})
		);
		const payback = paybackYears === undefined ? null : inFile(file, () => paybackPrice(compiled, { strategyId: r.strategyId, comparatorId: r.comparatorId, years: paybackYears, options }));
		let psa = null;
		if (iterations !== undefined) {
			const seed = numberOption('seed', values.seed);
			if (seed === undefined) throw new UsageError('--iterations needs --seed');
			psa = inFile(file, () => psaBreakeven(compiled, { strategyId: r.strategyId, comparatorId: r.comparatorId, willingnessToPay: wtp, iterations, seed, options }));
		}
		if (values.json) {
			const psaOut = psa ? { ...psa, prices: undefined } : null;
			writeOut(JSON.stringify({ ...r, payback, psa: psaOut }, null, 2) + '\n');
			return;
		}
		writeOut([...gridText(r), '', ...r.sentences, ...(payback ? [payback.sentence] : []), ...(psa ? psa.sentences : [])].join('\n') + '\n');
	} catch (e) {
		if (e instanceof RangeError) throw new UsageError(e.message);
		throw e;
	}
}

/** `lo:hi` into an axis, or a usage error naming the option. */
function axisOption(name: string, value: string | undefined, steps: number): BreakevenAxis | undefined {
	if (value === undefined) return undefined;
	const m = /^([^:]+):([^:]+)$/.exec(value);
	const from = Number(m?.[1]);
	const to = Number(m?.[2]);
	if (!m || !Number.isFinite(from) || !Number.isFinite(to)) throw new UsageError(`--${name} expects lo:hi numbers, got "${value}"`);
	return { from, to, steps };
}

function cellText(p: BreakevenPoint, currency: string): string {
	return p.status === 'price' ? formatMoney(p.price, currency) : p.status === 'any-price' ? 'any price' : 'no price';
}

function gridText(r: BreakevenResult): string[] {
	const L = r.levers;
	const num = (x: number) => String(Number(x.toPrecision(4)));
	return [
		`Break-even price of ${r.strategyId} (${L.price.id}, ${L.price.unit}) against ${r.comparatorId} at ${r.currency} ${r.willingnessToPay} per QALY, ${r.currency} ${r.priceYear} prices; tolerance ${r.tolerance} ${r.currency}.`,
		`Rows: ${L.durability.id} (${L.durability.unit}); columns: ${L.efficacy.id} (${L.efficacy.unit}, ${L.efficacyDirection}). "no price": not cost-effective even free; "any price": cost-effective whatever the price.`,
		'',
		table(
			[`${L.durability.id} \\ ${L.efficacy.id}`, ...r.efficacyValues.map(num)],
			r.grid.map((row, j) => [num(r.durabilityValues[j]), ...row.map((p) => cellText(p, r.currency))])
		)
	];
}
