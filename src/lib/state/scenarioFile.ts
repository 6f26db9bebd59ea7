/**
 * A scenario as a JSON file (export and import):
 *   { format: "cthe-scenario-file", version: 1, name, model: { id, title }, inputs, exportedAt }
 * Importing checks the file fully (format, version, inputs against the model) before anything
 * changes; a file that fails changes nothing and the message names the field. Overrides that do
 * not fit the model (an unknown parameter, a value out of range) are left out and named; a file
 * of which nothing fits is refused.
 */
import * as z from 'zod';
import type { Model, ModelIssue } from '$lib/engine';
import { ScenarioInputs, fitInputs } from './inputs';

export const SCENARIO_FILE_FORMAT = 'cthe-scenario-file';
export const SCENARIO_FILE_VERSION = 1;

const ScenarioFile = z
	.object({
		format: z.literal(SCENARIO_FILE_FORMAT),
		version: z.number().int(),
		name: z.string().min(1).max(200),
		model: z.object({ id: z.string(), title: z.string().optional() }),
		inputs: ScenarioInputs,
		exportedAt: z.string().optional(),
		appVersion: z.string().optional()
	})
	.strict();
export type ScenarioFile = z.infer<typeof ScenarioFile>;

export function scenarioFile(name: string, model: Pick<Model, 'id' | 'title'>, inputs: ScenarioInputs, appVersion: string): string {
	const file: ScenarioFile = {
		format: SCENARIO_FILE_FORMAT,
		version: SCENARIO_FILE_VERSION,
		name,
		model: { id: model.id, title: model.title },
		inputs,
		exportedAt: new Date().toISOString(),
		appVersion
	};
	return JSON.stringify(file, null, 2);
}

/** `dropped`: overrides that do not fit the model, left out of `file.inputs` (the others are kept) */
export type ReadScenario = { ok: true; file: ScenarioFile; dropped: ModelIssue[] } | { ok: false; message: string };

/** Parses and checks a scenario file; `findModel` gives the model it names, if the app has it. */
export function readScenarioFile(text: string, findModel: (id: string) => Model | undefined): ReadScenario {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (e) {
		return { ok: false, message: `Not a scenario file: the file is not valid JSON (${(e as Error).message}).` };
	}
	if (typeof data === 'object' && data !== null && (data as { version?: unknown }).version !== undefined) {
		const v = (data as { version: unknown }).version;
		if (typeof v === 'number' && v > SCENARIO_FILE_VERSION)
			return { ok: false, message: `This scenario file is format ${v}, newer than this app reads (${SCENARIO_FILE_VERSION}). Update the app.` };
	}
	const parsed = ScenarioFile.safeParse(data);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		return { ok: false, message: `Not a valid scenario file: ${i.path.join('.') || 'file'}: ${i.message}.` };
	}
	const model = findModel(parsed.data.inputs.modelId);
	if (!model) return { ok: false, message: `The scenario is for model "${parsed.data.inputs.modelId}", which is not open or in the library. Open that model first.` };
	const fit = fitInputs(model, parsed.data.inputs);
	// a file of which nothing fits is refused whole, so importing it changes nothing
	const nothingFits = !Object.keys(fit.inputs.parameters).length && !Object.keys(fit.inputs.settings).length;
	if (fit.issues.length && nothingFits)
		return { ok: false, message: `The scenario does not fit the model: ${fit.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}.` };
	return { ok: true, file: { ...parsed.data, inputs: fit.inputs }, dropped: fit.issues };
}
