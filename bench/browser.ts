/**
 * Browser figures for `npm run bench`: the built app (build/) served on a free port and driven
 * in Debian's chromium by Playwright.
 *  - PSA click to chart: click "Run PSA" (10,000 iterations of the default model) until the
 *    acceptability curve is drawn (its canvas exists and two animation frames have passed).
 *  - Edit to repaint: type a new value into a parameter field until the results table shows
 *    the changed cost (median of several edits, each after the previous one's charts are drawn).
 * bench/run.ts runs it as one section in a fresh process (after `npm run build` if there is no
 * build yet).
 */
import { chromium } from '@playwright/test';
import { spawn, execSync } from 'node:child_process';

import type { Figure } from './figure';

function chromiumPath(): string {
	return process.env.CHROMIUM_PATH ?? execSync('command -v chromium', { encoding: 'utf8' }).trim();
}

async function serve(): Promise<{ url: string; stop: () => void }> {
	const port = execSync('node scripts/free-port.mjs', { encoding: 'utf8' }).trim();
	const child = spawn(process.execPath, ['scripts/serve.mjs'], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (d: Buffer) => (String(d).includes('running at') ? resolve() : undefined));
		child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
	});
	return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function browserFigures(): Promise<Figure[]> {
	const server = await serve();
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
	const figures: Figure[] = [];
	const record = (name: string, value: number, target?: number, note?: string) =>
		figures.push({ name, value, unit: 'ms', target, pass: target === undefined ? undefined : value < target, note });
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(120_000);
		await page.goto(server.url);
		await page.getByTestId('results').waitFor();
		const psaRuns: number[] = [];
		for (let run = 0; run < (process.env.BENCH_PSA_RUNS ? Number(process.env.BENCH_PSA_RUNS) : 3); run++) {
			await page.fill('#psa-iterations', '10000');
			await page.fill('#psa-seed', String(run + 1));
			// passed as text: tsx would wrap named arrow functions in a helper the page does not have
			const ms = (await page.evaluate(`(async () => {
				const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run PSA');
				const before = document.querySelector('[data-testid="psa-meta"]')?.textContent ?? '';
				const start = performance.now();
				button.click();
				await new Promise((resolve) => {
					const check = () => {
						const meta = document.querySelector('[data-testid="psa-meta"]')?.textContent ?? '';
						if (meta !== before && meta.includes('10,000 iterations') && document.querySelector('[data-testid="chart-ceac"] canvas')) resolve();
						else requestAnimationFrame(check);
					};
					check();
				});
				await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
				return performance.now() - start;
			})()`)) as number;
			psaRuns.push(ms);
			process.stderr.write(`bench: browser PSA ${ms.toFixed(0)} ms\n`);
		}
		record('PSA 10,000 iterations of the default model: click "Run PSA" to CEAC drawn (median of 3)', median(psaRuns), 1000, `runs ${psaRuns.map((x) => x.toFixed(0)).join(', ')} ms`);

		const edits: number[] = [];
		await page.locator('#param-filter').fill('c_ocr');
		const field = page.locator('#param-c_ocr');
		await field.waitFor();
		for (let k = 0; k < 7; k++) {
			const before = await page.getByTestId('results').innerText();
			await field.focus();
			const ms = (await page.evaluate(`(async () => {
				const before = ${JSON.stringify(before)};
				const input = document.activeElement;
				const start = performance.now();
				input.value = ${JSON.stringify(String(19000 + k * 500))};
				input.dispatchEvent(new Event('input', { bubbles: true }));
				// checked in each animation frame; the frame that first holds the new table is painted
				// when that frame ends, which a task queued from its callback follows
				await new Promise((resolve) => {
					const check = () => (document.querySelector('[data-testid="results"]').innerText !== before ? setTimeout(resolve, 0) : requestAnimationFrame(check));
					requestAnimationFrame(check);
				});
				return performance.now() - start;
			})()`)) as number;
			edits.push(ms);
			// one edit at a time: the charts redraw in the frames after the table (ChartBox), so the
			// next edit starts once they are done, as after a person's pause between values
			await page.waitForTimeout(400);
		}
		record('edit an input to results table repainted (median of 7)', median(edits), 50, `edits ${edits.map((x) => x.toFixed(0)).join(', ')} ms`);
	} finally {
		await browser.close();
		server.stop();
	}
	return figures;
}
