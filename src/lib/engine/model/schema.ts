/**
 * The model file format: one zod schema gives both the runtime validation and the TypeScript
 * types (ARCHITECTURE.md, principle 5). `scripts/write-schema.ts` turns the same schema into models/schema.json.
 *
 * A model file is plain data (what the user wrote). Numbers may be given wherever an expression
 * is accepted; expressions are restricted mathjs text, compiled once by `compile()`.
 */
import * as z from 'zod';
import { MAX_WILLINGNESS_TO_PAY } from '../limits';

// zod would otherwise probe `new Function("")` to decide whether to compile fast parsers; under
// the app's Content Security Policy (no 'unsafe-eval', docs/security.md) that probe is refused
// and reported as a policy violation. The model file is validated once per load, so the
// interpreted parser costs nothing that matters.
z.config({ jitless: true });

export const FORMAT_VERSION = 1;

const id = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an identifier: a letter, then letters, digits or _')
	.max(64);
const strategyId = z
	.string()
	.regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an identifier: a letter, then letters, digits, _ or -')
	.max(64);
const text = (max = 4000) => z.string().max(max);

/** A number, or a restricted mathjs expression of parameters and built-in variables. */
export const Expression = z.union([z.number(), z.string().min(1).max(4000)]);
export type Expression = z.infer<typeof Expression>;

export const Source = z
	.object({
		citation: text(1000).min(1).describe('Author, year, title, journal or report'),
		location: text(1000).optional().describe('Where in the source: table, page, figure'),
		url: z.string().url().max(2000).optional()
	})
	.strict();
export type Source = z.infer<typeof Source>;

const positive = z.number().positive();
const finite = z.number();

/**
 * Distributions for probabilistic sensitivity analysis. Moments default to the parameter's
 * value; `fromRange: true` reads the standard error off low/high taken as a 95% interval.
 */
export const Distribution = z.discriminatedUnion('type', [
	z.object({ type: z.literal('fixed') }).strict(),
	z
		.object({
			type: z.literal('beta'),
			mean: finite.optional(),
			se: positive.optional(),
			alpha: positive.optional(),
			beta: positive.optional(),
			fromRange: z.boolean().optional()
		})
		.strict(),
	z
		.object({
			type: z.literal('gamma'),
			mean: finite.optional(),
			se: positive.optional(),
			shape: positive.optional(),
			scale: positive.optional(),
			fromRange: z.boolean().optional()
		})
		.strict(),
	z
		.object({
			type: z.literal('lognormal'),
			mean: finite.optional().describe('mean on the natural scale (defaults to the value)'),
			se: positive.optional().describe('standard error on the natural scale'),
			meanlog: finite.optional(),
			sdlog: positive.optional(),
			fromRange: z
				.boolean()
				.optional()
				.describe('low/high are a 95% interval: meanlog = log(value), sdlog = (log(high) - log(low)) / 3.92')
		})
		.strict(),
	z
		.object({
			type: z.literal('normal'),
			mean: finite.optional(),
			sd: positive.optional(),
			fromRange: z.boolean().optional()
		})
		.strict(),
	z.object({ type: z.literal('uniform'), min: finite.optional(), max: finite.optional() }).strict(),
	z
		.object({
			type: z.literal('triangular'),
			min: finite.optional(),
			mode: finite.optional(),
			max: finite.optional()
		})
		.strict(),
	z
		.object({
			type: z.literal('dirichlet'),
			group: id.describe('parameters sharing a group are drawn jointly and sum to their total'),
			alpha: positive.describe('this component\'s concentration (e.g. an observed count)')
		})
		.strict()
]);
export type Distribution = z.infer<typeof Distribution>;

export const ParameterKind = z.enum([
	'probability',
	'rate',
	'cost',
	'utility',
	'ratio',
	'duration',
	'count',
	'age',
	'proportion',
	'other'
]);
export type ParameterKind = z.infer<typeof ParameterKind>;

// --- Price years and currencies (docs/model-format.md, "Costs: currency and price year").
// One block: a cost given by value states its currency and price year; the model file holds the
// price indices and currency conversion rates that compile() converts costs with.

/** An ISO 4217 currency code, e.g. "GBP". */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code of three capital letters, e.g. "GBP"');
/** A price year; a financial year (2022/23) is written as the year it starts (2022). */
export const PriceYear = z.number().int().min(1900).max(2200);
const yearKey = z.string().regex(/^[0-9]{4}$/, 'a four-digit year, e.g. "2023"');

