/**
 * Number formatting for the page and the downloads: every figure carries its unit, currency and
 * price year (e.g. "GBP 12,345 (2023 prices)"). One place so the table, charts and CSV agree.
 */
import type { Settings } from '$lib/engine';

const locale = 'en-GB';

export function money(value: number, currency: string, digits = 0): string {
	if (!Number.isFinite(value)) return String(value);
	try {
		return new Intl.NumberFormat(locale, {
			style: 'currency',
			currency,
			currencyDisplay: 'code',
			minimumFractionDigits: digits,
			maximumFractionDigits: digits
		}).format(value);
	} catch {
		// a currency label that is not an ISO 4217 code (the user may type any label)
		return `${currency} ${number(value, digits)}`;
	}
}

export function number(value: number, digits = 3): string {
	if (!Number.isFinite(value)) return String(value);
	return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** "GBP, 2023 prices" */
export function priceLabel(settings: Pick<Settings, 'currency' | 'priceYear'>): string {
	return `${settings.currency}, ${settings.priceYear} prices`;
}

export function percent(value: number, digits = 1): string {
	return `${number(value * 100, digits)}%`;
}

/** Fixed precision used in CSV files and in the page's data-value attributes. */
export function plain(value: number | null | undefined): string {
	if (value === null || value === undefined) return '';
	if (!Number.isFinite(value)) return String(value);
	return String(value);
}

/** The rounding used on screen, so a test or a reader can match a CSV figure to a cell. */
export const DISPLAY_DIGITS = { cost: 0, qaly: 3, lifeYears: 3, icer: 0 } as const;
