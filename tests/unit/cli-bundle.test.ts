/**
 * The command line compiled ahead of time (scripts/build-cli.mjs, started by scripts/model.mjs)
 * must give what the TypeScript sources give: the same JSON result, the same errors and exit codes;
 * and scripts/model.mjs must build the bundle again exactly when a file it was built from changes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.mjs';

const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
let bundle = '';
const node = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });

beforeAll(async () => {
	bundle = await buildCli(process.cwd(), join(dir, 'built'));
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

	it('is what `npm run model` starts (scripts/model.mjs): built when missing, then reused with its code cache, rebuilt when a source it includes changes', () => {
		const cache = join(dir, 'launcher');
		const env = { CELLTHERAPY_CLI_CACHE: cache };
		const args = ['scripts/model.mjs', 'run', 'models/hiv-chancellor.json', '--json'];
		const expected = node([bundle, 'run', 'models/hiv-chancellor.json', '--json']).stdout;
		const manifest = () => JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as { bundle: string; builtAt: number; inputs: [string, number, number][] };

		// missing: built; the first run of the bundle leaves V8's code cache beside it
		const first = node(args, env);
		expect(first.status).toBe(0);
		expect(first.stdout).toBe(expected);
		const built = manifest();
		expect(built.inputs.map(([path]) => path)).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/lib/engine/model/expressions.ts', 'package-lock.json', 'scripts/build-cli.mjs']));
		expect(existsSync(join(cache, built.bundle.replace(/\.cjs$/, '.v8')))).toBe(true);

		// unchanged sources, and a source the bundle does not include touched: the same bundle, read with its code cache
		const outside = 'src/lib/charts/register.ts';
		expect(built.inputs.some(([path]) => path === outside)).toBe(false);
		const touch = (file: string, run: () => void) => {
			const { atime, mtime } = statSync(file);
			utimesSync(file, atime, new Date(mtime.getTime() + 5000));
			try {
				run();
			} finally {
				utimesSync(file, atime, mtime);
			}
		};
		touch(outside, () => {
			const again = node(args, env);
			expect(again.stdout).toBe(expected);
			expect(manifest().builtAt).toBe(built.builtAt);
		});

		// a source it includes changed: built again, same result
		touch('src/cli/threshold.ts', () => {
			const rebuilt = node(args, env);
			expect(rebuilt.status).toBe(0);
			expect(rebuilt.stdout).toBe(expected);
			expect(manifest().builtAt).toBeGreaterThan(built.builtAt);
		});
	}, 120_000);
});
