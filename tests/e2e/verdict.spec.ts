/**
 * The verdict at the top of the results and the "What must it achieve?" panel, at phone and
 * desktop widths: the verdict follows an edit that changes the answer, the break-even panel
 * draws its grid and states its sentence, a bad range is an error beside its field that keeps
 * the typed text, and the zip bundle holds both.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import { openApp, shot, watchConsole } from './helpers';

async function verdictFollowsEdits(page: Page) {
	const verdict = page.getByTestId('verdict');
	await expect(verdict).toBeVisible();
	// models/ms.json at GBP 20,000 per QALY: no DMT has the highest NMB (the results table's ranking)
	await expect(verdict).toHaveAttribute('data-best', 'no-dmt');
	await expect(verdict.getByTestId('verdict-lead')).toContainText('At GBP 20,000 per QALY (GBP, 2024 prices), No DMT');
	await expect(verdict).toContainText('aHSCT (one-off) dominates Lifelong DMT');
	await expect(verdict).toContainText('saves GBP');
	// the detail is open on a wide screen, one click away on a narrow one
	const detail = verdict.locator('details');
	if (!(await detail.evaluate((d) => (d as HTMLDetailsElement).open))) await detail.locator('summary').click();
	await expect(verdict.getByText(/pays back against Lifelong DMT( \([^)]*\))? after/).first()).toBeVisible();
	await page.locator('#setting-willingnessToPay').fill('100000');
	await expect(verdict).not.toHaveAttribute('data-best', 'no-dmt');
	await expect(verdict.getByTestId('verdict-lead')).toContainText('At GBP 100,000 per QALY');
	await page.locator('#setting-willingnessToPay').fill('20000');
	await expect(verdict).toHaveAttribute('data-best', 'no-dmt');
}

async function breakevenDraws(page: Page) {
	const panel = page.getByTestId('breakeven');
	await panel.scrollIntoViewIfNeeded();
	await expect(panel.locator('#be-strategy')).toHaveValue('hesc');
	await expect(panel.locator('#be-comparator')).toHaveValue('lifelong-dmt');
	// a bad range: an error beside the field, the text kept, the button off
	await panel.locator('#be-e-from').fill('abc');
	await expect(panel.locator('#be-e-from-error')).toHaveText('"abc" is not a number.');
	await expect(panel.locator('#be-e-from')).toHaveValue('abc');
	await expect(panel.getByRole('button', { name: 'Find break-even prices' })).toBeDisabled();
	await panel.locator('#be-e-from').fill('0.5');
	await panel.locator('#be-e-to').fill('0.2');
	await expect(panel.locator('#be-e-to-error')).toHaveText('Must be above the start of the range.');
	await panel.locator('#be-e-to').fill('');
	await expect(panel.locator('#be-e-to-error')).toHaveText('Enter a number.');
	await panel.locator('#be-e-from').fill('0.03');
	await panel.locator('#be-e-to').fill('1.2');
	await panel.locator('#be-steps').fill('5');
	await panel.getByRole('button', { name: 'Find break-even prices' }).click();
	const answer = panel.getByTestId('breakeven-result');
	await expect(answer).toContainText(/hESC \([^)]*\) matches Lifelong DMT( \([^)]*\))? at GBP 20,000 per QALY \(GBP, 2024 prices\) up to a price of GBP/);
	await expect(panel.getByTestId('breakeven-payback')).toContainText('within 10 years');
	await expect(panel.getByTestId('breakeven-psa')).toContainText('Under uncertainty (1,000 PSA iterations, seed 1)');
	await expect(panel.getByTestId('breakeven-psa')).toContainText('for a 50% probability');
	const cells = panel.locator('[data-testid="breakeven-grid"] td');
	await expect(cells).toHaveCount(25);
	await expect(panel.locator('td.today')).toHaveCount(1);
	// the break-even price falls as efficacy worsens? Not assumed: each cell holds a price or a stated answer
	for (const status of await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-status')))) expect(['price', 'any-price', 'no-price']).toContain(status);
	// the price at today's inputs (efficacy and durability inside the grid's ranges) lies within the grid's prices
	const today = Number(await answer.getAttribute('data-price'));
	const prices = (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-price'))))).filter(Number.isFinite) as number[];
	expect(today).toBeGreaterThanOrEqual(Math.min(...prices));
	expect(today).toBeLessThanOrEqual(Math.max(...prices));
	return panel;
}

for (const [name, width, height] of [
	['phone', 390, 844],
	['desktop', 1440, 900]
] as const) {
	test(`verdict and break-even panel at ${name} width (${width}px)`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width, height });
		const errors = watchConsole(page);
		await openApp(page);
		await verdictFollowsEdits(page);
		const panel = await breakevenDraws(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await panel.screenshot({ path: `tests/e2e/screenshots/breakeven-${name}.png` });
		await shot(page, `verdict-${name}`);
		expect(errors).toEqual([]);
	});
}

test('the zip bundle holds the verdict and the break-even result', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1440, height: 900 });
	await openApp(page);
	const panel = page.getByTestId('breakeven');
	await panel.locator('#be-steps').fill('3');
	await panel.getByRole('button', { name: 'Find break-even prices' }).click();
	await expect(panel.getByTestId('breakeven-result')).toBeVisible();
	const shownFirst = await page.getByTestId('verdict').getByTestId('verdict-lead').textContent();
	const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Everything (zip bundle)' }).click()]);
	const files = unzipSync(new Uint8Array(await readFile((await d.path()) as string)));
	const verdict = JSON.parse(strFromU8(files['results/verdict.json']));
	expect(verdict.best.ids).toEqual(['no-dmt']);
	expect(verdict.sentences[0]).toBe(shownFirst);
	expect(strFromU8(files['results/verdict.txt']).split('\n')[0]).toBe(shownFirst);
	const be = JSON.parse(strFromU8(files['results/breakeven.json']));
	expect(be.breakeven.grid).toHaveLength(3);
	expect(be.breakeven.levers.price.id).toBe('c_hesc');
	expect(strFromU8(files['results/breakeven.txt'])).toContain('up to a price of GBP');
});

test('after a PSA the verdict adds the probability cost-effective and the EVPI; after a one-way analysis, the input that moves the answer most; an edit drops them until run again', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1440, height: 900 });
	const errors = watchConsole(page);
	await openApp(page);
	const verdict = page.getByTestId('verdict');
	await page.locator('#psa-iterations').fill('300');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(verdict).toContainText('In the PSA (300 iterations), the probability of being cost-effective at GBP 20,000 per QALY is:');
	await expect(verdict).toContainText(/The expected value of perfect information is GBP [\d,]+ per patient \(GBP, 2024 prices\)/);
	await page.getByRole('button', { name: 'Run one-way analysis' }).click();
	await expect(verdict).toContainText(/In the one-way analysis, the input that moves the incremental net monetary benefit of aHSCT \(one-off\) against Lifelong DMT( \([^)]*\))? most is .+: GBP/);
	// inputs changed: the PSA and one-way results no longer describe them, so the verdict leaves them out
	await page.locator('#setting-willingnessToPay').fill('30000');
	await expect(verdict.getByTestId('verdict-lead')).toContainText('At GBP 30,000 per QALY');
	await expect(verdict).not.toContainText('In the PSA');
	await expect(verdict).not.toContainText('In the one-way analysis');
	expect(errors).toEqual([]);
});
