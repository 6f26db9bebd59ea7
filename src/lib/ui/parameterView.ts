/**
 * How a parameter is described beside its input: grouped as in the model file, with unit,
 * range, distribution and source (or the reason it is assumed).
 */
import type { CostConversion, Distribution, Model, Parameter } from '$lib/engine';

export interface ParameterView {
	id: string;
	label: string;
	parameter: Parameter;
	editable: boolean;
}

export function groupParameters(model: Model): { group: string; items: ParameterView[] }[] {
	const groups = new Map<string, ParameterView[]>();
	for (const [id, p] of Object.entries(model.parameters)) {
		const list = groups.get(p.group) ?? [];
		list.push({ id, label: p.description, parameter: p, editable: p.value !== undefined });
		groups.set(p.group, list);
	}
	return [...groups].map(([group, items]) => ({ group, items }));
}

export function distributionText(d: Distribution | undefined): string {
	if (!d) return 'fixed (not varied in PSA)';
	switch (d.type) {
		case 'fixed':
			return 'fixed (not varied in PSA)';
		case 'beta':
			return d.alpha !== undefined ? `beta(α ${d.alpha}, β ${d.beta})` : d.fromRange ? 'beta, from range as 95% interval' : `beta, SE ${d.se}`;
		case 'gamma':
			return d.shape !== undefined ? `gamma(shape ${d.shape}, scale ${d.scale})` : d.fromRange ? 'gamma, from range as 95% interval' : `gamma, SE ${d.se}`;
		case 'lognormal':
			return d.meanlog !== undefined ? `lognormal(μ ${d.meanlog}, σ ${d.sdlog})` : d.fromRange ? 'lognormal, from range as 95% interval' : `lognormal, SE ${d.se}`;
		case 'normal':
			return d.fromRange ? 'normal, from range as 95% interval' : `normal, SD ${d.sd}`;
		case 'uniform':
			return `uniform(${d.min ?? 'low'}, ${d.max ?? 'high'})`;
		case 'triangular':
			return `triangular(${d.min ?? 'low'}, ${d.mode ?? 'value'}, ${d.max ?? 'high'})`;
		case 'dirichlet':
			return `Dirichlet (group ${d.group}, α ${d.alpha})`;
	}
}

export function rangeText(p: Parameter): string {
	if (p.low === undefined && p.high === undefined) return '—';
	return `${p.low ?? '…'} to ${p.high ?? '…'}`;
}

/**
 * A value the model accepts but that lies outside the input's stated low-high range: said beside
 * the field, not refused (an analyst may test values beyond the evidence on purpose).
 * @example outsideRangeNote({ low: 15000, high: 19160 }, 25000) // 'outside the evidence range 15,000-19,160'
 */
export function outsideRangeNote(p: Pick<Parameter, 'low' | 'high'>, value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return '';
	const below = p.low !== undefined && value < p.low;
	const above = p.high !== undefined && value > p.high;
	if (!below && !above) return '';
	// six significant figures: a converted cost's range (e.g. 18,039.716017) reads as 18,039.7
	const f = (v: number | undefined) => (v === undefined ? '…' : Number(v.toPrecision(6)).toLocaleString('en-GB', { maximumFractionDigits: 6 }));
	return `outside the evidence range ${f(p.low)}-${f(p.high)}`;
}

/** Only http(s) links are rendered as links. */
export function safeUrl(url: string | undefined): string | null {
	if (!url) return null;
	return /^https?:\/\//i.test(url) ? url : null;
}

/**
 * What a cost parameter's field says about its conversion: the value as sourced (currency,
 * price year, whether the year is assumed) and the value in the model's currency and price
 * year, which is what the field shows and takes.
 *
 *     costConversionText(cm.costs.c_ocr)
 *     // { sourced: 'GBP 19,160 at 2019 prices', model: 'GBP 23,043 at 2024 prices', factor: '× 1.20265', steps: [...] }
 */
export function costConversionText(c: CostConversion): { sourced: string; model: string; factor: string; steps: string[] } {
	const money = (cur: string, v: number) => `${cur} ${v.toLocaleString('en-GB', { maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0 })}`;
	return {
		sourced: `${money(c.currency, c.value)} at ${c.priceYear} prices${c.priceYearAssumed ? ' (price year assumed)' : ''}`,
		model: `${money(c.target.currency, c.converted)} at ${c.target.priceYear} prices`,
		factor: `× ${Number(c.factor.toPrecision(6))}`,
		steps: c.steps
	};
}

/** A cost's unit with its declared currency code replaced by the model's (the field holds the converted value). */
export function unitInModelCurrency(unit: string, c: CostConversion): string {
	return c.currency === c.target.currency ? unit : unit.replace(new RegExp(`\\b${c.currency}\\b`, 'g'), c.target.currency);
}

/** A converted cost's field value, to the penny; other values as they are. */
export function fieldValue(v: number | undefined, c: CostConversion | undefined): string {
	if (v === undefined) return '';
	return c && c.factor !== 1 ? String(Math.round(v * 100) / 100) : String(v);
}
