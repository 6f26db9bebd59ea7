/**
 * Issue 17 in the browser (and issue 18's damaged link): names that are Object properties, a
 * damaged or hostile `?s=` link, a zip bomb and a hostile bundle, hostile saved scenarios and
 * scenario files, and the server's security headers. No case may leave an uncaught exception
 * in the console or lose what the user typed.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { cellValue, openApp, setParam, watchConsole } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const urlScenario = (page: Page) => new URL(page.url()).searchParams.get('s');
const decoded = (code: string | null) => (code ? JSON.parse(Buffer.from(code, 'base64url').toString('utf8')) : null);

/** the HIV model with parameters named after Object.prototype members */
function protoModel(): Buffer {
	const text = readFileSync('models/hiv-chancellor.json', 'utf8');
	const names: Record<string, string> = { cLamivudine: 'constructor', cZidovudine: 'toString', rr: 'valueOf', cDirectA: 'hasOwnProperty' };
	const renamed = JSON.parse(text.replace(/\b(cLamivudine|cZidovudine|rr|cDirectA)\b/g, (m) => names[m]));
	renamed.id = 'proto';
	return Buffer.from(JSON.stringify(renamed));
}

test('point 13 / issue 18: a damaged, empty or invalid ?s= link shows its notice, with no uncaught error on load or on the next edit', async ({ page }) => {
	const errors = watchConsole(page);
	for (const code of ['%%%not-base64', '', b64({ v: 1, m: 'ms', p: { c_ocr: 'x' } }), b64({ v: 9, m: 'ms' })]) {
		await openApp(page, `/?s=${code}`);
		await expect(page.locator('.page-notice')).toContainText(/showing the model defaults/i);
		await setParam(page, 'c_ocr', '21000');
		await expect.poll(() => decoded(urlScenario(page))?.p?.c_ocr).toBe(21000);
		await setParam(page, 'c_ocr', '21500');
		await expect.poll(() => decoded(urlScenario(page))?.p?.c_ocr).toBe(21500);
	}
	expect(errors).toEqual([]);
});

test('point 2: a link overriding "constructor" refuses that key with a message and keeps the rest', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	const base = await cellValue(page, 'lifelong-dmt', 'cost');
	await openApp(page, `/?s=${b64({ v: 1, m: 'ms', p: { constructor: 5, toString: 1, c_ocr: 22000 } })}`);
	await expect(page.locator('.page-notice')).toContainText('parameters.constructor: no parameter named "constructor"');
	await expect(page.locator('.page-notice')).toContainText('parameters.toString');
	await expect(page.locator('#param-filter')).toBeVisible();
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('#param-c_ocr')).toHaveValue('22000');
	await expect(page.getByTestId('run-error')).toHaveCount(0);
	expect(await cellValue(page, 'lifelong-dmt', 'cost')).not.toBe(base);
	// later edits take effect, and the refused keys are not written back into the link
	await setParam(page, 'c_ocr', '23000');
	await expect.poll(() => decoded(urlScenario(page))?.p).toEqual({ c_ocr: 23000 });
	expect(errors).toEqual([]);
});

test('point 2: a saved scenario and a scenario file holding "constructor" load without it, saying so', async ({ page }) => {
	const errors = watchConsole(page);
	await page.addInitScript(() => {
		if (sessionStorage.getItem('seeded')) return;
		sessionStorage.setItem('seeded', '1');
		const inputs = { modelId: 'ms', parameters: { constructor: 1, c_ocr: 22000 }, settings: {} };
		localStorage.setItem('cthe.scenario.proto1', JSON.stringify({ format: 'cthe-scenario', version: 1, id: 'proto1', name: 'Hostile', savedAt: '2026-01-01T00:00:00.000Z', rev: 0, inputs }));
	});
	await openApp(page);
	await page.getByRole('button', { name: 'Load Hostile' }).click();
	await expect(page.getByTestId('scenario-notice').last()).toContainText('parameters.constructor: no parameter named "constructor"');
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('#param-c_ocr')).toHaveValue('22000');
	await expect(page.getByTestId('run-error')).toHaveCount(0);

	const file = { format: 'cthe-scenario-file', version: 1, name: 'From a file', model: { id: 'ms' }, inputs: { modelId: 'ms', parameters: { hasOwnProperty: 2, c_ocr: 21000 }, settings: {} } };
	await page.getByTestId('import-scenario').setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
	await expect(page.getByTestId('import-error')).toContainText('parameters.hasOwnProperty: no parameter named "hasOwnProperty"');
	await expect(page.locator('#param-c_ocr')).toHaveValue('21000');
	expect(errors).toEqual([]);
});

