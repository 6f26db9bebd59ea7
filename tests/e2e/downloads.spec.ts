/** Every download: names, contents, and the bundle that loads back into the same screen. */
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { unzipSync, strFromU8 } from 'fflate';
import Papa from 'papaparse';
import { cellValue, openApp, saveScenario, setParam, shot } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
	const [d] = await Promise.all([page.waitForEvent('download'), click()]);
	return { name: d.suggestedFilename(), bytes: await readFile((await d.path()) as string) };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

test('the bundle holds model, inputs, results, traces and charts, and loads back to the same screen', async ({ page, browser }) => {
	test.setTimeout(120_000);
	await openApp(page);
	await setParam(page, 'c_ocr', '23456');
	await page.locator('#setting-horizon').fill('50');
	await saveScenario(page, 'Bundle test');
	const cost = await cellValue(page, 'lifelong-dmt', 'cost');

	const png = await download(page, () => page.getByRole('button', { name: 'Download chart "Cumulative cost per patient" as PNG' }).click());
	expect(png.name).toMatch(/^ms_bundle-test_\d{4}-\d{2}-\d{2}_cumulative-cost\.png$/);
	expect(png.bytes.subarray(0, 4).equals(PNG)).toBe(true);

	const json = await download(page, () => page.getByRole('button', { name: 'Full result (JSON)' }).click());
	expect(json.name).toMatch(/^ms_bundle-test_.*_result\.json$/);
	const doc = JSON.parse(json.bytes.toString('utf8'));
	expect(doc.app.version).toMatch(/^\d+\.\d+\.\d+/);
	expect(doc.model.file.id).toBe('ms');
	expect(doc.scenario.inputs.parameters.c_ocr).toBe(23456);
	expect(doc.settings.horizon).toBe(50);
	expect(doc.results.strategies.find((s: { id: string }) => s.id === 'lifelong-dmt').discounted.cost).toBe(cost);
	const ocr = doc.parameters.find((p: { id: string }) => p.id === 'c_ocr');
	expect(ocr).toMatchObject({ value: 23456, changedByUser: true });
	expect(ocr.source.citation).toContain('NICE');

	const trace = await download(page, () => page.getByRole('button', { name: 'Markov trace (CSV)' }).click());
	const traceRows = Papa.parse(trace.bytes.toString('utf8'), { header: true, skipEmptyLines: true }).data;
	// one row per strategy and time point 0..50
	expect(traceRows).toHaveLength(doc.results.strategies.length * 51);
	expect(doc.results.strategies.length).toBeGreaterThanOrEqual(4);

	const zip = await download(page, () => page.getByRole('button', { name: 'Everything (zip bundle)' }).click());
	expect(zip.name).toMatch(/^ms_bundle-test_.*_bundle\.zip$/);
	const files = unzipSync(new Uint8Array(zip.bytes));
	const names = Object.keys(files);
	for (const f of ['manifest.json', 'model/ms.json', 'inputs.json', 'inputs-with-sources.json', 'results/results.csv', 'results/trace.csv', 'results/cycle-costs.csv', 'results/result.json'])
		expect(names).toContain(f);
	const charts = names.filter((n) => n.startsWith('charts/') && n.endsWith('.png'));
	expect(charts.length).toBeGreaterThanOrEqual(7);
	for (const c of charts) expect(Buffer.from(files[c].subarray(0, 4)).equals(PNG)).toBe(true);
	const manifest = JSON.parse(strFromU8(files['manifest.json']));
	expect(manifest).toMatchObject({ format: 'cthe-bundle', version: 1, scenarioName: 'Bundle test' });

	// a fresh browser (no saved scenarios, no URL state) opens the bundle and shows the same results
	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const fresh = await ctx.newPage();
	await openApp(fresh);
	expect(await cellValue(fresh, 'lifelong-dmt', 'cost')).not.toBe(cost);
	await fresh.getByTestId('open-bundle').setInputFiles({ name: zip.name, mimeType: 'application/zip', buffer: zip.bytes });
	await expect.poll(() => cellValue(fresh, 'lifelong-dmt', 'cost')).toBe(cost);
	await expect(fresh.locator('#setting-horizon')).toHaveValue('50');
	await shot(fresh, 'downloads-bundle-reopened');
	await ctx.close();
});

