/**
 * The refractory SLE model (models/sle.json): four strategies including a one-off CD19 CAR-T,
 * evidence recomputed from the published counts, the standard-care strategy reproduced by a
 * separate naive Markov implementation written here from the model's inputs, face validity
 * against published cohort figures, scenarios, and every CLI analysis run on it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { blocksOf, outputOf } from '../../scripts/docsFigures';
import { compileJson, run, type StrategyResult } from '../../src/lib/engine';
import type { Model } from '../../src/lib/engine/model/schema';

const file = 'models/sle.json';
const text = readFileSync(file, 'utf8');
const model = JSON.parse(text) as Model;
const compiled = compileJson(text);
const P = model.parameters;
const v = (id: string) => P[id].value!;
const CLI_TIMEOUT = 180_000;
const cli = (...args: string[]) => JSON.parse(execFileSync('npx', ['tsx', 'src/cli/main.ts', ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
const byId = (r: { strategies: StrategyResult[] }) => Object.fromEntries(r.strategies.map((s) => [s.id, s]));

describe('SLE model: structure and CLI run', () => {
	it('model run --json gives four strategies, one a one-off CAR-T with levers, in GBP', { timeout: CLI_TIMEOUT }, () => {
		const json = cli('run', file);
		expect(json.currency).toBe('GBP');
		expect(json.strategies.map((s: { id: string }) => s.id)).toEqual(['standard-care', 'belimumab', 'anifrolumab', 'cart']);
		for (const s of json.strategies) {
			expect(Number.isFinite(s.cost) && s.cost > 0).toBe(true);
			expect(s.qaly).toBeGreaterThan(5);
			expect(s.lifeYears).toBeGreaterThan(s.qaly);
		}
		expect(json.verdict).toBeDefined();
		const roles = Object.fromEntries(model.strategies.map((s) => [s.id, s.role]));
		expect(roles).toEqual({ 'standard-care': 'lifelong', belimumab: 'lifelong', anifrolumab: 'lifelong', cart: 'one-off' });
		expect(model.strategies.find((s) => s.id === 'cart')!.levers).toEqual({ price: 'c_cart_product', efficacy: 'p_response_cart', durability: 'cart_effect_years', efficacyDirection: 'higher-is-better' });
		expect(model.comparison).toEqual({ lifelong: 'belimumab', payback: { strategy: 'cart', comparator: 'belimumab' } });
	});

	it('NHS/PSS reference case: GBP 2024, 3.5% discounting, lifetime to age 100, UK life table reused from ms.json', () => {
		expect(model.discountRates).toEqual({ costs: 0.035, outcomes: 0.035 });
		expect([model.currency, model.priceYear]).toEqual(['GBP', 2024]);
		expect(model.startAge + model.horizon * model.cycleLength).toBe(100);
		const ms = JSON.parse(readFileSync('models/ms.json', 'utf8')) as Model;
		expect(model.lifeTables!.uk).toEqual(ms.lifeTables!.uk);
	});
});

describe('SLE model: inputs, ranges and distributions', () => {
	it('every cost given by value states GBP and a price year in its unit', () => {
		for (const [id, p] of Object.entries(P)) {
			if (p.kind !== 'cost' || p.value === undefined || p.group.startsWith('Structure')) continue;
			expect(p.unit, id).toMatch(/GBP/);
			expect(p.unit, id).toMatch(/price year (19|20)\d\d|price year not read/);
		}
	});

	it('every plain parameter has low <= value <= high and a distribution suited to its kind', () => {
		for (const [id, p] of Object.entries(P)) {
			expect(p.distribution, id).toBeDefined();
			if (p.value === undefined) continue;
			expect(p.low! <= p.value && p.value <= p.high!, `range of ${id}`).toBe(true);
			const type = p.distribution!.type;
			if (type === 'fixed') {
				expect(p.group.startsWith('Structure') || /Scenario lever|Fixed: a count/.test(`${p.assumption ?? ''} ${p.source?.location ?? ''}`), `fixed ${id}`).toBe(true);
				continue;
			}
			expect(p.high! > p.low!, `non-degenerate range of ${id}`).toBe(true);
			if (p.kind === 'probability' || p.kind === 'proportion' || p.kind === 'utility') expect(type, id).toBe('beta');
			if (p.kind === 'cost') expect(type, id).toBe('gamma');
			if (p.kind === 'ratio' && /hazard|odds|rate ratio|x general/.test(p.unit)) expect(type, id).toBe('lognormal');
		}
	});

	it('anifrolumab BICLA odds ratio and its Woolf interval are recomputed from the TULIP counts', () => {
		const [a, n1, c, n0] = [171, 360, 112, 366];
		const b = n1 - a, d = n0 - c;
		const or = (a * d) / (b * c);
		const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
		expect(v('or_lds_ani')).toBeCloseTo(or, 2);
		expect(P.or_lds_ani.low!).toBeCloseTo(Math.exp(Math.log(or) - 1.96 * se), 2);
		expect(P.or_lds_ani.high!).toBeCloseTo(Math.exp(Math.log(or) + 1.96 * se), 2);
		expect(P.or_lds_ani.source!.location).toMatch(/171\/360.*112\/366/);
	});

	it('belimumab inputs: LLDAS odds ratio is the geometric mean of the BLISS-52 and BLISS-76 ORs; 52 weekly pens at the TA752 list price', () => {
		expect(v('or_lds_bel')).toBeCloseTo(Math.sqrt(2.32 * 1.98), 2);
		expect([P.or_lds_bel.low, P.or_lds_bel.high]).toEqual([1.04, 4.71]);
		expect(v('c_bel_pen')).toBe(222.75);
		expect(run(compiled).parameters.c_bel_year).toBeCloseTo(52 * 222.75, 6);
		expect(v('p_lds_soc')).toBeCloseTo((0.058 + 0.078) / 2, 6);
	});

	it('CAR-T inputs match the Müller 2024 counts, and the response range is the Clopper-Pearson interval of 8/8', () => {
		expect(v('p_crs_any')).toBeCloseTo(11 / 15, 3);
		for (const id of ['p_crs_g2', 'p_icans', 'p_infection_cart']) expect(v(id), id).toBeCloseTo(1 / 15, 3);
		expect(P.p_response_cart.low).toBeCloseTo(0.025 ** (1 / 8), 2);
		expect(P.p_response_cart.high).toBe(1);
		// no invented certainty: the evidence-free CAR-T inputs are labelled assumptions
		for (const id of ['c_cart_product', 'p_relapse_cart', 'cart_effect_years', 'p_death_cart', 'share_retreat']) expect(P[id].assumption, id).toBeTruthy();
		expect(P.c_cart_product.assumption).toMatch(/282,000/);
		expect(P.c_cart_product.assumption).toMatch(/280,451/);
	});

	it('the LUCIE split preserves the published mean cost and ratio; the SMR split preserves the overall SMR', () => {
		const r = run(compiled).parameters;
		const s = v('lucie_share_severe');
		const infl = v('inflation_to_2024');
		expect(((1 - s) * r.c_lds + s * r.c_active) / infl).toBeCloseTo(3231, 6);
		expect(r.c_active / r.c_lds).toBeCloseTo(2.2, 9);
		const sd = v('share_damaged_cohort');
		expect(r.smr_no_damage * (1 - sd + sd * v('hr_death_damage'))).toBeCloseTo(2.4, 9);
	});
});

/** A separate naive Markov cohort for the standard-care strategy, from the model's inputs. */
function naiveStandardCare() {
	const pr = run(compiled).parameters; // expression parameters at cycle 1 (all but age-dependent ones are constant)
	const uk = model.lifeTables!.uk.qx;
	const fs = v('female_share');
	const rate = (p: number) => -Math.log(1 - p);
	const prob = (r: number) => 1 - Math.exp(-r);
	const odds = (p: number) => p / (1 - p);
	const gain = v('p_lds_soc'); // OR 1 under standard care
	const lose = v('p_flare_soc');
	const dA = pr.p_damage_active, dL = pr.p_damage_lds;
	const [A, L, AD, LD] = [0, 1, 2, 3];
	let x = [1 - v('share_damage_start'), 0, v('share_damage_start'), 0];
	const n = model.horizon;
	const util = [v('u_active'), v('u_lds'), v('u_active') * v('u_damage_mult'), v('u_lds') * v('u_damage_mult')];
	const cost = [pr.c_active, pr.c_lds, pr.c_active + v('c_damage_extra'), pr.c_lds + v('c_damage_extra')];
	let ly = 0, qaly = 0, c = 0;
	const add = (xs: number[], w: number, t: number) => {
		const d = 1 / 1.035 ** t;
		ly += w * xs.reduce((a, b) => a + b, 0);
		qaly += w * d * xs.reduce((a, xi, i) => a + xi * util[i], 0);
		c += w * d * xs.reduce((a, xi, i) => a + xi * cost[i], 0);
	};
	add(x, 0.5, 0);
	for (let k = 1; k <= n; k++) {
		const age = model.startAge + (k - 1);
		const qbg = fs * uk.female[Math.floor(age)] + (1 - fs) * uk.male[Math.floor(age)];
		const q0 = Math.min(1, prob(rate(qbg) * pr.smr_no_damage));
		const q1 = Math.min(1, prob(rate(qbg) * pr.smr_no_damage * v('hr_death_damage')));
		const next = [0, 0, 0, 0];
		const g = odds(gain) / (1 + odds(gain)); // applyOR with OR = 1
		next[AD] += x[A] * (1 - q0) * dA;
		next[L] += x[A] * (1 - q0) * (1 - dA) * g;
		next[A] += x[A] * (1 - q0) * (1 - dA) * (1 - g);
		next[LD] += x[L] * (1 - q0) * dL;
		next[A] += x[L] * (1 - q0) * (1 - dL) * lose;
		next[L] += x[L] * (1 - q0) * (1 - dL) * (1 - lose);
		next[LD] += x[AD] * (1 - q1) * g;
		next[AD] += x[AD] * (1 - q1) * (1 - g);
		next[AD] += x[LD] * (1 - q1) * lose;
		next[LD] += x[LD] * (1 - q1) * (1 - lose);
		x = next;
		add(x, k === n ? 0.5 : 1, k);
	}
	return { ly, qaly, c };
}

