/**
 * Checks on parameter values by kind (a probability in [0, 1], a cost not negative, ...) and
 * on the consistency of their distributions. Used by compile(), by run() for user overrides and
 * by the UI to put the message beside the field.
 */
import type { Parameter, ParameterKind } from './schema';
import { ModelError, issue, joinPath } from '../errors';

interface Bounds {
	min?: number;
	max?: number;
	what: string;
}

export const KIND_BOUNDS: Record<ParameterKind, Bounds> = {
	probability: { min: 0, max: 1, what: 'a probability in [0, 1]' },
	proportion: { min: 0, max: 1, what: 'a proportion in [0, 1]' },
	rate: { min: 0, what: 'a rate of at least 0' },
	cost: { min: 0, what: 'a cost of at least 0 (a saving is entered as a negative "other" parameter)' },
	utility: { max: 1, what: 'a utility of at most 1' },
	ratio: { min: 0, what: 'a ratio of at least 0' },
	duration: { min: 0, what: 'a duration of at least 0' },
	count: { min: 0, what: 'a count of at least 0' },
	age: { min: 0, max: 150, what: 'an age in [0, 150]' },
	other: { what: 'a finite number' }
};

/**
 * Lower and upper bound of each parameter by its kind, in parameter order, for the checks the
 * cohort loops make whenever they evaluate an expression parameter (no bound: +-MAX_VALUE, so a
 * non-finite value still fails).
 */
export function kindBounds(ids: string[], parameters: Record<string, Pick<Parameter, 'kind'>>): { lower: Float64Array; upper: Float64Array } {
	const lower = new Float64Array(ids.length);
	const upper = new Float64Array(ids.length);
	ids.forEach((id, i) => {
		const b = KIND_BOUNDS[parameters[id].kind ?? 'other'];
		lower[i] = b.min ?? -Number.MAX_VALUE;
		upper[i] = b.max ?? Number.MAX_VALUE;
	});
	return { lower, upper };
}

/** Message for a value that this parameter cannot take, or null when it is fine. */
export function parameterValueProblem(p: Pick<Parameter, 'kind'>, value: unknown): string | null {
	if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${describe(value)}`;
	if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
	const b = KIND_BOUNDS[p.kind ?? 'other'];
	if ((b.min !== undefined && value < b.min) || (b.max !== undefined && value > b.max))
		return `${value} is not ${b.what}`;
	return null;
}

/** A wrong value as quoted in a message: JSON.stringify would throw on a BigInt or a cycle and say "null" for NaN. */
function describe(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
	if (value === null || typeof value === 'boolean' || typeof value === 'undefined') return String(value);
	if (typeof value === 'bigint') return `${value}n (a BigInt)`;
	return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

export function checkParameterValue(p: Parameter, value: number, path: string): void {
	const problem = parameterValueProblem(p, value);
	if (problem) throw new ModelError(issue(path, 'parameter-range', problem));
}

/** Checks value, low, high and distribution of a plain parameter. */
export function checkDistribution(p: Parameter, path: string): void {
	const problems: string[] = [];
	const at: string[] = [];
	const add = (field: string, message: string) => {
		at.push(field);
		problems.push(message);
	};
	const value = p.value as number;
	for (const end of ['low', 'high'] as const) {
		const v = p[end];
		if (v === undefined) continue;
		const problem = parameterValueProblem(p, v);
		if (problem) add(end, problem);
	}
	if (p.low !== undefined && p.low > value) add('low', `low (${p.low}) is above the value (${value})`);
	if (p.high !== undefined && p.high < value) add('high', `high (${p.high}) is below the value (${value})`);
	const d = p.distribution;
	const needRange = () => {
		if (p.low === undefined || p.high === undefined) add('distribution', `${d?.type} with fromRange needs low and high`);
	};
	if (d) {
		switch (d.type) {
			case 'beta': {
				if (d.alpha !== undefined || d.beta !== undefined) {
					if (d.alpha === undefined || d.beta === undefined) add('distribution', 'beta needs both alpha and beta');
				} else if (d.fromRange) needRange();
				else {
					const mean = d.mean ?? value;
					if (d.se === undefined) add('distribution', 'beta needs se, alpha and beta, or fromRange');
					else if (!(mean > 0 && mean < 1)) add('distribution', `beta mean ${mean} must be strictly between 0 and 1`);
					else if (d.se * d.se >= mean * (1 - mean))
						add('distribution', `beta se ${d.se} is too large for mean ${mean} (se^2 must be below mean(1 - mean))`);
				}
				break;
			}
			case 'gamma': {
				if (d.shape !== undefined || d.scale !== undefined) {
					if (d.shape === undefined || d.scale === undefined) add('distribution', 'gamma needs both shape and scale');
				} else if (d.fromRange) needRange();
				else {
					const mean = d.mean ?? value;
					if (d.se === undefined) add('distribution', 'gamma needs se, shape and scale, or fromRange');
					else if (!(mean > 0)) add('distribution', `gamma mean ${mean} must be above 0`);
				}
				break;
			}
			case 'lognormal': {
				if (d.meanlog !== undefined || d.sdlog !== undefined) {
					if (d.meanlog === undefined || d.sdlog === undefined) add('distribution', 'lognormal needs both meanlog and sdlog');
				} else if (d.fromRange) {
					needRange();
					if ((p.low ?? 1) <= 0) add('low', 'lognormal fromRange needs low above 0');
					if (!(value > 0)) add('value', 'lognormal needs a value above 0');
				} else {
					const mean = d.mean ?? value;
					if (d.se === undefined) add('distribution', 'lognormal needs se, meanlog and sdlog, or fromRange');
					else if (!(mean > 0)) add('distribution', `lognormal mean ${mean} must be above 0`);
				}
				break;
			}
			case 'normal':
				if (d.sd === undefined && !d.fromRange) add('distribution', 'normal needs sd or fromRange');
				if (d.fromRange) needRange();
				break;
			case 'uniform': {
				const lo = d.min ?? p.low;
				const hi = d.max ?? p.high;
				if (lo === undefined || hi === undefined) add('distribution', 'uniform needs min and max (or low and high)');
				else if (!(lo < hi)) add('distribution', `uniform min ${lo} must be below max ${hi}`);
				break;
			}
			case 'triangular': {
				const lo = d.min ?? p.low;
				const hi = d.max ?? p.high;
				const mode = d.mode ?? value;
				if (lo === undefined || hi === undefined) add('distribution', 'triangular needs min and max (or low and high)');
				else if (!(lo <= mode && mode <= hi && lo < hi))
					add('distribution', `triangular needs min <= mode <= max with min < max (got ${lo}, ${mode}, ${hi})`);
				break;
			}
			case 'dirichlet':
			case 'fixed':
				break;
		}
	}
	if (problems.length)
		throw new ModelError(problems.map((m, i) => issue(joinPath(path, at[i]), 'distribution', m)));
}
