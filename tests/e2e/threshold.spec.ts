/**
 * The threshold panel answers "at what price is hESC cost-effective against lifelong DMT?".
 * The hESC price is a one-off cost at model start (not discounted, paid by everyone), so the
 * incremental NMB falls by exactly one pound per pound of price: the threshold must equal the
 * current price plus the NMB difference shown in the results table, a figure the search itself
 * does not use.
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cellValue, openApp, watchConsole } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const model = JSON.parse(readFileSync('models/ms.json', 'utf8'));

test('the hESC price at which hESC and lifelong DMT have equal net monetary benefit', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	const panel = page.getByTestId('threshold');
	await panel.scrollIntoViewIfNeeded();
	await expect(panel.locator('#thr-parameter')).toHaveValue('c_hesc');
	await expect(panel.locator('#thr-strategy')).toHaveValue('hesc');
	await expect(panel.locator('#thr-comparator')).toHaveValue('lifelong-dmt');
	await expect(panel.locator('#thr-low')).toHaveValue(String(model.parameters.c_hesc.low));
	await expect(panel.locator('#thr-high')).toHaveValue(String(model.parameters.c_hesc.high));

	const expected = model.parameters.c_hesc.value + (await cellValue(page, 'hesc', 'netMonetaryBenefit')) - (await cellValue(page, 'lifelong-dmt', 'netMonetaryBenefit'));
	await panel.getByRole('button', { name: 'Find threshold' }).click();
	const answer = page.getByTestId('threshold-result');
	await expect(answer).toHaveAttribute('data-status', 'found');
	const found = Number(await answer.getAttribute('data-values'));
	expect(Math.abs(found - expected)).toBeLessThan(1);
	await expect(answer).toContainText('have equal net monetary benefit when c_hesc =');
	await expect(answer).toContainText('GBP, 2024 prices');
	await panel.screenshot({ path: 'tests/e2e/screenshots/threshold.png' });

	// a range above the threshold: none in range, and which strategy is preferred throughout
	await panel.locator('#thr-low').fill(String(Math.ceil(expected) + 1000));
	await panel.getByRole('button', { name: 'Find threshold' }).click();
	await expect(answer).toHaveAttribute('data-status', 'none-in-range');
	await expect(answer).toContainText('No threshold between');
	await expect(answer).toContainText('Lifelong DMT');
	expect(errors).toEqual([]);
});

test('a search range that is not a number, or the wrong way round, is an error beside the field and keeps what was typed', async ({ page }) => {
	await openApp(page);
	const panel = page.getByTestId('threshold');
	await panel.scrollIntoViewIfNeeded();
	await panel.locator('#thr-low').fill('abc');
	await expect(panel.getByRole('alert')).toContainText('Enter a number for the low end of the search range.');
	await expect(panel.getByRole('button', { name: 'Find threshold' })).toBeDisabled();
	await expect(panel.locator('#thr-low')).toHaveValue('abc');
	await panel.locator('#thr-low').fill('200000');
	await expect(panel.getByRole('alert')).toContainText('The high end must be above the low end.');
	await panel.locator('#thr-high').fill('300000');
	await expect(panel.getByRole('alert')).toHaveCount(0);
	await expect(panel.getByRole('button', { name: 'Find threshold' })).toBeEnabled();
});

test('two-way analysis: the grid point at the current inputs picks the strategy the results table ranks first', async ({ page }) => {
	await openApp(page);
	const panel = page.getByTestId('two-way');
	await panel.scrollIntoViewIfNeeded();
	await expect(panel.locator('#tw-a')).toHaveValue('c_hesc');
	await expect(panel.locator('#tw-b')).toHaveValue('hr_prog_hesc');
	// ranges centred on the current values (GBP 50,000 and hazard ratio 1), 5 points each
	await panel.locator('#tw-a-from').fill('10000');
	await panel.locator('#tw-a-to').fill('90000');
	await panel.locator('#tw-b-from').fill('0.8');
	await panel.locator('#tw-b-to').fill('1.2');
	await panel.locator('#tw-steps').fill('30');
	await expect(panel.getByRole('alert')).toContainText('Points per axis: A whole number from 2 to 21.');
	await expect(panel.getByRole('button', { name: 'Run two-way analysis' })).toBeDisabled();
	await panel.locator('#tw-steps').fill('5');
	await panel.getByRole('button', { name: 'Run two-way analysis' }).click();
	const grid = page.getByTestId('two-way-grid');
	await expect(grid.locator('td')).toHaveCount(25);

	const ids = model.strategies.map((s: { id: string }) => s.id) as string[];
	const nmb = await Promise.all(ids.map((id) => cellValue(page, id, 'netMonetaryBenefit')));
	const best = ids[nmb.indexOf(Math.max(...nmb))];
	await expect(grid.locator('td[data-a="50000"][data-b="1"]')).toHaveAttribute('data-optimal', best);


	// aHSCT's price against its effect: aHSCT wins only where it is cheap and effective; its NMB
	// falls as its price rises, so down each column, once aHSCT is not best it never is again.
	// At GBP 30,000 per QALY: with every cost in 2024 prices, aHSCT's follow-on costs keep it below
	// no DMT at GBP 20,000 per QALY even when the procedure is free.
	await page.locator('#setting-willingnessToPay').fill('30000');
	await panel.locator('#tw-a').selectOption('c_ahsct_uk');
	await panel.locator('#tw-b').selectOption('hr_ahsct_vs_hedmt');
	await panel.locator('#tw-a-from').fill('0');
	await panel.locator('#tw-a-to').fill('60000');
	await panel.locator('#tw-b-from').fill('0.3');
	await panel.locator('#tw-b-to').fill('1.1');
	await panel.getByRole('button', { name: 'Run two-way analysis' }).click();
	await expect(grid.locator('td[data-a="15000"]')).toHaveCount(5);
	const optimal = await grid.locator('td').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-optimal')));
	expect(optimal).toContain('ahsct');
	expect(optimal.some((id) => id !== 'ahsct')).toBe(true);
	for (let j = 0; j < 5; j++) {
		const column = [0, 1, 2, 3, 4].map((i) => optimal[i * 5 + j]);
		const firstOther = column.findIndex((id) => id !== 'ahsct');
		if (firstOther >= 0) expect(column.slice(firstOther)).not.toContain('ahsct');
	}
	await panel.screenshot({ path: 'tests/e2e/screenshots/two-way.png' });
});
