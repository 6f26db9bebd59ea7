/**
 * Disability bands from state labels: states whose labels name the same EDSS range (e.g.
 * "RRMS EDSS 1-3.5, first line" and "SPMS EDSS 1-3.5") are one band, so the trace reads as
 * the share of the cohort by disability whatever the treatment line or disease course. States
 * with no EDSS range keep their own label. Null when fewer than two states name a range.
 */
export interface Band {
	label: string;
	/** indices of the states in the band */
	states: number[];
	dead: boolean;
}

const EDSS = /EDSS\s*(\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?)/i;

export function disabilityBands(labels: string[], dead: boolean[]): Band[] | null {
	const ranged = labels.filter((l) => EDSS.test(l)).length;
	if (ranged < 2) return null;
	const bands: Band[] = [];
	const byKey = new Map<string, Band>();
	labels.forEach((label, i) => {
		const m = EDSS.exec(label);
		const key = m ? `EDSS ${m[1].replace(/\s+/g, '').replace('–', '-')}` : label;
		let band = byKey.get(key);
		if (!band) {
			band = { label: key, states: [], dead: dead[i] };
			byKey.set(key, band);
			bands.push(band);
		}
		band.states.push(i);
	});
	const lower = (b: Band) => {
		const m = /EDSS (\d+(?:\.\d+)?)/.exec(b.label);
		return m ? Number(m[1]) : b.dead ? Infinity : -1;
	};
	return bands.sort((a, b) => lower(a) - lower(b));
}
