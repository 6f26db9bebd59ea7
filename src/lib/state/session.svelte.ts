/**
 * The state of one working session: which model is open, what the user has typed, and the
 * deterministic result of the valid inputs, re-run on every edit: at once when the model's runs
 * take less than a frame, else in the run worker while the last result stays on the page
 * (`calculating`; runClient.svelte.ts). Typed text is kept per field, so an invalid entry shows
 * an error beside its field and never loses other edits.
 */
import '$lib/ui/zodSetup';
import { SvelteMap } from 'svelte/reactivity';
import { compile, compiledFor, createRunner, own, ModelError, type CompiledModel, type ModelInput, type Runner, type Settings } from '$lib/engine';
import { parseParameter, parseSetting } from '$lib/ui/parseField';
import { measure, RUN_MEASURE } from '$lib/ui/measures';
import { RunScheduler } from '$lib/workers/runClient.svelte';
import { runOutcome, type RunOutcome } from './runOutcome';
import { NUMERIC_SETTINGS, type NumericSettingKey } from './settingsFields';
import { effectiveSettings, normalizeInputs, type ScenarioInputs } from './inputs';
import { parametersConcerned } from './issueFields';

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

export type { RunOutcome };

export function openModel(model: ModelInput, origin: OpenModel['origin'], fileName: string): OpenModel {
	const compiled = compile(model);
	return { id: compiled.model.id, title: compiled.model.title, model, origin, fileName, compiled, runner: createRunner(compiled) };
}

/** recent runs per open model, so comparing scenarios does not re-run unchanged ones on every keystroke */
const recent = new WeakMap<OpenModel, Map<string, RunOutcome>>();
const RECENT_RUNS = 16;

/** The recent runs of a model, oldest first, at most RECENT_RUNS of them (a Map that forgets the oldest). */
class RecentRuns extends Map<string, RunOutcome> {
	override set(key: string, value: RunOutcome): this {
		super.set(key, value);
		if (this.size > RECENT_RUNS) this.delete(this.keys().next().value as string);
		return this;
	}
}

function recentRuns(open: OpenModel): Map<string, RunOutcome> {
	let cache = recent.get(open);
	if (!cache) recent.set(open, (cache = new RecentRuns()));
	return cache;
}

const runKey = (inputs: Pick<ScenarioInputs, 'parameters' | 'settings'>) => JSON.stringify([inputs.parameters, inputs.settings]);

/** The run of the inputs, made now on the main thread (or from the recent runs). */
export function runInputs(open: OpenModel, inputs: Pick<ScenarioInputs, 'parameters' | 'settings'>): RunOutcome {
	const cache = recentRuns(open);
	const key = runKey(inputs);
	const hit = cache.get(key);
	if (hit) return hit;
	const started = performance.now();
	const outcome = runOutcome(open.runner, { parameters: inputs.parameters, settings: inputs.settings });
	if (outcome.ok) measure(RUN_MEASURE, started, performance.now());
	cache.set(key, outcome);
	return outcome;
}

/**
 * The run of the inputs for a part of the page (`slot`), or null while the run worker makes it
 * (a model whose runs take longer than a frame; runClient.svelte.ts): typing never waits for it.
 */
export function deferredRun(runs: RunScheduler, slot: string, open: OpenModel, inputs: Pick<ScenarioInputs, 'parameters' | 'settings'>): RunOutcome | null {
	const options = { parameters: inputs.parameters, settings: inputs.settings };
	return runs.get({ slot, kind: 'run', model: open.model, options, key: runKey(inputs), cache: recentRuns(open), compute: () => runOutcome(open.runner, options) });
}

export class Session {
	open: OpenModel = $state.raw() as OpenModel;
	/**
	 * text typed per parameter id (only fields the user touched); a Map, so a parameter named
	 * `constructor` or `toString` is a key like any other, not a property every object inherits
	 */
	readonly drafts = new SvelteMap<string, string>();
	settingDrafts: Partial<Record<NumericSettingKey, string>> = $state({});
	cycleCorrection: Settings['cycleCorrection'] | undefined = $state();
	currency: string | undefined = $state();
	perspective: string | undefined = $state();
	/** settings with no field on the page (start age, cycle length) carried from applied inputs */
	carried: { startAge?: number; cycleLength?: number } = $state({});
	/** the parameter search text (here so an error message can bring its field into view) */
	paramFilter = $state('');
	/** the saved scenario these inputs came from (for overwrite and conflict detection) */
	loaded: { id: string; name: string; rev: number } | null = $state(null);

	/** makes the runs of slow models in a worker, so an edit never waits for its run */
	readonly runs: RunScheduler;

	constructor(open: OpenModel, runs = new RunScheduler()) {
		this.open = open;
		this.runs = runs;
	}

	get defaults(): Settings {
		return this.open.compiled.settings;
	}

