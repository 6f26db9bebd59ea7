/**
 * Value of information after a PSA: EVPPI over willingness to pay and for a population, and
 * the EVSI panel (errors beside each field; EVSI and ENBS by sample size from the worker equal to
 * what the command line computes from the same PSA), at 1440 and 390 px.
 */
import { execFileSync } from 'node:child_process';
import { test, expect, type Page } from '@playwright/test';
import { openApp, watchConsole } from './helpers';

async function runPsa(page: Page, iterations = 1000): Promise<void> {
	await openApp(page);
	await page.locator('#setting-willingnessToPay').fill('50000');
	await page.locator('#psa-iterations').fill(String(iterations));
	await page.locator('#psa-seed').fill('2024');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('chart-ceac')).toBeVisible({ timeout: 120_000 });
}

const cliArgs = ['evsi', 'models/ms.json', '--param', 'hr_ahsct_vs_hedmt', '--n', '50,100,200,500', '--iterations', '1000', '--seed', '2024', '--wtp', '50000', '--sd', '2.6', '--population', '500', '--years', '10', '--fixed-cost', '2000000', '--cost-per-patient', '30000', '--json'];

test.describe('at 1440 px', () => {
	test.use({ viewport: { width: 1440, height: 900 } });

	test('EVPPI curve and population EVPPI; EVSI refuses bad fields beside them, then gives what the command line gives', async ({ page }) => {
		test.setTimeout(240_000);
		const errors = watchConsole(page);
		await runPsa(page);

		// EVPPI of one parameter: a curve over willingness to pay and the population figure
		const evppi = page.getByTestId('evppi');
		await evppi.locator('#evppi-params').selectOption(['hr_ahsct_vs_hedmt']);
		await evppi.locator('#evppi-population-per-year').fill('500');
		await evppi.locator('#evppi-population-years').fill('10');
		await evppi.getByRole('button', { name: 'Compute EVPPI' }).click();
		await expect(page.getByTestId('chart-evppi')).toBeVisible();
		const point = Number(await page.getByTestId('evppi-result').getAttribute('data-evppi'));
		let people = 0;
		for (let t = 0; t < 10; t++) people += 500 / 1.035 ** t;
		const pop = page.getByTestId('evppi-population');
		await expect(pop).toContainText('Population EVPPI: GBP');
		await expect(pop).toContainText('2024 prices');
		expect(Number(await pop.getAttribute('data-value'))).toBeCloseTo(point * people, 2);
		await evppi.screenshot({ path: 'tests/e2e/screenshots/voi-evppi-1440.png' });
		await evppi.locator('#evppi-population-years').fill('ten');
		await expect(evppi.getByRole('alert')).toContainText('Years: "ten" is not a number');
		await expect(evppi.locator('#evppi-population-years')).toHaveValue('ten');

		const panel = page.getByTestId('evsi');
		await panel.scrollIntoViewIfNeeded();
		// first proposed: the efficacy lever the model file declares for its one-off therapy
		await expect(panel.locator('#evsi-param')).toHaveValue('hr_ahsct_vs_hedmt');
		const compute = panel.getByRole('button', { name: 'Compute EVSI' });
		// a ratio: log-normal by default, which needs the SD per patient
		await expect(panel.locator('#evsi-likelihood')).toContainText('log ratio');
		await expect(panel.locator('#evsi-sd-err')).toContainText('SD per patient: give a number above 0');
		await expect(compute).toBeDisabled();
		await panel.locator('#evsi-sd').fill('2.6');
		await panel.locator('#evsi-sizes').fill('50, 2.5');
		await expect(panel.locator('#evsi-sizes-err')).toContainText('"2.5" is not a whole number of patients');
		await expect(compute).toBeDisabled();
		await panel.locator('#evsi-sizes').fill('50, 100, 200, 500');
		await panel.locator('#evsi-fixed').fill('2,000,000');
		await panel.locator('#evsi-per-patient').fill('30000');
		await expect(panel.getByRole('alert')).toContainText('needs the population');
		await expect(compute).toBeDisabled();
		await panel.locator('#evsi-population-per-year').fill('500');
		await panel.locator('#evsi-population-years').fill('10');
		await expect(compute).toBeEnabled();
		await compute.click();

		const rows = page.getByTestId('evsi-result').locator('tbody tr');
		await expect(rows).toHaveCount(4);
		const cli = JSON.parse(execFileSync(process.execPath, ['scripts/model.mjs', ...cliArgs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 2 ** 20 }));
		for (let j = 0; j < 4; j++) {
			const row = rows.nth(j);
			expect(Number(await row.getAttribute('data-n'))).toBe(cli.points[j].sampleSize);
			const scale = Math.max(1, Math.abs(cli.points[j].enbs));
			expect(Math.abs(Number(await row.getAttribute('data-evsi')) - cli.points[j].evsi)).toBeLessThanOrEqual(1e-9 * Math.max(1, cli.points[j].evsi));
			expect(Math.abs(Number(await row.getAttribute('data-enbs')) - cli.points[j].enbs)).toBeLessThanOrEqual(1e-9 * scale);
		}
		await expect(page.getByTestId('evsi-optimal')).toHaveAttribute('data-n', String(cli.optimal.sampleSize));
		await expect(page.getByTestId('evsi-summary')).toContainText('GBP, 2024 prices');
		await expect(page.getByTestId('chart-evsi')).toBeVisible();
		// a changed choice marks the result out of date, and nothing typed is lost
		await panel.locator('#evsi-sizes').fill('50, 100');
		await expect(panel).toContainText('The choices have changed since this EVSI was computed');
		await expect(panel.locator('#evsi-fixed')).toHaveValue('2,000,000');
		await panel.screenshot({ path: 'tests/e2e/screenshots/voi-evsi-1440.png' });
		expect(errors).toEqual([]);
	});
});

