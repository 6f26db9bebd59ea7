/**
 * What a user changes without editing the model: parameter values and settings, stored as
 * overrides of the model's defaults (so a scenario stays small and says exactly what differs).
 * The same shape travels in the URL, in saved scenarios, in scenario files and in bundles.
 */
import * as z from 'zod';
// relative, not $lib: the command line (run by tsx, without the app's aliases) reads the perspective here too
import { SettingsOverride, mergeSettings, own, parameterValueProblem, type Model, type Settings, type ModelIssue } from '../engine';

export const PERSPECTIVES = ['Healthcare payer', 'Healthcare payer and social care', 'Societal'] as const;

export const ScenarioInputs = z
	.object({
		modelId: z.string().min(1).max(64),
		parameters: z.record(z.string(), z.number()),
		settings: SettingsOverride,
		/** a label recorded on every output: the model's cost categories define what is counted */
		perspective: z.string().max(200).optional()
	})
	.strict();
export type ScenarioInputs = z.infer<typeof ScenarioInputs>;

export function emptyInputs(modelId: string): ScenarioInputs {
	return { modelId, parameters: {}, settings: {} };
}

/** Checks inputs against a model: unknown parameters, values out of range, bad settings. */
export function inputIssues(model: Model, inputs: ScenarioInputs): ModelIssue[] {
	return fitInputs(model, inputs).issues;
}

/**
 * The inputs that fit the model, and the issues of those that do not: an override naming no
 * parameter of the model (only the model's own ids count, so `constructor` or `__proto__` is
 * refused) or with a value that parameter cannot take is dropped; the other overrides are kept.
 *   fitInputs(m, { ..., parameters: { constructor: 1, c_ocr: 22000 } })
 *     -> inputs.parameters = { c_ocr: 22000 }, issues = [parameters.constructor: no parameter named ...]
 */
export function fitInputs(model: Model, inputs: ScenarioInputs): { inputs: ScenarioInputs; issues: ModelIssue[] } {
	const issues: ModelIssue[] = [];
	if (inputs.modelId !== model.id)
		issues.push({ path: 'modelId', code: 'invalid-override', message: `inputs are for model "${inputs.modelId}", not "${model.id}"` });
	const parameters: Record<string, number> = {};
	for (const [id, v] of Object.entries(inputs.parameters)) {
		const p = own(model.parameters, id);
		if (!p) {
			issues.push({ path: `parameters.${id}`, code: 'invalid-override', message: `no parameter named "${id}" in ${model.id}` });
			continue;
		}
		const problem = parameterValueProblem(p, v);
		if (problem) issues.push({ path: `parameters.${id}`, code: 'invalid-override', message: `${p.description}: ${problem}` });
		else parameters[id] = v; // id is one of the model's parameter ids, never __proto__
	}
	const s = SettingsOverride.safeParse(inputs.settings);
	if (!s.success)
		for (const i of s.error.issues)
			issues.push({ path: ['settings', ...i.path.map(String)].join('.'), code: 'invalid-override', message: i.message });
	return { inputs: { ...inputs, parameters, settings: s.success ? inputs.settings : {} }, issues };
}

/**
 * The refused inputs as a sentence for a notice.
 *   droppedMessage([{ path: 'parameters.constructor', message: 'no parameter named ...' }])
 *     -> 'parameters.constructor: no parameter named ... (the other inputs are applied).'
 */
export function droppedMessage(issues: ModelIssue[]): string {
	return `${issues.map((i) => `${i.path}: ${i.message}`).join('; ')} (the other inputs are applied).`;
}

/** Settings after overrides, as the engine applies them (a horizon given as an age follows the start age). */
export function effectiveSettings(defaults: Settings, override: ScenarioInputs['settings']): Settings {
	try {
		return mergeSettings(defaults, override);
	} catch {
		// a horizon age not above the start age: the run reports it beside the field
		return { ...defaults, ...override, discountRates: { ...defaults.discountRates, ...(override.discountRates ?? {}) } };
	}
}

/** Flat list of the settings a user can change, for display and comparison. */
export function flatSettings(s: Settings): Record<string, number | string> {
	return {
		horizon: s.horizon,
		cycleLength: s.cycleLength,
		startAge: s.startAge,
		'discountRates.costs': s.discountRates.costs,
		'discountRates.outcomes': s.discountRates.outcomes,
		cycleCorrection: s.cycleCorrection,
		currency: s.currency,
		priceYear: s.priceYear,
		willingnessToPay: s.willingnessToPay
	};
}

/** Drops overrides equal to the model default, so URLs and files stay minimal. */
export function normalizeInputs(model: Model, inputs: ScenarioInputs, defaults: Settings): ScenarioInputs {
	const parameters: Record<string, number> = {};
	for (const [id, v] of Object.entries(inputs.parameters)) if (own(model.parameters, id)?.value !== v) parameters[id] = v;
	const settings: ScenarioInputs['settings'] = {};
	const o = inputs.settings;
	for (const key of ['currency', 'priceYear', 'cycleLength', 'horizon', 'startAge', 'cycleCorrection', 'willingnessToPay'] as const)
		if (o[key] !== undefined && o[key] !== defaults[key]) (settings as Record<string, unknown>)[key] = o[key];
	if (o.discountRates) {
		const dr = effectiveSettings(defaults, o).discountRates;
		if (dr.costs !== defaults.discountRates.costs || dr.outcomes !== defaults.discountRates.outcomes) settings.discountRates = dr;
	}
	const out: ScenarioInputs = { modelId: inputs.modelId, parameters, settings };
	if (inputs.perspective) out.perspective = inputs.perspective;
	return out;
}

/**
 * The parameter (0 or 1) behind which a model counts societal costs, as its file declares it
 * (`societalSwitch`), or null: the perspective then follows that parameter.
 * @example societalSwitchOf(msModel) // the parameter ms.json names; null for a model without one
 */
export function societalSwitchOf(model: Model): string | null {
	return model.societalSwitch !== undefined && own(model.parameters, model.societalSwitch) ? model.societalSwitch : null;
}

/**
 * The perspective of a set of inputs: from the model's societal switch when it declares one,
 * else the label the user chose (it changes no cost).
 * @example perspectiveOf(msModel, emptyInputs('ms')) // 'Healthcare payer'
 */
export function perspectiveOf(model: Model, inputs: ScenarioInputs): string {
	const societal = societalSwitchOf(model);
	if (societal !== null) {
		// societalSwitchOf names only a parameter the model has
		const v = own(inputs.parameters, societal) ?? model.parameters[societal].value;
		return v === 1 ? 'Societal' : 'Healthcare payer';
	}
	return inputs.perspective ?? PERSPECTIVES[0];
}
