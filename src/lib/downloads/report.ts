/**
 * The report for the app's Downloads and zip bundle: the same builder as `model report`
 * (src/lib/report), loaded only when asked for. The model file hashed is the one the bundle
 * saves (the model as JSON, two-space indent), so a reviewer can check it against the bundle.
 */
import type { ModelInput, OneWayResult, PsaResult, CompiledModel } from '$lib/engine';
import type { ScenarioInputs } from '$lib/state/inputs';
import { APP_NAME, APP_VERSION } from '$lib/ui/appInfo';

export interface AppReportInput {
	model: ModelInput;
	compiled: CompiledModel;
	modelFileName: string;
	inputs: ScenarioInputs;
	scenarioName: string;
	perspective: string;
	/** the PSA and one-way results, only when they were run on these inputs */
	psa: PsaResult | null;
	oneWay: OneWayResult | null;
	verdictSentences?: string[];
}

/** The model file text the bundle writes (model/<name>.json), which the report's hash covers. */
export function bundledModelText(model: ModelInput): string {
	return JSON.stringify(model, null, 2);
}

/**
 * The report of the app's current inputs, hashing the bundle's model file text (SHA-256).
 * @example saveText(await appReport({ model, compiled, inputs, ... }), 'ms_report.html', 'text/html')
 */
export async function appReport(a: AppReportInput): Promise<string> {
	const [{ buildReport }, { sha256Hex }] = await Promise.all([import('$lib/report/report'), import('$lib/report/hash')]);
	const text = bundledModelText(a.model);
	return buildReport({
		model: a.model,
		compiled: a.compiled,
		options: { parameters: a.inputs.parameters, settings: a.inputs.settings },
		scenarioName: a.scenarioName,
		perspective: a.perspective,
		modelFileName: a.modelFileName,
		modelHash: await sha256Hex(text),
		hashedText: `the model file as saved in the zip bundle (JSON, two-space indent, ${new TextEncoder().encode(text).length} bytes)`,
		engineName: APP_NAME,
		engineVersion: APP_VERSION,
		createdAt: new Date(),
		psa: a.psa && a.psa.iterations > 1 ? a.psa : null,
		oneWay: a.oneWay,
		verdictSentences: a.verdictSentences
	});
}
