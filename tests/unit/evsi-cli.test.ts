/** `model evsi`, and `model psa --evppi` over willingness to pay and for a population, on the MS model, as a user would call it: JSON figures checked by hand, errors exit 2 naming the option. */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const model = (...args: string[]) => spawnSync(process.execPath, ['scripts/model.mjs', ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
const base = ['evsi', 'models/ms.json', '--param', 'hr_ahsct_vs_hedmt', '--n', '50,100,200,500', '--iterations', '1000', '--seed', '3', '--wtp', '50000', '--sd', '2.6'];

describe('model evsi', { timeout: 240_000 }, () => {
	it('JSON: EVSI by n below EVPPI; population, study cost, ENBS and the optimal size recomputed by hand', () => {
		const args = [...base, '--population', '500', '--years', '10', '--population-discount', '0.035', '--fixed-cost', '2000000', '--cost-per-patient', '30000', '--json'];
		const out = JSON.parse(execFileSync(process.execPath, ['scripts/model.mjs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
		expect(out.currency).toBe('GBP');
		expect(out.priceYear).toBe(2024);
		expect(out.likelihood).toEqual({ kind: 'log-normal', sd: 2.6 });
		expect(out.points.map((p: { sampleSize: number }) => p.sampleSize)).toEqual([50, 100, 200, 500]);
		let effective = 0;
		for (let t = 0; t < 10; t++) effective += 500 / 1.035 ** t;
		expect(out.effectivePopulation).toBeCloseTo(effective, 6);
		for (const p of out.points) {
			expect(p.evsi).toBeGreaterThanOrEqual(0);
			expect(p.evsi).toBeLessThanOrEqual(out.evppi + 2 * p.standardError);
			expect(p.populationEvsi).toBeCloseTo(p.evsi * effective, 3);
			expect(p.studyCost).toBe(2_000_000 + 30_000 * 2 * p.sampleSize);
			expect(p.enbs).toBeCloseTo(p.populationEvsi - p.studyCost, 3);
		}
		expect(out.evppi).toBeLessThanOrEqual(out.evpi);
		const best = out.points.reduce((a: { enbs: number }, p: { enbs: number }) => (p.enbs > a.enbs ? p : a));
		expect(out.optimal).toEqual({ sampleSize: best.sampleSize, enbs: best.enbs });
		// the same seed gives the same figures
		const again = JSON.parse(execFileSync(process.execPath, ['scripts/model.mjs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
		expect(again.points).toEqual(out.points);
	});

	it('text: a table with currency and price year, the EVPPI, and a binomial trial by default on a probability', () => {
		const r = model('evsi', 'models/ms.json', '--param', 'p_trm_ahsct', '--n', '100', '--iterations', '300', '--wtp', '50000');
		expect(r.status).toBe(0);
		expect(r.stdout).toContain('Binomial(n, p_trm_ahsct)');
		expect(r.stdout).toContain('EVSI per person (GBP)');
		expect(r.stdout).toContain('GBP, 2024 prices');
		expect(r.stdout).toMatch(/EVPPI of p_trm_ahsct .*per person/);
	});

	it('bad input exits 2 naming the option: unknown parameter, sample size, too few iterations, missing SD', () => {
		const cases: [string[], RegExp][] = [
			[['--param', 'nope', '--n', '50'], /^--param: no parameter "nope"/],
			[['--param', 'c_hesc', '--n', '50,2.5'], /^--n: "2.5" is not a sample size per arm/],
			[['--param', 'c_hesc', '--n', '-3'], /^--n: "-3" is not a sample size per arm/],
			[['--param', 'c_hesc', '--n', '50', '--iterations', '100'], /^--iterations: .*at least 200 PSA iterations, got 100/],
			[['--param', 'hr_ahsct_vs_hedmt', '--n', '50'], /^--sd: a log-normal trial needs the standard deviation/],
			[['--param', 'dmt_choice', '--n', '50', '--sd', '1', '--iterations', '200'], /^--param: "dmt_choice" was not drawn/],
			[['--param', 'c_hesc', '--n', '50', '--sd', '1', '--iterations', '200', '--fixed-cost', '1000'], /^--fixed-cost and --cost-per-patient: .*needs the population/]
		];
		for (const [args, message] of cases) {
			const r = model('evsi', 'models/ms.json', ...args);
			expect(r.status, args.join(' ')).toBe(2);
			expect(r.stderr.split('\n').filter((l) => !l.startsWith('PSA')).join('\n')).toMatch(message);
		}
	});

	it('is in the command table and has its own --help', () => {
		expect(model('--help').stdout).toMatch(/evsi +expected value of sample information/);
		const help = model('evsi', '--help');
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('model evsi <file> --param id --n 50,100,200,500');
	});
});

describe('model psa --evppi over willingness to pay and for a population', { timeout: 240_000 }, () => {
	it('the curve at the chosen willingness to pay is the point EVPPI; population = per person x discounted people; evppi.csv', () => {
		const dir = mkdtempSync(join(tmpdir(), 'evppi-'));
		const args = ['psa', 'models/ms.json', '--iterations', '600', '--seed', '2', '--wtp', '50000', '--wtp-range', '0:100000:10000', '--evppi', 'hr_ahsct_vs_hedmt', '--evppi', 'c_ahsct_uk,p_trm_ahsct'];
		const out = JSON.parse(execFileSync(process.execPath, ['scripts/model.mjs', ...args, '--population', '200', '--years', '5', '--population-discount', '0.05', '--json', '--out', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 2 ** 20 }));
		const effective = 200 * (1 + 1 / 1.05 + 1 / 1.05 ** 2 + 1 / 1.05 ** 3 + 1 / 1.05 ** 4);
		for (const group of out.evppi) {
			expect(group.curve.wtp).toEqual([0, 10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000]);
			expect(Math.abs(group.curve.evppi[5] - group.evppi)).toBeLessThanOrEqual(1e-6 * Math.max(1, group.evpi));
			group.curve.evppi.forEach((v: number, j: number) => expect(v).toBeLessThanOrEqual(out.ceac.evpi[j] + 1e-6));
			expect(group.population.effectivePopulation).toBeCloseTo(effective, 6);
			expect(group.population.value).toBeCloseTo(group.evppi * effective, 3);
		}
		expect(out.evppi[0].curve.evppi[5]).toBeGreaterThan(0);
		const csv = readFileSync(join(dir, 'evppi.csv'), 'utf8').trim().split('\n');
		expect(csv[0]).toBe('wtp,evppi_hr_ahsct_vs_hedmt,evppi_c_ahsct_uk+p_trm_ahsct');
		expect(csv).toHaveLength(12);
		expect(Number(csv[6].split(',')[1])).toBeCloseTo(out.evppi[0].curve.evppi[5], 6);
	});
});
