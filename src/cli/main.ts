/**
 * Command-line runner: `npm run --silent model -- <command> <file> [options]`.
 * Exit 0 on success, 2 on invalid input (message on stderr naming file, path and reason).
 */
import { guard, loadModel, UsageError } from './io';
import { runCommand } from './run';
import { psaCommand } from './psa';
import { dsaCommand } from './dsa';
import { thresholdCommand } from './threshold';
import { budgetCommand } from './budget';
import { reportCommand } from './report';

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, Command> = {
	run: runCommand,
	psa: psaCommand,
	dsa: dsaCommand,
	threshold: thresholdCommand,
	budget: budgetCommand,
	report: reportCommand,
	validate(args) {
		const file = args[0];
		if (!file) throw new UsageError('usage: model validate <file>');
		const cm = loadModel(file);
		process.stdout.write(
			`${file}: valid (${cm.parameterIds.length} parameters, ${cm.stateIds.length} states, ${cm.strategies.length} strategies)\n`
		);
	}
};

export function registerCommand(name: string, command: Command): void {
	commands[name] = command;
}

const HELP = `usage: npm run --silent model -- <command> <file> [options]
commands:
  run <file> [--scenario id] [--set param=value ...] [--wtp number] [--json]
  validate <file>
  psa <file> --iterations N --seed S [--wtp-range min:max:step] [--wtp x] [--reference id] [--evppi p1,p2 ...]
      [--population n --years y] [--payback oneOff:lifelong] [--redraw-invalid] [--json] [--out dir]
  dsa <file> [--wtp x] [--reference id] [--measure inmb|icer] [--two-way a,b [--steps n]] [--json]
  threshold <file> --param id --strategy id --comparator id [--wtp x] [--range lo:hi] [--tolerance t] [--json]
  report <file> [--scenario id] [--set param=value ...] [--wtp number] [--psa N --seed S] --out report.html
  budget <file> [--years N] [--settings budget.json] [--scenario id] [--set param=value ...] [--discount rate] [--json]`;

await guard(async () => {
	const [name, ...rest] = process.argv.slice(2);
	if (!name || name === '--help' || name === 'help') {
		process.stdout.write(HELP + '\n');
		return;
	}
	const command = commands[name];
	if (!command) throw new UsageError(`unknown command "${name}"\n${HELP}`);
	await command(rest);
});
