/**
 * What the page shows of a PSA is computed once (in the worker) and shared: the verdict read
 * from that view says what the verdict of the PSA itself says; payback comes for the pair asked;
 * the page splits a PSA across two workers at whole batches.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, evpi, evpiCurve, modelComparison, psaPayback, run, runPsa, summarisePsa, verdict } from '../../src/lib/engine';
import { outcomeSummaries, pairCycleCosts, psaShown, psaView, verdictPsa, wtpGrid } from '../../src/lib/ui/psaView';
import { currentVerdict } from '../../src/lib/ui/verdictView';
import { psaParts } from '../../src/lib/workers/analysisClient.svelte';

const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
const comparison = modelComparison(ms.model);
const psa = runPsa(ms, { iterations: 300, seed: 4, keepCycleCosts: true });
const result = run(ms);

describe('one PSA summary for the panel, the verdict and the downloads', () => {
	it("the verdict from the view's summary is the verdict from the PSA (same P(cost-effective), EVPI and sentences)", () => {
		const view = psaView(psa, psa.strategyIds[0]);
		const fromView = verdict(result, { comparison, psaSummary: verdictPsa(psa, view) });
		const fromPsa = verdict(result, { comparison, psa });
		expect(fromView).toEqual(fromPsa);
		expect(fromView.psa!.evpiPerPatient).toBe(evpi(psa, psa.settings.willingnessToPay));
		expect(currentVerdict(result, comparison, verdictPsa(psa, view), null)).toEqual(fromPsa);
	});

	it('P(cost-effective) does not depend on the reference: the summary against another strategy gives the same verdict', () => {
		const other = verdictPsa(psa, psaView(psa, psa.strategyIds[3]));
		expect(other).toEqual(verdictPsa(psa, psaView(psa, psa.strategyIds[0])));
		const direct = summarisePsa(psa, psa.settings.willingnessToPay, psa.strategyIds[3]);
		expect(other.probabilityCostEffective[psa.strategyIds[5]]).toBe(direct[5].probabilityCostEffective);
	});

	it('psaShown: the view against the first strategy, payback of the pair asked for, none without per-cycle costs', () => {
		const pair = { oneOff: 'ahsct', comparator: 'lifelong-dmt' };
		const pairCosts = pairCycleCosts(psa, pair);
		const shown = psaShown(psa, pair, pairCosts, true);
		expect(shown.view.referenceId).toBe(psa.strategyIds[0]);
		// payback from the pair's costs alone equals payback read from every strategy's costs
		expect(shown.payback).toEqual(psaPayback(psa, { oneOffId: 'ahsct', lifelongId: 'lifelong-dmt' }));
		expect(shown.payback!.probabilityWithinHorizon).toBeGreaterThan(0);
		expect(psaShown(psa, null, null, true).payback).toBeNull();
		expect(pairCycleCosts({ ...psa, cycleCosts: null, cycleCostsUndiscounted: null }, pair)).toBeNull();
		expect(pairCycleCosts(psa, { oneOff: 'no-such', comparator: 'lifelong-dmt' })).toBeNull();
	});

	it("pairCycleCosts: row (i, j) is the one-off's (j = 0) or the comparator's per-cycle costs of iteration i", () => {
		const S = psa.strategyIds.length;
		const n1 = psa.settings.horizon + 1;
		const [a, b] = [psa.strategyIds.indexOf('ahsct'), psa.strategyIds.indexOf('lifelong-dmt')];
		const costs = pairCycleCosts(psa, { oneOff: 'ahsct', comparator: 'lifelong-dmt' })!;
		expect(costs.length).toBe(psa.iterations * 2 * n1);
		for (const i of [0, 17, psa.iterations - 1])
			for (const k of [0, 1, n1 - 1]) {
				expect(costs[i * 2 * n1 + k]).toBe(psa.cycleCosts![(i * S + a) * n1 + k]);
				expect(costs[(i * 2 + 1) * n1 + k]).toBe(psa.cycleCosts![(i * S + b) * n1 + k]);
			}
	});
});

describe('splitting a PSA across workers', () => {
	it("the EVPI curve, EVPI and summary of two parts' costs and QALYs joined (the helper worker's) give the view of the whole run", () => {
		const config = { iterations: 600, seed: 8 };
		const whole = runPsa(ms, config);
		const [a, b] = [runPsa(ms, { ...config, iterationRange: [0, 256] }), runPsa(ms, { ...config, iterationRange: [256, 600] })];
		const joined = { iterations: 600, strategyIds: a.strategyIds, cost: Float64Array.from([...a.cost, ...b.cost]), qaly: Float64Array.from([...a.qaly, ...b.qaly]) };
		const helper = outcomeSummaries(joined, whole.settings.willingnessToPay, whole.strategyIds[0]);
		expect(psaView(whole, whole.strategyIds[0], helper)).toEqual(psaView(whole, whole.strategyIds[0]));
		// and these are the engine's own figures for the whole run
		expect(helper.evpi).toEqual(evpiCurve(whole, wtpGrid(whole.settings.willingnessToPay)));
		expect(helper.summary).toEqual(summarisePsa(whole, whole.settings.willingnessToPay, whole.strategyIds[0]));
		expect(helper.evpi.some((v) => v > 0)).toBe(true);
	});

	it('two ranges cut at a multiple of 128 that cover every iteration once; one range when too small or one worker', () => {
		expect(psaParts(10000, 2)).toEqual([
			[0, 4992],
			[4992, 10000]
		]);
		expect(psaParts(1000, 2)).toEqual([
			[0, 512],
			[512, 1000]
		]);
		expect(psaParts(511, 2)).toEqual([[0, 511]]);
		expect(psaParts(512, 2)).toEqual([
			[0, 256],
			[256, 512]
		]);
		expect(psaParts(10000, 1)).toEqual([[0, 10000]]);
	});
});
