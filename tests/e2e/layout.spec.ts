/** Laptop and tablet widths: nothing spills sideways, every input has an accessible name, keyboard reaches the inputs. */
import { test, expect } from '@playwright/test';
import { openApp, shot } from './helpers';

for (const [name, width, height] of [
	['laptop', 1366, 768],
	['tablet-portrait', 820, 1180],
	['tablet-landscape', 1180, 820]
] as const) {
	test(`no sideways overflow at ${name} width (${width}px)`, async ({ page }) => {
		await page.setViewportSize({ width, height });
		await openApp(page);
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		if (width >= 1366) {
			// the whole results table is in view without scrolling sideways
			const hidden = await page.evaluate(() => {
				const wrap = document.querySelector('[data-testid="results"]')?.parentElement as HTMLElement;
				return wrap.scrollWidth - wrap.clientWidth;
			});
			expect(hidden).toBeLessThanOrEqual(0);
		}
		if (width < 1100) {
			// one column: the key results (the best strategy, costs and QALYs) come first, on the first
			// screen, above the inputs, which scroll in their own box
			const key = await page.locator('[data-testid="key-results"]').evaluate((el) => el.getBoundingClientRect());
			expect(key.bottom).toBeLessThan(height);
			const inputs = await page.locator('aside.inputs').evaluate((el) => el.getBoundingClientRect().top);
			expect(key.top).toBeLessThan(inputs);
		}
		await shot(page, `layout-${name}`);
	});
}

test('every input, select and button has an accessible name', async ({ page }) => {
	await openApp(page);
	const unnamed = await page.evaluate(() => {
		const out: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea, button')) {
			const labelled =
				el.getAttribute('aria-label') ||
				el.getAttribute('aria-labelledby') ||
				(el.id && document.querySelector(`label[for="${el.id}"]`)) ||
				el.closest('label') ||
				(el.tagName === 'BUTTON' && el.textContent?.trim());
			if (!labelled) out.push(el.outerHTML.slice(0, 120));
		}
		return out;
	});
	expect(unnamed).toEqual([]);
});

test('the keyboard reaches the settings and a parameter, and an edit applies', async ({ page }) => {
	await openApp(page);
	await page.locator('#setting-horizon').focus();
	await page.keyboard.press('Control+A');
	await page.keyboard.type('40');
	await page.keyboard.press('Tab');
	await expect(page.locator(':focus')).toHaveAttribute('aria-label', /Reset Time horizon/);
	await page.keyboard.press('Enter');
	await expect(page.locator('#setting-horizon')).toHaveValue('64');
	await page.locator('#param-filter').focus();
	await page.keyboard.type('c_ocr');
	await page.keyboard.press('Tab');
	// the group heading (a disclosure) comes first, then its inputs
	await expect(page.locator(':focus')).toHaveText(/^Costs/);
	await page.keyboard.press('Tab');
	await expect(page.locator(':focus')).toHaveAttribute('id', 'param-c_ocr');
	await page.keyboard.press('Control+A');
	await page.keyboard.type('30000');
	await expect(page.locator('li[data-param="c_ocr"]')).toHaveClass(/edited/);
});
