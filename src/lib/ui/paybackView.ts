/** The payback result as shown on the page and marked on the cumulative cost chart. */
export interface Payback {
	/** years from start at which the one-off strategy's cumulative cost falls to the lifelong one's, or null */
	year: number | null;
	/** marker label on the chart */
	label: string;
	/** the sentence shown above the chart */
	text: string;
}
