/**
 * `model run <file> --subgroups` and `model psa <file> --subgroups`: results per subgroup and for
 * the population-weighted totals, and the value of heterogeneity (the engine's
 * subgroupAnalysis and subgroupPsa; the formulas are in the engine's analysis/subgroups.ts).
 */
import { subgroupAnalysis, subgroupPsa, type RunOptions, type SubgroupAnalysis, type SubgroupPsaPart, type SubgroupPsaResult, type SubgroupResult, type CompiledModel } from '../lib/engine';
import { formatMoney, inFile, table, writeOut } from './io';
import { icerText } from '../lib/ui/icerLabel';
import { progressReporter } from './psa';

/**
 * Prints (or writes as JSON) the subgroup analysis of one deterministic run per subgroup.
 *   writeSubgroupRun('models/ms.json', cm, { settings: {} }, false)
 */
export function writeSubgroupRun(file: string, cm: CompiledModel, options: RunOptions, json: boolean, willingnessToPay?: number): void {
	const a = inFile(file, () => subgroupAnalysis(cm, { options, willingnessToPay }));
	if (json) {
		writeOut(JSON.stringify(subgroupJson(a), null, 2) + '\n');
		return;
	}
	const money = (v: number) => formatMoney(v, a.currency);
	const lines = [
		`${cm.model.title}: ${a.subgroups.length} subgroups`,
		`Costs in ${a.currency}, ${a.priceYear} prices, discounted, per person; ICERs against ${labelOf(a.population, a.referenceId)}; net monetary benefit (NMB) at ${money(a.willingnessToPay)} per QALY.`,
		...[...a.subgroups, a.population].flatMap((g) => ['', heading(g), subgroupTable(g, a.referenceId, money), ...g.verdict.sentences.slice(0, 1)]),
		'',
		heterogeneitySentence(a.heterogeneity, a.subgroups, money)
	];
	writeOut(lines.join('\n') + '\n');
}

function heading(g: SubgroupResult): string {
	if (g.id === 'population') return `Whole population (subgroups weighted by their share; mean start age ${Number(g.startAge.toFixed(2))})`;
	// the evidence in full is in --json and in `model inputs`
	const evidence = g.evidence ? ` (${g.evidence.kind === 'source' ? `source: ${g.evidence.text.slice(0, 60)}${g.evidence.text.length > 60 ? '...' : ''}` : 'assumption'})` : '';
	return `${g.label} [${g.id}]: weight ${g.weight}${evidence}; start age ${Number(g.startAge.toFixed(2))}, horizon ${g.horizon} cycles`;
}

function subgroupTable(g: SubgroupResult, referenceId: string, money: (v: number) => string): string {
	return table(
		['Strategy', 'Cost', 'QALYs', `ICER vs ${referenceId}`, 'NMB', 'Best'],
		g.strategies.map((s) => {
			const p = g.pairwise.find((r) => r.id === s.id)!;
			return [
				`${s.label} [${s.id}]`,
				money(s.cost),
				s.qaly.toFixed(4),
				s.id === referenceId ? 'reference' : icerText(p.incrementalCost, p.incrementalEffect, money),
				money(s.netMonetaryBenefit),
				g.best.includes(s.id) ? 'best' : ''
			];
		})
	);
}

function labelOf(g: SubgroupResult, id: string): string {
	return g.strategies.find((s) => s.id === id)?.label ?? id;
}

function heterogeneitySentence(h: SubgroupAnalysis['heterogeneity'], groups: SubgroupResult[], money: (v: number) => string): string {
	const choices = groups.map((g) => `${g.label}: ${labelOf(g, h.bestBySubgroup[g.id])}`).join('; ');
	return `Value of heterogeneity (Espinoza et al. 2014): ${money(h.value)} per person. Deciding per subgroup (${choices}) gives an expected NMB of ${money(h.individualised)} per person, against ${money(h.oneForAll)} for one decision for all (${labelOf(groups[0], h.oneForAllStrategy)}).`;
}

function subgroupJson(a: SubgroupAnalysis) {
	const one = (g: SubgroupResult) => ({
		id: g.id,
		label: g.label,
		weight: g.weight,
		evidence: g.evidence,
		startAge: g.startAge,
		horizon: g.horizon,
		strategies: g.strategies,
		incremental: g.incremental.map((r) => ({ ...r, qaly: r.effect, incrementalQaly: r.incrementalEffect })),
		againstReference: g.pairwise,
		best: g.best,
		verdict: g.verdict
	});
	return {
		currency: a.currency,
		priceYear: a.priceYear,
		willingnessToPay: a.willingnessToPay,
		reference: a.referenceId,
		subgroups: a.subgroups.map(one),
		population: one(a.population),
		valueOfHeterogeneity: a.heterogeneity
	};
}

