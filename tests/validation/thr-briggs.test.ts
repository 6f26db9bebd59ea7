/**
 * The total hip replacement (THR) model of Briggs, Claxton & Sculpher (2006), Decision Modelling
 * for Health Economic Evaluation, ch. 3 (Exercise 3.5), in models/thr-briggs.json: the revision
 * risk after the primary operation follows a Weibull hazard in the time since the operation,
 * tracked with 60 tunnel states (state_time) in Successful primary.
 *
 * Published figures: the exercise's solution workbook (Ex35sol.xls, from the book's website) as
 * transcribed in heemod's reproduction test, github.com/pierucci/heemod
 * tests/testthat/test_dmhee.R, test "Exactly match THR model": `briggs_thr` and
 * `briggs_thr_icer` (totals and ICER), `briggs_std_counts` / `briggs_new_counts` (trace, cycles
 * 1-8) and `vals_briggs_std` (discounted cost and QALYs per cycle, cycles 1-8, standard arm).
 * Each is checked to half a unit of its last printed digit.
 *
 * Independent implementation: `bookModel` below is the book's own formulation (5 states, revision
 * risk as a function of model time t, plain loops, inputs typed in from the exercise, nothing
 * imported from src/lib/engine); `tunnelModel` tracks years since the operation explicitly, so
 * it also covers a cohort that enters Successful primary at different times, where state_time
 * and model time part company.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TOTALS, compileJson, createRunner, incrementalAnalysis, run } from '../../src/lib/engine';

const modelText = readFileSync('models/thr-briggs.json', 'utf8');
const compiled = compileJson(modelText);
const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);
/** |actual - printed| within half a unit of the printed value's last decimal place (plus float slack) */
function expectPrinted(actual: number, printed: string, label: string) {
	const decimals = printed.includes('.') ? printed.split('.')[1].length : 0;
	const halfUnit = 0.5 * Math.pow(10, -decimals);
	expect(Math.abs(actual - Number(printed)), `${label}: ${actual} vs printed ${printed}`).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
}

// --- published figures (heemod tests/testthat/test_dmhee.R, "Exactly match THR model") ---
const published = {
	standard: { cost: '512.434658', qaly: '14.6531896' },
	np1: { cost: '610.311818', qaly: '14.69770986' },
	icer: '2198.486665'
};
/** SuccessP, RevisionTHR, SuccessR, Death after cycles 1..8 */
const publishedTrace = {
	standard: [
		['0.98000000', '0.0000000', '0.0000000', '0.0200000'],
		['0.97265720', '0.0007768', '0.0000000', '0.02656600'],
		['0.96516548', '0.00097491', '0.00075606', '0.03310354'],
		['0.95757109', '0.00115802', '0.00166964', '0.03960125'],
		['0.93783561', '0.00132115', '0.00268314', '0.05816010'],
		['0.91838963', '0.00145307', '0.00379326', '0.07636404'],
		['0.89924305', '0.00157339', '0.00496429', '0.09421927'],
		['0.88040225', '0.00168398', '0.00618146', '0.11173231']
	],
	np1: [
		['0.98000000', '0.00000000', '0.00000000', '0.02000000'],
		['0.97323145', '0.00020255', '0.00000000', '0.02656600'],
		['0.96645641', '0.00025438', '0.00019715', '0.03309206'],
		['0.95968665', '0.00030239', '0.00043553', '0.03957543'],
		['0.94083683', '0.00034529', '0.00070021', '0.05811767'],
		['0.92232657', '0.00038012', '0.00099040', '0.07630291'],
		['0.90415327', '0.00041201', '0.00129686', '0.09413786'],
		['0.88631355', '0.00044144', '0.00161577', '0.11162924']
	]
};
/** standard arm, cycles 1..8: discounted revision cost, discounted QALYs */
const publishedCycleValues = [
	['0', '0.82068966'],
	['3.66001356', '0.80272917'],
	['4.33343863', '0.78537550'],
	['4.85597577', '0.76838428'],
	['5.22645232', '0.74220815'],
	['5.42296428', '0.71692065'],
	['5.53962343', '0.69248578'],
	['5.59337469', '0.66887542']
];

