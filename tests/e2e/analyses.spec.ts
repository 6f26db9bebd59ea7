import { execFileSync } from 'node:child_process';
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

test('EVPPI after a PSA: about zero for a parameter the UK decision does not use; for a group, what the command line computes from the same PSA, never above EVPI', async ({ page }) => {
	test.setTimeout(120_000);
	await openApp(page);
	await page.locator('#psa-iterations').fill('1000');
	await page.locator('#psa-seed').fill('2024');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('chart-ceac')).toBeVisible({ timeout: 90_000 });
	const panel = page.getByTestId('evppi');
	await panel.scrollIntoViewIfNeeded();
	const result = page.getByTestId('evppi-result');
	const figures = async () => ({
		evppi: Number(await result.getAttribute('data-evppi')),
		evpi: Number(await result.getAttribute('data-evpi'))
	});

	// the US ocrelizumab price only matters in the US setting, which is off: nothing to learn from it
	await panel.locator('#evppi-params').selectOption(['c_ocr_us']);
	await panel.getByRole('button', { name: 'Compute EVPPI' }).click();
	await expect(result).toContainText('EVPPI of c_ocr_us');
	await expect(result).toContainText('per patient');
	const fx = await figures();
	expect(fx.evpi).toBeGreaterThan(0);
	expect(fx.evppi).toBeLessThan(0.05 * fx.evpi);

	await panel.locator('#evppi-params').selectOption(['c_ahsct_uk', 'hr_ahsct_vs_hedmt', 'c_state_severe']);
	await panel.getByRole('button', { name: 'Compute EVPPI' }).click();
	await expect(result).toContainText(/EVPPI of (c_ahsct_uk|hr_ahsct_vs_hedmt|c_state_severe), (c_ahsct_uk|hr_ahsct_vs_hedmt|c_state_severe), (c_ahsct_uk|hr_ahsct_vs_hedmt|c_state_severe):/);
	const group = await figures();
	// the same PSA (1,000 iterations, seed 2024) and group through the command line: the app's
	// worker, sampler and EVPPI regression must give the same figures (not a conclusion: how much
	// the group is worth moves with the evidence)
	const cli = JSON.parse(
		execFileSync(process.execPath, ['scripts/model.mjs', 'psa', 'models/ms.json', '--iterations', '1000', '--seed', '2024', '--evppi', 'c_ahsct_uk,hr_ahsct_vs_hedmt,c_state_severe', '--json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
	).evppi[0];
	expect(Math.abs(group.evppi - cli.evppi)).toBeLessThanOrEqual(1e-6 * Math.max(1, cli.evpi));
	expect(Math.abs(group.evpi - cli.evpi)).toBeLessThanOrEqual(1e-6 * Math.max(1, cli.evpi));
	expect(group.evppi).toBeGreaterThanOrEqual(0);
	expect(group.evppi).toBeLessThanOrEqual(group.evpi);
	await panel.screenshot({ path: 'tests/e2e/screenshots/analyses-evppi.png' });

	// five parameters are too many for one group: an error beside the list, nothing computed
	await panel.locator('#evppi-params').selectOption(['c_ahsct_uk', 'hr_ahsct_vs_hedmt', 'c_state_severe', 'c_ocr', 'p_trm_ahsct']);
	await expect(panel.getByRole('alert')).toContainText('Choose at most 4 parameters');
	await expect(panel.getByRole('button', { name: 'Compute EVPPI' })).toBeDisabled();
});