export interface SubgroupPsaRequest {
	iterations: number;
	seed: number;
	wtp: Float64Array;
	willingnessToPay?: number;
	referenceId?: string;
	invalidDraws: 'stop' | 'redraw';
	options: RunOptions;
}

/**
 * One PSA per subgroup with the same seed; prints each subgroup's and the population's
 * probability of cost-effectiveness and EVPI, and the value of heterogeneity (or all of it,
 * CEACs included, as JSON).
 *   writeSubgroupPsa('models/ms.json', cm, { iterations: 1000, seed: 1, wtp: wtpRange(0, 100000, 1000), invalidDraws: 'stop', options: {} }, false)
 */
export function writeSubgroupPsa(file: string, cm: CompiledModel, r: SubgroupPsaRequest, json: boolean): void {
	const bar = progressReporter(`PSA ${r.iterations} iterations x ${cm.model.subgroups?.length ?? 0} subgroups`);
	const p = inFile(file, () => subgroupPsa(cm, { ...r, wtp: r.wtp }, { onProgress: (x) => bar.update(x), chunk: Math.max(50, Math.ceil(r.iterations / 100)) }));
	bar.done();
	if (json) {
		writeOut(JSON.stringify(subgroupPsaJson(p), null, 2) + '\n');
		return;
	}
	const money = (v: number) => formatMoney(v, p.currency);
	const rows = [...p.subgroups, p.population].map((g) => [
		`${g.label} [${g.id}]`,
		String(g.weight),
		p.strategyLabels[bestIndex(g, p.willingnessToPay)],
		...p.strategyIds.map((_, s) => `${(g.probabilityCostEffective[s] * 100).toFixed(1)}%`),
		money(g.evpi)
	]);
	const lines = [
		`${cm.model.title}: PSA per subgroup, ${p.iterations} iterations, seed ${p.seed} (the same draws in every subgroup)`,
		`Probability each strategy has the highest NMB at ${money(p.willingnessToPay)} per QALY (${p.currency}, ${p.priceYear} prices); EVPI per person.`,
		'',
		table(['Subgroup', 'Weight', 'Best (expected NMB)', ...p.strategyIds.map((id) => `P(${id})`), 'EVPI'], rows),
		'',
		`Value of heterogeneity (Espinoza et al. 2014), from the PSA means: ${money(p.heterogeneity.value)} per person; EVPI with a decision per subgroup (sum of weight x EVPI): ${money(p.evpiStratified)}; together ${money(p.valueOfIndividualisedInformation)} per person over one decision for all now.`,
		...Object.entries(p.heldDrawn)
			.filter(([, ids]) => ids.length)
			.map(([id, ids]) => `Note: subgroup ${id} holds drawn parameters at its own value (${ids.join(', ')}); the parameters drawn after them take other variates than in the other subgroups.`)
	];
	writeOut(lines.join('\n') + '\n');
}

function bestIndex(g: SubgroupPsaPart, wtp: number): number {
	const nb = g.meanQaly.map((q, s) => wtp * q - g.meanCost[s]);
	return nb.reduce((best, x, s) => (x > nb[best] ? s : best), 0);
}

function subgroupPsaJson(p: SubgroupPsaResult) {
	const one = (g: SubgroupPsaPart) => ({
		id: g.id,
		label: g.label,
		weight: g.weight,
		meanCost: Object.fromEntries(p.strategyIds.map((id, s) => [id, g.meanCost[s]])),
		meanQaly: Object.fromEntries(p.strategyIds.map((id, s) => [id, g.meanQaly[s]])),
		probabilityCostEffective: Object.fromEntries(p.strategyIds.map((id, s) => [id, g.probabilityCostEffective[s]])),
		evpiPerPerson: g.evpi,
		ceac: {
			wtp: [...g.ceac.wtp],
			probability: Object.fromEntries(p.strategyIds.map((id, s) => [id, [...g.ceac.probability[s]]])),
			frontier: [...g.ceac.frontier].map((s) => p.strategyIds[s])
		}
	});
	return {
		currency: p.currency,
		priceYear: p.priceYear,
		seed: p.seed,
		iterations: p.iterations,
		willingnessToPay: p.willingnessToPay,
		subgroups: p.subgroups.map(one),
		population: one(p.population),
		valueOfHeterogeneity: p.heterogeneity,
		evpiStratified: p.evpiStratified,
		valueOfIndividualisedInformation: p.valueOfIndividualisedInformation,
		heldDrawn: p.heldDrawn
	};
}
