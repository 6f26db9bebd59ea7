/** Shared steps for the browser journeys: open the app after hydration, watch the console. */
import { expect, type Page } from '@playwright/test';

/** Collects console errors and CSP violations so a journey can assert there were none. */
export function watchConsole(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	return errors;
}

export async function openApp(page: Page, path = '/'): Promise<void> {
	await page.goto(path);
	await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
}

export async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: `tests/e2e/screenshots/${name}.png`, fullPage: true });
}

/**
 * The figure a results cell holds (full precision, from its data-value), once the page has the
 * results of the current inputs (a slow run is made in the run worker while "calculating" shows).
 */
export async function cellValue(page: Page, strategy: string, col: string): Promise<number> {
	await expect(page.getByTestId('calculating')).toHaveCount(0);
	const v = await page.locator(`[data-testid="results"] tr[data-strategy="${strategy}"] td[data-col="${col}"]`).getAttribute('data-value');
	return Number(v);
}

/** Types into a field as a user would: select all, type, leave the field. */
export async function typeInto(page: Page, label: string | RegExp, text: string): Promise<void> {
	const field = page.getByLabel(label, { exact: typeof label === 'string' });
	await field.fill(text);
}

/** Finds a parameter with the panel's search box and types a value into it. */
export async function setParam(page: Page, id: string, text: string): Promise<void> {
	await page.locator('#param-filter').fill(id);
	await page.locator(`#param-${id}`).fill(text);
}

export async function saveScenario(page: Page, name: string): Promise<void> {
	await page.locator('#scenario-name').fill(name);
	await page.getByRole('button', { name: 'Save as new scenario' }).click();
	await expect(page.locator(`[data-testid="scenario-list"] tr[data-scenario="${name}"]`)).toBeVisible();
}
