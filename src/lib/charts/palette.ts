/** Colours distinguishable in colour-vision deficiency and in greyscale print (Tol-like, darkened). */
export const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'];
