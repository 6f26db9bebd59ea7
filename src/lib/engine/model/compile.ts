/**
 * compile(model): validate a model file (schema, then meaning) and compile every expression once
 * into closures. Nothing after this parses text (ARCHITECTURE.md, principle 1).
 *
 * Like heemod's `eval_model`, compile reads as its named steps: the schema (validate.ts), costs
 * to the target currency and price year (priceYear.ts), the names the model defines
 * (compileContext.ts), the parameters and their plan (parameters.ts, parameterPlan.ts), the
 * model's size, the tunnel states expanded, each strategy's start, rows and values
 * (strategy.ts), the scenarios, then the declared comparison (comparison.ts).
 */
import type { ModelInput, Settings, Model } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { checkComparison } from './comparison';
import { checkParameterValue } from './parameterChecks';
import { modelSize, sizeProblem } from '../limits';
import { own } from '../records';
import { checkSubgroups } from './subgroups';
import { convertCosts, type CostTarget } from './priceYear';
import type { CompiledModel, ExpandedStates } from './compiled';
import { validateSchema } from './validate';
import { identify, collectIssues } from './compileContext';
import { compileParameters } from './parameters';
import { planFor } from './parameterPlan';
import { checkStateValues, compileStrategy } from './strategy';

export {
	Dependence,
	type CompiledValue,
	type ParameterPlan,
	type RowEntry,
	type CompiledStateValues,
	type CompiledTransitionValue,
	type CompiledStrategy,
	type ExpandedStates,
	type CompiledModel
} from './compiled';
export { validateSchema, zodIssues } from './validate';

/**
 * Parses JSON text and compiles it (costs converted to `target`, default the file's own currency
 * and price year); errors name the path inside the model. A leading byte-order mark is ignored.
 *
 * @example
 * compileJson(readFileSync('models/ms.json', 'utf8')).strategies.map((s) => s.id)
 * compileJson('{ "formatVersion": 1,')  // ModelError: "not valid JSON: ..."
 */
