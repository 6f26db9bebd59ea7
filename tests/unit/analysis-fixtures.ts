/** Small models for the analysis tests, each simple enough to work out by hand. */
import type { ModelInput } from '../../src/lib/engine';

const base = { unit: 'u', group: 'g', assumption: 'test value' } as const;

/**
 * Two strategies, one absorbing "alive" state for 5 annual cycles, no discounting, rewards at
 * cycle end: cost = 5 (c + d) (+ price once for "new"), QALYs = 5 u (5 uNew for "new").
 * Totals are linear in every parameter, so PSA means converge to the deterministic result.
 */
export function linearModel(): ModelInput {
	return {
		formatVersion: 1,
		id: 'linear',
		title: 'Linear test model',
		description: 'Totals linear in the parameters.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 5,
		startAge: 40,
		discountRates: { costs: 0, outcomes: 0 },
		cycleCorrection: 'end',
		willingnessToPay: 20000,
		costCategories: [{ id: 'care', label: 'Care' }],
		parameters: {
			c: { ...base, value: 1000, low: 800, high: 1200, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'care cost', distribution: { type: 'gamma', se: 200 } },
			d: { ...base, value: 500, low: 400, high: 600, kind: 'other', description: 'other cost', distribution: { type: 'normal', sd: 50 } },
			u: { ...base, value: 0.7, low: 0.65, high: 0.75, kind: 'utility', description: 'utility', distribution: { type: 'beta', se: 0.05 } },
			uNew: { ...base, value: 0.8, low: 0.7, high: 0.9, kind: 'utility', description: 'utility on new', distribution: { type: 'beta', se: 0.05 } },
			price: { ...base, value: 8000, low: 4000, high: 12000, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'one-off price', distribution: { type: 'lognormal', se: 1000 } }
		},
		states: [{ id: 'alive', label: 'Alive', costs: { care: 'c + d' }, utility: 'u' }],
		strategies: [
			{ id: 'old', label: 'Old', start: { alive: 1 }, transitions: { alive: { alive: 1 } } },
			{
				id: 'new',
				label: 'New',
				start: { alive: 1 },
				transitions: { alive: { alive: 1 } },
				stateValues: { alive: { utility: 'uNew' } },
				startValues: { costs: { care: 'price' } }
			}
		]
	};
}

/**
 * One annual cycle, end-of-cycle rewards, no discounting, nobody dies:
 * old: cost 1000 (one-off), QALYs 0.7; new: cost price + extra (one-off), QALYs uNew.
 * INB(new vs old) at wtp = wtp (uNew - 0.7) - (price + extra - 1000).
 */
export function oneCycleModel(): ModelInput {
	return {
		formatVersion: 1,
		id: 'one-cycle',
		title: 'One-cycle test model',
		description: 'Hand-solvable.',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: 1,
		startAge: 40,
		discountRates: { costs: 0, outcomes: 0 },
		cycleCorrection: 'end',
		willingnessToPay: 20000,
		costCategories: [{ id: 'drug', label: 'Drug' }],
		parameters: {
			price: { ...base, value: 3000, low: 2000, high: 4000, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'price of new' },
			extra: { ...base, value: 200, low: 0, high: 500, kind: 'cost', currency: 'GBP', priceYear: 2024, description: 'extra cost of new' },
			uNew: { ...base, value: 0.8, low: 0.78, high: 0.9, kind: 'utility', description: 'utility on new' }
		},
		states: [{ id: 'alive', label: 'Alive', utility: 0.7 }],
		strategies: [
			{ id: 'old', label: 'Old', start: { alive: 1 }, transitions: { alive: { alive: 1 } }, startValues: { costs: { drug: 1000 } } },
			{
				id: 'new',
				label: 'New',
				start: { alive: 1 },
				transitions: { alive: { alive: 1 } },
				stateValues: { alive: { utility: 'uNew' } },
				startValues: { costs: { drug: 'price + extra' } }
			}
		]
	};
}
