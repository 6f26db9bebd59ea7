/**
 * Charts drawn as inline SVG text, for the report (a page with no scripts and no external
 * requests, which prints as it shows). Pure: data in, markup out. Every chart carries a <title>
 * and axis labels with their units, and series are coloured from the app's palette.
 */
import { colourAt } from '../charts/palette';

/** Escapes text for HTML and SVG content and attribute values. @example esc('a<b') // 'a&lt;b' */
export function esc(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Tick values for an axis: the step is the smallest of 1, 2, 5 or 10 times a power of ten that is
 * at least (max - min) / count, so there are at most about `count` intervals (after Heckbert,
 * "Nice numbers for graph labels", Graphics Gems, 1990, who rounds instead).
 * @example niceTicks(0, 97, 5) // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
	if (!(max > min)) return [min];
	const raw = (max - min) / count;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
	const ticks: number[] = [];
	for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
	if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
	return ticks;
}

/** Short axis labels: 1,250,000 -> "1.25m", 45,000 -> "45k". @example shortNumber(-2500) // '-2.5k' */
export function shortNumber(v: number): string {
	const a = Math.abs(v);
	if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}m`;
	if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
	return String(Number(v.toPrecision(4)));
}

export interface Series {
	label: string;
	points: [number, number][];
	colour?: string;
}

export interface Axes {
	title: string;
	xLabel: string;
	yLabel: string;
	/** draw lines through the points (else dots) */
	lines: boolean;
	/** include zero on both axes (the CE plane's origin) */
	origin?: boolean;
	width?: number;
	height?: number;
	/** data-testid of the figure */
	id: string;
}

const PAD = { left: 70, right: 16, top: 28, bottom: 46 };

/** A line chart or scatter plot of several series, with a legend below. */
export function xyChart(series: Series[], a: Axes): string {
	const W = a.width ?? 680;
	const H = a.height ?? 320;
	const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
	const xs = all.map((p) => p[0]).concat(a.origin ? [0] : []);
	const ys = all.map((p) => p[1]).concat(a.origin ? [0] : []);
	const xt = niceTicks(Math.min(...xs), Math.max(...xs));
	const yt = niceTicks(Math.min(...ys), Math.max(...ys));
	const [x0, x1, y0, y1] = [xt[0], xt[xt.length - 1], yt[0], yt[yt.length - 1]];
	const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
	const py = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
	const grid = [
		...xt.map((t) => `<line x1="${px(t)}" y1="${PAD.top}" x2="${px(t)}" y2="${H - PAD.bottom}" class="grid"/><text x="${px(t)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${esc(shortNumber(t))}</text>`),
		...yt.map((t) => `<line x1="${PAD.left}" y1="${py(t)}" x2="${W - PAD.right}" y2="${py(t)}" class="grid"/><text x="${PAD.left - 4}" y="${py(t) + 4}" text-anchor="end">${esc(shortNumber(t))}</text>`)
	];
	if (a.origin) grid.push(`<line x1="${px(0)}" y1="${PAD.top}" x2="${px(0)}" y2="${H - PAD.bottom}" class="axis"/><line x1="${PAD.left}" y1="${py(0)}" x2="${W - PAD.right}" y2="${py(0)}" class="axis"/>`);
	const marks = series.map((s, i) => {
		const c = s.colour ?? colourAt(i);
		const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
		if (a.lines) return `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`;
		const r = pts.length > 50 ? 1.6 : 4;
		return `<g fill="${c}" fill-opacity="${pts.length > 50 ? 0.45 : 0.9}">${pts.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="${r}"/>`).join('')}</g>`;
	});
	const svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(a.title)}"><title>${esc(a.title)}</title>
<g class="ticks">${grid.join('')}</g>${marks.join('')}
<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle" class="label">${esc(a.xLabel)}</text>
<text transform="translate(14 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(a.yLabel)}</text></svg>`;
	return figure(a.id, a.title, svg, legend(series.map((s, i) => ({ label: s.label, colour: s.colour ?? colourAt(i) }))));
}

/** The colour key below a chart. @example legend([{ label: 'aHSCT', colour: '#332288' }]) */
export function legend(items: { label: string; colour: string }[]): string {
	return `<ul class="legend">${items.map((i) => `<li><span class="swatch" style="background:${i.colour}"></span>${esc(i.label)}</li>`).join('')}</ul>`;
}

/** A chart as a figure with its caption; `id` becomes its data-testid. @example figure('chart-ceac', 'CEAC', svg) */
export function figure(id: string, caption: string, svg: string, after = ''): string {
	return `<figure data-testid="${esc(id)}">${svg}${after}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export interface Bar {
	label: string;
	low: number;
	high: number;
}

/**
 * A tornado: one horizontal bar per parameter from the measure at its low value to the measure
 * at its high value, about the base-case line; the axis spans every bar end and the base.
 */
export function tornadoChart(bars: Bar[], base: number, o: { id: string; title: string; xLabel: string }): string {
	const W = 680;
	const labelWidth = 250;
	const row = 22;
	const H = PAD.top + bars.length * row + PAD.bottom;
	const ends = bars.flatMap((b) => [b.low, b.high]).filter(Number.isFinite).concat([base]);
	const t = niceTicks(Math.min(...ends), Math.max(...ends));
	const [x0, x1] = [t[0], t[t.length - 1]];
	const px = (x: number) => labelWidth + ((x - x0) / (x1 - x0 || 1)) * (W - labelWidth - PAD.right);
	const rows = bars.map((b, i) => {
		const y = PAD.top + i * row;
		const seg = (v: number, colour: string) =>
			Number.isFinite(v) ? `<rect x="${Math.min(px(v), px(base)).toFixed(1)}" y="${y + 3}" width="${Math.abs(px(v) - px(base)).toFixed(1)}" height="${row - 6}" fill="${colour}"/>` : '';
		const name = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label;
		return `<text x="${labelWidth - 6}" y="${y + row / 2 + 4}" text-anchor="end">${esc(name)}</text>${seg(b.low, colourAt(9))}${seg(b.high, colourAt(1))}`;
	});
	const ticks = t.map((v) => `<line x1="${px(v)}" y1="${PAD.top}" x2="${px(v)}" y2="${H - PAD.bottom}" class="grid"/><text x="${px(v)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${esc(shortNumber(v))}</text>`);
	const svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}"><title>${esc(o.title)}</title>
<g class="ticks">${ticks.join('')}</g>${rows.join('')}
<line x1="${px(base)}" y1="${PAD.top - 4}" x2="${px(base)}" y2="${H - PAD.bottom}" class="axis"/>
<text x="${(labelWidth + W) / 2}" y="${H - 8}" text-anchor="middle" class="label">${esc(o.xLabel)}</text></svg>`;
	return figure(o.id, o.title, svg, legend([{ label: 'at the low value', colour: colourAt(9) }, { label: 'at the high value', colour: colourAt(1) }]));
}