test('PSA draws download as CSV with one row per iteration', async ({ page }) => {
	await openApp(page);
	await page.locator('#model-select').selectOption('hiv-chancellor');
	await page.locator('#psa-iterations').fill('200');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('psa-meta')).toContainText('200 iterations');
	const csv = await download(page, () => page.getByRole('button', { name: 'PSA draws (CSV)' }).click());
	expect(csv.name).toMatch(/^hiv-chancellor_current-inputs_.*_psa-draws\.csv$/);
	const rows = Papa.parse<Record<string, string>>(csv.bytes.toString('utf8'), { header: true, skipEmptyLines: true }).data;
	expect(rows).toHaveLength(200);
	expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['iteration', 'rr', 'cost_mono (GBP 1995, discounted)', 'qalys_comb (discounted)']));
	// a Dirichlet row of draws still sums to its total
	for (const r of rows.slice(0, 20)) expect(Number(r.tpAA) + Number(r.tpAB) + Number(r.tpAC) + Number(r.tpAD)).toBeCloseTo(1, 9);
});

test('a scenario exported as JSON imports into another browser and loads', async ({ page, browser }) => {
	await openApp(page);
	await setParam(page, 'c_ocr', '17777');
	await saveScenario(page, 'Shared file');
	const cost = await cellValue(page, 'lifelong-dmt', 'cost');
	const file = await download(page, () => page.getByRole('button', { name: 'Export Shared file as JSON' }).click());
	expect(file.name).toMatch(/^ms_shared-file_.*_scenario\.json$/);
	expect(JSON.parse(file.bytes.toString('utf8'))).toMatchObject({ format: 'cthe-scenario-file', version: 1, name: 'Shared file', inputs: { parameters: { c_ocr: 17777 } } });

	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const other = await ctx.newPage();
	await openApp(other);
	await other.getByTestId('import-scenario').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: file.bytes });
	await expect(other.locator('[data-testid="scenario-list"] tr[data-scenario="Shared file"]')).toBeVisible();
	await expect.poll(() => cellValue(other, 'lifelong-dmt', 'cost')).toBe(cost);
	await ctx.close();
});

test('a bundle with a PSA reproduces the same PSA when loaded back (same seed, same figures)', async ({ page, browser }) => {
	test.setTimeout(90_000);
	await openApp(page);
	await page.locator('#model-select').selectOption('hiv-chancellor');
	await page.locator('#psa-iterations').fill('300');
	await page.locator('#psa-seed').fill('5');
	await page.getByRole('button', { name: 'Run PSA' }).click();
	await expect(page.getByTestId('psa-meta')).toContainText('300 iterations, seed 5');
	const evpi = await page.getByTestId('evpi-value').textContent();
	const summary = await page.getByTestId('psa-summary').textContent();
	const zip = await download(page, () => page.getByRole('button', { name: 'Everything (zip bundle)' }).click());
	const names = Object.keys(unzipSync(new Uint8Array(zip.bytes)));
	expect(names).toEqual(expect.arrayContaining(['results/psa-draws.csv', expect.stringMatching(/charts\/.*_ceac\.png$/), expect.stringMatching(/charts\/.*_evpi\.png$/)]));

	const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const fresh = await ctx.newPage();
	await openApp(fresh);
	await fresh.getByTestId('open-bundle').setInputFiles({ name: zip.name, mimeType: 'application/zip', buffer: zip.bytes });
	await expect(fresh.getByRole('heading', { level: 1 })).toContainText('HIV');
	await expect(fresh.getByTestId('psa-meta')).toContainText('300 iterations, seed 5', { timeout: 60_000 });
	expect(await fresh.getByTestId('evpi-value').textContent()).toBe(evpi);
	expect(await fresh.getByTestId('psa-summary').textContent()).toBe(summary);
	await ctx.close();
});
