/**
 * The societal perspective follows the switch parameter a model file declares (`societalSwitch`),
 * not a parameter name written in the app's code.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileJson, ModelError } from '../../src/lib/engine';
import { emptyInputs, perspectiveOf, societalSwitchOf } from '../../src/lib/state/inputs';

const msText = readFileSync('models/ms.json', 'utf8');

function problemsOf(text: string): { path: string; message: string }[] {
	try {
		compileJson(text);
		return [];
	} catch (e) {
		if (e instanceof ModelError) return e.issues.map((i) => ({ path: i.path, message: i.message }));
		throw e;
	}
}

describe('societalSwitch', () => {
	it('the perspective follows the declared switch: the file value, then the user edit', () => {
		const cm = compileJson(msText);
		const id = societalSwitchOf(cm.model);
		expect(id).toBe(JSON.parse(msText).societalSwitch);
		const base = cm.model.parameters[id as string].value;
		const inputs = emptyInputs(cm.model.id);
		expect(perspectiveOf(cm.model, inputs)).toBe(base === 1 ? 'Societal' : 'Healthcare payer');
		expect(perspectiveOf(cm.model, { ...inputs, parameters: { [id as string]: 1 } })).toBe('Societal');
		expect(perspectiveOf(cm.model, { ...inputs, parameters: { [id as string]: 0 } })).toBe('Healthcare payer');
	});

	it('without the declaration the perspective is a label, even if a parameter has the old name', () => {
		const model = JSON.parse(msText);
		delete model.societalSwitch;
		const cm = compileJson(JSON.stringify(model));
		expect(societalSwitchOf(cm.model)).toBeNull();
		expect(perspectiveOf(cm.model, { ...emptyInputs(cm.model.id), perspective: 'Societal' })).toBe('Societal');
	});

	it('an unknown parameter, or one not valued 0 or 1, is an error at societalSwitch', () => {
		const unknown = { ...JSON.parse(msText), societalSwitch: 'no_such_parameter' };
		expect(problemsOf(JSON.stringify(unknown))).toEqual([{ path: 'societalSwitch', message: 'no parameter "no_such_parameter"' }]);
		const model = JSON.parse(msText);
		const notSwitch = { ...model, societalSwitch: 'c_ocr' };
		expect(problemsOf(JSON.stringify(notSwitch))).toEqual([{ path: 'societalSwitch', message: 'parameter "c_ocr" must be a switch with value 0 or 1' }]);
	});
});
