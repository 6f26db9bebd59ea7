import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { traceBands } from '../../src/lib/ui/bands';
import { compileJson } from '../../src/lib/engine';

describe('trace bands declared by the model', () => {
	it('sums the declared states into bands in the declared order; states in no band keep their own line', () => {
		const ids = ['none', 'mild', 'none_next', 'mild_next', 'other', 'dead'];
		const labels = ['EDSS 0', 'EDSS 1-3.5', 'EDSS 0, next line', 'EDSS 1-3.5, next line', 'Other', 'Dead'];
		const bands = traceBands({ label: 'Disability bands', bands: [{ label: 'EDSS 0', states: ['none', 'none_next'] }, { label: 'EDSS 1-3.5', states: ['mild', 'mild_next'] }] }, ids, labels, [false, false, false, false, false, true]);
		expect(bands?.map((b) => [b.label, b.states, b.dead])).toEqual([
			['EDSS 0', [0, 2], false],
			['EDSS 1-3.5', [1, 3], false],
			['Other', [4], false],
			['Dead', [5], true]
		]);
	});

	it('is null when the model declares no bands (no rule on state labels in the app)', () => {
		expect(traceBands(undefined, ['A', 'B', 'D'], ['EDSS 0', 'EDSS 1-3.5', 'Death'], [false, false, true])).toBeNull();
	});

	it('the shipped MS and SLE models band every state exactly once', () => {
		for (const file of ['models/ms.json', 'models/sle.json']) {
			const cm = compileJson(readFileSync(file, 'utf8'));
			const listed = cm.model.traceBands!.bands.flatMap((b) => b.states).sort();
			expect(listed, file).toEqual([...cm.model.states.map((s) => s.id)].sort());
		}
	});

	it('compile names an unknown or repeated state in a band by its path', () => {
		const m = JSON.parse(readFileSync('models/sle.json', 'utf8'));
		m.traceBands.bands[0].states.push('nowhere');
		expect(() => compileJson(JSON.stringify(m))).toThrow(/traceBands\.bands\.0\.states\.2: no state "nowhere"/);
		const r = JSON.parse(readFileSync('models/sle.json', 'utf8'));
		r.traceBands.bands[1].states.push('drugfree');
		expect(() => compileJson(JSON.stringify(r))).toThrow(/traceBands\.bands\.1\.states\.2: state "drugfree" is already in another band/);
	});
});
