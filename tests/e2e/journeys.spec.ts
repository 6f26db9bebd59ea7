/**
 * The user journeys of the app, each asserting on what the page shows or the file downloaded.
 * The default model is the MS model (models/ms.json); the DMT annual price is the ocrelizumab
 * drug cost `c_ocr` (the default lifelong DMT).
 */
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { cellValue, openApp, saveScenario, setParam, shot, watchConsole } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('1. default MS results; a higher DMT price raises the lifelong cost and moves the payback year', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Multiple sclerosis');
	await expect(page.locator('[data-testid="results"] tbody tr')).toHaveCount(10);
	// the parameter view marks each input as verified (cited source) or an assumption
	await expect(page.locator('li[data-param="female_share"] .badge')).toHaveText('verified');
	await expect(page.locator('li[data-param="share_moderate_start"] .badge')).toHaveText('assumption');
	await expect(page.locator('#results-caption')).toContainText('GBP, 2024 prices');
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	const ahsctBefore = await cellValue(page, 'ahsct', 'cost');
	const payback = page.getByTestId('payback');
	await expect(payback).toContainText('Payback year');
	const yearBefore = Number(await payback.getAttribute('data-year'));
	expect(yearBefore).toBeGreaterThan(0);

	await setParam(page, 'c_ocr', '30000');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeGreaterThan(before + 1000);
	// aHSCT's own costs do not include ocrelizumab beyond rescue, so it changes far less
	const after = await cellValue(page, 'lifelong-dmt', 'cost');
	const ahsctAfter = await cellValue(page, 'ahsct', 'cost');
	expect(after - before).toBeGreaterThan(Math.abs(ahsctAfter - ahsctBefore));
	// a dearer comparator means the one-off therapy pays back sooner
	await expect.poll(async () => Number(await payback.getAttribute('data-year'))).toBeLessThan(yearBefore);
	await expect(page.locator('li[data-param="c_ocr"]')).toHaveClass(/edited/);
	await expect(page.getByRole('heading', { name: 'Trace: Disability bands (EDSS)' })).toBeVisible();
	await expect(page.getByTestId('chart-trace-ahsct')).toContainText('Disability bands (EDSS): aHSCT');
	await shot(page, 'journey-1-dmt-price');
	// no console errors at all, CSP violations included
	expect(errors).toEqual([]);
});

test('2. save scenarios A and B, compare them: differing inputs and both results shown', async ({ page }) => {
	await openApp(page);
	await saveScenario(page, 'A base');
	await setParam(page, 'c_ocr', '25000');
	await page.locator('#setting-discountCosts').fill('1.5');
	await expect(page.locator('#setting-discountCosts')).not.toHaveAttribute('aria-invalid', 'true');
	const bCost = await cellValue(page, 'lifelong-dmt', 'cost');
	await saveScenario(page, 'B dearer DMT');

	await page.getByRole('checkbox', { name: 'Compare A base' }).check();
	await page.getByRole('checkbox', { name: 'Compare B dearer DMT' }).check();
	const cmp = page.getByTestId('compare');
	await expect(cmp).toBeVisible();
	await expect(cmp.locator('thead th')).toContainText(['Input', 'A base', 'B dearer DMT']);
	const ocrRow = cmp.locator('tr[data-input="parameters.c_ocr"]');
	await expect(ocrRow).toHaveClass(/differs/);
	// the model's ocrelizumab cost: GBP 19,160 at 2019 prices, in 2024 prices (NHS cost inflation
	// index, annual changes 2020/21 to 2024/25), to the penny as its field shows it
	const ocr2024 = String(Math.round(19160 * 1.0249 * 1.0258 * 1.0732 * 1.0247 * 1.0402 * 100) / 100);
	await expect(ocrRow.locator('td')).toHaveText([ocr2024, '25000']);
	await expect(cmp.locator('tr[data-input="settings.discountRates.costs"]')).toHaveClass(/differs/);
	await expect(cmp.locator('tr[data-input="parameters.c_msc"]')).toHaveCount(0);
	const costRow = cmp.locator('[data-testid="compare-results"] tr[data-strategy="lifelong-dmt"][data-measure="cost"] td.num');
	await expect(costRow).toHaveCount(2);
	const [a, b] = await costRow.allTextContents();
	expect(a).not.toEqual(b);
	expect(b.replace(/\s/g, ' ')).toBe(`GBP ${Math.round(bCost).toLocaleString('en-GB')}`);
	await cmp.scrollIntoViewIfNeeded();
	await shot(page, 'journey-2-compare');

	// the comparison downloads as CSV: the differing input and both scenarios' results
	const [d] = await Promise.all([page.waitForEvent('download'), cmp.getByRole('button', { name: 'Download comparison CSV' }).click()]);
	expect(d.suggestedFilename()).toMatch(/^ms_a-base-vs-b-dearer-dmt_\d{4}-\d{2}-\d{2}_comparison\.csv$/);
	const text = await readFile((await d.path()) as string, 'utf8');
	// one tidy table: a single header, no blank line splitting it into sections
	expect(text.trim()).not.toMatch(/\n\s*\n/);
	expect(text.split('\n')[0]).toBe('scenario,section,item,item_label,measure,unit,value,differs');
	const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
	const ocr = rows.filter((r) => r.section === 'input' && r.item === 'parameters.c_ocr');
	expect(ocr.map((r) => [r.scenario, r.value, r.differs])).toEqual([['A base', ocr2024, 'yes'], ['B dearer DMT', '25000', 'yes']]);
	const lifelong = rows.filter((r) => r.section === 'result' && r.item === 'lifelong-dmt' && r.measure === 'cost');
	expect(lifelong.map((r) => r.scenario)).toEqual(['A base', 'B dearer DMT']);
	expect(Number(lifelong[1].value)).toBe(bCost);
});

