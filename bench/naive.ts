/**
 * A naive reference implementation for the benchmark's speed ratio: the textbook way of
 * writing a Markov cohort model with a general-purpose maths library. Every expression is
 * parsed once by mathjs but evaluated by mathjs each cycle with a scope object; the transition
 * matrix is a mathjs matrix rebuilt each cycle and the trace is advanced by mathjs matrix
 * multiplication. It supports what the shipped models use (expression parameters, strategy
 * overrides, "C" complements, state and strategy costs/utilities, start and transition
 * values, life tables; no tunnel states) and returns discounted totals, so the benchmark can
 * check it computes the same numbers as the engine before comparing times.
 */
import { all, create, type EvalFunction } from 'mathjs';
import type { CompiledModel } from '../src/lib/engine';
import { cycleWeights, discountFactors, FUNCTIONS } from '../src/lib/engine';

const math = create(all);
const imports: Record<string, (...args: number[]) => number> = {};
for (const name of ['rateToProb', 'probToRate', 'rescaleProb', 'applyHR', 'applyOR', 'combineProbs', 'schedule', 'piecewise'])
	imports[name] = FUNCTIONS[name].fn;
math.import(imports, { override: true });

export function createNaive(cm: CompiledModel) {
	const model = cm.model;
	const tables = model.lifeTables ?? {};
	const lifeTable = (name: string, age: number, sex: string | number) => {
		const t = tables[name];
		const share = sex === 'female' ? 1 : sex === 'male' ? 0 : Number(sex);
		const row = (q: number[]) => q[Math.min(Math.max(Math.floor(age) - t.minAge, 0), q.length - 1)];
		return (1 - share) * row(t.qx.male) + share * row(t.qx.female);
	};
	const compileText = (e: string | number): EvalFunction => math.compile(String(e));
	const states = model.states;
	if (states.some((s) => (s.tunnel ?? 1) > 1)) throw new Error('the naive reference does not implement tunnel states');
	const ids = states.map((s) => s.id);
	const S = ids.length;
	const categories = model.costCategories.map((c) => c.id);
	const strategies = model.strategies.map((st, si) => {
		const order = [...cm.strategies[si].plan.constantOrder, ...cm.strategies[si].plan.timeOrder].map((i) => cm.parameterIds[i]);
		const params = order.map((id) => ({ id, expr: compileText(st.parameters?.[id] ?? (model.parameters[id].expression as string)) }));
		const fixed = Object.entries(st.parameters ?? {}).filter(([, v]) => typeof v === 'number' || /^[-+\d.eE]+$/.test(String(v).trim()));
		const rows = ids.map((from) => Object.entries(st.transitions[from]).map(([to, e]) => ({ to: ids.indexOf(to), expr: String(e).trim() === 'C' ? null : compileText(e) })));
		const values = states.map((s) => {
			const own = st.stateValues?.[s.id];
			const costs = { ...(s.costs ?? {}), ...(own?.costs ?? {}) };
			const utility = own?.utility ?? s.utility;
			return { costs: Object.values(costs).map(compileText), utility: utility === undefined ? null : compileText(utility) };
		});
		const transitionValues = (st.transitionValues ?? []).map((tv) => ({
			from: tv.from === '*' ? -1 : ids.indexOf(tv.from),
			to: ids.indexOf(tv.to),
			costs: Object.values(tv.costs ?? {}).map(compileText),
			utility: tv.utility === undefined ? null : compileText(tv.utility)
		}));
		const start = ids.map((id) => compileText(st.start[id] ?? 0));
		const startCosts = Object.values(st.startValues?.costs ?? {}).map(compileText);
		const startUtility = st.startValues?.utility === undefined ? null : compileText(st.startValues.utility);
		return { params, fixed, rows, values, transitionValues, start, startCosts, startUtility };
	});
	void categories;

	/** Discounted cost and QALYs per strategy. */
	return function run(): { cost: number[]; qaly: number[] } {
		const s0 = cm.settings;
		const n = s0.horizon;
		const cl = s0.cycleLength;
		const w = cycleWeights(s0.cycleCorrection, n);
		const dc = discountFactors(s0.discountRates.costs, n, cl);
		const dq = discountFactors(s0.discountRates.outcomes, n, cl);
		const cost: number[] = [];
		const qaly: number[] = [];
		for (const st of strategies) {
			const scope: Record<string, unknown> = { lifeTable, cycle_length: cl };
			for (const id of cm.parameterIds) if (model.parameters[id].value !== undefined) scope[id] = model.parameters[id].value;
			for (const [id, v] of st.fixed) scope[id] = Number(v);
			const setTime = (k: number) => {
				scope.model_time = k;
				scope.age = s0.startAge + (k - 1) * cl;
				scope.state_time = 1;
				for (const p of st.params) scope[p.id] = Number(p.expr.evaluate(scope));
			};
			setTime(1);
			let x = math.matrix([st.start.map((e) => Number(e.evaluate(scope)))]);
			let c = st.startCosts.reduce((a, e) => a + Number(e.evaluate(scope)), 0);
			let q = st.startUtility ? Number(st.startUtility.evaluate(scope)) : 0;
			for (let k = 1; k <= n; k++) {
				setTime(k);
				const P = math.zeros(S, S) as math.Matrix;
				st.rows.forEach((row, i) => {
					let sum = 0;
					let comp = -1;
					row.forEach((r, j) => {
						if (r.expr === null) comp = j;
						else {
							const p = Number(r.expr.evaluate(scope));
							P.set([i, r.to], p);
							sum += p;
						}
					});
					if (comp >= 0) P.set([i, row[comp].to], 1 - sum);
				});
				const xNext = math.multiply(x, P) as math.Matrix;
				const stateCost = math.matrix(st.values.map((v) => v.costs.reduce((a, e) => a + Number(e.evaluate(scope)), 0)));
				const stateUtility = math.matrix(st.values.map((v) => (v.utility ? Number(v.utility.evaluate(scope)) : 0)));
				const x0 = math.squeeze(x) as math.Matrix;
				const x1 = math.squeeze(xNext) as math.Matrix;
				c += (math.dot(x0, stateCost) as number) * w.alpha[k] * dc[k - 1] + (math.dot(x1, stateCost) as number) * w.beta[k] * dc[k];
				q += ((math.dot(x0, stateUtility) as number) * w.alpha[k] * dq[k - 1] + (math.dot(x1, stateUtility) as number) * w.beta[k] * dq[k]) * cl;
				const evD = w.eventAlpha * dc[k - 1] + w.eventBeta * dc[k];
				const evQ = w.eventAlpha * dq[k - 1] + w.eventBeta * dq[k];
				for (const tv of st.transitionValues)
					for (let i = 0; i < S; i++) {
						if ((tv.from !== -1 && tv.from !== i) || i === tv.to) continue;
						const flow = (x0.get([i]) as number) * (P.get([i, tv.to]) as number);
						if (flow === 0) continue;
						c += flow * tv.costs.reduce((a, e) => a + Number(e.evaluate(scope)), 0) * evD;
						if (tv.utility) q += flow * Number(tv.utility.evaluate(scope)) * evQ;
					}
				x = xNext;
			}
			cost.push(c);
			qaly.push(q);
		}
		return { cost, qaly };
	};
}
