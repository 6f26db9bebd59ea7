#!/usr/bin/env node
// The command line, compiled ahead of time (ARCHITECTURE.md, "The command line"): the TypeScript
// sources of src/cli and src/lib are bundled by esbuild into one CommonJS script
// (scripts/build-cli.mjs), and every run starts that script with plain Node: no TypeScript loader,
// only the code the CLI uses, and V8's code cache, so the script is not compiled again.
//
// The bundle is rebuilt when a file it was built from (listed in the cache folder's manifest.json)
// has a different modification time or size than when it was built, so the first run after
// `npm ci` or an edit builds it (about half a second) and later runs start at once. The first run
// of a bundle writes V8's code cache for it (model.<hash>.v8) as it exits.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = process.env.CELLTHERAPY_CLI_CACHE || join(root, 'node_modules', '.cache', 'celltherapy-cli');

/** The current bundle's path, or undefined when there is none or a file it was built from changed. */
function currentBundle() {
	let manifest;
	try {
		manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
	} catch {
		return undefined;
	}
	for (const [path, mtimeMs, size] of manifest.inputs) {
		const info = statSync(join(root, path), { throwIfNoEntry: false });
		if (!info || info.mtimeMs !== mtimeMs || (!info.isDirectory() && info.size !== size)) return undefined;
	}
	return join(folder, manifest.bundle);
}

/** The bundle's text: the current one, or a new build (also when the current one was just replaced). */
async function bundleText() {
	const current = currentBundle();
	if (current) {
		try {
			return { bundle: current, text: readFileSync(current, 'utf8') };
		} catch {
			// removed by a build in another process since the manifest was read: build again below
		}
	}
	const { buildCli } = await import('./build-cli.mjs');
	const bundle = await buildCli(root, folder);
	return { bundle, text: readFileSync(bundle, 'utf8') };
}

const { bundle, text } = await bundleText();
const cacheFile = bundle.replace(/\.cjs$/, '.v8');
let cachedData;
try {
	cachedData = readFileSync(cacheFile);
} catch {
	cachedData = undefined;
}
// the module wrapper Node itself puts around a CommonJS file
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, { filename: bundle, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
	// the code cache, with the functions this run compiled, written once the run is over
	process.once('exit', () => {
		try {
			const temporary = `${cacheFile}.${process.pid}.tmp`;
			writeFileSync(temporary, script.createCachedData());
			renameSync(temporary, cacheFile);
		} catch {
			// a read-only cache folder: the next run compiles the script again
		}
	});
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
