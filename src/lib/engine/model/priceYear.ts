/**
 * Price years and currencies: every cost parameter given by value states its currency and price
 * year, and `compile()` converts it once to the model's target currency and price year with the
 * price indices and conversion rates held in the model file. Runs never see anything but
 * converted numbers.
 *
 * Order of the two steps (Shemilt I, Thomas J, Morciano M (2010) A web-based tool for adjusting
 * costs to a specific target currency and price year. Evidence & Policy 6(1):51-59, the
 * CCEMG-EPPI-Centre Cost Converter): first inflate the cost in its own currency's index from its
 * price year to the target year, then convert it to the target currency at the rate (a PPP,
 * preferably) for the target year:
 *
 *     converted = value x index_X(T) / index_X(Y) x rate_{X->M}(T)
 *
 * A financial year (2022/23) is keyed by the year it starts (2022), for costs and indices alike.
 *
 * Where the file holds no index for a cost's currency and `currencyConversion.missingIndex`
 * states why, the cost is converted at the rate for its own price year and then inflated in the
 * target currency's index, the reverse order, marked as that assumption in the cost's steps.
 */
import type { ConversionRate, CurrencyConversion, Distribution, Model, Parameter, PriceIndex } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';

/** The currency and price year costs are converted to. */
export interface CostTarget {
	currency: string;
	priceYear: number;
}

/** How one cost parameter was converted: what the file says, the two factors, the result. */
export interface CostConversion {
	/** as written in the file */
	currency: string;
	priceYear: number;
	priceYearAssumed: boolean;
	value: number;
	low?: number;
	high?: number;
	target: CostTarget;
	/** index_X(T) / index_X(Y); 1 when the price year is the target year */
	inflation: number;
	/** units of the target currency per unit of the declared currency at the target year; 1 for the same currency */
	rate: number;
	/** inflation x rate: the converted value is value x factor */
	factor: number;
	/** the converted value */
	converted: number;
	/** the index and rate used, in words, for the parameter view */
	steps: string[];
}

/**
 * Index level of each year of a series: `values` as given, or levels built from annual
 * percentage changes with the year before the first change at 100.
 *
 * @example
 * indexLevels({ percentChange: { "2015": 0.4, "2016": 2.09 }, ... })
 * // { 2014: 100, 2015: 100.4, 2016: 102.49836 }
 */
export function indexLevels(series: Pick<PriceIndex, 'values' | 'percentChange'>): Map<number, number> {
	const levels = new Map<number, number>();
	for (const [year, level] of Object.entries(series.values ?? {})) levels.set(Number(year), level);
	const changes = Object.entries(series.percentChange ?? {})
		.map(([year, percent]): [number, number] => [Number(year), percent])
		.sort((first, second) => first[0] - second[0]);
	if (changes.length) {
		let level = 100;
		levels.set(changes[0][0] - 1, level);
		for (const [year, percent] of changes) {
			level *= 1 + percent / 100;
			levels.set(year, level);
		}
	}
	return levels;
}

/**
 * Inflation factor index(to) / index(from) of one currency's series, or a message naming the
 * missing year. Same year: exactly 1, without looking at the index.
 *
 * @example
 * inflationFactor(levels, 2020, 2024) // levels.get(2024) / levels.get(2020)
 */
export function inflationFactor(levels: Map<number, number>, from: number, to: number): number | { missingYear: number } {
	if (from === to) return 1;
	const fromLevel = levels.get(from);
	if (fromLevel === undefined) return { missingYear: from };
	const toLevel = levels.get(to);
	if (toLevel === undefined) return { missingYear: to };
	return toLevel / fromLevel;
}

/**
 * Units of `to` per unit of `from` in `year`: a rate given from -> to, or the inverse of one
 * given to -> from, whose `year` is the year or whose `years` span contains it; else the product
 * of two such rates through one other currency of the table. Same currency: 1.
 *
 * @example
 * conversionRate({ rates: [{ from: 'GBP', to: 'USD', year: 2020, rate: 1.28 }] }, 'USD', 'GBP', 2020) // 1 / 1.28
 */
