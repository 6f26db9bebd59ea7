/**
 * The command line compiled ahead of time (scripts/build-cli.mjs, started by scripts/model.mjs)
 * must give what the TypeScript sources give: the same JSON result, the same errors and exit codes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
const bundle = join(dir, 'model.mjs');
const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: 'utf8' });

beforeAll(async () => {
	await buildCli(process.cwd(), bundle);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundled command line', () => {
	it('gives the same JSON result as the TypeScript sources', () => {
		const args = ['run', 'models/hiv-chancellor.json', '--json'];
		const fromBundle = node([bundle, ...args]);
		const fromSources = node(['--import', 'tsx', 'src/cli/main.ts', ...args]);
		expect(fromBundle.status).toBe(0);
		expect(fromBundle.stdout).toBe(fromSources.stdout);
		expect(JSON.parse(fromBundle.stdout).strategies.length).toBe(2);
	}, 60_000);

	it('reports a bad file as the sources do, with exit code 2', () => {
		const fromBundle = node([bundle, 'run', 'models/no-such-model.json']);
		const fromSources = node(['--import', 'tsx', 'src/cli/main.ts', 'run', 'models/no-such-model.json']);
		expect(fromBundle.status).toBe(2);
		expect(fromBundle.stderr).toBe(fromSources.stderr);
	}, 60_000);

	it('is what `npm run model` starts (scripts/model.mjs), building the bundle when it is missing or stale', () => {
		const r = node(['scripts/model.mjs', 'run', 'models/hiv-chancellor.json', '--json']);
		expect(r.status).toBe(0);
		expect(r.stdout).toBe(node([bundle, 'run', 'models/hiv-chancellor.json', '--json']).stdout);
	}, 60_000);
});
