/**
 * The verdict the page shows and the bundle saves: the engine's `verdict` of the current run,
 * with the PSA and the one-way analysis when they ran on the current inputs.
 */
import { tornado, verdict, type OneWayResult, type PsaResult, type ResolvedComparison, type RunResult, type Verdict } from '$lib/engine';

/**
 * The tornado the verdict reads: of the declared payback strategy (else the first one-off the
 * one-way analysis compared) against the analysis's reference; null when there is none.
 */
export function verdictTornado(dsa: OneWayResult | null, comparison: ResolvedComparison) {
	if (!dsa) return null;
	const target = [comparison.payback?.strategy, ...comparison.oneOff].find((id) => id && id !== dsa.referenceId && dsa.strategyIds.includes(id));
	return target ? tornado(dsa, target) : null;
}

/** The verdict, or null when the engine cannot give one for this result (never throws). */
export function currentVerdict(result: RunResult, comparison: ResolvedComparison, psa: PsaResult | null, dsa: OneWayResult | null): Verdict | null {
	try {
		return verdict(result, { comparison, psa: psa && psa.iterations > 0 ? psa : undefined, tornado: verdictTornado(dsa, comparison) ?? undefined });
	} catch {
		return null;
	}
}
