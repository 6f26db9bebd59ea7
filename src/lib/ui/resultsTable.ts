/**
 * The incremental results table from a deterministic run: discounted costs, QALYs and life
 * years per strategy, the frontier analysis (dominance, extended dominance, ICERs between
 * neighbours; engine/decide/incremental.ts) and net monetary benefit at the willingness-to-pay.
 * The CSV download and the page both use these rows, so their figures agree.
 */
// relative, so the command line (which has no $lib alias) can build the same rows
import { incrementalAnalysis, netMonetaryBenefit, type IcerStatus, type RunResult } from '../engine';

export interface ResultRow {
	id: string;
	label: string;
	cost: number;
	qaly: number;
	lifeYears: number;
	incrementalCost: number | null;
	incrementalQaly: number | null;
	incrementalLifeYears: number | null;
	icer: number | null;
	status: IcerStatus;
	comparator: string | null;
	dominatedBy: string | null;
	netMonetaryBenefit: number;
}

export const STATUS_TEXT: Record<IcerStatus, string> = {
	reference: 'Reference (least costly)',
	frontier: 'On frontier',
	dominated: 'Dominated',
	'extendedly-dominated': 'Extendedly dominated'
};

export function resultRows(result: RunResult): ResultRow[] {
	const byId = new Map(result.strategies.map((s) => [s.id, s]));
	const inc = incrementalAnalysis(result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly })));
	const wtp = result.settings.willingnessToPay;
	return inc.map((r) => {
		const s = byId.get(r.id)!;
		const comp = r.comparator ? byId.get(r.comparator) : undefined;
		return {
			id: r.id,
			label: s.label,
			cost: s.discounted.cost,
			qaly: s.discounted.qaly,
			lifeYears: s.discounted.lifeYears,
			incrementalCost: r.incrementalCost,
			incrementalQaly: r.incrementalEffect,
			incrementalLifeYears: comp ? s.discounted.lifeYears - comp.discounted.lifeYears : null,
			icer: r.icer,
			status: r.status,
			comparator: r.comparator,
			dominatedBy: r.dominatedBy,
			netMonetaryBenefit: netMonetaryBenefit(s.discounted.cost, s.discounted.qaly, wtp)
		};
	});
}

export function labelOf(result: RunResult, id: string | null): string {
	if (!id) return '';
	return id
		.split('+')
		.map((part) => result.strategies.find((s) => s.id === part)?.label ?? part)
		.join(' and ');
}
