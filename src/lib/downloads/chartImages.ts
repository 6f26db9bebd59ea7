/** PNGs of every chart on the page (for the bundle), named by their download file names. */
import { canvasPng } from './save';

export async function chartImages(root: ParentNode = document): Promise<Record<string, Uint8Array>> {
	const out: Record<string, Uint8Array> = {};
	for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[data-chart-file]')) {
		const name = canvas.dataset.chartFile as string;
		out[`charts/${name}`] = new Uint8Array(await (await canvasPng(canvas)).arrayBuffer());
	}
	return out;
}
