/** The engine's public surface: pure functions usable from the CLI, the tests and the Web Worker. */
export * from './schema';
export * from './errors';
export { compile, compileJson, validateSchema, Dependence, type CompiledModel } from './compile';
export { run, createRunner, TOTALS, PROBABILITY_TOLERANCE, type RunOptions, type RunResult, type StrategyResult, type Totals, type Runner } from './run';
export { incrementalAnalysis, pairwiseAnalysis, netMonetaryBenefit, type IncrementalRow, type PairwiseRow, type IcerStatus, type Outcome } from './incremental';
export { cycleWeights, discountFactors, simpsonWeights } from './cycleCorrection';
export { FUNCTIONS, BUILTINS, rateToProb, probToRate, rescaleProb, applyHR, applyOR } from './functions';
export { KIND_BOUNDS, parameterValueProblem } from './parameterChecks';
export * from './analysis';
/** iterations the batched PSA runs side by side; a worker steps in whole multiples of it */
export { BATCH as PSA_BATCH_LANES } from './batch';
export * from './budget';
