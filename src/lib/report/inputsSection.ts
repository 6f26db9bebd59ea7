/**
 * The report's inputs table (every parameter with the value used, range, distribution, source
 * and price year) and its assumptions list (every input resting on an assumption, with the
 * reason the model file gives).
 */
import type { Distribution, ModelInput, RunOptions, RunResult } from '../engine';
import { esc } from './svg';

type ParameterInput = ModelInput['parameters'][string];

/**
 * A cost parameter's own currency and price year, when the model file gives them (optional
 * fields; read defensively so a model without them reads as before).
 * @example priceTag({ currency: 'EUR', priceYear: 2019 }) // 'EUR, 2019 prices'
 */
export function priceTag(p: object): string {
	const o = p as { currency?: unknown; priceYear?: unknown };
	const currency = typeof o.currency === 'string' ? o.currency : '';
	const year = typeof o.priceYear === 'number' ? o.priceYear : null;
	if (!currency && year === null) return '';
	return [currency, year === null ? '' : `${year} prices`].filter(Boolean).join(', ');
}

/**
 * A distribution in words, with its parameters as given in the model file.
 * @example distributionText({ type: 'beta', fromRange: true }) // 'beta (low-high as a 95% interval)'
 */
export function distributionText(d: Distribution | undefined): string {
	if (!d) return 'none (not drawn)';
	if (d.type === 'fixed') return 'fixed (not drawn)';
	const { type, ...rest } = d as Record<string, unknown> & { type: string };
	const fromRange = rest.fromRange === true;
	delete rest.fromRange;
	const given = Object.entries(rest).map(([k, v]) => `${k} ${v}`);
	if (fromRange) given.push('low-high as a 95% interval');
	return given.length ? `${type} (${given.join(', ')})` : `${type} (moments from the value)`;
}

function sourceText(p: ParameterInput): string {
	if (p.source) {
		const s = p.source;
		return `${esc(s.citation)}${s.location ? `; ${esc(s.location)}` : ''}${s.url ? ` <span class="url">${esc(s.url)}</span>` : ''}`;
	}
	return p.assumption ? `<em>Assumption:</em> ${esc(p.assumption)}` : '<em>no source or assumption given</em>';
}

function valueText(v: number | undefined): string {
	return v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(6)));
}

/** Every input, grouped as in the model file, with the value used in this run. */
export function inputsTable(model: ModelInput, result: RunResult, options: RunOptions): string {
	const changed = new Set(Object.keys(options.parameters ?? {}));
	const rows = Object.entries(model.parameters).map(([id, p]) => {
		const used = result.parameters[id];
		const range = p.low !== undefined && p.high !== undefined ? `${valueText(p.low)} to ${valueText(p.high)}` : '';
		const note = changed.has(id) ? ` <span class="changed">changed from ${valueText(p.value)}</span>` : '';
		const outside = p.low !== undefined && p.high !== undefined && (used < p.low || used > p.high) ? ' <span class="changed">outside the range</span>' : '';
		return `<tr data-param="${esc(id)}"><td><code>${esc(id)}</code></td><td>${esc(p.description)}<div class="small">${esc(p.group)}</div></td><td class="num" data-value="${used}">${esc(valueText(used))}${note}${outside}${p.expression ? `<div class="small">= ${esc(p.expression)}</div>` : ''}</td><td>${esc(p.unit)}</td><td class="num">${esc(range)}</td><td>${esc(distributionText(p.distribution))}</td><td>${esc(priceTag(p))}</td><td>${sourceText(p)}</td></tr>`;
	});
	return `<p>${rows.length} inputs. Values are those used in this run (expression inputs at cycle 1).</p>
<div class="scroll"><table class="inputs" data-testid="inputs-table"><thead><tr><th>Id</th><th>Input</th><th>Value</th><th>Unit</th><th>Range (low to high)</th><th>PSA distribution</th><th>Price year</th><th>Source</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** The inputs that rest on an assumption, with the model's reason, and the model's structural assumptions. */
export function assumptionsList(model: ModelInput, result: RunResult): string {
	const assumed = Object.entries(model.parameters).filter(([, p]) => p.assumption);
	const structural = [
		`Cohort moves happen once per cycle of ${result.settings.cycleLength} year(s), with ${result.settings.cycleCorrection} cycle correction.`,
		'Transition probabilities depend only on the current state (and the time in it for tunnel states, and model time where an expression uses it).'
	];
	const items = assumed.map(([id, p]) => `<li><code>${esc(id)}</code> (${esc(p.description)}): ${esc(p.assumption!)}</li>`);
	return `<ul>${structural.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>
<p>${assumed.length} inputs rest on a stated assumption:</p><ul data-testid="assumptions">${items.join('')}</ul>`;
}
