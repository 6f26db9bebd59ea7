/**
 * The report's sections and the CHEERS 2022 items each one reports (Husereau D, Drummond M,
 * Augustovski F et al. Consolidated Health Economic Evaluation Reporting Standards 2022
 * (CHEERS 2022) statement. Value Health 2022;25(1):3-9, Table 1). Items the tool cannot know
 * (abstract, funding, engagement with patients) are listed as left to the analyst.
 */

export interface ReportSection {
	/** the element id of the section (and the anchor of its table-of-contents entry) */
	id: string;
	title: string;
	/** CHEERS 2022 item numbers this section reports */
	cheers: number[];
}

export const SECTIONS: ReportSection[] = [
	{ id: 'decision-problem', title: 'Decision problem and population', cheers: [3, 5, 6] },
	{ id: 'comparators', title: 'Comparators', cheers: [7] },
	{ id: 'perspective', title: 'Perspective and costs counted', cheers: [8, 14] },
	{ id: 'horizon', title: 'Time horizon', cheers: [9] },
	{ id: 'discounting', title: 'Discounting and cycle correction', cheers: [10] },
	{ id: 'outcomes', title: 'Outcomes', cheers: [11, 12, 13] },
	{ id: 'currency', title: 'Currency and price year', cheers: [15] },
	{ id: 'structure', title: 'Model structure', cheers: [16] },
	{ id: 'inputs', title: 'Inputs', cheers: [22] },
	{ id: 'assumptions', title: 'Assumptions', cheers: [17] },
	{ id: 'results', title: 'Results', cheers: [23] },
	{ id: 'verdict', title: 'Verdict', cheers: [23, 26] },
	{ id: 'uncertainty', title: 'Uncertainty', cheers: [20, 24] },
	{ id: 'limitations', title: 'Limitations', cheers: [26] },
	{ id: 'provenance', title: 'Engine version and model file', cheers: [] },
	{ id: 'not-covered', title: 'CHEERS items left to the analyst', cheers: [] }
];

/** CHEERS 2022 item titles (Husereau et al. 2022, Table 1). */
export const CHEERS_ITEMS: Record<number, string> = {
	1: 'Title',
	2: 'Abstract',
	3: 'Background and objectives',
	4: 'Health economic analysis plan',
	5: 'Study population',
	6: 'Setting and location',
	7: 'Comparators',
	8: 'Perspective',
	9: 'Time horizon',
	10: 'Discount rate',
	11: 'Selection of outcomes',
	12: 'Measurement of outcomes',
	13: 'Valuation of outcomes',
	14: 'Measurement and valuation of resources and costs',
	15: 'Currency, price date, and conversion',
	16: 'Rationale and description of model',
	17: 'Analytics and assumptions',
	18: 'Characterising heterogeneity',
	19: 'Characterising distributional effects',
	20: 'Characterising uncertainty',
	21: 'Approach to engagement with patients and others affected by the study',
	22: 'Study parameters',
	23: 'Summary of main results',
	24: 'Effect of uncertainty',
	25: 'Effect of engagement with patients and others affected by the study',
	26: 'Study findings, limitations, generalisability, and current knowledge',
	27: 'Source of funding',
	28: 'Conflicts of interest'
};

/** Items the report covers (the title, item 1, is the page's heading), in number order. */
export function coveredItems(): number[] {
	return [...new Set([1, ...SECTIONS.flatMap((s) => s.cheers)])].sort((a, b) => a - b);
}

/** Items a report generated from a model cannot fill in: the analyst writes them. */
export function uncoveredItems(): number[] {
	const covered = new Set(coveredItems());
	return Object.keys(CHEERS_ITEMS).map(Number).filter((n) => !covered.has(n));
}
