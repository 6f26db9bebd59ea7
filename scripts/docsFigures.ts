/**
 * Figures quoted in the docs come from the command line, so they cannot drift from it. A block
 *
 *     <!-- cli: npm run --silent model -- budget models/ms.json --years 10 -->
 *     ```
 *     (the command's exact output)
 *     ```
 *     <!-- /cli -->
 *
 * holds the output of its command. A block `<!-- cli-md: ... -->` ... `<!-- /cli-md -->` holds
 * output that is itself Markdown (e.g. `model inputs`, the evidence tables), without the fence.
 * `npm run docs:figures` (scripts/docs-figures.ts) runs every block's command and writes
 * the output into the block (README.md and docs/*.md); tests/unit/docs-figures.test.ts runs them
 * again and fails when a block differs. Only `npm run --silent model -- ...` commands are run,
 * as `node --import tsx src/cli/main.ts ...` (no shell).
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PREFIX = 'npm run --silent model -- ';
const BLOCK = /<!-- cli: (.+?) -->\n```[^\n]*\n([\s\S]*?)```\n<!-- \/cli -->/g;
const MARKDOWN_BLOCK = /<!-- cli-md: (.+?) -->\n([\s\S]*?)<!-- \/cli-md -->/g;

export interface FigureBlock {
	command: string;
	/** the output quoted in the file */
	quoted: string;
}

/** The files whose figures are checked: README.md and every docs/*.md. */
export function docFiles(root = '.'): string[] {
	return [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join(root, 'docs', f))];
}

/** Every block of a Markdown text. @example blocksOf(text)[0].command // 'npm run --silent model -- run models/ms.json' */
export function blocksOf(text: string): FigureBlock[] {
	return [...text.matchAll(BLOCK), ...text.matchAll(MARKDOWN_BLOCK)].map((m) => ({ command: m[1].trim(), quoted: m[2] }));
}

/** The arguments after `model --`; a command of another form, or with quotes, is refused. */
export function cliArgs(command: string): string[] {
	if (!command.startsWith(PREFIX)) throw new Error(`a docs figure block runs "${PREFIX}...", not "${command}"`);
	const rest = command.slice(PREFIX.length).trim();
	if (/["'`$\\|;&<>]/.test(rest)) throw new Error(`a docs figure block's command takes plain words only: "${command}"`);
	return rest.split(/\s+/);
}

/** Runs a block's command and returns its standard output, ending in one newline. */
export async function outputOf(command: string, cwd = '.'): Promise<string> {
	const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...cliArgs(command)], { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
	return stdout.endsWith('\n') ? stdout : `${stdout}\n`;
}

/** The text with every block's output replaced by `outputs[command]`. */
export function rewrite(text: string, outputs: Map<string, string>): string {
	return text
		.replace(BLOCK, (whole, command: string) => {
			const out = outputs.get(command.trim());
			return out === undefined ? whole : `<!-- cli: ${command.trim()} -->\n\`\`\`\n${out}\`\`\`\n<!-- /cli -->`;
		})
		.replace(MARKDOWN_BLOCK, (whole, command: string) => {
			const out = outputs.get(command.trim());
			return out === undefined ? whole : `<!-- cli-md: ${command.trim()} -->\n${out}<!-- /cli-md -->`;
		});
}

/** Runs every block's command and rewrites the files whose blocks differ; returns the files changed. */
export async function updateDocs(root = '.'): Promise<string[]> {
	const files = docFiles(root);
	const commands = [...new Set(files.flatMap((f) => blocksOf(readFileSync(f, 'utf8')).map((b) => b.command)))];
	const outputs = new Map(await Promise.all(commands.map(async (c): Promise<[string, string]> => [c, await outputOf(c, root)])));
	const changed: string[] = [];
	for (const f of files) {
		const before = readFileSync(f, 'utf8');
		const after = rewrite(before, outputs);
		if (after !== before) {
			writeFileSync(f, after);
			changed.push(f);
		}
	}
	return changed;
}
