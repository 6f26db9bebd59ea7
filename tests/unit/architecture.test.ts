/**
 * The import rules of ARCHITECTURE.md, checked on the source tree: callers reach the engine only
 * through its index, the engine stays pure, and comments cite nothing outside the repository.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import ts from 'typescript';

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

const source = (dir: string) => filesUnder(dir).filter((f) => /\.(ts|svelte|js|mjs)$/.test(f));
const engineFiles = source('src/lib/engine');
const callerFiles = [...source('src/lib'), ...source('src/routes')].filter((f) => !f.startsWith('src/lib/engine'));

describe('ARCHITECTURE.md import rules', () => {
	it('pages, components, state, downloads, charts and the worker import the engine only as $lib/engine', () => {
		const deep = callerFiles.filter((f) => /\$lib\/engine\//.test(readFileSync(f, 'utf8')));
		expect(deep).toEqual([]);
		expect(callerFiles.length).toBeGreaterThan(20);
	});

	it('the CLI imports the engine only through its index', () => {
		const deep = source('src/cli').filter((f) => /lib\/engine\//.test(readFileSync(f, 'utf8')));
		expect(deep).toEqual([]);
	});

	it('the engine imports no DOM, Svelte, SvelteKit or Node module and never calls Math.random', () => {
		const impure = engineFiles.filter((f) => {
			const text = readFileSync(f, 'utf8');
			return /from '(svelte|\$app|node:|fs|path)/.test(text) || /Math\.random\s*\(/.test(text) || /\bdocument\.|\bwindow\./.test(text);
		});
		expect(impure).toEqual([]);
		expect(engineFiles.length).toBeGreaterThan(20);
	});

	it('generic app code names no strategy or parameter of a disease model (they live in model files)', () => {
		// ids of the disease models, as they would appear in code: a quoted string, outside comments
		const ids = ['models/ms.json', 'models/sle.json'].flatMap((file) => {
			const model = JSON.parse(readFileSync(file, 'utf8'));
			return [...model.strategies.map((strategy: { id: string }) => strategy.id), ...Object.keys(model.parameters)];
		});
		const words = ['ocrelizumab', 'natalizumab', 'interferon', 'aHSCT', 'EDSS', 'lupus', 'CAR-T'];
		const generic = [...callerFiles, ...source('src/cli')];
		const found: string[] = [];
		for (const file of generic) {
			const code = readFileSync(file, 'utf8')
				.replace(/\/\*[\s\S]*?\*\//g, '')
				.replace(/<!--[\s\S]*?-->/g, '')
				.replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
			for (const id of ids) if (new RegExp(`['"\`]${id}['"\`]`).test(code)) found.push(`${file}: "${id}"`);
			for (const word of words) if (new RegExp(`\\b${word}\\b`, 'i').test(code)) found.push(`${file}: ${word}`);
		}
		expect(found).toEqual([]);
		expect(ids.length).toBeGreaterThan(100);
	});

	it('each engine folder imports only the folders ARCHITECTURE.md allows it', () => {
		// the folder a file belongs to: model/, simulate/, ... or '' for the shared top-level files
		const folderOf = (file: string) => relative('src/lib/engine', file).split('/')[0].replace(/\.ts$/, '');
		const shared = new Set(['errors', 'records', 'limits', 'index']);
		const allowed: Record<string, string[]> = {
			model: [],
			simulate: ['model'],
			decide: ['model'],
			analysis: ['model', 'simulate', 'decide'],
			budget: ['model', 'simulate', 'decide', 'analysis']
		};
		const breaches: string[] = [];
		for (const file of engineFiles) {
			const own = folderOf(file);
			if (!(own in allowed)) continue;
			for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
				const target = folderOf(resolve(dirname(file), m[1]).slice(process.cwd().length + 1));
				if (target !== own && !shared.has(target) && !allowed[own].includes(target)) breaches.push(`${file} imports ${m[1]}`);
			}
		}
		expect(breaches).toEqual([]);
		expect(Object.keys(allowed).every((folder) => existsSync(join('src/lib/engine', folder)))).toBe(true);
	});

	it('code cites ARCHITECTURE.md principles that exist, and no file outside the repository', () => {
		expect(existsSync('ARCHITECTURE.md')).toBe(true);
		const architecture = readFileSync('ARCHITECTURE.md', 'utf8');
		const principles = new Set([...architecture.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));
		const all = [...source('src'), ...source('tests'), ...source('scripts'), ...source('bench'), ...source('wasm')];
		for (const file of all) {
			const text = readFileSync(file, 'utf8');
			if (file.endsWith('architecture.test.ts')) continue;
			expect(text, file).not.toMatch(/STYLE\.md|\.\.\/shared\//);
			for (const m of text.matchAll(/ARCHITECTURE\.md, principles? (\d+)(?: and (\d+))?/g)) {
				expect(principles.has(Number(m[1])), `${file} cites principle ${m[1]}`).toBe(true);
				if (m[2]) expect(principles.has(Number(m[2])), `${file} cites principle ${m[2]}`).toBe(true);
			}
		}
	});

	it('every exported function of the documented files has a doc comment with an @example', () => {
		const files = DOCUMENTED.flatMap((entry) => (statSync(entry).isDirectory() ? source(entry) : [entry])).filter((f) => f.endsWith('.ts') && !f.endsWith('batchKernels.ts'));
		const functions = files.flatMap((file) => exportedFunctions(readFileSync(file, 'utf8')).map((f) => ({ ...f, file })));
		const undocumented = functions.filter((f) => !/@example/.test(f.doc)).map((f) => `${f.file}: ${f.name}`);
		expect(undocumented).toEqual([]);
		expect(DOCUMENTED.filter((entry) => !existsSync(entry))).toEqual([]);
		expect(functions.length).toBeGreaterThan(180);
	});

	it('the doc-comment check sees a missing or example-less comment', () => {
		const text = ['/** Adds. */', 'export function add() {}', '', '/**', ' * Takes.', ' * @example', ' * take()', ' */', 'export function take() {}', 'export async function bare() {}'].join('\n');
		expect(exportedFunctions(text).map((f) => [f.name, /@example/.test(f.doc)])).toEqual([
			['add', false],
			['take', true],
			['bare', false]
		]);
	});

	it('no function in the engine is over 80 lines (TypeScript compiler API; generated batchKernels.ts excepted)', () => {
		const files = engineFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('batchKernels.ts'));
		const measured = files.flatMap((file) => functionLengths(file, readFileSync(file, 'utf8')));
		const long = measured.filter((f) => f.lines > 80).map((f) => `${f.file}:${f.line} ${f.name} ${f.lines}`);
		expect(long).toEqual([]);
		expect(measured.length).toBeGreaterThan(1000);
	});

	it('the function-length measure counts the lines of declarations, arrows and methods', () => {
		const text = ['function a() {', '\treturn 1;', '}', 'const b = (x: number) =>', '\tx + 1;', 'class C {', '\tm() {}', '}'].join('\n');
		expect(functionLengths('t.ts', text).map((f) => [f.name, f.line, f.lines])).toEqual([
			['a', 1, 3],
			['b', 4, 2],
			['m', 7, 1]
		]);
	});
});

