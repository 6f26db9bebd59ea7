/**
 * Random valid models for property tests, built twice from the same draws: as a model file
 * (expressions as text, for the engine) and as plain closures (for the naive reference in
 * engine-reference.test.ts). Every row's explicit probabilities sum to at most 1 and "C" takes
 * the rest; time and state_time variation only ever lowers an entry, so rows stay valid.
 */
import fc from 'fast-check';
import type { CycleCorrection, ModelInput } from '../../src/lib/engine';

export const CORRECTIONS: CycleCorrection[] = ['start', 'end', 'half-cycle', 'simpson', 'life-table'];

export interface RandomModelOptions {
	/** all costs (state and one-off) zero */
	zeroCosts?: boolean;
	/** state values constant over time (transitions may still vary) */
	constantValues?: boolean;
}

/**
 * The same model as closures: k = model_time (1..n), m = state_time (1..tunnel), scale = the
 * strategy's value of the parameter `scale` at cycle k.
 */
export interface PlainModel {
	tunnel: number[];
	dead: boolean[];
	/** per state: entries of its row; p === null is the complement */
	rows: { to: number; p: ((k: number, m: number, scale: number) => number) | null }[][];
	cost: ((k: number, scale: number) => number)[];
	utility: ((k: number) => number)[];
	/** one-off cost per person entering `to` from any other state */
	oneOff: { to: number; amount: number };
	strategies: {
		start: number[];
		/** the strategy's value of `scale` at cycle k (its override, or the model's value) */
		scale: (k: number) => number;
		/** per state: this strategy's care cost replacing the state's, or null */
		costOverride: (((k: number, scale: number) => number) | null)[];
	}[];
}

