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
