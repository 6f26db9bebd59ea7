/**
 * `model dsa <file> [--wtp x] [--reference id] [--measure inmb|icer] [--top n] [--scenario id]
 *  [--set p=v ...] [--two-way a,b [--steps n]] [--json]`
 * One-way sensitivity analysis over every parameter's low/high, a tornado for each strategy
 * against the reference; optionally a two-way grid for a pair of parameters.
 */
import { oneWay, tornado, twoWay, type TornadoMeasure } from '../lib/engine';
import { formatMoney, loadModel, numberOption, parseSets, table, targetSettings, TARGET_OPTIONS, UsageError, wtpOption, writeOut } from './io';
import { defineCommand, parseCommand } from './commands';
import { icerText } from '../lib/ui/icerLabel';

export const DSA = defineCommand({
	summary: 'one-way sensitivity analysis (tornado); --two-way for a grid over two parameters',
	usage: 'model dsa <file> [--wtp x] [--reference id] [--measure inmb|icer] [--top n] [--scenario id] [--set p=v ...] [--two-way a,b [--steps n]] [--price-year year] [--currency code] [--json]',
	positionals: ['file'],
	options: {
		wtp: { type: 'string' },
		reference: { type: 'string' },
		measure: { type: 'string' },
		top: { type: 'string' },
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		'two-way': { type: 'string' },
		steps: { type: 'string' },
		json: { type: 'boolean', default: false },
		...TARGET_OPTIONS
	}
});

export function dsaCommand(args: string[]): void {
	const { values, positionals } = parseCommand('dsa', DSA, args);
	const file = positionals[0];
	if (!file) throw new UsageError(`usage: ${DSA.usage}`);
	const compiled = loadModel(file);
	const measureName = values.measure ?? 'inmb';
	if (measureName !== 'inmb' && measureName !== 'icer') throw new UsageError(`--measure must be inmb or icer, got "${measureName}"`);
	const measure: TornadoMeasure = measureName === 'icer' ? 'icer' : 'incremental-nmb';
	const strategyIds = compiled.strategies.map((s) => s.id);
	const reference = values.reference ?? strategyIds[0];
	if (!strategyIds.includes(reference)) throw new UsageError(`no strategy "${reference}" in ${file}; strategies: ${strategyIds.join(', ')}`);
	const options = { scenario: values.scenario, parameters: parseSets(values.set), settings: targetSettings(values) };
	const d = oneWay(compiled, { options, willingnessToPay: wtpOption(values.wtp), referenceId: reference });
	const tornadoes = strategyIds.filter((id) => id !== reference).map((id) => tornado(d, id, measure));
	let grid: ReturnType<typeof twoWay> | null = null;
	if (values['two-way']) {
		const pair = values['two-way'].split(',').map((s) => s.trim());
		if (pair.length !== 2) throw new UsageError(`--two-way expects two parameter ids a,b, got "${values['two-way']}"`);
		const steps = numberOption('steps', values.steps) ?? 11;
		try {
			grid = twoWay(compiled, { a: { id: pair[0], steps }, b: { id: pair[1], steps }, options, willingnessToPay: d.willingnessToPay });
		} catch (e) {
			throw new UsageError(`--two-way: ${e instanceof Error ? e.message : String(e)}`);
		}
	}
	const { currency, priceYear, willingnessToPay } = d;
	if (values.json) {
		const out = {
			model: compiled.model.id,
			currency,
			priceYear,
			willingnessToPay,
			reference,
			measure,
			base: Object.fromEntries(strategyIds.map((id, s) => [id, { cost: d.base.cost[s], qaly: d.base.qaly[s] }])),
			tornadoes: tornadoes.map((t) => ({ ...t, bars: t.bars.map((b) => ({ ...b, atLow: finite(b.atLow), atHigh: finite(b.atHigh), swing: finite(b.swing) })) })),
			twoWay: grid
				? {
						a: { id: grid.a.id, values: [...grid.a.values] },
						b: { id: grid.b.id, values: [...grid.b.values] },
						optimal: [...grid.optimal].map((s) => (s >= 0 ? strategyIds[s] : null)),
						nmb: Object.fromEntries(strategyIds.map((id, s) => [id, [...(grid as NonNullable<typeof grid>).nmb[s]].map(finite)])),
						errors: grid.errors
					}
				: null
		};
		writeOut(JSON.stringify(out, null, 2) + '\n');
		return;
	}
	const top = numberOption('top', values.top) ?? 15;
	const label = new Map(compiled.strategies.map((s) => [s.id, s.label]));
	const money = (v: number) => formatMoney(v, currency);
	const idx = new Map(strategyIds.map((id, s) => [id, s]));
	/** the measure for one strategy from a set of totals: an ICER with its quadrant, or the incremental NMB */
	const show = (v: number, strategyId: string, totals: { cost: ArrayLike<number>; qaly: ArrayLike<number> } | null) => {
		if (measure !== 'icer' || !totals) return money(v);
		const [s, r] = [idx.get(strategyId)!, idx.get(reference)!];
		return icerText(totals.cost[s] - totals.cost[r], totals.qaly[s] - totals.qaly[r], money);
	};
	const ends = new Map(d.parameters.map((p) => [p.id, p]));
	const lines = [
		`${compiled.model.title}: one-way sensitivity analysis over ${d.parameters.length} parameters' low/high values.`,
		`${measure === 'icer' ? `ICER (swing in ${currency} per QALY)` : `Incremental net monetary benefit at ${currency} ${willingnessToPay}/QALY`} against ${label.get(reference)}; ${currency}, price year ${priceYear}.`
	];
	for (const t of tornadoes) {
		lines.push('', `${label.get(t.strategyId)} [${t.strategyId}] vs ${label.get(reference)}: base ${show(t.base, t.strategyId, d.base)}`);
		lines.push(
			table(
				['Parameter', 'Low', 'High', 'At low', 'At high', 'Swing', 'Note'],
				t.bars.slice(0, top).map((b) => [b.id, String(b.lowValue), String(b.highValue), show(b.atLow, t.strategyId, ends.get(b.id)?.low.totals ?? null), show(b.atHigh, t.strategyId, ends.get(b.id)?.high.totals ?? null), money(b.swing), b.error ? `run failed: ${b.error.split('\n')[0]}` : ''])
			)
		);
	}
	if (grid) {
		lines.push('', `Two-way: strategy with the highest NMB at ${currency} ${willingnessToPay}/QALY (rows ${grid.a.id}, columns ${grid.b.id})`);
		lines.push(
			table(
				[`${grid.a.id} \\ ${grid.b.id}`, ...[...grid.b.values].map((v) => String(Number(v.toPrecision(4))))],
				[...grid.a.values].map((va, i) => [String(Number(va.toPrecision(4))), ...[...grid!.b.values].map((_, j) => {
					const s = grid!.optimal[i * grid!.b.values.length + j];
					return s >= 0 ? strategyIds[s] : 'error';
				})])
			)
		);
	}
	writeOut(lines.join('\n') + '\n');
}

function finite(v: number): number | null {
	return Number.isFinite(v) ? v : null;
}
