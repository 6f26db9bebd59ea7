/**
 * The caps every entry point applies before it reads or runs anything (the CLI, the app's file
 * and bundle openers, the URL, the Web Worker). One place, so a file refused by one is refused
 * by all.
 */

/** A model file, scenario file or inputs entry is read only up to this many bytes (the largest shipped model is about 0.12 MB). */
export const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;

/** A bundle's small JSON entries (manifest.json, inputs.json). */
export const MAX_BUNDLE_JSON_BYTES = 1024 * 1024;

/** A bundle (zip) file as opened, charts included. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/**
 * Whether a file of `bytes` bytes may be read, or the message saying why not.
 *   fileSizeProblem(2 ** 31) -> 'the file is 2,048 MB; a model file is at most 16 MB'
 */
export function fileSizeProblem(bytes: number, max = MAX_MODEL_FILE_BYTES, what = 'a model file'): string | null {
	if (bytes <= max) return null;
	const mb = (b: number) => `${(b / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
	return `the file is ${mb(bytes)}; ${what} is at most ${mb(max)}`;
}
