// Bundles the command line (src/cli/main.ts and what it imports) into one CommonJS script for
// Node 20 with esbuild (ARCHITECTURE.md, "The command line"). CommonJS, not an ES module, so that
// scripts/model.mjs can start it through node:vm with V8's code cache (Node 20 has no code cache
// for ES modules).
//
// The cache folder holds:
//   model.<hash>.cjs  the bundle, named by a hash of its text, so a name always means the same code
//   model.<hash>.v8   V8's code cache for that bundle, written by the first run (scripts/model.mjs)
//   manifest.json     the current bundle's name and the files it was built from (path, mtime, size):
//                     the sources esbuild read (its metafile), package-lock.json and this script
// Every file is written to a temporary name and renamed into place, so CLI processes started at
// the same moment never read a half-written one.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SCRIPT = fileURLToPath(import.meta.url);

/**
 * The default cache folder, or CELLTHERAPY_CLI_CACHE when set (tests build into their own).
 *
 * @param {string} root the repository's root folder
 * @returns {string}
 */
export function cacheFolder(root) {
	return process.env.CELLTHERAPY_CLI_CACHE || join(root, 'node_modules', '.cache', 'celltherapy-cli');
}

/**
 * Writes text or bytes to a file through a temporary name and a rename.
 *
 * @param {string} file
 * @param {string | Uint8Array} data
 */
function writeAtomically(file, data) {
	const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
	writeFileSync(temporary, data);
	renameSync(temporary, file);
}

/**
 * The files a build read, outside node_modules (package-lock.json stands for those), with their
 * folders (a file added beside a source can change what an import resolves to), with mtime and size.
 *
 * @param {string} root the repository's root folder
 * @param {import('esbuild').Metafile} metafile what esbuild read
 * @param {number} startedAt when the build started (ms since 1970)
 * @returns {[string, number, number][]} path from the root, mtime (ms), size
 */
function inputsOf(root, metafile, startedAt) {
	const files = Object.keys(metafile.inputs)
		.filter((input) => !input.split('/').includes('node_modules'))
		.map((input) => resolve(root, input));
	const folders = new Set(files.map((file) => dirname(file)));
	const paths = [...files, ...folders, join(root, 'package-lock.json'), SCRIPT];
	const now = Date.now();
	return paths.map((path) => {
		const info = statSync(path, { throwIfNoEntry: false });
		// changed while esbuild was reading it: recorded as changed, so the next run builds again
		// (a time ahead of the clock is not a change during the build, and is recorded as it is)
		if (!info || (info.mtimeMs >= startedAt && info.mtimeMs <= now)) return [relative(root, path), -1, -1];
		return [relative(root, path), info.mtimeMs, info.isDirectory() ? 0 : info.size];
	});
}

/**
 * Builds the bundle into the cache folder and returns its path.
 *
 * @param {string} root the repository's root folder
 * @param {string} [folder] the cache folder (default: cacheFolder(root))
 * @returns {Promise<string>} the bundle's path
 */
export async function buildCli(root, folder = cacheFolder(root)) {
	mkdirSync(folder, { recursive: true });
	const startedAt = Date.now();
	const result = await build({
		absWorkingDir: root,
		entryPoints: [join(root, 'src', 'cli', 'main.ts')],
		write: false,
		outfile: join(folder, 'model.cjs'),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		minify: true,
		metafile: true,
		legalComments: 'eof',
		logLevel: 'error',
		// the sources are ES modules, strict mode throughout; the bundle keeps them so
		banner: { js: '"use strict";' }
	});
	const text = result.outputFiles[0].contents;
	const name = `model.${createHash('sha256').update(text).digest('hex').slice(0, 16)}.cjs`;
	writeAtomically(join(folder, name), text);
	writeAtomically(join(folder, 'manifest.json'), JSON.stringify({ bundle: name, builtAt: startedAt, inputs: inputsOf(root, result.metafile, startedAt) }));
	// earlier bundles and their code caches (a process that read one already holds it in memory)
	for (const file of readdirSync(folder))
		if (/^model\.[0-9a-f]+\.(cjs|v8)$/.test(file) && !file.startsWith(name.slice(0, -'cjs'.length)))
			rmSync(join(folder, file), { force: true });
	return join(folder, name);
}
