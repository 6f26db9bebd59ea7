/**
 * `npm run bench [-- --json] [-- --quick]`: speed and memory of the engine and the analyses,
 * each printed against its target with PASS/FAIL. Timings: runs are repeated in blocks of
 * about 20 ms; each block gives a wall time per run (performance.now()) and a CPU time per run
 * (process.cpuUsage, this process only); the medians over blocks are reported. Targets are
 * judged on CPU time ("on one core"), since on a shared machine the wall clock also counts
 * time given to other processes; both are printed. Tests never time anything; this is the
 * only place speed is checked.
 *
 * Targets:
 *  - one deterministic run of models/ms.json under 1 ms after compilation;
 *  - 10,000-iteration PSAs run again in the process (PSA_TARGETS_MS; judged on the median of up
 *    to three PSAs after compilation, as the deterministic run is judged after warm-up; the first
 *    PSA in the process is printed too, and the JavaScript backend's time beside WebAssembly's);
 *  - a 10,000-iteration PSA of a 200-state, 100-cycle model under 3 s and under 500 MB;
 *  - the CLI's whole process (model run on the HIV model) under 0.3 s;
 *  - a 1,000-iteration probabilistic budget of ms.json (models/budget/ms-uk.json: the budget and
 *    its five payment models over the PSA draws) under 2 s, run again in the process;
 *  - in the browser: PSA click to chart under 1 s, an edit to the repainted table under 50 ms,
 *    each with its stages (engine in the workers, summaries, transfer, main thread; bench/browser.ts)
 *    and the PSA in one worker for comparison;
 *  - the peak memory of the largest model and the largest PSA request the size limits accept
 *    (src/lib/engine/limits.ts), within the bounds documented in docs/security.md;
 * and, for information: compile time, DSA over all parameters, the ratio to a naive mathjs
 * implementation, and how run time grows with states and cycles (log-log slope).
 * Each model (and the synthetic section) runs in a fresh child process, so one model's
 * optimised code does not slow another's. `--quick` runs 1,000 PSA iterations and scales the
 * time by 10 (for a fast check).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { browserFigures } from './browser';
import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { compile, compileJson, createRunner, evppiCurve, evsi, modelSize, oneWay, parseBudgetSettings, psaBytes, runBudgetPsa, runPsa, sizeProblem, wtpRange, MAX_PSA_BYTES, MAX_RESULT_BYTES, MAX_RUN_MOVES, TOTALS, type CompiledModel } from '../src/lib/engine';
import { createNaive } from './naive';
import { createArena, loadKernels } from '../src/lib/engine/simulate/wasm/kernels';
import { syntheticModel } from './synthetic';
import { forgetParses } from '../src/lib/engine/model/expressions';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const PSA_ITERATIONS = 10_000;
const psaIterations = quick ? 1000 : PSA_ITERATIONS;

import type { Figure } from './figure';
const figures: Figure[] = [];
const log = (s: string) => {
	if (!json) process.stdout.write(s + '\n');
};
const progress = (s: string) => process.stderr.write(s + '\n');

function record(name: string, value: number, unit: string, target?: number, note?: string): void {
	const f: Figure = { name, value, unit, note };
	if (target !== undefined) {
		f.target = target;
		f.pass = value < target;
	}
	figures.push(f);
}

function formatFigure(f: Figure): string {
	// JSON turns NaN (a figure not measured) into null
	const v = typeof f.value === 'number' && Number.isFinite(f.value) ? f.value : null;
	const shown = v === null ? '-' : f.unit === 'ms' ? v.toFixed(v < 1 ? 4 : 1) : f.unit === 'MB' ? v.toFixed(0) : v.toPrecision(4);
	return `  ${f.name.padEnd(70)} ${`${shown} ${f.unit}`.padStart(14)}${f.target !== undefined ? `  target < ${f.target} ${f.unit}  ${f.pass ? 'PASS' : 'FAIL'}` : ''}${f.note ? `  (${f.note})` : ''}`;
}

interface Timing {
	/** medians over blocks, ms per run */
	wall: number;
	cpu: number;
}

