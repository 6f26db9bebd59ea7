import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeScenario, encodeScenario, fromBase64Url, toBase64Url } from '../../src/lib/state/urlCodec';

describe('scenario URL codec', () => {
	it('round-trips any inputs and name, using only URL-safe characters', () => {
		fc.assert(
			fc.property(
				fc.record({
					modelId: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
					parameters: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), fc.double({ noNaN: true, noDefaultInfinity: true })),
					horizon: fc.option(fc.integer({ min: 1, max: 2400 }), { nil: undefined })
				}),
				fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
				({ modelId, parameters, horizon }, name) => {
					const inputs = { modelId, parameters, settings: horizon === undefined ? {} : { horizon } };
					const code = encodeScenario(inputs, name);
					expect(code).toMatch(/^[A-Za-z0-9_-]*$/);
					const d = decodeScenario(code);
					expect(d.ok).toBe(true);
					if (d.ok) {
						expect(d.inputs.modelId).toBe(modelId);
						expect(Object.keys(d.inputs.parameters).sort()).toEqual(Object.keys(parameters).sort());
						for (const [k, v] of Object.entries(parameters)) expect(Object.is(d.inputs.parameters[k], v === 0 ? 0 : v) || d.inputs.parameters[k] === v).toBe(true);
						expect(d.inputs.settings).toEqual(inputs.settings);
						expect(d.name).toBe(name);
					}
				}
			)
		);
	});

	it('decodes base64url written independently (Node Buffer)', () => {
		const json = JSON.stringify({ v: 1, m: 'ms', p: { c_ocr: 25000 }, n: 'Prix réduit' });
		const code = Buffer.from(json, 'utf8').toString('base64url');
		expect(fromBase64Url(code)).toBe(json);
		expect(toBase64Url(json)).toBe(code);
		const d = decodeScenario(code);
		expect(d).toEqual({ ok: true, inputs: { modelId: 'ms', parameters: { c_ocr: 25000 }, settings: {} }, name: 'Prix réduit' });
	});

	it('rejects damaged links, other versions and invalid settings with a message', () => {
		expect(decodeScenario('%%%')).toMatchObject({ ok: false, message: expect.stringContaining('damaged') });
		const v2 = Buffer.from(JSON.stringify({ v: 2, m: 'ms' })).toString('base64url');
		expect(decodeScenario(v2)).toMatchObject({ ok: false, message: expect.stringContaining('format 2') });
		const bad = Buffer.from(JSON.stringify({ v: 1, m: 'ms', s: { horizon: -3 } })).toString('base64url');
		expect(decodeScenario(bad)).toMatchObject({ ok: false, message: expect.stringContaining('s.horizon') });
	});
});
