import { describe, it, expect } from 'vitest';
import { createScenarioStore } from '../../src/lib/state/scenarioStore';

/** A Storage over a Map, with an optional quota in characters (as browsers count roughly). */
class MemoryStorage implements Storage {
	map = new Map<string, string>();
	constructor(private quota = Infinity) {}
	get length() {
		return this.map.size;
	}
	key(i: number) {
		return [...this.map.keys()][i] ?? null;
	}
	getItem(k: string) {
		return this.map.get(k) ?? null;
	}
	setItem(k: string, v: string) {
		let used = 0;
		for (const [kk, vv] of this.map) if (kk !== k) used += kk.length + vv.length;
		if (used + k.length + v.length > this.quota) throw new DOMException('full', 'QuotaExceededError');
		this.map.set(k, v);
	}
	removeItem(k: string) {
		this.map.delete(k);
	}
	clear() {
		this.map.clear();
	}
}

let n = 0;
const opts = { newId: () => `id${++n}`, now: () => new Date('2026-11-27T10:00:00Z') };
const inputs = (v: number) => ({ modelId: 'ms', parameters: { c_ocr: v }, settings: {} });

describe('saved-scenario storage', () => {
	it('saves, lists, renames, duplicates and deletes', () => {
		const st = new MemoryStorage();
		const store = createScenarioStore(st, opts);
		const a = store.save('A', inputs(1));
		expect(a.ok).toBe(true);
		if (!a.ok) return;
		expect(store.list().scenarios.map((s) => s.name)).toEqual(['A']);
		const r = store.rename(a.scenario.id, 'A2', a.scenario.rev);
		expect(r.ok && r.scenario.name).toBe('A2');
		expect(store.duplicate(a.scenario.id).ok).toBe(true);
		expect(store.list().scenarios.map((s) => s.name).sort()).toEqual(['A2', 'A2 (copy)']);
		store.remove(a.scenario.id);
		expect(store.list().scenarios.map((s) => s.name)).toEqual(['A2 (copy)']);
	});

	it('sets aside an unreadable entry, migrates a version-0 entry, keeps the others', () => {
		const st = new MemoryStorage();
		st.setItem('cthe.scenario.bad', '{oops');
		st.setItem('cthe.scenario.v0', JSON.stringify({ name: 'Old', modelId: 'ms', parameters: { c_ocr: 3 } }));
		st.setItem('cthe.scenario.future', JSON.stringify({ format: 'cthe-scenario', version: 9, id: 'future' }));
		const store = createScenarioStore(st, opts);
		store.save('Fine', inputs(2));
		const { scenarios, notices } = store.list();
		expect(scenarios.map((s) => s.name).sort()).toEqual(['Fine', 'Old']);
		expect(st.getItem('cthe.setaside.bad')).toBe('{oops');
		expect(st.getItem('cthe.scenario.bad')).toBeNull();
		expect(st.getItem('cthe.setaside.future')).toContain('"version":9');
		expect(notices.join('\n')).toMatch(/not valid JSON/);
		expect(notices.join('\n')).toMatch(/newer version of the app \(format 9\)/);
		expect(notices.join('\n')).toMatch(/"Old" was in an older format/);
		expect(JSON.parse(st.getItem('cthe.scenario.v0') as string).version).toBe(1);
	});

	it('reports a full storage and leaves every entry as it was', () => {
		const st = new MemoryStorage(400);
		const store = createScenarioStore(st, opts);
		const a = store.save('A', inputs(1));
		expect(a.ok).toBe(true);
		const before = JSON.stringify([...st.map]);
		const big = { modelId: 'ms', parameters: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, i])), settings: {} };
		const b = store.save('B', big);
		expect(b).toMatchObject({ ok: false, message: expect.stringContaining('storage is full') });
		if (a.ok) expect(store.save('A', big, { id: a.scenario.id, knownRev: a.scenario.rev }).ok).toBe(false);
		expect(JSON.stringify([...st.map])).toBe(before);
	});

	it('keeps both versions when another tab saved the same scenario first', () => {
		const st = new MemoryStorage();
		const tab1 = createScenarioStore(st, opts);
		const tab2 = createScenarioStore(st, opts);
		const s = tab1.save('Shared', inputs(1));
		if (!s.ok) throw new Error('save failed');
		const known = { id: s.scenario.id, knownRev: s.scenario.rev };
		expect(tab1.save('Shared', inputs(2), known).ok).toBe(true);
		const late = tab2.save('Shared', inputs(3), known);
		expect(late).toMatchObject({ ok: true, notice: expect.stringContaining('another tab') });
		const values = tab1.list().scenarios.map((x) => [x.name, x.inputs.parameters.c_ocr]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
		expect(values).toEqual([
			['Shared', 2],
			['Shared (this tab)', 3]
		]);
	});
});
