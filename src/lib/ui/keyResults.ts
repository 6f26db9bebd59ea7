/**
 * The key results in words, computed from the incremental rows (never hand-written): which
 * strategy has the highest net monetary benefit at the willingness to pay, by how much, and the
 * ICER of each step along the cost-effectiveness frontier. NMB = WTP x QALYs - cost (Stinnett &
 * Mullahy 1998, Med Decis Making 18:S68-S80). Used by the page's headline and the report.
 */
import type { ResultRow } from './resultsTable';
import { icerText } from './icerLabel';

/**
 * @example nmbStatement(rows, 20000, fmt, label)
 * // ['At GBP 20,000 per QALY, No DMT has the highest net monetary benefit (GBP 98,149 per person).', ...]
 */
export function nmbStatement(rows: ResultRow[], willingnessToPay: number, fmt: (v: number) => string, label: (id: string) => string): string[] {
	const sorted = [...rows].sort((a, b) => b.netMonetaryBenefit - a.netMonetaryBenefit);
	const [best, next] = sorted;
	if (!best) return [];
	const out = [`At ${fmt(willingnessToPay)} per QALY, ${best.label} has the highest net monetary benefit (${fmt(best.netMonetaryBenefit)} per person).`];
	if (next) out.push(`The next best is ${next.label} (${fmt(next.netMonetaryBenefit)}), ${fmt(best.netMonetaryBenefit - next.netMonetaryBenefit)} less.`);
	for (const r of rows.filter((x) => x.status === 'frontier')) out.push(`${r.label} against ${label(r.comparator ?? '')}: ${icerText(r.incrementalCost, r.incrementalQaly, fmt)}.`);
	return out;
}
