/**
 * The state of one working session: which model is open, what the user has typed, and the
 * deterministic result of the valid inputs (re-run at once on every edit). Typed text is kept
 * per field, so an invalid entry shows an error beside its field and never loses other edits.
 */
import '$lib/ui/zodSetup';
import { compile, createRunner, ModelError, type CompiledModel, type ModelInput, type ModelIssue, type RunResult, type Runner, type Settings } from '$lib/engine';
import { parseParameter, parseSetting } from '$lib/ui/parseField';
import { resultRows, type ResultRow } from '$lib/ui/resultsTable';
import { NUMERIC_SETTINGS, type NumericSettingKey } from './settingsFields';
import { effectiveSettings, normalizeInputs, type ScenarioInputs } from './inputs';

export interface OpenModel {
	id: string;
	title: string;
	/** the model file as written (kept for downloads and the bundle) */
	model: ModelInput;
	origin: 'library' | 'file';
	fileName: string;
	compiled: CompiledModel;
	runner: Runner;
}

export type RunOutcome = { ok: true; result: RunResult; rows: ResultRow[] } | { ok: false; issues: ModelIssue[] };

export function openModel(model: ModelInput, origin: OpenModel['origin'], fileName: string): OpenModel {
	const compiled = compile(model);
	return { id: compiled.model.id, title: compiled.model.title, model, origin, fileName, compiled, runner: createRunner(compiled) };
}

export function runInputs(open: OpenModel, inputs: Pick<ScenarioInputs, 'parameters' | 'settings'>): RunOutcome {
	try {
		const result = open.runner.run({ parameters: inputs.parameters, settings: inputs.settings });
		return { ok: true, result, rows: resultRows(result) };
	} catch (e) {
		if (e instanceof ModelError) return { ok: false, issues: e.issues };
		return { ok: false, issues: [{ path: '', code: 'not-finite', message: (e as Error).message }] };
	}
}

export class Session {
	open: OpenModel = $state.raw() as OpenModel;
	/** text typed per parameter id (only fields the user touched) */
	drafts: Record<string, string> = $state({});
	settingDrafts: Partial<Record<NumericSettingKey, string>> = $state({});
	cycleCorrection: Settings['cycleCorrection'] | undefined = $state();
	currency: string | undefined = $state();
	perspective: string | undefined = $state();
	/** the saved scenario these inputs came from (for overwrite and conflict detection) */
	loaded: { id: string; name: string; rev: number } | null = $state(null);

	constructor(open: OpenModel) {
		this.open = open;
	}

	get defaults(): Settings {
		return this.open.compiled.settings;
	}

	parameterLabel(id: string): string {
		const p = this.open.compiled.model.parameters[id];
		return p ? p.description : id;
	}

	/** valid parameter overrides and the errors of invalid ones */
	parameterState = $derived.by(() => {
		const overrides: Record<string, number> = {};
		const errors: Record<string, string> = {};
		const params = this.open.compiled.model.parameters;
		for (const [id, text] of Object.entries(this.drafts)) {
			const p = params[id];
			if (!p) continue;
			const r = parseParameter(p.description, p, text);
			if (r.ok) overrides[id] = r.value;
			else errors[id] = r.message;
		}
		return { overrides, errors };
	});

	settingState = $derived.by(() => {
		const errors: Partial<Record<NumericSettingKey | 'currency', string>> = {};
		let settings: Settings = { ...this.defaults, discountRates: { ...this.defaults.discountRates } };
		for (const f of NUMERIC_SETTINGS) {
			const text = this.settingDrafts[f.key];
			if (text === undefined) continue;
			const r = parseSetting(f.label, text, f.rule);
			if (r.ok) settings = { ...settings, ...f.set(r.value, settings) };
			else errors[f.key] = r.message;
		}
		if (this.cycleCorrection) settings.cycleCorrection = this.cycleCorrection;
		const cur = this.currency?.trim();
		if (cur !== undefined) {
			if (cur.length < 1 || cur.length > 8) errors.currency = 'Currency label: 1 to 8 characters, e.g. GBP';
			else settings.currency = cur;
		}
		return { settings, errors: errors as Record<string, string> };
	});

	/** the valid inputs, as overrides of the model defaults */
	inputs: ScenarioInputs = $derived.by(() =>
		normalizeInputs(
			this.open.compiled.model,
			{
				modelId: this.open.id,
				parameters: this.parameterState.overrides,
				settings: this.settingState.settings,
				perspective: this.perspective
			},
			this.defaults
		)
	);

	#lastGood: RunOutcome | null = null;
	outcome: RunOutcome = $derived.by(() => runInputs(this.open, this.inputs));

	/** the last successful run, shown (marked stale) while the current inputs fail */
	shown = $derived.by(() => {
		if (this.outcome.ok) this.#lastGood = this.outcome;
		return this.#lastGood as Extract<RunOutcome, { ok: true }> | null;
	});

	get settings(): Settings {
		return effectiveSettings(this.defaults, this.inputs.settings);
	}

	get errorCount(): number {
		return Object.keys(this.parameterState.errors).length + Object.keys(this.settingState.errors).length;
	}

	/** errors of the run attached to parameter fields (e.g. a transition row that no longer sums to 1) */
	runErrors = $derived.by(() => {
		const byField: Record<string, string> = {};
		if (!this.outcome.ok)
			for (const i of this.outcome.issues) {
				const m = /^parameters\.([A-Za-z][A-Za-z0-9_]*)/.exec(i.path);
				if (m) byField[m[1]] = i.message;
			}
		return byField;
	});

	setModel(open: OpenModel): void {
		this.open = open;
		this.#lastGood = null;
		this.resetAll();
	}

	/** Replaces every edit with the given inputs (from the URL, a saved scenario or a file). */
	applyInputs(inputs: ScenarioInputs): void {
		this.drafts = Object.fromEntries(Object.entries(inputs.parameters).map(([k, v]) => [k, String(v)]));
		const s = effectiveSettings(this.defaults, inputs.settings);
		const drafts: Partial<Record<NumericSettingKey, string>> = {};
		for (const f of NUMERIC_SETTINGS) if (f.get(s) !== f.get(this.defaults)) drafts[f.key] = String(f.get(s));
		this.settingDrafts = drafts;
		this.cycleCorrection = inputs.settings.cycleCorrection;
		this.currency = inputs.settings.currency;
		this.perspective = inputs.perspective;
	}

	resetParameter(id: string): void {
		delete this.drafts[id];
	}

	resetSetting(key: NumericSettingKey): void {
		delete this.settingDrafts[key];
	}

	resetAll(): void {
		this.drafts = {};
		this.settingDrafts = {};
		this.cycleCorrection = undefined;
		this.currency = undefined;
		this.perspective = undefined;
		this.loaded = null;
	}
}
