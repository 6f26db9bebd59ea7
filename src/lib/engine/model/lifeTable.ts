/**
 * Life-table look-up for background mortality. qx is the probability that a person aged x
 * exactly dies before x + 1 (ONS notation). Ages below the table's first age use its first row,
 * ages above its last row use the last row; fractional ages use the row of the completed year.
 * A female share between 0 and 1 gives the share-weighted qx of a mixed cohort (a stated
 * simplification: the cohort's sex mix is held at its starting value).
 */
import type { LifeTable } from './schema';
import type { LifeTableColumns } from './expressions';

/**
 * The look-up of the model's life tables, by name then age: qx(age) = the row of the completed
 * year, floor(age) - minAge, held within the table; for a mixed cohort with female share f,
 * qx = (1 - f) qx_male + f qx_female.
 *
 * @example
 * const tables = lifeTableLookup({ uk: { minAge: 50, qx: { male: [0.004, 0.005], female: [0.003, 0.004] } } });
 * tables.qx(tables.indexOf('uk'), 51.5, 0.5) // 0.0045: age 51's row, half male and half female
 * tables.qx(0, 90, 0)                        // 0.005: past the table's end, its last row
 */
export function lifeTableLookup(tables: Record<string, LifeTable> | undefined): LifeTableColumns {
	const names = Object.keys(tables ?? {});
	const male: Float64Array[] = [];
	const female: Float64Array[] = [];
	const minAge: number[] = [];
	for (const name of names) {
		const table = (tables as Record<string, LifeTable>)[name];
		male.push(Float64Array.from(table.qx.male));
		female.push(Float64Array.from(table.qx.female));
		minAge.push(table.minAge);
	}
	// the row of the completed year of age, held within the table's rows
	const rowOf = (column: Float64Array, table: number, age: number) => Math.min(Math.max(Math.floor(age) - minAge[table], 0), column.length - 1);
	return {
		indexOf: (name) => names.indexOf(name),
		qx(table, age, femaleShare) {
			// a share outside [0, 1] gives NaN, reported as a value that is not finite at its path
			if (!(femaleShare >= 0 && femaleShare <= 1)) return NaN;
			const maleColumn = male[table];
			const femaleColumn = female[table];
			return (1 - femaleShare) * maleColumn[rowOf(maleColumn, table, age)] + femaleShare * femaleColumn[rowOf(femaleColumn, table, age)];
		},
		qxOfShares(table, age, femaleShares, out, laneCount) {
			const maleQx = male[table][rowOf(male[table], table, age)];
			const femaleQx = female[table][rowOf(female[table], table, age)];
			for (let lane = 0; lane < laneCount; lane++) {
				const share = femaleShares[lane];
				out[lane] = share >= 0 && share <= 1 ? (1 - share) * maleQx + share * femaleQx : NaN;
			}
		}
	};
}
