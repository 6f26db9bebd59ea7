/**
 * The break-even heat map's colours: a price's place between the grid's lowest and highest
 * break-even price, mapped from a pale to a deep blue (a sequential scale, darker = a higher
 * price the therapy can bear), with the text colour that reads on it.
 */
import type { BreakevenResult, BreakevenStatus } from '$lib/engine';

export interface PriceScale {
	min: number;
	max: number;
}

/** Lowest and highest break-even price on the grid (0 and 0 when no cell has a price). */
export function breakevenScale(r: BreakevenResult): PriceScale {
	const prices = r.grid.flat().flatMap((p) => (p.price === null ? [] : [p.price]));
	return prices.length ? { min: Math.min(...prices), max: Math.max(...prices) } : { min: 0, max: 0 };
}

const PALE = [239, 246, 255];
const DEEP = [30, 64, 175];

/**
 * Background and text colour of a cell: linear between PALE and DEEP at t = (price - min) / (max - min);
 * null for the cells drawn with their own pattern ('no-price', 'any-price').
 *
 *     breakevenColour(50, { min: 0, max: 100 }); // { background: 'rgb(135, 155, 215)', text: '#000' }
 */
export function breakevenColour(price: number | null, scale: PriceScale, status: BreakevenStatus = 'price'): { background: string; text: string } | null {
	if (status !== 'price' || price === null) return null;
	const t = scale.max > scale.min ? Math.min(1, Math.max(0, (price - scale.min) / (scale.max - scale.min))) : 0.5;
	const [r, g, b] = PALE.map((p, k) => Math.round(p + (DEEP[k] - p) * t));
	const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
	return { background: `rgb(${r}, ${g}, ${b})`, text: luminance > 0.45 ? '#000' : '#fff' };
}

/** Index of the value nearest x (the first on a tie). */
export function nearestIndex(values: number[], x: number): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - x) < Math.abs(values[best] - x)) best = i;
	return best;
}
