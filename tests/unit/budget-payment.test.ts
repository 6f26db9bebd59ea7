/**
 * Payment models for the one-off therapy. Expected values are hand-computed from the fixture's
 * closed forms (geometric survival and failure), or checked by an independent path (re-running
 * the cohort model at the capped price and recomputing the ICER with incrementalAnalysis).
 */
import { describe, expect, it } from 'vitest';
import { compile, incrementalAnalysis, run } from '../../src/lib/engine';
import { failureCurve, instalment, parseBudgetSettings, runBudget } from '../../src/lib/engine/budget';
import { fixtureModel, fixtureSettings, type FixtureOptions } from './budget-fixtures';

const close = (a: number, b: number, rel = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));

function paymentRun(model: FixtureOptions, payment: Record<string, unknown> = {}) {
	const cm = compile(fixtureModel(model));
	return runBudget(
		cm,
		parseBudgetSettings(
			fixtureSettings({
				uptake: { current: { shares: { dmt: [1] } }, new: { shares: { cell: [1] } } },
				payment: {
					strategy: 'cell',
					comparator: 'dmt',
					priceCategory: 'therapy',
					failureStates: ['failed'],
					instalmentYears: 5,
					instalmentRate: 0,
					refundShare: 1,
					outcomeWindowYears: 3,
					...payment
				}
			})
		)
	);
}
const model = (r: ReturnType<typeof paymentRun>, id: string) => r.payment!.models.find((m) => m.id === id)!;

describe('instalments', () => {
	it('undiscounted instalments sum to the upfront price when nobody dies or fails', () => {
		const r = paymentRun({ price: 60000 });
		const m = model(r, 'instalments');
		expect(Array.from(m.schedule)).toEqual([12000, 12000, 12000, 12000, 12000]);
		close(m.totalPaid, 60000);
		close(model(r, 'outcome-instalments').totalPaid, 60000);
		close(model(r, 'upfront').totalPaid, 60000);
	});
	it('with a payer rate, the instalments discounted at that rate are worth the price', () => {
		const a = instalment(60000, 0.035, 5);
		let pv = 0;
		for (let j = 0; j < 5; j++) pv += a / Math.pow(1.035, j);
		close(pv, 60000);
		// and at the model's own discount rate the ICER is unchanged from upfront payment
		const r = paymentRun({ price: 60000, discount: 0.035 }, { instalmentRate: 0.035 });
		close(model(r, 'instalments').icer!, model(r, 'upfront').icer!);
	});
	it('stop when the patient dies: expected payment in year j is the instalment times survival', () => {
		const r = paymentRun({ price: 50000, pDeath: 0.2 });
		const m = model(r, 'instalments');
		// 10000 a year x 0.8^j alive at the start of year j
		for (let j = 0; j < 5; j++) close(m.schedule[j], 10000 * Math.pow(0.8, j));
		close(m.totalPaid, 10000 * (1 - Math.pow(0.8, 5)) / 0.2);
	});
});

