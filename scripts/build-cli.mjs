// Bundles the command line (src/cli/main.ts and what it imports) into one ES module for Node 20
// with esbuild. Written to a temporary file and renamed into place, so CLI processes started at
// the same moment never read a half-written bundle.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

/**
 * @param {string} root the repository's root folder
 * @param {string} bundle the file to write
 */
export async function buildCli(root, bundle) {
	mkdirSync(dirname(bundle), { recursive: true });
	const temporary = `${bundle}.${process.pid}.${Date.now()}.tmp`;
	await build({
		entryPoints: [join(root, 'src', 'cli', 'main.ts')],
		outfile: temporary,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		minify: true,
		legalComments: 'eof',
		logLevel: 'error',
		// CommonJS dependencies bundled into an ES module may call require() for Node built-ins
		banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" }
	});
	renameSync(temporary, bundle);
}
