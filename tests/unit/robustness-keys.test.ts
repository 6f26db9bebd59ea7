/**
 * Issue 17, points 1, 2, 3 and 10: names that are also properties of every JavaScript object
 * (`constructor`, `toString`, `valueOf`, `hasOwnProperty`, `__proto__`) are ordinary names in
 * drafts, links, scenario files, saved scenarios and bundles; a zip bomb is refused before it
 * is inflated.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { Session, openModel } from '../../src/lib/state/session.svelte';
import { fitInputs, inputIssues } from '../../src/lib/state/inputs';
import { decodeScenario, encodeScenario } from '../../src/lib/state/urlCodec';
import { readScenarioFile, scenarioFile } from '../../src/lib/state/scenarioFile';
import { buildBundle, readBundle } from '../../src/lib/downloads/bundle';
import { compareInputs } from '../../src/lib/state/compare';
import { compile, type Model } from '../../src/lib/engine';

const hivText = readFileSync('models/hiv-chancellor.json', 'utf8');
const hiv = JSON.parse(hivText);
/** the HIV model with four parameters renamed after Object.prototype members */
const RENAMED: Record<string, string> = { cLamivudine: 'constructor', cZidovudine: 'toString', rr: 'valueOf', cDirectA: 'hasOwnProperty' };
const protoModel = JSON.parse(hivText.replace(/\b(cLamivudine|cZidovudine|rr|cDirectA)\b/g, (m) => RENAMED[m]));
const combinationCost = (s: Session) => (s.outcome.ok ? s.outcome.result.strategies[1].discounted.cost : NaN);

describe('point 1: parameters named after prototype members are fields like any other', () => {
	it('start unedited, take typed values into the results and reset', () => {
		const s = new Session(openModel(protoModel, 'file', 'proto.json'));
		expect(s.drafts.size).toBe(0);
		for (const id of Object.values(RENAMED)) expect(s.drafts.has(id)).toBe(false);
		expect(s.inputs.parameters).toEqual({});
		const base = combinationCost(s);
		expect(Number.isFinite(base)).toBe(true);
		s.drafts.set('constructor', '3000');
		s.drafts.set('valueOf', '0.6');
		expect(s.inputs.parameters).toEqual({ constructor: 3000, valueOf: 0.6 });
		expect(combinationCost(s)).toBeGreaterThan(base);
		s.drafts.set('toString', 'abc');
		expect(s.parameterState.errors.get('toString')).toMatch(/"abc" is not a number/);
		expect(s.parameterState.errors.has('constructor')).toBe(false);
		s.resetParameter('constructor');
		s.resetParameter('valueOf');
		s.resetParameter('toString');
		expect(s.drafts.size).toBe(0);
		expect(combinationCost(s)).toBe(base);
	});

	it('a compared scenario that does not set `constructor` shows the model value, not a function', () => {
		const open = openModel(protoModel, 'file', 'proto.json');
		const rows = compareInputs(open, [
			{ name: 'a', inputs: { modelId: 'hiv-chancellor', parameters: {}, settings: {} } },
			{ name: 'b', inputs: { modelId: 'hiv-chancellor', parameters: { constructor: 3000 }, settings: {} } }
		]);
		const row = rows.find((r) => r.key === 'parameters.constructor');
		expect(row?.values).toEqual([protoModel.parameters.constructor.value, 3000]);
	});
});

describe('point 2: an override named after a prototype member is refused, the rest kept', () => {
	const model = compile(hiv).model as Model;
	const hostile = { modelId: 'hiv-chancellor', parameters: { constructor: 1, toString: 2, hasOwnProperty: 3, cLamivudine: 3000 }, settings: {} };

	it('in the input checks', () => {
		const issues = inputIssues(model, hostile);
		expect(issues.map((i) => i.path).sort()).toEqual(['parameters.constructor', 'parameters.hasOwnProperty', 'parameters.toString']);
		expect(issues[0].message).toMatch(/^no parameter named "/);
		expect(fitInputs(model, hostile).inputs.parameters).toEqual({ cLamivudine: 3000 });
	});

	it('in a link', () => {
		const d = decodeScenario(encodeScenario(hostile));
		expect(d.ok).toBe(true);
		if (!d.ok) return;
		const fit = fitInputs(model, d.inputs);
		expect(fit.inputs.parameters).toEqual({ cLamivudine: 3000 });
		expect(fit.issues).toHaveLength(3);
		// a `__proto__` key in the link's JSON never becomes a prototype or an input
		const proto = decodeScenario(Buffer.from('{"v":1,"m":"hiv-chancellor","p":{"__proto__":{"x":1},"cLamivudine":3000}}').toString('base64url'));
		expect(proto.ok && Object.getPrototypeOf(proto.inputs.parameters)).toBe(Object.prototype);
		expect(proto.ok && fitInputs(model, proto.inputs)).toMatchObject({ inputs: { parameters: { cLamivudine: 3000 } }, issues: [] });
	});

	it('in a scenario file', () => {
		const r = readScenarioFile(scenarioFile('hostile', model, hostile, 'test'), () => model);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.file.inputs.parameters).toEqual({ cLamivudine: 3000 });
		expect(r.dropped.map((i) => i.path).sort()).toEqual(['parameters.constructor', 'parameters.hasOwnProperty', 'parameters.toString']);
	});

	it('in a bundle', () => {
		const zip = buildBundle({ modelFileName: 'hiv.json', model: hiv, scenarioName: 'x', inputs: hostile, texts: {}, binaries: {}, psa: null });
		const r = readBundle(zip);
		expect(r).toMatchObject({ ok: true, inputs: { parameters: { cLamivudine: 3000 } } });
		expect(r.ok && r.dropped.map((i) => i.path).sort()).toEqual(['parameters.constructor', 'parameters.hasOwnProperty', 'parameters.toString']);
	});

	it('in a session, where applying the fitted inputs lets the model run', () => {
		const s = new Session(openModel(hiv, 'library', 'hiv-chancellor.json'));
		s.applyInputs(fitInputs(model, hostile).inputs);
		expect(s.outcome.ok).toBe(true);
		expect(s.inputs.parameters).toEqual({ cLamivudine: 3000 });
	});
});