export function randomModel(g: fc.GeneratorValue, options: RandomModelOptions = {}): { model: ModelInput; plain: PlainModel } {
	const n = g(fc.integer, { min: 2, max: 8 });
	const ids = Array.from({ length: n }, (_, i) => `s${i}`);
	const prob = () => g(fc.double, { min: 0, max: 1, noNaN: true });
	const lastDead = g(fc.boolean);
	const plain: PlainModel = { tunnel: [], dead: [], rows: [], cost: [], utility: [], oneOff: { to: 0, amount: 0 }, strategies: [] };
	const baseScale = prob();

	const states = ids.map((id, i) => {
		const dead = lastDead && i === n - 1;
		const tunnel = !dead && g(fc.boolean) ? g(fc.integer, { min: 2, max: 4 }) : undefined;
		const cost = options.zeroCosts ? 0 : g(fc.double, { min: 0, max: 10000, noNaN: true });
		const utility = dead ? 0 : prob();
		const timeVarying = !options.constantValues && g(fc.boolean);
		const scaled = !options.constantValues && g(fc.boolean);
		plain.tunnel.push(tunnel ?? 1);
		plain.dead.push(dead);
		plain.cost.push(timeVarying ? (k) => cost * (k % 3 === 0 ? 0.5 : 1) : scaled ? (_k, sc) => cost * sc : () => cost);
		plain.utility.push(timeVarying ? (k) => utility * (k <= 2 ? 1 : 0.9) : () => utility);
		return {
			id,
			label: `State ${i}`,
			...(dead ? { dead: true } : {}),
			...(tunnel ? { tunnel } : {}),
			costs: { care: timeVarying ? `${cost} * (model_time % 3 == 0 ? 0.5 : 1)` : scaled ? `${cost} * scale` : cost },
			utility: timeVarying ? `${utility} * (model_time <= 2 ? 1 : 0.9)` : utility
		};
	});

	const transitions: Record<string, Record<string, string | number>> = {};
	states.forEach((s, i) => {
		if (s.dead) {
			transitions[s.id] = { [s.id]: 1 };
			plain.rows.push([{ to: i, p: () => 1 }]);
			return;
		}
		const complement = g(fc.integer, { min: 0, max: n - 1 });
		const targets = ids.map((_, j) => j).filter((j) => j !== complement && g(fc.boolean));
		const weights = targets.map(() => g(fc.double, { min: 0.01, max: 1, noNaN: true }));
		const total = weights.reduce((a, b) => a + b, 0);
		const mass = prob();
		const row: Record<string, string | number> = { [ids[complement]]: 'C' };
		const plainRow: PlainModel['rows'][number] = [{ to: complement, p: null }];
		targets.forEach((t, k) => {
			const p = (mass * weights[k]) / total;
			const kind = g(fc.integer, { min: 0, max: 3 });
			if (kind === 1) {
				const f = prob();
				row[ids[t]] = `${p} * (model_time % 2 == 0 ? ${f} : 1)`;
				plainRow.push({ to: t, p: (kk) => p * (kk % 2 === 0 ? f : 1) });
			} else if (kind === 2 && s.tunnel) {
				const f = prob();
				row[ids[t]] = `${p} * (state_time == 1 ? 1 : ${f})`;
				plainRow.push({ to: t, p: (_kk, m) => p * (m === 1 ? 1 : f) });
			} else if (kind === 3) {
				row[ids[t]] = `${p} * scale`;
				plainRow.push({ to: t, p: (_kk, _m, sc) => p * sc });
			} else {
				row[ids[t]] = p;
				plainRow.push({ to: t, p: () => p });
			}
		});
		transitions[s.id] = row;
		plain.rows.push(plainRow);
	});

	const randomStart = () => {
		const weights = ids.map(() => g(fc.double, { min: 0, max: 1, noNaN: true }));
		const total = weights.reduce((a, b) => a + b, 0);
		return total > 0 ? weights.map((w) => w / total) : ids.map((_, i) => (i === 0 ? 1 : 0));
	};
	plain.oneOff = { to: g(fc.integer, { min: 0, max: n - 1 }), amount: options.zeroCosts ? 0 : g(fc.double, { min: 0, max: 5000, noNaN: true }) };

	const model: ModelInput = {
		formatVersion: 1,
		id: 'random',
		title: 'Random model',
		description: 'Generated by a property test.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: g(fc.constantFrom, 1, 0.5, 0.25, 1 / 12, 2),
		horizon: g(fc.integer, { min: 1, max: 40 }),
		startAge: 50,
		discountRates: { costs: g(fc.double, { min: 0, max: 0.1, noNaN: true }), outcomes: g(fc.double, { min: 0, max: 0.1, noNaN: true }) },
		cycleCorrection: g(fc.constantFrom, ...CORRECTIONS),
		willingnessToPay: 20000,
		costCategories: [
			{ id: 'care', label: 'Care' },
			{ id: 'event', label: 'Events' }
		],
		parameters: {
			scale: { value: baseScale, kind: 'proportion', unit: 'proportion', description: 'Scales some entries and costs', group: 'Random', assumption: 'drawn by the property test' }
		},
		states,
		strategies: Array.from({ length: g(fc.integer, { min: 1, max: 3 }) }, (_, j) => {
			const start = randomStart();
			// a strategy may override scale by a number or by a time-dependent expression
			const override = g(fc.integer, { min: 0, max: 2 });
			const a = prob();
			const b = prob();
			const scale = override === 1 ? () => a : override === 2 ? (k: number) => (k <= 2 ? a : b) : () => baseScale;
			const costOverride = states.map((st) => (options.constantValues || options.zeroCosts || st.dead || !g(fc.boolean) ? null : g(fc.double, { min: 0, max: 10000, noNaN: true })));
			plain.strategies.push({
				start,
				scale,
				costOverride: costOverride.map((c, i) => (c === null ? null : i % 2 === 0 ? (_k: number, sc: number) => c * sc : () => c))
			});
			const stateValues = Object.fromEntries(
				costOverride.flatMap((c, i) => (c === null ? [] : [[ids[i], { costs: { care: i % 2 === 0 ? `${c} * scale` : c } }]]))
			);
			return {
				id: `st${j}`,
				label: `Strategy ${j}`,
				start: Object.fromEntries(ids.map((id, i) => [id, start[i]])),
				transitions,
				...(Object.keys(stateValues).length ? { stateValues } : {}),
				...(override === 1 ? { parameters: { scale: a } } : override === 2 ? { parameters: { scale: `model_time <= 2 ? ${a} : ${b}` } } : {}),
				transitionValues: [{ from: '*', to: ids[plain.oneOff.to], costs: { event: plain.oneOff.amount } }]
			};
		})
	};
	return { model, plain };
}
