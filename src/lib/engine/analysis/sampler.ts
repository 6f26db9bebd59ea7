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
 * @param values base values after scenario and overrides (plain parameters)
 * @param held parameter slots held at their value (set by a scenario or the user), not drawn
 */
export function createSampler(cm: CompiledModel, values: Float64Array, held: Set<number> = new Set()): Sampler {
	const ids: string[] = [];
	const slots: number[] = [];
	const dists: ResolvedDistribution[] = [];
	const problems: ModelIssue[] = [];
	cm.parameterIds.forEach((id, i) => {
		const p = cm.model.parameters[id];
		if (p.value === undefined || !p.distribution || p.distribution.type === 'fixed' || held.has(i)) return;
		try {
			dists.push(resolveDistribution(id, p, values[i]));
			ids.push(id);
			slots.push(i);
		} catch (e) {
			if (e instanceof ModelError) problems.push(...e.issues);
			else throw e;
		}
	});
	const position = new Map(ids.map((id, k) => [id, k]));

	// Dirichlet groups (a held member fixes the whole group: its total is then the rest's)
	const groups = new Map<string, number[]>();
	dists.forEach((d, k) => {
		if (d.type !== 'dirichlet') return;
		const g = groups.get(d.group) ?? [];
		g.push(k);
		groups.set(d.group, g);
	});
	const dirichlet: DirichletGroup[] = [];
	for (const [group, members] of groups) {
		if (members.length < 2) {
			problems.push(issue(joinPath('parameters', ids[members[0]], 'distribution', 'group'), 'distribution', `Dirichlet group "${group}" has one drawn component; give it at least two`));
			continue;
		}
		let total = 0;
		for (const k of members) total += values[slots[k]];
		dirichlet.push({
			group,
			members: Int32Array.from(members),
			alphas: Float64Array.from(members.map((k) => (dists[k] as { alpha: number }).alpha)),
			total
		});
	}

	// correlations: a Gaussian copula over the parameters that appear in one
	const declared = cm.model.correlations ?? [];
	const correlatedSet = new Set<number>();
	declared.forEach((c, j) => {
		for (const end of ['a', 'b'] as const) {
			const k = position.get(c[end]);
			const path = joinPath('correlations', j, end);
			if (k === undefined) problems.push(issue(path, 'distribution', `"${c[end]}" is not drawn in the PSA (it has no distribution, is an expression, or is held fixed); it cannot be correlated`));
			else if (dists[k].type === 'dirichlet') problems.push(issue(path, 'distribution', `"${c[end]}" is part of a Dirichlet group; correlate the group's components through the Dirichlet, not here`));
			else correlatedSet.add(k);
		}
		if (c.a === c.b) problems.push(issue(joinPath('correlations', j), 'distribution', `a parameter cannot be correlated with itself ("${c.a}")`));
	});
	if (problems.length) throw new ModelError(problems);
	const correlated = Int32Array.from([...correlatedSet].sort((x, y) => x - y));
	const m = correlated.length;
	const where = new Map([...correlated].map((k, r) => [k, r]));
	const matrix = new Float64Array(m * m);
	for (let r = 0; r < m; r++) matrix[r * m + r] = 1;
	const pairOf = new Map<string, number>();
	declared.forEach((c, j) => {
		const r = where.get(position.get(c.a) as number) as number;
		const s = where.get(position.get(c.b) as number) as number;
		const key = `${Math.min(r, s)},${Math.max(r, s)}`;
		if (pairOf.has(key))
			problems.push(issue(joinPath('correlations', j), 'distribution', `the pair ${c.a}, ${c.b} is declared twice (also correlations.${pairOf.get(key)})`));
		pairOf.set(key, j);
		matrix[r * m + s] = c.rho;
		matrix[s * m + r] = c.rho;
	});
	if (problems.length) throw new ModelError(problems);
	const factor = cholesky(matrix, m);
	if (typeof factor === 'number') {
		// the leading (failed + 1) block is not positive definite: name the pairs that close it
		const bad = declared
			.map((c, j) => ({ c, j, r: where.get(position.get(c.a) as number) as number, s: where.get(position.get(c.b) as number) as number }))
			.filter(({ r, s }) => Math.max(r, s) === factor);
		throw new ModelError(
			bad.map(({ c, j }) =>
				issue(
					joinPath('correlations', j),
					'distribution',
					`the correlations are not consistent (the matrix is not positive definite) once ${c.a} and ${c.b} (rho ${c.rho}) are included; reduce the size of this or a related rho`
				)
			)
		);
	}

	// each drawn parameter's sampler, set up once (distributions.ts): the same draws as `sample`
	// and `drawDirichlet`, without looking at the distribution's type on every draw
	const independent = Int32Array.from(dists.map((d, k) => k).filter((k) => dists[k].type !== 'dirichlet' && !correlatedSet.has(k)));
	const independentSamplers = Array.from(independent, (k) => laneSampler(dists[k]));
	const groupSamplers = dirichlet.map((g) => dirichletLaneSampler(g.alphas));
	const groupRows = dirichlet.map((g) => new Int32Array(g.members.length));
	// scratch columns of the variates: 4 for a lane sampler, 2 per component of a Dirichlet group, a normal per correlated parameter
	const scratchColumns = Math.max(4, m, ...dirichlet.map((g) => 2 * g.members.length));
	const z: Float64Array[] = new Array(m);
	const lower = new Float64Array(ids.length);
	const upper = new Float64Array(ids.length);
	ids.forEach((id, k) => {
		const b = KIND_BOUNDS[cm.model.parameters[id].kind ?? 'other'];
		lower[k] = b.min ?? -Infinity;
		upper[k] = b.max ?? Infinity;
	});
	const inRange = (k: number, v: number) => v >= lower[k] && v <= upper[k];
	const outOfRange = (k: number, v: number) =>
		new ModelError(
			issue(
				joinPath('parameters', ids[k], 'distribution'),
				'parameter-range',
				`a draw of ${v} is outside the range of a ${cm.model.parameters[ids[k]].kind} parameter; choose a distribution that respects it (beta for probabilities and utility decrements, gamma or lognormal for costs and rates)`
			)
		);

	const drawLanes = (streams: Streams, n: number, out: Float64Array, rows: Int32Array, ok: Uint8Array): void => {
		if (m > 0) {
			for (let r = 0; r < m; r++) {
				z[r] = streams.scratch(r);
				streams.normals(z[r], n);
			}
			for (let b = 0; b < n; b++)
				for (let r = m - 1; r >= 0; r--) {
					let v = 0;
					for (let c = 0; c <= r; c++) v += factor[r * m + c] * z[c][b];
					const k = correlated[r];
					out[rows[k] + b] = quantile(dists[k], clampOpen(normalCdf(v)));
				}
		}
		for (let j = 0; j < independent.length; j++) independentSamplers[j](streams, out, rows[independent[j]], n);
		for (let h = 0; h < dirichlet.length; h++) {
			const { members, total } = dirichlet[h];
			const at = groupRows[h];
			for (let j = 0; j < members.length; j++) at[j] = rows[members[j]];
			groupSamplers[h](streams, total, out, at, n);
		}
		ok.fill(1, 0, n);
		for (let k = 0; k < ids.length; k++) {
			const row = rows[k];
			for (let b = 0; b < n; b++) if (!inRange(k, out[row + b])) ok[b] = 0;
		}
	};
	// one iteration at a time: one lane, over the caller's generator
	const single = jsStreams(new Random(1), scratchColumns);
	const identity = Int32Array.from(ids, (_, k) => k);
	const okOne = new Uint8Array(1);

	return {
		parameterIds: ids,
		slots: Int32Array.from(slots),
		distributions: dists,
		correlated,
		choleskyFactor: factor,
		dirichlet,
		drawLanes,
		createStreams: (count) => createStreams(count, scratchColumns),
		draw(rng, out) {
			single.rng = rng;
			drawLanes(single, 1, out, identity, okOne);
			if (okOne[0] === 0)
				for (let k = 0; k < out.length; k++) if (!inRange(k, out[k])) throw outOfRange(k, out[k]);
		}
	};
}

/** Keeps Phi(z) strictly inside (0, 1) so inverse CDFs stay finite. */
function clampOpen(u: number): number {
	return Math.min(Math.max(u, 1e-16), 1 - 1e-16);
}
