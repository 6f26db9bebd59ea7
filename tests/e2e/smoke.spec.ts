import { test, expect } from '@playwright/test';

test('the first page shows the default model results', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByTestId('results')).toBeVisible();
	await expect(page.locator('[data-testid="results"] tbody tr')).not.toHaveCount(0);
});
