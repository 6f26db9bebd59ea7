/**
 * Payment models for a one-off therapy whose benefit lasts for years: how the payer's cash flow,
 * the total paid, the ICER and the budget change when the price is paid
 *  - upfront, at treatment;
 *  - in k yearly instalments, the first at treatment (the therapy has been delivered, even if the
 *    patient then dies of it), later ones only while the patient is alive; with a
 *    payer rate r the instalment is the annuity-due a = P r / ((1 + r)(1 - (1 + r)^-k)), so that
 *    the instalments discounted at r are worth P (r = 0: a = P / k);
 *  - outcome-based, refund: paid upfront; if the therapy fails in year j < window, a share of the
 *    price is refunded (expected refund in year j = P x share_j x (F(j+1) - F(j)), F the
 *    probability of having failed, so with a full refund the total is P x F(window));
 *  - outcome-based, instalments: instalments stop when the therapy fails or the patient dies;
 *  - price cap per QALY: the price at which the ICER versus the comparator equals the cap, paid
 *    upfront when below the list price (value-based price; NICE's threshold logic).
 * The schedules are expected payments per patient treated, by year since treatment (index 0 = at
 * treatment). Because every schedule is linear in the price, the price at which a payment model's
 * ICER equals the cap has a closed form: P* = (cap x dQALY - dCost without the price) / PV per unit
 * price.
 */
import type { FailureCurve } from './failure';

export type PaymentModelId = 'upfront' | 'instalments' | 'outcome-refund' | 'outcome-instalments' | 'price-cap';

export interface PaymentInput {
	/** list price per patient */
	price: number;
	/** the one-off cost the model already charges at model start in the price category */
	oneOffInModel: number;
	/** alive[j], j = 0..Y: share alive at the start of year-since-treatment j */
	alive: Float64Array;
	failure: FailureCurve;
	instalmentYears: number;
	instalmentRate: number;
	/** refund share by year of failure (last value carries on) */
	refundShare: number | number[];
	outcomeWindowYears: number;
	priceCapPerQaly: number;
	/** the model's discount rate for costs (for the ICER) */
	costDiscountRate: number;
	/** discounted totals per patient from the model run (the one-off therapy with the model's one-off cost) */
	strategy: { cost: number; qaly: number };
	comparator: { cost: number; qaly: number };
}

export interface PaymentResult {
	id: PaymentModelId;
	label: string;
	/** the price the schedule is built on (the capped price for price-cap) */
	price: number;
	/** expected payer cash flow per patient treated, by year since treatment (refunds negative) */
	schedule: Float64Array;
	/** expected refunds to the payer per patient treated, by year since treatment (positive; zero but for outcome-refund) */
	refunds: Float64Array;
	/** undiscounted sum of the schedule (net of refunds) */
	totalPaid: number;
	/** expected refunds, undiscounted, as a positive amount */
	expectedRefund: number;
	/** schedule discounted at the model's cost discount rate (payments at the start of each year) */
	presentValue: number;
	/** the one-off strategy's discounted cost per patient with this payment model */
	cost: number;
	incrementalCost: number;
	incrementalQaly: number;
	/** null when the QALY gain is 0 */
	icer: number | null;
	/** the list price at which this payment model's ICER equals the cap (null if no QALY gain) */
	maxPriceAtCap: number | null;
}

/**
 * Annuity-due instalment: k payments at the start of each year worth `price` at `rate`,
 * a = P r / ((1 + r)(1 - (1 + r)^-k)); r = 0: a = P / k.
 * @example instalment(60000, 0, 5) // 12000
 */
export function instalment(price: number, rate: number, years: number): number {
	if (rate === 0) return price / years;
	return (price * rate) / ((1 + rate) * (1 - Math.pow(1 + rate, -years)));
}

interface ScheduleBuilder {
	id: PaymentModelId;
	label: string;
	/** the price the schedule is built on */
	price: number;
	/** expected net payment per patient treated by year since treatment, for a price p */
	build: (p: number) => Float64Array;
	/** expected refunds to the payer per patient treated by year since treatment (positive) */
	refunds?: (p: number) => Float64Array;
}

/** An upfront schedule: p at treatment, nothing later (Y years). */
function upfront(p: number, Y: number): Float64Array {
	const s = new Float64Array(Y);
	s[0] = p;
	return s;
}

/**
 * The five schedules of a payment comparison. Instalments: a at treatment, then a x S(j) for
 * 1 <= j < k (annuity due, `instalment`); outcome-based refund: p at treatment minus
 * refund_j = p x share_j x (F(j+1) - F(j)) for j < window (failures present at treatment count
 * in year 0); outcome-based instalments: a x (alive and not failed)(j).
 */
