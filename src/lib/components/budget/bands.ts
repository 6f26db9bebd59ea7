/**
 * The 95% interval of a yearly budget figure drawn as a band on a chart.js chart: the lower
 * percentile as a thin line, the upper one filled down to it ('-1', the dataset before it).
 * Each has its own stack id, so on the budget chart's stacked axis neither is added to the bars
 * or to the other line.
 */
export interface BandSeries {
	lower: ArrayLike<number>;
	upper: ArrayLike<number>;
}

/**
 * Two line datasets, in this order, that chart.js fills between; `id` keeps their stacks apart
 * from other datasets'. Legend labels are short ("95% interval: 2.5th percentile") so they fit
 * a phone's width.
 * @example datasets.push(...bandDatasets('incremental', summary.incremental, '#000000', 0.95))
 */
export function bandDatasets(id: string, band: BandSeries, colour: string, level: number) {
	const pct = (p: number) => `${Number((p * 100).toFixed(1))}th`;
	const interval = `${Math.round(level * 100)}% interval`;
	const common = { type: 'line' as const, borderColor: `${colour}66`, backgroundColor: `${colour}22`, borderWidth: 1, pointRadius: 0, order: 0 };
	return [
		{ ...common, label: `${interval}: ${pct((1 - level) / 2)} percentile`, data: Array.from(band.lower), fill: false as const, stack: `${id}-lower` },
		{ ...common, label: `${interval}: ${pct((1 + level) / 2)} percentile`, data: Array.from(band.upper), fill: '-1' as const, stack: `${id}-upper` }
	];
}