export function compileJson(text: string, target?: Partial<CostTarget>): CompiledModel {
	let data: unknown;
	try {
		// a byte-order mark (Windows editors add one) is not JSON but is not an error either
		data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	} catch (error) {
		throw new ModelError(issue('', 'schema', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`));
	}
	return compile(data, target);
}

/**
 * Validates a model file and compiles it once. Every cost given by value is converted to
 * `target` (default: the file's `currency` and `priceYear`) here, so runs see converted numbers
 * only (priceYear.ts). Every problem found is thrown at once, as one ModelError.
 *
 * @example
 * const cm = compile(modelJson);                            // GBP, the file's price year
 * const us = compile(modelJson, { currency: 'USD' });       // the same model with costs in USD
 */
export function compile(data: unknown | ModelInput, target?: Partial<CostTarget>): CompiledModel {
	const written = validateSchema(data);
	const { model, conversions: costs } = convertCosts(written, {
		currency: target?.currency ?? written.currency,
		priceYear: target?.priceYear ?? written.priceYear
	});
	const issues: ModelIssue[] = [];
	const names = identify(model, issues);
	const { baseValues, parameterExpressions } = compileParameters(model, names, issues);
	if (issues.length) throw new ModelError(issues);
	const context = { ...names, model, issues, parameterExpressions };
	const basePlan = planFor(context, undefined, 'parameters');
	if (issues.length) throw new ModelError(issues);
	// the size, before tunnels are expanded: a small file can ask for billions of cohort moves
	const tooLarge = sizeProblem(modelSize(model, model.horizon));
	if (tooLarge) throw new ModelError(issue('horizon', 'model-size', tooLarge));
	const expanded = expandStates(model.states.map((state) => state.tunnel ?? 1));
	const strategyContext = { ...context, expanded };
	checkStateValues(strategyContext, basePlan);
	const strategies = model.strategies.map((strategy, index) => compileStrategy(strategyContext, strategy, index));
	checkScenarios(model, issues);
	issues.push(...checkSubgroups(model, settingsOf(model)));
	// the declarations (comparison, levers, trace bands) last: a broken parameter or state is reported as itself first
	if (!issues.length) issues.push(...checkComparison(model));
	if (issues.length) throw new ModelError(dedupe(issues));
	return {
		model,
		written,
		costs,
		settings: settingsOf(model),
		parameterIds: names.parameterIds,
		parameterIndex: names.parameterIndex,
		baseValues,
		slots: names.slots,
		basePlan,
		stateIds: names.stateIds,
		stateLabels: model.states.map((state) => state.label),
		dead: new Uint8Array(model.states.map((state) => (state.dead ? 1 : 0))),
		expanded,
		categoryIds: names.categoryIds,
		outcomeIds: names.outcomeIds,
		strategies,
		warnings: lifeTableWarnings(model)
	};
}

/** The settings a run starts from: the model's currency, price year, cycles, discounting, correction and willingness to pay. */
function settingsOf(model: Model): Settings {
	return {
		currency: model.currency,
		priceYear: model.priceYear,
		cycleLength: model.cycleLength,
		horizon: model.horizon,
		...(model.horizonAge !== undefined ? { horizonAge: model.horizonAge } : {}),
		startAge: model.startAge,
		discountRates: model.discountRates,
		cycleCorrection: model.cycleCorrection,
		willingnessToPay: model.willingnessToPay
	};
}

/** Each scenario's parameter values name real parameters and fit their kind. */
function checkScenarios(model: Model, issues: ModelIssue[]): void {
	for (const [position, scenario] of (model.scenarios ?? []).entries()) {
		for (const [id, value] of Object.entries(scenario.parameters ?? {})) {
			const parameter = own(model.parameters, id);
			const path = joinPath('scenarios', position, 'parameters', id);
			if (!parameter) issues.push(issue(path, 'unknown-reference', `no parameter named "${id}"`));
			else collectIssues(issues, () => checkParameterValue(parameter, value, path));
		}
	}
}

/**
 * A warning for each life table the cohort outlives: ages past a table's last row use that
 * row's qx (lifeTable.ts), which a modeller may intend (a closed last row such as "100+") or not.
 * The oldest age reached is startAge + (horizon - 1) x cycleLength.
 */
function lifeTableWarnings(model: Model): ModelIssue[] {
	const oldest = model.startAge + (model.horizon - 1) * model.cycleLength;
	const warnings: ModelIssue[] = [];
	for (const [name, t] of Object.entries(model.lifeTables ?? {})) {
		const last = t.minAge + Math.min(t.qx.male.length, t.qx.female.length) - 1;
		if (oldest >= last + 1)
			warnings.push(
				issue(
					joinPath('lifeTables', name),
					'parameter-range',
					`the cohort reaches age ${Number(oldest.toFixed(2))} (start age ${model.startAge}, ${model.horizon} cycles of ${Number(model.cycleLength.toFixed(4))} years); this table ends at age ${last}, so older ages use the qx of age ${last}`
				)
			);
	}
	return warnings;
}

/** The issues without repeats (same path and message), in their first order. */
function dedupe(issues: ModelIssue[]): ModelIssue[] {
	const seen = new Set<string>();
	return issues.filter((found) => {
		const key = `${found.path}|${found.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/**
 * The expanded states: a state with a tunnel of length L becomes L sub-states, with state_time
 * 1..L (1-based); a state without a tunnel is one sub-state with state_time 1.
 */
function expandStates(tunnelLengths: number[]): ExpandedStates {
	const count = tunnelLengths.reduce((total, length) => total + length, 0);
	const stateOf = new Int32Array(count);
	const stateTime = new Int32Array(count);
	const first = new Int32Array(tunnelLengths.length);
	let expandedSlot = 0;
	tunnelLengths.forEach((length, state) => {
		first[state] = expandedSlot;
		for (let step = 1; step <= length; step++, expandedSlot++) {
			stateOf[expandedSlot] = state;
			stateTime[expandedSlot] = step;
		}
	});
	return { count, stateOf, stateTime, first };
}

/** Compiled models of one written model for other targets, so each target is compiled once. */
const byTarget = new WeakMap<Model, Map<string, CompiledModel>>();

/**
 * The currency and price year a run asks for: the options' settings, else its scenario's, else
 * the compiled model's own.
 *
 * @example
 * costTargetOf(cm, { scenario: 'us-payer' }) // { currency: 'USD', priceYear: ... }
 */
export function costTargetOf(cm: CompiledModel, options?: { scenario?: string; settings?: { currency?: unknown; priceYear?: unknown } }): CostTarget {
	const scenarioSettings = options?.scenario ? (cm.model.scenarios ?? []).find((scenario) => scenario.id === options.scenario)?.settings : undefined;
	const pick = <T>(value: unknown, type: 'string' | 'number'): T | undefined => (typeof value === type ? (value as T) : undefined);
	return {
		currency: pick<string>(options?.settings?.currency, 'string') ?? scenarioSettings?.currency ?? cm.settings.currency,
		priceYear: pick<number>(options?.settings?.priceYear, 'number') ?? scenarioSettings?.priceYear ?? cm.settings.priceYear
	};
}

/**
 * The compiled model with its costs in the currency and price year `options` ask for (itself
 * when they are its own). Compiled once per target and kept; a target the model's indices or
 * rates cannot reach is a ModelError at `settings.priceYear` or `settings.currency`.
 *
 * @example
 * const us = compiledFor(cm, { settings: { currency: 'USD' } }); // us.model.parameters in USD
 */
export function compiledFor(cm: CompiledModel, options?: { scenario?: string; settings?: { currency?: unknown; priceYear?: unknown } }): CompiledModel {
	const target = costTargetOf(cm, options);
	if (target.currency === cm.settings.currency && target.priceYear === cm.settings.priceYear) return cm;
	let cache = byTarget.get(cm.written);
	if (!cache) byTarget.set(cm.written, (cache = new Map()));
	const key = `${target.currency}|${target.priceYear}`;
	let out = cache.get(key);
	if (!out) {
		try {
			out = compile(cm.written, target);
		} catch (error) {
			if (!(error instanceof ModelError)) throw error;
			throw new ModelError(
				error.issues.map((found) => ({
					...found,
					path: found.path === 'priceYear' || found.path === 'currency' ? joinPath('settings', found.path) : found.path,
					code: 'invalid-override' as const
				}))
			);
		}
		cache.set(key, out);
	}
	return out;
}