const plainBundle = () => buildBundle({ modelFileName: 'hiv.json', model: hiv, scenarioName: 'x', inputs: { modelId: 'hiv-chancellor', parameters: {}, settings: {} }, texts: {}, binaries: {}, psa: null });

describe('point 3: a zip bomb in "Open a bundle" is refused before it is inflated', () => {
	it('an entry that inflates to 64 MB (from 0.1 MB) is refused with its size, and the heap does not grow by it', () => {
		const files = unzipSync(plainBundle());
		const zeros = new Uint8Array(64 * 1024 * 1024);
		const bomb = zipSync({ ...files, 'model/hiv.json': [zeros, { level: 9 }] });
		expect(bomb.length).toBeLessThan(1024 * 1024);
		const before = process.memoryUsage().arrayBuffers;
		const r = readBundle(bomb);
		const grown = process.memoryUsage().arrayBuffers - before;
		expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/model\/hiv\.json would inflate to 64\.0 MB; a bundle entry read by the app is at most 16 MB/) });
		expect(grown).toBeLessThan(16 * 1024 * 1024);
	});

	it('entries the app does not read (charts, CSVs) are never inflated, whatever their size', () => {
		const files = unzipSync(plainBundle());
		const bomb = zipSync({ ...files, 'charts/huge.png': [new Uint8Array(64 * 1024 * 1024), { level: 1 }] });
		const r = readBundle(bomb);
		expect(r).toMatchObject({ ok: true });
		expect(r.ok && r.files).toContain('charts/huge.png');
	});

	it('a manifest over 1 MB is refused', () => {
		const files = unzipSync(plainBundle());
		const big = strToU8(' '.repeat(2 * 1024 * 1024) + strFromU8(files['manifest.json']));
		expect(readBundle(zipSync({ ...files, 'manifest.json': big }))).toMatchObject({ ok: false, message: expect.stringContaining('manifest.json would inflate to 2.0 MB') });
	});
});

describe('point 10: bundle entries are looked up by own key', () => {
	const withManifest = (patch: Record<string, unknown>, extra: Record<string, Uint8Array> = {}) => {
		const files = unzipSync(plainBundle());
		const manifest = { ...JSON.parse(strFromU8(files['manifest.json'])), ...patch };
		return readBundle(zipSync({ ...files, ...extra, 'manifest.json': strToU8(JSON.stringify(manifest)) }));
	};

	it('modelFile "constructor", "__proto__" or outside model/ is refused by name', () => {
		for (const name of ['constructor', '__proto__', 'toString', '../model.json', 'inputs.json'])
			expect(withManifest({ modelFile: name })).toMatchObject({ ok: false, message: expect.stringContaining('is not a model file in the bundle') });
	});

	it('an entry named __proto__ is listed as an entry, and pollutes nothing', () => {
		// zipSync keys its input by name, so the entry is written as __PROTO__ and renamed in the bytes
		const files = unzipSync(plainBundle());
		const zip = zipSync({ ...files, __PROTO__: strToU8('{"polluted":true}'), constructor: strToU8('x') });
		const from = strToU8('__PROTO__');
		const to = strToU8('__proto__');
		for (let i = 0; i + from.length <= zip.length; i++) if (from.every((b, k) => zip[i + k] === b)) zip.set(to, i);
		const r = readBundle(zip);
		expect(r.ok).toBe(true);
		expect(r.ok && r.files).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'manifest.json']));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('a model file missing from the zip is named', () => {
		expect(withManifest({ modelFile: 'model/other.json' })).toMatchObject({ ok: false, message: 'model/other.json is missing' });
	});
});
