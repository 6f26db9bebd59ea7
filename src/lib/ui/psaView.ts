/** What the page shows of a PSA: the willingness-to-pay grid, CEAC, EVPI and a summary table. */
import { ceac, cePlane, evpiCurve, evpi, summarisePsa, wtpRange, type PsaResult } from '$lib/engine';

/** 0 to at least 100,000 per QALY (or 3 x the decision threshold), in 100 steps. */
export function wtpGrid(willingnessToPay: number): Float64Array {
	const max = Math.max(100_000, Math.ceil((3 * willingnessToPay) / 10_000) * 10_000);
	return wtpRange(0, max, max / 100);
}

export function psaView(psa: PsaResult, referenceId: string) {
	const wtp = psa.settings.willingnessToPay;
	const grid = wtpGrid(wtp);
	return {
		grid,
		ceac: ceac(psa, grid, referenceId),
		plane: cePlane(psa, referenceId),
		evpi: evpiCurve(psa, grid),
		evpiAtWtp: evpi(psa, wtp),
		summary: summarisePsa(psa, wtp, referenceId)
	};
}
