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
