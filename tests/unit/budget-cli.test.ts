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

	it('exits 2 on a bad --years', () => {
		const r = cli([modelFile, '--settings', settingsFile, '--years', '0']);
		expect(r.status).toBe(2);
		expect(r.stderr).toMatch(/--years/);
	});
});
