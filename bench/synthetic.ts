/**
 * Synthetic models for the benchmark: `states` progressive disease states (each may worsen by
 * one, improve by one, or die) plus death, `strategies` strategies that scale progression by a
 * hazard ratio, background mortality rising with age, costs and utilities per state drawn
 * from gamma and beta distributions. The numbers are placeholders for timing only, labelled as
 * assumptions; they are not data about any disease.
 */
import type { ModelInput } from '../src/lib/engine';

export interface SyntheticShape {
	states: number;
	cycles: number;
	strategies: number;
	/** tunnel length of the first state (post-treatment years), 1 for none */
	tunnel?: number;
}

const ASSUMPTION = 'synthetic benchmark value, not data';

export function syntheticModel(shape: SyntheticShape): ModelInput {
	const { states: N, cycles, strategies: K } = shape;
	const tunnel = shape.tunnel ?? 1;
	const parameters: ModelInput['parameters'] = {
		pProgress: { value: 0.1, kind: 'probability', unit: 'per cycle', description: 'progression', group: 'Transitions', distribution: { type: 'beta', se: 0.02 }, assumption: ASSUMPTION },
		pImprove: { value: 0.03, kind: 'probability', unit: 'per cycle', description: 'improvement', group: 'Transitions', distribution: { type: 'beta', se: 0.01 }, assumption: ASSUMPTION },
		hrDeath: { value: 1.5, low: 1.2, high: 1.9, kind: 'ratio', unit: 'HR', description: 'excess mortality', group: 'Transitions', distribution: { type: 'lognormal', fromRange: true }, assumption: ASSUMPTION },
		mBase: { expression: 'min(0.5, 0.001 * exp(0.08 * (age - 30)))', kind: 'probability', unit: 'per cycle', description: 'background mortality', group: 'Transitions' }
	};
	for (let s = 0; s < N; s++) {
		parameters[`c${s}`] = { value: 1000 + 500 * s, kind: 'cost', currency: 'GBP', priceYear: 2024, unit: 'per cycle', description: `cost state ${s}`, group: 'Costs', distribution: { type: 'gamma', se: 100 + 50 * s }, assumption: ASSUMPTION };
		parameters[`u${s}`] = { value: 0.9 - (0.8 * s) / N, kind: 'utility', unit: 'utility', description: `utility state ${s}`, group: 'Utilities', distribution: { type: 'beta', se: 0.03 }, assumption: ASSUMPTION };
	}
	for (let k = 0; k < K; k++) {
		parameters[`hr${k}`] = { value: 1 - 0.1 * k, low: 0.9 - 0.1 * k, high: 1.05 - 0.1 * k, kind: 'ratio', unit: 'HR', description: `effect ${k}`, group: 'Effects', distribution: { type: 'lognormal', fromRange: true }, assumption: ASSUMPTION };
		parameters[`drug${k}`] = { value: 5000 * k, low: 4000 * k, high: 6000 * k + 1, kind: 'cost', currency: 'GBP', priceYear: 2024, unit: 'per cycle', description: `drug ${k}`, group: 'Costs', assumption: ASSUMPTION };
	}
	const states: ModelInput['states'] = [];
	for (let s = 0; s < N; s++)
		states.push({ id: `s${s}`, label: `State ${s}`, costs: { disease: `c${s}` }, utility: `u${s}`, ...(s === 0 && tunnel > 1 ? { tunnel } : {}) });
	states.push({ id: 'dead', label: 'Dead', dead: true });
	const strategies: ModelInput['strategies'] = [];
	for (let k = 0; k < K; k++) {
		const transitions: Record<string, Record<string, string | number>> = {};
		for (let s = 0; s < N; s++) {
			const row: Record<string, string | number> = { [`s${s}`]: 'C', dead: 'mBase * hrDeath' };
			if (s + 1 < N) row[`s${s + 1}`] = `pProgress * hr${k}`;
			if (s > 0) row[`s${s - 1}`] = 'pImprove';
			transitions[`s${s}`] = row;
		}
		transitions.dead = { dead: 1 };
		const stateValues: Record<string, { costs: Record<string, string> }> = {};
		for (let s = 0; s < N; s++) stateValues[`s${s}`] = { costs: { disease: `c${s}`, drug: `drug${k}` } };
		strategies.push({ id: `t${k}`, label: `Strategy ${k}`, start: { s0: 1 }, transitions, stateValues });
	}
	return {
		formatVersion: 1,
		id: `synthetic-${N}x${cycles}`,
		title: `Synthetic ${N}-state, ${cycles}-cycle model (benchmark only)`,
		description: 'Generated for timing; not a model of any disease.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: cycles,
		startAge: 35,
		discountRates: { costs: 0.035, outcomes: 0.035 },
		cycleCorrection: 'half-cycle',
		willingnessToPay: 30000,
		costCategories: [
			{ id: 'disease', label: 'Disease management' },
			{ id: 'drug', label: 'Drug' }
		],
		parameters,
		states,
		strategies
	};
}
