/**
 * The verdict's words in every case, on constructed results whose answer is worked out by hand
 * (cost and QALYs per patient, GBP, willingness to pay 20,000 per QALY unless stated), and on
 * models/ms.json for the structured fields.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compile, compileJson, modelComparison, moneyText, oneWay, run, tornado, verdict, verdictOf, runPsa, evpi, deterministicPayback, type VerdictInput, type ModelInput } from '../../src/lib/engine';
import { oneCycleModel } from './analysis-fixtures';

const base = (strategies: VerdictInput['strategies'], extra: Partial<VerdictInput> = {}): VerdictInput => ({
	strategies,
	willingnessToPay: 20000,
	currency: 'GBP',
	priceYear: 2024,
	horizonYears: 40,
	lifelong: 'dmt',
	oneOff: ['cell'],
	...extra
});
const dmt = { id: 'dmt', label: 'Lifelong DMT', cost: 300000, qaly: 12 };

describe('verdict sentences on constructed results', () => {
	it('dominance: cheaper and more QALYs; the headline names the best NMB and its margin', () => {
		// NMB: cell 20000 * 13 - 200000 = 60000; dmt 20000 * 12 - 300000 = -60000
		const v = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 200000, qaly: 13 }]));
		expect(v.best).toEqual({ ids: ['cell'], netMonetaryBenefit: 60000, nextId: 'dmt', marginOverNext: 120000 });
		expect(v.comparisons[0].quadrant).toBe('dominates');
		expect(v.comparisons[0].icer).toBeNull();
		expect(v.dominatesAll).toBe('cell');
		expect(v.sentences).toEqual([
			'At GBP 20,000 per QALY (GBP, 2024 prices), Cell therapy has the highest net monetary benefit, GBP 60,000 per patient, GBP 120,000 more than the next, Lifelong DMT.',
			'Cell therapy dominates every other strategy: each of them costs more and gains fewer QALYs, or costs more for the same QALYs.',
			'Cell therapy dominates Lifelong DMT: it costs GBP 100,000 less and gains 1.00 QALYs more per patient.'
		]);
	});

	it('dominated: dearer and fewer QALYs; every one-off dominated is said once', () => {
		const v = verdictOf(
			base([dmt, { id: 'cell', label: 'Cell therapy', cost: 350000, qaly: 11.5 }, { id: 'msc', label: 'MSC', cost: 310000, qaly: 12 }], { oneOff: ['cell', 'msc'] })
		);
		expect(v.comparisons.map((c) => c.quadrant)).toEqual(['dominated', 'dominated']);
		expect(v.dominatesAll).toBe('dmt');
		expect(v.sentences).toContain('Cell therapy is dominated by Lifelong DMT: it costs GBP 50,000 more and gains 0.50 fewer QALYs per patient.');
		expect(v.sentences).toContain('MSC is dominated by Lifelong DMT: it costs GBP 10,000 more per patient for the same QALYs.');
		expect(v.sentences).toContain('Every one-off strategy is dominated by Lifelong DMT.');
	});

	it('north-east: ICER per QALY gained against the threshold, both sides', () => {
		// cell costs 30000 more for 2 QALYs: ICER 15000 <= 20000, cost-effective
		const yes = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 330000, qaly: 14 }]));
		expect(yes.comparisons[0]).toMatchObject({ quadrant: 'north-east', icer: 15000, costEffective: true, incrementalNetMonetaryBenefit: 10000 });
		expect(yes.sentences[1]).toBe(
			'Cell therapy costs GBP 30,000 more and gains 2.00 QALYs more per patient than Lifelong DMT: an ICER of GBP 15,000 per QALY gained, within the threshold of GBP 20,000 per QALY, so Cell therapy is cost-effective against Lifelong DMT.'
		);
		// 50000 more for 2 QALYs: ICER 25000 > 20000
		const no = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 350000, qaly: 14 }]));
		expect(no.comparisons[0]).toMatchObject({ quadrant: 'north-east', icer: 25000, costEffective: false });
		expect(no.sentences[1]).toBe(
			'Cell therapy costs GBP 50,000 more and gains 2.00 QALYs more per patient than Lifelong DMT: an ICER of GBP 25,000 per QALY gained, above the threshold of GBP 20,000 per QALY, so Cell therapy is not cost-effective against Lifelong DMT.'
		);
	});

	it('south-west: a saving per QALY lost, labelled, cost-effective only if the saving is at least the threshold', () => {
		// 60000 less, 2 QALYs fewer: saves 30000 per QALY lost >= 20000: cost-effective
		const yes = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 240000, qaly: 10 }]));
		expect(yes.comparisons[0]).toMatchObject({ quadrant: 'south-west', icer: 30000, costEffective: true, incrementalNetMonetaryBenefit: 20000 });
		expect(yes.sentences).toContain(
			'Cell therapy costs GBP 60,000 less but gains 2.00 fewer QALYs per patient than Lifelong DMT: it saves GBP 30,000 per QALY lost (south-west quadrant); that is at least the threshold of GBP 20,000 per QALY, so Cell therapy is cost-effective against Lifelong DMT.'
		);
		// 20000 less, 2 QALYs fewer: saves 10000 per QALY lost < 20000
		const no = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 280000, qaly: 10 }]));
		expect(no.comparisons[0]).toMatchObject({ quadrant: 'south-west', icer: 10000, costEffective: false });
		expect(no.sentences).toContain(
			'Cell therapy costs GBP 20,000 less but gains 2.00 fewer QALYs per patient than Lifelong DMT: it saves GBP 10,000 per QALY lost (south-west quadrant); that is less than the threshold of GBP 20,000 per QALY, so Cell therapy is not cost-effective against Lifelong DMT.'
		);
	});

	it('ties: equal NMB at the top, and equal cost and QALYs in a comparison', () => {
		// a: 20000 * 12 - 300000 = -60000; b: 20000 * 13 - 320000 = -60000
		const v = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 320000, qaly: 13 }]));
		expect(v.best.ids).toEqual(['dmt', 'cell']);
		expect(v.best.nextId).toBeNull();
		expect(v.sentences[0]).toBe('At GBP 20,000 per QALY (GBP, 2024 prices), Lifelong DMT and Cell therapy tie for the highest net monetary benefit, GBP -60,000 per patient.');
		const same = verdictOf(base([dmt, { id: 'cell', label: 'Cell therapy', cost: 300000, qaly: 12 }]));
		expect(same.comparisons[0].quadrant).toBe('equal');
		expect(same.dominatesAll).toBeNull();
		expect(same.sentences).toContain('Cell therapy and Lifelong DMT have the same cost and QALYs per patient: neither is preferred.');
	});

	it('payback: within the horizon, from the start, and none within the horizon', () => {
		const cell = { id: 'cell', label: 'Cell therapy', cost: 250000, qaly: 12.5 };
		const s = (p: VerdictInput['payback']) => verdictOf(base([dmt, cell], { payback: p })).sentences.at(-1);
		expect(s({ cell: { years: 6.25, cycle: 7, staysBelow: true, firstYears: 6.25 } })).toBe('Cell therapy pays back against Lifelong DMT after 6.3 years (cumulative discounted cost per patient).');
		expect(s({ cell: { years: 6.25, cycle: 7, staysBelow: true, firstYears: 1.5 } })).toBe(
			'Cell therapy pays back against Lifelong DMT after 6.3 years (cumulative discounted cost per patient); it is also cheaper for a time from 1.5 years, then dearer again.'
		);
		expect(s({ cell: { years: 6.25, cycle: 7, staysBelow: true, firstYears: 0 } })).toBe(
			'Cell therapy pays back against Lifelong DMT after 6.3 years (cumulative discounted cost per patient); it is cheaper at the start, then dearer for a time.'
		);
		expect(s({ cell: { years: 0, cycle: 0, staysBelow: true, firstYears: 0 } })).toBe('Cell therapy costs no more than Lifelong DMT from the start.');
		expect(s({ cell: { years: null, cycle: null, staysBelow: false, firstYears: null } })).toBe(
			'Cell therapy does not pay back against Lifelong DMT within the 40-year horizon: its cumulative discounted cost per patient stays higher.'
		);
		expect(s({ cell: { years: null, cycle: null, staysBelow: false, firstYears: 2 } })).toBe(
			'Cell therapy does not pay back against Lifelong DMT within the 40-year horizon: its cumulative discounted cost per patient is lower for a time (from 2.0 years) but higher at the end of the horizon.'
		);
	});

	it('against no treatment: one sentence placing the lifelong and each one-off strategy', () => {
		const none = { id: 'none', label: 'No treatment', cost: 100000, qaly: 10 };
		// dmt vs none: 200000 more for 2 QALYs = 100000 per QALY gained, above 20000
		// cell vs none: 20000 more for 3 QALYs = 6667 per QALY gained; msc vs none: 110000 more for 0 QALYs: dominated
		const v = verdictOf(
			base([none, dmt, { id: 'cell', label: 'Cell therapy', cost: 120000, qaly: 13 }, { id: 'msc', label: 'MSC', cost: 210000, qaly: 10 }], { oneOff: ['cell', 'msc'], untreated: 'none' })
		);
		expect(v.againstUntreated.map((c) => [c.strategyId, c.quadrant, c.costEffective])).toEqual([
			['dmt', 'north-east', false],
			['cell', 'north-east', true],
			['msc', 'dominated', false]
		]);
		expect(v.sentences).toContain(
			'Against No treatment: Lifelong DMT costs GBP 100,000 per QALY gained, not cost-effective at GBP 20,000 per QALY; Cell therapy costs GBP 6,667 per QALY gained, cost-effective at GBP 20,000 per QALY; MSC is dominated by it.'
		);
	});

	it('after a PSA: probabilities, highest first, and EVPI in money', () => {
		const v = verdictOf(
			base([dmt, { id: 'cell', label: 'Cell therapy', cost: 330000, qaly: 14 }], {
				psa: { iterations: 1000, probabilityCostEffective: { dmt: 0.275, cell: 0.725 }, evpiPerPatient: 1234.4 }
			})
		);
		expect(v.sentences.slice(-2)).toEqual([
			'In the PSA (1,000 iterations), the probability of being cost-effective at GBP 20,000 per QALY is: Cell therapy 73%, Lifelong DMT 28%.',
			'The expected value of perfect information is GBP 1,234 per patient (GBP, 2024 prices): the most that removing all uncertainty would be worth.'
		]);
	});
});

describe('verdict from runs', () => {
	const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
	const msRun = run(ms);
	const v = verdict(msRun, { comparison: modelComparison(ms.model) });

	// No conclusion is asserted (it moves with the evidence): each field is checked against the
	// run's totals and the model file's declared roles, computed here without the verdict.
	it('ms.json: the best NMB, the comparisons declared by role, quadrants and payback follow the run', () => {
		const nmb = msRun.strategies.map((s) => 20000 * s.discounted.qaly - s.discounted.cost);
		const bestId = msRun.strategies[nmb.indexOf(Math.max(...nmb))].id;
		expect(v.best.ids).toEqual([bestId]);
		const declared = ms.model.strategies.filter((s) => s.role === 'one-off' || s.role === 'short-course').map((s) => s.id);
		expect(declared.length).toBeGreaterThanOrEqual(3);
		expect(v.comparisons.map((c) => [c.strategyId, c.comparatorId])).toEqual(declared.map((id) => [id, 'lifelong-dmt']));
		const life = msRun.strategies.find((s) => s.id === 'lifelong-dmt')!.discounted;
		for (const c of v.comparisons) {
			const own = msRun.strategies.find((s) => s.id === c.strategyId)!.discounted;
			const dc = own.cost - life.cost;
			const dq = own.qaly - life.qaly;
			const expected = dc <= 0 && dq >= 0 ? 'dominates' : dc >= 0 && dq <= 0 ? 'dominated' : dc > 0 ? 'north-east' : 'south-west';
			expect(c.quadrant, c.strategyId).toBe(expected);
			expect(c.payback?.years ?? null, c.strategyId).toEqual(deterministicPayback(msRun, { oneOffId: c.strategyId, lifelongId: 'lifelong-dmt' }).years);
		}
		const bestLabel = msRun.strategies.find((s) => s.id === bestId)!.label;
		expect(v.sentences[0].startsWith(`At GBP 20,000 per QALY (GBP, 2024 prices), ${bestLabel} has the highest net monetary benefit`)).toBe(true);
	});

	it('the verdict changes when an input changes the answer: a willingness to pay at which another strategy has the highest NMB', () => {
		const bestAt = (wtp: number) => {
			const nmb = msRun.strategies.map((s) => wtp * s.discounted.qaly - s.discounted.cost);
			return msRun.strategies[nmb.indexOf(Math.max(...nmb))].id;
		};
		const other = [30000, 50000, 100000, 200000, 500000].find((w) => bestAt(w) !== bestAt(20000));
		expect(other).toBeDefined();
		const changed = verdict(run(ms, { settings: { willingnessToPay: other! } }), { comparison: modelComparison(ms.model) });
		expect(changed.best.ids).toEqual([bestAt(other!)]);
		expect(changed.sentences[0]).toContain(`GBP ${other!.toLocaleString('en-GB')} per QALY`);
	});

	it('after a PSA and a one-way analysis: probabilities, EVPI, and the widest tornado bar', () => {
		const cm = compile(oneCycleModel() as ModelInput);
		const r = run(cm);
		const psa = runPsa(cm, { iterations: 200, seed: 3 });
		const d = oneWay(cm, { willingnessToPay: 20000, referenceId: 'old' });
		const t = tornado(d, 'new');
		const comparison = { lifelong: 'old', untreated: null, oneOff: ['new'], payback: null, roles: {}, levers: {} };
		const vv = verdict(r, { comparison, psa, tornado: t });
		expect(vv.psa!.evpiPerPatient).toBeCloseTo(evpi(psa, 20000), 9);
		// one-cycle model: INB = 20000 (uNew - 0.7) - (price + extra - 1000); uNew has the widest swing, -600 to 1800
		expect(vv.oneWay).toMatchObject({ parameterId: 'uNew', lowValue: 0.78, highValue: 0.9, changesDecision: true });
		expect(vv.sentences.at(-1)).toBe(
			'In the one-way analysis, the input that moves the incremental net monetary benefit of New against Old most is utility on new (uNew): GBP -600 at 0.78 u and GBP 1,800 at 0.9 u; within that range the decision changes.'
		);
	});
});

describe('comparison declarations are checked at compile', () => {
	const ms = JSON.parse(readFileSync('models/ms.json', 'utf8'));
	it('unknown strategy ids and lever parameters are errors naming the path', () => {
		const bad = structuredClone(ms);
		bad.comparison.lifelong = 'nope';
		bad.comparison.payback.comparator = 'gone';
		bad.strategies.find((s: { id: string }) => s.id === 'hesc').levers.durability = 'no_such_parameter';
		expect(() => compile(bad)).toThrowError(/comparison\.lifelong: no strategy "nope"/);
		try {
			compile(bad);
		} catch (e) {
			const paths = (e as { issues: { path: string }[] }).issues.map((i) => i.path);
			expect(paths).toEqual(expect.arrayContaining(['comparison.lifelong', 'comparison.payback.comparator', 'strategies.hesc.levers.durability']));
		}
	});
	it('levers on a lifelong strategy are an error; an unknown role is a schema error', () => {
		const bad = structuredClone(ms);
		const life = bad.strategies.find((s: { id: string }) => s.id === 'lifelong-dmt');
		life.levers = { price: 'c_hesc', efficacy: 'hr_prog_hesc', durability: 'hesc_effect_years' };
		expect(() => compile(bad)).toThrowError(/strategies\.lifelong-dmt\.levers: levers are for one-off or short-course strategies/);
		const expr = structuredClone(ms);
		expr.strategies.find((s: { id: string }) => s.id === 'ahsct').levers.efficacy = 'hr_prog_ahsct';
		expect(() => compile(expr)).toThrowError(/strategies\.ahsct\.levers\.efficacy: "hr_prog_ahsct" is an expression parameter; a lever must be a parameter with a value/);
		const bad2 = structuredClone(ms);
		bad2.strategies[0].role = 'sometimes';
		expect(() => compile(bad2)).toThrowError(/strategies\.0\.role/);
	});
	it('modelComparison reads the declarations', () => {
		const c = modelComparison(compile(ms).model);
		expect(c).toMatchObject({ lifelong: 'lifelong-dmt', untreated: 'no-dmt', oneOff: ['alemtuzumab', 'cladribine', 'ahsct', 'msc', 'hesc'], payback: { strategy: 'ahsct', comparator: 'lifelong-dmt' } });
		expect(c.levers.hesc).toEqual({ price: 'c_hesc', efficacy: 'hr_prog_hesc', durability: 'hesc_effect_years', efficacyDirection: 'lower-is-better' });
	});
});

describe('moneyText writes whole units as toLocaleString("en-GB") does, without loading the locale data', () => {
	const localeText = (amount: number) => `GBP ${Math.round(amount).toLocaleString('en-GB')}`;
	it('on chosen edges: signs, -0, group boundaries, the largest safe integer, 10^21 and beyond, non-finite', () => {
		const edges = [0, -0, -0.4, 0.5, -0.5, 1, -1, 999, 999.5, 1000, -1000, 99_999, 100_000, 1_234_567.89, -1_234_567.5, 2 ** 53 - 1, 2 ** 53 + 2, -(2 ** 60), 123456789012345680000, 1e21 - 65536, 1e21, -1e21, 1.5e300, Infinity, -Infinity, NaN];
		for (const amount of edges) expect(moneyText(amount, 'GBP'), String(amount)).toBe(localeText(amount));
	});
	it('on any double and any safe integer', () => {
		fc.assert(fc.property(fc.double(), (amount) => moneyText(amount, 'GBP') === localeText(amount)), { numRuns: 3000 });
		fc.assert(fc.property(fc.maxSafeInteger(), (amount) => moneyText(amount, 'GBP') === localeText(amount)), { numRuns: 3000 });
		fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9 }), (amount) => moneyText(amount, 'GBP') === localeText(amount)), { numRuns: 3000 });
	});
});
