/**
 * `model budget <file> --iterations N --seed S [--json]`: the budget impact and each payment
 * model over the model's PSA draws (the draws of `model psa` with the same seed), printed as the
 * base case, the mean and the 95% interval (2.5th to 97.5th percentiles) per year, and the
 * probability that the cumulative budget impact is a saving by each year.
 */
import { summariseBudgetPsa, type BudgetPsaResult, type BudgetPsaSummary, type SeriesSummary } from '../lib/engine';
import { formatMoney, table } from './io';

/** P formatted with three decimals: 0.975 */
function probability(p: number): string {
	return Number.isFinite(p) ? p.toFixed(3) : '-';
}

/** The columns base case, mean, 2.5%, 97.5% of one yearly figure in year t. */
function intervalCells(s: SeriesSummary, t: number, currency: string): string[] {
	return [formatMoney(s.deterministic[t], currency), formatMoney(s.mean[t], currency), formatMoney(s.lower[t], currency), formatMoney(s.upper[t], currency)];
}

function intervalHeader(what: string, currency: string): string[] {
	return [`${what}: base case (${currency})`, `mean (${currency})`, `2.5% (${currency})`, `97.5% (${currency})`];
}

/**
 * The uncertainty tables as text: the budget impact by year and, for each payment model, its
 * net cash flow (budget impact with that model), cumulative, probability of saving and refunds.
 * @example budgetPsaText(runBudgetPsa(compiled, settings, { iterations: 1000, seed: 1 }))
 */
export function budgetPsaText(r: BudgetPsaResult, s: BudgetPsaSummary = summariseBudgetPsa(r)): string {
	const cur = r.currency;
	const years = Array.from({ length: r.years }, (_, t) => t);
	const lines = [
		`Budget impact under uncertainty: ${r.iterations.toLocaleString('en-GB')} iterations of the model's PSA (seed ${r.seed}; ${r.parameterIds.length} parameters drawn${r.heldFixed.length ? `, ${r.heldFixed.length} held at a scenario or --set value` : ''}${r.redrawn ? `, ${r.redrawn} invalid draws redrawn` : ''}).`,
		`Mean and 95% interval (2.5th to 97.5th percentiles) over the iterations; base case = the deterministic budget. Population, uptake and capacity are not drawn.`,
		`P(saving) = share of iterations in which the cumulative budget impact (new minus current world) is below 0 by that year. ${cur}, price year ${r.priceYear}${r.discountRate > 0 ? `, discounted at ${Number((r.discountRate * 100).toFixed(4))}% a year` : ', undiscounted'}.`,
		'',
		table(
			['Year', ...intervalHeader('Budget impact', cur), ...intervalHeader('Cumulative', cur), 'P(saving)'],
			years.map((t) => [String(t + 1), ...intervalCells(s.incremental, t, cur), ...intervalCells(s.cumulativeIncremental, t, cur), probability(s.probabilitySaving[t])])
		)
	];
	for (const m of s.payment) {
		const refunds = m.refundsPaid.upper.some((v) => v !== 0) || m.refundsPaid.deterministic.some((v) => v !== 0);
		lines.push(
			'',
			`${m.label} (${m.id}): net cash flow = budget impact with this payment model${refunds ? '; refunds paid to the payer for the new world\'s patients' : ''}`,
			table(
				['Year', ...intervalHeader('Net cash flow', cur), ...intervalHeader('Cumulative', cur), 'P(saving)', ...(refunds ? intervalHeader('Refunds', cur) : [])],
				years.map((t) => [
					String(t + 1),
					...intervalCells(m.incremental, t, cur),
					...intervalCells(m.cumulativeIncremental, t, cur),
					probability(m.probabilitySaving[t]),
					...(refunds ? intervalCells(m.refundsPaid, t, cur) : [])
				])
			)
		);
	}
	return lines.join('\n');
}

const list = (a: Float64Array) => Array.from(a);
const summaryJson = (s: SeriesSummary) => ({ baseCase: list(s.deterministic), mean: list(s.mean), lower: list(s.lower), upper: list(s.upper) });
/** Rows of a per-iteration series: one array of yearly values per iteration. */
const rowsOf = (a: Float64Array, T: number) => Array.from({ length: a.length / T }, (_, i) => list(a.subarray(i * T, (i + 1) * T)));

/**
 * Everything the text shows, and each iteration's yearly figures, for `--json`.
 * @example JSON.stringify(budgetPsaJson(result))
 */
export function budgetPsaJson(r: BudgetPsaResult, s: BudgetPsaSummary = summariseBudgetPsa(r)) {
	const T = r.years;
	return {
		iterations: r.iterations,
		seed: r.seed,
		level: s.level,
		interval: '2.5th to 97.5th percentiles over the iterations',
		parametersDrawn: r.parameterIds,
		heldFixed: r.heldFixed,
		redrawn: r.redrawn,
		current: summaryJson(s.current),
		new: summaryJson(s.new),
		incremental: summaryJson(s.incremental),
		cumulativeIncremental: summaryJson(s.cumulativeIncremental),
		probabilitySaving: list(s.probabilitySaving),
		payment: s.payment.map((m) => ({
			id: m.id,
			label: m.label,
			netCashFlow: summaryJson(m.incremental),
			cumulativeNetCashFlow: summaryJson(m.cumulativeIncremental),
			refundsPaid: summaryJson(m.refundsPaid),
			probabilitySaving: list(m.probabilitySaving)
		})),
		perIteration: {
			current: rowsOf(r.perIteration.current, T),
			new: rowsOf(r.perIteration.new, T),
			incremental: rowsOf(r.perIteration.incremental, T),
			cumulativeIncremental: rowsOf(r.perIteration.cumulativeIncremental, T),
			payment: r.perIteration.payment.map((m) => ({
				id: m.id,
				netCashFlow: rowsOf(m.incremental, T),
				cumulativeNetCashFlow: rowsOf(m.cumulativeIncremental, T),
				refundsPaid: rowsOf(m.refundsPaid, T)
			}))
		}
	};
}
