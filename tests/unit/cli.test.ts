/** The command line: exit codes and messages (run, validate, errors). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
const hiv = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));

describe('model CLI', { timeout: 180_000 }, () => {
	it('validate accepts a valid model', () => {
		const r = cli('validate', 'models/hiv-chancellor.json');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('valid');
	});

	it('an invalid model exits 2 naming the file, the path and the reason, without a stack trace', () => {
		const bad = structuredClone(hiv);
		bad.strategies[1].transitions.A.B = 'tpAB * rrNow + 0.9';
		const file = join(dir, 'bad-row.json');
		writeFileSync(file, JSON.stringify(bad));
		const r = cli('run', file);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(file);
		expect(r.stderr).toContain('strategies.comb.transitions.A.B');
		expect(r.stderr).toMatch(/cycle 1/);
		expect(r.stderr).not.toMatch(/\n\s+at /);
	});

	it('a negative cost exits 2 naming the parameter', () => {
		const bad = structuredClone(hiv);
		bad.parameters.cDirectA.value = -5;
		const file = join(dir, 'neg.json');
		writeFileSync(file, JSON.stringify(bad));
		const r = cli('validate', file);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('parameters.cDirectA');
		expect(r.stderr).toContain('cost');
	});

	it('malformed JSON exits 2', () => {
		const file = join(dir, 'broken.json');
		writeFileSync(file, '{ "formatVersion": 1, ');
		const r = cli('validate', file);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('not valid JSON');
	});

	it('--set and --wtp change the results; a bad --set exits 2', () => {
		const base = JSON.parse(cli('run', 'models/hiv-chancellor.json', '--json').stdout);
		const cheaper = JSON.parse(cli('run', 'models/hiv-chancellor.json', '--json', '--set', 'cLamivudine=0', '--wtp', '30000').stdout);
		const comb = (o: { strategies: { id: string; cost: number }[] }) => o.strategies.find((s) => s.id === 'comb')!.cost;
		expect(comb(cheaper)).toBeLessThan(comb(base));
		expect(cheaper.willingnessToPay).toBe(30000);
		const r = cli('run', 'models/hiv-chancellor.json', '--set', 'tpAB=1.5');
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('parameters.tpAB');
		const t = cli('run', 'models/hiv-chancellor.json', '--set', 'rr=abc');
		expect(t.code).toBe(2);
		expect(t.stderr).toContain('not a number');
	});

	it('the human output shows currency and price year', () => {
		const r = cli('run', 'models/hiv-chancellor.json');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('GBP');
		expect(r.stdout).toContain('price year 1995');
	});
});
