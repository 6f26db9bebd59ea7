/**
 * An independent, deliberately naive implementation of the time-dependent Sick-Sicker models of
 * Alarid-Escudero F, Krijkamp EM, Enns EA, Yang A, Hunink MGM, Pechlivanoglou P, Jalal H (2023)
 * "A Tutorial on Time-Dependent Cohort State-Transition Models in R Using a Cost-Effectiveness
 * Analysis Example", Med Decis Making 43(1):21-41 (R code: github.com/DARTH-git/cohort-modeling-tutorial-timedep).
 *
 * It follows the paper's own formulation, not our engine's: dense transition matrices P_t over
 * the expanded state space (H, S1 or S1_1..S1_n, S2, D), the transition-dynamics array
 * A_t = diag(m_{t-1}) P_t, rewards Y_t = sum(A_t ⊙ R) with R[i][j] = state reward of j plus the
 * transition reward of i -> j, and totals sum_t Y_t d_t w_t with the darthtools gen_wcc weights.
 * It imports nothing from src/: it guards the engine, so it must not share code with it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The "Total" column (both sexes) of the US 2015 central death rates m_x, ages 0..110. */
export function readTotalMx(): number[] {
	const path = fileURLToPath(new URL('./LifeTable_USA_Mx_2015.csv', import.meta.url));
	const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1);
	return rows.map((line, i) => {
		const [, age, , , total] = line.split(',');
		if (Number(age) !== i) throw new Error(`life table row ${i} has age ${age}`);
		return Number(total);
	});
}

export interface SickSickerInputs {
	/** true: the state-residence model with n_cycles tunnel states for S1 */
	tunnels: boolean;
	/** Weibull scale and shape of the S1 -> S2 hazard by time in S1 (tunnel model only) */
	weibullScale: number;
	weibullShape: number;
	/** within-cycle correction weights for time points 0..n (length n + 1) */
	weights: number[];
	/**
	 * The introductory tutorial's time-independent variant (Alarid-Escudero et al. 2023, Med Decis
	 * Making 43(1):3-20): constant background mortality rate 0.002 instead of the life table, and
	 * no transition rewards.
	 */
	timeIndependent?: boolean;
}

export interface StrategyOutcome {
	cost: number;
	qaly: number;
}

/** darthtools::gen_wcc(n, "Simpson1/3"), transcribed: 1/3 at both ends, 2/3 at odd t, 4/3 at even t. */
export function darthSimpsonWeights(n: number): number[] {
	const w: number[] = [];
	for (let i = 1; i <= n + 1; i++) w.push(i % 2 === 0 ? 2 / 3 : 4 / 3);
	w[0] = 1 / 3;
	w[n] = 1 / 3;
	return w;
}

const base = {
	ageStart: 25,
	cycles: 75,
	rHS1: 0.15,
	rS1H: 0.5,
	rS1S2: 0.105,
	hrS1: 3,
	hrS2: 10,
	hrS1S2trtB: 0.6,
	cH: 2000,
	cS1: 4000,
	cS2: 15000,
	cTrtA: 12000,
	cTrtB: 13000,
	uH: 1,
	uS1: 0.75,
	uS2: 0.5,
	uTrtA: 0.95,
	duHS1: 0.01,
	icHS1: 1000,
	icD: 2000,
	discount: 0.03
};

const toProb = (rate: number) => 1 - Math.exp(-rate);

export function sickSickerReference(inputs: SickSickerInputs): Record<'SoC' | 'A' | 'B' | 'AB', StrategyOutcome> {
	const n = base.cycles;
	const mx = readTotalMx();
	const nS1 = inputs.tunnels ? n : 1;
	const H = 0;
	const S1 = (tau: number) => tau; // tau = 1..nS1
	const S2 = nS1 + 1;
	const D = nS1 + 2;
	const size = nS1 + 3;

	const run = (treatA: boolean, treatB: boolean): StrategyOutcome => {
		const stateCost = new Array<number>(size).fill(0);
		const stateUtil = new Array<number>(size).fill(0);
		stateCost[H] = base.cH;
		stateUtil[H] = base.uH;
		const treatment = (treatA ? base.cTrtA : 0) + (treatB ? base.cTrtB : 0);
		for (let tau = 1; tau <= nS1; tau++) {
			stateCost[S1(tau)] = base.cS1 + treatment;
			stateUtil[S1(tau)] = treatA ? base.uTrtA : base.uS1;
		}
		stateCost[S2] = base.cS2 + treatment;
		stateUtil[S2] = base.uS2;

		let m = new Array<number>(size).fill(0);
		m[H] = 1;
		let cost = 0;
		let qaly = 0;
		// t = 0: A_0 = diag(m_0), so only state rewards
		for (let j = 0; j < size; j++) {
			cost += m[j] * stateCost[j] * inputs.weights[0];
			qaly += m[j] * stateUtil[j] * inputs.weights[0];
		}
		for (let t = 1; t <= n; t++) {
			const rHD = inputs.timeIndependent ? 0.002 : mx[base.ageStart + t - 1];
			const pHD = toProb(rHD);
			const pS1D = toProb(rHD * base.hrS1);
			const pS2D = toProb(rHD * base.hrS2);
			const pHS1 = toProb(base.rHS1);
			const pS1H = toProb(base.rS1H);
			const P: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(0));
			P[H][H] = (1 - pHD) * (1 - pHS1);
			P[H][S1(1)] = (1 - pHD) * pHS1;
			P[H][D] = pHD;
			for (let tau = 1; tau <= nS1; tau++) {
				const rate = inputs.tunnels
					? Math.pow(tau * inputs.weibullScale, inputs.weibullShape) -
						Math.pow((tau - 1) * inputs.weibullScale, inputs.weibullShape)
					: base.rS1S2;
				const pS1S2 = toProb(rate * (treatB ? base.hrS1S2trtB : 1));
				const next = S1(Math.min(tau + 1, nS1));
				P[S1(tau)][H] = (1 - pS1D) * pS1H;
				P[S1(tau)][next] = (1 - pS1D) * (1 - (pS1H + pS1S2));
				P[S1(tau)][S2] = (1 - pS1D) * pS1S2;
				P[S1(tau)][D] = pS1D;
			}
			P[S2][S2] = 1 - pS2D;
			P[S2][D] = pS2D;
			P[D][D] = 1;

			const d = 1 / Math.pow(1 + base.discount, t);
			const w = inputs.weights[t];
			const next = new Array<number>(size).fill(0);
			let yCost = 0;
			let yQaly = 0;
			for (let i = 0; i < size; i++)
				for (let j = 0; j < size; j++) {
					const a = m[i] * P[i][j]; // A_t[i][j]
					next[j] += a;
					let rc = stateCost[j];
					let ru = stateUtil[j];
					if (inputs.timeIndependent) {
						// no transition rewards in the introductory model
					} else if (i === H && j === S1(1)) {
						rc += base.icHS1;
						ru -= base.duHS1;
					}
					if (!inputs.timeIndependent && j === D && i !== D) rc += base.icD;
					yCost += a * rc;
					yQaly += a * ru;
				}
			cost += yCost * d * w;
			qaly += yQaly * d * w;
			m = next;
		}
		return { cost, qaly };
	};

	return { SoC: run(false, false), A: run(true, false), B: run(false, true), AB: run(true, true) };
}
