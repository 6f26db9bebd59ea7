/**
 * The settings a user may change, with how each is typed, shown and checked. Discount rates are
 * typed as percentages (3.5 means 3.5% per year), as analysts write them.
 */
import type { Settings } from '$lib/engine';
import type { NumberRule } from '$lib/ui/parseField';

/**
 * The PSA sizes the app runs (from its PSA panel and from a bundle's manifest alike); the
 * engine's memory estimate (MAX_PSA_BYTES) applies on top, in the worker.
 */
export const APP_PSA_ITERATIONS = { min: 10, max: 100_000 } as const;

export type NumericSettingKey = 'horizon' | 'discountCosts' | 'discountOutcomes' | 'priceYear' | 'willingnessToPay';

export interface NumericSettingField {
	key: NumericSettingKey;
	label: string;
	unit: (s: Settings) => string;
	rule: NumberRule;
	get: (s: Settings) => number;
	/** the override that sets this field to v */
	set: (v: number, s: Settings) => Partial<Settings>;
}

export const NUMERIC_SETTINGS: NumericSettingField[] = [
	{
		key: 'horizon',
		label: 'Time horizon',
		unit: (s) => `cycles of ${s.cycleLength} year${s.cycleLength === 1 ? '' : 's'}`,
		rule: { min: 1, max: 2400, integer: true, what: 'a whole number of cycles from 1 to 2400' },
		get: (s) => s.horizon,
		set: (v) => ({ horizon: v })
	},
	{
		key: 'discountCosts',
		label: 'Discount rate, costs',
		unit: () => '% per year',
		rule: { min: 0, max: 100, what: 'a percentage from 0 to 100' },
		get: (s) => roundPct(s.discountRates.costs),
		set: (v, s) => ({ discountRates: { ...s.discountRates, costs: v / 100 } })
	},
	{
		key: 'discountOutcomes',
		label: 'Discount rate, outcomes',
		unit: () => '% per year',
		rule: { min: 0, max: 100, what: 'a percentage from 0 to 100' },
		get: (s) => roundPct(s.discountRates.outcomes),
		set: (v, s) => ({ discountRates: { ...s.discountRates, outcomes: v / 100 } })
	},
	{
		key: 'willingnessToPay',
		label: 'Willingness to pay',
		unit: (s) => `${s.currency} per QALY`,
		rule: { min: 0, what: 'an amount of at least 0' },
		get: (s) => s.willingnessToPay,
		set: (v) => ({ willingnessToPay: v })
	},
	{
		key: 'priceYear',
		label: 'Price year',
		unit: () => 'costs converted to it',
		rule: { min: 1900, max: 2200, integer: true, what: 'a year from 1900 to 2200' },
		get: (s) => s.priceYear,
		set: (v) => ({ priceYear: v })
	}
];

/** 0.035 -> 3.5 without floating-point noise. */
function roundPct(rate: number): number {
	return Math.round(rate * 100 * 1e9) / 1e9;
}

export const CYCLE_CORRECTIONS: { value: Settings['cycleCorrection']; label: string }[] = [
	{ value: 'half-cycle', label: 'Half-cycle correction' },
	{ value: 'simpson', label: "Simpson's 1/3 rule" },
	{ value: 'life-table', label: 'Life-table (trapezoid)' },
	{ value: 'start', label: 'None: values at start of cycle' },
	{ value: 'end', label: 'None: values at end of cycle' }
];
