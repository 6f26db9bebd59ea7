/** The model library: every JSON file in models/ (except the schema), bundled at build time. */
import type { ModelInput } from '$lib/engine';

const files = import.meta.glob<ModelInput>(['/models/*.json', '!/models/schema.json'], {
	eager: true,
	import: 'default'
});

export interface LibraryEntry {
	id: string;
	title: string;
	file: string;
	model: ModelInput;
}

export const library: LibraryEntry[] = Object.entries(files)
	.map(([path, model]) => ({ id: model.id, title: model.title, file: path.replace(/^\/models\//, ''), model }))
	.sort((a, b) => (a.id === DEFAULT_MODEL_ID ? -1 : b.id === DEFAULT_MODEL_ID ? 1 : a.title.localeCompare(b.title)));

export const DEFAULT_MODEL_ID = 'ms';

export function defaultEntry(): LibraryEntry {
	return library.find((e) => e.id === DEFAULT_MODEL_ID) ?? library[0];
}
