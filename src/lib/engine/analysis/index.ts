/**
 * Uncertainty and decision analysis on any compiled model: pure, seeded, reproducible.
 *
 * In a Web Worker (chunks, progress, cancel):
 *     const psa = createPsa(compiled, { iterations: 10000, seed: 1, options: { scenario }, keepCycleCosts: true });
 *     while (!psa.step(250).finished) postMessage(psa.progress());   // check a cancel flag between steps
 *     const r = psa.result();                                         // Float64Arrays, transferable
 * or in one call: runPsa(compiled, config, { onProgress, isCancelled, chunk }).
 * From a PSA result (PsaOutcomes: iterations, strategyIds, cost, qaly as [i * strategies + s]):
 *     ceac(r, wtpRange(0, 100000, 1000), referenceId)  probability, expectedNmb, frontier, pairwise
 *     cePlane(r, referenceId); summarisePsa(r, wtp, referenceId)
 *     evpi(r, wtp); evpiCurve(r, wtps); populationEvpi(perPerson, { annualPopulation, years, discountRate })
 *     evppi(r, ['paramA', 'paramB'], { willingnessToPay, referenceId })  value and standard error
 *     evppiCurve(r, ['paramA'], { willingnessToPay: wtps, referenceId })  EVPPI over willingness to pay, one fit
 *     evsi(r, { parameter, sampleSizes, likelihood, willingnessToPay, population?, studyCost? })  EVSI, ENBS, optimal n
 *     psaPayback(r, { oneOffId, lifelongId, discounted })                 needs keepCycleCosts
 * Deterministic:
 *     oneWay(compiled, { willingnessToPay, referenceId, options }) then tornado(result, strategyId, 'incremental-nmb' | 'icer')
 *     twoWay(compiled, { a: { id, from, to, steps }, b: {...}, willingnessToPay })
 *     threshold(compiled, { parameter, strategyId, comparatorId, willingnessToPay, range, tolerance })
 *     deterministicPayback(run(compiled), { oneOffId, lifelongId, discounted })
 *     verdict(run(compiled), { comparison: modelComparison(compiled.model), psa?, tornado? })   sentences + fields
 *     breakeven(compiled, { strategyId, comparatorId, willingnessToPay, steps })   price over efficacy x durability
 *     psaBreakeven(compiled, { strategyId, comparatorId, iterations, seed })       price for P(CE) 50% / 80%
 */
export { createRandom, fromState, jumpState, splitmix32, Random, type RandomSource } from './random';
export {
	resolveDistribution,
	distributionMoments,
	sample,
	quantile,
	sampleGamma,
	sampleBeta,
	sampleStandardNormal,
	normalQuantile,
	normalCdf,
	drawDirichlet,
	RANGE_WIDTH_IN_SE,
	type ResolvedDistribution
} from './distributions';
export { createSampler, type Sampler, type DirichletGroup } from './sampler';
export { createPsa, runPsa, joinPsaParts, MAX_ITERATIONS, type Psa, type PsaConfig, type PsaResult, type PsaProgress, type RunPsaHooks } from './psa';
export { netBenefits, wtpRange, columnMean, quantileOf, strategyIndex, type PsaOutcomes } from './outcomes';
export { ceac, cePlane, summarisePsa, type CeacResult, type CePlane, type PsaStrategySummary } from './ceac';
export { evpi, evpiCurve, evpiFromNetBenefits, populationEvpi, type PopulationSpec } from './evpi';
export { evppi, evppiCurve, EVPPI_METHOD, type EvppiOptions, type EvppiResult, type EvppiCurve, type EvppiCurveOptions, type PsaWithDraws } from './evppi';
export {
	evsi,
	suggestedLikelihood,
	sampleBinomial,
	EVSI_METHOD,
	MIN_EVSI_ITERATIONS,
	MAX_EVSI_SAMPLE_SIZE,
	MAX_EVSI_SAMPLE_SIZES,
	type EvsiOptions,
	type EvsiResult,
	type EvsiPoint,
	type StudyCost,
	type TrialLikelihood
} from './evsi';
export { createEvaluator, nmbOf, type StrategyTotals, type Evaluator as DeterministicEvaluator } from './deterministic';
export { oneWay, tornado, type OneWayOptions, type OneWayResult, type OneWayParameter, type OneWayEnd, type Tornado, type TornadoBar, type TornadoMeasure } from './dsa';
export { twoWay, MAX_GRID, type TwoWayOptions, type TwoWayResult, type Axis } from './twoWay';
export { threshold, type ThresholdOptions, type ThresholdResult } from './threshold';
export { brent, type RootResult } from './rootFinding';
export { paybackTime, deterministicPayback, psaPayback, type Payback, type PaybackOptions, type PaybackDistribution } from './payback';
export { cholesky, choleskySolve, choleskyInverse } from './linearAlgebra';
export { subgroupAnalysis, subgroupById, subgroupOptions, subgroupsOf, valueOfHeterogeneity, type SubgroupAnalysis, type SubgroupOptions, type SubgroupResult, type SubgroupStrategy, type ValueOfHeterogeneity } from './subgroups';
export { subgroupPsa, type SubgroupPsaOptions, type SubgroupPsaPart, type SubgroupPsaResult } from './subgroupPsa';
export { verdict, verdictOf, quadrantOf, planeQuadrant, moneyText, type Verdict, type VerdictInput, type VerdictOptions, type VerdictComparison, type VerdictStrategy, type Quadrant } from './verdict';
export {
	breakeven,
	psaBreakeven,
	paybackPrice,
	type PaybackPriceOptions,
	type PaybackPriceResult,
	type BreakevenOptions,
	type BreakevenResult,
	type BreakevenPoint,
	type BreakevenAxis,
	type BreakevenStatus,
	type LeverInfo,
	type PsaBreakevenOptions,
	type PsaBreakevenResult
} from './breakeven';
