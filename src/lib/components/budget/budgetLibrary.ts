/**
 * Budget settings bundled with the app (models/budget/*.json), matched to models by `modelId`.
 * The budget page opens the default model when it has settings, otherwise the first model that has.
 */
import { library, defaultEntry, type LibraryEntry } from '$lib/models/library';
import type { BudgetSettingsInput } from '$lib/engine';

const files = import.meta.glob<BudgetSettingsInput>('/models/budget/*.json', { eager: true, import: 'default' });

export interface BudgetEntry {
	model: LibraryEntry;
	settingsFile: string;
	settings: BudgetSettingsInput;
}

export const budgetEntries: BudgetEntry[] = library.flatMap((model) =>
	Object.entries(files)
		.filter(([, s]) => s.modelId === model.id)
		.map(([path, settings]) => ({ model, settingsFile: path.replace(/^\//, ''), settings }))
);

export function defaultBudgetEntry(modelId?: string | null): BudgetEntry | null {
	const wanted = modelId ?? defaultEntry()?.id;
	return budgetEntries.find((e) => e.model.id === wanted) ?? budgetEntries[0] ?? null;
}
