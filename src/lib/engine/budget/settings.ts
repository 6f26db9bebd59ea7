/**
 * Budget settings: the inputs of a budget impact analysis that are not part of the cost-
 * effectiveness model (population, uptake, capacity, horizon, payment models). Kept in their own
 * file (e.g. models/budget/ms-uk.json) so that one model can be costed for several health systems.
 * Every population number carries its source or is labelled an assumption with its reason
 * (BRIEF "Honesty"), as in the model file.
 *
 * Layout follows ISPOR's budget impact good-practice guidance (Sullivan et al. 2014, Value Health
 * 17:5-14): eligible population (prevalent + incident), current and new world treatment mix,
 * yearly results over a short horizon, undiscounted by default.
 */
import * as z from 'zod';
import { Source } from '../model/schema';
import { zodIssues } from '../model/compile';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';

export const BUDGET_FORMAT_VERSION = 1;

/** A problem in the budget settings (not in the model): callers can name the settings file. */
export class BudgetSettingsError extends ModelError {}

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an identifier').max(64);

/** A number with its unit and evidence: a source, or an assumption with its reason. */
export const SourcedNumber = z
	.object({
		value: z.number(),
		unit: z.string().min(1).max(200),
		description: z.string().max(2000).optional(),
		source: Source.optional(),
		assumption: z.string().min(1).max(4000).optional()
	})
	.strict()
	.refine((v) => v.source !== undefined || v.assumption !== undefined, {
		message: 'give a source {citation, location, url} or an assumption with its reason'
	});
export type SourcedNumber = z.infer<typeof SourcedNumber>;

const share = (what: string) => z.number().min(0, `${what} must be in [0, 1]`).max(1, `${what} must be in [0, 1]`);

/**
 * Market shares of the patients starting treatment in each budget year, by strategy: a list per
 * strategy, year 1 first; the last value carries on for later years. Shares of a year sum to 1.
 */
export const World = z
	.object({
		label: z.string().min(1).max(200).optional(),
		shares: z.record(id, z.array(share('a market share')).min(1).max(100)),
		prevalentShares: z
			.record(id, share('a market share'))
			.optional()
			.describe('shares for the prevalent patients entering in year 1 (default: the year-1 shares)')
	})
	.strict();
export type World = z.infer<typeof World>;

export const Population = z
	.object({
		prevalentCases: SourcedNumber.describe('people living with the condition at the start of year 1'),
		sharePrevalentEligibleType: SourcedNumber.describe('share of prevalent cases with the model\'s disease type'),
		incidentCasesPerYear: SourcedNumber.describe('new diagnoses per year'),
		shareIncidentEligibleType: SourcedNumber.describe('share of new diagnoses with the model\'s disease type'),
		shareTreated: SourcedNumber.describe('share of those on disease-modifying treatment'),
		shareEligible: SourcedNumber.describe('share of treated patients who match the model population'),
		incidenceChangePerYear: SourcedNumber.optional().describe('relative change in incident cases per year (0.02 = +2%)')
	})
	.strict();
export type Population = z.infer<typeof Population>;

export const Capacity = z
	.object({
		strategy: id.describe('the capacity-limited strategy (e.g. the transplant)'),
		slotsPerYear: SourcedNumber,
		queueOn: id.describe('strategy on which patients wait for a slot'),
		queue: z
			.boolean()
			.default(true)
			.describe('true: patients over capacity wait on queueOn and are treated when slots free; false: they stay on queueOn')
	})
	.strict();
export type Capacity = z.infer<typeof Capacity>;

export const PaymentSettings = z
	.object({
		strategy: id.describe('the one-off therapy'),
		comparator: id.describe('the strategy the ICER is computed against'),
		priceCategory: id.describe('cost category holding the one-off price at model start'),
		price: z.number().min(0).optional().describe('list price per patient; default: the one-off cost in priceCategory at model start'),
		failureStates: z.array(id).min(1).describe('states that mean the therapy failed (entering any of them counts)'),
		instalmentYears: z.number().int().min(1).max(50),
		instalmentRate: z.number().min(0).max(1).describe('annual rate the payer applies to instalments (0: price / k each year)'),
		refundShare: z.union([share('a refund share'), z.array(share('a refund share')).min(1).max(50)]),
		outcomeWindowYears: z.number().int().min(1).max(50),
		priceCapPerQaly: z.number().min(0).optional().describe('default: the model\'s willingness to pay'),
		assumption: z.string().min(1).max(4000).optional()
	})
	.strict();
export type PaymentSettings = z.infer<typeof PaymentSettings>;

export const BudgetSettings = z
	.object({
		$schema: z.string().optional(),
		formatVersion: z.literal(BUDGET_FORMAT_VERSION),
		id,
		title: z.string().min(1).max(300),
		description: z.string().min(1).max(20000),
		modelId: id.describe('the model these settings are written for'),
		horizonYears: z.number().int().min(1).max(100),
		discountRate: z.number().min(0).max(1).default(0).describe('0: undiscounted, as Sullivan et al. 2014 recommend'),
		population: Population,
		prevalentStartAge: SourcedNumber.optional().describe('mean age of prevalent patients; default: the model start age'),
		uptake: z
			.object({
				current: World,
				new: World,
				source: Source.optional(),
				assumption: z.string().min(1).max(4000).optional()
			})
			.strict(),
		capacity: Capacity.optional(),
		payment: PaymentSettings.optional(),
		references: z.array(Source).optional()
	})
	.strict();
export type BudgetSettings = z.infer<typeof BudgetSettings>;
export type BudgetSettingsInput = z.input<typeof BudgetSettings>;

