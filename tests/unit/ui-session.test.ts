import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { Session, openModel } from '../../src/lib/state/session.svelte';

const model = JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8'));

describe('working session', () => {
	it('keeps valid edits in force when another field is invalid, naming the field', () => {
		const s = new Session(openModel(model, 'library', 'hiv-chancellor.json'));
		const base = s.outcome.ok ? s.outcome.result.strategies[1].discounted.cost : NaN;
		s.drafts.set('cLamivudine', '3000');
		s.drafts.set('tpAB', 'abc');
		s.settingDrafts.discountCosts = '1.2.3';
		expect(s.parameterState.errors.get('tpAB')).toBe('A to B (CD4 < 200): "abc" is not a number');
		expect(s.settingState.errors.discountCosts).toMatch(/^Discount rate, costs: /);
		expect(s.inputs.parameters).toEqual({ cLamivudine: 3000 });
		expect(s.errorCount).toBe(2);
		expect(s.outcome.ok && s.outcome.result.strategies[1].discounted.cost).toBeGreaterThan(base);
		s.drafts.set('tpAB', '1.5');
		expect(s.parameterState.errors.get('tpAB')).toBe('A to B (CD4 < 200): 1.5 is not a probability in [0, 1]');
	});

	it('applies inputs from a scenario, including settings with no field on the page, and drops defaults', () => {
		const s = new Session(openModel(model, 'library', 'hiv-chancellor.json'));
		s.applyInputs({ modelId: 'hiv-chancellor', parameters: { rr: 0.6, tpAB: 0.202 }, settings: { startAge: 50, discountRates: { costs: 0.035, outcomes: 0 } } });
		expect(s.inputs).toEqual({ modelId: 'hiv-chancellor', parameters: { rr: 0.6 }, settings: { startAge: 50, discountRates: { costs: 0.035, outcomes: 0 } } });
		expect(s.settingDrafts.discountCosts).toBe('3.5');
		s.resetAll();
		expect(s.inputs).toEqual({ modelId: 'hiv-chancellor', parameters: {}, settings: {} });
	});

	it('a transition row pushed past 1 is shown beside the edited field; the last good result stays shown', () => {
		const s = new Session(openModel(model, 'library', 'hiv-chancellor.json'));
		expect(s.shown).not.toBeNull();
		s.drafts.set('tpAB', '0.95');
		expect(s.outcome.ok).toBe(false);
		if (!s.outcome.ok) expect(s.outcome.issues[0].path).toMatch(/^strategies\.mono\.transitions\.A/);
		expect(s.shown?.result.parameters.tpAB).toBe(0.202);
		// the message stands beside the edited field in that row, not beside untouched ones
		expect(s.runErrors.get('tpAB')).toMatch(/^The model cannot run: strategies\.mono\.transitions\.A/);
		expect(s.runErrors.get('tpAC')).toBeUndefined();
	});
});
