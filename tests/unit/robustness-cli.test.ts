/**
 * Issue 17, points 5, 8 and 9, and issue 18's `--help`, on the command line: every command
 * parses its options strictly (a clear message and exit 2), `--help` prints usage (exit 0),
 * command names that are Object properties are unknown commands, a file that is not a regular
 * file or is over the size cap is refused unread, an output folder that cannot be made is
 * refused before the PSA runs (no hang), a PSA over the memory limit is refused before it
 * starts, and a model cannot write control characters to the terminal.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** runs the CLI; `timeout` only stops a hang from stalling the suite (a hang then fails the status check) */
function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'cli-robust-'));
const HIV = 'models/hiv-chancellor.json';
const hiv = JSON.parse(readFileSync(HIV, 'utf8'));
const COMMANDS = ['run', 'validate', 'psa', 'dsa', 'threshold', 'budget'];

describe('command-line robustness', { timeout: 300_000 }, () => {
	it('a reader that closes the pipe early (model ... --json | head) ends the CLI quietly, exit 0, no EPIPE', async () => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'budget', 'models/ms.json', '--iterations', '300', '--seed', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		// read the first chunk, then close our end, as `head -c 100` does
		await new Promise<void>((done) => child.stdout.once('data', () => (child.stdout.destroy(), done())));
		const code = await new Promise<number | null>((done) => child.on('close', (status) => done(status)));
		expect(stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
		expect(code).toBe(0);
	});

	it('model --help lists every command with its usage; model <command> --help prints that usage (exit 0)', () => {
		const all = cli('--help');
		expect(all.code).toBe(0);
		for (const c of COMMANDS) expect(all.stdout).toContain(`model ${c} <file>`);
		for (const c of ['run', 'psa', 'budget']) {
			const r = cli(c, '--help');
			expect(r.code, r.stderr).toBe(0);
			expect(r.stdout).toMatch(new RegExp(`^usage: model ${c} <file>`));
			expect(r.stderr).toBe('');
		}
		expect(cli('dsa', HIV, '-h').stdout).toMatch(/^usage: model dsa <file>/);
	});

	it('an unknown option, an option without its value, a value for a switch or an extra file is a usage error (exit 2), never "internal error"', () => {
		const cases: [string[], RegExp][] = [
			[['run', HIV, '--foo'], /^model run: unknown option --foo; options: --scenario, --set, --wtp, --json, --subgroups, --subgroup, --xlsx, --price-year, --currency\nusage: model run/],
			[['run', HIV, '--set'], /^model run: option --set needs a value/],
			[['budget', HIV, '--foo'], /^model budget: unknown option --foo/],
			[['run', HIV, '--json=yes'], /^model run: option --json takes no value/],
			[['run', HIV, 'second.json'], /^model run: unexpected argument "second.json"/],
			[['run', HIV, '--wtp', '-5'], /^--wtp: -5 is not a willingness to pay per QALY in \[0, 1,000,000,000\]/],
			[['dsa', HIV, '--wtp', '1e308'], /^--wtp: 1e\+308 is not a willingness to pay/]
		];
		for (const [args, message] of cases) {
			const r = cli(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr, args.join(' ')).toMatch(message);
			expect(r.stderr).not.toMatch(/internal error/);
		}
	});

	it('constructor, toString and __proto__ are unknown commands', () => {
		for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
			const r = cli(name, HIV);
			expect(r.code, name).toBe(2);
			expect(r.stderr).toMatch(new RegExp(`^unknown command "${name}"`));
		}
	});

	it('a device, a folder or a file over 16 MB is refused unread', () => {
		expect(cli('run', '/dev/zero')).toMatchObject({ code: 2, stderr: 'cannot read /dev/zero: not a regular file\n' });
		expect(cli('validate', dir)).toMatchObject({ code: 2, stderr: `cannot read ${dir}: not a regular file\n` });
		const big = join(dir, 'big.json');
		writeFileSync(big, '');
		truncateSync(big, 17 * 1024 * 1024); // sparse: 17 MB of zeros on no disk
		expect(cli('run', big)).toMatchObject({ code: 2, stderr: `cannot read ${big}: the file is 17 MB; a model file is at most 16 MB\n` });
	});

	it('psa --out into a folder that cannot be made is refused before the PSA runs (no hang)', () => {
		const r = cli('psa', HIV, '--iterations', '10', '--out', '/proc/x/results');
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^cannot write results to \/proc\/x\/results: /);
		expect(r.stderr).not.toMatch(/PSA 10 iterations/);
	});

	it('a PSA whose draws and per-cycle costs would exceed 1 GB is refused before it starts, with the iterations that fit', () => {
		const long = structuredClone(hiv);
		long.horizon = 2400;
		const file = join(dir, 'long.json');
		writeFileSync(file, JSON.stringify(long));
		// 100,000 x 2 strategies x 2,401 cycles x 2 x 8 bytes = 7.7 GB of per-cycle costs
		const r = cli('psa', file, '--iterations', '100000', '--payback', 'comb:mono');
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/^iterations: 100,000 iterations of this model would keep 7,3\d\d MB of draws and results \(with costs per cycle for every iteration\); the limit is 1,024 MB: use at most 13,\d{3} iterations/);
	});

	it('schedule() with a NaN index is a model error naming its path (exit 2), not an internal error', () => {
		const m = structuredClone(hiv);
		m.parameters.cLamivudine = { ...m.parameters.cLamivudine, value: undefined, expression: 'schedule(log(-1), 2086, 3000)', distribution: undefined, low: undefined, high: undefined, currency: undefined, priceYear: undefined };
		const file = join(dir, 'nan.json');
		writeFileSync(file, JSON.stringify(m));
		expect(cli('validate', file).code).toBe(0);
		const r = cli('run', file);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/nan\.json: parameters\.cLamivudine: /);
		expect(r.stderr).not.toMatch(/internal error|TypeError/);
	});

	it('point 11: a warning (ages past a life table) reaches stderr; the command still succeeds', () => {
		const m = JSON.parse(readFileSync('models/sick-sicker-age.json', 'utf8'));
		m.horizon = 100;
		const file = join(dir, 'old-age.json');
		writeFileSync(file, JSON.stringify(m));
		const r = cli('validate', file);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('valid');
		expect(r.stderr).toMatch(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}: warning: lifeTables\\.usa2015: the cohort reaches age 124`));
	});

	it('point 9: control characters from a model (clear screen, a forged "valid" line) are quoted, in messages and in tables', () => {
		const m = structuredClone(hiv);
		const forged = '\u001b[2J\u001b[H\nmodels/ms.json: valid (1 parameters, 1 states, 1 strategies)\n';
		m.strategies[1].transitions.A.B = `tpAB ${forged}`;
		const file = join(dir, 'forged.json');
		writeFileSync(file, JSON.stringify(m));
		const r = cli('validate', file);
		expect(r.code).toBe(2);
		expect(r.stderr).not.toMatch(/\u001b/);
		expect(r.stderr.split('\n').filter((l) => /^models\/ms\.json: valid/.test(l))).toEqual([]);
		expect(r.stderr).toContain('\\u001b[2J\\u001b[H\\nmodels/ms.json: valid');
		const labelled = structuredClone(hiv);
		labelled.strategies[0].label = 'Mono\u001b]0;owned\u0007\rcomb';
		const lf = join(dir, 'label.json');
		writeFileSync(lf, JSON.stringify(labelled));
		const out = cli('run', lf);
		expect(out.code).toBe(0);
		expect(out.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
		expect(out.stdout).toContain('Mono\\u001b]0;owned\\u0007\\rcomb');
	});
});
