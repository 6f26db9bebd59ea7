// `model run --subgroups` and `model psa --subgroups` (issue 19, item 1).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

function cli(...args: string[]) {
	const r = spawnSync(process.execPath, ['scripts/model.mjs', ...args], { encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const TIMEOUT = 120_000;

describe('model run --subgroups', () => {
	it('--json carries each subgroup, the weighted population and the value of heterogeneity', { timeout: TIMEOUT }, () => {
		const r = cli('run', 'models/ms.json', '--subgroups', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.subgroups.map((g: { id: string }) => g.id)).toEqual(['under-36', 'age-36-plus']);
		expect(out.subgroups.map((g: { horizon: number }) => g.horizon)).toEqual([71, 58]);
		// the population's cost of each strategy is the weighted sum of the subgroups' (0.5 each)
		out.population.strategies.forEach((s: { id: string; cost: number }, k: number) => {
			const sum = 0.5 * out.subgroups[0].strategies[k].cost + 0.5 * out.subgroups[1].strategies[k].cost;
			expect(s.cost).toBeCloseTo(sum, 6);
		});
		expect(out.valueOfHeterogeneity.value).toBeGreaterThanOrEqual(0);
		expect(out.population.verdict.sentences.length).toBeGreaterThan(0);
		expect(out.subgroups[0].evidence.kind).toBe('assumption');
	});

	it('prints a table per subgroup and the value of heterogeneity', { timeout: TIMEOUT }, () => {
		const r = cli('run', 'models/ms.json', '--subgroups');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('Under 36 at start [under-36]: weight 0.5');
		expect(r.stdout).toContain('Whole population');
		expect(r.stdout).toMatch(/Value of heterogeneity \(Espinoza et al\. 2014\): GBP [\d,]+ per person/);
	});

	it('--subgroup id gives the usual results of that subgroup, equal to its part of --subgroups', { timeout: TIMEOUT }, () => {
		const all = JSON.parse(cli('run', 'models/ms.json', '--subgroups', '--json').stdout);
		const one = cli('run', 'models/ms.json', '--subgroup', 'age-36-plus', '--json');
		expect(one.code).toBe(0);
		const r = JSON.parse(one.stdout);
		expect(r.strategies.map((s: { cost: number }) => s.cost)).toEqual(all.subgroups[1].strategies.map((s: { cost: number }) => s.cost));
		const unknown = cli('run', 'models/ms.json', '--subgroup', 'over-90');
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toMatch(/subgroup: no subgroup "over-90"; subgroups are under-36, age-36-plus/);
		const psa = cli('psa', 'models/ms.json', '--subgroup', 'over-90', '--iterations', '10');
		expect(psa.code).toBe(2);
		expect(psa.stderr).toContain('no subgroup "over-90"');
	});

	it('bad input exits 2 naming the field', { timeout: TIMEOUT }, () => {
		const none = cli('run', 'models/sle.json', '--subgroups');
		expect(none.code).toBe(2);
		expect(none.stderr).toMatch(/subgroups: model "sle" declares no subgroups/);
		const m = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));
		m.subgroups = [
			{ id: 'a', label: 'A', weight: 0.7, assumption: 'test', parameters: { notAParameter: 1 } },
			{ id: 'b', label: 'B', weight: 0.2, assumption: 'test' }
		];
		const file = join(mkdtempSync(join(tmpdir(), 'subgroups-')), 'bad.json');
		writeFileSync(file, JSON.stringify(m));
		const bad = cli('run', file, '--subgroups');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('subgroups.a.parameters.notAParameter');
		expect(bad.stderr).toMatch(/subgroups: the subgroups' weights sum to 0\.9, not 1/);
	});
});

describe('model psa --subgroups', () => {
	it('--json carries each subgroup\'s CEAC and EVPI and the value of heterogeneity', { timeout: TIMEOUT }, () => {
		const r = cli('psa', 'models/ms.json', '--subgroups', '--iterations', '50', '--seed', '2', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.iterations).toBe(50);
		expect(out.subgroups).toHaveLength(2);
		for (const g of [...out.subgroups, out.population]) {
			expect(g.evpiPerPerson).toBeGreaterThanOrEqual(0);
			const atZero = Object.values(g.ceac.probability).reduce((a: number, p) => a + (p as number[])[0], 0);
			expect(atZero).toBeCloseTo(1, 12); // the CEACs sum to 1 at every willingness to pay
		}
		expect(out.valueOfIndividualisedInformation).toBeCloseTo(out.valueOfHeterogeneity.value + out.evpiStratified, 6);
	});
	it('refuses options it does not combine with', { timeout: TIMEOUT }, () => {
		const r = cli('psa', 'models/ms.json', '--subgroups', '--evppi', 'c_ocr');
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('--subgroups does not go with --evppi');
	});
});
