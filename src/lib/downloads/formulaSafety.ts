/**
 * Spreadsheet formula injection (CWE-1236): a text cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets when a CSV or
 * workbook is opened. Every text cell this app writes into a CSV or a workbook goes through
 * `escapeFormula`, which prefixes such text with an apostrophe (OWASP, "CSV Injection"; the same
 * rule as papaparse's `escapeFormulae`). Numbers are written as numbers and are never escaped.
 *
 * @example escapeFormula('=HYPERLINK("x")') // "'=HYPERLINK(\"x\")"
 * @example escapeFormula('aHSCT') // 'aHSCT'
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A table for Papa.unparse with `escapeFormula` applied to its header and every text cell
 * (numbers, null and booleans pass through), so no CSV writer can forget a cell.
 *
 * @example formulaSafeTable({ fields: ['strategy'], data: [['=1+1', -5]] }) // { fields: ['strategy'], data: [["'=1+1", -5]] }
 */
export function formulaSafeTable<T>(table: { fields: string[]; data: T[][] }): { fields: string[]; data: (T | string)[][] } {
	const cell = (v: T | string) => (typeof v === 'string' ? escapeFormula(v) : v);
	return { fields: table.fields.map(escapeFormula), data: table.data.map((row) => row.map(cell)) };
}
