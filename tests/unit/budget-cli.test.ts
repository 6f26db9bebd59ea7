/** The `budget` CLI command, run as a user would (npm run model -- budget ...). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureModel, fixtureSettings } from './budget-fixtures';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'budget', ...args], { encoding: 'utf8' });

describe('model budget', () => {
	const dir = mkdtempSync(join(tmpdir(), 'budget-cli-'));
	const modelFile = join(dir, 'fixture.json');
	const settingsFile = join(dir, 'settings.json');
	writeFileSync(modelFile, JSON.stringify(fixtureModel({ dmtCost: 1000, price: 50000 })));
	writeFileSync(
		settingsFile,
		JSON.stringify(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { dmt: [0.5], cell: [0.5] } } } }))
	);

	it('prints one JSON object with the yearly budget', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--years', '3', '--json']);
		expect(r.status).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.currency).toBe('GBP');
		expect(out.priceYear).toBe(2024);
		expect(out.rows).toHaveLength(3);
		// year 1: 110 patients; current all DMT (1000 each); new half DMT, half cell (50000 once)
		expect(out.rows[0].current).toBeCloseTo(110 * 1000, 6);
		expect(out.rows[0].new).toBeCloseTo(55 * 1000 + 55 * 50000, 6);
		// year 2: current 120 x 1000; new 60 on DMT x 1000 + 5 new cell x 50000
		expect(out.rows[1].incremental).toBeCloseTo(60 * 1000 + 5 * 50000 - 120 * 1000, 6);
	});

	it('prints a yearly table with currency and price year', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--years', '2']);
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/Costs in GBP, price year 2024; undiscounted/);
		expect(r.stdout).toMatch(/GBP 2,805,000/); // 55 x 1000 + 55 x 50000
	});

	it('exits 2 naming the path on bad settings', () => {
		const bad = join(dir, 'bad.json');
		writeFileSync(bad, JSON.stringify(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { dmt: [0.7] } } } })));
		const r = cli([modelFile, '--settings', bad]);
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/bad\.json: uptake\.new\.shares: market shares in year 1 sum to 0\.7/);
	});

	it('exits 2 naming the model file on an unknown scenario', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--scenario', 'nope']);
		expect(r.status).toBe(2);
		expect(r.stderr).toContain(`${modelFile}: scenario: no scenario "nope"`);
	});

	it('exits 2 on a bad --years', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--years', '0']);
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/--years/);
	});
});

describe('model budget --iterations (the budget under uncertainty)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'budget-psa-cli-'));
	const modelFile = join(dir, 'fixture.json');
	const settingsFile = join(dir, 'settings.json');
	const model = fixtureModel({ dmtCost: 1000 });
	model.parameters.price = { ...model.parameters.price, value: 10000, distribution: { type: 'uniform', min: 0, max: 20000 } };
	writeFileSync(modelFile, JSON.stringify(model));
	writeFileSync(settingsFile, JSON.stringify(fixtureSettings({ uptake: { current: { shares: { dmt: [1] } }, new: { shares: { cell: [1] } } } })));

	it('--json carries the intervals, the probability of saving by year and every iteration, reproducibly', () => {
		const args = [modelFile, '--settings', settingsFile, '--iterations', '40', '--seed', '5', '--json'];
		const r = cli(args);
		expect(r.status).toBe(0);
		const out = JSON.parse(r.stdout);
		const u = out.uncertainty;
		expect(u.iterations).toBe(40);
		expect(u.parametersDrawn).toEqual(['price']);
		expect(u.perIteration.incremental).toHaveLength(40);
		expect(u.perIteration.incremental[0]).toHaveLength(5);
		// the interval and probability recomputed from the iterations the output carries
		const year1 = u.perIteration.incremental.map((row: number[]) => row[0]).sort((a: number, b: number) => a - b);
		const h = 39 * 0.025;
		expect(u.incremental.lower[0]).toBeCloseTo(year1[0] + h * (year1[1] - year1[0]), 6);
		const saving = u.perIteration.cumulativeIncremental.filter((row: number[]) => row[4] < 0).length / 40;
		expect(u.probabilitySaving[4]).toBe(saving);
		// the base case is the deterministic budget printed beside it
		expect(u.incremental.baseCase[0]).toBe(out.rows[0].incremental);
		expect(cli(args).stdout).toBe(r.stdout);
	});

	it('prints the yearly intervals and the probability of saving', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--iterations', '20', '--seed', '1']);
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/Budget impact under uncertainty: 20 iterations/);
		expect(r.stdout).toMatch(/2\.5th to 97\.5th percentiles/);
		expect(r.stdout).toMatch(/P\(saving\)/);
	});

	it.each([
		[['--iterations', '0'], /--iterations: 0 is not a positive whole number/],
		[['--iterations', '2.5'], /--iterations: "2\.5" is not a whole number/],
		[['--seed', '3'], /--seed and --redraw-invalid go with --iterations/]
	])('exits 2 naming the option: %s', (extra, message) => {
		const r = cli([modelFile, '--settings', settingsFile, ...extra]);
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(message);
	});
});
