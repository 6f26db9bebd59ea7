/**
 * Browser figures for `npm run bench`: the built app (build/) served on a free port and driven
 * in Debian's chromium by Playwright.
 *  - PSA click to chart: click "Run PSA" (10,000 iterations of the default model) until the
 *    acceptability curve is drawn from the new result (its canvas's draw count changed) and painted;
 *    the first click after the page has loaded and warmed its PSA workers while idle (the panel's
 *    data-warm, PsaPanel.svelte) is also shown on its own, for information; with where the time went, from the app's performance measures (src/lib/ui/measures.ts):
 *    the request reaching the workers, the iterations (parts side by side), joining the parts and
 *    the summaries in the lead worker, the result's transfer to the page, and the main thread
 *    from the result's arrival to the chart drawn; and the same PSA in one worker (the page told
 *    the machine has one core), for comparison with the two the app uses on two cores.
 *  - Edit to repaint: type a new value into a parameter field until the results table shows
 *    the changed cost (median of several edits, each after the previous one's charts are drawn),
 *    with the deterministic run's share (the engine) and the rest (the page's update and paint).
 * bench/run.ts runs it as one section in a fresh process (after `npm run build` if there is no
 * build yet).
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, execSync } from 'node:child_process';

import type { Figure } from './figure';
import { PSA_MEASURES, RUN_MEASURE } from '../src/lib/ui/measures';

/** One PSA's time from click to chart and its stages (ms). */
interface PsaRun {
	total: number;
	start: number;
	engine: number;
	summaries: number;
	transfer: number;
	main: number;
}

