// Adds up the results of every test runner and prints the closing line "N passed, M failed".
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.test-output';
let passed = 0;
let failed = 0;
let skipped = 0;

const check = join(dir, 'check.txt');
if (existsSync(check)) readFileSync(check, 'utf8').includes('ok') ? passed++ : failed++;
else failed++;

const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
	const r = JSON.parse(readFileSync(vitest, 'utf8'));
	passed += r.numPassedTests;
	failed += r.numFailedTests + (r.numFailedTestSuites ?? 0);
	skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
	if (r.numTotalTests === 0) failed++;
} else failed++;

const pw = join(dir, 'playwright.json');
if (existsSync(pw)) {
	const r = JSON.parse(readFileSync(pw, 'utf8'));
	const s = r.stats ?? {};
	passed += (s.expected ?? 0) + (s.flaky ?? 0);
	failed += s.unexpected ?? 0;
	skipped += s.skipped ?? 0;
	if ((r.errors ?? []).length > 0) failed += r.errors.length;
	if ((s.expected ?? 0) + (s.unexpected ?? 0) === 0) failed++;
} else failed++;

console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exit(failed === 0 ? 0 : 1);
