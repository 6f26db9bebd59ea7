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

/** ICER with its quadrant spelled out, as health economists read it. */
export function icerLabel(incrementalCost: number, incrementalQaly: number, currency: string): string {
	if (incrementalQaly > 0 && incrementalCost <= 0) return 'dominant (cheaper, more QALYs)';
	if (incrementalQaly < 0 && incrementalCost >= 0) return 'dominated';
	if (incrementalQaly === 0) return '-';
	return `${money(incrementalCost / incrementalQaly, currency)} per QALY${incrementalQaly < 0 ? ' (saving per QALY lost)' : ''}`;
}