describe('SLE model: standard care reproduced by an independent naive Markov cohort', () => {
	it('undiscounted life years, discounted QALYs and costs agree to 1e-9 relative', () => {
		const ref = naiveStandardCare();
		const s = byId(run(compiled))['standard-care'];
		expect(s.undiscounted.lifeYears / ref.ly - 1).toBeCloseTo(0, 9);
		expect(s.discounted.qaly / ref.qaly - 1).toBeCloseTo(0, 9);
		expect(s.discounted.cost / ref.c - 1).toBeCloseTo(0, 9);
	});
});

/** Share of the living cohort in the given states at time point t. */
function shareAlive(result: ReturnType<typeof run>, strategy: string, states: string[], t: number): number {
	const s = byId(result)[strategy];
	const S = result.stateIds.length;
	let inStates = 0, alive = 0;
	result.stateIds.forEach((id, i) => {
		const x = s.trace[t * S + i];
		if (id !== 'dead') alive += x;
		if (states.includes(id)) inStates += x;
	});
	return inStates / alive;
}

describe('SLE model: face validity against published figures', () => {
	it('damage accrual: from 34.8% with damage at enrolment, the model at average activity gives 51.1% +/- 0.15 at 6 years (SLICC inception cohort, Bruce 2015)', () => {
		// matched inputs: the inception cohort's baseline damage share, activity-neutral accrual
		const r = run(compiled, { parameters: { share_damage_start: 0.348, rr_damage_active: 1, rr_damage_lds: 1 } });
		const damaged = shareAlive(r, 'standard-care', ['active_damage', 'lds_damage'], 6);
		// the model's accrual comes from the Swedish register (40% in 5 years), which accrues faster than SLICC
		expect(Math.abs(damaged - 0.511)).toBeLessThan(0.15);
		expect(readFileSync('docs/sle-model.md', 'utf8')).toContain(`| ${(100 * damaged).toFixed(1)}% | +/- 15 points |`);
	});

	it('CAR-T: the share in drug-free remission at 2 years lies within the 95% interval of 8/8 observed at 24 months (Müller 2024)', () => {
		const at2 = shareAlive(run(compiled), 'cart', ['drugfree', 'drugfree_damage'], 2);
		expect(at2).toBeGreaterThanOrEqual(0.025 ** (1 / 8));
		expect(at2).toBeLessThanOrEqual(1);
		expect(readFileSync('docs/sle-model.md', 'utf8')).toContain(`| ${(100 * at2).toFixed(1)}% | within the interval |`);
	});

	it('standard care: SLE shortens life against the general population (SMR 2.4)', () => {
		const r = run(compiled, { parameters: { smr_sle: 1, hr_death_damage: 1 } });
		const base = run(compiled);
		expect(byId(base)['standard-care'].undiscounted.lifeYears).toBeLessThan(byId(r)['standard-care'].undiscounted.lifeYears - 2);
	});
});