/**
 * Times `fn` in blocks of about 20 ms (at least one run each) for at least `minMs` and 5 blocks,
 * after a warm-up of `warmMs` (at least 3 runs) so that V8 has optimised the code, as it has
 * after the first few hundred iterations of a PSA.
 */
function measure(fn: () => void, minMs = 300, maxBlocks = 200, warmMs = 400): Timing {
	const warmStart = performance.now();
	let warmRuns = 0;
	let lastRun = 0;
	while ((warmRuns < 3 || performance.now() - warmStart < warmMs) && warmRuns < 5000) {
		const t = performance.now();
		fn();
		lastRun = performance.now() - t;
		warmRuns++;
	}
	const perRun = Math.max(lastRun, 1e-3);
	const block = Math.max(1, Math.min(10_000, Math.round(20 / perRun)));
	const walls: number[] = [];
	const cpus: number[] = [];
	const start = performance.now();
	while ((walls.length < 5 || performance.now() - start < minMs) && walls.length < maxBlocks) {
		const c = process.cpuUsage();
		const t = performance.now();
		for (let r = 0; r < block; r++) fn();
		walls.push((performance.now() - t) / block);
		const used = process.cpuUsage(c);
		cpus.push((used.user + used.system) / 1000 / block);
	}
	const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
	return { wall: med(walls), cpu: med(cpus) };
}

/** Records a timing as two figures, the target judged on CPU time. */
function recordTiming(name: string, t: Timing, target?: number, note?: string): void {
	record(`${name}, CPU`, t.cpu, 'ms', target, note);
	record(`${name}, wall`, t.wall, 'ms');
}

function timePsa(cm: CompiledModel, iterations: number, backend: 'auto' | 'javascript' = 'auto'): { wallMs: number; cpuMs: number; peakMb: number; redrawn: number; method: string } {
	if (global.gc) global.gc();
	const before = process.memoryUsage();
	const baseline = before.rss;
	let peak = baseline;
	const cpu0 = process.cpuUsage();
	const t = performance.now();
	const r = runPsa(cm, { iterations, seed: 1, invalidDraws: 'redraw', backend }, { chunk: 256, onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)) });
	const wallMs = performance.now() - t;
	const cpu = process.cpuUsage(cpu0);
	peak = Math.max(peak, process.memoryUsage().rss);
	return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakMb: (peak - baseline) / 2 ** 20, redrawn: r.redrawn, method: r.method };
}

function slope(xs: number[], ys: number[]): number {
	const lx = xs.map(Math.log);
	const ly = ys.map(Math.log);
	const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
	const my = ly.reduce((a, b) => a + b, 0) / ly.length;
	let num = 0;
	let den = 0;
	for (let i = 0; i < lx.length; i++) {
		num += (lx[i] - mx) * (ly[i] - my);
		den += (lx[i] - mx) ** 2;
	}
	return num / den;
}

function leanRun(cm: CompiledModel): () => void {
	const runner = createRunner(cm);
	const { settings, values, forced } = runner.resolve();
	const out = new Float64Array(cm.strategies.length * TOTALS.size);
	return () => runner.totals(values, settings, out, undefined, forced);
}

/**
 * A PSA run again, timed up to three times (fewer when one run takes over 5 s): the median CPU
 * and wall times, as the other figures are medians, since one run on a shared machine can be
 * slowed by its neighbours.
 */
function againMedian(cm: CompiledModel): ReturnType<typeof timePsa> & { runs: number } {
	const times = [timePsa(cm, psaIterations)];
	while (times.length < 3 && times[0].wallMs < 5000) times.push(timePsa(cm, psaIterations));
	const median = (pick: (t: (typeof times)[number]) => number) => times.map(pick).sort((a, b) => a - b)[Math.floor(times.length / 2)];
	return { ...times[0], cpuMs: median((t) => t.cpuMs), wallMs: median((t) => t.wallMs), runs: times.length };
}

const modelFiles = readdirSync('models')
	.filter((f) => f.endsWith('.json') && f !== 'schema.json')
	.sort();

