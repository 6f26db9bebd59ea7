/**
 * Colours that stay distinguishable for common colour-vision deficiencies: Paul Tol's "muted"
 * qualitative scheme (https://personal.sron.nl/~pault/) extended with his "bright" blue/red,
 * 12 in all so a 10-state trace never repeats a colour.
 */
export const PALETTE = [
	'#332288',
	'#CC6677',
	'#117733',
	'#DDCC77',
	'#88CCEE',
	'#882255',
	'#44AA99',
	'#999933',
	'#AA4499',
	'#4477AA',
	'#EE6677',
	'#777777'
];

/** The colour of series i (strategy, state or category), cycling through the palette. */
export const colourAt = (i: number): string => PALETTE[i % PALETTE.length];

/** What every chart of the app shares: sized by its box, drawn at once (so PNGs are complete). */
export const BASE_OPTIONS = { responsive: true, maintainAspectRatio: false, animation: false } as const;

/** The legend below the chart, with small boxes. */
export const LEGEND = { position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 12, font: { size: 11 } } };