describe('SLE model: scenarios move results in the expected direction', () => {
	const base = byId(run(compiled));
	const sc = (id: string) => byId(run(compiled, { scenario: id }));
	it('a durable CAR-T effect gains QALYs over a waning one; other strategies are unchanged', () => {
		const durable = sc('cart-durable'), waning = sc('cart-waning');
		expect(durable.cart.discounted.qaly).toBeGreaterThan(base.cart.discounted.qaly);
		expect(waning.cart.discounted.qaly).toBeLessThan(base.cart.discounted.qaly);
		for (const id of ['standard-care', 'belimumab', 'anifrolumab']) expect(waning[id].discounted.qaly).toBeCloseTo(base[id].discounted.qaly, 9);
	});
	it('CAR-T price scenarios lower the CAR-T cost by the price difference (one-off, undiscounted at start)', () => {
		expect(base.cart.discounted.cost - sc('cart-price-50k').cart.discounted.cost).toBeCloseTo(282000 - 50000, 4);
		expect(sc('cart-price-licensed').cart.discounted.cost).toBeCloseTo(base.cart.discounted.cost, 6);
	});
	it('retreatment raises CAR-T cost and keeps more patients in drug-free remission', () => {
		const r = sc('cart-retreatment');
		expect(r.cart.discounted.cost).toBeGreaterThan(base.cart.discounted.cost);
		expect(r.cart.stateYears.drugfree).toBeGreaterThan(base.cart.stateYears.drugfree);
	});
});

