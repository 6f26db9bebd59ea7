/**
 * Trace bands from the model's `traceBands` declaration (docs/model-format.md): the states of a
 * band are summed into one line of the trace chart, so, for example, the share of the cohort by
 * disability reads the same whatever the treatment line. States in no band keep their own line,
 * after the bands, in the model's order. Null when the model declares no bands.
 *
 *     traceBands({ label: 'Disability bands', bands: [{ label: 'EDSS 0', states: ['none', 'none_next'] }, ...] }, ids, labels, dead)
 *     // [{ label: 'EDSS 0', states: [0, 3], dead: false }, ...]
 */
import type { TraceBands } from '$lib/engine';

export interface Band {
	label: string;
	/** indices of the states in the band */
	states: number[];
	dead: boolean;
}

export function traceBands(declared: TraceBands | undefined, stateIds: string[], stateLabels: string[], dead: boolean[]): Band[] | null {
	if (!declared) return null;
	const index = new Map(stateIds.map((id, i) => [id, i]));
	const banded = new Set<number>();
	const bands: Band[] = declared.bands.map((b) => {
		const states = b.states.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
		states.forEach((i) => banded.add(i));
		return { label: b.label, states, dead: states.length > 0 && states.every((i) => dead[i]) };
	});
	const rest = stateIds.map((_, i) => i).filter((i) => !banded.has(i));
	const alive = rest.filter((i) => !dead[i]).map((i) => ({ label: stateLabels[i], states: [i], dead: false }));
	const gone = rest.filter((i) => dead[i]).map((i) => ({ label: stateLabels[i], states: [i], dead: true }));
	return [...bands, ...alive, ...gone];
}
