/**
 * One zip holding everything needed to check or reproduce a result: the model file, the inputs
 * with their sources, the results (JSON and CSV), trace and per-cycle costs, PSA draws and the
 * charts as PNG. `readBundle` loads it back: the model is compiled (validated) and the inputs
 * checked against it before anything on screen changes.
 *
 * The answer goes in too: results/verdict.json and verdict.txt (the verdict's fields and
 * sentences) and, when the break-even panel ran, results/breakeven.json and breakeven.txt.
 *
 *   manifest.json  { format: "cthe-bundle", version: 1, app, createdAt, scenarioName, modelFile,
 *                    psa: { iterations, seed } | null, files: [...] }
 */
import { strToU8, strFromU8, zipSync, unzipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { compile, ModelError, type BreakevenResult, type CompiledModel, type ModelInput, type PaybackPriceResult, type Verdict } from '$lib/engine';
import { ScenarioInputs, inputIssues } from '$lib/state/inputs';
import { APP_NAME, APP_VERSION } from '$lib/ui/appInfo';

export const BUNDLE_FORMAT = 'cthe-bundle';
export const BUNDLE_VERSION = 1;

const Manifest = z.object({
	format: z.literal(BUNDLE_FORMAT),
	version: z.number().int(),
	app: z.object({ name: z.string(), version: z.string() }),
	createdAt: z.string(),
	scenarioName: z.string(),
	modelFile: z.string(),
	psa: z.object({ iterations: z.number().int().positive(), seed: z.number().int() }).nullable(),
	files: z.array(z.string())
});
export type BundleManifest = z.infer<typeof Manifest>;

export interface BundleInput {
	modelFileName: string;
	model: ModelInput;
	scenarioName: string;
	inputs: ScenarioInputs;
	/** text files by path inside the zip */
	texts: Record<string, string>;
	/** binary files (chart PNGs) by path */
	binaries: Record<string, Uint8Array>;
	psa: { iterations: number; seed: number } | null;
	createdAt?: Date;
}

export function buildBundle(b: BundleInput): Uint8Array {
	const modelFile = `model/${b.modelFileName.replace(/[^\w.-]/g, '_') || 'model.json'}`;
	const files: Zippable = {};
	files[modelFile] = strToU8(JSON.stringify(b.model, null, 2));
	files['inputs.json'] = strToU8(JSON.stringify(b.inputs, null, 2));
	for (const [path, text] of Object.entries(b.texts)) files[path] = strToU8(text);
	for (const [path, bytes] of Object.entries(b.binaries)) files[path] = [bytes, { level: 0 }];
	const manifest: BundleManifest = {
		format: BUNDLE_FORMAT,
		version: BUNDLE_VERSION,
		app: { name: APP_NAME, version: APP_VERSION },
		createdAt: (b.createdAt ?? new Date()).toISOString(),
		scenarioName: b.scenarioName,
		modelFile,
		psa: b.psa,
		files: Object.keys(files).sort()
	};
	files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
	return zipSync(files, { level: 6 });
}

/**
 * The verdict and the break-even result as files of the bundle (JSON with every field, and the
 * sentences as text); either may be absent.
 *
 *     answerFiles(verdict, null); // { 'results/verdict.json': '{...}', 'results/verdict.txt': 'At GBP 20,000 ...' }
 */
export function answerFiles(verdict: Verdict | null, breakeven: { breakeven: BreakevenResult; payback: PaybackPriceResult | null; psa?: { sentences: string[] } | null } | null): Record<string, string> {
	const out: Record<string, string> = {};
	if (verdict) {
		out['results/verdict.json'] = JSON.stringify(verdict, null, 2);
		out['results/verdict.txt'] = verdict.sentences.join('\n') + '\n';
	}
	if (breakeven) {
		out['results/breakeven.json'] = JSON.stringify(breakeven, null, 2);
		out['results/breakeven.txt'] = [...breakeven.breakeven.sentences, ...(breakeven.payback ? [breakeven.payback.sentence] : []), ...(breakeven.psa?.sentences ?? [])].join('\n') + '\n';
	}
	return out;
}

export type ReadBundle =
	| { ok: true; manifest: BundleManifest; model: ModelInput; compiled: CompiledModel; inputs: ScenarioInputs; files: string[] }
	| { ok: false; message: string };

export function readBundle(bytes: Uint8Array): ReadBundle {
	let entries: Record<string, Uint8Array>;
	try {
		entries = unzipSync(bytes);
	} catch (e) {
		return { ok: false, message: `not a zip file (${(e as Error).message})` };
	}
	const text = (path: string): string | null => (entries[path] ? strFromU8(entries[path]) : null);
	const json = (path: string): unknown => {
		const t = text(path);
		if (t === null) throw new Error(`${path} is missing`);
		try {
			return JSON.parse(t);
		} catch {
			throw new Error(`${path} is not valid JSON`);
		}
	};
	try {
		const m = Manifest.safeParse(json('manifest.json'));
		if (!m.success) return { ok: false, message: `manifest.json: ${m.error.issues[0].path.join('.')}: ${m.error.issues[0].message}` };
		if (m.data.version > BUNDLE_VERSION) return { ok: false, message: `bundle format ${m.data.version} is newer than this app reads (${BUNDLE_VERSION})` };
		const model = json(m.data.modelFile) as ModelInput;
		let compiled: CompiledModel;
		try {
			compiled = compile(model);
		} catch (e) {
			if (e instanceof ModelError) return { ok: false, message: `the model file in the bundle is not valid: ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
			throw e;
		}
		const inputs = ScenarioInputs.safeParse(json('inputs.json'));
		if (!inputs.success) return { ok: false, message: `inputs.json: ${inputs.error.issues[0].path.join('.')}: ${inputs.error.issues[0].message}` };
		const issues = inputIssues(compiled.model, inputs.data);
		if (issues.length) return { ok: false, message: `inputs.json does not fit the model: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
		return { ok: true, manifest: m.data, model, compiled, inputs: inputs.data, files: Object.keys(entries) };
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
}
