/**
 * The budget under uncertainty on the budget page, as a user runs it: iterations and seed, the
 * worker's progress and Cancel, the table with intervals and the probability of a saving by
 * year, the band on the budget chart, the CSV read back, and the page at 390 and 1440 px.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { shot, watchConsole } from './helpers';

const parseMoney = (s: string) => Number(s.replace(/[^0-9.-]/g, ''));

async function open(page: Page) {
	await page.goto('/budget');
	await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
}

async function runUncertainty(page: Page, iterations: string, seed = '1') {
	await page.getByTestId('uncertainty-iterations').fill(iterations);
	await page.getByTestId('uncertainty-seed').fill(seed);
	await page.getByTestId('uncertainty-run').click();
}

test('runs with progress, can be cancelled, and shows intervals, the probability of saving and a band', async ({ page }) => {
	const errors = watchConsole(page);
	await page.setViewportSize({ width: 1440, height: 900 });
	await open(page);
	// a long run shows its progress and stops at Cancel
	await runUncertainty(page, '100000');
	await expect(page.getByTestId('uncertainty-progress')).toBeVisible();
	await page.getByTestId('uncertainty-cancel').click();
	await expect(page.getByTestId('uncertainty-cancelled')).toBeVisible();
	await expect(page.getByTestId('uncertainty-progress')).toHaveCount(0);

	await runUncertainty(page, '200', '3');
	const table = page.getByTestId('uncertainty-table');
	await expect(table.locator('tbody tr')).toHaveCount(10, { timeout: 60_000 });
	await expect(page.getByTestId('uncertainty-meta')).toContainText('200 iterations, seed 3');
	await expect(table).toContainText('GBP');
	for (let y = 1; y <= 10; y++) {
		const p = Number(await table.locator(`tr[data-year="${y}"] td[data-col="saving"]`).getAttribute('data-value'));
		expect(p).toBeGreaterThanOrEqual(0);
		expect(p).toBeLessThanOrEqual(1);
	}
	// the interval holds the mean
	const row = table.locator('tr[data-year="10"]');
	const meanCell = row.locator('td[data-col="cumulative-mean"]');
	const intervalCell = row.locator('td[data-col="cumulative-interval"]');
	const mean = Number(await meanCell.getAttribute('data-value'));
	const lower = Number(await intervalCell.getAttribute('data-lower'));
	const upper = Number(await intervalCell.getAttribute('data-upper'));
	// the cells show these figures, in GBP
	expect(Math.abs(parseMoney((await meanCell.textContent()) ?? '') - mean)).toBeLessThanOrEqual(0.5);
	const shownInterval = ((await intervalCell.textContent()) ?? '').split(' to ').map(parseMoney);
	expect(Math.abs(shownInterval[0] - lower)).toBeLessThanOrEqual(0.5);
	expect(Math.abs(shownInterval[1] - upper)).toBeLessThanOrEqual(0.5);
	expect(lower).toBeLessThan(mean);
	expect(mean).toBeLessThan(upper);
	await expect(page.getByTestId('saving-table').locator('td[data-model="outcome-refund"]')).toHaveCount(10);
	await expect(page.getByTestId('budget-chart')).toHaveAttribute('data-band', 'true');
	await expect(page.getByTestId('uncertainty-chart').locator('canvas')).toBeVisible();
	await page.getByTestId('uncertainty-measure').selectOption('refunds');
	await page.getByTestId('uncertainty-model').selectOption('outcome-refund');
	await shot(page, 'budget-uncertainty-1440');

	// the CSV carries mean, lower and upper columns equal to the table
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
	const csv = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8'), { header: true, skipEmptyLines: true }).data;
	expect(csv).toHaveLength(10);
	// the CSV rounds to the penny
	expect(Math.abs(Number(csv[9]['cumulative_incremental_mean (GBP 2024)']) - mean)).toBeLessThanOrEqual(0.005);
	expect(Math.abs(Number(csv[9]['cumulative_incremental_lower_2.5% (GBP 2024)']) - lower)).toBeLessThanOrEqual(0.005);
	expect(Math.abs(Number(csv[9]['cumulative_incremental_upper_97.5% (GBP 2024)']) - upper)).toBeLessThanOrEqual(0.005);
	const saving = Number(await table.locator('tr[data-year="7"] td[data-col="saving"]').getAttribute('data-value'));
	expect(Number(csv[6]['probability_saving_by_year (200 iterations)'])).toBe(saving);
	expect(Object.keys(csv[0])).toContain('outcome-refund_refunds_paid_upper_97.5% (GBP 2024)');

	// an edit makes the result out of date: no band on the chart until it runs again
	await page.getByTestId('share-new-ahsct-1').fill('0.3');
	await page.getByTestId('share-new-ahsct-1').press('Enter');
	await expect(page.getByTestId('uncertainty-stale')).toBeVisible();
	await expect(page.getByTestId('budget-chart')).not.toHaveAttribute('data-band', 'true');
	expect(errors).toEqual([]);
});

test('an invalid iteration count is named beside the field and keeps what was typed', async ({ page }) => {
	await open(page);
	await page.getByTestId('uncertainty-iterations').fill('lots');
	await expect(page.getByTestId('uncertainty-iterations-error')).toContainText('Iterations: enter a whole number from 10 to 100,000');
	await expect(page.getByTestId('uncertainty-iterations')).toHaveValue('lots');
	await expect(page.getByTestId('uncertainty-run')).toBeDisabled();
});

test('works at 390 px wide', async ({ page }) => {
	const errors = watchConsole(page);
	await page.setViewportSize({ width: 390, height: 844 });
	await open(page);
	await runUncertainty(page, '100');
	await expect(page.getByTestId('uncertainty-table').locator('tbody tr')).toHaveCount(10, { timeout: 60_000 });
	await expect(page.getByTestId('uncertainty-chart').locator('canvas')).toBeVisible();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	const box = await page.getByTestId('uncertainty-run').boundingBox();
	expect(box!.x + box!.width).toBeLessThanOrEqual(390);
	await shot(page, 'budget-uncertainty-390');
	expect(errors).toEqual([]);
});
