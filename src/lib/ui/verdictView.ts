/**
 * The verdict the page shows and the bundle saves: the engine's `verdict` of the current run,
 * with the PSA and the one-way analysis when they ran on the current inputs.
 */
import { tornado, verdict, type OneWayResult, type PsaResult, type ResolvedComparison, type RunResult, type Verdict, type VerdictInput } from '$lib/engine';

/** the PSA's part of a verdict: P(cost-effective) per strategy and EVPI per patient */
export type VerdictPsaSummary = NonNullable<VerdictInput['psa']>;

/**
 * The tornado the verdict reads: of the declared payback strategy (else the first one-off the
 * one-way analysis compared) against the analysis's reference; null when there is none.
 */
export function verdictTornado(dsa: OneWayResult | null, comparison: ResolvedComparison) {
	if (!dsa) return null;
	const target = [comparison.payback?.strategy, ...comparison.oneOff].find((id) => id && id !== dsa.referenceId && dsa.strategyIds.includes(id));
	return target ? tornado(dsa, target) : null;
}

/**
 * The verdict, or null when the engine cannot give one for this result (never throws). The PSA's
 * part is its summary when given (computed once, with the PSA panel's view), else the PSA's own.
 */
export function currentVerdict(result: RunResult, comparison: ResolvedComparison, psa: PsaResult | VerdictPsaSummary | null, dsa: OneWayResult | null): Verdict | null {
	try {
		const tornado = verdictTornado(dsa, comparison) ?? undefined;
		if (psa && 'probabilityCostEffective' in psa) return verdict(result, { comparison, psaSummary: psa.iterations > 0 ? psa : undefined, tornado });
		return verdict(result, { comparison, psa: psa && psa.iterations > 0 ? psa : undefined, tornado });
	} catch {
		return null;
	}
}
