/** Money and number formatting for the budget page: currency code always shown (e.g. GBP 1,234). */
export function money(v: number | null | undefined, currency: string): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '-';
	return new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code', maximumFractionDigits: 0 }).format(v);
}

export function count(v: number): string {
	return Math.round(v).toLocaleString('en-GB');
}

/** Compact money for chart axes: GBP 1.2m */
export function moneyShort(v: number, currency: string): string {
	const a = Math.abs(v);
	if (a >= 1e9) return `${currency} ${(v / 1e9).toFixed(1)}bn`;
	if (a >= 1e6) return `${currency} ${(v / 1e6).toFixed(1)}m`;
	if (a >= 1e3) return `${currency} ${(v / 1e3).toFixed(0)}k`;
	return `${currency} ${v.toFixed(0)}`;
}

/**
 * A rate as a percentage without float noise: 0.035 is "3.5%", not "3.5000000000000004%".
 * @example percent(0.035) // '3.5%'
 */
export function percent(rate: number): string {
	return `${Number((rate * 100).toPrecision(6))}%`;
}

/**
 * What a budget figure means for the payer: a negative incremental budget is a saving.
 * @example budgetMeaning(-19189118, 'GBP') // 'a saving of GBP 19,189,118'
 */
export function budgetMeaning(v: number, currency: string): string {
	if (v < 0) return `a saving of ${money(-v, currency)}`;
	if (v > 0) return `an extra cost of ${money(v, currency)}`;
	return 'no change';
}

/**
 * A probability as a percentage with one decimal: 0.28333 is "28.3%".
 * @example probabilityText(0.975) // '97.5%'
 */
export function probabilityText(p: number): string {
	return Number.isFinite(p) ? `${(p * 100).toFixed(1)}%` : '-';
}
