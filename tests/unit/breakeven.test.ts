/**
 * Break-even analysis: the grid against a closed form on a small model, against the threshold
 * search on models/ms.json, the payer's payback price, the price under uncertainty, and errors.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { breakeven, compile, compileJson, deterministicPayback, paybackPrice, psaBreakeven, run, runPsa, threshold, type ModelInput } from '../../src/lib/engine';

const given = { unit: 'u', group: 'g', assumption: 'test value' } as const;

/**
 * Two states (alive, dead), annual cycles, n = 20, end-of-cycle rewards, discount r = 3.5% on
 * costs and QALYs (δ = 1 / 1.035). "lifelong" dies with probability p each cycle and costs c
 * per year alive; "therapy" costs the price P once at the start (not discounted) and, while
 * model_time <= D (its durability), dies with probability 1 - (1 - p)^hr (applyHR).
 *
 * By hand, with q = 1 - p, q' = (1 - p)^hr, G(a, m) = sum_{k=1..m} a^k = a (1 - a^m) / (1 - a):
 *   lifelong alive at the end of cycle k: q^k, so
 *     C_l = c G(qδ, n),  Q_l = u G(qδ, n);
 *   therapy alive: q'^k for k <= D, then q'^D q^(k - D), so (for 0 <= D <= n)
 *     Q_t = u [G(q'δ, D) + (q'δ)^D G(qδ, n - D)],  C_t = P.
 *   INB(P) = λ (Q_t - Q_l) - (P - C_l) = 0 gives the break-even price
 *     P* = λ (Q_t - Q_l) + C_l   (a price when P* >= 0, else "not at any price").
 */
function closedFormModel(c = 4000): ModelInput {
	return {
		formatVersion: 1,
		id: 'breakeven-closed-form',
		title: 'Break-even closed form',
		description: 'Two states; the break-even price has a closed form.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 20,
		startAge: 40,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		cycleCorrection: 'end',
		willingnessToPay: 30000,
		costCategories: [{ id: 'drug', label: 'Drug' }],
		parameters: {
			p: { ...given, value: 0.1, kind: 'probability', description: 'death per cycle' },
			u: { ...given, value: 0.8, kind: 'utility', description: 'utility alive' },
			c: { ...given, value: c, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'lifelong drug per year' },
			price: { ...given, value: 20000, low: 5000, high: 80000, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'one-off price' },
			hr: { ...given, value: 0.6, low: 0.3, high: 1.5, kind: 'ratio', description: 'hazard ratio of death on therapy' },
			years: { ...given, value: 10, low: 0, high: 20, kind: 'duration', description: 'years the effect lasts' }
		},
		states: [
			{ id: 'alive', label: 'Alive', utility: 'u' },
			{ id: 'dead', label: 'Dead', utility: 0, dead: true }
		],
		strategies: [
			{
				id: 'lifelong',
				label: 'Lifelong',
				role: 'lifelong',
				start: { alive: 1 },
				transitions: { alive: { alive: 'C', dead: 'p' }, dead: { dead: 1 } },
				stateValues: { alive: { costs: { drug: 'c' } } }
			},
			{
				id: 'therapy',
				label: 'Therapy',
				role: 'one-off',
				levers: { price: 'price', efficacy: 'hr', durability: 'years' },
				start: { alive: 1 },
				transitions: { alive: { alive: 'C', dead: 'model_time <= years ? applyHR(p, hr) : p' }, dead: { dead: 1 } },
				startValues: { costs: { drug: 'price' } }
			}
		],
		comparison: { lifelong: 'lifelong' }
	};
}

function closedFormPrice(hr: number, D: number, { p = 0.1, u = 0.8, c = 4000, n = 20, r = 0.035, wtp = 30000 } = {}): number {
	const d = 1 / (1 + r);
	const G = (a: number, m: number) => (m <= 0 ? 0 : (a * (1 - a ** m)) / (1 - a));
	const q = 1 - p;
	const qt = (1 - p) ** hr;
	const Ql = u * G(q * d, n);
	const Cl = c * G(q * d, n);
	const Qt = u * (G(qt * d, D) + (qt * d) ** D * G(q * d, n - D));
	return wtp * (Qt - Ql) + Cl;
}

