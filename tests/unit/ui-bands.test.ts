import { describe, it, expect } from 'vitest';
import { disabilityBands } from '../../src/lib/ui/bands';

describe('disability bands from state labels', () => {
	it('groups states naming the same EDSS range, worst band last, death after', () => {
		const labels = ['RRMS EDSS 0, first line', 'RRMS EDSS 1-3.5, first line', 'RRMS EDSS 4-6, first line', 'RRMS EDSS 0, next-line DMT', 'RRMS EDSS 1-3.5, next-line DMT', 'SPMS EDSS 4–6', 'EDSS 6.5-9.5', 'Dead'];
		const bands = disabilityBands(labels, [false, false, false, false, false, false, false, true]);
		expect(bands?.map((b) => [b.label, b.states])).toEqual([
			['EDSS 0', [0, 3]],
			['EDSS 1-3.5', [1, 4]],
			['EDSS 4-6', [2, 5]],
			['EDSS 6.5-9.5', [6]],
			['Dead', [7]]
		]);
	});

	it('is null for models without EDSS ranges', () => {
		expect(disabilityBands(['CD4 200-500', 'CD4 < 200', 'AIDS', 'Death'], [false, false, false, true])).toBeNull();
	});
});
