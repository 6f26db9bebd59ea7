/**
 * Incremental analysis, as in dampack's calculate_icers() and the textbook method (Drummond et
 * al., Methods for the Economic Evaluation of Health Care Programmes, 4th ed., ch. 4):
 *  1. order strategies by cost (ties: more effective first);
 *  2. remove strongly dominated strategies: another is no more costly and at least as effective,
 *     and better on one of the two;
 *  3. remove extendedly dominated strategies: on the remaining frontier, a strategy whose ICER is
 *     higher than the next strategy's ICER, repeated until ICERs increase along the frontier;
 *  4. ICERs between neighbours on the frontier.
 * The cheapest non-dominated strategy is the reference.
 */

export type IcerStatus = 'reference' | 'frontier' | 'dominated' | 'extendedly-dominated';

export interface Outcome {
	id: string;
	cost: number;
	effect: number;
}

export interface IncrementalRow {
	id: string;
	cost: number;
	effect: number;
	/** against the previous strategy on the frontier (null off the frontier and for the reference) */
	incrementalCost: number | null;
	incrementalEffect: number | null;
	icer: number | null;
	/** the frontier strategy this row is compared with */
	comparator: string | null;
	status: IcerStatus;
	/** for a dominated strategy, the strategy that dominates it */
	dominatedBy: string | null;
}

const EPS = 1e-12;

export function incrementalAnalysis(outcomes: Outcome[]): IncrementalRow[] {
	const sorted = outcomes
		.map((o, i) => ({ ...o, i }))
		.sort((a, b) => a.cost - b.cost || b.effect - a.effect || a.i - b.i);
	const status = new Map<string, IcerStatus>();
	const dominatedBy = new Map<string, string>();

	// strong dominance
	for (const s of sorted) {
		const by = sorted.find(
			(o) =>
				o !== s &&
				o.cost <= s.cost + EPS * Math.max(1, Math.abs(s.cost)) &&
				o.effect >= s.effect - EPS * Math.max(1, Math.abs(s.effect)) &&
				(o.cost < s.cost - EPS * Math.max(1, Math.abs(s.cost)) ||
					o.effect > s.effect + EPS * Math.max(1, Math.abs(s.effect)) ||
					o.i < s.i)
		);
		if (by) {
			status.set(s.id, 'dominated');
			dominatedBy.set(s.id, by.id);
		}
	}
	let frontier = sorted.filter((s) => !status.has(s.id));

	// extended dominance
	for (;;) {
		let removed = false;
		for (let j = 1; j < frontier.length - 1; j++) {
			const prev = frontier[j - 1];
			const cur = frontier[j];
			const next = frontier[j + 1];
			const icerCur = (cur.cost - prev.cost) / (cur.effect - prev.effect);
			const icerNext = (next.cost - cur.cost) / (next.effect - cur.effect);
			if (icerCur > icerNext) {
				status.set(cur.id, 'extendedly-dominated');
				dominatedBy.set(cur.id, `${prev.id}+${next.id}`);
				frontier = frontier.filter((f) => f !== cur);
				removed = true;
				break;
			}
		}
		if (!removed) break;
	}

	const rows = new Map<string, IncrementalRow>();
	frontier.forEach((f, j) => {
		const prev = j > 0 ? frontier[j - 1] : null;
		rows.set(f.id, {
			id: f.id,
			cost: f.cost,
			effect: f.effect,
			incrementalCost: prev ? f.cost - prev.cost : null,
			incrementalEffect: prev ? f.effect - prev.effect : null,
			icer: prev ? (f.cost - prev.cost) / (f.effect - prev.effect) : null,
			comparator: prev ? prev.id : null,
			status: j === 0 ? 'reference' : 'frontier',
			dominatedBy: null
		});
	});
	return sorted.map(
		(s) =>
			rows.get(s.id) ?? {
				id: s.id,
				cost: s.cost,
				effect: s.effect,
				incrementalCost: null,
				incrementalEffect: null,
				icer: null,
				comparator: null,
				status: status.get(s.id) as IcerStatus,
				dominatedBy: dominatedBy.get(s.id) ?? null
			}
	);
}

export interface PairwiseRow {
	id: string;
	cost: number;
	effect: number;
	incrementalCost: number;
	incrementalEffect: number;
	/** null for the reference itself; see `dominance` for the quadrant */
	icer: number | null;
	/** 'dominant': cheaper and more effective; 'dominated': dearer and less effective */
	dominance: 'reference' | 'dominant' | 'dominated' | 'tradeoff';
	netMonetaryBenefit: number;
	incrementalNetMonetaryBenefit: number;
}

/** Every strategy against one chosen reference (BCEA's `ref`), with net monetary benefit. */
export function pairwiseAnalysis(outcomes: Outcome[], referenceId: string, willingnessToPay: number): PairwiseRow[] {
	const ref = outcomes.find((o) => o.id === referenceId);
	if (!ref) throw new Error(`no strategy "${referenceId}" to use as the reference`);
	const nmbRef = netMonetaryBenefit(ref.cost, ref.effect, willingnessToPay);
	return outcomes.map((o) => {
		const dc = o.cost - ref.cost;
		const de = o.effect - ref.effect;
		const nmb = netMonetaryBenefit(o.cost, o.effect, willingnessToPay);
		let dominance: PairwiseRow['dominance'] = 'tradeoff';
		if (o.id === ref.id) dominance = 'reference';
		else if (dc <= 0 && de >= 0) dominance = 'dominant';
		else if (dc >= 0 && de <= 0) dominance = 'dominated';
		return {
			id: o.id,
			cost: o.cost,
			effect: o.effect,
			incrementalCost: dc,
			incrementalEffect: de,
			icer: o.id === ref.id || de === 0 ? null : dc / de,
			dominance,
			netMonetaryBenefit: nmb,
			incrementalNetMonetaryBenefit: nmb - nmbRef
		};
	});
}

/** NMB = willingness to pay x effect - cost. */
export function netMonetaryBenefit(cost: number, effect: number, willingnessToPay: number): number {
	return willingnessToPay * effect - cost;
}
