/**
 * Small dense linear algebra on row-major Float64Arrays, for correlation matrices (tens of
 * parameters) and least-squares fits with tens of columns. No allocation in the inner loops.
 */

/**
 * Lower Cholesky factor L (row-major, L L' = A) of a symmetric n x n matrix, or, when A is not
 * positive definite, the index of the first pivot that fails: L_jj = sqrt(A_jj - sum_k<j L_jk^2),
 * L_ij = (A_ij - sum_k<j L_ik L_jk) / L_jj (Golub & Van Loan 2013, Matrix Computations, 4th ed.,
 * algorithm 4.2.1).
 *
 * @example
 * cholesky(Float64Array.of(1, 0.5, 0.5, 1), 2) // Float64Array [1, 0, 0.5, 0.8660]
 * cholesky(Float64Array.of(1, 2, 2, 1), 2)     // 1: not positive definite at the second pivot
 */
export function cholesky(a: Float64Array, n: number, tolerance = 1e-12): Float64Array | number {
	const l = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		for (let j = 0; j <= i; j++) {
			let s = a[i * n + j];
			for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
			if (i === j) {
				if (!(s > tolerance)) return i;
				l[i * n + i] = Math.sqrt(s);
			} else l[i * n + j] = s / l[j * n + j];
		}
	}
	return l;
}

/**
 * Solves L L' x = b in place of b (L from `cholesky`): forward substitution L y = b, then back
 * substitution L' x = y.
 *
 * @example
 * choleskySolve(cholesky(Float64Array.of(4, 0, 0, 9), 2) as Float64Array, 2, Float64Array.of(8, 9)) // Float64Array [2, 1]
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
	for (let i = 0; i < n; i++) {
		let s = b[i];
		for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
		b[i] = s / l[i * n + i];
	}
	for (let i = n - 1; i >= 0; i--) {
		let s = b[i];
		for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
		b[i] = s / l[i * n + i];
	}
	return b;
}

/**
 * The inverse of A = L L' (symmetric, row-major), column by column: A^-1 e_j by choleskySolve.
 *
 * @example
 * choleskyInverse(cholesky(Float64Array.of(4, 0, 0, 9), 2) as Float64Array, 2) // Float64Array [0.25, 0, 0, 0.1111]
 */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
	const inv = new Float64Array(n * n);
	const col = new Float64Array(n);
	for (let j = 0; j < n; j++) {
		col.fill(0);
		col[j] = 1;
		choleskySolve(l, n, col);
		for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
	}
	return inv;
}
