/**
 * What an incremental cost-effectiveness ratio means, said in words: a bare negative ICER is
 * ambiguous, as it is negative both when a strategy saves money and gains QALYs (dominant) and
 * when it costs more and loses QALYs (dominated). The quadrant of the cost-effectiveness plane
 * decides (Black 1990, Med Decis Making 10:212-214; Drummond et al., Methods for the Economic
 * Evaluation of Health Care Programmes, 4th ed., ch. 4). The one labelling function for the
 * table, charts, CLI and downloads. The quadrant itself is the engine's (planeQuadrant), the one
 * that the verdict uses too.
 */
// relative, not $lib: the command line (bundled by esbuild, without the app's aliases) imports this file
import { planeQuadrant, type Quadrant } from '../engine';

/**
 * The quadrant of (incremental QALYs, incremental cost), taken exactly (NaN: 'same'):
 *  - dominant: no more costly and more effective (or less costly and as effective);
 *  - dominated: no less costly and less effective (or more costly and as effective);
 *  - north-east: more costly, more effective (the ICER is the cost per QALY gained);
 *  - south-west: less costly, less effective (the ICER is the saving per QALY lost);
 *  - same: no difference in either.
 * @example icerQuadrant(-500, 0.2) // 'dominant'
 */
export type IcerQuadrant = 'dominant' | 'dominated' | 'north-east' | 'south-west' | 'same';

export function icerQuadrant(incrementalCost: number, incrementalQaly: number): IcerQuadrant {
	if (Number.isNaN(incrementalCost) || Number.isNaN(incrementalQaly)) return 'same';
	return NAMES[planeQuadrant(incrementalCost, incrementalQaly)];
}

/** The engine's quadrant names as the labels say them. */
const NAMES: Record<Quadrant, IcerQuadrant> = { dominates: 'dominant', dominated: 'dominated', 'north-east': 'north-east', 'south-west': 'south-west', equal: 'same' };

/**
 * The ICER as a labelled phrase, with money formatted by the caller (currency and price year).
 * ICER = incremental cost / incremental QALYs.
 * @example icerText(115690, 2.9486, m) // 'GBP 39,236 per QALY gained'
 * @example icerText(-2000, -0.1, m)    // 'saves GBP 20,000 per QALY lost (south-west quadrant)'
 * @example icerText(-500, 0.2, m)      // 'dominant (less costly, more effective)'
 */
export function icerText(incrementalCost: number | null, incrementalQaly: number | null, money: (v: number) => string): string {
	if (incrementalCost === null || incrementalQaly === null || !Number.isFinite(incrementalCost) || !Number.isFinite(incrementalQaly)) return '-';
	const q = icerQuadrant(incrementalCost, incrementalQaly);
	const ratio = Math.abs(incrementalCost / incrementalQaly);
	switch (q) {
		case 'dominant':
			return 'dominant (less costly, more effective)';
		case 'dominated':
			return 'dominated (more costly, less effective)';
		case 'north-east':
			return `${money(ratio)} per QALY gained`;
		case 'south-west':
			return `saves ${money(ratio)} per QALY lost (south-west quadrant)`;
		default:
			return 'no difference in cost or QALYs';
	}
}
