/** Shared CLI plumbing: reading a model file, reporting errors with exit code 2, formatting. */
import { readFileSync } from 'node:fs';
import { compileJson, ModelError, type CompiledModel } from '../lib/engine';

export class UsageError extends Error {}

/** Reads and compiles a model file; a bad file becomes a ModelError naming the file. */
export function loadModel(file: string): CompiledModel {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
	}
	try {
		return compileJson(text);
	} catch (e) {
		if (e instanceof ModelError) throw new FileModelError(file, e);
		throw e;
	}
}

/** Runs `fn`; a ModelError it throws (e.g. a probability out of range at some cycle) names `file`. */
export function inFile<T>(file: string, fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (e instanceof ModelError) throw new FileModelError(file, e);
		throw e;
	}
}

export class FileModelError extends Error {
	constructor(
		readonly file: string,
		readonly cause: ModelError
	) {
		super(cause.message);
	}
}

/** Runs a command body: invalid input exits 2 with a message naming file and path, no stack trace. */
export async function guard(body: () => Promise<void> | void): Promise<void> {
	try {
		await body();
	} catch (e) {
		if (e instanceof FileModelError) {
			for (const i of e.cause.issues) process.stderr.write(`${e.file}: ${i.path || '(model)'}: ${i.message}\n`);
			process.exitCode = 2;
		} else if (e instanceof ModelError) {
			for (const i of e.issues) process.stderr.write(`${i.path || '(input)'}: ${i.message}\n`);
			process.exitCode = 2;
		} else if (e instanceof UsageError) {
			process.stderr.write(`${e.message}\n`);
			process.exitCode = 2;
		} else {
			process.stderr.write(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
			process.exitCode = 1;
		}
	}
}

/** --set name=value pairs into a parameter map. */
export function parseSets(sets: string[] | undefined): Record<string, number> {
	const out: Record<string, number> = {};
	for (const s of sets ?? []) {
		const m = /^([A-Za-z][A-Za-z0-9_]*)=(.+)$/.exec(s);
		if (!m) throw new UsageError(`--set expects name=value, got "${s}"`);
		const v = Number(m[2]);
		if (m[2].trim() === '' || !Number.isFinite(v)) throw new UsageError(`--set ${m[1]}: "${m[2]}" is not a number`);
		out[m[1]] = v;
	}
	return out;
}

export function numberOption(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const v = Number(value);
	if (value.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name}: "${value}" is not a number`);
	return v;
}

export function formatMoney(v: number | null, currency: string): string {
	if (v === null || !Number.isFinite(v)) return '-';
	return `${currency} ${Math.round(v).toLocaleString('en-GB')}`;
}

/** A plain text table, columns padded; numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
	const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The options that set the currency and price year costs are converted to (`--price-year 2023 --currency USD`). */
export const TARGET_OPTIONS = { 'price-year': { type: 'string' }, currency: { type: 'string' } } as const;

/**
 * The settings `--price-year` and `--currency` ask for (empty when neither is given), checked:
 * a whole year from 1900 to 2200 and a three-letter currency code.
 */
export function targetSettings(values: { 'price-year'?: string; currency?: string }): { priceYear?: number; currency?: string } {
	const out: { priceYear?: number; currency?: string } = {};
	const year = numberOption('price-year', values['price-year']);
	if (year !== undefined) {
		if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new UsageError(`--price-year: "${values['price-year']}" is not a year from 1900 to 2200`);
		out.priceYear = year;
	}
	if (values.currency !== undefined) {
		if (!/^[A-Z]{3}$/.test(values.currency)) throw new UsageError(`--currency: "${values.currency}" is not a three-letter currency code such as GBP or USD`);
		out.currency = values.currency;
	}
	return out;
}