describe('break-even grid against the closed form', () => {
	const cm = compile(closedFormModel());
	const b = breakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', efficacy: { from: 0.3, to: 1.5, steps: 5 }, durability: { from: 0, to: 20, steps: 5 } });

	it('every grid point equals P* = λ ΔQ + C_l to the stated tolerance, or is "no price" where P* < 0', () => {
		expect(b.tolerance).toBe(0.01);
		[0.3, 0.6, 0.9, 1.2, 1.5].forEach((x, i) => expect(b.efficacyValues[i]).toBeCloseTo(x, 12));
		expect(b.durabilityValues).toEqual([0, 5, 10, 15, 20]);
		const seen = { price: 0, none: 0 };
		for (const row of b.grid)
			for (const pt of row) {
				const expected = closedFormPrice(pt.efficacy, pt.durability);
				if (expected >= 0) {
					seen.price++;
					expect(pt.status).toBe('price');
					expect(Math.abs(pt.price! - expected)).toBeLessThanOrEqual(b.tolerance);
				} else {
					seen.none++;
					expect(pt).toMatchObject({ status: 'no-price', price: null });
				}
			}
		expect(seen.price).toBeGreaterThan(15);
		expect(seen.none).toBeGreaterThan(0);
	});

	it('with no effect (durability 0) the break-even price is the lifelong cost saved', () => {
		expect(Math.abs(b.grid[0][2].price! - closedFormPrice(1, 0))).toBeLessThanOrEqual(0.01);
		expect(closedFormPrice(1, 0)).toBeCloseTo(4000 * ((0.9 / 1.035) * (1 - (0.9 / 1.035) ** 20)) / (1 - 0.9 / 1.035), 6);
	});

	it('"not at any price" when even a free therapy loses, with the closed form negative', () => {
		const cheap = compile(closedFormModel(0));
		const r = breakeven(cheap, { strategyId: 'therapy', comparatorId: 'lifelong', efficacy: { from: 1.2, to: 1.5, steps: 2 }, durability: { from: 10, to: 20, steps: 2 } });
		for (const row of r.grid)
			for (const pt of row) {
				expect(closedFormPrice(pt.efficacy, pt.durability, { c: 0 })).toBeLessThan(0);
				expect(pt).toMatchObject({ price: null, status: 'no-price' });
			}
	});

	it('"at any price" when the net benefit does not fall as the declared price rises', () => {
		// declare the comparator's yearly cost as the lever: a higher value only makes the therapy better
		const m = closedFormModel();
		m.strategies[1].levers = { price: 'c', efficacy: 'hr', durability: 'years' };
		const r = breakeven(compile(m), { strategyId: 'therapy', comparatorId: 'lifelong', efficacy: { from: 0.3, to: 0.6, steps: 2 }, durability: { from: 5, to: 10, steps: 2 } });
		expect(r.grid.flat().map((pt) => pt.status)).toEqual(['any-price', 'any-price', 'any-price', 'any-price']);
		expect(r.sentences[0]).toMatch(/Therapy is cost-effective against Lifelong at GBP 30,000 per QALY \(GBP, 2024 prices\) at any price\.$/);
	});

	it('minimum efficacy at today\'s price is the threshold on hr, and the sentences say so', () => {
		// at P = 20000, D = 10: solve P*(hr) = 20000 for hr on [0.3, 1.5] with the closed form by bisection
		let lo = 0.3;
		let hi = 1.5;
		for (let k = 0; k < 100; k++) {
			const mid = (lo + hi) / 2;
			if (closedFormPrice(mid, 10) > 20000) lo = mid;
			else hi = mid;
		}
		expect(b.minimumEfficacy.status).toBe('found');
		expect(b.minimumEfficacy.values[0]).toBeCloseTo(lo, 5);
		expect(b.sentences[1]).toBe(`At its price of GBP 20,000, Therapy breaks even with Lifelong when hr is ${Number(b.minimumEfficacy.values[0].toPrecision(4))}: it must be at most that to be cost-effective.`);
		expect(b.current.price! - closedFormPrice(0.6, 10)).toBeLessThanOrEqual(0.01);
	});

	it('errors: a strategy without levers names what is missing; bad axes name the axis', () => {
		expect(() => breakeven(cm, { strategyId: 'lifelong', comparatorId: 'therapy' })).toThrowError(
			'strategy "lifelong" declares no levers: break-even analysis needs strategies.lifelong.levers with its price, efficacy and durability parameters'
		);
		expect(() => breakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', efficacy: { from: 1, to: 0.5, steps: 3 } })).toThrowError(/efficacy range must go from low to high/);
		expect(() => breakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', durability: { from: NaN, to: 5, steps: 3 } })).toThrowError(/durability range must be two numbers/);
	});
});

describe('break-even on models/ms.json against the threshold search', () => {
	const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
	const b = breakeven(ms, { strategyId: 'hesc', comparatorId: 'lifelong-dmt', willingnessToPay: 20000, steps: 4 });
	it('three grid points equal `threshold` on c_hesc at the same efficacy and durability, to the tolerance', () => {
		for (const [j, i] of [
			[0, 0],
			[1, 2],
			[3, 3]
		]) {
			const pt = b.grid[j][i];
			expect(pt.status).toBe('price');
			const t = threshold(ms, {
				parameter: 'c_hesc',
				strategyId: 'hesc',
				comparatorId: 'lifelong-dmt',
				willingnessToPay: 20000,
				range: [0, 1e6],
				tolerance: b.tolerance,
				options: { parameters: { hr_prog_hesc: pt.efficacy, hesc_effect_years: pt.durability } }
			});
			expect(t.thresholds).toHaveLength(1);
			expect(Math.abs(t.thresholds[0] - pt.price!)).toBeLessThanOrEqual(b.tolerance);
		}
	});
	it('declares its levers with their units', () => {
		expect(b.levers.price).toMatchObject({ id: 'c_hesc', value: ms.model.parameters.c_hesc.value });
		expect(b.levers.efficacy.id).toBe('hr_prog_hesc');
		expect(b.levers.durability).toMatchObject({ id: 'hesc_effect_years', unit: 'years' });
	});
});

describe("payer's view: the price that pays back within N years", () => {
	const cm = compile(closedFormModel());
	it('at that price the payback year is N; by hand, P = c G(qδ, N) (the lifelong cost saved by year N)', () => {
		const r = paybackPrice(cm, { strategyId: 'therapy', comparatorId: 'lifelong', years: 8 });
		const d = 1 / 1.035;
		const byHand = (4000 * (0.9 * d * (1 - (0.9 * d) ** 8))) / (1 - 0.9 * d);
		expect(r.status).toBe('price');
		expect(Math.abs(r.price! - byHand)).toBeLessThanOrEqual(r.tolerance);
		const p = deterministicPayback(run(cm, { parameters: { price: r.price! } }), { oneOffId: 'therapy', lifelongId: 'lifelong' });
		expect(p.years).toBeCloseTo(8, 4);
		expect(r.sentence).toMatch(/^Therapy pays for itself against Lifelong within 8 years \(cumulative discounted cost per patient\) at a price up to GBP [\d,]+ per patient \(GBP, 2024 prices\); its price is GBP 20,000\.$/);
	});
	it('only a free therapy pays back when the comparator costs nothing; years outside the horizon are an error', () => {
		const free = paybackPrice(compile(closedFormModel(0)), { strategyId: 'therapy', comparatorId: 'lifelong', years: 5 });
		expect(free.status).toBe('price');
		expect(free.price!).toBeLessThanOrEqual(free.tolerance);
		expect(() => paybackPrice(cm, { strategyId: 'therapy', comparatorId: 'lifelong', years: 30 })).toThrowError(/at most the horizon \(20 years\)/);
	});
});

describe('break-even price under uncertainty', () => {
	it('at the 50% and 80% prices, a PSA with the price held there has P(INB >= 0) of at least 50% and 80%', () => {
		const m = closedFormModel();
		m.parameters.hr = { ...m.parameters.hr, distribution: { type: 'lognormal', fromRange: true } };
		m.parameters.p = { ...m.parameters.p, distribution: { type: 'beta', se: 0.02 } };
		const cm = compile(m);
		const r = psaBreakeven(cm, { strategyId: 'therapy', comparatorId: 'lifelong', iterations: 400, seed: 7 });
		expect(r.linearityError).toBeLessThan(1e-9);
		expect(r.price80!).toBeLessThan(r.price50!);
		// independent check: PSAs with the price held at each answer (and one unit above it)
		const share = (price: number) => {
			const x = runPsa(cm, { iterations: 400, seed: 7, options: { parameters: { price } } });
			let ok = 0;
			for (let i = 0; i < x.iterations; i++) if (30000 * (x.qaly[2 * i + 1] - x.qaly[2 * i]) - (x.cost[2 * i + 1] - x.cost[2 * i]) >= -1e-6) ok++;
			return ok / x.iterations;
		};
		expect(share(r.price50!)).toBeGreaterThanOrEqual(0.5);
		expect(share(r.price50! + 1)).toBeLessThan(0.5 + 1 / 400 + 1e-12);
		expect(share(r.price80!)).toBeGreaterThanOrEqual(0.8);
		expect(share(r.price80! + 1)).toBeLessThan(0.8 + 1e-12);
	});
});