// --- independent implementation: inputs as set out in the exercise (not read from the model file) ---
interface Inputs {
	startAge: number;
	male: 0 | 1;
	np1: boolean;
}
const EX = {
	omrPTHR: 0.02,
	omrRTHR: 0.02,
	rrr: 0.04,
	cons: -5.490935,
	ageC: -0.0367022,
	maleC: 0.768536,
	lnGamma: 0.3740968,
	np1: -1.344474,
	cStandard: 394,
	cNP1: 579,
	cRevision: 5294,
	uSuccessP: 0.85,
	uRevision: 0.3,
	uSuccessR: 0.75,
	costRate: 0.06,
	outcomeRate: 0.015,
	cycles: 60
};
/** the book's life table: per 1,000, bands 35-44, ..., 75-84, 85+ */
const bandStart = [35, 45, 55, 65, 75, 85];
const bandMale = [1.51, 3.93, 10.9, 31.6, 80.1, 187.9];
const bandFemale = [0.99, 2.6, 6.7, 19.3, 53.5, 154.8];
function bookMortality(age: number, male: 0 | 1): number {
	let band = 0;
	for (let i = 0; i < bandStart.length; i++) if (age >= bandStart[i]) band = i;
	return (male ? bandMale[band] : bandFemale[band]) / 1000;
}
function weibull(inp: Inputs) {
	const lambda = Math.exp(EX.cons + EX.ageC * inp.startAge + EX.maleC * inp.male) * (inp.np1 ? Math.exp(EX.np1) : 1);
	const gamma = Math.exp(EX.lnGamma);
	/** revision risk between tau0 and tau1 years after the primary operation */
	return (tau0: number, tau1: number) => 1 - Math.exp(lambda * (Math.pow(tau0, gamma) - Math.pow(tau1, gamma)));
}

interface NaiveResult {
	cost: number;
	qaly: number;
	/** [P, S, R, SR, D] after each cycle, index 0 = start */
	trace: number[][];
	cycleCost: number[];
	cycleQaly: number[];
}

/** The book's formulation: revision risk in cycle t is that of years t-1 to t after the operation. */
function bookModel(inp: Inputs): NaiveResult {
	const risk = weibull(inp);
	let x = [1, 0, 0, 0, 0];
	const trace = [x];
	let cost = inp.np1 ? EX.cNP1 : EX.cStandard;
	let qaly = 0;
	const cycleCost = [cost];
	const cycleQaly = [0];
	for (let t = 1; t <= EX.cycles; t++) {
		const m = bookMortality(inp.startAge + t, inp.male);
		const rev = risk(t - 1, t);
		const [P, S, R, SR, D] = x;
		x = [
			0,
			P * (1 - EX.omrPTHR) + S * (1 - rev - m),
			S * rev + SR * EX.rrr,
			R * (1 - EX.omrRTHR - m) + SR * (1 - EX.rrr - m),
			D + P * EX.omrPTHR + S * m + R * (EX.omrRTHR + m) + SR * m
		];
		trace.push(x);
		const c = (x[2] * EX.cRevision) / Math.pow(1 + EX.costRate, t);
		const q = (x[1] * EX.uSuccessP + x[2] * EX.uRevision + x[3] * EX.uSuccessR) / Math.pow(1 + EX.outcomeRate, t);
		cost += c;
		qaly += q;
		cycleCost.push(c);
		cycleQaly.push(q);
	}
	return { cost, qaly, trace, cycleCost, cycleQaly };
}

/**
 * Years since the operation tracked explicitly: s[j] = share in Successful primary whose
 * operation was j + 1 years before the start of the cycle (j = 0..cycles-1, the last one
 * absorbing). `startInSuccessP` puts part of the cohort in Successful primary at time 0, one year
 * after their operation (the engine's state_time 1).
 */
function tunnelModel(inp: Inputs, startInSuccessP: number): NaiveResult {
	const risk = weibull(inp);
	const n = EX.cycles;
	let P = 1 - startInSuccessP;
	let s = new Array<number>(n).fill(0);
	s[0] = startInSuccessP;
	let R = 0;
	let SR = 0;
	let D = 0;
	const sum = (a: number[]) => a.reduce((u, v) => u + v, 0);
	const trace = [[P, sum(s), R, SR, D]];
	let cost = inp.np1 ? EX.cNP1 : EX.cStandard;
	let qaly = 0;
	const cycleCost = [cost];
	const cycleQaly = [0];
	for (let t = 1; t <= n; t++) {
		const m = bookMortality(inp.startAge + t, inp.male);
		const next = new Array<number>(n).fill(0);
		let revisions = 0;
		let deaths = 0;
		for (let j = 0; j < n; j++) {
			const rev = risk(j + 1, j + 2);
			revisions += s[j] * rev;
			deaths += s[j] * m;
			next[Math.min(j + 1, n - 1)] += s[j] * (1 - rev - m);
		}
		next[0] += P * (1 - EX.omrPTHR);
		const nR = revisions + SR * EX.rrr;
		const nSR = R * (1 - EX.omrRTHR - m) + SR * (1 - EX.rrr - m);
		D += P * EX.omrPTHR + deaths + R * (EX.omrRTHR + m) + SR * m;
		P = 0;
		s = next;
		R = nR;
		SR = nSR;
		const x = [P, sum(s), R, SR, D];
		trace.push(x);
		const c = (R * EX.cRevision) / Math.pow(1 + EX.costRate, t);
		const q = (x[1] * EX.uSuccessP + R * EX.uRevision + SR * EX.uSuccessR) / Math.pow(1 + EX.outcomeRate, t);
		cost += c;
		qaly += q;
		cycleCost.push(c);
		cycleQaly.push(q);
	}
	return { cost, qaly, trace, cycleCost, cycleQaly };
}

