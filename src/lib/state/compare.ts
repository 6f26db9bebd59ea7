/**
 * Side-by-side comparison of scenarios of one model: every input that differs between them
 * (parameters and settings) and each scenario's results.
 */
import { own } from '$lib/engine';
import { effectiveSettings, flatSettings, type ScenarioInputs } from './inputs';
import { runInputs, type OpenModel, type RunOutcome } from './session.svelte';

export interface ComparedScenario {
	name: string;
	inputs: ScenarioInputs;
}

export interface InputDifference {
	key: string;
	label: string;
	unit: string;
	values: (number | string)[];
	/** true when the scenarios do not all share this value */
	differs: boolean;
}

export function compareInputs(open: OpenModel, scenarios: ComparedScenario[], includeSame = false): InputDifference[] {
	const model = open.compiled.model;
	const out: InputDifference[] = [];
	const paramIds = new Set(scenarios.flatMap((s) => Object.keys(s.inputs.parameters)));
	for (const id of Object.keys(model.parameters)) {
		if (!paramIds.has(id) && !includeSame) continue;
		const p = model.parameters[id];
		// expression parameters follow from the others; only plain inputs are compared
		if (p.value === undefined) continue;
		// a converted cost's model value to the penny, as its field shows it
		const cost = own(open.compiled.costs, id);
		const modelValue = cost && cost.factor !== 1 ? Math.round((p.value as number) * 100) / 100 : (p.value as number);
		const values = scenarios.map((s) => own(s.inputs.parameters, id) ?? modelValue);
		const differs = values.some((v) => v !== values[0]);
		if (differs || includeSame) out.push({ key: `parameters.${id}`, label: p.description, unit: p.unit, values, differs });
	}
	const flats = scenarios.map((s) => ({
		...flatSettings(effectiveSettings(open.compiled.settings, s.inputs.settings)),
		perspective: s.inputs.perspective ?? 'Healthcare payer'
	}));
	const labels: Record<string, [string, string]> = {
		horizon: ['Time horizon', 'cycles'],
		cycleLength: ['Cycle length', 'years'],
		startAge: ['Start age', 'years'],
		'discountRates.costs': ['Discount rate, costs', 'per year'],
		'discountRates.outcomes': ['Discount rate, outcomes', 'per year'],
		cycleCorrection: ['Cycle correction', ''],
		currency: ['Currency', ''],
		priceYear: ['Price year', ''],
		willingnessToPay: ['Willingness to pay', 'per QALY'],
		perspective: ['Perspective', '']
	};
	for (const key of Object.keys(flats[0] ?? {})) {
		const values = flats.map((f) => (f as Record<string, number | string>)[key]);
		const differs = values.some((v) => v !== values[0]);
		if (differs || includeSame) out.push({ key: `settings.${key}`, label: labels[key]?.[0] ?? key, unit: labels[key]?.[1] ?? '', values, differs });
	}
	return out;
}

export function compareResults(open: OpenModel, scenarios: ComparedScenario[]): RunOutcome[] {
	return scenarios.map((s) => runInputs(open, s.inputs));
}
