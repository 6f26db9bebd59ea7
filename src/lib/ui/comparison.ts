/**
 * The panels' default choices, from the comparison the model file declares (its `comparison`
 * and each strategy's `role` and `levers`, read by the engine's `modelComparison`), so no
 * generic component names a disease-specific strategy or parameter.
 */
import type { Levers, ResolvedComparison } from '$lib/engine';

/**
 * The one-off strategy the analysis panels start on: the last one-off strategy that declares
 * levers (a model lists its newest therapy last), else the last one-off, else null.
 *
 *     focusStrategy(modelComparison(model)); // e.g. { id: 'therapy', levers: { price: 'c_therapy', ... } }
 */
export function focusStrategy(c: ResolvedComparison): { id: string; levers: Levers | null } | null {
	const withLevers = c.oneOff.filter((id) => c.levers[id]);
	const id = withLevers.at(-1) ?? c.oneOff.at(-1);
	return id ? { id, levers: c.levers[id] ?? null } : null;
}

/** The first of the candidates that is in `ids` (and not `except`), else the first id not `except`. */
export function firstOf(ids: string[], candidates: (string | null | undefined)[], except?: string): string {
	for (const c of candidates) if (c && c !== except && ids.includes(c)) return c;
	return ids.find((id) => id !== except) ?? ids[0];
}
