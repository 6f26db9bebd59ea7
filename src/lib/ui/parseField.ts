/**
 * Parses what a user typed into a numeric field. A bad entry gives a message that names the
 * field and says what was expected; it never throws, so other edits are kept.
 */
import { parameterValueProblem, type Parameter } from '$lib/engine';

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

/** Accepts "1234", "1,234.5", "1e-3", " 0.2 "; rejects empty text and anything else. */
export function parseNumber(text: string): number | null {
	const t = text.trim().replace(/,/g, '');
	if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
	const v = Number(t);
	return Number.isFinite(v) ? v : null;
}

export function parseParameter(label: string, parameter: Pick<Parameter, 'kind'>, text: string): Parsed {
	const v = parseNumber(text);
	if (v === null) return { ok: false, message: `${label}: "${text}" is not a number` };
	const problem = parameterValueProblem(parameter, v);
	if (problem) return { ok: false, message: `${label}: ${problem}` };
	return { ok: true, value: v };
}

export interface NumberRule {
	min?: number;
	max?: number;
	integer?: boolean;
	/** the text shown for the expected range */
	what: string;
}

export function parseSetting(label: string, text: string, rule: NumberRule): Parsed {
	const v = parseNumber(text);
	if (v === null) return { ok: false, message: `${label}: "${text}" is not a number` };
	if ((rule.integer && !Number.isInteger(v)) || (rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max))
		return { ok: false, message: `${label}: ${v} is not ${rule.what}` };
	return { ok: true, value: v };
}
