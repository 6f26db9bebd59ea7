/**
 * The command line: `model breakeven` against `model threshold` at three grid points, its
 * errors, and the verdict in `model run --json`.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';

const cli = (...args: string[]) => execFileSync('npx', ['tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('model breakeven', () => {
	it('grid prices at three points equal `model threshold` on c_hesc at the same efficacy and durability, to the stated tolerance', () => {
		const r = JSON.parse(cli('breakeven', 'models/ms.json', '--strategy', 'hesc', '--comparator', 'lifelong-dmt', '--wtp', '20000', '--steps', '3', '--json'));
		expect(r.levers.price.id).toBe('c_hesc');
		expect(r.grid).toHaveLength(3);
		expect(r.tolerance).toBe(0.01);
		for (const [j, i] of [
			[0, 0],
			[1, 1],
			[2, 2]
		]) {
			const pt = r.grid[j][i];
			const t = JSON.parse(
				cli('threshold', 'models/ms.json', '--param', 'c_hesc', '--strategy', 'hesc', '--comparator', 'lifelong-dmt', '--wtp', '20000', '--range', '0:1000000', '--tolerance', String(r.tolerance), '--set', `hr_prog_hesc=${pt.efficacy}`, '--set', `hesc_effect_years=${pt.durability}`, '--json')
			);
			expect(t.thresholds).toHaveLength(1);
			expect(Math.abs(t.thresholds[0] - pt.price)).toBeLessThanOrEqual(r.tolerance);
		}
	}, 60000);
	it('a strategy without levers and a reversed range exit 2 with the reason', () => {
		const a = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'breakeven', 'models/ms.json', '--strategy', 'no-dmt', '--comparator', 'lifelong-dmt'], { encoding: 'utf8' });
		expect(a.status).toBe(2);
		expect(a.stderr).toContain('strategy "no-dmt" declares no levers: break-even analysis needs strategies.no-dmt.levers');
		const b = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'breakeven', 'models/ms.json', '--strategy', 'hesc', '--comparator', 'lifelong-dmt', '--durability', '20:5'], { encoding: 'utf8' });
		expect(b.status).toBe(2);
		expect(b.stderr).toContain('durability range must go from low to high, got 20 to 5');
	}, 60000);
});

describe('model run --json', () => {
	it('has a verdict with structured fields and sentences', () => {
		// fields checked against the JSON's own strategy totals, not a conclusion (it moves with the evidence)
		const r = JSON.parse(cli('run', 'models/ms.json', '--json'));
		const strategies = r.strategies as { id: string; label: string; cost: number; qaly: number }[];
		const nmb = strategies.map((s) => 20000 * s.qaly - s.cost);
		const best = strategies[nmb.indexOf(Math.max(...nmb))];
		expect(r.verdict.best.ids).toEqual([best.id]);
		expect(r.verdict.comparisons.map((c: { strategyId: string }) => c.strategyId)).toEqual(['alemtuzumab', 'cladribine', 'ahsct', 'msc', 'hesc']);
		expect(r.verdict.sentences[0].startsWith(`At GBP 20,000 per QALY (GBP, 2024 prices), ${best.label}`)).toBe(true);
		expect(r.verdict.sentences.length).toBeGreaterThan(3);
	}, 60000);
});