test('3. the URL reproduces the scenario and its results in a new page', async ({ page, browser }) => {
	await openApp(page);
	await setParam(page, 'c_ocr', '22222');
	await page.locator('#setting-horizon').fill('40');
	await expect.poll(() => page.url()).toContain('?s=');
	const cost = await cellValue(page, 'lifelong-dmt', 'cost');
	const qaly = await cellValue(page, 'ahsct', 'qaly');
	const url = page.url();

	const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const other = await fresh.newPage();
	await openApp(other, url.replace(/^https?:\/\/[^/]+/, ''));
	await expect(other.locator('#param-c_ocr')).toBeAttached();
	await other.locator('#param-filter').fill('c_ocr');
	await expect(other.locator('#param-c_ocr')).toHaveValue('22222');
	await expect(other.locator('#setting-horizon')).toHaveValue('40');
	expect(await cellValue(other, 'lifelong-dmt', 'cost')).toBe(cost);
	expect(await cellValue(other, 'ahsct', 'qaly')).toBe(qaly);
	await shot(other, 'journey-3-url');
	await fresh.close();
});

test('4. the results CSV read back equals the figures on the page', async ({ page }) => {
	await openApp(page);
	await setParam(page, 'c_ocr', '21000');
	await saveScenario(page, 'CSV check');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Results table (CSV)' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^ms_csv-check_\d{4}-\d{2}-\d{2}_results\.csv$/);
	const text = await readFile((await download.path()) as string, 'utf8');
	const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
	expect(rows).toHaveLength(10);
	const col = (prefix: string) => Object.keys(rows[0]).find((k) => k.startsWith(prefix)) as string;
	expect(col('cost (')).toContain('GBP 2024');
	for (const r of rows) {
		const id = r.strategy_id;
		expect(r.scenario).toBe('CSV check');
		expect(Number(r[col('cost (')])).toBe(await cellValue(page, id, 'cost'));
		expect(Number(r[col('qalys')])).toBe(await cellValue(page, id, 'qaly'));
		expect(Number(r[col('life_years')])).toBe(await cellValue(page, id, 'lifeYears'));
		expect(Number(r[col('net_monetary_benefit')])).toBe(await cellValue(page, id, 'netMonetaryBenefit'));
		// and the rounded figure a reader sees
		const shown = (await page.locator(`[data-testid="results"] tr[data-strategy="${id}"] td[data-col="cost"]`).textContent())?.replace(/\s/g, ' ');
		expect(shown).toBe(`GBP ${Math.round(Number(r[col('cost (')])).toLocaleString('en-GB')}`);
	}
	await shot(page, 'journey-4-csv');
});

