/** File names that say what is inside: model, scenario and date, e.g. ms_base-case_2026-11-27_results.csv */
export function slug(text: string): string {
	const s = text
		.normalize('NFKD')
		.replace(/[^\w\s-]/g, '')
		.trim()
		.toLowerCase()
		.replace(/[\s_]+/g, '-')
		.replace(/-+/g, '-')
		.slice(0, 60);
	return s || 'scenario';
}

export function fileName(modelId: string, scenarioName: string, what: string, ext: string, date = new Date()): string {
	const day = date.toISOString().slice(0, 10);
	return `${slug(modelId)}_${slug(scenarioName)}_${day}_${slug(what)}.${ext}`;
}
