/**
 * Small synthetic models for the budget tests, simple enough that every expected number is
 * computed by hand (closed forms in the tests), independently of the engine.
 */
import type { ModelInput } from '../../src/lib/engine';
import type { BudgetSettingsInput } from '../../src/lib/engine/budget';

export interface FixtureOptions {
	/** yearly death probability (both strategies) */
	pDeath?: number;
	/** yearly probability of therapy failure after the one-off therapy */
	pFail?: number;
	/** yearly death probability after failure */
	pDeathFailed?: number;
	/** one-off price of the cell therapy at model start */
	price?: number;
	/** yearly DMT cost; a string may be an expression */
	dmtCost?: number | string;
	cycleCorrection?: 'start' | 'end' | 'half-cycle' | 'life-table';
	discount?: number;
	horizon?: number;
}

/**
 * States: well, failed, dead. Strategies: dmt (lifelong drug cost each year in `well`) and cell
 * (one-off price in category `therapy` at model start; failure leads to `failed`, which then
 * costs the DMT again as rescue treatment).
 */
export function fixtureModel(o: FixtureOptions = {}): ModelInput {
	const pDeath = o.pDeath ?? 0;
	const pFail = o.pFail ?? 0;
	const pDeathFailed = o.pDeathFailed ?? pDeath;
	return {
		formatVersion: 1,
		id: 'fixture',
		title: 'Budget test fixture',
		description: 'Synthetic model for budget impact tests',
		currency: 'GBP',
		priceYear: 2024,
		cycleLength: 1,
		horizon: o.horizon ?? 30,
		startAge: 35,
		discountRates: { costs: o.discount ?? 0, outcomes: o.discount ?? 0 },
		cycleCorrection: o.cycleCorrection ?? 'start',
		willingnessToPay: 30000,
		costCategories: [
			{ id: 'therapy', label: 'One-off therapy' },
			{ id: 'drug', label: 'Drugs' }
		],
		parameters: {
			pDeath: { value: pDeath, kind: 'probability', unit: 'per year', description: 'death', group: 'test', assumption: 'test' },
			pFail: { value: pFail, kind: 'probability', unit: 'per year', description: 'failure', group: 'test', assumption: 'test' },
			pDeathFailed: { value: pDeathFailed, kind: 'probability', unit: 'per year', description: 'death after failure', group: 'test', assumption: 'test' },
			price: { value: o.price ?? 50000, kind: 'cost', currency: 'GBP', priceYear: 2024, unit: 'GBP', description: 'one-off price', group: 'test', assumption: 'test' }
		},
		states: [
			{ id: 'well', label: 'Well', utility: 0.8 },
			{ id: 'failed', label: 'Failed', utility: 0.5, costs: { drug: o.dmtCost ?? 1000 } },
			{ id: 'dead', label: 'Dead', dead: true, utility: 0 }
		],
		strategies: [
			{
				id: 'dmt',
				label: 'Lifelong DMT',
				start: { well: 1 },
				transitions: { well: { well: 'C', dead: 'pDeath' }, failed: { failed: 'C', dead: 'pDeath' }, dead: { dead: 1 } },
				stateValues: { well: { costs: { drug: o.dmtCost ?? 1000 }, utility: 0.7 } }
			},
			{
				id: 'cell',
				label: 'One-off cell therapy',
				start: { well: 1 },
				transitions: {
					well: { well: 'C', failed: 'pFail', dead: 'pDeath' },
					failed: { failed: 'C', dead: 'pDeathFailed' },
					dead: { dead: 1 }
				},
				startValues: { costs: { therapy: 'price' } }
			}
		]
	};
}

export function fixtureSettings(over: Partial<BudgetSettingsInput> = {}): BudgetSettingsInput {
	const a = (value: number, unit: string) => ({ value, unit, assumption: 'test input' });
	return {
		formatVersion: 1,
		id: 'fixture-budget',
		title: 'Test budget',
		description: 'test',
		modelId: 'fixture',
		horizonYears: 5,
		population: {
			prevalentCases: a(100, 'people'),
			sharePrevalentEligibleType: a(1, 'share'),
			incidentCasesPerYear: a(10, 'people per year'),
			shareIncidentEligibleType: a(1, 'share'),
			shareTreated: a(1, 'share'),
			shareEligible: a(1, 'share')
		},
		uptake: {
			current: { shares: { dmt: [1], cell: [0] } },
			new: { shares: { dmt: [1], cell: [0] } },
			assumption: 'test'
		},
		...over
	};
}