describe('SLE model: every CLI analysis runs on it', () => {
	it('psa, dsa and threshold', { timeout: CLI_TIMEOUT }, () => {
		const psa = cli('psa', file, '--iterations', '100', '--seed', '7');
		expect(psa.iterations).toBe(100);
		expect(psa.drawnParameters).toEqual(expect.arrayContaining(['p_response_cart', 'cart_effect_years', 'c_cart_product', 'or_lds_bel']));
		const dsa = cli('dsa', file, '--reference', 'belimumab', '--top', '5');
		const cartBars = dsa.tornadoes.find((t: { strategyId: string }) => t.strategyId === 'cart').bars;
		expect(cartBars.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining(['c_cart_product', 'p_response_cart', 'cart_effect_years']));
		const th = cli('threshold', file, '--param', 'c_cart_product', '--strategy', 'cart', '--comparator', 'belimumab', '--range', '0:400000');
		expect(th.status).toBe('found');
		// at the threshold price the incremental NMB is zero: check by a run at that price
		const at = byId(run(compiled, { parameters: { c_cart_product: th.thresholds[0] } }));
		const inmb = 20000 * (at.cart.discounted.qaly - at.belimumab.discounted.qaly) - (at.cart.discounted.cost - at.belimumab.discounted.cost);
		expect(Math.abs(inmb)).toBeLessThan(1);
	});

	it('budget (models/budget/sle-uk.json, found by model id) and breakeven', { timeout: CLI_TIMEOUT }, () => {
		const b = cli('budget', file);
		expect(b.years ?? b.rows ?? b).toBeDefined();
		expect(JSON.stringify(b)).toMatch(/sle-uk\.json/);
		const be = cli('breakeven', file, '--strategy', 'cart', '--comparator', 'belimumab', '--steps', '3');
		expect(be.levers.price.id).toBe('c_cart_product');
		expect(be.grid.length).toBe(3);
		// more durable effect never lowers the break-even price at the same response probability
		for (const row of be.grid) for (let j = 1; j < row.length; j++) if (row[j].status === 'price' && row[j - 1].status === 'price') expect(row[j].price).toBeGreaterThanOrEqual(row[j - 1].price - 1);
	});
});

describe('docs/sle-model.md: quoted results are the CLI output', () => {
	it('every <!-- cli: ... --> block equals what the command prints now', { timeout: CLI_TIMEOUT }, async () => {
		// the blocks are read and their commands run by the docs' own checker (scripts/docsFigures.ts)
		const blocks = blocksOf(readFileSync('docs/sle-model.md', 'utf8'));
		expect(blocks.length).toBeGreaterThanOrEqual(5);
		for (const { command, quoted } of blocks) expect(quoted.trimEnd(), command).toBe((await outputOf(command)).trimEnd());
	});
});
