/** The budget charts use the app's one chart.js registration (tree-shaken, with a white background for PNGs). */
export { Chart } from '$lib/charts/register';

/** Colour-blind-safe palette (Okabe & Ito 2008), cycled. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999'];
