import { defineConfig } from '@playwright/test';
import { execSync } from 'node:child_process';

function chromiumPath(): string {
	if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
	try {
		return execSync('command -v chromium', { encoding: 'utf8' }).trim();
	} catch {
		return '/usr/bin/chromium';
	}
}

/**
 * The port the app is served on for the browser tests. Unless E2E_PORT names one, the OS picks a
 * free port once, in the main process; it is written to E2E_PORT so that Playwright's worker
 * processes (which inherit the environment and load this file again) use the same one.
 */
function testPort(): number {
	if (!process.env.E2E_PORT) {
		process.env.E2E_PORT = execSync('node scripts/free-port.mjs', { encoding: 'utf8' }).trim();
	}
	return Number(process.env.E2E_PORT);
}

const port = testPort();

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	workers: 1,
	retries: 0,
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		acceptDownloads: true,
		// the app's service worker (offline use) would answer requests that page.route should see;
		// the test of offline use allows it (tests/e2e/rough-edges.spec.ts)
		serviceWorkers: 'block',
		launchOptions: {
			executablePath: chromiumPath(),
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-dev-shm-usage'
			]
		}
	},
	webServer: {
		command: `PORT=${port} node scripts/serve.mjs`,
		url: `http://127.0.0.1:${port}/`,
		reuseExistingServer: false,
		timeout: 30_000
	}
});
