/**
 * Edits never block typing: a number field keeps every character typed while a PSA runs in the
 * workers (and when its result arrives and the charts are drawn), and while each keystroke
 * re-runs a slow deterministic model (whose runs the run worker makes, the newest value winning);
 * the results follow the last value typed.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp, watchConsole, cellValue } from './helpers';
import { syntheticModel } from '../../bench/synthetic';
import type { ModelInput } from '../../src/lib/engine';

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

/** Opens a model file in the page and waits for its results. */
async function openModelFile(page: Page, model: ModelInput): Promise<void> {
	await page.getByTestId('open-model-file').setInputFiles({ name: 'slow.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(model)) });
	await expect(page.locator('h1#results-h')).toContainText(model.title, { timeout: 30_000 });
}

test('fast typing into a slow model: every character arrives, runs go to the worker ("calculating"), and the final figures are a deterministic run of the final value', async ({ page }) => {
	// two pages open a large model (and warm their PSA workers with it): slow on a shared machine
	test.setTimeout(120_000);
	const errors = watchConsole(page);
	await openApp(page);
	// 200 states over 300 cycles, 8 strategies: a deterministic run takes well over a frame, so
	// the runs after an edit are made in the run worker (runClient.svelte.ts); the trace shows
	// four bands of states (a chart of 200 lines would take the main thread seconds to draw)
	const bands = [0, 1, 2, 3].map((b) => ({ label: `States ${50 * b} to ${50 * b + 49}`, states: Array.from({ length: 50 }, (_, k) => `s${50 * b + k}`) }));
	const model: ModelInput = { ...syntheticModel({ states: 200, cycles: 300, strategies: 8 }), traceBands: { label: 'Bands of states', bands }, id: 'slow-fast-typing', title: 'Slow model for fast typing' };
	await openModelFile(page, model);
	const figures = async (p: Page, id: string) => [await cellValue(p, id, 'cost'), await cellValue(p, id, 'qaly'), await cellValue(p, id, 'lifeYears')];
	const before = await figures(page, model.strategies[0].id);
	await page.locator('#param-filter').fill('c7');
	const field = page.locator('#param-c7');
	// notes whether the page ever said it was calculating (the indicator comes and goes between keys)
	await page.evaluate(() => {
		const seen = () => document.querySelector('[data-testid="calculating"]') !== null;
		(window as unknown as { calculatingSeen: boolean }).calculatingSeen = seen();
		new MutationObserver(() => {
			if (seen()) (window as unknown as { calculatingSeen: boolean }).calculatingSeen = true;
		}).observe(document.body, { childList: true, subtree: true });
	});
	await field.fill('');
	await field.pressSequentially('1234567', { delay: 5 });
	await field.press('Backspace');
	await field.pressSequentially('89', { delay: 5 });
	await expect(field).toHaveValue('12345689');
	await expect(page.getByTestId('calculating')).toHaveCount(0, { timeout: 30_000 });
	expect(await page.evaluate(() => (window as unknown as { calculatingSeen: boolean }).calculatingSeen), 'the runs were made off the main thread').toBe(true);
	const shown = await Promise.all(model.strategies.map((s) => figures(page, s.id)));
	expect(shown[0][0], 'the results follow the value typed').not.toBe(before[0]);

	// the reference: one deterministic run of the final value on the main thread, in a page with
	// no workers (every run made at once), to the last bit
	const reference = await page.context().newPage();
	const referenceErrors = watchConsole(reference);
	await reference.addInitScript('delete window.Worker');
	await openApp(reference);
	await openModelFile(reference, model);
	await reference.locator('#param-filter').fill('c7');
	await reference.locator('#param-c7').fill('12345689');
	await expect.poll(() => cellValue(reference, model.strategies[0].id, 'cost')).not.toBe(before[0]);
	expect(await Promise.all(model.strategies.map((s) => figures(reference, s.id)))).toEqual(shown);
	await reference.close();
	expect(errors).toEqual([]);
	expect(referenceErrors).toEqual([]);
});
