import { test, expect, type ConsoleMessage } from '@playwright/test';

/**
 * The built app under its Content Security Policy: the policy is in the page (a meta tag written
 * by SvelteKit), it has no 'unsafe-eval', nothing on the page breaks it (no
 * securitypolicyviolation event, no console error), and the app still does its work (the
 * results table renders from a model run in the browser). See docs/security.md (T21).
 */

declare global {
	interface Window {
		__cspViolations?: { directive: string; blocked: string; source: string }[];
	}
}

test('the app renders its results under the CSP with no violations', async ({ page }) => {
	const consoleProblems: string[] = [];
	const pageErrors: string[] = [];
	page.on('console', (m: ConsoleMessage) => {
		if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text()))
			consoleProblems.push(`${m.type()}: ${m.text()}`);
	});
	page.on('pageerror', (e) => pageErrors.push(e.message));
	// installed before any page script runs, so it sees violations during start-up too
	await page.addInitScript(() => {
		window.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__cspViolations?.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile });
		});
	});

	await page.goto('/');

	// the policy is delivered with the page, without unsafe-eval (wasm-unsafe-eval, which allows
	// compiling WebAssembly only, is allowed), and scripts are not inline-allowed
	const policy = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expect(policy, 'the built page carries a CSP meta tag').toBeTruthy();
	expect(policy).not.toMatch(/(^|[^-])'unsafe-eval'/);
	const scriptSrc = (policy ?? '').split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
	expect(scriptSrc, 'script-src is set').toBeTruthy();
	expect(scriptSrc).not.toContain('unsafe-inline');

	// the app works under it: the model ran in the browser and its results are in the table
	const rows = page.locator('[data-testid="results"] tbody tr');
	await expect(rows.first()).toBeVisible();
	expect(await rows.count()).toBeGreaterThan(0);
	await expect(rows.first().locator('td').nth(1)).not.toBeEmpty();

	// let any late scripts, workers or styles load before counting problems
	await page.waitForLoadState('networkidle');
	const violations = await page.evaluate(() => window.__cspViolations ?? []);
	expect(violations, JSON.stringify(violations)).toEqual([]);
	expect(consoleProblems).toEqual([]);
	expect(pageErrors).toEqual([]);
});

test('the policy really is enforced: an injected inline script and eval are refused', async ({ page }) => {
	// a same-origin script (allowed by script-src 'self') that tries to turn text into code
	await page.route('**/csp-probe.js', (route) =>
		route.fulfill({
			contentType: 'text/javascript',
			body: 'try { new Function("return 1")(); window.__evalRan = true; } catch (e) { window.__evalRefused = String(e); }'
		})
	);
	await page.goto('/');
	await expect(page.locator('[data-testid="results"]')).toBeVisible();
	const seen = page.evaluate(
		() =>
			new Promise<string[]>((resolve) => {
				const directives: string[] = [];
				document.addEventListener('securitypolicyviolation', (e) => directives.push(e.violatedDirective));
				const s = document.createElement('script');
				s.textContent = 'window.__injected = true;';
				document.head.appendChild(s);
				setTimeout(() => resolve(directives), 200);
			})
	);
	const directives = await seen;
	expect(directives.some((d) => d.startsWith('script-src')), JSON.stringify(directives)).toBe(true);
	await page.addScriptTag({ url: '/csp-probe.js' });
	const state = await page.evaluate(() => {
		const w = window as unknown as { __injected?: boolean; __evalRan?: boolean; __evalRefused?: string };
		return { injected: w.__injected === true, evalRan: w.__evalRan === true, evalRefused: w.__evalRefused ?? '' };
	});
	expect(state.injected, 'an inline script injected into the page must not run').toBe(false);
	expect(state.evalRan, 'new Function must be refused').toBe(false);
	expect(state.evalRefused).toMatch(/EvalError|unsafe-eval|Content Security Policy/);
});
