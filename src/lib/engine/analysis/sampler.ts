/**
 * The PSA sampling plan of a compiled model: which parameters are drawn, from what, in what
 * order, and with what correlation. One call to `draw` fills one iteration's values.
 *
 * Order of use of the random stream in each iteration (fixed, so a seed reproduces a run; the
 * PSA gives each iteration its own substream, see psa.ts):
 *  1. correlated parameters: one standard normal per parameter (in parameter order), mapped
 *     through the Cholesky factor of their correlation matrix, then Phi and each parameter's
 *     inverse distribution function (a Gaussian copula: the declared rho is the correlation of
 *     the underlying normals, which for non-normal marginals is close to but not exactly the
 *     Pearson correlation of the draws);
 *  2. independent parameters, in the model file's parameter order;
 *  3. Dirichlet groups, in order of their first parameter: gamma draws normalised and scaled to
 *     the sum of the group's base values (so a transition row still sums to the same total).
 * Expression parameters are not drawn: the runner recomputes them from the drawn inputs.
 */
import type { CompiledModel } from '../model/compile';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { KIND_BOUNDS } from '../model/parameterChecks';
import { dirichletLaneSampler, laneSampler, normalCdf, quantile, resolveDistribution, type ResolvedDistribution } from './distributions';
import { cholesky } from './linearAlgebra';
import { Random } from './random';
import { createStreams, jsStreams, type Streams } from './variates';

export interface DirichletGroup {
	group: string;
	/** positions in `parameterIds` of the group's components */
	members: Int32Array;
	alphas: Float64Array;
	total: number;
}

export interface Sampler {
	/** the drawn parameters, in the order of a draw's columns */
	parameterIds: string[];
	/** model parameter slot of each drawn parameter */
	slots: Int32Array;
	distributions: ResolvedDistribution[];
	/** positions (in parameterIds) of correlated parameters, and their lower Cholesky factor (row-major) */
	correlated: Int32Array;
	choleskyFactor: Float64Array;
	dirichlet: DirichletGroup[];
	/**
	 * Fills `out` (length parameterIds.length) with one iteration's draws from `rng` (a generator
	 * of one stream); a draw outside its parameter kind's range throws a ModelError naming it.
	 */
	draw(rng: Random, out: Float64Array): void;
	/** `count` streams (at most 128) for `drawLanes`, in WebAssembly where it runs */
	createStreams(count: number): Streams;
	/**
	 * n iterations' draws side by side: lane b (b < n) draws from stream b what `draw` would draw
	 * from that stream, parameter k going to out[rows[k] + b]. ok[b] is set to 1, or to 0 where
	 * one of the lane's draws is outside its kind's range (`draw` would throw).
	 */
	drawLanes(streams: Streams, n: number, out: Float64Array, rows: Int32Array, ok: Uint8Array): void;
}

/**
 * The sampling plan of a compiled model for a PSA, set up once: the parameters drawn (plain,
 * with a distribution that is not fixed, not held), their Dirichlet groups, and the Cholesky
 * factor L of their correlation matrix R = L L^T (a Gaussian copula: z = L e with e standard
 * normal, then each parameter's inverse distribution function at Phi(z_k)). Problems with the
 * declared distributions or correlations are thrown as one ModelError.
 *
 * @param values base values after scenario and overrides (plain parameters)
 * @param held parameter slots held at their value (set by a scenario or the user), not drawn
 * @example
 * const sampler = createSampler(cm, cm.baseValues);
 * const draws = new Float64Array(sampler.parameterIds.length);
 * sampler.draw(createRandom(42), draws); // draws[k] is a draw of sampler.parameterIds[k]
 */
export function createSampler(cm: CompiledModel, values: Float64Array, held: Set<number> = new Set()): Sampler {
	const problems: ModelIssue[] = [];
	const drawn = drawnParameters(cm, values, held, problems);
	const dirichlet = dirichletGroups(drawn, values, problems);
	const copula = gaussianCopula(cm, drawn, problems);
	const drawLanes = laneDrawer(cm, drawn, dirichlet, copula);
	// scratch columns of the variates: 4 for a lane sampler, 2 per component of a Dirichlet group, a normal per correlated parameter
	const scratchColumns = Math.max(4, copula.correlated.length, ...dirichlet.map((group) => 2 * group.members.length));
	// one iteration at a time: one lane, over the caller's generator
	const single = jsStreams(new Random(1), scratchColumns);
	const identity = Int32Array.from(drawn.ids, (_, k) => k);
	const laneOk = new Uint8Array(1);
	return {
		parameterIds: drawn.ids,
		slots: Int32Array.from(drawn.slots),
		distributions: drawn.distributions,
		correlated: copula.correlated,
		choleskyFactor: copula.factor,
		dirichlet,
		drawLanes,
		createStreams: (count) => createStreams(count, scratchColumns),
		draw(rng, out) {
			single.rng = rng;
			drawLanes(single, 1, out, identity, laneOk);
			if (laneOk[0] === 0)
				for (let k = 0; k < drawn.ids.length; k++) if (!inKindRange(cm, drawn.ids[k], out[k])) throw outOfRange(cm, drawn.ids[k], out[k]);
		}
	};
}