export function conversionRate(
	conversion: Pick<CurrencyConversion, 'rates'> | undefined,
	from: string,
	to: string,
	year: number
): { rate: number; entry: ConversionRate | null; via?: string } | null {
	if (from === to) return { rate: 1, entry: null };
	const direct = directRate(conversion, from, to, year);
	if (direct) return { rate: direct.rate, entry: direct.entry };
	// through one other currency, e.g. EUR -> GBP -> USD when only those two rates are given
	const others = new Set((conversion?.rates ?? []).flatMap((entry) => [entry.from, entry.to]));
	for (const via of others) {
		if (via === from || via === to) continue;
		const firstLeg = directRate(conversion, from, via, year);
		const secondLeg = firstLeg && directRate(conversion, via, to, year);
		if (firstLeg && secondLeg) return { rate: firstLeg.rate * secondLeg.rate, entry: firstLeg.entry, via };
	}
	return null;
}

/** A rate given from -> to for the year (or its inverse, given to -> from), without a third currency. */
function directRate(conversion: Pick<CurrencyConversion, 'rates'> | undefined, from: string, to: string, year: number): { rate: number; entry: ConversionRate } | null {
	const covers = (entry: ConversionRate) => entry.year === year || (entry.years !== undefined && entry.years[0] <= year && year <= entry.years[1]);
	for (const entry of conversion?.rates ?? []) {
		if (!covers(entry)) continue;
		if (entry.from === from && entry.to === to) return { rate: entry.rate, entry };
		if (entry.from === to && entry.to === from) return { rate: 1 / entry.rate, entry };
	}
	return null;
}

/**
 * A cost parameter's value, range and distribution multiplied by `factor` (the PSA then draws
 * around the converted mean with the converted spread: every scale moment is multiplied, shape
 * parameters are kept, a lognormal's meanlog moves by log(factor)). With factor 1 the parameter
 * is returned as it is, so models already in their own price year give identical results.
 *
 * @example
 * scaleCost({ value: 100, low: 80, high: 120, ... }, 1.1) // value 110, low 88, high 132
 */
export function scaleCost(p: Parameter, factor: number, path: string): Parameter {
	if (factor === 1) return p;
	const scaled = (amount: number | undefined) => (amount === undefined ? undefined : amount * factor);
	const out: Parameter = { ...p, value: scaled(p.value), low: scaled(p.low), high: scaled(p.high) };
	if (p.distribution) out.distribution = scaleDistribution(p.distribution, factor, joinPath(path, 'distribution'));
	return out;
}

/** A cost's distribution in the converted units: its scale parameters multiplied by the factor, a lognormal's meanlog moved by log(factor). */
function scaleDistribution(d: Distribution, factor: number, path: string): Distribution {
	const m = (amount: number | undefined) => (amount === undefined ? undefined : amount * factor);
	switch (d.type) {
		case 'fixed':
			return d;
		case 'gamma':
			return { ...d, mean: m(d.mean), se: m(d.se), scale: m(d.scale) };
		case 'lognormal':
			return { ...d, mean: m(d.mean), se: m(d.se), meanlog: d.meanlog === undefined ? undefined : d.meanlog + Math.log(factor) };
		case 'normal':
			return { ...d, mean: m(d.mean), sd: m(d.sd) };
		case 'uniform':
			return { ...d, min: m(d.min), max: m(d.max) };
		case 'triangular':
			return { ...d, min: m(d.min), mode: m(d.mode), max: m(d.max) };
		case 'beta':
		case 'dirichlet':
			throw new ModelError(
				issue(path, 'distribution', `a ${d.type} distribution cannot be converted to another currency or price year; use gamma or lognormal for a cost`)
			);
	}
}

