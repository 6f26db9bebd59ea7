/**
 * Price years in the app: beside each cost input, the value as sourced (currency, price year)
 * and the converted value the model uses; the field takes the model's currency and price year;
 * the price year and currency settings convert every cost.
 */
import { test, expect } from '@playwright/test';
import { cellValue, openApp, shot, watchConsole } from './helpers';

// ocrelizumab: GBP 19,160 at 2019 prices, inflated to 2024 with the NHS cost inflation index
// (annual changes 2020/21 to 2024/25, from the model file), worked out here by hand
const OCR_2024 = 19160 * 1.0249 * 1.0258 * 1.0732 * 1.0247 * 1.0402;

test('a cost shows its sourced value and year and the converted value; the settings convert it', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	await page.locator('#param-filter').fill('c_ocr');
	const item = page.locator('li[data-param="c_ocr"]');
	const note = item.getByTestId('cost-conversion');
	await expect(note).toContainText('As sourced: GBP 19,160 at 2019 prices');
	await expect(note).toContainText(`GBP ${Math.round(OCR_2024).toLocaleString('en-GB')} at 2024 prices`);
	await expect(note).toContainText('You type GBP at 2024 prices');
	// the field holds the converted value (to the penny)
	await expect(page.locator('#param-c_ocr')).toHaveValue(String(Math.round(OCR_2024 * 100) / 100));
	// a EUR cost says so, with its assumed year
	await page.locator('#param-filter').fill('c_ahsct_uk');
	await expect(page.locator('li[data-param="c_ahsct_uk"]').getByTestId('cost-conversion')).toContainText('EUR 66,304 at 2018 prices (price year assumed)');

	// price year 2023: every cost of the UK setting is divided by 1.0402 (the 2024/25 change)
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	await page.locator('#setting-priceYear').fill('2023');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeCloseTo(before / 1.0402, 0);
	await page.locator('#param-filter').fill('c_ocr');
	await expect(note).toContainText(`GBP ${Math.round(OCR_2024 / 1.0402).toLocaleString('en-GB')} at 2023 prices`);

	// currency USD (price year 2023): GBP costs x 1.27, the file's assumed rate
	await page.locator('#setting-currency').fill('USD');
	await expect(note).toContainText(`USD ${Math.round((OCR_2024 / 1.0402) * 1.27).toLocaleString('en-GB')} at 2023 prices`);
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeCloseTo((before / 1.0402) * 1.27, 0);
	// the URL carries the target, so a reload shows the same conversion
	await page.reload();
	await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
	await page.locator('#param-filter').fill('c_ocr');
	await expect(page.locator('li[data-param="c_ocr"]').getByTestId('cost-conversion')).toContainText('at 2023 prices');
	await expect(page.locator('#setting-currency')).toHaveValue('USD');

	// a currency the model cannot convert to is an error beside the field, the inputs kept
	await page.locator('#setting-currency').fill('JPY');
	await expect(page.locator('#setting-currency-err')).toContainText('no rate from');
	await expect(page.locator('#setting-priceYear')).toHaveValue('2023');
	await shot(page, 'price-year');
	expect(errors).toEqual([]);
});

test('what the user types in a cost field is in the model currency and price year, used as typed', async ({ page }) => {
	await openApp(page);
	await page.locator('#param-filter').fill('c_ocr');
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	// typing the converted value back changes nothing; typing a higher price raises the cost
	await page.locator('#param-c_ocr').fill(String(Math.round(OCR_2024 * 100) / 100));
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeCloseTo(before, 0);
	await page.locator('#param-c_ocr').fill('30000');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeGreaterThan(before + 1000);
	await expect(page.locator('li[data-param="c_ocr"]').getByTestId('cost-conversion')).toContainText('You type GBP at 2024 prices');
});

test('the conversion note fits a 390 px phone screen', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await openApp(page);
	await page.locator('#param-filter').fill('c_ahsct');
	await expect(page.locator('li[data-param="c_ahsct_uk"]').getByTestId('cost-conversion')).toBeVisible();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	await shot(page, 'price-year-390');
});
