/** Uncertainty and decision analysis on any compiled model: pure, seeded, reproducible. */
export { createRandom, fromState, splitmix32, type RandomSource } from './random';
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
export { createPsa, runPsa, MAX_ITERATIONS, type Psa, type PsaConfig, type PsaResult, type PsaProgress, type RunPsaHooks } from './psa';
export { netBenefits, wtpRange, columnMean, quantileOf, strategyIndex, type PsaOutcomes } from './outcomes';
export { ceac, cePlane, summarisePsa, type CeacResult, type CePlane, type PsaStrategySummary } from './ceac';
export { evpi, evpiCurve, evpiFromNetBenefits, populationEvpi, type PopulationSpec } from './evpi';
export { evppi, EVPPI_METHOD, type EvppiOptions, type EvppiResult, type PsaWithDraws } from './evppi';
export { createEvaluator, nmbOf, type StrategyTotals, type Evaluator as DeterministicEvaluator } from './deterministic';
export { oneWay, tornado, type OneWayOptions, type OneWayResult, type OneWayParameter, type OneWayEnd, type Tornado, type TornadoBar, type TornadoMeasure } from './dsa';
export { twoWay, MAX_GRID, type TwoWayOptions, type TwoWayResult, type Axis } from './twoWay';
export { threshold, type ThresholdOptions, type ThresholdResult } from './threshold';
export { brent, type RootResult } from './rootFinding';
export { paybackTime, deterministicPayback, psaPayback, type Payback, type PaybackOptions, type PaybackDistribution } from './payback';
export { cholesky, choleskySolve, choleskyInverse } from './linearAlgebra';
