/**
 * A budget input's path in the user's words: `uptake.new.shares.ahsct.1` is "Year 2 share for
 * aHSCT (one-off), new world". Errors are shown with these names, beside the field they concern.
 */
export interface BudgetWords {
	strategyLabel: (id: string) => string;
	worldLabel: (world: string) => string;
	populationLabel: (key: string) => string | undefined;
}

const PAYMENT: Record<string, string> = {
	price: 'List price per patient',
	instalmentYears: 'Instalments (years)',
	instalmentRate: "Payer's rate on instalments",
	outcomeWindowYears: 'Outcome window (years)',
	refundShare: 'Share refunded on failure',
	priceCapPerQaly: 'Price cap per QALY',
	failureStates: 'Therapy failure states'
};

/**
 * @example fieldWords('uptake.new.shares.ahsct.1', w) // 'Year 2 share for aHSCT (one-off), new world'
 * @example fieldWords('horizonYears', w)              // 'Budget horizon (years)'
 */
export function fieldWords(path: string, w: BudgetWords): string {
	let m = /^uptake\.([^.]+)\.shares\.([^.]+)\.(\d+)/.exec(path);
	if (m) return `Year ${Number(m[3]) + 1} share for ${w.strategyLabel(m[2])}, ${w.worldLabel(m[1])}`;
	m = /^uptake\.([^.]+)\.prevalentShares\.([^.]+)/.exec(path);
	if (m) return `Prevalent patients' share for ${w.strategyLabel(m[2])}, ${w.worldLabel(m[1])}`;
	m = /^uptake\.([^.]+)\.prevalentShares/.exec(path);
	if (m) return `Prevalent patients' shares, ${w.worldLabel(m[1])}`;
	m = /^uptake\.([^.]+)\.shares/.exec(path);
	if (m) return `Market shares, ${w.worldLabel(m[1])}`;
	m = /^population\.([^.]+)/.exec(path);
	if (m) return w.populationLabel(m[1]) ?? m[1];
	if (path.startsWith('capacity')) return 'Capacity: slots per year';
	m = /^payment\.([^.]+)/.exec(path);
	if (m) return PAYMENT[m[1]] ?? m[1];
	if (path === 'horizonYears') return 'Budget horizon (years)';
	if (path === 'discountRate') return 'Discount rate (% per year)';
	return path || 'Budget settings';
}
