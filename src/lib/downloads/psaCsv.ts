/**
 * PSA draws as CSV: one row per iteration with the drawn parameter values, then each
 * strategy's discounted cost, QALYs and life years (BCEA layout, one column per strategy).
 */
import Papa from 'papaparse';
import type { PsaResult } from '$lib/engine';
import { formulaSafeTable } from './formulaSafety';

export function psaDrawsCsv(psa: PsaResult): string {
	const P = psa.parameterIds.length;
	const S = psa.strategyIds.length;
	const cur = `${psa.settings.currency} ${psa.settings.priceYear}`;
	const fields = [
		'iteration',
		...psa.parameterIds,
		...psa.strategyIds.map((id) => `cost_${id} (${cur}, discounted)`),
		...psa.strategyIds.map((id) => `qalys_${id} (discounted)`),
		...psa.strategyIds.map((id) => `life_years_${id} (discounted)`)
	];
	const data: number[][] = [];
	for (let i = 0; i < psa.iterations; i++) {
		const row = [i + 1];
		for (let k = 0; k < P; k++) row.push(psa.draws[i * P + k]);
		for (let s = 0; s < S; s++) row.push(psa.cost[i * S + s]);
		for (let s = 0; s < S; s++) row.push(psa.qaly[i * S + s]);
		for (let s = 0; s < S; s++) row.push(psa.lifeYears[i * S + s]);
		data.push(row);
	}
	return Papa.unparse(formulaSafeTable({ fields, data }), { newline: '\n' });
}
