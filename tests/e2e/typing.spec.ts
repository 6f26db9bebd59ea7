/**
 * Edits never block typing: a number field keeps every character typed while a PSA runs in the
 * workers (and when its result arrives and the charts are drawn), and while each keystroke
 * re-runs a slow deterministic model; the results follow the last value typed.
 */
import { expect, test } from '@playwright/test';
import { openApp, watchConsole, cellValue } from './helpers';
import { syntheticModel } from '../../bench/synthetic';

test('typing into a parameter field during a running PSA keeps every character, and the results follow it', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	await page.locator('#param-filter').fill('c_ocr');
	const field = page.locator('#param-c_ocr');
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	await page.locator('#psa-iterations').fill('30000');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('psa-progress')).toBeVisible();
	// a person typing a new annual price, one key at a time, while the workers run
	await field.fill('');
	await field.pressSequentially('2345', { delay: 60 });
	const stillRunning = await page.getByTestId('psa-progress').isVisible();
	await field.pressSequentially('6', { delay: 60 });
	await expect(field).toHaveValue('23456');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).not.toBe(before);
	// typing on while the result arrives and the charts are drawn
	await field.press('End');
	for (const key of ['Backspace', 'Backspace', '7', '8']) await field.press(key, { delay: 40 });
	await expect(page.getByTestId('psa-meta')).toContainText('30,000 iterations', { timeout: 60_000 });
	await field.pressSequentially('9', { delay: 40 });
	await expect(field).toHaveValue('234789');
	await expect(page.getByText('The inputs have changed since this PSA ran')).toBeVisible();
	expect(stillRunning, 'the first keys were typed while the PSA was running').toBe(true);
	expect(errors).toEqual([]);
});

test('typing into a field of a slow model (each keystroke re-runs it) keeps every character, in order', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	// 200 states over 250 cycles, 3 strategies: each deterministic run takes a noticeable time
	const model = { ...syntheticModel({ states: 200, cycles: 250, strategies: 3 }), id: 'slow-typing', title: 'Slow model for typing' };
	await page.getByTestId('open-model-file').setInputFiles({ name: 'slow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
	await expect(page.locator('h1#results-h')).toContainText('Slow model for typing', { timeout: 30_000 });
	await page.locator('#param-filter').fill('c5');
	const field = page.locator('#param-c5');
	await field.fill('');
	await field.pressSequentially('987654', { delay: 10 });
	await expect(field).toHaveValue('987654');
	await expect(page.getByTestId('results')).toBeVisible();
	expect(errors).toEqual([]);
});