/**
 * Targets for a 10,000-iteration PSA run again in the process (issue "One cohort engine with two
 * backends"): Sick-Sicker 50 ms (a base-R loop takes 2.9 s and numpy vectorised 0.16 s on this
 * kind of machine), ms.json 250 ms, the tunnel models 0.3 s and 1 s.
 */
const PSA_TARGETS_MS: Record<string, number> = {
	'ms.json': 250,
	'sick-sicker-intro.json': 50,
	'thr-briggs.json': 300,
	'sick-sicker-state-residence.json': 1000
};

function modelSection(file: string): void {
	const text = readFileSync(`models/${file}`, 'utf8');
	const isMs = file === 'ms.json';
	// the run is timed first, in a fresh process, as in a PSA worker that holds one model
	const cm = compileJson(text);
	const runner = createRunner(cm);
	const lean = measure(leanRun(cm));
	recordTiming('one deterministic run, totals (lean path)', lean, isMs ? 1 : undefined);
	recordTiming('one deterministic run, full results (trace, per cycle)', measure(() => runner.run()));
	progress(`bench: ${file} PSA`);
	// twice: the first PSA in a process also lays out its batch and has V8 optimise its closures
	// and tier up its WebAssembly; a PSA run again (new inputs or seed, as in the app) reuses them.
	// The target is judged on the second, as the deterministic run's is judged after warm-up.
	const first = timePsa(cm, psaIterations);
	const psa = againMedian(cm);
	const scale = PSA_ITERATIONS / psaIterations;
	const scaled = quick ? ' (scaled from 1,000)' : '';
	const n = PSA_ITERATIONS.toLocaleString('en-GB');
	record(`PSA ${n} iterations, first in the process (with compiling), CPU${scaled}`, first.cpuMs * scale, 'ms');
	record(`PSA ${n} iterations, first in the process (with compiling), wall${scaled}`, first.wallMs * scale, 'ms');
	const runs = `median of ${psa.runs} run${psa.runs > 1 ? 's' : ''}`;
	record(`PSA ${n} iterations, run again (compiled), CPU${scaled}`, psa.cpuMs * scale, 'ms', PSA_TARGETS_MS[file], `${psa.method}; ${runs}${psa.redrawn ? `; ${psa.redrawn} invalid draws redrawn` : ''}`);
	record(`PSA ${n} iterations, run again (compiled), wall${scaled}`, psa.wallMs * scale, 'ms');
	if (psa.method === 'batched') {
		// the same PSA on the JavaScript backend (one iteration at a time), 1,000 iterations scaled
		const javascript = timePsa(cm, 1000, 'javascript');
		record(`the same PSA on the JavaScript backend (one by one), CPU (scaled from 1,000)`, javascript.cpuMs * (PSA_ITERATIONS / 1000), 'ms', undefined, `WebAssembly batches ${(javascript.cpuMs * (PSA_ITERATIONS / 1000) / (psa.cpuMs * scale)).toFixed(1)} times faster`);
	}
	record('PSA peak memory above baseline (RSS), first run', first.peakMb, 'MB');
	progress(`bench: ${file} DSA`);
	const dsaParams = oneWay(cm).parameters.length;
	recordTiming(`DSA over all ${dsaParams} input parameters with low/high (${2 * dsaParams} runs)`, measure(() => oneWay(cm), 500, 10));
	progress(`bench: ${file} naive reference`);
	let naiveRun: ReturnType<typeof createNaive>;
	try {
		naiveRun = createNaive(cm);
	} catch (e) {
		record('naive reference run', NaN, 'ms', undefined, `not run: ${e instanceof Error ? e.message : String(e)}`);
		recordTiming('compile (validate, parse and compile expressions)', measure(() => (forgetParses(), compileJson(text)), 500, 20));
		return;
	}
	const naive = measure(naiveRun, 1000, 10);
	const naiveCheck = naiveRun();
	const full = runner.run();
	const worst = Math.max(
		...full.strategies.flatMap((s, i) => [
			Math.abs(s.discounted.cost - naiveCheck.cost[i]) / Math.abs(s.discounted.cost || 1),
			Math.abs(s.discounted.qaly - naiveCheck.qaly[i]) / Math.abs(s.discounted.qaly || 1)
		])
	);
	recordTiming('naive reference run (mathjs evaluate per cycle, mathjs matrices)', naive, undefined, `same costs and QALYs to ${worst.toExponential(1)} relative`);
	record('speed-up of the lean path over the naive reference (CPU)', naive.cpu / lean.cpu, 'x');
	record('speed-up of one PSA iteration (batched where the model allows) over the naive reference (CPU)', naive.cpu / (psa.cpuMs / psaIterations), 'x');
	recordTiming('compile (validate, parse and compile expressions)', measure(() => (forgetParses(), compileJson(text)), 500, 20));
}

