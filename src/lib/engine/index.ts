/** The engine's public surface: pure functions usable from the CLI, the tests and the Web Worker. */
export * from './model/schema';
export * from './errors';
export { compile, compileJson, validateSchema, compiledFor, costTargetOf, Dependence, type CompiledModel } from './model/compile';
export { convertCosts, costFactor, conversionRate, inflationFactor, indexLevels, scaleCost, type CostConversion, type CostTarget } from './model/priceYear';
export { run, createRunner, TOTALS, PROBABILITY_TOLERANCE, type RunOptions, type RunResult, type StrategyResult, type Totals, type Runner } from './simulate/run';
export { incrementalAnalysis, pairwiseAnalysis, netMonetaryBenefit, type IncrementalRow, type PairwiseRow, type IcerStatus, type Outcome } from './decide/incremental';
export { cycleWeights, discountFactors, simpsonWeights } from './simulate/cycleCorrection';
export { FUNCTIONS, BUILTINS, rateToProb, probToRate, rescaleProb, applyHR, applyOR } from './model/functions';
export { KIND_BOUNDS, parameterValueProblem } from './model/parameterChecks';
export { own, hasOwnKey } from './records';
export {
	MAX_MODEL_FILE_BYTES,
	MAX_BUNDLE_JSON_BYTES,
	MAX_BUNDLE_BYTES,
	MAX_WILLINGNESS_TO_PAY,
	MAX_RUN_MOVES,
	MAX_RESULT_BYTES,
	MAX_PSA_BYTES,
	fileSizeProblem,
	modelSize,
	sizeProblem,
	psaBytes,
	psaSizeProblem,
	type ModelSize
} from './limits';
export { horizonToAge, mergeSettings, fileHorizon } from './model/horizon';
export { checkSubgroups, WEIGHT_TOLERANCE } from './model/subgroups';
export { checkComparison, modelComparison, leversOf, type ResolvedComparison } from './model/comparison';
export * from './analysis';
/** iterations the batched PSA runs side by side; a worker steps in whole multiples of it */
export { BATCH as PSA_BATCH_LANES } from './simulate/batch';
export * from './budget';
