/** The page's helpers for the verdict and the break-even panel: defaults, colours, bundle files. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { compileJson, modelComparison, run, type BreakevenResult } from '../../src/lib/engine';
import { firstOf, focusStrategy } from '../../src/lib/ui/comparison';
import { breakevenColour, breakevenScale, nearestIndex } from '../../src/lib/ui/breakevenView';
import { currentVerdict } from '../../src/lib/ui/verdictView';
import { defaultPaybackPair } from '../../src/lib/ui/payback';
import { answerFiles, buildBundle } from '../../src/lib/downloads/bundle';

const ms = compileJson(readFileSync('models/ms.json', 'utf8'));
const c = modelComparison(ms.model);

describe('defaults from the declared comparison', () => {
	it('the focus is the last one-off strategy with levers; firstOf skips the excluded id', () => {
		expect(focusStrategy(c)).toEqual({ id: 'hesc', levers: ms.model.strategies.find((s) => s.id === 'hesc')!.levers });
		expect(focusStrategy({ ...c, oneOff: [], levers: {} })).toBeNull();
		expect(firstOf(['a', 'b', 'c'], ['x', 'b'], 'b')).toBe('a');
		expect(firstOf(['a', 'b', 'c'], [null, 'c'])).toBe('c');
	});
	it('the payback pair is the declared one', () => {
		expect(defaultPaybackPair(run(ms), c)).toEqual({ oneOff: 'ahsct', comparator: 'lifelong-dmt' });
	});
});

describe('break-even heat map colours', () => {
	it('pale at the lowest price, deep at the highest, a pattern (null) for the other answers', () => {
		const s = { min: 100, max: 300 };
		expect(breakevenColour(100, s)).toEqual({ background: 'rgb(239, 246, 255)', text: '#000' });
		expect(breakevenColour(300, s)).toEqual({ background: 'rgb(30, 64, 175)', text: '#fff' });
		// halfway: (239 + 30) / 2 = 134.5 -> 135 (Math.round), (246 + 64) / 2 = 155, (255 + 175) / 2 = 215
		expect(breakevenColour(200, s)!.background).toBe('rgb(135, 155, 215)');
		expect(breakevenColour(null, s, 'no-price')).toBeNull();
		expect(nearestIndex([0, 10, 20], 14)).toBe(1);
		const grid = [[{ efficacy: 1, durability: 1, price: 5, status: 'price' as const }, { efficacy: 2, durability: 1, price: null, status: 'no-price' as const }]];
		expect(breakevenScale({ grid } as unknown as BreakevenResult)).toEqual({ min: 5, max: 5 });
	});
});

describe('the bundle holds the verdict', () => {
	it('results/verdict.json and verdict.txt carry the fields and sentences shown', () => {
		const v = currentVerdict(run(ms), c, null, null)!;
		const files = answerFiles(v, null);
		const zip = unzipSync(
			buildBundle({ modelFileName: 'ms.json', model: ms.model, scenarioName: 'x', inputs: { modelId: 'ms', parameters: {}, settings: {} } as never, texts: files, binaries: {}, psa: null })
		);
		expect(JSON.parse(strFromU8(zip['results/verdict.json'])).best.ids).toEqual(['no-dmt']);
		expect(strFromU8(zip['results/verdict.txt'])).toBe(v.sentences.join('\n') + '\n');
		expect(zip['results/breakeven.json']).toBeUndefined();
	});
});