/** The drawn parameters: id, model slot and resolved distribution, in the model's parameter order. */
interface DrawnParameters {
	ids: string[];
	slots: number[];
	distributions: ResolvedDistribution[];
	/** position in `ids` of each drawn parameter id */
	position: Map<string, number>;
}

/** Every plain parameter with a distribution that is not fixed and not held, its distribution resolved. */
function drawnParameters(cm: CompiledModel, values: Float64Array, held: Set<number>, problems: ModelIssue[]): DrawnParameters {
	const ids: string[] = [];
	const slots: number[] = [];
	const distributions: ResolvedDistribution[] = [];
	cm.parameterIds.forEach((id, slot) => {
		const parameter = cm.model.parameters[id];
		if (parameter.value === undefined || !parameter.distribution || parameter.distribution.type === 'fixed' || held.has(slot)) return;
		try {
			distributions.push(resolveDistribution(id, parameter, values[slot]));
			ids.push(id);
			slots.push(slot);
		} catch (error) {
			if (error instanceof ModelError) problems.push(...error.issues);
			else throw error;
		}
	});
	return { ids, slots, distributions, position: new Map(ids.map((id, k) => [id, k])) };
}

/** Dirichlet groups of the drawn parameters, each scaled to its members' base total (a held member fixes the whole group: its total is then the rest's). */
function dirichletGroups(drawn: DrawnParameters, values: Float64Array, problems: ModelIssue[]): DirichletGroup[] {
	const groups = new Map<string, number[]>();
	drawn.distributions.forEach((distribution, k) => {
		if (distribution.type !== 'dirichlet') return;
		const members = groups.get(distribution.group) ?? [];
		members.push(k);
		groups.set(distribution.group, members);
	});
	const dirichlet: DirichletGroup[] = [];
	for (const [group, members] of groups) {
		if (members.length < 2) {
			problems.push(issue(joinPath('parameters', drawn.ids[members[0]], 'distribution', 'group'), 'distribution', `Dirichlet group "${group}" has one drawn component; give it at least two`));
			continue;
		}
		let total = 0;
		for (const k of members) total += values[drawn.slots[k]];
		dirichlet.push({
			group,
			members: Int32Array.from(members),
			alphas: Float64Array.from(members.map((k) => (drawn.distributions[k] as { alpha: number }).alpha)),
			total
		});
	}
	return dirichlet;
}

/** The correlated parameters (positions in the drawn ids, ascending) and the lower Cholesky factor of their correlation matrix, row-major. */
interface Copula {
	correlated: Int32Array;
	factor: Float64Array;
}

/**
 * The Gaussian copula over the parameters that appear in a correlation: each end must be drawn
 * and not in a Dirichlet group, each pair declared once, and the matrix positive definite.
 * Throws the problems found so far (with `problems`) before building the matrix.
 */
function gaussianCopula(cm: CompiledModel, drawn: DrawnParameters, problems: ModelIssue[]): Copula {
	const declared = cm.model.correlations ?? [];
	const correlatedSet = new Set<number>();
	declared.forEach((correlation, j) => {
		for (const end of ['a', 'b'] as const) {
			const k = drawn.position.get(correlation[end]);
			const path = joinPath('correlations', j, end);
			if (k === undefined) problems.push(issue(path, 'distribution', `"${correlation[end]}" is not drawn in the PSA (it has no distribution, is an expression, or is held fixed); it cannot be correlated`));
			else if (drawn.distributions[k].type === 'dirichlet') problems.push(issue(path, 'distribution', `"${correlation[end]}" is part of a Dirichlet group; correlate the group's components through the Dirichlet, not here`));
			else correlatedSet.add(k);
		}
		if (correlation.a === correlation.b) problems.push(issue(joinPath('correlations', j), 'distribution', `a parameter cannot be correlated with itself ("${correlation.a}")`));
	});
	if (problems.length) throw new ModelError(problems);
	const correlated = Int32Array.from([...correlatedSet].sort((x, y) => x - y));
	const size = correlated.length;
	const rowOf = new Map([...correlated].map((k, row) => [k, row]));
	// rows of each declared pair in the correlation matrix
	const pairs = declared.map((correlation, j) => ({
		correlation,
		j,
		row: rowOf.get(drawn.position.get(correlation.a) as number) as number,
		column: rowOf.get(drawn.position.get(correlation.b) as number) as number
	}));
	const matrix = new Float64Array(size * size);
	for (let row = 0; row < size; row++) matrix[row * size + row] = 1;
	const pairOf = new Map<string, number>();
	for (const { correlation, j, row, column } of pairs) {
		const key = `${Math.min(row, column)},${Math.max(row, column)}`;
		if (pairOf.has(key))
			problems.push(issue(joinPath('correlations', j), 'distribution', `the pair ${correlation.a}, ${correlation.b} is declared twice (also correlations.${pairOf.get(key)})`));
		pairOf.set(key, j);
		matrix[row * size + column] = correlation.rho;
		matrix[column * size + row] = correlation.rho;
	}
	if (problems.length) throw new ModelError(problems);
	const factor = cholesky(matrix, size);
	if (typeof factor === 'number') {
		// the leading (failed + 1) block is not positive definite: name the pairs that close it
		const closing = pairs.filter(({ row, column }) => Math.max(row, column) === factor);
		throw new ModelError(
			closing.map(({ correlation, j }) =>
				issue(
					joinPath('correlations', j),
					'distribution',
					`the correlations are not consistent (the matrix is not positive definite) once ${correlation.a} and ${correlation.b} (rho ${correlation.rho}) are included; reduce the size of this or a related rho`
				)
			)
		);
	}
	return { correlated, factor };
}

