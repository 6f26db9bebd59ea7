/** `model run <file> --xlsx out.xlsx`: the workbook the app's Downloads give (src/lib/downloads/workbook.ts). */
import { writeFileSync } from 'node:fs';
import type { RunOptions, RunResult } from '../lib/engine';
import { resultRows } from '../lib/ui/resultsTable';
import { workbookBlob, workbookSheets } from '../lib/downloads/workbook';
import { UsageError } from './io';
import type { CompiledModel } from '../lib/engine';

/**
 * Writes the workbook of a run to `path` (exit 2 when it cannot be written).
 * @example await writeWorkbookFile('r.xlsx', compiled, result, { scenario: 'societal' })
 */
export async function writeWorkbookFile(path: string, compiled: CompiledModel, result: RunResult, options: RunOptions): Promise<void> {
	const sheets = workbookSheets({ model: compiled.model, result, rows: resultRows(result), options, scenarioName: result.scenario ? `model scenario ${result.scenario}` : 'command-line inputs' });
	const bytes = new Uint8Array(await (await workbookBlob(sheets)).arrayBuffer());
	try {
		writeFileSync(path, bytes);
	} catch (e) {
		throw new UsageError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`);
	}
	process.stderr.write(`Wrote ${path} (${sheets.map((s) => s.sheet).join(', ')}).\n`);
}
