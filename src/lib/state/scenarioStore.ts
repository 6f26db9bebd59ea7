/**
 * Saved scenarios in the browser's localStorage, one key per scenario so two tabs saving
 * different scenarios never overwrite each other. Each entry is versioned:
 *   { format: "cthe-scenario", version: 1, id, name, savedAt, rev, inputs }
 * - version 0 (the flat `{ name, modelId, parameters, settings }` shape written before entries
 *   carried a version) is migrated in place;
 * - an entry that cannot be read is moved aside under `<prefix>setaside.<id>` (kept, not
 *   deleted, so nothing the user saved is lost) and reported, the others still load;
 * - a full storage (QuotaExceededError) gives a clear message and leaves every entry as it was;
 * - saving over a scenario that another tab changed since this tab read it keeps both.
 * Storage is injected so the logic is tested without a browser.
 */
import * as z from 'zod';
import { ScenarioInputs } from './inputs';

export const STORE_FORMAT = 'cthe-scenario';
export const STORE_VERSION = 1;
export const DEFAULT_PREFIX = 'cthe.';

const Entry = z
	.object({
		format: z.literal(STORE_FORMAT),
		version: z.literal(STORE_VERSION),
		id: z.string().min(1).max(100),
		name: z.string().min(1).max(200),
		savedAt: z.string(),
		rev: z.number().int().min(0),
		inputs: ScenarioInputs
	})
	.strict();
export type SavedScenario = z.infer<typeof Entry>;

const LegacyV0 = z.object({
	name: z.string().min(1).max(200),
	modelId: z.string().min(1),
	parameters: z.record(z.string(), z.number()).optional(),
	settings: z.record(z.string(), z.unknown()).optional(),
	savedAt: z.string().optional()
});

export type StoreResult = { ok: true; scenario: SavedScenario; notice?: string } | { ok: false; message: string };

export interface StoreOptions {
	prefix?: string;
	newId?: () => string;
	now?: () => Date;
}

export function isQuotaError(e: unknown): boolean {
	if (!(e instanceof Error) && !(typeof e === 'object' && e !== null)) return false;
	const err = e as { name?: string; code?: number };
	return err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err.code === 22 || err.code === 1014;
}

const FULL_MESSAGE =
	'Browser storage is full, so the scenario was not saved (your saved scenarios are unchanged). Delete or export some saved scenarios, then save again.';