/** Fields a `kind: "cost"` parameter given by `value` states (spread into Parameter below). */
export const CostDeclaration = {
	currency: CurrencyCode.optional().describe('currency of value, low, high and the distribution (cost parameters given by value)'),
	priceYear: PriceYear.optional().describe('price year of value, low, high and the distribution; a financial year as the year it starts'),
	priceYearAssumed: z
		.boolean()
		.optional()
		.describe('true when the source gives no price year and priceYear is assumed; the parameter\'s "assumption" says why')
};

/** A price index series for one currency: index levels by year, or annual percentage changes. */
export const PriceIndex = z
	.object({
		name: text(300).min(1),
		description: text().optional(),
		source: Source,
		values: z.record(yearKey, z.number().positive()).optional().describe('index level by year'),
		percentChange: z
			.record(yearKey, z.number().gt(-100))
			.optional()
			.describe('annual % change into each year from the year before (the year before the first is the base, level 100)')
	})
	.strict();
export type PriceIndex = z.infer<typeof PriceIndex>;

/** One conversion rate: units of `to` per unit of `from`, for one year or a span of years. */
export const ConversionRate = z
	.object({
		from: CurrencyCode,
		to: CurrencyCode,
		year: PriceYear.optional(),
		years: z.tuple([PriceYear, PriceYear]).optional().describe('first and last year the rate applies to'),
		rate: z.number().positive().describe('units of "to" per unit of "from"'),
		source: Source.optional(),
		assumption: text().min(1).optional()
	})
	.strict();
export type ConversionRate = z.infer<typeof ConversionRate>;

export const CurrencyConversion = z
	.object({
		basis: z.enum(['ppp', 'exchange-rate']).describe('purchasing power parities (recommended) or market exchange rates'),
		description: text().optional(),
		rates: z.array(ConversionRate).max(500),
		missingIndex: z
			.object({ assumption: text().min(1) })
			.strict()
			.optional()
			.describe('allows costs in a currency without a price index: converted at the rate for their own price year, then inflated in the target currency\'s index (an assumption, shown with each such cost)')
	})
	.strict();
export type CurrencyConversion = z.infer<typeof CurrencyConversion>;
// --- end of price years and currencies

export const Parameter = z
	.object({
		value: finite.optional().describe('base-case value (give value or expression)'),
		expression: text().min(1).optional().describe('an expression of other parameters'),
		low: finite.optional(),
		high: finite.optional(),
		distribution: Distribution.optional(),
		kind: ParameterKind.default('other'),
		unit: text(200).min(1),
		description: text().min(1),
		group: text(200).min(1),
		source: Source.optional(),
		assumption: text().min(1).optional().describe('why this value is assumed, where no source is given'),
		...CostDeclaration
	})
	.strict();
export type Parameter = z.infer<typeof Parameter>;
export type ParameterInput = z.input<typeof Parameter>;

/** Named cost categories, values per cycle. */
const CostMap = z.record(id, Expression);
/** Named extra outcomes (relapses, treatment deaths, ...), counted per cycle or per event. */
const OutcomeMap = z.record(id, Expression);

export const StateValues = z
	.object({
		costs: CostMap.optional().describe('cost per person per cycle, by category'),
		utility: Expression.optional().describe('utility weight per year (QALYs = utility x cycle length)'),
		outcomes: OutcomeMap.optional().describe('named counts per person per cycle, e.g. relapses')
	})
	.strict();
export type StateValues = z.infer<typeof StateValues>;

export const State = z
	.object({
		id,
		label: text(200).min(1),
		description: text().optional(),
		dead: z.boolean().optional().describe('a death state: no life years or QALYs accrue'),
		tunnel: z
			.number()
			.int()
			.min(1)
			.max(600)
			.optional()
			.describe('track state_time 1..tunnel cycles in this state (the last one repeats)'),
		...StateValues.shape
	})
	.strict();
export type State = z.infer<typeof State>;

export const TransitionValue = z
	.object({
		from: z.union([id, z.literal('*')]).describe("a state id, or '*' for any other state"),
		to: id,
		description: text().optional(),
		costs: CostMap.optional().describe('one-off cost per person making the transition'),
		utility: Expression.optional().describe('one-off QALY change per person making the transition'),
		outcomes: OutcomeMap.optional().describe('one-off counts per person making the transition')
	})
	.strict();
