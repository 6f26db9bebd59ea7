/**
 * Typed model errors (ARCHITECTURE.md, principles 9 and 10): every error says where (a dotted path into the model
 * file), what went wrong, and what was expected, so the UI can show it beside the field.
 */
export type ModelErrorCode =
	| 'schema'
	| 'format-version'
	| 'duplicate-id'
	| 'unknown-reference'
	| 'expression-syntax'
	| 'expression-forbidden'
	| 'expression-type'
	| 'parameter-cycle'
	| 'parameter-range'
	| 'distribution'
	| 'probability-range'
	| 'probability-sum'
	| 'start-distribution'
	| 'not-finite'
	| 'invalid-override'
	| 'model-size';

export interface ModelIssue {
	path: string;
	code: ModelErrorCode;
	message: string;
}

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides, which a terminal or a text
 * field would act on (clear the screen, move the cursor, start a new line, reverse text).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text with its control characters written as escapes, so text from a model file (an
 * expression, a label) quoted in a message cannot clear a terminal or forge a line of output.
 * `keepNewlines` keeps line breaks (for output the program lays out in lines itself).
 * @example
 * quoteControl('a\u001b[2Jb\nvalid') === 'a\\u001b[2Jb\\nvalid'
 */
export function quoteControl(text: string, keepNewlines = false): string {
	return text.replace(keepNewlines ? CONTROL_EXCEPT_NEWLINE : CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export class ModelError extends Error {
	readonly issues: ModelIssue[];
	/** the issues' paths and messages have their control characters quoted (quoteControl) */
	constructor(issues: ModelIssue[] | ModelIssue) {
		const list = (Array.isArray(issues) ? issues : [issues]).map((i) => ({ ...i, path: quoteControl(String(i.path)), message: quoteControl(String(i.message)) }));
		super(list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
		this.name = 'ModelError';
		this.issues = list;
	}
	get path(): string {
		return this.issues[0]?.path ?? '';
	}
	get code(): ModelErrorCode {
		return this.issues[0]?.code ?? 'schema';
	}
}

/**
 * One problem: where (a dotted path into the file), what kind (a code), and a message in the
 * user's words (ARCHITECTURE.md, principle 9).
 * @example
 * issue('horizon', 'parameter-range', 'must be at least 1 cycle'); // { path: 'horizon', code: 'parameter-range', message: ... }
 */
export function issue(path: string, code: ModelErrorCode, message: string): ModelIssue {
	return { path, code, message };
}

/**
 * Formats a path like heemod's messages, empty parts left out.
 * @example
 * joinPath('strategies', 'ahsct', 'transitions', 'mild', 'severe'); // 'strategies.ahsct.transitions.mild.severe'
 * joinPath('payment', 'failureStates', 0, ''); // 'payment.failureStates.0'
 */
export function joinPath(...parts: (string | number)[]): string {
	return parts.filter((p) => p !== '').join('.');
}
