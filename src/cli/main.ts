/**
 * Command-line runner: `npm run --silent model -- <command> <file> [options]`.
 * Exit 0 on success, 2 on invalid input (message on stderr naming file, path and reason).
 */
import { guard, loadModel, UsageError, writeOut } from './io';
import { defineCommand, parseCommand, type Command } from './commands';
import { RUN, runCommand } from './run';
import { PSA, psaCommand } from './psa';
import { DSA, dsaCommand } from './dsa';
import { THRESHOLD, thresholdCommand } from './threshold';
import { BUDGET, budgetCommand } from './budget';
import { BREAKEVEN, breakevenCommand } from './breakeven';
import { REPORT, reportCommand } from './report';
import { INPUTS, inputsCommand } from './inputs';
import { EVSI, evsiCommand } from './evsi';

/** A row of the command table: what the command accepts (for parsing and --help) and what it does. */
interface CommandEntry {
	spec: Command;
	run: (args: string[]) => void | Promise<void>;
}

const VALIDATE = defineCommand({ summary: 'check a model file; exit 2 with path-naming errors', usage: 'model validate <file>', positionals: ['file'], options: {} });

function validateCommand(args: string[]): void {
	const file = parseCommand('validate', VALIDATE, args).positionals[0];
	if (!file) throw new UsageError(`usage: ${VALIDATE.usage}`);
	const cm = loadModel(file);
	writeOut(`${file}: valid (${cm.parameterIds.length} parameters, ${cm.stateIds.length} states, ${cm.strategies.length} strategies)\n`);
}

/** The commands by name (a Map: `constructor` or `__proto__` is an unknown command, not an Object property). */
const commands = new Map<string, CommandEntry>([
	['run', { spec: RUN, run: runCommand }],
	['validate', { spec: VALIDATE, run: validateCommand }],
	['psa', { spec: PSA, run: psaCommand }],
	['evsi', { spec: EVSI, run: evsiCommand }],
	['dsa', { spec: DSA, run: dsaCommand }],
	['threshold', { spec: THRESHOLD, run: thresholdCommand }],
	['breakeven', { spec: BREAKEVEN, run: breakevenCommand }],
	['budget', { spec: BUDGET, run: budgetCommand }],
	['report', { spec: REPORT, run: reportCommand }],
	['inputs', { spec: INPUTS, run: inputsCommand }]
]);

export function registerCommand(name: string, entry: CommandEntry): void {
	commands.set(name, entry);
}

function help(): string {
	const rows = [...commands].map(([name, c]) => `  ${name.padEnd(10)} ${c.spec.summary}\n      ${c.spec.usage}`);
	return `usage: npm run --silent model -- <command> <file> [options]\n       npm run --silent model -- <command> --help\ncommands:\n${rows.join('\n')}`;
}

// a reader that stops early (`model budget ... --json | head`) closes the pipe: stop quietly, as
// Unix tools do, instead of an uncaught EPIPE
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(0);
	throw error;
});

// not awaited at the top level: the bundle is a CommonJS script (scripts/build-cli.mjs), and Node
// runs until the command's promise settles; guard catches every error and sets the exit code
void guard(async () => {
	const [name, ...rest] = process.argv.slice(2);
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		writeOut(help() + '\n');
		return;
	}
	const command = commands.get(name);
	if (!command) throw new UsageError(`unknown command "${name}"\n${help()}`);
	await command.run(rest);
});