/**
 * The lane drawer: correlated parameters first (z = L e, then the inverse distribution function
 * at Phi(z)), then independent ones, then Dirichlet groups; then each lane's draws checked against
 * their kind's range. Each drawn parameter's sampler is set up once (distributions.ts): the same
 * draws as `sample` and `drawDirichlet`, without looking at the distribution's type on every draw.
 */
function laneDrawer(cm: CompiledModel, drawn: DrawnParameters, dirichlet: DirichletGroup[], copula: Copula): Sampler['drawLanes'] {
	const { ids, distributions } = drawn;
	const { correlated, factor } = copula;
	const correlatedCount = correlated.length;
	const correlatedSet = new Set(correlated);
	const independent = Int32Array.from(distributions.map((_, k) => k).filter((k) => distributions[k].type !== 'dirichlet' && !correlatedSet.has(k)));
	const independentSamplers = Array.from(independent, (k) => laneSampler(distributions[k]));
	const groupSamplers = dirichlet.map((group) => dirichletLaneSampler(group.alphas));
	const groupRows = dirichlet.map((group) => new Int32Array(group.members.length));
	const normals: Float64Array[] = new Array(correlatedCount);
	const lower = new Float64Array(ids.length);
	const upper = new Float64Array(ids.length);
	ids.forEach((id, k) => {
		const bounds = KIND_BOUNDS[cm.model.parameters[id].kind ?? 'other'];
		lower[k] = bounds.min ?? -Infinity;
		upper[k] = bounds.max ?? Infinity;
	});
	return (streams, laneCount, out, rows, ok) => {
		if (correlatedCount > 0) {
			for (let row = 0; row < correlatedCount; row++) {
				normals[row] = streams.scratch(row);
				streams.normals(normals[row], laneCount);
			}
			for (let lane = 0; lane < laneCount; lane++)
				for (let row = correlatedCount - 1; row >= 0; row--) {
					let z = 0;
					for (let column = 0; column <= row; column++) z += factor[row * correlatedCount + column] * normals[column][lane];
					const k = correlated[row];
					out[rows[k] + lane] = quantile(distributions[k], clampOpen(normalCdf(z)));
				}
		}
		for (let j = 0; j < independent.length; j++) independentSamplers[j](streams, out, rows[independent[j]], laneCount);
		for (let group = 0; group < dirichlet.length; group++) {
			const { members, total } = dirichlet[group];
			const at = groupRows[group];
			for (let j = 0; j < members.length; j++) at[j] = rows[members[j]];
			groupSamplers[group](streams, total, out, at, laneCount);
		}
		ok.fill(1, 0, laneCount);
		for (let k = 0; k < ids.length; k++) {
			const row = rows[k];
			for (let lane = 0; lane < laneCount; lane++) {
				const value = out[row + lane];
				if (!(value >= lower[k] && value <= upper[k])) ok[lane] = 0;
			}
		}
	};
}

/** Whether a draw lies in its parameter kind's range (KIND_BOUNDS; no bound: infinite). */
function inKindRange(cm: CompiledModel, id: string, value: number): boolean {
	const bounds = KIND_BOUNDS[cm.model.parameters[id].kind ?? 'other'];
	return value >= (bounds.min ?? -Infinity) && value <= (bounds.max ?? Infinity);
}

/** The error for a draw outside its parameter kind's range, at the parameter's distribution. */
function outOfRange(cm: CompiledModel, id: string, value: number): ModelError {
	return new ModelError(
		issue(
			joinPath('parameters', id, 'distribution'),
			'parameter-range',
			`a draw of ${value} is outside the range of a ${cm.model.parameters[id].kind} parameter; choose a distribution that respects it (beta for probabilities and utility decrements, gamma or lognormal for costs and rates)`
		)
	);
}

/** Keeps Phi(z) strictly inside (0, 1) so inverse CDFs stay finite. */
function clampOpen(u: number): number {
	return Math.min(Math.max(u, 1e-16), 1 - 1e-16);
}
