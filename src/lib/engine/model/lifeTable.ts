/**
 * Life-table look-up for background mortality. qx is the probability that a person aged x
 * exactly dies before x + 1 (ONS notation). Ages below the table's first age use its first row,
 * ages above its last row use the last row; fractional ages use the row of the completed year.
 * A female share between 0 and 1 gives the share-weighted qx of a mixed cohort (a stated
 * simplification: the cohort's sex mix is held at its starting value).
 */
import type { LifeTable } from './schema';
import type { LifeTableColumns } from './expressions';

export function lifeTableLookup(tables: Record<string, LifeTable> | undefined): LifeTableColumns {
	const names = Object.keys(tables ?? {});
	const male: Float64Array[] = [];
	const female: Float64Array[] = [];
	const minAge: number[] = [];
	for (const name of names) {
		const t = (tables as Record<string, LifeTable>)[name];
		male.push(Float64Array.from(t.qx.male));
		female.push(Float64Array.from(t.qx.female));
		minAge.push(t.minAge);
	}
	return {
		indexOf: (name) => names.indexOf(name),
		qx(table, age, femaleShare) {
			// a share outside [0, 1] gives NaN, reported as a value that is not finite at its path
			if (!(femaleShare >= 0 && femaleShare <= 1)) return NaN;
			const m = male[table];
			const f = female[table];
			const im = Math.min(Math.max(Math.floor(age) - minAge[table], 0), m.length - 1);
			const jf = Math.min(Math.max(Math.floor(age) - minAge[table], 0), f.length - 1);
			return (1 - femaleShare) * m[im] + femaleShare * f[jf];
		},
		qxOfShares(table, age, femaleShares, out, n) {
			const m = male[table];
			const f = female[table];
			const qm = m[Math.min(Math.max(Math.floor(age) - minAge[table], 0), m.length - 1)];
			const qf = f[Math.min(Math.max(Math.floor(age) - minAge[table], 0), f.length - 1)];
			for (let b = 0; b < n; b++) {
				const s = femaleShares[b];
				out[b] = s >= 0 && s <= 1 ? (1 - s) * qm + s * qf : NaN;
			}
		}
	};
}