/** Checks the cost fields of one parameter: which parameters state them, and that they are complete. */
function declarationIssues(id: string, p: Parameter, path: string): ModelIssue[] {
	const problems: ModelIssue[] = [];
	const states = p.currency !== undefined || p.priceYear !== undefined || p.priceYearAssumed !== undefined;
	if (p.kind !== 'cost') {
		if (states) problems.push(issue(joinPath(path, 'currency'), 'schema', `currency and priceYear belong to parameters of kind "cost"; "${id}" is of kind "${p.kind}"`));
		return problems;
	}
	if (p.expression !== undefined) {
		if (states)
			problems.push(
				issue(joinPath(path, 'currency'), 'schema', 'a cost given by an expression is computed from converted costs, so it is in the model\'s currency and price year; remove currency, priceYear and priceYearAssumed')
			);
		return problems;
	}
	if (p.currency === undefined)
		problems.push(issue(joinPath(path, 'currency'), 'schema', `cost "${id}" needs its currency (an ISO 4217 code, e.g. "currency": "GBP")`));
	if (p.priceYear === undefined)
		problems.push(
			issue(
				joinPath(path, 'priceYear'),
				'schema',
				`cost "${id}" needs its price year ("priceYear": 2023, the year its source's prices are for), or an assumed year with "priceYearAssumed": true and an "assumption" saying why`
			)
		);
	if (p.priceYearAssumed && !p.assumption)
		problems.push(issue(joinPath(path, 'assumption'), 'schema', `cost "${id}" has an assumed price year; its "assumption" must say why the year is assumed`));
	return problems;
}

/** Checks the model's index and rate tables: every rate has a source or an assumption and one year or a span. */
function tableIssues(model: Model): ModelIssue[] {
	const problems: ModelIssue[] = [];
	for (const [cur, series] of Object.entries(model.priceIndices ?? {})) {
		const path = joinPath('priceIndices', cur);
		if (!series.values && !series.percentChange) problems.push(issue(path, 'schema', 'give the index as "values" (levels by year) or "percentChange" (annual % change)'));
		if (series.values && series.percentChange) problems.push(issue(path, 'schema', 'give "values" or "percentChange", not both'));
		const years = Object.keys(series.percentChange ?? {}).map(Number).sort((first, second) => first - second);
		for (let k = 1; k < years.length; k++)
			if (years[k] !== years[k - 1] + 1)
				problems.push(issue(joinPath(path, 'percentChange'), 'schema', `annual changes must cover consecutive years; ${years[k - 1] + 1} is missing`));
	}
	(model.currencyConversion?.rates ?? []).forEach((entry, k) => {
		const path = joinPath('currencyConversion', 'rates', k);
		if ((entry.year === undefined) === (entry.years === undefined)) problems.push(issue(path, 'schema', 'give the rate\'s "year" or its span "years": [first, last], not both'));
		if (entry.years && entry.years[0] > entry.years[1]) problems.push(issue(joinPath(path, 'years'), 'schema', `the span starts after it ends (${entry.years[0]} to ${entry.years[1]})`));
		if (!entry.source && !entry.assumption) problems.push(issue(path, 'schema', 'a rate needs a "source" (citation and where in it) or an "assumption" (the reason)'));
		if (entry.from === entry.to) problems.push(issue(path, 'schema', `a rate converts between two currencies; both are ${entry.from}`));
	});
	return problems;
}

/**
 * The conversion of one declared cost (currency X, year Y) to the target (M, T), or the issue
 * that stops it (a missing index, index year or rate), at `path`.
 *
 * @example
 * costFactor(model, levels, 'USD', 2020, { currency: 'GBP', priceYear: 2024 }, 'parameters.c_x')
 * // { inflation: I_USD(2024) / I_USD(2020), rate: GBP per USD in 2024, factor: their product }
 */
