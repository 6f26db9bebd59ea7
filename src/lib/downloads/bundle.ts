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
import * as z from 'zod';
import { compile, ModelError, MAX_BUNDLE_JSON_BYTES, MAX_MODEL_FILE_BYTES, type BreakevenResult, type CompiledModel, type ModelInput, type ModelIssue, type PaybackPriceResult, type Verdict } from '$lib/engine';
import { ScenarioInputs, fitInputs } from '$lib/state/inputs';
import { APP_NAME, APP_VERSION } from '$lib/ui/appInfo';
import { APP_PSA_ITERATIONS } from '$lib/state/settingsFields';

export const BUNDLE_FORMAT = 'cthe-bundle';
export const BUNDLE_VERSION = 1;

const Manifest = z.object({
	format: z.literal(BUNDLE_FORMAT),
	version: z.number().int(),
	app: z.object({ name: z.string(), version: z.string() }),
	createdAt: z.string(),
	scenarioName: z.string(),
	modelFile: z.string(),
	// the PSA panel's caps: a bundle cannot ask the worker for more than a user can type
	psa: z.object({ iterations: z.number().int().min(APP_PSA_ITERATIONS.min).max(APP_PSA_ITERATIONS.max), seed: z.number().int().min(0).max(4294967295) }).nullable(),
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
	| {
			ok: true;
			manifest: BundleManifest;
			model: ModelInput;
			compiled: CompiledModel;
			inputs: ScenarioInputs;
			files: string[];
			/** overrides in inputs.json that do not fit the model, left out (the others are applied) */
			dropped: ModelIssue[];
	  }
	| { ok: false; message: string };

/**
 * The entries of a zip by name (a Map: an entry named `__proto__` is an entry like any other),
 * with their declared sizes; nothing is inflated. A name used twice is refused, so the size
 * checked is the size of the one entry inflated.
 */
function zipDirectory(bytes: Uint8Array): Map<string, number> {
	const sizes = new Map<string, number>();
	unzipSync(bytes, {
		filter(f) {
			if (sizes.has(f.name)) throw new Error(`two entries are named ${JSON.stringify(f.name.slice(0, 80))}`);
			sizes.set(f.name, f.originalSize);
			return false;
		}
	});
	return sizes;
}

/**
 * Inflates one entry into a buffer of its declared size (fflate then never grows it, so a
 * size that lies cannot use more memory than it declares), refusing it when that size is
 * over `max`: a zip bomb is refused before anything is inflated. `name` is one of the fixed
 * names readBundle asks for (never `__proto__`).
 */
function entry(bytes: Uint8Array, sizes: Map<string, number>, name: string, max: number): Uint8Array {
	const size = sizes.get(name);
	if (size === undefined) throw new Error(`${name} is missing`);
	if (size > max) throw new Error(`${name} would inflate to ${(size / 1024 / 1024).toFixed(1)} MB; a bundle entry read by the app is at most ${(max / 1024 / 1024).toFixed(0)} MB`);
	const files = unzipSync(bytes, { filter: (f) => f.name === name });
	const out = Object.hasOwn(files, name) ? files[name] : undefined;
	if (!out) throw new Error(`${name} is missing`);
	return out;
}

/** A model file inside the bundle: `model/<name>.json`, as buildBundle writes it. */
const MODEL_FILE = /^model\/[\w.-]{1,200}$/;

export function readBundle(bytes: Uint8Array): ReadBundle {
	let sizes: Map<string, number>;
	try {
		sizes = zipDirectory(bytes);
	} catch (e) {
		return { ok: false, message: `not a zip file (${(e as Error).message})` };
	}
	const json = (path: string, max: number): unknown => {
		const t = strFromU8(entry(bytes, sizes, path, max));
		try {
			return JSON.parse(t);
		} catch {
			throw new Error(`${path} is not valid JSON`);
		}
	};
	try {
		const m = Manifest.safeParse(json('manifest.json', MAX_BUNDLE_JSON_BYTES));
		if (!m.success) return { ok: false, message: `manifest.json: ${m.error.issues[0].path.join('.')}: ${m.error.issues[0].message}` };
		if (m.data.version > BUNDLE_VERSION) return { ok: false, message: `bundle format ${m.data.version} is newer than this app reads (${BUNDLE_VERSION})` };
		if (!MODEL_FILE.test(m.data.modelFile))
			return { ok: false, message: `manifest.json: modelFile: "${m.data.modelFile.slice(0, 80)}" is not a model file in the bundle's model/ folder` };
		const model = json(m.data.modelFile, MAX_MODEL_FILE_BYTES) as ModelInput;
		let compiled: CompiledModel;
		try {
			compiled = compile(model);
		} catch (e) {
			if (e instanceof ModelError) return { ok: false, message: `the model file in the bundle is not valid: ${e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` };
			throw e;
		}
		const inputs = ScenarioInputs.safeParse(json('inputs.json', MAX_BUNDLE_JSON_BYTES));
		if (!inputs.success) return { ok: false, message: `inputs.json: ${inputs.error.issues[0].path.join('.')}: ${inputs.error.issues[0].message}` };
		const fit = fitInputs(compiled.model, inputs.data);
		const wrongModel = fit.issues.find((i) => i.path === 'modelId');
		if (wrongModel) return { ok: false, message: `inputs.json does not fit the model: ${wrongModel.path}: ${wrongModel.message}` };
		return { ok: true, manifest: m.data, model, compiled, inputs: fit.inputs, files: [...sizes.keys()], dropped: fit.issues };
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
}