test('6. invalid entries are errors beside the field, other edits are kept, reload keeps saved scenarios', async ({ page }) => {
	await openApp(page);
	await saveScenario(page, 'Kept after reload');
	await setParam(page, 'c_ocr', '24000');
	const cost = await cellValue(page, 'lifelong-dmt', 'cost');

	await setParam(page, 'p_discontinue', 'abc');
	const err = page.locator('#param-p_discontinue-err');
	await expect(err).toContainText('Annual discontinuation of the first DMT');
	await expect(err).toContainText('"abc" is not a number');
	await expect(page.locator('#param-p_discontinue')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByTestId('input-errors')).toContainText('1 input is invalid');
	// the other edit is still in force
	expect(await cellValue(page, 'lifelong-dmt', 'cost')).toBe(cost);

	await page.locator('#param-p_discontinue').fill('1.5');
	await expect(err).toContainText('1.5 is not a probability in [0, 1]');
	await shot(page, 'journey-6-errors');
	await page.locator('li[data-param="p_discontinue"]').screenshot({ path: 'tests/e2e/screenshots/journey-6-field-error.png' });
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('#param-c_ocr')).toHaveValue('24000');
	// the error message leads back to the hidden field
	await page.getByTestId('input-errors').getByRole('button', { name: /Go to “Annual discontinuation/ }).click();
	await expect(page.locator('#param-p_discontinue')).toBeFocused();
	await expect(page.locator('#param-p_discontinue')).toHaveValue('1.5');

	await page.reload();
	await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
	await expect(page.locator('[data-testid="scenario-list"] tr[data-scenario="Kept after reload"]')).toBeVisible();
	// the valid edit travels in the URL, so it survives the reload too
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('#param-c_ocr')).toHaveValue('24000');
});

test('5. a PSA of 1,000 iterations shows progress and the CEAC; a second run cancelled mid-way leaves the page working', async ({ page }) => {
	test.setTimeout(120_000);
	const errors = watchConsole(page);
	await openApp(page);
	// record every progress value the page shows
	await page.evaluate(() => {
		const w = window as unknown as { seen: string[] };
		w.seen = [];
		new MutationObserver(() => {
			const p = document.querySelector('[data-testid="psa-progress"] label');
			if (p?.textContent) w.seen.push(p.textContent);
		}).observe(document.body, { subtree: true, childList: true, characterData: true });
	});
	await page.locator('#psa-iterations').fill('1000');
	await page.locator('#psa-seed').fill('2024');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('chart-ceac')).toBeVisible({ timeout: 90_000 });
	await expect(page.getByTestId('psa-meta')).toContainText('1,000 iterations, seed 2024');
	// the worker ran the batched kernels: WebAssembly compiles under the page's CSP
	await expect(page.getByTestId('psa-meta')).toContainText('in batches of 128 iterations (WebAssembly)');
	const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
	expect(seen.some((s) => /Running: [\d,]+ of 1,000 iterations/.test(s))).toBe(true);
	await expect(page.locator('[data-testid="psa-summary"] tbody tr')).toHaveCount(10);
	await expect(page.getByTestId('evpi-value')).toContainText('GBP');
	await expect(page.getByTestId('psa-payback')).toContainText('of iterations');
	await page.getByTestId('chart-ceac').scrollIntoViewIfNeeded();
	await shot(page, 'journey-5-psa');

	// a long second run, cancelled part-way
	await page.locator('#psa-iterations').fill('100000');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	const progress = page.locator('#psa-bar');
	await expect(progress).toBeVisible();
	await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Cancel', exact: true }).click();
	await expect(page.getByTestId('psa-cancelled')).toBeVisible();
	await expect(progress).toHaveCount(0);
	// the previous PSA is still shown and the page still responds to edits
	await expect(page.getByTestId('psa-meta')).toContainText('1,000 iterations');
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	await setParam(page, 'c_ocr', '25000');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeGreaterThan(before);
	await expect(page.getByText('The inputs have changed since this PSA ran')).toBeVisible();
	await shot(page, 'journey-5-cancelled');
	expect(errors.filter((e) => /Content Security Policy|Refused|worker/i.test(e))).toEqual([]);
});