	parameterLabel(id: string): string {
		const p = own(this.open.compiled.model.parameters, id);
		return p ? p.description : id;
	}

	/** valid parameter overrides and the errors of invalid ones */
	parameterState = $derived.by(() => {
		const overrides: Record<string, number> = {};
		const errors = new Map<string, string>();
		const params = this.open.compiled.model.parameters;
		for (const [id, text] of this.drafts) {
			const p = own(params, id);
			if (!p) continue;
			const r = parseParameter(p.description, p, text);
			if (r.ok) overrides[id] = r.value;
			else errors.set(id, r.message);
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
		settings = { ...settings, ...this.carried };
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

	/**
	 * The model with its costs in the currency and price year the settings ask for (what the
	 * parameter fields show and take); the open model's own when that target cannot be reached,
	 * whose error `targetErrors` puts beside the setting.
	 */
	target = $derived.by((): { compiled: CompiledModel; errors: Record<string, string> } => {
		try {
			return { compiled: compiledFor(this.open.compiled, { settings: this.settingState.settings }), errors: {} };
		} catch (e) {
			if (!(e instanceof ModelError)) throw e;
			const errors: Record<string, string> = {};
			for (const i of e.issues) {
				const key = i.path.replace(/^settings\./, '');
				errors[key] = errors[key] ? `${errors[key]}; ${i.message}` : i.message;
			}
			return { compiled: this.open.compiled, errors };
		}
	});

	#lastGood: RunOutcome | null = null;
	/** the run of the current inputs, or null while the run worker makes it */
	current: RunOutcome | null = $derived.by(() => deferredRun(this.runs, 'results', this.open, this.inputs));
	/** true while the results on the page are not yet those of the current inputs */
	calculating = $derived(this.current === null);
	#lastOutcome: RunOutcome | null = null;
	/** the run of the current inputs, or while it is being made the last one (whose errors stay beside their fields) */
	outcome: RunOutcome = $derived.by(() => {
		const current = this.current;
		if (current) return (this.#lastOutcome = current);
		return this.#lastOutcome ?? (this.#lastOutcome = runInputs(this.open, this.inputs));
	});

	/** the last successful run, shown (marked stale) while the current inputs fail */
	shown = $derived.by(() => {
		if (this.outcome.ok) this.#lastGood = this.outcome;
		return this.#lastGood as Extract<RunOutcome, { ok: true }> | null;
	});

	get settings(): Settings {
		return effectiveSettings(this.defaults, this.inputs.settings);
	}

	get errorCount(): number {
		return this.parameterState.errors.size + Object.keys(this.settingState.errors).length;
	}

	/** errors of the run attached to parameter fields (e.g. a transition row that no longer sums to 1) */
	runErrors = $derived.by(() => {
		const byField = new Map<string, string>();
		if (!this.outcome.ok)
			for (const i of this.outcome.issues)
				for (const id of parametersConcerned(this.open.compiled.model, i.path))
					// beside the fields the user changed (a default cannot be the culprit alone)
					if (this.drafts.has(id) || i.path.startsWith('parameters.'))
						byField.set(id, `The model cannot run: ${i.path}: ${i.message}`);
		return byField;
	});

	setModel(open: OpenModel): void {
		this.open = open;
		this.#lastGood = null;
		this.#lastOutcome = null;
		this.runs.clear();
		this.resetAll();
	}

	/** Replaces every edit with the given inputs (from the URL, a saved scenario or a file). */
	applyInputs(inputs: ScenarioInputs): void {
		this.drafts.clear();
		for (const [k, v] of Object.entries(inputs.parameters)) this.drafts.set(k, String(v));
		const s = effectiveSettings(this.defaults, inputs.settings);
		const drafts: Partial<Record<NumericSettingKey, string>> = {};
		for (const f of NUMERIC_SETTINGS) if (f.get(s) !== f.get(this.defaults)) drafts[f.key] = String(f.get(s));
		this.settingDrafts = drafts;
		this.cycleCorrection = inputs.settings.cycleCorrection;
		this.currency = inputs.settings.currency;
		const carried: { startAge?: number; cycleLength?: number } = {};
		if (inputs.settings.startAge !== undefined) carried.startAge = inputs.settings.startAge;
		if (inputs.settings.cycleLength !== undefined) carried.cycleLength = inputs.settings.cycleLength;
		this.carried = carried;
		this.perspective = inputs.perspective;
	}

	resetParameter(id: string): void {
		this.drafts.delete(id);
	}

	resetSetting(key: NumericSettingKey): void {
		delete this.settingDrafts[key];
	}

	resetAll(): void {
		this.drafts.clear();
		this.settingDrafts = {};
		this.cycleCorrection = undefined;
		this.currency = undefined;
		this.perspective = undefined;
		this.carried = {};
		this.loaded = null;
	}
}