export function costFactor(
	model: Pick<Model, 'priceIndices' | 'currencyConversion'>,
	levels: Map<string, Map<number, number>>,
	currency: string,
	priceYear: number,
	target: CostTarget,
	path: string
): { inflation: number; rate: number; factor: number; steps: string[] } | ModelIssue {
	const noIndex = priceYear !== target.priceYear && !levels.has(currency) && currency !== target.currency;
	if (noIndex && model.currencyConversion?.missingIndex) {
		// the labelled fallback: convert at the rate for the cost's own year, inflate in the target currency
		const conversion = rateStep(model, currency, target.currency, priceYear);
		if ('path' in conversion) return conversion;
		const inflation = inflationStep(model, levels, target.currency, priceYear, target.priceYear, path);
		if ('path' in inflation) return inflation;
		const note = `no ${currency} price index: converted at the ${priceYear} rate, then inflated in the ${target.currency} index (assumption: ${model.currencyConversion.missingIndex.assumption})`;
		return { inflation: inflation.factor, rate: conversion.rate, factor: conversion.rate * inflation.factor, steps: [conversion.step, inflation.step, note] };
	}
	const inflation = inflationStep(model, levels, currency, priceYear, target.priceYear, path);
	if ('path' in inflation) return inflation;
	const conversion = rateStep(model, currency, target.currency, target.priceYear);
	if ('path' in conversion) return conversion;
	return { inflation: inflation.factor, rate: conversion.rate, factor: inflation.factor * conversion.rate, steps: [inflation.step, conversion.step].filter((step) => step !== '') };
}

/** index_X(to) / index_X(from) with its description, or the issue naming the missing index or year. */
function inflationStep(
	model: Pick<Model, 'priceIndices'>,
	levels: Map<string, Map<number, number>>,
	currency: string,
	from: number,
	to: number,
	path: string
): { factor: number; step: string } | ModelIssue {
	if (from === to) return { factor: 1, step: '' };
	const series = model.priceIndices?.[currency];
	const currencyLevels = levels.get(currency);
	if (!series || !currencyLevels)
		return issue(joinPath(path, 'priceYear'), 'unknown-reference', `no price index for ${currency} in priceIndices, so ${currency} ${from} prices cannot be inflated to ${to}`);
	const factor = inflationFactor(currencyLevels, from, to);
	if (typeof factor !== 'number') {
		const have = [...currencyLevels.keys()].sort((first, second) => first - second);
		const covers = `it covers ${have[0]}-${have[have.length - 1]}`;
		// the target year missing concerns every cost in this currency: reported once, at the model's priceYear
		if (factor.missingYear === to)
			return issue('priceYear', 'unknown-reference', `the ${currency} price index (${series.name}) has no value for the target price year ${to} (${covers}), so ${currency} costs cannot be inflated to it`);
		return issue(
			joinPath(path, 'priceYear'),
			'unknown-reference',
			`the ${currency} price index (${series.name}) has no value for ${factor.missingYear} (${covers}), so ${currency} ${from} prices cannot be inflated to ${to}`
		);
	}
	return { factor, step: `${series.name}: ${round(currencyLevels.get(to) as number)} / ${round(currencyLevels.get(from) as number)} = ${round(factor)} (${from} to ${to})` };
}

/** Units of `to` per unit of `from` in `year` with its description, or the issue naming the missing rate. */
function rateStep(model: Pick<Model, 'currencyConversion'>, from: string, to: string, year: number): { rate: number; step: string } | ModelIssue {
	const found = conversionRate(model.currencyConversion, from, to, year);
	// concerns every cost in this currency: reported once, at the model's currency
	if (!found) return issue('currency', 'unknown-reference', `no rate from ${from} to ${to} for ${year} in currencyConversion.rates, so ${from} costs cannot be converted`);
	if (!found.entry) return { rate: 1, step: '' };
	const kind = model.currencyConversion?.basis === 'ppp' ? 'PPP' : 'exchange rate';
	const assumed = found.entry.assumption ? ' (assumption)' : '';
	return { rate: found.rate, step: `${kind} ${year}: ${round(found.rate)} ${to} per ${from}${found.via ? ` via ${found.via}` : ''}${assumed}` };
}

/** A number to 6 significant digits, for the conversion's description. */
function round(value: number): string {
	return String(Number(value.toPrecision(6)));
}

