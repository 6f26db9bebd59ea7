/** The report builder: sections, self-containment, the state diagram's moves, the NMB statement, labels. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileJson, createRunner } from '$lib/engine';
import { buildReport } from '$lib/report/report';
import { SECTIONS, coveredItems, uncoveredItems } from '$lib/report/sections';
import { movesOf } from '$lib/report/stateDiagram';
import { sha256Hex } from '$lib/report/hash';
import { distributionText, priceTag } from '$lib/report/inputsSection';
import { niceTicks } from '$lib/report/svg';
import { icerQuadrant, icerText } from '$lib/ui/icerLabel';

const text = readFileSync('models/sick-sicker-intro.json', 'utf8');
const compiled = compileJson(text);
const base = {
	model: compiled.model,
	compiled,
	options: {},
	scenarioName: 'test <inputs>',
	perspective: 'Healthcare payer',
	modelFileName: 'sick-sicker-intro.json',
	modelHash: 'abc123',
	hashedText: 'the file',
	engineName: 'engine',
	engineVersion: '9.9.9',
	createdAt: new Date('2026-01-02T03:04:05Z')
};

describe('report', () => {
	const html = buildReport(base);

	it('has every section, in the order of the contents, and loads nothing from outside', () => {
		let at = 0;
		for (const s of SECTIONS) {
			const i = html.indexOf(`<section id="${s.id}"`);
			expect(i, s.id).toBeGreaterThan(at);
			at = i;
			expect(html).toContain(`<a href="#${s.id}">`);
		}
		// url(#arrow) is the arrowhead marker inside the same SVG
		expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
		expect(html).not.toMatch(/src="/);
		expect(html).toContain("default-src 'none'");
		// what the user typed is escaped
		expect(html).toContain('test &lt;inputs&gt;');
		expect(html).not.toContain('test <inputs>');
	});

	it('lists the CHEERS 2022 items it covers and the ones it leaves, 28 in all', () => {
		expect([...coveredItems(), ...uncoveredItems()].sort((a, b) => a - b)).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
		for (const n of [7, 8, 9, 10, 15, 16, 22, 23, 24]) expect(coveredItems()).toContain(n);
		for (const n of [2, 27, 28]) expect(uncoveredItems()).toContain(n);
	});

	it('draws the six moves of the Sick-Sicker model (self-loops left out)', () => {
		const moves = movesOf(compiled.model).map((m) => `${m.from}>${m.to}`);
		// read off the model file by hand: H to S1 and D, S1 to H, S2 and D, S2 to D
		expect(moves.sort()).toEqual(['H>D', 'H>S1', 'S1>D', 'S1>H', 'S1>S2', 'S2>D']);
		expect(html.match(/class="move"/g)).toHaveLength(6);
	});

	it('states the strategy with the highest NMB = WTP x QALYs - cost, and takes verdict sentences when given', () => {
		const r = createRunner(compiled).run();
		const wtp = r.settings.willingnessToPay;
		const best = [...r.strategies].sort((a, b) => wtp * b.discounted.qaly - b.discounted.cost - (wtp * a.discounted.qaly - a.discounted.cost))[0];
		const verdict = html.slice(html.indexOf('<section id="verdict"'), html.indexOf('<section id="uncertainty"'));
		expect(verdict).toContain(`${best.label} has the highest net monetary benefit`);
		const given = buildReport({ ...base, verdictSentences: ['Sentence one.', 'Sentence two.'] });
		const v2 = given.slice(given.indexOf('<section id="verdict"'), given.indexOf('<section id="uncertainty"'));
		expect(v2).toContain('<p>Sentence one.</p><p>Sentence two.</p>');
		expect(v2).not.toContain('has the highest net monetary benefit');
	});

	it('every input is a row, with its value, range and source or assumption', () => {
		const rows = html.match(/<tr data-param=/g) ?? [];
		expect(rows).toHaveLength(Object.keys(compiled.model.parameters).length);
		expect(html).toContain('no probabilistic sensitivity analysis was run'.replace('no', 'No'));
	});

	it('SHA-256 matches the FIPS 180-2 test vector', async () => {
		expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('labels', () => {
	const m = (v: number) => `GBP ${Math.round(v).toLocaleString('en-GB')}`;
	it('a negative ICER says which quadrant it is in', () => {
		expect(icerText(115690, 2.9486, m)).toBe('GBP 39,236 per QALY gained');
		expect(icerText(-2000, -0.1, m)).toBe('saves GBP 20,000 per QALY lost (south-west quadrant)');
		expect(icerText(-500, 0.2, m)).toBe('dominant (less costly, more effective)');
		expect(icerText(500, -0.2, m)).toBe('dominated (more costly, less effective)');
		expect(icerText(null, 1, m)).toBe('-');
		expect(icerQuadrant(-1, 0)).toBe('dominant');
		expect(icerQuadrant(0, 0)).toBe('same');
	});
	it('distributions, price years and axis ticks', () => {
		expect(distributionText({ type: 'beta', fromRange: true })).toBe('beta (low-high as a 95% interval)');
		expect(distributionText({ type: 'gamma', mean: 10, se: 2 })).toBe('gamma (mean 10, se 2)');
		expect(distributionText(undefined)).toBe('none (not drawn)');
		expect(priceTag({ currency: 'EUR', priceYear: 2019 })).toBe('EUR, 2019 prices');
		expect(priceTag({ value: 3 })).toBe('');
		expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
		// (40 + 230) / 5 = 54: the smallest of 10, 20, 50, 100 at least 54 is 100
		expect(niceTicks(-230, 40, 5)).toEqual([-300, -200, -100, 0, 100]);
	});
});

describe('model report (command line)', { timeout: 120_000 }, () => {
	const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
	it('needs --out, and a PSA of at least 2 iterations; errors exit 2 with the usage', () => {
		const noOut = cli('report', 'models/sick-sicker-intro.json');
		expect(noOut.status).toBe(2);
		expect(noOut.stderr).toContain('usage: model report');
		const onePsa = cli('report', 'models/sick-sicker-intro.json', '--psa', '1', '--out', join(tmpdir(), 'r.html'));
		expect(onePsa.status).toBe(2);
		expect(onePsa.stderr).toContain('--psa');
	});
	it('writes the report with the file\'s SHA-256', () => {
		const out = join(mkdtempSync(join(tmpdir(), 'report-')), 'r.html');
		const r = cli('report', 'models/sick-sicker-intro.json', '--set', 'cS1=5000', '--out', out);
		expect(r.status).toBe(0);
		const html = readFileSync(out, 'utf8');
		const sha = createHash('sha256').update(readFileSync('models/sick-sicker-intro.json')).digest('hex');
		expect(html).toContain(`data-testid="model-hash">${sha}<`);
		expect(html).toContain('cS1 = 5000');
	});
});