/**
 * How fast this machine runs the kind of loop the engine is made of: o[i] += a[i] * c[i] over
 * Float64Arrays of 128 (a batch of PSA lanes). Engine figures scale roughly with this number
 * between machines; it is printed so readers can compare theirs.
 */
function calibrationSection(): void {
	const n = 128;
	const a = new Float64Array(n).fill(1.5);
	const c = new Float64Array(n).fill(0.5);
	const o = new Float64Array(n);
	const kernel = () => {
		for (let r = 0; r < 1000; r++) for (let i = 0; i < n; i++) o[i] += a[i] * c[i];
	};
	const t = measure(kernel, 500, 50);
	record('reference loop o[i] += a[i] * c[i] (Float64Array, 128 lanes), per element, CPU', (t.cpu * 1e6) / (1000 * n), 'ns');
	record('reference loop o[i] += a[i] * c[i] (Float64Array, 128 lanes), per element, wall', (t.wall * 1e6) / (1000 * n), 'ns');
	// the same size of work in the batch's WebAssembly kernels: one column product per call
	const arena = createArena(loadKernels()!, 2 ** 16);
	const [x, y, out] = [arena.column(), arena.column(), arena.column()];
	x.fill(1.5);
	y.fill(0.5);
	const k = arena.arithmetic;
	const wasm = () => {
		for (let r = 0; r < 1000; r++) k.columnColumn(k.ops.multiply, out.byteOffset, x.byteOffset, y.byteOffset, n);
	};
	const w = measure(wasm, 500, 50);
	record('WebAssembly column product out[i] = a[i] * b[i] (128 lanes, one call), per element, CPU', (w.cpu * 1e6) / (1000 * n), 'ns');
}

function syntheticSection(): void {
	progress('bench: synthetic 200 x 100 PSA');
	const big = compile(syntheticModel({ states: 199, cycles: 100, strategies: 2 }));
	const bigPsa = timePsa(big, psaIterations);
	record(`200 states, 100 cycles: PSA ${psaIterations.toLocaleString('en-GB')} iterations, peak memory above baseline (RSS)`, bigPsa.peakMb, 'MB', 500, quick ? 'quick run: 1,000 iterations' : undefined);
	record(`200 states, 100 cycles: PSA ${PSA_ITERATIONS.toLocaleString('en-GB')} iterations, CPU${quick ? ' (scaled)' : ''}`, (bigPsa.cpuMs * PSA_ITERATIONS) / psaIterations, 'ms', 3000, bigPsa.method);
	record(`200 states, 100 cycles: PSA ${PSA_ITERATIONS.toLocaleString('en-GB')} iterations, wall${quick ? ' (scaled)' : ''}`, (bigPsa.wallMs * PSA_ITERATIONS) / psaIterations, 'ms');
	progress('bench: scaling');
	const stateCounts = [4, 10, 25, 50, 100, 200];
	const stateTimes = stateCounts.map((n) => measure(leanRun(compile(syntheticModel({ states: n - 1, cycles: 100, strategies: 2 }))), 300).cpu);
	stateCounts.forEach((n, i) => record(`one run (lean, CPU): ${n} states, 100 cycles`, stateTimes[i], 'ms'));
	record('log-log slope of run time against states', slope(stateCounts, stateTimes), '', undefined, '1 = linear: sparse rows');
	const cycleCounts = [10, 30, 100, 300, 1200];
	const cycleTimes = cycleCounts.map((n) => measure(leanRun(compile(syntheticModel({ states: 19, cycles: n, strategies: 2 }))), 300).cpu);
	cycleCounts.forEach((n, i) => record(`one run (lean, CPU): 20 states, ${n} cycles`, cycleTimes[i], 'ms'));
	record('log-log slope of run time against cycles', slope(cycleCounts, cycleTimes), '', undefined, '1 = linear');
}

