import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

const parseMoney = (s: string) => Number(s.replace(/[^0-9.-]/g, ''));

/** Opens the budget page and waits until it is interactive (it is prerendered, then hydrated). */
async function open(page: Page) {
	await page.goto('/budget');
	await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
}

test('the budget page shows the yearly budget chart and the payment-model table for the MS model', async ({ page }) => {
	await open(page);
	await expect(page.getByTestId('budget-chart').locator('canvas')).toBeVisible();
	await expect(page.locator('[data-testid="budget-table"] tbody tr')).toHaveCount(10);
	await expect(page.getByTestId('budget-table')).toContainText('GBP');
	await expect(page.getByTestId('budget-table')).toContainText('price year 2024');
	const payment = page.getByTestId('payment-table');
	await expect(payment).toBeVisible();
	for (const id of ['upfront', 'instalments', 'outcome-refund', 'outcome-instalments', 'price-cap'])
		await expect(payment.locator(`tr[data-model="${id}"]`)).toHaveCount(1);
	await expect(page.getByTestId('cashflow-chart').locator('canvas')).toBeVisible();
});

test('changing uptake changes the incremental budget', async ({ page }) => {
	await open(page);
	const cell = page.locator('[data-testid="budget-table"] tbody tr').nth(5).locator('td[data-col="incremental"]');
	const before = await cell.textContent();
	const total = await page.getByTestId('cumulative-incremental').textContent();
	// no aHSCT at all in the new world: the new world equals the current world except the 1% aHSCT there
	await page.getByTestId('prevalent-new-ahsct').fill('0');
	await page.getByTestId('prevalent-new-ahsct').press('Enter');
	for (let y = 1; y <= 10; y++) {
		await page.getByTestId(`share-new-ahsct-${y}`).fill('0.01');
		await page.getByTestId(`share-new-ahsct-${y}`).press('Enter');
	}
	await expect(cell).not.toHaveText(before ?? '');
	await expect(page.getByTestId('cumulative-incremental')).not.toHaveText(total ?? '');
});

test('invalid uptake names the field', async ({ page }) => {
	await open(page);
	await page.getByTestId('share-new-ahsct-1').fill('1.5');
	await page.getByTestId('share-new-ahsct-1').press('Enter');
	// named in the user's words, not by the settings file's path
	await expect(page.getByTestId('budget-errors')).toContainText(/Year 1 share for .+, /);
	await expect(page.getByTestId('budget-errors')).not.toContainText('uptake.new');
});

test('the CSV download read back equals the table', async ({ page }) => {
	await open(page);
	await expect(page.locator('[data-testid="budget-table"] tbody tr')).toHaveCount(10);
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
	const text = readFileSync((await download.path())!, 'utf8');
	const csv = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
	expect(csv).toHaveLength(10);
	const rows = page.locator('[data-testid="budget-table"] tbody tr');
	for (let i = 0; i < 10; i++) {
		const row = rows.nth(i);
		for (const [col, key] of [
			['current', 'current_world (GBP 2024)'],
			['new', 'new_world (GBP 2024)'],
			['incremental', 'incremental (GBP 2024)'],
			['cumulative', 'cumulative_incremental (GBP 2024)']
		]) {
			const shown = parseMoney((await row.locator(`td[data-col="${col}"]`).textContent()) ?? '');
			expect(Math.round(Number(csv[i][key]))).toBe(shown);
		}
	}
});

test('the uptake curve helper fills the yearly shares', async ({ page }) => {
	await open(page);
	const ramp = page.getByTestId('uptake-new').locator('.ramp');
	await ramp.locator('select').selectOption('ahsct');
	await ramp.getByLabel('share in year 1').fill('0.1');
	await ramp.getByLabel('share at the end of the ramp').fill('0.4');
	await ramp.getByLabel('last year of the ramp').fill('4');
	await page.getByTestId('ramp-new').click();
	await expect(page.getByTestId('share-new-ahsct-2')).toHaveValue('0.2');
	await expect(page.getByTestId('share-new-ahsct-4')).toHaveValue('0.4');
	await expect(page.getByTestId('share-new-ahsct-9')).toHaveValue('0.4');
});

test('a model scenario changes the budget', async ({ page }) => {
	await open(page);
	const total = await page.getByTestId('cumulative-incremental').textContent();
	await page.getByTestId('scenario').selectOption('ahsct-cost-uk-private');
	await expect(page.getByTestId('cumulative-incremental')).not.toHaveText(total ?? '');
});