/**
 * The model with every cost given by value (and every number a scenario or strategy gives a
 * cost) converted to `target`, and the record of each conversion. Throws a ModelError listing
 * every parameter that cannot be converted, by path (e.g. `parameters.c_ocr.priceYear`).
 *
 * @example
 * const { model: converted, conversions } = convertCosts(model, { currency: 'GBP', priceYear: 2024 });
 * conversions.c_ocr.factor // index and rate product; converted.parameters.c_ocr.value = value x factor
 */
export function convertCosts(model: Model, target: CostTarget): { model: Model; conversions: Record<string, CostConversion> } {
	const problems: ModelIssue[] = tableIssues(model);
	const levels = new Map<string, Map<number, number>>();
	for (const [currency, series] of Object.entries(model.priceIndices ?? {})) levels.set(currency, indexLevels(series));
	const conversions: Record<string, CostConversion> = {};
	const parameters: Record<string, Parameter> = {};
	const reported = new Set<string>();
	for (const [id, parameter] of Object.entries(model.parameters)) {
		parameters[id] = parameter;
		const converted = convertParameter(model, levels, id, parameter, target);
		if (converted && 'problems' in converted) problems.push(...converted.problems);
		else if (converted && 'shared' in converted) {
			// a missing index year or rate concerns every cost in its currency: reported once
			const key = `${converted.shared.path}|${converted.shared.message}`;
			if (!reported.has(key)) problems.push(converted.shared);
			reported.add(key);
		} else if (converted) {
			parameters[id] = converted.parameter;
			conversions[id] = converted.conversion;
		}
	}
	if (problems.length) throw new ModelError(problems);
	const scaleNumbers = <T extends number | string>(values: Record<string, T> | undefined): Record<string, T> | undefined => {
		if (!values) return values;
		const out: Record<string, T> = {};
		for (const [id, value] of Object.entries(values)) out[id] = (typeof value === 'number' && conversions[id] ? value * conversions[id].factor : value) as T;
		return out;
	};
	return {
		model: {
			...model,
			currency: target.currency,
			priceYear: target.priceYear,
			parameters,
			strategies: model.strategies.map((strategy) => (strategy.parameters ? { ...strategy, parameters: scaleNumbers(strategy.parameters) } : strategy)),
			scenarios: model.scenarios?.map((scenario) => (scenario.parameters ? { ...scenario, parameters: scaleNumbers(scenario.parameters) } : scenario))
		},
		conversions
	};
}

/**
 * One parameter converted to the target, with the record of its conversion; null when it needs
 * none (not a cost given by value); otherwise the parameter's own problems, or the missing index
 * year or rate (`shared`: the same for every cost in its currency).
 */
function convertParameter(
	model: Model,
	levels: Map<string, Map<number, number>>,
	id: string,
	parameter: Parameter,
	target: CostTarget
): { parameter: Parameter; conversion: CostConversion } | { problems: ModelIssue[] } | { shared: ModelIssue } | null {
	const path = joinPath('parameters', id);
	const declared = declarationIssues(id, parameter, path);
	if (declared.length) return { problems: declared };
	if (parameter.kind !== 'cost' || parameter.value === undefined) return null;
	const currency = parameter.currency as string;
	const priceYear = parameter.priceYear as number;
	const factor = costFactor(model, levels, currency, priceYear, target, path);
	if ('path' in factor) return { shared: factor };
	let converted: Parameter;
	try {
		// the converted parameter states the target it is now in, so compiling cm.model again converts nothing
		converted = { ...scaleCost(parameter, factor.factor, path), currency: target.currency, priceYear: target.priceYear };
	} catch (error) {
		if (error instanceof ModelError) return { problems: error.issues };
		throw error;
	}
	const conversion: CostConversion = {
		currency,
		priceYear,
		priceYearAssumed: parameter.priceYearAssumed === true,
		value: parameter.value,
		low: parameter.low,
		high: parameter.high,
		target,
		inflation: factor.inflation,
		rate: factor.rate,
		factor: factor.factor,
		converted: converted.value as number,
		steps: factor.steps
	};
	return { parameter: converted, conversion };
}