/**
 * The command line as a user starts it: the whole process of `model run` on the HIV model, from
 * launch to exit (wall clock; median of 7 after one run that builds the bundle if needed), both
 * as `node scripts/model.mjs` (the CLI itself, the target) and through `npm run` (npm's own
 * start-up added, for information).
 */
function cliSection(): void {
	const args = ['run', 'models/hiv-chancellor.json'];
	const wallOf = (command: string, commandArgs: string[]) => {
		const start = performance.now();
		const r = spawnSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		if (r.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed: ${r.stderr}`);
		return performance.now() - start;
	};
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	wallOf(process.execPath, ['scripts/model.mjs', ...args]);
	const direct = Array.from({ length: 7 }, () => wallOf(process.execPath, ['scripts/model.mjs', ...args]));
	record('CLI whole process: node scripts/model.mjs run models/hiv-chancellor.json, wall', median(direct), 'ms', 300, `min ${Math.min(...direct).toFixed(0)}, max ${Math.max(...direct).toFixed(0)}`);
	const viaNpm = Array.from({ length: 3 }, () => wallOf('npm', ['run', '--silent', 'model', '--', ...args]));
	record('the same through npm run --silent model (npm start-up included), wall', median(viaNpm), 'ms');
}

/**
 * Peak memory of the largest requests the size limits accept (src/lib/engine/limits.ts), each
 * in its own fresh process, read from the process's peak resident set (maxRSS) after the work,
 * minus the resident set before it. Bounds (docs/security.md): a run within
 * 3 x MAX_RESULT_BYTES (its results, plus the cohort's working arrays and garbage), a PSA within
 * 1.5 x MAX_PSA_BYTES (the arrays it keeps, plus the batch's working memory).
 */
const RUN_BOUND_MB = (3 * MAX_RESULT_BYTES) / 2 ** 20;
const PSA_BOUND_MB = (1.5 * MAX_PSA_BYTES) / 2 ** 20;

/** The synthetic model with 4 strategies over 2,400 cycles and the most states the limits accept. */
function largestAcceptedModel() {
	let best = syntheticModel({ states: 1, cycles: 2400, strategies: 4 });
	for (let lo = 1, hi = 1999; lo <= hi; ) {
		const mid = Math.floor((lo + hi) / 2);
		const m = syntheticModel({ states: mid, cycles: 2400, strategies: 4 });
		if (sizeProblem(modelSize(m, 2400)) === null) (best = m), (lo = mid + 1);
		else hi = mid - 1;
	}
	return best;
}

function peakAboveStartMb(startRss: number): number {
	// maxRSS is in kilobytes
	return (process.resourceUsage().maxRSS * 1024 - startRss) / 2 ** 20;
}

function limitsRunSection(): void {
	const model = largestAcceptedModel();
	const size = modelSize(model, 2400);
	const cm = compile(model);
	if (global.gc) global.gc();
	const start = process.memoryUsage().rss;
	const r = createRunner(cm).run();
	const peak = peakAboveStartMb(start);
	record(
		`largest accepted model (${size.expandedStates} states x 2,400 cycles x ${size.strategies} strategies: ${(size.moves / 1e6).toFixed(0)}M of ${MAX_RUN_MOVES / 1e6}M moves, ${(size.resultBytes / 2 ** 20).toFixed(0)} of ${MAX_RESULT_BYTES / 2 ** 20} MB results): one full run, peak memory above start (RSS)`,
		peak,
		'MB',
		RUN_BOUND_MB,
		`bound 3 x MAX_RESULT_BYTES; ${r.strategies.length} strategies run`
	);
}

function limitsPsaSection(): void {
	// the HIV model over 2,400 cycles with each iteration's per-cycle costs kept (CLI --payback, the app's worker):
	// the most iterations the PSA memory limit accepts
	const cm = compile({ ...JSON.parse(readFileSync('models/hiv-chancellor.json', 'utf8')), horizon: 2400 });
	const shape = (iterations: number) => ({ iterations, drawn: cm.model.parameters ? Object.values(cm.model.parameters).filter((p) => p.distribution && p.distribution.type !== 'fixed').length : 0, strategies: cm.strategies.length, cycles: 2400, keepCycleCosts: true });
	let iterations = Math.floor((MAX_PSA_BYTES / psaBytes(shape(1))) * 0.999);
	while (psaBytes(shape(iterations + 1)) <= MAX_PSA_BYTES) iterations++;
	if (global.gc) global.gc();
	const start = process.memoryUsage().rss;
	const r = runPsa(cm, { iterations, seed: 1, keepCycleCosts: true }, { chunk: 500 });
	const peak = peakAboveStartMb(start);
	record(
		`largest accepted PSA (HIV model, 2,400 cycles, ${r.iterations.toLocaleString('en-GB')} iterations with per-cycle costs, estimate ${(psaBytes(shape(iterations)) / 2 ** 20).toFixed(0)} of ${MAX_PSA_BYTES / 2 ** 20} MB): peak memory above start (RSS)`,
		peak,
		'MB',
		PSA_BOUND_MB,
		'bound 1.5 x MAX_PSA_BYTES'
	);
}

/**
 * Value of information on a 10,000-iteration PSA of ms.json (the PSA itself not timed, and
 * always 10,000 iterations, even with --quick): EVSI of a trial on the aHSCT hazard ratio for
 * four sample sizes, and the EVPPI curve of that parameter over 101 willingness-to-pay values.
 */
function voiSection(): void {
	const cm = compileJson(readFileSync('models/ms.json', 'utf8'));
	const psa = runPsa(cm, { iterations: PSA_ITERATIONS, seed: 1, invalidDraws: 'redraw' }, { chunk: 256 });
	const options = { parameter: 'hr_ahsct_vs_hedmt', sampleSizes: [50, 100, 200, 500], likelihood: { kind: 'log-normal' as const, sd: 2.6 }, willingnessToPay: 50_000 };
	const n = PSA_ITERATIONS.toLocaleString('en-GB');
	const check = evsi(psa, options);
	recordTiming(`EVSI for four sample sizes from a ${n}-iteration PSA of ms.json`, measure(() => evsi(psa, options), 500, 10), 2000, `${psa.strategyIds.length} strategies; EVSI at n = 500 ${Math.round(check.points[3].evsi)} of EVPPI ${Math.round(check.evppi)} per person`);
	const wtps = wtpRange(0, 100_000, 1000);
	recordTiming(`EVPPI curve of one parameter over ${wtps.length} willingness-to-pay values (one fit)`, measure(() => evppiCurve(psa, ['hr_ahsct_vs_hedmt'], { willingnessToPay: wtps }), 500, 10));
}

/** Target for a 1,000-iteration probabilistic budget of ms.json run again (issue 19). */
const BUDGET_PSA_TARGET_MS = 2000;

/**
 * The probabilistic budget of ms.json with its UK settings, 1,000 iterations, seed 1: first in
 * the process (with compiling the budget's cohort models and V8's warm-up), then the median of
 * three runs again with new seeds, as the PSA rows are judged.
 */
function budgetSection(): void {
	const cm = compileJson(readFileSync('models/ms.json', 'utf8'));
	const settings = parseBudgetSettings(JSON.parse(readFileSync('models/budget/ms-uk.json', 'utf8')));
	const once = (seed: number) => {
		const c = process.cpuUsage();
		const t = performance.now();
		const r = runBudgetPsa(cm, settings, { iterations: 1000, seed });
		const used = process.cpuUsage(c);
		return { wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000, models: r.perIteration.payment.length };
	};
	const first = once(1);
	const again = [once(2), once(3), once(4)];
	const median = (pick: (t: (typeof again)[number]) => number) => again.map(pick).sort((a, b) => a - b)[1];
	const what = `1,000-iteration probabilistic budget of ms.json (budget and ${first.models} payment models, 10 years)`;
	record(`${what}, first in the process, CPU`, first.cpuMs, 'ms');
	record(`${what}, run again, CPU`, median((t) => t.cpuMs), 'ms', BUDGET_PSA_TARGET_MS, 'median of 3 runs');
	record(`${what}, run again, wall`, median((t) => t.wallMs), 'ms');
}

/** The newest modification time (ms) of the files below a folder (0 if none). */
function newestFile(folder: string): number {
	if (!existsSync(folder)) return 0;
	return readdirSync(folder, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.reduce((newest, entry) => Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs), 0);
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
	// a section in this fresh process: figures as JSON on stdout for the parent
	const what = process.argv[childAt + 1];
	if (what === 'synthetic') syntheticSection();
	else if (what === 'calibration') calibrationSection();
	else if (what === 'cli') cliSection();
	else if (what === 'budget') budgetSection();
	else if (what === 'browser') figures.push(...(await browserFigures()));
	else if (what === 'limits-run') limitsRunSection();
	else if (what === 'limits-psa') limitsPsaSection();
	else if (what === 'voi') voiSection();
	else modelSection(what);
	process.stdout.write(JSON.stringify(figures) + '\n');
} else {
	const sections: { title: string; child: string }[] = [
		{ title: 'This machine', child: 'calibration' },
		{ title: 'Command line', child: 'cli' },
		...modelFiles.map((f) => ({ title: f, child: f })),
		{ title: 'Value of information (ms.json, 10,000-iteration PSA; the PSA not timed)', child: 'voi' },
		{ title: 'Budget impact under uncertainty (models/budget/ms-uk.json)', child: 'budget' },
		{ title: 'Synthetic models, 2 strategies (memory target: 200 states, 100 cycles; scaling)', child: 'synthetic' },
		{ title: 'In the browser (the built app in Debian chromium, 1440 px)', child: 'browser' },
		{ title: 'Size limits: the largest accepted model (one run)', child: 'limits-run' },
		{ title: 'Size limits: the largest accepted PSA request', child: 'limits-psa' }
	];
	if (!existsSync('build/index.html') || newestFile('src') > statSync('build/index.html').mtimeMs || newestFile('static') > statSync('build/index.html').mtimeMs) {
		progress('bench: building the app for the browser figures (no build, or sources newer than it)');
		spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
	}
	log(`Benchmark: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}${quick ? ' (quick: PSA times scaled from 1,000 iterations)' : ''}`);
	log('Each section runs in a fresh process. Times: medians over blocks of repeated runs after a warm-up, CPU time of the process and wall clock; targets judged on CPU time (one core).');
	const all: (Figure & { section: string })[] = [];
	for (const section of sections) {
		progress(`bench: ${section.title}`);
		const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', section.child, ...(quick ? ['--quick'] : [])], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			maxBuffer: 64 * 2 ** 20
		});
		if (r.status !== 0) throw new Error(`bench section ${section.title} failed (exit ${r.status})`);
		const got = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Figure[];
		log(`\n${section.title}`);
		for (const f of got) {
			log(formatFigure(f));
			all.push({ ...f, section: section.title });
		}
	}
	const failed = all.filter((f) => f.pass === false);
	log(`\n${all.filter((f) => f.pass).length} targets met, ${failed.length} not met${failed.length ? `: ${failed.map((f) => `${f.section}: ${f.name}`).join('; ')}` : ''}.`);
	if (json) process.stdout.write(JSON.stringify({ node: process.version, loadAverage: loadavg(), quick, figures: all }, null, 2) + '\n');
}
