/**
 * Saved scenarios under stress: corrupted and older-format entries, a full storage, two tabs
 * saving the same scenario, and imports that fail validation (which must change nothing).
 */
import { test, expect, type Page } from '@playwright/test';
import { cellValue, openApp, saveScenario, setParam, shot } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

const row = (page: Page, name: string) => page.locator(`[data-testid="scenario-list"] tr[data-scenario="${name}"]`);

test('a corrupted entry is set aside with a message, an older-format entry is migrated, the others load', async ({ page }) => {
	await page.addInitScript(() => {
		if (sessionStorage.getItem('seeded')) return;
		sessionStorage.setItem('seeded', '1');
		const good = {
			format: 'cthe-scenario',
			version: 1,
			id: 'good1',
			name: 'Good one',
			savedAt: '2026-01-01T00:00:00.000Z',
			rev: 0,
			inputs: { modelId: 'ms', parameters: { c_ocr: 20000 }, settings: {} }
		};
		localStorage.setItem('cthe.scenario.good1', JSON.stringify(good));
		localStorage.setItem('cthe.scenario.broken', '{"format":"cthe-scenario", "version": 1, "name": trunc');
		localStorage.setItem('cthe.scenario.old', JSON.stringify({ name: 'Old format', modelId: 'ms', parameters: { c_ocr: 18000 }, settings: {} }));
	});
	await openApp(page);
	await expect(row(page, 'Good one')).toBeVisible();
	await expect(row(page, 'Old format')).toBeVisible();
	const notices = page.getByTestId('scenario-notice');
	await expect(notices.filter({ hasText: 'could not be read' })).toContainText('set aside');
	await expect(notices.filter({ hasText: 'older format' })).toContainText('Old format');
	const stored = await page.evaluate(() => ({
		aside: localStorage.getItem('cthe.setaside.broken'),
		broken: localStorage.getItem('cthe.scenario.broken'),
		old: JSON.parse(localStorage.getItem('cthe.scenario.old') ?? 'null')
	}));
	expect(stored.aside).toContain('trunc');
	expect(stored.broken).toBeNull();
	expect(stored.old.version).toBe(1);
	expect(stored.old.inputs.parameters.c_ocr).toBe(18000);
	// the migrated scenario loads
	await page.getByRole('button', { name: 'Load Old format' }).click();
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('#param-c_ocr')).toHaveValue('18000');
	await shot(page, 'storage-recovered');
});

test('a full storage gives a clear message and overwrites nothing', async ({ page }) => {
	await openApp(page);
	await saveScenario(page, 'Before full');
	const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
	await page.evaluate(() => {
		Storage.prototype.setItem = function () {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
	});
	await setParam(page, 'c_ocr', '26000');
	await page.locator('#scenario-name').fill('After full');
	await page.getByRole('button', { name: 'Save as new scenario' }).click();
	await expect(page.getByTestId('scenario-notice').filter({ hasText: 'storage is full' })).toBeVisible();
	await expect(row(page, 'After full')).toHaveCount(0);
	await expect(row(page, 'Before full')).toBeVisible();
	// saving over the existing scenario fails the same way, leaving it intact
	await page.getByRole('button', { name: 'Load Before full' }).click();
	await setParam(page, 'c_ocr', '27000');
	await page.getByRole('button', { name: /Save changes to/ }).click();
	await expect(page.getByTestId('scenario-notice').filter({ hasText: 'storage is full' }).first()).toBeVisible();
	const after = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
	expect(after).toBe(before);
	await shot(page, 'storage-full');
});

test('two tabs saving the same scenario keep both versions', async ({ context }) => {
	const tab1 = await context.newPage();
	const tab2 = await context.newPage();
	await openApp(tab1);
	await saveScenario(tab1, 'Shared');
	await openApp(tab2);
	await expect(row(tab2, 'Shared')).toBeVisible();
	await tab2.getByRole('button', { name: 'Load Shared' }).click();

	await setParam(tab1, 'c_ocr', '21000');
	await tab1.getByRole('button', { name: 'Save changes to “Shared”' }).click();
	await setParam(tab2, 'c_ocr', '23000');
	await tab2.getByRole('button', { name: 'Save changes to “Shared”' }).click();
	await expect(tab2.getByTestId('scenario-notice').filter({ hasText: 'changed in another tab' })).toBeVisible();
	await expect(row(tab2, 'Shared')).toBeVisible();
	await expect(row(tab2, 'Shared (this tab)')).toBeVisible();
	// the other tab sees both through the storage event
	await expect(row(tab1, 'Shared (this tab)')).toBeVisible();
	const values = await tab1.evaluate(() =>
		Object.keys(localStorage)
			.filter((k) => k.startsWith('cthe.scenario.'))
			.map((k) => JSON.parse(localStorage.getItem(k) as string).inputs.parameters.c_ocr)
			.sort()
	);
	expect(values).toEqual([21000, 23000]);
	await shot(tab2, 'storage-two-tabs');
});

test('an invalid scenario file or model file changes nothing', async ({ page }) => {
	await openApp(page);
	await setParam(page, 'c_ocr', '20500');
	await saveScenario(page, 'Existing');
	const cost = await cellValue(page, 'lifelong-dmt', 'cost');
	const url = page.url();

	const bad = { format: 'cthe-scenario-file', version: 1, name: 'Bad', model: { id: 'ms' }, inputs: { modelId: 'ms', parameters: { p_discontinue: 1.7 }, settings: {} } };
	await page.getByTestId('import-scenario').setInputFiles({ name: 'bad-scenario.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
	await expect(page.getByTestId('import-error')).toContainText('parameters.p_discontinue');
	await expect(page.getByTestId('import-error')).toContainText('Nothing was changed');
	await expect(row(page, 'Bad')).toHaveCount(0);
	expect(await cellValue(page, 'lifelong-dmt', 'cost')).toBe(cost);

	const badModel = { formatVersion: 1, id: 'broken', title: 'Broken', description: 'x', currency: 'GBP', priceYear: 2024, cycleLength: 1, horizon: 10, startAge: 40, discountRates: { costs: 0.035, outcomes: 0.035 }, cycleCorrection: 'half-cycle', costCategories: [{ id: 'c', label: 'C' }], parameters: { p: { value: 1.4, kind: 'probability', unit: 'per year', description: 'A probability', group: 'G' } }, states: [{ id: 'a', label: 'A' }, { id: 'd', label: 'Dead', dead: true }], strategies: [{ id: 's', label: 'S', start: { a: 1 }, transitions: { a: { d: 'p', a: 'C' }, d: { d: 1 } } }] };
	await page.getByTestId('open-model-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(badModel)) });
	await expect(page.getByTestId('model-file-error')).toContainText('parameters.p');
	await expect(page.getByTestId('model-file-error')).toContainText('the open model is unchanged');
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Multiple sclerosis');
	expect(await cellValue(page, 'lifelong-dmt', 'cost')).toBe(cost);
	expect(page.url()).toBe(url);
	await shot(page, 'storage-invalid-imports');
});