const STATES = ['PrimaryTHR', 'SuccessP', 'RevisionTHR', 'SuccessR', 'Death'];

describe('THR model (Briggs, Claxton & Sculpher 2006, Exercise 3.5) with tunnel states', () => {
	const result = run(compiled);
	const byId = Object.fromEntries(result.strategies.map((s) => [s.id, s]));

	it('the model file keeps the published structure: 60 annual cycles, women aged 60, tunnel in Successful primary', () => {
		const data = JSON.parse(modelText);
		expect(data.horizon).toBe(60);
		expect(data.startAge).toBe(60);
		expect(data.cycleCorrection).toBe('end');
		expect(data.discountRates).toEqual({ costs: 0.06, outcomes: 0.015 });
		expect(data.states.find((s: { id: string }) => s.id === 'SuccessP').tunnel).toBe(60);
		expect(data.parameters.pRevisionPrimary.expression).toContain('state_time');
		expect(data.parameters.pRevisionPrimary.expression).not.toContain('model_time');
		expect(result.stateIds).toEqual(STATES);
	});

	it('reproduces the published total costs and QALYs to their printed precision', () => {
		for (const id of ['standard', 'np1'] as const) {
			expectPrinted(byId[id].discounted.cost, published[id].cost, `${id} cost`);
			expectPrinted(byId[id].discounted.qaly, published[id].qaly, `${id} QALYs`);
		}
	});

	it('reproduces the published ICER of NP1 vs the standard prosthesis', () => {
		const rows = incrementalAnalysis(result.strategies.map((s) => ({ id: s.id, cost: s.discounted.cost, effect: s.discounted.qaly })));
		const np1 = rows.find((r) => r.id === 'np1')!;
		expect(np1.status).toBe('frontier');
		expectPrinted(np1.icer!, published.icer, 'ICER');
	});

	it('reproduces the published Markov trace of cycles 1-8 in both arms', () => {
		const S = STATES.length;
		for (const id of ['standard', 'np1'] as const) {
			const trace = byId[id].trace;
			publishedTrace[id].forEach((row, i) => {
				const t = i + 1;
				expect(trace[t * S + 0], `${id} PrimaryTHR at ${t}`).toBe(0);
				row.forEach((printed, j) => expectPrinted(trace[t * S + 1 + j], printed, `${id} ${STATES[1 + j]} at cycle ${t}`));
			});
		}
	});

	it('reproduces the published discounted cost and QALYs per cycle (standard arm, cycles 1-8)', () => {
		const s = byId.standard;
		const C = result.categoryIds.length;
		const revision = result.categoryIds.indexOf('revision');
		expect(s.cycleCosts[0 * C + result.categoryIds.indexOf('prosthesis')]).toBe(394);
		publishedCycleValues.forEach(([cost, qaly], i) => {
			const k = i + 1;
			expectPrinted(s.cycleCosts[k * C + revision], cost, `revision cost in cycle ${k}`);
			expectPrinted(s.cycleQalys[k], qaly, `QALYs in cycle ${k}`);
		});
	});

	it('matches the independent implementation of the book\'s formulation to 1e-9 relative', () => {
		for (const id of ['standard', 'np1'] as const) {
			const ref = bookModel({ startAge: 60, male: 0, np1: id === 'np1' });
			const s = byId[id];
			expect(relativeError(s.discounted.cost, ref.cost), `${id} cost`).toBeLessThan(1e-9);
			expect(relativeError(s.discounted.qaly, ref.qaly), `${id} QALYs`).toBeLessThan(1e-9);
			for (let t = 0; t <= 60; t++)
				for (let j = 0; j < STATES.length; j++)
					expect(Math.abs(s.trace[t * STATES.length + j] - ref.trace[t][j]), `${id} ${STATES[j]} at ${t}`).toBeLessThan(1e-12);
		}
	});

	it('matches the independent implementation for men and for another age at the operation', () => {
		const cases: Array<{ startAge: number; male: 0 | 1 }> = [
			{ startAge: 60, male: 1 },
			{ startAge: 72, male: 0 },
			{ startAge: 40, male: 1 }
		];
		for (const c of cases) {
			// ageAtPrimary (revision hazard) and startAge (life table) are one input, set together
			const r = run(compiled, { parameters: { male: c.male, ageAtPrimary: c.startAge }, settings: { startAge: c.startAge } });
			for (const s of r.strategies) {
				const ref = bookModel({ ...c, np1: s.id === 'np1' });
				const label = `${s.id}, age ${c.startAge}, male ${c.male}`;
				expect(relativeError(s.discounted.cost, ref.cost), `${label} cost`).toBeLessThan(1e-9);
				expect(relativeError(s.discounted.qaly, ref.qaly), `${label} QALYs`).toBeLessThan(1e-9);
			}
		}
	});

	it('the two independent formulations agree when everyone enters Successful primary at the end of cycle 1', () => {
		for (const np1 of [false, true]) {
			const a = bookModel({ startAge: 60, male: 0, np1 });
			const b = tunnelModel({ startAge: 60, male: 0, np1 }, 0);
			expect(relativeError(b.cost, a.cost)).toBeLessThan(1e-12);
			expect(relativeError(b.qaly, a.qaly)).toBeLessThan(1e-12);
		}
	});

	it('revision depends on time in Successful primary (state_time), not on model time', () => {
		// Half the cohort starts in Successful primary, one year after its operation: its revision
		// risk in cycle t is that of years t to t + 1, while the other half's is that of years
		// t - 1 to t. A model-time formulation cannot give both.
		const data = JSON.parse(modelText);
		for (const st of data.strategies) st.start = { PrimaryTHR: 0.5, SuccessP: 0.5 };
		const mixed = run(compileJson(JSON.stringify(data)));
		for (const s of mixed.strategies) {
			const ref = tunnelModel({ startAge: 60, male: 0, np1: s.id === 'np1' }, 0.5);
			expect(relativeError(s.discounted.cost, ref.cost), `${s.id} cost`).toBeLessThan(1e-9);
			expect(relativeError(s.discounted.qaly, ref.qaly), `${s.id} QALYs`).toBeLessThan(1e-9);
			for (let k = 1; k <= 60; k++)
				expect(Math.abs(s.cycleQalys[k] - ref.cycleQaly[k]), `${s.id} QALYs in cycle ${k}`).toBeLessThan(1e-12);
			// first cycle by hand: the starters in SuccessP revise with 1 - exp(lambda (1^g - 2^g))
			const lambda = Math.exp(EX.cons + EX.ageC * 60) * (s.id === 'np1' ? Math.exp(EX.np1) : 1);
			const g = Math.exp(EX.lnGamma);
			expect(s.trace[STATES.length + 2]).toBeCloseTo(0.5 * (1 - Math.exp(lambda * (1 - Math.pow(2, g)))), 15);
		}
		// a model-time risk would give the starters that of years 0 to 1 instead, about 1.7 times lower
		const modelTimeRisk = weibull({ startAge: 60, male: 0, np1: false })(0, 1);
		expect(mixed.strategies[0].trace[STATES.length + 2]).toBeGreaterThan(1.5 * 0.5 * modelTimeRisk);
	});

	it('the lean totals path used by PSA and DSA gives the same totals as run', () => {
		const runner = createRunner(compiled);
		const { values, settings, forced } = runner.resolve();
		const out = new Float64Array(2 * TOTALS.size);
		runner.totals(values, settings, out, undefined, forced);
		result.strategies.forEach((s, i) => {
			expect(relativeError(out[i * TOTALS.size + TOTALS.cost], s.discounted.cost), `${s.id} cost`).toBeLessThan(1e-12);
			expect(relativeError(out[i * TOTALS.size + TOTALS.qaly], s.discounted.qaly), `${s.id} QALYs`).toBeLessThan(1e-12);
		});
	});

	it('keeps the cohort whole', () => {
		for (const s of result.strategies)
			for (let t = 0; t <= 60; t++) {
				let sum = 0;
				for (let j = 0; j < STATES.length; j++) sum += s.trace[t * STATES.length + j];
				expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
			}
	});
});
