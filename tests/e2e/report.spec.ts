/**
 * The report from `model report`: opened from disk in Chromium with every request refused, it has
 * every CHEERS section, its results table holds the figures of `model run --json`, its model hash
 * is the file's SHA-256, it fits a phone and prints to PDF.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { SECTIONS } from '../../src/lib/report/sections';
import { cellValue, openApp, setParam, watchConsole } from './helpers';

const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'report-e2e-'));
const file = join(dir, 'report.html');

interface JsonRow { id: string; cost: number; qaly: number; lifeYears: number; netMonetaryBenefit: number }
interface JsonInc { id: string; incrementalCost: number | null; incrementalQaly: number | null; icer: number | null; status: string }
let json: { strategies: JsonRow[]; incremental: JsonInc[]; willingnessToPay: number };

test.beforeAll(() => {
	json = JSON.parse(cli('run', 'models/ms.json', '--json'));
	cli('report', 'models/ms.json', '--psa', '200', '--seed', '3', '--out', file);
});

for (const width of [1440, 390]) {
	test(`the report opens offline at ${width} px with every section and the run's figures`, async ({ page }) => {
		await page.setViewportSize({ width, height: 900 });
		const requests: string[] = [];
		await page.route('**/*', (route) => {
			if (!route.request().url().startsWith('file:')) {
				requests.push(route.request().url());
				return route.abort();
			}
			return route.continue();
		});
		await page.goto(`file://${file}`);
		for (const s of SECTIONS) {
			await expect(page.locator(`section#${s.id} h2`)).toContainText(s.title);
			await expect(page.locator(`nav#contents a[href="#${s.id}"]`)).toHaveCount(1);
		}
		await expect(page.getByTestId('cheers-covered')).toContainText('22 Study parameters');
		for (const id of ['state-diagram', 'chart-costs', 'chart-plane', 'chart-tornado-0', 'chart-psa-plane', 'chart-ceac'])
			await expect(page.locator(`figure[data-testid="${id}"] svg`)).toHaveCount(1);
		// the state diagram draws each state of the model file
		const model = JSON.parse(readFileSync('models/ms.json', 'utf8'));
		await expect(page.locator('[data-testid="state-diagram"] g[data-state]')).toHaveCount(model.states.length);
		// every input is listed
		await expect(page.locator('[data-testid="inputs-table"] tbody tr')).toHaveCount(Object.keys(model.parameters).length);

		const table = page.getByTestId('results-table');
		for (const s of json.strategies) {
			const row = table.locator(`tr[data-strategy="${s.id}"]`);
			const value = async (col: string) => Number(await row.locator(`td[data-col="${col}"]`).getAttribute('data-value'));
			expect(await value('cost')).toBeCloseTo(s.cost, 6);
			expect(await value('qaly')).toBeCloseTo(s.qaly, 9);
			expect(await value('lifeYears')).toBeCloseTo(s.lifeYears, 9);
			expect(await value('nmb')).toBeCloseTo(s.netMonetaryBenefit, 6);
			// the text shown is the same figure, rounded to whole currency units
			await expect(row.locator('td[data-col="cost"]')).toContainText(Math.round(s.cost).toLocaleString('en-GB'));
		}
		for (const r of json.incremental) {
			const cell = table.locator(`tr[data-strategy="${r.id}"] td[data-col="icer"]`);
			if (r.icer === null) await expect(cell).not.toHaveAttribute('data-value');
			else {
				expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(r.icer, 6);
				await expect(cell).toContainText(`${Math.round(Math.abs(r.icer)).toLocaleString('en-GB')} per QALY`);
			}
		}
		// the verdict names the strategy with the highest NMB in the JSON result
		const best = [...json.strategies].sort((a, b) => b.netMonetaryBenefit - a.netMonetaryBenefit)[0];
		const label = await table.locator(`tr[data-strategy="${best.id}"] th`).textContent();
		await expect(page.getByTestId('verdict')).toContainText(`${label} has the highest net monetary benefit`);

		const sha = createHash('sha256').update(readFileSync('models/ms.json')).digest('hex');
		await expect(page.getByTestId('model-hash')).toHaveText(sha);
		await expect(page.getByTestId('engine-version')).toContainText(JSON.parse(readFileSync('package.json', 'utf8')).version);

		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		expect(requests).toEqual([]);
		await page.screenshot({ path: `tests/e2e/screenshots/report-${width}.png` });
	});
}

