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
 *
 * @example
 * kindBounds(['p_death', 'c_drug'], model.parameters) // lower [0, 0], upper [1, Number.MAX_VALUE]
 */
export function kindBounds(ids: string[], parameters: Record<string, Pick<Parameter, 'kind'>>): { lower: Float64Array; upper: Float64Array } {
	const lower = new Float64Array(ids.length);
	const upper = new Float64Array(ids.length);
	ids.forEach((id, slot) => {
		const bounds = KIND_BOUNDS[parameters[id].kind ?? 'other'];
		lower[slot] = bounds.min ?? -Number.MAX_VALUE;
		upper[slot] = bounds.max ?? Number.MAX_VALUE;
	});
	return { lower, upper };
}

/**
 * Message for a value that this parameter cannot take (not a number, not finite, or outside its
 * kind's bounds, KIND_BOUNDS), or null when it is fine.
 *
 * @example
 * parameterValueProblem({ kind: 'probability' }, 1.2) // '1.2 is not a probability in [0, 1]'
 * parameterValueProblem({ kind: 'cost' }, 100)        // null
 */
export function parameterValueProblem(parameter: Pick<Parameter, 'kind'>, value: unknown): string | null {
	if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${describe(value)}`;
	if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
	const bounds = KIND_BOUNDS[parameter.kind ?? 'other'];
	if ((bounds.min !== undefined && value < bounds.min) || (bounds.max !== undefined && value > bounds.max))
		return `${value} is not ${bounds.what}`;
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

/**
 * Throws a ModelError at `path` when the parameter cannot take `value` (parameterValueProblem).
 *
 * @example
 * checkParameterValue(model.parameters.p_death, 1.2, 'parameters.p_death') // ModelError: "1.2 is not a probability in [0, 1]"
 */
export function checkParameterValue(parameter: Parameter, value: number, path: string): void {
	const problem = parameterValueProblem(parameter, value);
	if (problem) throw new ModelError(issue(path, 'parameter-range', problem));
}

/** Adds one problem at a field of the parameter (low, high, value, distribution). */
type AddProblem = (field: string, message: string) => void;
type Distribution = NonNullable<Parameter['distribution']>;

/**
 * Checks value, low, high and distribution of a plain parameter: low and high fit the kind and
 * sit either side of the value, and the distribution has the fields its type needs (beta: se with
 * 0 < mean < 1 and se^2 < mean (1 - mean), or alpha and beta, or fromRange; gamma and lognormal:
 * a mean above 0; uniform: min < max; triangular: min <= mode <= max). Every problem is thrown
 * at once, each at its field.
 *
 * @example
 * checkDistribution({ kind: 'probability', value: 0.2, distribution: { type: 'beta', se: 0.5 } }, 'parameters.p')
 * // ModelError at parameters.p.distribution: "beta se 0.5 is too large for mean 0.2 (se^2 must be below mean(1 - mean))"
 */
export function checkDistribution(p: Parameter, path: string): void {
	const problems: string[] = [];
	const at: string[] = [];
	const add: AddProblem = (field, message) => {
		at.push(field);
		problems.push(message);
	};
	const value = p.value as number;
	for (const end of ['low', 'high'] as const) {
		const bound = p[end];
		if (bound === undefined) continue;
		const problem = parameterValueProblem(p, bound);
		if (problem) add(end, problem);
	}
	if (p.low !== undefined && p.low > value) add('low', `low (${p.low}) is above the value (${value})`);
	if (p.high !== undefined && p.high < value) add('high', `high (${p.high}) is below the value (${value})`);
	if (p.distribution) DISTRIBUTION_CHECKS[p.distribution.type]?.(p.distribution as never, p, value, add);
	if (problems.length)
		throw new ModelError(problems.map((message, k) => issue(joinPath(path, at[k]), 'distribution', message)));
}

/** fromRange needs the parameter's low and high. */
function needRange(distribution: Distribution, p: Parameter, add: AddProblem): void {
	if (p.low === undefined || p.high === undefined) add('distribution', `${distribution.type} with fromRange needs low and high`);
}

type DistributionCheck<T extends Distribution['type']> = (distribution: Extract<Distribution, { type: T }>, p: Parameter, value: number, add: AddProblem) => void;

/** The checks of each distribution type's fields (dirichlet and fixed need none here). */
const DISTRIBUTION_CHECKS: { [T in Distribution['type']]?: DistributionCheck<T> } = {
	beta(distribution, p, value, add) {
		if (distribution.alpha !== undefined || distribution.beta !== undefined) {
			if (distribution.alpha === undefined || distribution.beta === undefined) add('distribution', 'beta needs both alpha and beta');
		} else if (distribution.fromRange) needRange(distribution, p, add);
		else {
			const mean = distribution.mean ?? value;
			if (distribution.se === undefined) add('distribution', 'beta needs se, alpha and beta, or fromRange');
			else if (!(mean > 0 && mean < 1)) add('distribution', `beta mean ${mean} must be strictly between 0 and 1`);
			else if (distribution.se * distribution.se >= mean * (1 - mean))
				add('distribution', `beta se ${distribution.se} is too large for mean ${mean} (se^2 must be below mean(1 - mean))`);
		}
	},
	gamma(distribution, p, value, add) {
		if (distribution.shape !== undefined || distribution.scale !== undefined) {
			if (distribution.shape === undefined || distribution.scale === undefined) add('distribution', 'gamma needs both shape and scale');
		} else if (distribution.fromRange) needRange(distribution, p, add);
		else {
			const mean = distribution.mean ?? value;
			if (distribution.se === undefined) add('distribution', 'gamma needs se, shape and scale, or fromRange');
			else if (!(mean > 0)) add('distribution', `gamma mean ${mean} must be above 0`);
		}
	},
	lognormal(distribution, p, value, add) {
		if (distribution.meanlog !== undefined || distribution.sdlog !== undefined) {
			if (distribution.meanlog === undefined || distribution.sdlog === undefined) add('distribution', 'lognormal needs both meanlog and sdlog');
		} else if (distribution.fromRange) {
			needRange(distribution, p, add);
			if ((p.low ?? 1) <= 0) add('low', 'lognormal fromRange needs low above 0');
			if (!(value > 0)) add('value', 'lognormal needs a value above 0');
		} else {
			const mean = distribution.mean ?? value;
			if (distribution.se === undefined) add('distribution', 'lognormal needs se, meanlog and sdlog, or fromRange');
			else if (!(mean > 0)) add('distribution', `lognormal mean ${mean} must be above 0`);
		}
	},
	normal(distribution, p, _value, add) {
		if (distribution.sd === undefined && !distribution.fromRange) add('distribution', 'normal needs sd or fromRange');
		if (distribution.fromRange) needRange(distribution, p, add);
	},
	uniform(distribution, p, _value, add) {
		const lower = distribution.min ?? p.low;
		const upper = distribution.max ?? p.high;
		if (lower === undefined || upper === undefined) add('distribution', 'uniform needs min and max (or low and high)');
		else if (!(lower < upper)) add('distribution', `uniform min ${lower} must be below max ${upper}`);
	},
	triangular(distribution, p, value, add) {
		const lower = distribution.min ?? p.low;
		const upper = distribution.max ?? p.high;
		const mode = distribution.mode ?? value;
		if (lower === undefined || upper === undefined) add('distribution', 'triangular needs min and max (or low and high)');
		else if (!(lower <= mode && mode <= upper && lower < upper))
			add('distribution', `triangular needs min <= mode <= max with min < max (got ${lower}, ${mode}, ${upper})`);
	}
};
