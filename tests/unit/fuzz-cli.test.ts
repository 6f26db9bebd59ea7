/**
 * The command line on hostile model files: each must exit with code 2 and a message naming the
 * file and the path inside the model, and never print a stack trace ("    at ..." lines) or an
 * "internal error". A few files of the kinds the loader fuzz found or guards against
 * (fuzz-model-loader.test.ts, sandbox.test.ts) go through the real CLI here; each process costs
 * seconds of start-up, so the rest are checked in process by those files.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shippedModels } from './fuzz-support';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const hiv = shippedModels().find((m) => m.file === 'hiv-chancellor.json')?.data as Record<string, any>;

interface HostileFile {
	name: string;
	command: 'validate' | 'run';
	content: string;
	/** the path (or marker) the message must name */
	path: string;
}

function mutated(change: (m: Record<string, any>) => void): string {
	const m = structuredClone(hiv);
	change(m);
	return JSON.stringify(m, null, '\t');
}

const FILES: HostileFile[] = [
	{ name: 'not-json.json', command: 'validate', content: '{ "formatVersion": 1, this is not JSON', path: '(model)' },
	{
		name: 'deep-parentheses.json',
		command: 'validate',
		content: mutated((m) => (m.strategies[1].transitions.A.B = '('.repeat(1_990) + 'tpAB' + ')'.repeat(1_990))),
		path: 'strategies.comb.transitions.A.B'
	},
	{
		name: 'prototype-function.json',
		command: 'validate',
		content: mutated((m) => (m.states[0].costs = { direct: 'toString(1)' })),
		path: 'states.A.costs.direct'
	},
	{
		name: 'overflowing-costs.json',
		command: 'run',
		content: mutated((m) => (m.states[0].costs = { direct: '1e308' })),
		path: 'strategies.mono'
	}
];

interface Ran {
	status: number | null;
	stdout: string;
	stderr: string;
}

function cli(args: string[]): Promise<Ran> {
	return new Promise((resolve, reject) => {
		// `npx tsx src/cli/main.ts`, minus npx's own start-up: the same tsx binary npx would find
		const child = spawn(process.execPath, [TSX, 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

describe('the CLI on hostile model files', () => {
	let dir = '';
	const results = new Map<string, Ran>();

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'hostile-models-'));
		for (const f of FILES) writeFileSync(join(dir, f.name), f.content);
		// the processes start in parallel: each pays tsx's start-up once
		const ran = await Promise.all(FILES.map((f) => cli([f.command, join(dir, f.name)])));
		FILES.forEach((f, i) => results.set(f.name, ran[i]));
	}, 300_000);

	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it.each(FILES)('$command $name: exit 2, names the file and $path, no stack trace', (f) => {
		const r = results.get(f.name) as Ran;
		expect(r.status, r.stderr).toBe(2);
		const lines = r.stderr.trim().split('\n');
		expect(lines.length).toBeGreaterThan(0);
		// every line is "<file>: <path>: <message>"
		for (const line of lines) expect(line.startsWith(`${join(dir, f.name)}: `), line).toBe(true);
		expect(r.stderr).toContain(`${join(dir, f.name)}: ${f.path}`);
		expect(r.stderr).not.toMatch(/^\s+at /m);
		expect(r.stderr).not.toMatch(/internal error|TypeError|RangeError/);
		expect(r.stdout).toBe('');
	});
});
