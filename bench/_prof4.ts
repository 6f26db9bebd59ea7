import { chromium } from '@playwright/test';
import { spawn, execSync } from 'node:child_process';
const port = execSync('node scripts/free-port.mjs', { encoding: 'utf8' }).trim();
const child = spawn(process.execPath, ['scripts/serve.mjs'], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => String(d).includes('running at') && r()));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.setDefaultTimeout(120000);
await page.goto(`http://127.0.0.1:${port}/`);
await page.getByTestId('results').waitFor();
const withPsa = process.argv.includes('--psa');
if (withPsa) { await page.fill('#psa-iterations', '10000'); await page.getByRole('button', { name: 'Run PSA' }).click(); await page.getByTestId('chart-ceac').waitFor(); await page.waitForTimeout(1000); }
await page.locator('#param-filter').fill('c_ocr');
await page.locator('#param-c_ocr').waitFor();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const times = [];
for (let k = 0; k < 7; k++) {
  await page.locator('#param-c_ocr').focus();
  const ms = await page.evaluate(`(async () => {
    const before = document.querySelector('[data-testid="results"]').innerText;
    const input = document.activeElement; const start = performance.now();
    input.value = '${19000 + k * 500}'; input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => { const check = () => (document.querySelector('[data-testid="results"]').innerText !== before ? resolve() : requestAnimationFrame(check)); check(); });
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - start; })()`);
  times.push(ms);
  await page.waitForTimeout(400);
}
const { profile } = await cdp.send('Profiler.stop');
console.log('edits', times.map((t: any) => t.toFixed(0)).join(' '));
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes as any[]) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map<string, number>(); let total = 0;
profile.samples!.forEach((s: number, i: number) => { const dt = profile.timeDeltas![i]; total += dt;
  const seen = new Set(); let id = s; while (id !== undefined) { const m: any = byId.get(id); const kk = `${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').pop()}:${m.callFrame.lineNumber}:${m.callFrame.columnNumber}`; if (!seen.has(kk)) { incl.set(kk, (incl.get(kk) ?? 0) + dt); seen.add(kk); } id = parent.get(id); } });
console.log('INCL\n' + [...incl].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${(v / 1000).toFixed(1)} ${k}`).join('\n'));
await browser.close(); child.kill();
