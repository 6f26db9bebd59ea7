/**
 * The perspective setting: for a model that declares a societal switch (ms.json's
 * `societalSwitch`), choosing "Societal" sets that parameter, so the costs rise and the note
 * names it; for a model without one (sle.json) it is a label and changes no cost.
 */
import { test, expect } from '@playwright/test';
import { cellValue, openApp, watchConsole } from './helpers';
import { readFileSync } from 'node:fs';

const societal = JSON.parse(readFileSync('models/ms.json', 'utf8')).societalSwitch as string;

test('choosing the societal perspective sets the switch the model declares and adds its costs', async ({ page }) => {
	const errors = watchConsole(page);
	await openApp(page);
	const before = await cellValue(page, 'lifelong-dmt', 'cost');
	await expect(page.locator('#setting-perspective-note')).toContainText(societal);
	await page.locator('#setting-perspective').selectOption('Societal');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBeGreaterThan(before);
	await page.locator('#setting-perspective').selectOption('Healthcare payer');
	await expect.poll(() => cellValue(page, 'lifelong-dmt', 'cost')).toBe(before);
	expect(errors).toEqual([]);
});
