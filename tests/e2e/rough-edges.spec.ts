/**
 * The rough edges a new user hits, each checked at a desktop (1440 px) and a phone (390 px) width:
 * page layout, the budget page's inputs and wording, labelled ICERs, the bundle's scenario name,
 * the PSA offline, the two-way grid's names, the PSA payback sentence, and inputs outside their range.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cellValue, openApp, saveScenario, setParam, watchConsole } from './helpers';

const WIDTHS = [1440, 390] as const;

async function openBudget(page: Page, path = '/budget') {
	await page.goto(path);
	await expect(page.locator('main[data-hydrated="true"]')).toBeVisible();
}

/** How far the page is wider than the window (0 when nothing sticks out). */
const pageOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const width of WIDTHS) {
	test.describe(`at ${width} px`, () => {
		test.use({ viewport: { width, height: width === 390 ? 844 : 900 } });

		test('the main page: no sideways overflow, the key results on the first screen, the results table scrolls in its box with the strategy column fixed', async ({ page }) => {
			const errors = watchConsole(page);
			await openApp(page);
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
			const key = page.getByTestId('key-results');
			await expect(key).toContainText('has the highest net monetary benefit');
			const box = (await key.boundingBox())!;
			expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
			// the strategy with the highest NMB in the table is the one the headline names
			const rows = page.locator('[data-testid="results"] tbody tr');
			const ids = await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-strategy') as string));
			const nmb = await Promise.all(ids.map((id) => cellValue(page, id, 'netMonetaryBenefit')));
			const best = ids[nmb.indexOf(Math.max(...nmb))];
			const bestLabel = (await page.locator(`[data-testid="results"] tr[data-strategy="${best}"] th`).textContent())!.trim();
			await expect(key.locator('p').first()).toContainText(`${bestLabel} has the highest`);
			// the table scrolls inside its box; its strategy column stays at the box's left edge
			const wrap = page.locator('[data-testid="results"]').locator('xpath=..');
			const dims = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
			if (width === 390) expect(dims.scroll).toBeGreaterThan(dims.client);
			await wrap.evaluate((e) => e.scrollTo({ left: e.scrollWidth }));
			const wrapBox = (await wrap.boundingBox())!;
			const head = (await page.locator(`[data-testid="results"] tr[data-strategy="${best}"] th`).boundingBox())!;
			expect(Math.abs(head.x - wrapBox.x)).toBeLessThan(2);
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
			expect(errors).toEqual([]);
		});

		test('the budget page fits, applies inputs as they are typed and says what is wrong in the user\'s words', async ({ page }) => {
			const errors = watchConsole(page);
			await openBudget(page);
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
			// the headline (cumulative budget, saving or cost) is on the first screen
			const headline = (await page.getByTestId('budget-summary').boundingBox())!;
			expect(headline.y + headline.height).toBeLessThanOrEqual(page.viewportSize()!.height);
			const rows = page.locator('[data-testid="budget-table"] tbody tr');
			await expect(rows).toHaveCount(10);
			// typing applies at once (no Enter, no leaving the field)
			await page.getByTestId('horizon-years').fill('5');
			await expect(rows).toHaveCount(5);
			// -1 is an error beside the field; the last valid results stay
			await page.getByTestId('horizon-years').fill('-1');
			await expect(page.getByTestId('horizon-error')).toContainText('Budget horizon: enter a whole number of years from 1 to');
			await expect(rows).toHaveCount(5);
			await page.getByTestId('horizon-years').fill('10');
			await expect(rows).toHaveCount(10);
			// one unit for rates (% per year), printed without float noise
			await page.getByTestId('discount-on').check();
			await page.getByTestId('discount-rate').fill('3.5');
			await expect(page.getByTestId('budget-summary')).toContainText('discounted at 3.5% per year');
			await expect(page.getByTestId('budget-summary')).not.toContainText('3.5000');
			await expect(page.getByTestId('budget-table').locator('caption')).toContainText('discounted at 3.5% per year');
			// the headline says whether the figure is a saving
			const total = (await page.getByTestId('cumulative-incremental').textContent())!;
			await expect(page.getByTestId('budget-meaning')).toContainText(total.includes('-') ? 'a saving of' : 'an extra cost of');
			// an invalid share is named as the user sees it, beside the uptake table
			await page.getByTestId('share-new-ahsct-2').fill('1.5');
			await expect(page.getByTestId('uptake-errors-new')).toContainText(/Year 2 share for /);
			await expect(page.getByTestId('budget-errors')).not.toContainText('uptake.');
			// captions name strategies, not ids
			const waiting = page.getByTestId('budget-table').locator('thead th').last();
			await expect(waiting).toContainText('Waiting for aHSCT');
			await expect(page.getByTestId('cashflow-chart').locator('figcaption')).not.toContainText('with ahsct');
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
			expect(errors).toEqual([]);
		});

		test('/budget.html opened directly hydrates', async ({ page }) => {
			const errors = watchConsole(page);
			await openBudget(page, '/budget.html');
			await page.getByTestId('horizon-years').fill('4');
			await expect(page.locator('[data-testid="budget-table"] tbody tr')).toHaveCount(4);
			expect(errors).toEqual([]);
		});

		test('a value outside an input\'s range is used, with a note; ICERs are labelled in the table and the tornado', async ({ page }) => {
			test.setTimeout(90_000);
			const errors = watchConsole(page);
			await openApp(page);
			const before = await cellValue(page, 'lifelong-dmt', 'cost');
			await setParam(page, 'c_ocr', '25000');
			// the range is the file's 15,000-19,160 at 2019 prices, converted to 2024 by the NHS cost
			// inflation index (2020/21 to 2024/25 rises, as in models/ms.json) and shown to 6 figures
			const inflation = 1.0249 * 1.0258 * 1.0732 * 1.0247 * 1.0402;
			const shown = (v: number) => Number((v * inflation).toPrecision(6)).toLocaleString('en-GB');
			await expect(page.getByTestId('range-note-c_ocr')).toContainText(`outside the evidence range ${shown(15000)}-${shown(19160)}`);
			await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeGreaterThan(before);
			await setParam(page, 'c_ocr', '20000');
			await expect(page.getByTestId('range-note-c_ocr')).toHaveCount(0);
			// frontier ICERs say what they are; no bare negative figure in the ICER column
			const icers = await page.locator('[data-testid="results"] td[data-col="icer"]').allTextContents();
			expect(icers.some((t) => /per QALY gained/.test(t))).toBe(true);
			for (const t of icers) expect(t).not.toMatch(/^\s*-?[A-Z]{3}\s*-/);
			// the tornado's base-case ICER of a dominant strategy says so (aHSCT against lifelong DMT)
			const dsa = page.getByTestId('dsa');
			await page.locator('#dsa-strategy').selectOption('ahsct');
			await page.locator('#dsa-reference').selectOption('lifelong-dmt');
			await page.locator('#dsa-measure').selectOption('icer');
			await page.getByRole('button', { name: 'Run one-way analysis' }).click();
			await expect(dsa).toContainText('Base case: ICER dominant (less costly, more effective)');
			expect(errors).toEqual([]);
		});

		test('the tornado axis holds every bar drawn and the base case, with no more than a margin to spare', async ({ page }) => {
			test.setTimeout(120_000);
			await openApp(page);
			const dsa = page.getByTestId('dsa');
			await page.getByRole('button', { name: 'Run one-way analysis' }).click();
			const canvas = page.locator('[data-testid="chart-tornado"] canvas');
			await expect(canvas).toHaveAttribute('data-x-max', /\d/, { timeout: 90_000 });
			await dsa.scrollIntoViewIfNeeded();
			const strategy = await page.locator('#dsa-strategy').inputValue();
			const reference = await page.locator('#dsa-reference').inputValue();
			// the same analysis from the command line: the widest 15 bars the chart draws, and the base case
			const cli = JSON.parse(execFileSync(process.execPath, ['scripts/model.mjs', 'dsa', 'models/ms.json', '--reference', reference, '--json'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }));
			const t = cli.tornadoes.find((x: { strategyId: string }) => x.strategyId === strategy);
			const bars = (t.bars as { atLow: number; atHigh: number; swing: number }[]).filter((b) => Number.isFinite(b.swing)).slice(0, 15);
			const ends = [t.base, ...bars.flatMap((b) => [b.atLow, b.atHigh])];
			const [lo, hi] = [Math.min(...ends), Math.max(...ends)];
			const [xMin, xMax] = [Number(await canvas.getAttribute('data-x-min')), Number(await canvas.getAttribute('data-x-max'))];
			expect(xMin).toBeLessThanOrEqual(lo);
			expect(xMax).toBeGreaterThanOrEqual(hi);
			expect(xMax - xMin).toBeLessThanOrEqual(1.5 * (hi - lo));
		});

		test.describe('with the service worker', () => {
			test.use({ serviceWorkers: 'allow' });
			test('the PSA runs offline once the page has loaded; its ICERs are labelled and its payback sentence is spaced', async ({ page, context }) => {
			test.setTimeout(120_000);
			const errors = watchConsole(page);
			await openApp(page);
			// the service worker has cached the page's files, among them the analysis worker
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
			});
			await page.reload();
			await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
			await context.setOffline(true);
			await page.locator('#psa-iterations').fill('200');
			await page.locator('#psa-seed').fill('5');
			await page.getByRole('button', { name: /Run PSA/ }).click();
			const psa = page.locator('section[aria-labelledby="psa-h"]');
			await expect(psa.locator('td[data-col="icer"]').first()).toBeVisible({ timeout: 60_000 });
			const icers = await psa.locator('td[data-col="icer"]').allTextContents();
			for (const t of icers) expect(t.trim()).toMatch(/^(—|.*per QALY (gained|lost).*|dominant.*|dominated.*)$/);
			const payback = page.getByTestId('psa-payback');
			if (await payback.count()) await expect(payback).not.toContainText('years(95%');
			await context.setOffline(false);
			// the service worker registers and serves under the page's CSP without a console error
			expect(errors).toEqual([]);
			});
		});

		test('reopening a bundle keeps its scenario name', async ({ page, browser }) => {
			test.setTimeout(90_000);
			await openApp(page);
			await setParam(page, 'c_ocr', '18000');
			await saveScenario(page, 'Named for the bundle');
			const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Everything (zip bundle)' }).click()]);
			const bytes = await readFile((await zip.path()) as string);
			const ctx = await browser.newContext({ viewport: { width, height: 900 } });
			const fresh = await ctx.newPage();
			await openApp(fresh);
			await fresh.getByTestId('open-bundle').setInputFiles({ name: 'bundle.zip', mimeType: 'application/zip', buffer: bytes });
			await expect(fresh.getByTestId('downloads')).toContainText('“Named for the bundle”');
			const [json] = await Promise.all([fresh.waitForEvent('download'), fresh.getByRole('button', { name: 'Full result (JSON)' }).click()]);
			expect(json.suggestedFilename()).toMatch(/^ms_named-for-the-bundle_/);
			await ctx.close();
		});

		test('the first two-way run says when the answer does not change over the inputs\' own ranges', async ({ page }) => {
			test.setTimeout(90_000);
			await openApp(page);
			const panel = page.getByTestId('two-way');
			await panel.scrollIntoViewIfNeeded();
			await panel.getByRole('button', { name: 'Run two-way analysis' }).click();
			const grid = page.getByTestId('two-way-grid');
			await expect(grid.locator('td').first()).toBeVisible();
			// points where the model could not run are blank, not a winner
			const optimal = (await grid.locator('td').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-optimal')))).filter(Boolean);
			// where one strategy wins everywhere (the MS model's default pair: No DMT, even with a free hESC course), the page says so
			if (new Set(optimal).size === 1) await expect(page.getByTestId('two-way-same')).toContainText('the answer does not change');
			else await expect(page.getByTestId('two-way-same')).toHaveCount(0);
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
		});

		test('the two-way grid shows strategy and input names, and says when the answer does not change', async ({ page }) => {
			test.setTimeout(90_000);
			await openApp(page);
			const panel = page.getByTestId('two-way');
			await panel.scrollIntoViewIfNeeded();
			await panel.locator('#tw-steps').fill('3');
			// a range so narrow that one strategy wins everywhere
			await panel.locator('#tw-a-from').fill('25000');
			await panel.locator('#tw-a-to').fill('25001');
			await panel.locator('#tw-b-from').fill('1');
			await panel.locator('#tw-b-to').fill('1.0001');
			await panel.getByRole('button', { name: 'Run two-way analysis' }).click();
			const grid = page.getByTestId('two-way-grid');
			await expect(grid.locator('td')).toHaveCount(9);
			const first = grid.locator('td').first();
			const id = (await first.getAttribute('data-optimal'))!;
			const label = (await page.locator(`[data-testid="results"] tr[data-strategy="${id}"] th`).textContent())!.trim();
			// the cell shows the strategy's name (its label before any parenthesis), not its id
			expect(label.startsWith((await first.textContent())!.trim())).toBe(true);
			if (label !== id) await expect(first).not.toHaveText(id);
			await expect(grid.locator('thead th').first()).toContainText('(rows)');
			await expect(grid.locator('thead th').first()).not.toContainText('c_hesc');
			await expect(page.getByTestId('two-way-same')).toContainText(`${label} has the highest net monetary benefit everywhere on this grid`);
			expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
		});
	});
}