export type TransitionValue = z.infer<typeof TransitionValue>;

/**
 * What a strategy is in the decision: no treatment, a treatment taken for life, a short course,
 * or a one-off procedure (a cell therapy). The UI and the verdict use it to pick comparisons.
 */
export const StrategyRole = z.enum(['untreated', 'lifelong', 'short-course', 'one-off']);
export type StrategyRole = z.infer<typeof StrategyRole>;

/**
 * The parameters that say what a one-off (or short-course) therapy must achieve: its price, its
 * efficacy (e.g. a hazard ratio, lower is better) and the years its effect lasts. Break-even
 * analysis varies them.
 */
export const Levers = z
	.object({
		price: id.describe('parameter holding the price per patient'),
		efficacy: id.describe('parameter holding the efficacy, e.g. a hazard ratio'),
		durability: id.describe('parameter holding the years the effect lasts'),
		efficacyDirection: z
			.enum(['lower-is-better', 'higher-is-better'])
			.optional()
			.describe('lower-is-better (the default) for a hazard or rate ratio')
	})
	.strict();
export type Levers = z.infer<typeof Levers>;

export const Strategy = z
	.object({
		id: strategyId,
		label: text(200).min(1),
		description: text().optional(),
		role: StrategyRole.optional().describe('untreated, lifelong, short-course or one-off'),
		levers: Levers.optional().describe("a one-off therapy's price, efficacy and durability parameters, for break-even analysis"),
		start: z.record(id, Expression).describe('starting share of the cohort in each state (sums to 1)'),
		transitions: z
			.record(id, z.record(id, Expression))
			.describe("rows: from state -> { to state: probability per cycle, or 'C' for the complement }"),
		stateValues: z
			.record(id, StateValues)
			.optional()
			.describe("this strategy's state costs/utilities, replacing the state's own per category"),
		transitionValues: z.array(TransitionValue).optional(),
		startValues: StateValues.omit({ utility: true })
			.extend({ utility: Expression.optional().describe('one-off QALY change at model start') })
			.optional()
			.describe('one-off values per person at model start (not discounted)'),
		parameters: z
			.record(id, Expression)
			.optional()
			.describe('strategy-specific parameter overrides')
	})
	.strict();
export type Strategy = z.infer<typeof Strategy>;

export const LifeTable = z
	.object({
		description: text().optional(),
		source: Source,
		minAge: z.number().int().min(0).max(150),
		qx: z
			.object({
				male: z.array(z.number().min(0).max(1)).min(1).max(200),
				female: z.array(z.number().min(0).max(1)).min(1).max(200)
			})
			.strict()
	})
	.strict();
export type LifeTable = z.infer<typeof LifeTable>;

export const CycleCorrection = z.enum(['start', 'end', 'half-cycle', 'simpson', 'life-table']);
export type CycleCorrection = z.infer<typeof CycleCorrection>;

export const DiscountRates = z
	.object({
		costs: z.number().min(0).max(1),
		outcomes: z.number().min(0).max(1)
	})
	.strict();

/** Settings a scenario or the user may change without editing the model. */
export const Settings = z
	.object({
		currency: text(8).min(1),
		priceYear: z.number().int().min(1900).max(2200),
		cycleLength: z.number().positive().max(100),
		horizon: z.number().int().min(1).max(2400).describe('number of cycles (or give horizonAge)'),
		horizonAge: z
			.number()
			.min(0)
			.max(250)
			.optional()
			.describe('the age the model runs to: horizon = ceil((horizonAge - startAge) / cycleLength) cycles, following the start age (model/horizon.ts)'),
		startAge: z.number().min(0).max(120),
		discountRates: DiscountRates,
		cycleCorrection: CycleCorrection,
		willingnessToPay: z.number().min(0).max(MAX_WILLINGNESS_TO_PAY).default(20000)
	})
	.strict();
export type Settings = z.infer<typeof Settings>;
// without the default of willingnessToPay: a partial override must not reset it to 20000
export const SettingsOverride = Settings.extend({ willingnessToPay: z.number().min(0).max(MAX_WILLINGNESS_TO_PAY) }).partial().strict();
export type SettingsOverride = z.infer<typeof SettingsOverride>;

export const Scenario = z
	.object({
		id: strategyId,
		label: text(200).min(1),
		description: text().min(1),
		parameters: z.record(id, z.number()).optional(),
		settings: SettingsOverride.optional()
	})
	.strict();