/**
 * The engine files whose exported functions must each have a doc comment with its formula and
 * an `@example`: the whole engine (the generated simulate/wasm/batchKernels.ts excepted).
 */
const DOCUMENTED = ['src/lib/engine'];

/** Each `export function` of a file with the doc comment right before it ('' when there is none). */
function exportedFunctions(text: string): { name: string; doc: string }[] {
	return [...text.matchAll(/^export (?:async )?function\*? ?(\w+)/gm)].map((match) => {
		const before = text.slice(0, match.index).trimEnd();
		return { name: match[1], doc: before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '' };
	});
}

/** Every function (declaration, arrow, function expression, method) in a file, with its first line and its length in lines. */
function functionLengths(file: string, text: string): { file: string; line: number; name: string; lines: number }[] {
	const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: { file: string; line: number; name: string; lines: number }[] = [];
	const lineOf = (pos: number) => tree.getLineAndCharacterOfPosition(pos).line;
	const visit = (node: ts.Node) => {
		if (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) {
			const first = lineOf(node.getStart());
			const parent = node.parent;
			const name =
				node.name?.getText() ?? (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) ? parent.name.getText() : '(anonymous)');
			found.push({ file, line: first + 1, name, lines: lineOf(node.getEnd()) - first + 1 });
		}
		ts.forEachChild(node, visit);
	};
	visit(tree);
	return found;
}
