/**
 * The few jStat 1.9.6 functions the engine uses (inverse and cumulative distribution functions).
 * jStat ships no types. Its samplers call Math.random and must not be used: draws come from the
 * seeded source in src/lib/engine/analysis/random.ts.
 */
declare module 'jstat' {
	interface Continuous {
		cdf(x: number, ...params: number[]): number;
		inv(p: number, ...params: number[]): number;
		pdf(x: number, ...params: number[]): number;
	}
	interface JStat {
		normal: Continuous;
		beta: Continuous;
		gamma: Continuous;
		lognormal: Continuous;
		erf(x: number): number;
		erfc(x: number): number;
		gammaln(x: number): number;
	}
	const jStat: JStat;
	export default jStat;
	export { jStat };
}
