import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, run, SettingsOverride } from '../../src/lib/engine';

describe('a partial settings override', () => {
	it('keeps the model willingness to pay when it does not set one', () => {
		expect(SettingsOverride.parse({ horizon: 5 })).toEqual({ horizon: 5 });
		const model = { ...JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8')), willingnessToPay: 30000 };
		const r = run(compile(model), { settings: { horizon: 10 } });
		expect(r.settings.willingnessToPay).toBe(30000);
		expect(r.settings.horizon).toBe(10);
	});
});
