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
	| 'invalid-override';

export interface ModelIssue {
	path: string;
	code: ModelErrorCode;
	message: string;
}

export class ModelError extends Error {
	readonly issues: ModelIssue[];
	constructor(issues: ModelIssue[] | ModelIssue) {
		const list = Array.isArray(issues) ? issues : [issues];
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

export function issue(path: string, code: ModelErrorCode, message: string): ModelIssue {
	return { path, code, message };
}

/** Formats a path like heemod's messages: strategies.ahsct.transitions.mild.severe */
export function joinPath(...parts: (string | number)[]): string {
	return parts.filter((p) => p !== '').join('.');
}
