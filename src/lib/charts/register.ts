/** Chart.js with only the parts the app draws (tree-shaken registration). */
import {
	Chart,
	LineController,
	LineElement,
	PointElement,
	BarController,
	BarElement,
	ScatterController,
	LinearScale,
	CategoryScale,
	Legend,
	Tooltip,
	Title,
	Filler,
	type Plugin
} from 'chart.js';

/** Paints a white background so a downloaded PNG is not transparent. */
const background: Plugin = {
	id: 'whiteBackground',
	beforeDraw(chart) {
		const { ctx } = chart;
		ctx.save();
		ctx.globalCompositeOperation = 'destination-over';
		ctx.fillStyle = '#ffffff';
		ctx.fillRect(0, 0, chart.width, chart.height);
		ctx.restore();
	}
};

interface MarkerOptions {
	/** x value (in scale units) of a vertical line, with its label */
	x?: number | null;
	label?: string;
}

/** A labelled vertical line, e.g. the payback year on the cumulative cost chart. */
const verticalMarker: Plugin<'line'> = {
	id: 'verticalMarker',
	afterDatasetsDraw(chart, _args, options: MarkerOptions) {
		if (options.x === undefined || options.x === null) return;
		const x = chart.scales.x.getPixelForValue(options.x);
		const { top, bottom } = chart.chartArea;
		const { ctx } = chart;
		ctx.save();
		ctx.strokeStyle = '#b45309';
		ctx.setLineDash([6, 4]);
		ctx.lineWidth = 2;
		ctx.beginPath();
		ctx.moveTo(x, top);
		ctx.lineTo(x, bottom);
		ctx.stroke();
		if (options.label) {
			ctx.setLineDash([]);
			ctx.fillStyle = '#92400e';
			ctx.font = '600 12px system-ui, sans-serif';
			const w = ctx.measureText(options.label).width;
			ctx.fillText(options.label, Math.min(x + 6, chart.chartArea.right - w), top + 14);
		}
		ctx.restore();
	}
};

Chart.register(
	LineController,
	LineElement,
	PointElement,
	BarController,
	BarElement,
	ScatterController,
	LinearScale,
	CategoryScale,
	Legend,
	Tooltip,
	Title,
	Filler,
	background,
	verticalMarker as Plugin
);

declare module 'chart.js' {
	interface PluginOptionsByType<TType extends import('chart.js').ChartType> {
		verticalMarker?: MarkerOptions;
		whiteBackground?: Record<string, never>;
		/** unused: keeps TType referenced */
		_type?: TType;
	}
}

export { Chart };
export { PALETTE } from './palette';
