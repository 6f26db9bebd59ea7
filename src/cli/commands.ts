/**
 * What each command of the table in main.ts declares: its usage line and its options (Node's
 * `util.parseArgs` option specs). `parseCommand` parses them strictly, the same way for every
 * command: an unknown option, an option without its value, a value given to a switch or an
 * extra argument is a usage error (exit 2) in plain words with the command's usage, and
 * `--help` (or `-h`) prints the usage (exit 0). Adding a command: a `defineCommand` spec beside
 * its function, which starts with `parseCommand(name, spec, args)`, and one row in main.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { HelpRequest, UsageError } from './io';

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

export interface Command<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
	/** one line for `model --help` */
	summary: string;
	/** `model <name> <file> [--option value] ...` */
	usage: string;
	options: O;
	/** the names of the positional arguments, in order (e.g. ['file']); more are refused */
	positionals: string[];
}

/** Declares a command's options, keeping their types for parseCommand (an identity function for the types). */
export function defineCommand<const O extends ParseArgsOptionsConfig>(command: Command<O>): Command<O> {
	return command;
}

const HELP_FLAGS = new Set(['--help', '-h']);
/** a value that parseArgs would take for an option, e.g. `--wtp -5` */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity)/;

/**
 * Parses `args` against the command's options. A negative number after an option that takes a
 * value is that option's value (`--wtp -5` reads as `--wtp=-5`, then the command's range check
 * says why -5 is refused).
 *   parseCommand(run, ['m.json', '--wtp', '30000']) -> { values: { wtp: '30000', json: false }, positionals: ['m.json'] }
 *   parseCommand(run, ['m.json', '--foo'])          -> UsageError 'unknown option --foo ...'
 */
export function parseCommand<O extends ParseArgsOptionsConfig>(name: string, command: Command<O>, args: string[]): Parsed<O> {
	const end = args.indexOf('--');
	const flags = end < 0 ? args : args.slice(0, end);
	if (flags.some((a) => HELP_FLAGS.has(a))) throw new HelpRequest(`usage: ${command.usage}\n${command.summary}`);
	const joined: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		const spec = a.startsWith('--') && !a.includes('=') && (end < 0 || i < end) ? ownOption(command.options, a.slice(2)) : undefined;
		if (spec?.type === 'string' && i + 1 < args.length && NEGATIVE_NUMBER.test(args[i + 1])) joined.push(`${a}=${args[++i]}`);
		else joined.push(a);
	}
	let parsed: Parsed<O>;
	try {
		parsed = parseArgs({ args: joined, options: command.options, allowPositionals: true, strict: true }) as Parsed<O>;
	} catch (e) {
		throw new UsageError(`model ${name}: ${plainParseError(e, command.options)}\nusage: ${command.usage}`);
	}
	if (parsed.positionals.length > command.positionals.length)
		throw new UsageError(`model ${name}: unexpected argument "${parsed.positionals[command.positionals.length]}" (expected ${command.positionals.join(', ') || 'none'})\nusage: ${command.usage}`);
	return parsed;
}

function ownOption(options: ParseArgsOptionsConfig, name: string) {
	return Object.hasOwn(options, name) ? options[name] : undefined;
}

/** parseArgs's messages (written for programmers) in a user's words. */
function plainParseError(e: unknown, options: ParseArgsOptionsConfig): string {
	const code = (e as { code?: string }).code;
	const message = e instanceof Error ? e.message : String(e);
	const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
	switch (code) {
		case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
			return `unknown option ${option}; options: ${Object.keys(options).map((o) => `--${o}`).join(', ')}`;
		case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
			return /argument missing|ambiguous/.test(message) ? `option ${option} needs a value` : `option ${option} takes no value`;
		default:
			return message;
	}
}
