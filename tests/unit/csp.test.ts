/**
 * The Content Security Policy the static site sends (SvelteKit writes it into each prerendered
 * page as a <meta http-equiv> tag, with hashes for its own inline scripts). This checks the
 * configuration; tests/e2e/csp.spec.ts checks the built page and that the app works under it.
 *
 * Why each rule: no 'unsafe-eval' anywhere (nothing in the app may turn text into code, the
 * same promise the expression sandbox makes, see docs/security.md); 'wasm-unsafe-eval' in
 * script-src only, which lets the page compile WebAssembly (the PSA's kernels, shipped with the
 * app) and nothing else: eval and new Function stay refused; no 'unsafe-inline' for
 * scripts (an injected <script> would not run); scripts, connections and workers only from the
 * app's own origin (no network beyond it); no plugins (object-src 'none'); base-uri pinned.
 * Inline styles stay allowed: Svelte and Chart.js set style attributes, which cannot run code.
 */
import { describe, it, expect } from 'vitest';
import config from '../../svelte.config.js';

type Directives = Record<string, string[] | undefined>;
const csp = config.kit?.csp as { mode?: string; directives?: Directives } | undefined;
const directives: Directives = csp?.directives ?? {};

describe('the Content Security Policy in svelte.config.js', () => {
	it('is configured, with hashes for SvelteKit inline scripts (prerendered pages cannot use nonces)', () => {
		expect(csp).toBeDefined();
		expect(['hash', 'auto']).toContain(csp?.mode);
		expect(Object.keys(directives).length).toBeGreaterThan(0);
	});

	it("allows 'unsafe-eval' in no directive", () => {
		for (const [name, sources] of Object.entries(directives))
			for (const s of sources ?? []) expect(s, `${name} allows ${s}`).not.toMatch(/^unsafe-eval$/);
	});

	it("script-src is set, without 'unsafe-inline', wildcards, data: or foreign origins", () => {
		const scripts = directives['script-src'];
		expect(scripts, 'script-src must be set (default-src alone would be easy to loosen by accident)').toBeDefined();
		expect(scripts).not.toContain('unsafe-inline');
		expect(scripts).not.toContain('strict-dynamic');
		for (const s of scripts ?? []) expect(s, `script-src allows ${s}`).toMatch(/^(self|none|wasm-unsafe-eval|sha(256|384|512)-.+|nonce-.+)$/);
	});

	it("allows 'wasm-unsafe-eval' in script-src alone", () => {
		for (const [name, sources] of Object.entries(directives)) if (name !== 'script-src') expect(sources ?? []).not.toContain('wasm-unsafe-eval');
	});

	it("falls back to 'self', loads no plugins and pins the base URI", () => {
		expect(directives['default-src']).toEqual(['self']);
		expect(directives['object-src']).toEqual(['none']);
		expect(directives['base-uri']).toBeDefined();
		expect(directives['base-uri']?.every((s) => s === 'self' || s === 'none')).toBe(true);
	});

	it('connects and starts workers only from its own origin (no network beyond the app)', () => {
		expect(directives['connect-src']).toEqual(['self']);
		// blob: workers are the app's own code turned into a worker URL, not foreign code
		for (const s of directives['worker-src'] ?? []) expect(['self', 'blob:']).toContain(s);
	});
});
