/** Subgroups (issue 19): the selector, the per-subgroup table, the PSA per subgroup with its CEAC, at phone and desktop widths. */
import { test, expect, type Page } from '@playwright/test';
import { openApp, setParam, watchConsole } from './helpers';

async function subgroupCost(page: Page, strategy: string): Promise<number> {
	return Number(await page.locator(`[data-testid="subgroup-results"] tr[data-strategy="${strategy}"] td[data-col="cost"]`).getAttribute('data-value'));
}

for (const [name, width, height] of [
	['phone', 390, 844],
	['desktop', 1440, 900]
] as const) {
	test(`subgroup selector, table and PSA per subgroup at ${width}px`, async ({ page }) => {
		const errors = watchConsole(page);
		await page.setViewportSize({ width, height });
		await openApp(page);
		const panel = page.locator('[data-testid="subgroups"]');
		await panel.scrollIntoViewIfNeeded();
		await expect(panel.getByTestId('subgroup-summary')).toHaveCount(0); // computed on request only
		await panel.getByTestId('subgroups-toggle').click();
		await expect(panel.locator('[data-testid="subgroup-summary"] tr[data-subgroup]')).toHaveCount(3);
		await panel.getByText('Where the weights come from').click();
		await expect(panel.locator('[data-testid="subgroup-evidence"] li[data-subgroup="under-36"]')).toContainText('assumption');

		// the whole population's cost is the weighted sum of the two subgroups' (weights 0.5 and 0.5 in models/ms.json)
		await expect(panel.locator('[data-testid="subgroup-results"]')).toHaveAttribute('data-subgroup', 'population');
		const population = await subgroupCost(page, 'lifelong-dmt');
		await panel.getByLabel('Show results for').selectOption('under-36');
		await expect(panel.locator('[data-testid="subgroup-results"]')).toHaveAttribute('data-subgroup', 'under-36');
		const younger = await subgroupCost(page, 'lifelong-dmt');
		await panel.getByLabel('Show results for').selectOption('age-36-plus');
		await expect(panel.locator('[data-testid="subgroup-results"]')).toHaveAttribute('data-subgroup', 'age-36-plus');
		const older = await subgroupCost(page, 'lifelong-dmt');
		expect(younger).toBeGreaterThan(older); // a younger cohort takes the drug for longer
		expect(Math.abs(population - (0.5 * younger + 0.5 * older))).toBeLessThan(1e-6 * population);
		await expect(panel.locator('[data-testid="subgroup-results"] td[data-col="icer"]').first()).not.toBeEmpty();

		// an edit of an input reaches every subgroup: a dearer ocrelizumab raises the older subgroup's lifelong-DMT cost
		await setParam(page, 'c_ocr', '30000');
		await expect.poll(() => subgroupCost(page, 'lifelong-dmt')).toBeGreaterThan(older);

		// bad input beside its field; the button waits for a valid number
		await panel.getByLabel('Iterations per subgroup').fill('12x');
		await expect(panel.locator('#subgroup-iterations-error')).toContainText('you typed “12x”');
		await expect(panel.getByTestId('subgroup-run-psa')).toBeDisabled();
		await panel.getByLabel('Iterations per subgroup').fill('40');
		await expect(panel.locator('#subgroup-iterations-error')).toHaveCount(0);
		await panel.getByTestId('subgroup-run-psa').click();
		await expect(panel.getByTestId('subgroup-psa-result')).toContainText('40 iterations', { timeout: 60_000 });
		await expect(panel.getByTestId('chart-subgroup-ceac')).toBeVisible();
		const evpi = Number(await panel.getByTestId('subgroup-psa-result').getAttribute('data-evpi'));
		expect(evpi).toBeGreaterThanOrEqual(0);

		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await panel.screenshot({ path: `tests/e2e/screenshots/subgroups-${name}.png` });
		expect(errors).toEqual([]);
	});
}
