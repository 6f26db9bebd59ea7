/**
 * Reproduces the simulation-time-dependent Sick-Sicker model of Alarid-Escudero et al. (2023),
 * "A Tutorial on Time-Dependent Cohort State-Transition Models in R Using a Cost-Effectiveness
 * Analysis Example", Med Decis Making 43(1):21-41, Table 3 (costs and QALYs per strategy,
 * incremental costs, QALYs and ICERs, dominance). The table rounds costs to $1 and QALYs to
 * 0.001, so we assert to half a unit of that rounding. An independent naive implementation
 * (reference/sickSicker.ts, written from the paper's A ⊙ R formulation) guards the published
 * check: the engine must match it to 1e-9 relative.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, run } from '../../src/lib/engine';
import { darthSimpsonWeights, readTotalMx, sickSickerReference } from './reference/sickSicker';
import { expectTable3, publishedTable3 } from './reference/table3';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

const file = 'models/sick-sicker-age.json';
const compiled = compileJson(readFileSync(file, 'utf8'));

describe('Sick-Sicker, age-dependent mortality (Alarid-Escudero 2023) reproduces the published Table 3', () => {
	const result = run(compiled);

	it('costs, QALYs, incremental results, ICERs and dominance match Table 3 to its rounding', () => {
		expectTable3(result);
	});

	it('matches the independent naive implementation to 1e-9 relative', () => {
		const reference = sickSickerReference({ tunnels: false, weibullScale: 0, weibullShape: 1, weights: darthSimpsonWeights(75) });
		for (const s of result.strategies) {
			const ref = reference[s.id as keyof typeof reference];
			expect(relativeError(s.discounted.cost, ref.cost), `${s.id} cost`).toBeLessThan(1e-9);
			expect(relativeError(s.discounted.qaly, ref.qaly), `${s.id} QALYs`).toBeLessThan(1e-9);
		}
	});

	it('the first-cycle transitions from Healthy match the matrix printed in the paper (a_P_SoC[, , 1])', () => {
		// section "Incorporating simulation-time dependence": H -> H 0.8598357, H -> S1 0.1391509, H -> D 0.001013486
		const soc = result.strategies.find((s) => s.id === 'SoC')!;
		const S = result.stateIds.length;
		const at = (state: string) => soc.trace[1 * S + result.stateIds.indexOf(state)];
		expect(Math.abs(at('H') - 0.8598357)).toBeLessThan(5e-8);
		expect(Math.abs(at('S1') - 0.1391509)).toBeLessThan(5e-8);
		expect(Math.abs(at('D') - 0.001013486)).toBeLessThan(5e-10);
	});

	it('the first-cycle rows from Sick and Sicker match the printed matrix too (cohort started there)', () => {
		// same printed matrix: S1 -> H 0.3922742, S1 0.5053157, S2 0.09937273, D 0.003037378; S2 -> S2 0.98991124, D 0.010088764
		const from = (state: string) => {
			const data = JSON.parse(readFileSync(file, 'utf8'));
			for (const st of data.strategies) st.start = { [state]: 1 };
			const r = run(compileJson(JSON.stringify(data)));
			const S = r.stateIds.length;
			return (to: string) => r.strategies[0].trace[S + r.stateIds.indexOf(to)];
		};
		const s1 = from('S1');
		expect(Math.abs(s1('H') - 0.3922742)).toBeLessThan(5e-8);
		expect(Math.abs(s1('S1') - 0.5053157)).toBeLessThan(5e-8);
		expect(Math.abs(s1('S2') - 0.09937273)).toBeLessThan(5e-9);
		expect(Math.abs(s1('D') - 0.003037378)).toBeLessThan(5e-10);
		const s2 = from('S2');
		expect(Math.abs(s2('S2') - 0.98991124)).toBeLessThan(5e-9);
		expect(Math.abs(s2('D') - 0.010088764)).toBeLessThan(5e-10);
	});

	it('the life table in the model file is q = 1 - exp(-m) of the Total column of the distributed CSV', () => {
		const table = compiled.model.lifeTables!.usa2015;
		const q = readTotalMx().map((m) => 1 - Math.exp(-m));
		expect(table.minAge).toBe(0);
		expect(table.qx.male).toHaveLength(111);
		table.qx.male.forEach((v, age) => expect(Math.abs(v - q[age]), `age ${age}`).toBeLessThan(1e-15));
		expect(table.qx.female).toEqual(table.qx.male);
	});

	it('the published weights matter: the engine\'s own Simpson rule gives visibly different totals', () => {
		// darthtools puts 4/3 on even time points, the textbook rule on odd ones; the scenario
		// switches the published weights off, so Table 3 must no longer be met.
		const engineSimpson = run(compiled, { scenario: 'engine-simpson' });
		const soc = engineSimpson.strategies.find((s) => s.id === 'SoC')!;
		expect(engineSimpson.settings.cycleCorrection).toBe('simpson');
		expect(Math.abs(soc.discounted.qaly - publishedTable3.SoC.qaly)).toBeGreaterThan(0.1);
	});
});
