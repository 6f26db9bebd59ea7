/**
 * The full result as one JSON document: model file, inputs (with each parameter's source),
 * app version, PSA seed, deterministic results and, when run, the PSA summary.
 */
import type { ModelInput, RunResult } from '$lib/engine';
import type { ScenarioInputs } from '$lib/state/inputs';
import type { ResultRow } from '$lib/ui/resultsTable';
import { APP_NAME, APP_VERSION } from '$lib/ui/appInfo';

export const RESULT_FORMAT = 'cthe-result';
export const RESULT_VERSION = 1;

export interface PsaSummary {
	iterations: number;
	seed: number;
	[key: string]: unknown;
}

/**
 * Each parameter as used: value, whether the user changed it, and its evidence. `value` is in the
 * result's currency and price year; `modelValue`, `low`, `high` are as the file gives them, a cost
 * in its `currency` and `priceYear`.
 */
export function inputsWithSources(model: ModelInput, result: RunResult, inputs: ScenarioInputs) {
	return Object.entries(model.parameters).map(([id, p]) => ({
		id,
		description: p.description,
		group: p.group,
		unit: p.unit,
		value: result.parameters[id],
		modelValue: p.value ?? null,
		currency: p.currency ?? null,
		priceYear: p.priceYear ?? null,
		priceYearAssumed: p.priceYearAssumed ?? false,
		expression: p.expression ?? null,
		changedByUser: id in inputs.parameters,
		low: p.low ?? null,
		high: p.high ?? null,
		distribution: p.distribution ?? null,
		source: p.source ?? null,
		assumption: p.assumption ?? null
	}));
}

function strategyJson(result: RunResult) {
	return result.strategies.map((s) => ({
		id: s.id,
		label: s.label,
		discounted: s.discounted,
		undiscounted: s.undiscounted,
		stateYears: s.stateYears
	}));
}

export function resultDocument(opts: {
	model: ModelInput;
	inputs: ScenarioInputs;
	scenarioName: string;
	result: RunResult;
	rows: ResultRow[];
	psa: PsaSummary | null;
	createdAt?: Date;
}) {
	const { model, inputs, scenarioName, result, rows, psa } = opts;
	return {
		format: RESULT_FORMAT,
		version: RESULT_VERSION,
		app: { name: APP_NAME, version: APP_VERSION },
		createdAt: (opts.createdAt ?? new Date()).toISOString(),
		scenario: { name: scenarioName, inputs },
		model: { id: result.modelId, title: result.title, file: model },
		settings: result.settings,
		parameters: inputsWithSources(model, result, inputs),
		results: { incremental: rows, strategies: strategyJson(result) },
		psa
	};
}
