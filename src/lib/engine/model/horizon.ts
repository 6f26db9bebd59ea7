/**
 * A time horizon given to an age ("until age 100") as well as in cycles. A model file, a
 * scenario or a subgroup may give `horizonAge`; the horizon in cycles then follows the start
 * age, so a cohort starting at 25 runs to 100 rather than for the base case's number of cycles.
 */
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import type { Settings, SettingsOverride } from './schema';

/** Slack for cycle counts that are whole numbers but not exactly so in floating point (64.0000000001). */
const CYCLE_SLACK = 1e-9;

/**
 * Cycles needed to reach `horizonAge` from `startAge`: ceil((horizonAge - startAge) / cycleLength),
 * so the last cycle ends at or after that age. `path` names the field in errors.
 *
 * @example
 *     horizonToAge(100, 36, 1);     // 64
 *     horizonToAge(100, 25, 1);     // 75
 *     horizonToAge(100, 36.5, 1);   // 64 (the last cycle ends at 100.5)
 *     horizonToAge(100, 36, 1 / 12) // 768
 */
export function horizonToAge(horizonAge: number, startAge: number, cycleLength: number, path = 'horizonAge'): number {
	if (!(horizonAge > startAge))
		throw new ModelError(issue(path, 'parameter-range', `the horizon age ${horizonAge} must be above the start age ${startAge}`));
	return Math.ceil((horizonAge - startAge) / cycleLength - CYCLE_SLACK);
}

/**
 * Settings after an override, as every run applies them. An override giving `horizon` (cycles)
 * without `horizonAge` sets the horizon in cycles and drops the age; otherwise, when the result
 * has a `horizonAge`, the horizon is horizonToAge(horizonAge, startAge, cycleLength), so a new
 * start age moves it. An override giving both must agree.
 *
 * @example
 *     mergeSettings({ ...s, startAge: 36, horizon: 64, horizonAge: 100 }, { startAge: 25 }).horizon; // 75
 *     mergeSettings({ ...s, startAge: 36, horizon: 64, horizonAge: 100 }, { horizon: 5 });          // horizon 5, no horizonAge
 */
export function mergeSettings(base: Settings, override: SettingsOverride | undefined, path = 'settings'): Settings {
	if (!override) return base;
	const merged: Settings = { ...base, ...override, discountRates: { ...base.discountRates, ...(override.discountRates ?? {}) } };
	if (override.horizon !== undefined && override.horizonAge === undefined) {
		delete merged.horizonAge;
		return merged;
	}
	if (merged.horizonAge === undefined) return merged;
	const cycles = horizonToAge(merged.horizonAge, merged.startAge, merged.cycleLength, joinPath(path, override.horizonAge !== undefined ? 'horizonAge' : 'startAge'));
	if (override.horizon !== undefined && override.horizon !== cycles)
		throw new ModelError(
			issue(joinPath(path, 'horizon'), 'invalid-override', `${override.horizon} cycles does not end at the horizon age ${merged.horizonAge} (that takes ${cycles}); give horizon or horizonAge, not both`)
		);
	return { ...merged, horizon: cycles };
}

/**
 * The issue of a model file giving neither `horizon` nor `horizonAge`, reported beside the
 * schema's own issues (so a misspelt "horizn" is shown with the missing horizon).
 *
 * @example
 *     missingHorizon({ horizn: 10 }); // [{ path: 'horizon', ... 'required field is missing ...' }]
 */
export function missingHorizon(data: object): ModelIssue[] {
	return 'horizon' in data || 'horizonAge' in data ? [] : [issue('horizon', 'schema', MISSING)];
}

const MISSING = 'required field is missing: give horizon (a number of cycles) or horizonAge (the age the model runs to)';

/**
 * The horizon in cycles of a model file that gives `horizon`, `horizonAge`, or both in agreement;
 * an error at `horizon` when it gives neither.
 *
 * @example
 *     fileHorizon({ startAge: 36, cycleLength: 1, horizonAge: 100 }); // 64
 */
export function fileHorizon(m: { horizon?: number; horizonAge?: number; startAge: number; cycleLength: number }): number {
	if (m.horizonAge === undefined) {
		if (m.horizon === undefined)
			throw new ModelError(issue('horizon', 'schema', MISSING));
		return m.horizon;
	}
	const cycles = horizonToAge(m.horizonAge, m.startAge, m.cycleLength);
	if (m.horizon !== undefined && m.horizon !== cycles)
		throw new ModelError(issue('horizon', 'schema', `${m.horizon} cycles does not end at horizonAge ${m.horizonAge} (that takes ${cycles}); give horizon or horizonAge, not both`));
	return cycles;
}
