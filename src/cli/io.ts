/** Shared CLI plumbing: reading a model file, reporting errors with exit code 2, formatting. */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileJson, fileSizeProblem, MAX_MODEL_FILE_BYTES, MAX_WILLINGNESS_TO_PAY, ModelError, moneyText, quoteControl, type CompiledModel } from '../lib/engine';

export class UsageError extends Error {}

/**
 * Reads a text file of at most `max` bytes: a regular file only (not a device such as
 * /dev/zero, a pipe or a directory), and never more than `max` + 1 bytes of it, so a file that
 * grows while it is read is refused too.
 */
export function readTextFile(file: string, max = MAX_MODEL_FILE_BYTES): string {
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch (e) {
		throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
	}
	try {
		const stat = fstatSync(fd);
		if (!stat.isFile()) throw new UsageError(`cannot read ${file}: not a regular file`);
		const tooBig = fileSizeProblem(stat.size, max);
		if (tooBig) throw new UsageError(`cannot read ${file}: ${tooBig}`);
		const buffer = Buffer.alloc(Math.min(stat.size, max) + 1);
		let length = 0;
		for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
		if (length > max) throw new UsageError(`cannot read ${file}: ${fileSizeProblem(length, max) ?? 'it grew while it was read'}`);
		return buffer.toString('utf8', 0, length);
	} finally {
		closeSync(fd);
	}
}

/**
 * Creates an output folder and its missing parents, one level at a time. (Node's
 * `mkdirSync(dir, { recursive: true })` loops for ever on a path it can never create, such as
 * one under /proc; a plain mkdir fails at once with the reason.)
 */
export function ensureDirectory(dir: string): void {
	const missing: string[] = [];
	for (let d = resolve(dir); ; d = dirname(d)) {
		let isDirectory: boolean | null = null;
		try {
			isDirectory = statSync(d).isDirectory();
		} catch {
			// does not exist (or cannot be seen): create it after its parent
		}
		if (isDirectory === false) throw new UsageError(`cannot write results to ${dir}: ${d} is not a folder`);
		if (isDirectory) break;
		missing.push(d);
		if (dirname(d) === d) break;
	}
	for (const d of missing.reverse()) {
		try {
			mkdirSync(d);
		} catch (e) {
			throw new UsageError(`cannot write results to ${dir}: ${e instanceof Error ? e.message : String(e)}`);
		}
	}
}

/** Reads and compiles a model file; a bad file becomes a ModelError naming the file; warnings go to stderr. */
export function loadModel(file: string): CompiledModel {
	const text = readTextFile(file);
	let cm: CompiledModel;
	try {
		cm = compileJson(text);
	} catch (e) {
		if (e instanceof ModelError) throw new FileModelError(file, e);
		throw e;
	}
	for (const w of cm.warnings) writeErr(`${file}: warning: ${w.path}: ${w.message}\n`);
	return cm;
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

/** `--help` was asked for: guard() prints the usage on stdout and exits 0. */
export class HelpRequest extends Error {}

/** Writes program output on stdout, with control characters (from labels, titles) quoted; line breaks kept. */
export function writeOut(text: string): void {
	process.stdout.write(quoteControl(text, true));
}

/** Writes a message on stderr, as writeOut. */
export function writeErr(text: string): void {
	process.stderr.write(quoteControl(text, true));
}

/** Runs a command body: invalid input exits 2 with a message naming file and path, no stack trace. */
export async function guard(body: () => Promise<void> | void): Promise<void> {
	try {
		await body();
	} catch (e) {
		if (e instanceof HelpRequest) {
			writeOut(`${e.message}\n`);
		} else if (e instanceof FileModelError) {
			for (const i of e.cause.issues) writeErr(`${e.file}: ${i.path || '(model)'}: ${i.message}\n`);
			process.exitCode = 2;
		} else if (e instanceof ModelError) {
			for (const i of e.issues) writeErr(`${i.path || '(input)'}: ${i.message}\n`);
			process.exitCode = 2;
		} else if (e instanceof UsageError) {
			writeErr(`${e.message}\n`);
			process.exitCode = 2;
		} else {
			writeErr(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
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

/** --wtp: a willingness to pay per QALY, at least 0 and at most MAX_WILLINGNESS_TO_PAY. */
export function wtpOption(value: string | undefined): number | undefined {
	const v = numberOption('wtp', value);
	if (v !== undefined && !(v >= 0 && v <= MAX_WILLINGNESS_TO_PAY))
		throw new UsageError(`--wtp: ${v} is not a willingness to pay per QALY in [0, ${MAX_WILLINGNESS_TO_PAY.toLocaleString('en-GB')}]`);
	return v;
}

export function formatMoney(v: number | null, currency: string): string {
	if (v === null || !Number.isFinite(v)) return '-';
	return moneyText(v, currency);
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