export type Scenario = z.infer<typeof Scenario>;

export const Correlation = z
	.object({
		a: id,
		b: id,
		rho: z.number().min(-1).max(1),
		source: Source.optional(),
		assumption: text().optional()
	})
	.strict();

/** The comparison the app shows by default: the lifelong comparator, no treatment, the payback pair. */
export const Comparison = z
	.object({
		lifelong: strategyId.describe('the lifelong strategy one-off therapies are compared with'),
		untreated: strategyId.optional().describe('the no-treatment strategy, if any'),
		payback: z
			.object({ strategy: strategyId, comparator: strategyId })
			.strict()
			.optional()
			.describe('the pair whose payback year is shown by default')
	})
	.strict();
export type Comparison = z.infer<typeof Comparison>;

/**
 * Groups of states the trace chart shows summed (e.g. disability bands across treatment lines):
 * the model says which states belong together, so no disease-specific rule lives in the app.
 */
export const TraceBands = z
	.object({
		label: text(200).min(1).describe('what the bands are, e.g. "Disability bands (EDSS)"'),
		bands: z
			.array(z.object({ label: text(200).min(1), states: z.array(id).min(1) }).strict())
			.min(2)
			.describe('in display order, best first; states not listed keep their own line')
	})
	.strict();
export type TraceBands = z.infer<typeof TraceBands>;

// --- Subgroups (docs/model-format.md, "Subgroups"): parts of the population, each a set of
// parameter and setting values with its population weight and the evidence for that weight.
/** The settings a subgroup may change: who the cohort is, not how the model is evaluated. */
export const SubgroupSettings = SettingsOverride.pick({ startAge: true, horizon: true, horizonAge: true }).strict();
export const Subgroup = z
	.object({
		id: strategyId,
		label: text(200).min(1),
		description: text().optional(),
		weight: z.number().min(0).max(1).describe('share of the population in this subgroup; the weights sum to 1'),
		source: Source.optional().describe('the document giving this share for this population, and where'),
		assumption: text().min(1).optional().describe('why this share is assumed, where no source gives it'),
		parameters: z.record(id, z.number()).optional().describe('parameter values of this subgroup (held fixed in its PSA)'),
		settings: SubgroupSettings.optional().describe('start age and horizon of this subgroup')
	})
	.strict();
export type Subgroup = z.infer<typeof Subgroup>;
// --- end of subgroups

const ModelObject = z
	.object({
		$schema: z.string().optional(),
		formatVersion: z.literal(FORMAT_VERSION),
		id: strategyId,
		title: text(300).min(1),
		description: text(20000).min(1),
		...Settings.shape,
		horizon: Settings.shape.horizon.optional(),
		costCategories: z
			.array(z.object({ id, label: text(200).min(1) }).strict())
			.min(1)
			.describe('named cost categories, e.g. drug, administration, monitoring, disease'),
		outcomes: z
			.array(z.object({ id, label: text(200).min(1), unit: text(100).optional() }).strict())
			.optional()
			.describe('extra counted outcomes reported beside costs and QALYs'),
		parameters: z.record(id, Parameter),
		correlations: z.array(Correlation).optional(),
		states: z.array(State).min(1).max(2000),
		strategies: z.array(Strategy).min(1).max(50),
		comparison: Comparison.optional().describe('the default comparison the app and the verdict use'),
		traceBands: TraceBands.optional().describe('groups of states the trace chart can show summed, e.g. disability bands'),
		societalSwitch: id
			.optional()
			.describe('a parameter (0 or 1) that adds the societal costs: the app\'s perspective setting sets it'),
		lifeTables: z.record(id, LifeTable).optional(),
		priceIndices: z.record(CurrencyCode, PriceIndex).optional().describe('price index per currency, to inflate costs to the price year'),
		currencyConversion: CurrencyConversion.optional().describe('rates to convert costs to the model currency'),
		scenarios: z.array(Scenario).optional(),
		subgroups: z.array(Subgroup).min(1).max(50).optional().describe('parts of the population with their own values and weights'),
		references: z.array(Source).optional()
	})
	.strict();
export const Model = ModelObject;
/** A validated model: the horizon in cycles is always known (from `horizon` or `horizonAge`, model/horizon.ts). */
export type Model = Omit<z.infer<typeof ModelObject>, 'horizon'> & { horizon: number };
export type ModelInput = z.input<typeof Model>;
