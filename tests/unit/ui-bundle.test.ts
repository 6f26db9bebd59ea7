import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { buildBundle, readBundle } from '../../src/lib/downloads/bundle';

const model = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));
const inputs = { modelId: 'hiv-chancellor', parameters: { rr: 0.6 }, settings: { horizon: 15 } };
const bundle = () =>
	buildBundle({ modelFileName: 'hiv-chancellor.json', model, scenarioName: 'RR 0.6', inputs, texts: { 'results/results.csv': 'a,b\n1,2\n' }, binaries: {}, psa: { iterations: 500, seed: 7 } });

describe('export bundle', () => {
	it('reads back the model, inputs and PSA seed it was built from', () => {
		const r = readBundle(bundle());
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.inputs).toEqual(inputs);
		expect(r.model).toEqual(model);
		expect(r.manifest).toMatchObject({ scenarioName: 'RR 0.6', psa: { iterations: 500, seed: 7 }, modelFile: 'model/hiv-chancellor.json' });
		expect(r.files).toEqual(expect.arrayContaining(['manifest.json', 'inputs.json', 'results/results.csv']));
	});

	it('leaves out, and names, the inputs that do not fit its model; refuses a bundle that is not a zip', () => {
		const files = unzipSync(bundle());
		files['inputs.json'] = strToU8(JSON.stringify({ ...inputs, parameters: { tpAB: 1.3, rr: 0.6 } }));
		const r = readBundle(zipSync(files));
		expect(r).toMatchObject({ ok: true, inputs: { parameters: { rr: 0.6 } }, dropped: [{ path: 'parameters.tpAB' }] });
		expect(readBundle(strToU8('not a zip'))).toMatchObject({ ok: false });
		const broken = unzipSync(bundle());
		const m = JSON.parse(strFromU8(broken['model/hiv-chancellor.json']));
		m.parameters.tpAB.value = 2;
		broken['model/hiv-chancellor.json'] = strToU8(JSON.stringify(m));
		expect(readBundle(zipSync(broken))).toMatchObject({ ok: false, message: expect.stringContaining('model file in the bundle is not valid') });
	});
});