export function createScenarioStore(storage: Storage, options: StoreOptions = {}) {
	const prefix = options.prefix ?? DEFAULT_PREFIX;
	const scenarioPrefix = `${prefix}scenario.`;
	const asidePrefix = `${prefix}setaside.`;
	const newId = options.newId ?? (() => crypto.randomUUID());
	const now = options.now ?? (() => new Date());

	const keys = (p: string): string[] => {
		const out: string[] = [];
		for (let i = 0; i < storage.length; i++) {
			const k = storage.key(i);
			if (k?.startsWith(p)) out.push(k);
		}
		return out;
	};

	/** Parses one stored entry; migrates version 0; null when unreadable. */
	const parseEntry = (raw: string, id: string): { scenario: SavedScenario; migrated: boolean } | { error: string } => {
		let data: unknown;
		try {
			data = JSON.parse(raw);
		} catch {
			return { error: 'not valid JSON' };
		}
		const current = Entry.safeParse(data);
		if (current.success) return { scenario: current.data, migrated: false };
		const hasVersion = typeof data === 'object' && data !== null && 'version' in data;
		if (!hasVersion) {
			const old = LegacyV0.safeParse(data);
			if (old.success) {
				const inputs = ScenarioInputs.safeParse({
					modelId: old.data.modelId,
					parameters: old.data.parameters ?? {},
					settings: old.data.settings ?? {}
				});
				if (inputs.success)
					return {
						scenario: {
							format: STORE_FORMAT,
							version: STORE_VERSION,
							id,
							name: old.data.name,
							savedAt: old.data.savedAt ?? now().toISOString(),
							rev: 0,
							inputs: inputs.data
						},
						migrated: true
					};
			}
		}
		const v = hasVersion ? (data as { version: unknown }).version : 'none';
		if (typeof v === 'number' && v > STORE_VERSION) return { error: `saved by a newer version of the app (format ${v})` };
		const first = current.error.issues[0];
		return { error: `${first.path.join('.') || 'entry'}: ${first.message}` };
	};

	const read = (id: string): SavedScenario | null => {
		const raw = storage.getItem(scenarioPrefix + id);
		if (raw === null) return null;
		const p = parseEntry(raw, id);
		return 'scenario' in p ? p.scenario : null;
	};

	const write = (s: SavedScenario): string | null => {
		try {
			storage.setItem(scenarioPrefix + s.id, JSON.stringify(s));
			return null;
		} catch (e) {
			return isQuotaError(e) ? FULL_MESSAGE : `The scenario was not saved: ${(e as Error).message ?? e}`;
		}
	};

	return {
		/** Every saved scenario, newest first, with notices about entries recovered or set aside. */
		list(): { scenarios: SavedScenario[]; notices: string[] } {
			const scenarios: SavedScenario[] = [];
			const notices: string[] = [];
			for (const key of keys(scenarioPrefix)) {
				const id = key.slice(scenarioPrefix.length);
				const raw = storage.getItem(key) ?? '';
				const p = parseEntry(raw, id);
				if ('scenario' in p) {
					scenarios.push(p.scenario);
					if (p.migrated) {
						const problem = write(p.scenario);
						notices.push(
							problem
								? `Saved scenario "${p.scenario.name}" is in an older format; it was read but could not be updated (${problem}).`
								: `Saved scenario "${p.scenario.name}" was in an older format and has been updated.`
						);
					}
				} else {
					try {
						storage.setItem(asidePrefix + id, raw);
						storage.removeItem(key);
						notices.push(
							`A saved scenario could not be read (${p.error}) and was set aside as "${asidePrefix + id}" in browser storage; your other scenarios are unaffected.`
						);
					} catch {
						notices.push(`A saved scenario could not be read (${p.error}); it was left in place and skipped.`);
					}
				}
			}
			scenarios.sort((a, b) => b.savedAt.localeCompare(a.savedAt) || a.name.localeCompare(b.name));
			return { scenarios, notices };
		},

		/**
		 * Saves inputs under a name. With `id`, overwrites that scenario, unless another tab has
		 * changed it since this tab read revision `knownRev`: then both are kept.
		 */
		save(name: string, inputs: ScenarioInputs, target?: { id: string; knownRev: number }): StoreResult {
			const trimmed = name.trim();
			if (!trimmed) return { ok: false, message: 'Give the scenario a name.' };
			if (trimmed.length > 200) return { ok: false, message: 'Scenario name: at most 200 characters.' };
			let notice: string | undefined;
			let id = newId();
			let rev = 0;
			let finalName = trimmed;
			if (target) {
				const existing = read(target.id);
				if (existing && existing.rev !== target.knownRev) {
					finalName = `${trimmed} (this tab)`;
					notice = `"${trimmed}" was changed in another tab since you opened it; both versions are kept and yours is saved as "${finalName}".`;
				} else {
					id = target.id;
					rev = (existing?.rev ?? target.knownRev) + 1;
					if (!existing) notice = `"${trimmed}" had been deleted (in another tab); it is saved again with your inputs.`;
				}
			}
			const scenario: SavedScenario = {
				format: STORE_FORMAT,
				version: STORE_VERSION,
				id,
				name: finalName,
				savedAt: now().toISOString(),
				rev,
				inputs
			};
			const problem = write(scenario);
			return problem ? { ok: false, message: problem } : { ok: true, scenario, notice };
		},

		rename(id: string, name: string, knownRev: number): StoreResult {
			const existing = read(id);
			if (!existing) return { ok: false, message: 'That scenario no longer exists (was it deleted in another tab?).' };
			return this.save(name, existing.inputs, { id, knownRev });
		},

		duplicate(id: string): StoreResult {
			const existing = read(id);
			if (!existing) return { ok: false, message: 'That scenario no longer exists (was it deleted in another tab?).' };
			return this.save(`${existing.name} (copy)`, existing.inputs);
		},

		remove(id: string): void {
			storage.removeItem(scenarioPrefix + id);
		},

		/** True when a storage event concerns saved scenarios (another tab changed them). */
		concerns(key: string | null): boolean {
			return key === null || key.startsWith(scenarioPrefix);
		}
	};
}
export type ScenarioStore = ReturnType<typeof createScenarioStore>;
