#!/usr/bin/env node
// The command line, compiled ahead of time (ARCHITECTURE.md, "The command line"): the TypeScript
// sources of src/cli and src/lib are bundled once by esbuild into one ES module, and every later
// run starts that bundle with plain Node (no TypeScript loader, only the modules the CLI uses).
// The bundle is rebuilt when any source is newer than it, so the first run after `npm ci` or an
// edit builds it (about half a second) and later runs start at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'node_modules', '.cache', 'celltherapy-cli', 'model.mjs');
const watched = [join(root, 'src', 'cli'), join(root, 'src', 'lib'), join(root, 'package-lock.json')];

/** The newest modification time (ms) of a file, or of every file below a folder. */
function newest(path) {
	const info = statSync(path, { throwIfNoEntry: false });
	if (!info) return 0;
	if (!info.isDirectory()) return info.mtimeMs;
	let latest = info.mtimeMs;
	for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)));
	return latest;
}

const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (built === 0 || watched.some((path) => newest(path) > built)) {
	const { buildCli } = await import('./build-cli.mjs');
	await buildCli(root, bundle);
}
await import(pathToFileURL(bundle).href);
