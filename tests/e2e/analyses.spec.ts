/** The one-way sensitivity analysis runs in the worker and draws the tornado. */
import { test, expect } from '@playwright/test';
import { openApp } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('one-way analysis draws a tornado of aHSCT against lifelong DMT', async ({ page }) => {
	test.setTimeout(90_000);
	await openApp(page);
	const dsa = page.getByTestId('dsa');
	await expect(dsa.locator('#dsa-strategy')).toHaveValue('ahsct');
	await expect(dsa.locator('#dsa-reference')).toHaveValue('lifelong-dmt');
	await dsa.getByRole('button', { name: 'Run one-way analysis' }).click();
	await expect(page.getByTestId('chart-tornado')).toBeVisible({ timeout: 60_000 });
	await expect(dsa).toContainText('Base case: incremental NMB GBP');
	await expect(dsa).toContainText('Widest 15 of');
	await dsa.locator('#dsa-measure').selectOption('icer');
	await expect(dsa).toContainText('Base case: ICER');
	await page.getByTestId('chart-tornado').scrollIntoViewIfNeeded();
	await dsa.screenshot({ path: 'tests/e2e/screenshots/analyses-tornado.png' });
});
