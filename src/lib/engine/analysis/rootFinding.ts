/**
 * Brent's bracketing root finder (Brent 1973, Algorithms for Minimization without Derivatives,
 * ch. 4; the zeroin form of Forsythe, Malcolm & Moler 1977): inverse quadratic interpolation
 * or secant steps, falling back to bisection, always keeping a sign change in [a, b]. It
 * converges whenever f(a) and f(b) differ in sign and f is continuous.
 *
 *     brent((x) => x * x - 2, 0, 2, 1e-12).root; // 1.41421356...
 */
export interface RootResult {
	root: number;
	/** |f(root)| at the returned point */
	residual: number;
	evaluations: number;
}

/**
 * A root of f in [a, b] to within `tolerance` in x (needs f(a) f(b) <= 0), by Brent's method;
 * the local names (a, b, c, d, e, fa, fb, fc, p, q) are those of the published zeroin algorithm,
 * so the code can be read against it line by line.
 *
 * @example
 * brent((x) => x * x - 2, 0, 2, 1e-12).root // 1.41421356...
 */
export function brent(f: (x: number) => number, a: number, b: number, tolerance: number, maxEvaluations = 200): RootResult {
	let fa = f(a);
	let fb = f(b);
	let evaluations = 2;
	if (fa === 0) return { root: a, residual: 0, evaluations };
	if (fb === 0) return { root: b, residual: 0, evaluations };
	if (Math.sign(fa) === Math.sign(fb)) throw new RangeError(`no sign change between ${a} and ${b}`);
	let c = a;
	let fc = fa;
	let d = b - a;
	let e = d;
	while (evaluations < maxEvaluations) {
		if (Math.sign(fb) === Math.sign(fc)) {
			c = a;
			fc = fa;
			d = b - a;
			e = d;
		}
		if (Math.abs(fc) < Math.abs(fb)) {
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		const tol = 2 * Number.EPSILON * Math.abs(b) + tolerance / 2;
		const m = (c - b) / 2;
		if (Math.abs(m) <= tol || fb === 0) return { root: b, residual: Math.abs(fb), evaluations };
		if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
			// interpolation
			const s = fb / fa;
			let p: number;
			let q: number;
			if (a === c) {
				p = 2 * m * s;
				q = 1 - s;
			} else {
				const qa = fa / fc;
				const r = fb / fc;
				p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
				q = (qa - 1) * (r - 1) * (s - 1);
			}
			if (p > 0) q = -q;
			else p = -p;
			if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
				e = d;
				d = p / q;
			} else {
				d = m;
				e = m;
			}
		} else {
			d = m;
			e = m;
		}
		a = b;
		fa = fb;
		b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
		fb = f(b);
		evaluations++;
	}
	return { root: b, residual: Math.abs(fb), evaluations };
}
