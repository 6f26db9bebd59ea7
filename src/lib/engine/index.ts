/** The engine's public surface: pure functions usable from the CLI, the tests and the Web Worker. */
export * from './schema';
export * from './errors';
export { compile, compileJson, validateSchema, compiledFor, costTargetOf, Dependence, type CompiledModel } from './compile';
export { convertCosts, costFactor, conversionRate, inflationFactor, indexLevels, scaleCost, type CostConversion, type CostTarget } from './priceYear';
export { run, createRunner, TOTALS, PROBABILITY_TOLERANCE, type RunOptions, type RunResult, type StrategyResult, type Totals, type Runner } from './run';
export { incrementalAnalysis, pairwiseAnalysis, netMonetaryBenefit, type IncrementalRow, type PairwiseRow, type IcerStatus, type Outcome } from './incremental';
export { cycleWeights, discountFactors, simpsonWeights } from './cycleCorrection';
export { FUNCTIONS, BUILTINS, rateToProb, probToRate, rescaleProb, applyHR, applyOR } from './functions';
export { KIND_BOUNDS, parameterValueProblem } from './parameterChecks';
export * from './analysis';
export * from './budget';