/**
 * Parses budget settings against the schema (defaults filled in: discountRate 0, queue true);
 * structure errors become one BudgetSettingsError listing every problem with its path, under
 * `path` when given.
 * @example
 * parseBudgetSettings(JSON.parse(text)).horizonYears; // 10 for models/budget/ms-uk.json
 * parseBudgetSettings({ formatVersion: 1 }); // BudgetSettingsError: id: required field is missing (expected string) ...
 */
export function parseBudgetSettings(data: unknown, path = ''): BudgetSettings {
	const parsed = BudgetSettings.safeParse(data);
	if (!parsed.success) throw new BudgetSettingsError(zodIssues(parsed.error).map((i) => ({ ...i, path: joinPath(path, i.path) })));
	return parsed.data;
}

/**
 * Checks budget settings against a model: strategy, category and state ids exist, each year's
 * market shares sum to 1 (within 1e-6), shares are in [0, 1], counts are >= 0, capacity and
 * payment settings name distinct strategies and live states. Returns all problems at once,
 * each with its path (empty when the settings fit the model).
 * @example
 * // current world { dmt: [0.5], cell: [0.4] }
 * checkBudgetSettings(settings, { strategyIds: ['dmt', 'cell'], categoryIds, stateIds, deadStates })[0];
 * // { path: 'uptake.current.shares', code: 'probability-sum', message: 'market shares in year 1 sum to 0.9; expected 1' }
 */
export function checkBudgetSettings(
	s: BudgetSettings,
	model: { strategyIds: string[]; categoryIds: string[]; stateIds: string[]; deadStates: string[] },
	years = s.horizonYears
): ModelIssue[] {
	const issues: ModelIssue[] = [];
	const strategy = (v: string, path: string) => {
		if (!model.strategyIds.includes(v))
			issues.push(issue(path, 'unknown-reference', `no strategy "${v}" in the model; known: ${model.strategyIds.join(', ')}`));
	};
	for (const [w, world] of [
		['current', s.uptake.current],
		['new', s.uptake.new]
	] as const) {
		const base = joinPath('uptake', w);
		for (const sid of Object.keys(world.shares)) strategy(sid, joinPath(base, 'shares', sid));
		for (const sid of Object.keys(world.prevalentShares ?? {})) strategy(sid, joinPath(base, 'prevalentShares', sid));
		const checkYears = Math.max(years, ...Object.values(world.shares).map((l) => l.length));
		for (let y = 0; y < checkYears; y++) {
			let total = 0;
			for (const list of Object.values(world.shares)) total += list[Math.min(y, list.length - 1)];
			if (Math.abs(total - 1) > 1e-6) {
				issues.push(issue(joinPath(base, 'shares'), 'probability-sum', `market shares in year ${y + 1} sum to ${round(total)}; expected 1`));
				break;
			}
		}
		if (world.prevalentShares) {
			const total = Object.values(world.prevalentShares).reduce((a, b) => a + b, 0);
			if (Math.abs(total - 1) > 1e-6)
				issues.push(issue(joinPath(base, 'prevalentShares'), 'probability-sum', `prevalent shares sum to ${round(total)}; expected 1`));
		}
	}
	const p = s.population;
	for (const key of ['sharePrevalentEligibleType', 'shareIncidentEligibleType', 'shareTreated', 'shareEligible'] as const)
		if (!(p[key].value >= 0 && p[key].value <= 1))
			issues.push(issue(joinPath('population', key, 'value'), 'parameter-range', `${p[key].value} is not a share in [0, 1]`));
	for (const key of ['prevalentCases', 'incidentCasesPerYear'] as const)
		if (!(p[key].value >= 0)) issues.push(issue(joinPath('population', key, 'value'), 'parameter-range', `${p[key].value} is not a count >= 0`));
	if (p.incidenceChangePerYear && !(p.incidenceChangePerYear.value > -1))
		issues.push(issue('population.incidenceChangePerYear.value', 'parameter-range', 'a relative change per year must be above -1'));
	if (s.prevalentStartAge && !(s.prevalentStartAge.value >= 0 && s.prevalentStartAge.value <= 120))
		issues.push(issue('prevalentStartAge.value', 'parameter-range', `${s.prevalentStartAge.value} is not an age in [0, 120]`));
	if (s.capacity) {
		strategy(s.capacity.strategy, 'capacity.strategy');
		strategy(s.capacity.queueOn, 'capacity.queueOn');
		if (s.capacity.strategy === s.capacity.queueOn)
			issues.push(issue('capacity.queueOn', 'invalid-override', 'patients cannot queue on the capacity-limited strategy itself'));
		if (!(s.capacity.slotsPerYear.value >= 0))
			issues.push(issue('capacity.slotsPerYear.value', 'parameter-range', `${s.capacity.slotsPerYear.value} is not a count >= 0`));
	}
	if (s.payment) {
		strategy(s.payment.strategy, 'payment.strategy');
		strategy(s.payment.comparator, 'payment.comparator');
		if (s.payment.strategy === s.payment.comparator)
			issues.push(issue('payment.comparator', 'invalid-override', 'the comparator must differ from the one-off strategy'));
		if (!model.categoryIds.includes(s.payment.priceCategory))
			issues.push(
				issue('payment.priceCategory', 'unknown-reference', `no cost category "${s.payment.priceCategory}"; known: ${model.categoryIds.join(', ')}`)
			);
		s.payment.failureStates.forEach((st, i) => {
			const path = joinPath('payment', 'failureStates', i);
			if (!model.stateIds.includes(st)) issues.push(issue(path, 'unknown-reference', `no state "${st}"; known: ${model.stateIds.join(', ')}`));
			else if (model.deadStates.includes(st))
				issues.push(issue(path, 'invalid-override', `"${st}" is a death state; death is not counted as therapy failure`));
		});
	}
	return issues;
}

function round(v: number): string {
	return String(Math.round(v * 1e6) / 1e6);
}