test('the report prints to PDF (print media, A4 pages)', async ({ page }) => {
	await page.goto(`file://${file}`);
	await page.emulateMedia({ media: 'print' });
	// printed, the tables are not cut off in a scroll box
	expect(await page.locator('.scroll').first().evaluate((e) => getComputedStyle(e).overflowX)).toBe('visible');
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
	expect(pages.length).toBeGreaterThan(3);
});

test('the app downloads the same report, with the figures on screen, and puts it in the zip bundle', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1440, height: 900 });
	const errors = watchConsole(page);
	await openApp(page);
	await setParam(page, 'c_ocr', '23456');
	const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Report (HTML)' }).click()]);
	expect(d.suggestedFilename()).toMatch(/^ms_.*_report\.html$/);
	const html = readFileSync((await d.path()) as string, 'utf8');
	for (const s of SECTIONS) expect(html).toContain(`<section id="${s.id}"`);
	const report = await page.context().newPage();
	await report.setContent(html);
	for (const id of ['lifelong-dmt', 'ahsct', 'no-dmt']) {
		const shown = await cellValue(page, id, 'cost');
		const inReport = Number(await report.locator(`[data-testid="results-table"] tr[data-strategy="${id}"] td[data-col="cost"]`).getAttribute('data-value'));
		expect(inReport).toBe(shown);
	}
	await expect(report.locator('tr[data-param="c_ocr"]')).toContainText('changed from');
	// the hash covers the model file the bundle saves
	const [z] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Everything (zip bundle)' }).click()]);
	const files = unzipSync(new Uint8Array(readFileSync((await z.path()) as string)));
	expect(Object.keys(files)).toContain('report.html');
	const bundled = strFromU8(files['report.html']);
	const sha = createHash('sha256').update(files['model/ms.json']).digest('hex');
	expect(bundled).toContain(`data-testid="model-hash">${sha}<`);
	expect(errors).toEqual([]);
});

test('the app downloads the workbook with the figures on screen, and puts it in the zip bundle', async ({ page }) => {
	test.setTimeout(120_000);
	await page.setViewportSize({ width: 1440, height: 900 });
	const errors = watchConsole(page);
	await openApp(page);
	await setParam(page, 'c_ocr', '21000');
	const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Workbook (xlsx)' }).click()]);
	expect(d.suggestedFilename()).toMatch(/^ms_.*_results\.xlsx$/);
	const sheets = (await readXlsxFile(readFileSync((await d.path()) as string))) as { sheet: string; data: unknown[][] }[];
	const results = sheets.find((s) => s.sheet === 'Results')!.data;
	const col = (results[0] as string[]).indexOf('cost (GBP 2024, discounted)');
	for (const id of ['lifelong-dmt', 'ahsct']) {
		const row = results.find((r) => r[1] === id)!;
		expect(row[col]).toBe(await cellValue(page, id, 'cost'));
	}
	const inputs = sheets.find((s) => s.sheet === 'Inputs')!.data;
	const ocr = inputs.find((r) => r[0] === 'c_ocr')!;
	expect(ocr[3]).toBe(21000);
	const [z] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Everything (zip bundle)' }).click()]);
	const files = unzipSync(new Uint8Array(readFileSync((await z.path()) as string)));
	const bundled = (await readXlsxFile(Buffer.from(files['results/workbook.xlsx']))) as { sheet: string }[];
	expect(bundled.map((s) => s.sheet)).toContain('Costs per cycle');
	expect(errors).toEqual([]);
});
