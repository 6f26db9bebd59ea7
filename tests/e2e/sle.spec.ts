/**
 * The refractory SLE model (models/sle.json) picked in the model picker, at phone and desktop
 * widths: results and the verdict shown, an edit to the CAR-T price changes the results, the
 * trace shows the model's own bands, a PSA runs, and the break-even panel draws its grid.
 * Nothing here is MS-specific: the app works for a second disease unchanged.
 */
import { test, expect, type Page } from '@playwright/test';
import { cellValue, openApp, setParam, shot, watchConsole } from './helpers';

async function pickSle(page: Page) {
	await page.locator('#model-select').selectOption('sle');
	await expect(page.locator('[data-testid="results"] tr[data-strategy="cart"]')).toBeVisible();
	for (const id of ['standard-care', 'belimumab', 'anifrolumab', 'cart']) await expect(page.locator(`[data-testid="results"] tr[data-strategy="${id}"]`)).toBeVisible();
}

async function verdictAndEdit(page: Page) {
	const verdict = page.getByTestId('verdict');
	await expect(verdict).toBeVisible();
	await expect(verdict.getByTestId('verdict-lead')).toContainText('At GBP 20,000 per QALY (GBP, 2024 prices)');
	// the one-off CAR-T is compared with the declared lifelong comparator, belimumab
	await expect(verdict).toContainText('CD19 CAR-T cell therapy');
	await expect(verdict).toContainText('Standard care + belimumab');
	const before = await cellValue(page, 'cart', 'cost');
	const belimumab = await cellValue(page, 'belimumab', 'cost');
	// GBP 282,000 -> 50,000: the one-off price is paid at model start, undiscounted
	await setParam(page, 'c_cart_product', '50000');
	await expect.poll(() => cellValue(page, 'cart', 'cost')).toBeCloseTo(before - 232000, 0);
	expect(await cellValue(page, 'belimumab', 'cost')).toBeCloseTo(belimumab, 6);
	await setParam(page, 'c_cart_product', '282000');
	await expect.poll(() => cellValue(page, 'cart', 'cost')).toBeCloseTo(before, 0);
	await expect(page.getByRole('heading', { name: 'Trace: Disease activity and damage' })).toBeVisible();
}

async function psaRuns(page: Page) {
	await page.locator('#psa-iterations').fill('300');
	await page.locator('#psa-seed').fill('11');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('chart-ceac')).toBeVisible({ timeout: 90_000 });
	await expect(page.getByTestId('psa-meta')).toContainText('300 iterations, seed 11');
	await expect(page.locator('[data-testid="psa-summary"] tbody tr')).toHaveCount(4);
	await expect(page.getByTestId('evpi-value')).toContainText('GBP');
}

async function breakevenDraws(page: Page) {
	const panel = page.getByTestId('breakeven');
	await panel.scrollIntoViewIfNeeded();
	await expect(panel.locator('#be-strategy')).toHaveValue('cart');
	await expect(panel.locator('#be-comparator')).toHaveValue('belimumab');
	await panel.locator('#be-steps').fill('3');
	await panel.getByRole('button', { name: 'Find break-even prices' }).click();
	await expect(panel.getByTestId('breakeven-result')).toContainText('CD19 CAR-T cell therapy (one infusion; case-series evidence) matches Standard care + belimumab 200 mg SC weekly (lifelong) at GBP 20,000 per QALY', { timeout: 90_000 });
	const cells = panel.locator('[data-testid="breakeven-grid"] td');
	await expect(cells).toHaveCount(9);
	for (const status of await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')))) expect(['price', 'any-price', 'no-price']).toContain(status);
}

for (const [name, width, height] of [
	['phone', 390, 844],
	['desktop', 1440, 900]
] as const) {
	test(`SLE model: results, verdict, an edit, PSA and break-even at ${name} width (${width}px)`, async ({ page }) => {
		test.setTimeout(180_000);
		await page.setViewportSize({ width, height });
		const errors = watchConsole(page);
		await openApp(page);
		await pickSle(page);
		await verdictAndEdit(page);
		await psaRuns(page);
		await breakevenDraws(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await shot(page, `sle-${name}`);
		expect(errors).toEqual([]);
	});
}
