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

/** Relative tolerance of the dominance comparisons, so rounding does not decide a tie. */
const EPS = 1e-12;

/** A strategy's outcome with its position in the caller's list (the tie-break of last resort). */
type Ranked = Outcome & { position: number };

/**
 * Incremental analysis of strategies by cost and effect, in four named steps: order by cost,
 * remove strongly dominated strategies, remove extendedly dominated ones, then the ICER of each
 * frontier strategy against the one before it, ICER = (C_j - C_{j-1}) / (E_j - E_{j-1}). The rows
 * come back in cost order; the cheapest frontier strategy is the reference.
 *
 * @example
 * incrementalAnalysis([
 * 	{ id: 'a', cost: 1000, effect: 1 },
 * 	{ id: 'b', cost: 3000, effect: 2 },
 * 	{ id: 'c', cost: 4000, effect: 1.5 }
 * ]).map((row) => [row.id, row.status, row.icer]) // [['a', 'reference', null], ['b', 'frontier', 2000], ['c', 'dominated', null]]
 */
export function incrementalAnalysis(outcomes: Outcome[]): IncrementalRow[] {
	const sorted = orderByCost(outcomes);
	const status = new Map<string, IcerStatus>();
	const dominatedBy = new Map<string, string>();
	removeStronglyDominated(sorted, status, dominatedBy);
	const frontier = removeExtendedlyDominated(
		sorted.filter((strategy) => !status.has(strategy.id)),
		status,
		dominatedBy
	);
	const rows = frontierRows(frontier);
	return sorted.map(
		(strategy) =>
			rows.get(strategy.id) ?? {
				id: strategy.id,
				cost: strategy.cost,
				effect: strategy.effect,
				incrementalCost: null,
				incrementalEffect: null,
				icer: null,
				comparator: null,
				status: status.get(strategy.id) as IcerStatus,
				dominatedBy: dominatedBy.get(strategy.id) ?? null
			}
	);
}

/** Step 1: by cost, ties more effective first, then in the caller's order. */
function orderByCost(outcomes: Outcome[]): Ranked[] {
	return outcomes
		.map((outcome, position) => ({ ...outcome, position }))
		.sort((first, second) => first.cost - second.cost || second.effect - first.effect || first.position - second.position);
}

/**
 * Step 2: a strategy is strongly dominated when another is no more costly and at least as
 * effective, and better on one of the two (or, equal on both, listed earlier).
 */
function removeStronglyDominated(sorted: Ranked[], status: Map<string, IcerStatus>, dominatedBy: Map<string, string>): void {
	for (const strategy of sorted) {
		const costTolerance = EPS * Math.max(1, Math.abs(strategy.cost));
		const effectTolerance = EPS * Math.max(1, Math.abs(strategy.effect));
		const dominant = sorted.find(
			(other) =>
				other !== strategy &&
				other.cost <= strategy.cost + costTolerance &&
				other.effect >= strategy.effect - effectTolerance &&
				(other.cost < strategy.cost - costTolerance || other.effect > strategy.effect + effectTolerance || other.position < strategy.position)
		);
		if (dominant) {
			status.set(strategy.id, 'dominated');
			dominatedBy.set(strategy.id, dominant.id);
		}
	}
}

/**
 * Step 3: on the frontier, a strategy whose ICER is higher than the next strategy's is
 * extendedly dominated (by a mix of its neighbours); removed one at a time until ICERs increase
 * along the frontier.
 */
function removeExtendedlyDominated(frontier: Ranked[], status: Map<string, IcerStatus>, dominatedBy: Map<string, string>): Ranked[] {
	for (;;) {
		let removed = false;
		for (let j = 1; j < frontier.length - 1; j++) {
			const previous = frontier[j - 1];
			const current = frontier[j];
			const next = frontier[j + 1];
			const icerCurrent = (current.cost - previous.cost) / (current.effect - previous.effect);
			const icerNext = (next.cost - current.cost) / (next.effect - current.effect);
			if (icerCurrent > icerNext) {
				status.set(current.id, 'extendedly-dominated');
				dominatedBy.set(current.id, `${previous.id}+${next.id}`);
				frontier = frontier.filter((strategy) => strategy !== current);
				removed = true;
				break;
			}
		}
		if (!removed) return frontier;
	}
}

/** Step 4: each frontier strategy against the one before it; the first is the reference. */
function frontierRows(frontier: Ranked[]): Map<string, IncrementalRow> {
	const rows = new Map<string, IncrementalRow>();
	frontier.forEach((strategy, j) => {
		const previous = j > 0 ? frontier[j - 1] : null;
		rows.set(strategy.id, {
			id: strategy.id,
			cost: strategy.cost,
			effect: strategy.effect,
			incrementalCost: previous ? strategy.cost - previous.cost : null,
			incrementalEffect: previous ? strategy.effect - previous.effect : null,
			icer: previous ? (strategy.cost - previous.cost) / (strategy.effect - previous.effect) : null,
			comparator: previous ? previous.id : null,
			status: j === 0 ? 'reference' : 'frontier',
			dominatedBy: null
		});
	});
	return rows;
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

/**
 * Every strategy against one chosen reference (BCEA's `ref`), with net monetary benefit:
 * incremental cost dC = C - C_ref, incremental effect dE = E - E_ref, ICER = dC / dE (none for
 * the reference or where dE = 0), NMB = wtp E - C and incremental NMB = NMB - NMB_ref.
 *
 * @example
 * pairwiseAnalysis([{ id: 'a', cost: 1000, effect: 1 }, { id: 'b', cost: 3000, effect: 2 }], 'a', 20000)[1]
 * // { id: 'b', incrementalCost: 2000, incrementalEffect: 1, icer: 2000, dominance: 'tradeoff', netMonetaryBenefit: 37000, incrementalNetMonetaryBenefit: 18000, ... }
 */
export function pairwiseAnalysis(outcomes: Outcome[], referenceId: string, willingnessToPay: number): PairwiseRow[] {
	const reference = outcomes.find((outcome) => outcome.id === referenceId);
	if (!reference) throw new Error(`no strategy "${referenceId}" to use as the reference`);
	const referenceBenefit = netMonetaryBenefit(reference.cost, reference.effect, willingnessToPay);
	return outcomes.map((outcome) => {
		const incrementalCost = outcome.cost - reference.cost;
		const incrementalEffect = outcome.effect - reference.effect;
		const benefit = netMonetaryBenefit(outcome.cost, outcome.effect, willingnessToPay);
		let dominance: PairwiseRow['dominance'] = 'tradeoff';
		if (outcome.id === reference.id) dominance = 'reference';
		else if (incrementalCost <= 0 && incrementalEffect >= 0) dominance = 'dominant';
		else if (incrementalCost >= 0 && incrementalEffect <= 0) dominance = 'dominated';
		return {
			id: outcome.id,
			cost: outcome.cost,
			effect: outcome.effect,
			incrementalCost,
			incrementalEffect,
			icer: outcome.id === reference.id || incrementalEffect === 0 ? null : incrementalCost / incrementalEffect,
			dominance,
			netMonetaryBenefit: benefit,
			incrementalNetMonetaryBenefit: benefit - referenceBenefit
		};
	});
}

/**
 * Net monetary benefit: NMB = willingness to pay x effect - cost (Stinnett & Mullahy 1998, Med
 * Decis Making 18(2 Suppl):S68-S80).
 *
 * @example
 * netMonetaryBenefit(3000, 2, 20000) // 37000
 */
export function netMonetaryBenefit(cost: number, effect: number, willingnessToPay: number): number {
	return willingnessToPay * effect - cost;
}
