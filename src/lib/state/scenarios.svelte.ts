/**
 * The saved-scenario list as reactive state over the storage logic in scenarioStore.ts; it
 * follows changes made in other tabs through the `storage` event.
 */
import { createScenarioStore, type SavedScenario, type ScenarioStore, type StoreResult } from './scenarioStore';
import type { ScenarioInputs } from './inputs';

export class ScenarioList {
	items: SavedScenario[] = $state([]);
	/** messages about entries recovered or set aside, conflicts and full storage */
	notices: { kind: 'ok' | 'warn' | 'error'; text: string }[] = $state([]);
	#store: ScenarioStore | null = null;

	/** Connects to the browser's storage; returns a function that disconnects. */
	connect(storage: Storage): () => void {
		this.#store = createScenarioStore(storage);
		this.refresh(true);
		const onStorage = (e: StorageEvent) => {
			if (this.#store?.concerns(e.key)) this.refresh(false);
		};
		window.addEventListener('storage', onStorage);
		return () => window.removeEventListener('storage', onStorage);
	}

	refresh(report: boolean): void {
		if (!this.#store) return;
		try {
			const { scenarios, notices } = this.#store.list();
			this.items = scenarios;
			if (report) for (const n of notices) this.notify('warn', n);
		} catch (e) {
			this.notify('error', `Saved scenarios could not be read: ${(e as Error).message}`);
		}
	}

	notify(kind: 'ok' | 'warn' | 'error', text: string): void {
		this.notices = [...this.notices.slice(-4), { kind, text }];
	}

	dismiss(i: number): void {
		this.notices = this.notices.filter((_, j) => j !== i);
	}

	#after(r: StoreResult, okText: (s: SavedScenario) => string): SavedScenario | null {
		if (!r.ok) {
			this.notify('error', r.message);
			return null;
		}
		this.notify(r.notice ? 'warn' : 'ok', r.notice ?? okText(r.scenario));
		this.refresh(false);
		return r.scenario;
	}

	save(name: string, inputs: ScenarioInputs, target?: { id: string; knownRev: number }): SavedScenario | null {
		if (!this.#store) return null;
		return this.#after(this.#store.save(name, inputs, target), (s) => `Saved scenario "${s.name}".`);
	}

	rename(s: SavedScenario, name: string): SavedScenario | null {
		if (!this.#store) return null;
		return this.#after(this.#store.rename(s.id, name, s.rev), (n) => `Renamed to "${n.name}".`);
	}

	duplicate(s: SavedScenario): SavedScenario | null {
		if (!this.#store) return null;
		return this.#after(this.#store.duplicate(s.id), (n) => `Duplicated as "${n.name}".`);
	}

	remove(s: SavedScenario): void {
		this.#store?.remove(s.id);
		this.notify('ok', `Deleted scenario "${s.name}".`);
		this.refresh(false);
	}
}