test('point 1: parameters named constructor, toString, valueOf, hasOwnProperty are ordinary fields', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	await page.getByTestId('open-model-file').setInputFiles({ name: 'proto.json', mimeType: 'application/json', buffer: protoModel() });
	await expect(page.locator('h1#results-h')).toContainText('HIV');
	for (const id of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
		await page.locator('#param-filter').fill(id);
		await expect(page.locator(`#param-${id}`)).toHaveValue(/^\d+(\.\d+)?$/);
		await expect(page.locator(`li[data-param="${id}"]`)).not.toHaveClass(/edited/);
	}
	await page.locator('#param-filter').fill('constructor');
	await expect(page.locator('#param-constructor')).toHaveValue('2086.5');
	const before = await cellValue(page, 'comb', 'cost');
	await page.locator('#param-constructor').fill('3000');
	await expect.poll(() => cellValue(page, 'comb', 'cost')).toBeGreaterThan(before);
	await expect(page.locator('li[data-param="constructor"]')).toHaveClass(/edited/);
	await expect.poll(() => decoded(urlScenario(page))?.p).toEqual({ constructor: 3000 });
	await page.getByRole('button', { name: /^Reset .* to 2086\.5$/ }).click();
	await expect(page.locator('#param-constructor')).toHaveValue('2086.5');
	await expect.poll(() => cellValue(page, 'comb', 'cost')).toBe(before);
	expect(errors).toEqual([]);
});

test('point 11: a model file whose cohort outlives its life table opens with a visible warning naming the table', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	await expect(page.getByTestId('model-warnings')).toHaveCount(0);
	const m = JSON.parse(readFileSync('models/sick-sicker-age.json', 'utf8'));
	m.horizon = 100;
	await page.getByTestId('open-model-file').setInputFiles({ name: 'old-age.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(m)) });
	await expect(page.getByTestId('model-warnings')).toContainText('lifeTables.usa2015: the cohort reaches age 124');
	await expect(page.getByTestId('results')).toBeVisible();
	expect(errors).toEqual([]);
});

test('point 3 and 10: a zip bomb and a bundle with an entry named __proto__ are refused with a message; the page keeps working', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	const base = await cellValue(page, 'lifelong-dmt', 'cost');
	// 200 MB of zeros deflate to about 0.2 MB
	const manifest = { format: 'cthe-bundle', version: 1, app: { name: 'x', version: '1' }, createdAt: '2026-01-01', scenarioName: 'x', modelFile: 'model/ms.json', psa: null, files: [] };
	const bomb = zipSync({ 'manifest.json': strToU8(JSON.stringify(manifest)), 'model/ms.json': [new Uint8Array(200 * 1024 * 1024), { level: 9 }] });
	await page.getByTestId('open-bundle').setInputFiles({ name: 'bomb.zip', mimeType: 'application/zip', buffer: Buffer.from(bomb) });
	await expect(page.getByRole('alert').filter({ hasText: 'bomb.zip' })).toContainText('model/ms.json would inflate to 200.0 MB; a bundle entry read by the app is at most 16 MB');
	manifest.modelFile = 'constructor';
	const hostile = zipSync({ 'manifest.json': strToU8(JSON.stringify(manifest)), 'inputs.json': strToU8('{}') });
	await page.getByTestId('open-bundle').setInputFiles({ name: 'hostile.zip', mimeType: 'application/zip', buffer: Buffer.from(hostile) });
	await expect(page.getByRole('alert').filter({ hasText: 'hostile.zip' })).toContainText('"constructor" is not a model file in the bundle');
	// still responsive, nothing changed
	await setParam(page, 'c_ocr', '21000');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).not.toBe(base);
	expect(errors).toEqual([]);
});

test('point 12: the server sends CSP with frame-ancestors, X-Frame-Options and nosniff; the page cannot be framed', async ({ page, request }) => {
	for (const path of ['/', '/budget']) {
		const r = await request.get(path);
		const h = r.headers();
		expect(h['content-security-policy'], path).toMatch(/default-src 'self'/);
		expect(h['content-security-policy']).toMatch(/frame-ancestors 'none'/);
		expect(h['content-security-policy']).toMatch(/form-action 'self'/);
		expect(h['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
		expect(h['x-frame-options']).toBe('DENY');
		expect(h['x-content-type-options']).toBe('nosniff');
	}
	const asset = await request.get('/favicon.svg');
	expect(asset.headers()['x-content-type-options']).toBe('nosniff');
	// the app itself still runs under the header policy
	const errors = watchConsole(page);
	await openApp(page);
	expect(errors).toEqual([]);
	// framed by another page: the browser shows its error page in the frame instead of the app
	const url = page.url();
	await page.goto('about:blank');
	await page.setContent(`<iframe src="${url}"></iframe>`);
	await expect.poll(() => page.frames()[1]?.url() ?? '').toMatch(/^chrome-error:/);
});