function scheduleBuilders(input: PaymentInput, capPrice: number, qalyGain: number): ScheduleBuilder[] {
	const years = input.alive.length - 1;
	const instalmentYears = Math.min(input.instalmentYears, years);
	const failed = input.failure.failed;
	const shareAt = (j: number) =>
		Array.isArray(input.refundShare) ? input.refundShare[Math.min(j, input.refundShare.length - 1)] : input.refundShare;
	const refunds = (p: number) => {
		const r = new Float64Array(years);
		const w = Math.min(input.outcomeWindowYears, years);
		for (let j = 0; j < w; j++) r[j] = p * shareAt(j) * (failed[j + 1] - (j === 0 ? 0 : failed[j]));
		return r;
	};
	const instalments = (p: number, share: Float64Array) => {
		const a = instalment(p, input.instalmentRate, instalmentYears);
		const s = new Float64Array(years);
		s[0] = a;
		for (let j = 1; j < instalmentYears; j++) s[j] = a * share[j];
		return s;
	};
	return [
		{ id: 'upfront', label: 'Upfront payment at treatment', price: input.price, build: (p) => upfront(p, years) },
		{
			id: 'instalments',
			label: `${instalmentYears} yearly instalments${input.instalmentRate > 0 ? ` at ${round(input.instalmentRate * 100)}%` : ''}, stopping at death`,
			price: input.price,
			build: (p) => instalments(p, input.alive)
		},
		{
			id: 'outcome-refund',
			label: `Outcome-based: refund if the therapy fails within ${input.outcomeWindowYears} years`,
			price: input.price,
			build: (p) => {
				const s = upfront(p, years);
				const r = refunds(p);
				for (let j = 0; j < years; j++) s[j] -= r[j];
				return s;
			},
			refunds
		},
		{
			id: 'outcome-instalments',
			label: `Outcome-based: ${instalmentYears} yearly instalments, stopping at failure or death`,
			price: input.price,
			build: (p) => instalments(p, input.failure.aliveNotFailed)
		},
		{
			id: 'price-cap',
			label: 'Price capped where the ICER meets the price cap per QALY, upfront',
			price: qalyGain > 0 ? Math.min(input.price, capPrice) : input.price,
			build: (p) => upfront(p, years)
		}
	];
}

/**
 * Each payment model's schedule, total paid, expected refund, present value and ICER.
 * PV = sum_j schedule_j / (1 + r)^j at the model's cost discount rate r; the strategy's cost is
 * the model's cost without the one-off price plus PV; maxPriceAtCap = (cap x dQALY - (dCost
 * without the price)) / PV per unit price.
 * @example
 * // price 60 000 (the model's one-off cost), alive [1, 0.9, 0.8, 0.7], failed by year [0, 0.1, 0.2, 0.3],
 * // 3 instalments at 0%, full refund within 2 years, cap 30 000 per QALY, undiscounted,
 * // one-off 70 000 and 10 QALYs vs comparator 40 000 and 9 QALYs
 * const [upfront, instalments, refund] = paymentModels(input);
 * upfront.icer;             // 30000 = (70000 - 40000) / 1
 * instalments.schedule;     // [20000, 18000, 16000]: 20 000 x alive; ICER 24000
 * refund.schedule;          // [54000, -6000, 0]: 60 000 x (0.1 - 0) and x (0.2 - 0.1) refunded; total 48 000 = P (1 - F(2))
 * instalments.maxPriceAtCap; // 66666.67 = (30000 x 1 + 30000) / 0.9, 0.9 = PV of the schedule per unit price
 */
export function paymentModels(input: PaymentInput): PaymentResult[] {
	const qalyGain = input.strategy.qaly - input.comparator.qaly;
	const costWithoutPrice = input.strategy.cost - input.oneOffInModel;
	const presentValueOf = (s: Float64Array) => {
		let v = 0;
		for (let j = 0; j < s.length; j++) v += s[j] / Math.pow(1 + input.costDiscountRate, j);
		return v;
	};
	// the price at which upfront payment meets the cap
	const capPrice = qalyGain > 0 ? Math.max(0, input.priceCapPerQaly * qalyGain - (costWithoutPrice - input.comparator.cost)) : 0;

	return scheduleBuilders(input, capPrice, qalyGain).map(({ id, label, build, refunds, price }) => {
		const schedule = build(price);
		let totalPaid = 0;
		let expectedRefund = 0;
		for (let j = 0; j < schedule.length; j++) totalPaid += schedule[j];
		if (id === 'outcome-refund') expectedRefund = price - totalPaid;
		const presentValue = presentValueOf(schedule);
		const cost = costWithoutPrice + presentValue;
		const incrementalCost = cost - input.comparator.cost;
		const perUnit = presentValueOf(build(1));
		const maxPriceAtCap =
			qalyGain > 0 && perUnit > 0 ? (input.priceCapPerQaly * qalyGain - (costWithoutPrice - input.comparator.cost)) / perUnit : null;
		return {
			id,
			label,
			price,
			schedule,
			refunds: refunds ? refunds(price) : new Float64Array(schedule.length),
			totalPaid,
			expectedRefund,
			presentValue,
			cost,
			incrementalCost,
			incrementalQaly: qalyGain,
			icer: qalyGain !== 0 ? incrementalCost / qalyGain : null,
			maxPriceAtCap: id === 'price-cap' ? (qalyGain > 0 ? capPrice : null) : maxPriceAtCap
		};
	});
}

function round(v: number): string {
	return String(Math.round(v * 100) / 100);
}