/** Debian's chromium, installed first where it is missing (the script the browser tests use). */
function chromiumPath(): string {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	execSync('bash scripts/ensure-chromium.sh', { stdio: ['ignore', 'inherit', 'inherit'] });
	return execSync('command -v chromium', { encoding: 'utf8' }).trim();
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

/** Times `runs` PSAs of 10,000 iterations (seeds 1, 2, ...): click to CEAC drawn, with each one's stages. */
async function timePsaRuns(page: Page, runs: number): Promise<PsaRun[]> {
	const psaRuns: PsaRun[] = [];
	for (let run = 0; run < runs; run++) {
		await page.fill('#psa-iterations', '10000');
		await page.fill('#psa-seed', String(run + 1));
		// passed as text: tsx would wrap named arrow functions in a helper the page does not have
		const ms = (await page.evaluate(`(async () => {
			const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run PSA');
			const before = document.querySelector('[data-testid="psa-meta"]')?.textContent ?? '';
			const drawsBefore = document.querySelector('[data-testid="chart-ceac"] canvas')?.dataset.draws;
			const start = performance.now();
			button.click();
			// the new result on the page and the CEAC drawn from it (ChartBox counts its draws),
			// checked in each animation frame and after each task
			await new Promise((resolve) => {
				const check = () => {
					const meta = document.querySelector('[data-testid="psa-meta"]')?.textContent ?? '';
					const draws = document.querySelector('[data-testid="chart-ceac"] canvas')?.dataset.draws;
					if (meta !== before && meta.includes('10,000 iterations') && draws !== undefined && draws !== drawsBefore) resolve();
					else setTimeout(() => requestAnimationFrame(check), 0);
				};
				check();
			});
			// then painted: the end of the next frame, which a task queued from its callback follows
			await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
			const end = performance.now();
			const names = ${JSON.stringify(PSA_MEASURES)};
			const m = (name) => performance.getEntriesByName(name, 'measure').at(-1);
			const transfer = m(names.transfer);
			return {
				total: end - start,
				start: m(names.start).duration,
				engine: m(names.engine).duration,
				summaries: m(names.summaries).duration,
				transfer: transfer.duration,
				main: end - (transfer.startTime + transfer.duration)
			};
		})()`)) as PsaRun;
		psaRuns.push(ms);
		process.stderr.write(`bench: browser PSA ${ms.total.toFixed(0)} ms\n`);
	}
	return psaRuns;
}

/**
 * Waits until the page has warmed its PSA workers while idle after loading (the PSA panel's
 * data-warm="true"), as a person reading the page before the first click would; the time from
 * navigation in ms, or null when the page gives no such signal (then it waits IDLE_FALLBACK_MS).
 */
async function waitForWarmPsa(page: Page, since: number): Promise<number | null> {
	try {
		await page.locator('[data-testid="psa"][data-warm="true"]').waitFor({ state: 'attached', timeout: IDLE_FALLBACK_MS });
		return Date.now() - since;
	} catch {
		return null;
	}
}
const IDLE_FALLBACK_MS = 5_000;

export async function browserFigures(): Promise<Figure[]> {
	const server = await serve();
	const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
	const figures: Figure[] = [];
	const record = (name: string, value: number, target?: number, note?: string) =>
		figures.push({ name, value, unit: 'ms', target, pass: target === undefined ? undefined : value < target, note });
	try {
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(120_000);
		const loadStart = Date.now();
		await page.goto(server.url);
		await page.getByTestId('results').waitFor();
		const warmMs = await waitForWarmPsa(page, loadStart);
		const psaRuns = await timePsaRuns(page, process.env.BENCH_PSA_RUNS ? Number(process.env.BENCH_PSA_RUNS) : 3);
		const totals = psaRuns.map((r) => r.total);
		const psaWorkers = (await page.evaluate('navigator.hardwareConcurrency')) as number;
		record(
			`PSA 10,000 iterations of the default model: click "Run PSA" to CEAC drawn (median of ${psaRuns.length})`,
			median(totals),
			1000,
			`runs ${totals.map((x) => x.toFixed(0)).join(', ')} ms; ${Math.min(2, psaWorkers)} workers`
		);
		const first = psaRuns[0];
		record(
			'  for information: the first click after loading (included in the median above)',
			first.total,
			undefined,
			`engine ${first.engine.toFixed(0)}, summaries ${first.summaries.toFixed(0)}, main thread ${first.main.toFixed(0)} ms; ${warmMs === null ? 'clicked once the page was idle (no warm-up signal)' : `workers warm ${warmMs.toFixed(0)} ms after navigation`}`
		);
		// the stages of the median run, so the remaining gap is visible
		const mid = psaRuns.find((r) => r.total === median(totals)) as PsaRun;
		record('  of which: request to the workers starting', mid.start);
		record('  of which: engine, the iterations in the workers (parts side by side)', mid.engine);
		record('  of which: parts joined, CEAC, EVPI, summary and payback (lead worker)', mid.summaries);
		record('  of which: transfer of the result to the page', mid.transfer);
		record('  of which: main thread, result received to CEAC drawn (charts, layout, paint)', mid.main);
		// the same in one worker (as on a one-core machine), to show what the second worker gains here
		const single = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		single.setDefaultTimeout(120_000);
		await single.addInitScript("Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 1 })");
		await single.goto(server.url);
		await single.getByTestId('results').waitFor();
		await waitForWarmPsa(single, Date.now());
		const one = (await timePsaRuns(single, 3)).map((r) => r.total);
		await single.close();
		record('  for comparison: the same PSA in one worker (median of 3)', median(one), undefined, `runs ${one.map((x) => x.toFixed(0)).join(', ')} ms`);

		const edits: number[] = [];
		const editRuns: number[] = [];
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
				return [performance.now() - start, performance.getEntriesByName(${JSON.stringify(RUN_MEASURE)}, 'measure').at(-1)?.duration ?? NaN];
			})()`)) as [number, number];
			edits.push(ms[0]);
			editRuns.push(ms[1]);
			// one edit at a time: the charts redraw in the frames after the table (ChartBox), so the
			// next edit starts once they are done, as after a person's pause between values
			await page.waitForTimeout(400);
		}
		record('edit an input to results table repainted (median of 7)', median(edits), 50, `edits ${edits.map((x) => x.toFixed(0)).join(', ')} ms`);
		record('  of which: the deterministic run (engine; median of 7)', median(editRuns));
		record('  of which: the rest (the page updated, laid out and painted; median of 7 edits minus engine)', median(edits.map((x, k) => x - editRuns[k])));
	} finally {
		await browser.close();
		server.stop();
	}
	return figures;
}
