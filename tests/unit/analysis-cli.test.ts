/** The psa, dsa and threshold commands on the shipped models, as a user would call them. */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJson, run } from '../../src/lib/engine';

const cli = (...args: string[]) => execFileSync('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const hivFile = 'models/hiv-chancellor.json';

describe('model psa', { timeout: 240_000 }, () => {
	it('HIV: JSON on stdout, BCEA-layout CSVs in --out, reproducible by seed', () => {
		const dir = mkdtempSync(join(tmpdir(), 'psa-'));
		const args = ['psa', hivFile, '--iterations', '120', '--seed', '5', '--wtp-range', '0:30000:10000', '--json'];
		const a = JSON.parse(cli(...args, '--out', dir));
		const b = JSON.parse(cli(...args));
		expect(a.iterations).toBe(120);
		expect(a.summary).toEqual(b.summary);
		expect(a.ceac.wtp).toEqual([0, 10000, 20000, 30000]);
		const costs = readFileSync(join(dir, 'psa_costs.csv'), 'utf8').trim().split('\n');
		expect(costs[0]).toBe('iteration,mono,comb');
		expect(costs).toHaveLength(121);
		const effects = readFileSync(join(dir, 'psa_effects.csv'), 'utf8').trim().split('\n');
		expect(effects).toHaveLength(121);
		const draws = readFileSync(join(dir, 'psa_draws.csv'), 'utf8').trim().split('\n');
		expect(draws[0].split(',')).toContain('rr');
		// the mean of the CSV costs is the summary's mean cost
		const mono = costs.slice(1).map((l) => Number(l.split(',')[1]));
		expect(mono.reduce((s, v) => s + v, 0) / mono.length).toBeCloseTo(a.summary[0].meanCost, 6);
		const ceac = readFileSync(join(dir, 'ceac.csv'), 'utf8').trim().split('\n');
		expect(ceac[0]).toBe('wtp,p_mono,p_comb,frontier,frontier_probability,evpi');
		expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).seed).toBe(5);
	});

	it('MS model: runs with redrawing of invalid draws', () => {
		const out = JSON.parse(cli('psa', 'models/ms.json', '--iterations', '30', '--seed', '1', '--redraw-invalid', '--json'));
		expect(out.summary.map((s: { id: string }) => s.id)).toContain('ahsct');
		expect(out.iterations).toBe(30);
	});

	it('bad input exits 2 with a message naming the problem', () => {
		const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'psa', hivFile, '--iterations', 'many'], { encoding: 'utf8' });
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/--iterations/);
		const s = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'psa', hivFile, '--reference', 'nope'], { encoding: 'utf8' });
		expect(s.status).toBe(2);
		expect(s.stderr).toMatch(/no strategy "nope"/);
	});
});

describe('model dsa and threshold', { timeout: 240_000 }, () => {
	it('dsa --json: a tornado for comb against mono, widest bar first', () => {
		const out = JSON.parse(cli('dsa', hivFile, '--json'));
		expect(out.tornadoes).toHaveLength(1);
		const swings = out.tornadoes[0].bars.map((b: { swing: number }) => b.swing);
		expect([...swings].sort((x: number, y: number) => y - x)).toEqual(swings);
		expect(out.tornadoes[0].bars[0].id).toBe('rr');
	});

	it('threshold --json on HIV: INB is zero at the reported price (checked with run())', () => {
		const out = JSON.parse(cli('threshold', hivFile, '--param', 'cLamivudine', '--strategy', 'comb', '--comparator', 'mono', '--wtp', '20000', '--range', '0:50000', '--json'));
		expect(out.status).toBe('found');
		const hiv = compileJson(readFileSync(hivFile, 'utf8'));
		const r = run(hiv, { parameters: { cLamivudine: out.thresholds[0] } });
		const nmb = r.strategies.map((s) => 20000 * s.discounted.qaly - s.discounted.cost);
		expect(Math.abs(nmb[1] - nmb[0])).toBeLessThan(0.1);
	});

	it('threshold with an unknown parameter exits 2', () => {
		const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'threshold', hivFile, '--param', 'nope', '--strategy', 'comb', '--comparator', 'mono'], { encoding: 'utf8' });
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/no parameter "nope"/);
	});
});