describe('outcome-based agreements', () => {
	// well -> failed 0.1 a year, well -> dead 0.02, failed -> dead 0.05 (failed patients may die)
	const opts = { price: 50000, pFail: 0.1, pDeath: 0.02, pDeathFailed: 0.05 };
	// P(failed by year 3) = 0.1 (1 + 0.88 + 0.88^2) = 0.26544 (hand computation)
	const F3 = 0.1 * (1 + 0.88 + 0.88 * 0.88);
	it('the failure curve counts patients who failed and then died', () => {
		const f = failureCurve(compile(fixtureModel(opts)), 'cell', ['failed'], 5);
		close(f.failed[1], 0.1);
		close(f.failed[2], 0.1 + 0.088);
		close(f.failed[3], F3);
		close(f.aliveNotFailed[3], Math.pow(0.88, 3));
	});
	it('the failure curve handles a complement "C" into a failure state and a start in it', () => {
		const m = fixtureModel();
		const cell = m.strategies[1];
		cell.transitions.well = { well: 0.85, dead: 0.05, failed: 'C' };
		cell.start = { well: 0.8, failed: 0.2 };
		const f = failureCurve(compile(m), 'cell', ['failed'], 3);
		// 20% failed at start; of the 80% well, 10% a year fail (the complement)
		close(f.failed[0], 0.2);
		close(f.failed[1], 0.2 + 0.8 * 0.1);
		close(f.failed[2], 0.2 + 0.8 * 0.1 + 0.8 * 0.85 * 0.1);
	});
	it('refunds equal price times the failure probability (full refund within 3 years)', () => {
		const m = model(paymentRun(opts), 'outcome-refund');
		close(m.expectedRefund, 50000 * F3);
		close(m.totalPaid, 50000 * (1 - F3));
		// refund of year j = price x P(fail in year j)
		close(m.schedule[0], 50000 - 50000 * 0.1);
		close(m.schedule[1], -50000 * 0.088);
		close(m.schedule[2], -50000 * 0.1 * 0.88 * 0.88);
		expect(m.schedule[3]).toBe(0);
	});
	it('refunds paid by budget year: each year\'s new patients times the refund of their year since treatment', () => {
		// no deaths: F(j) = 1 - 0.9^j, so the refund per patient in year j < 3 is 50000 x 0.1 x 0.9^j
		const m = model(paymentRun({ price: 50000, pFail: 0.1 }), 'outcome-refund');
		const r = [5000, 4500, 4050];
		// 110 patients treated in budget year 1, 10 in each later year (fixture population)
		const expected = [110 * r[0], 110 * r[1] + 10 * r[0], 110 * r[2] + 10 * r[1] + 10 * r[0], 10 * (r[2] + r[1] + r[0]), 10 * (r[2] + r[1] + r[0])];
		expected.forEach((v, t) => close(m.refundsPaid[t], v));
		expect(Array.from(model(paymentRun({ price: 50000, pFail: 0.1 }), 'upfront').refundsPaid)).toEqual([0, 0, 0, 0, 0]);
	});
	it('a partial refund schedule applies per year of failure', () => {
		const m = model(paymentRun(opts, { refundShare: [1, 0.5, 0.25] }), 'outcome-refund');
		close(m.expectedRefund, 50000 * (0.1 + 0.5 * 0.088 + 0.25 * 0.1 * 0.88 * 0.88));
	});
	it('stopped instalments are paid while alive and not failed', () => {
		const m = model(paymentRun(opts), 'outcome-instalments');
		for (let j = 0; j < 5; j++) close(m.schedule[j], 10000 * Math.pow(0.88, j));
	});
});

describe('price cap per QALY', () => {
	it('is the price at which the ICER versus the comparator equals the cap', () => {
		const opts = { price: 500000, pFail: 0.02, pDeath: 0.02, discount: 0.035 };
		const r = paymentRun(opts, { priceCapPerQaly: 30000 });
		const cap = model(r, 'price-cap');
		expect(cap.price).toBeLessThan(500000);
		// independent path: run the cohort model at the capped price, ICER by incrementalAnalysis
		const check = run(compile(fixtureModel({ ...opts, price: cap.price })));
		const rows = incrementalAnalysis(check.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly })));
		close(rows.find((x) => x.id === 'cell')!.icer!, 30000, 1e-9);
		// upfront's max price at the cap is the same price
		close(model(r, 'upfront').maxPriceAtCap!, cap.price);
	});
	it('payment models change the budget impact: instalments spread the cost', () => {
		const r = paymentRun({ price: 50000 });
		const up = model(r, 'upfront');
		const inst = model(r, 'instalments');
		// new world: all cell therapy (110 in year 1, 10 a year after); current: all DMT at 1000 a year
		// upfront: year 1 = 110 x 50000 - 110 x 1000
		close(up.incremental[0], 110 * 50000 - 110 * 1000);
		// instalments: year 1 = 110 x 10000 - 110 x 1000; year 2 = (110 + 10) x 10000 - 120 x 1000
		close(inst.incremental[0], 110 * 10000 - 110 * 1000);
		close(inst.incremental[1], 120 * 10000 - 120 * 1000);
		// instalments still due after year 5 for the 10 patients treated in each of years 2-5:
		// 10 x 10000 x (1 + 2 + 3 + 4) = 1 000 000; nothing is due after upfront payment
		close(inst.dueAfterHorizon, 1000000);
		expect(up.dueAfterHorizon).toBe(0);
	});
});