test.describe('a long EVSI', () => {
	test.use({ viewport: { width: 1440, height: 900 } });

	test('shows its progress by sample size and can be cancelled, leaving the previous result', async ({ page }) => {
		test.setTimeout(240_000);
		const errors = watchConsole(page);
		await runPsa(page, 10_000);
		const panel = page.getByTestId('evsi');
		await panel.scrollIntoViewIfNeeded();
		await panel.locator('#evsi-param').selectOption('p_trm_ahsct');
		await panel.getByRole('button', { name: 'Compute EVSI' }).click();
		const rows = page.getByTestId('evsi-result').locator('tbody tr');
		await expect(rows).toHaveCount(4);
		// 50 binomial trials of about nine million patients per arm on 10,000 iterations: about
		// 6 s of work in the worker (0.1 s a size in Node)
		await panel.locator('#evsi-sizes').fill(Array.from({ length: 50 }, (_, i) => 9_000_000 + i * 10_000).join(', '));
		await panel.getByRole('button', { name: 'Compute EVSI' }).click();
		await expect(page.getByTestId('evsi-progress')).toContainText('of 50 sample sizes');
		await panel.getByRole('button', { name: 'Cancel EVSI' }).click();
		await expect(panel.getByRole('status').filter({ hasText: 'EVSI cancelled' })).toContainText('The results below are from the previous run.');
		await expect(page.getByTestId('evsi-progress')).toHaveCount(0);
		await expect(rows).toHaveCount(4);
		await expect(panel.getByRole('button', { name: 'Compute EVSI' })).toBeEnabled();
		expect(errors).toEqual([]);
	});
});

test.describe('at 390 px', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('the EVSI panel and its results fit a phone screen', async ({ page }) => {
		test.setTimeout(240_000);
		const errors = watchConsole(page);
		await runPsa(page);
		const panel = page.getByTestId('evsi');
		await panel.scrollIntoViewIfNeeded();
		// a probability: a binomial trial by default, nothing else to give
		await panel.locator('#evsi-param').selectOption('p_trm_ahsct');
		await expect(panel.locator('#evsi-sd')).toHaveCount(0);
		await panel.getByRole('button', { name: 'Compute EVSI' }).click();
		await expect(page.getByTestId('evsi-result').locator('tbody tr')).toHaveCount(4);
		await expect(page.getByTestId('evsi-summary')).toContainText('Binomial');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		const box = await panel.boundingBox();
		expect(box!.x + box!.width).toBeLessThanOrEqual(390);
		await panel.screenshot({ path: 'tests/e2e/screenshots/voi-evsi-390.png' });
		expect(errors).toEqual([]);
	});
});
