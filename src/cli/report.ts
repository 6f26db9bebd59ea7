/**
 * `model report <file> [--scenario id] [--set p=v ...] [--wtp x] [--psa N --seed S] --out report.html`
 * Writes the self-contained HTML report (src/lib/report) that the app's Downloads also give.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRunner, modelComparison, runPsa, verdict } from '../lib/engine';
import { buildReport } from '../lib/report/report';
import { sha256Hex } from '../lib/report/hash';
import { APP_NAME, APP_VERSION } from '../lib/ui/appInfo';
import { emptyInputs, perspectiveOf } from '../lib/state/inputs';
import { inFile, loadModel, numberOption, parseSets, targetSettings, TARGET_OPTIONS, UsageError, wtpOption, writeOut } from './io';
import { progressReporter } from './psa';
import { defineCommand, parseCommand } from './commands';

export const REPORT = defineCommand({
	summary: 'a self-contained HTML report structured by CHEERS 2022 (inputs, results, verdict, charts, uncertainty)',
	usage: 'model report <file> [--scenario id] [--set param=value ...] [--wtp number] [--psa N --seed S] [--price-year year] [--currency code] --out report.html',
	positionals: ['file'],
	options: {
		scenario: { type: 'string' },
		set: { type: 'string', multiple: true },
		wtp: { type: 'string' },
		psa: { type: 'string' },
		seed: { type: 'string' },
		out: { type: 'string' },
		...TARGET_OPTIONS
	}
});
export const REPORT_USAGE = `usage: ${REPORT.usage}`;

/**
 * Runs the model (and a PSA when --psa is given), builds the report and writes it to --out; the
 * model file's SHA-256 is of its bytes as read. @example reportCommand(['models/ms.json', '--out', 'r.html'])
 */
export async function reportCommand(args: string[]): Promise<void> {
	const { values, positionals } = parseCommand('report', REPORT, args);
	const file = positionals[0];
	if (!file || !values.out) throw new UsageError(REPORT_USAGE);
	const iterations = numberOption('psa', values.psa);
	if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 2)) throw new UsageError(`--psa: "${values.psa}" is not a whole number of at least 2 iterations`);
	const seed = numberOption('seed', values.seed) ?? 1;
	if (!Number.isInteger(seed)) throw new UsageError(`--seed: "${values.seed}" is not a whole number`);
	const compiled = loadModel(file);
	const wtp = wtpOption(values.wtp);
	const settings = { ...targetSettings(values), ...(wtp === undefined ? {} : { willingnessToPay: wtp }) };
	const options = { scenario: values.scenario, parameters: parseSets(values.set), settings: Object.keys(settings).length ? settings : undefined };
	const bytes = readFileSync(file);
	const psa =
		iterations === undefined
			? null
			: inFile(file, () => {
					const bar = progressReporter(`PSA ${iterations} iterations`);
					const r = runPsa(compiled, { iterations, seed, options }, { onProgress: (p) => bar.update(p), chunk: Math.max(50, Math.ceil(iterations / 100)) });
					bar.done();
					return r;
				});
	const modelHash = await sha256Hex(new Uint8Array(bytes));
	// the verdict in plain words, from the same run (and the PSA's probabilities when one was run)
	const answer = inFile(file, () => verdict(createRunner(compiled).run(options), { comparison: modelComparison(compiled.model), psa: psa ?? undefined }));
	const html = inFile(file, () =>
		buildReport({
			model: compiled.model,
			compiled,
			options,
			scenarioName: values.scenario ? `model scenario ${values.scenario}` : 'command-line inputs',
			perspective: perspectiveOf(compiled.model, { ...emptyInputs(compiled.model.id), parameters: options.parameters }),
			modelFileName: basename(file),
			modelHash,
			hashedText: `the file's bytes as read (${bytes.length} bytes; check with sha256sum ${basename(file)})`,
			engineName: APP_NAME,
			engineVersion: APP_VERSION,
			createdAt: new Date(),
			psa,
			verdictSentences: answer.sentences
		})
	);
	try {
		writeFileSync(values.out, html);
	} catch (e) {
		throw new UsageError(`cannot write ${values.out}: ${e instanceof Error ? e.message : String(e)}`);
	}
	writeOut(`Wrote ${values.out} (${html.length} characters${psa ? `, PSA ${psa.iterations} iterations, seed ${seed}` : ''}).\n`);
}
