/** One figure that `npm run bench` prints: a measured value, its unit, and its target where it has one. */
export interface Figure {
	name: string;
	value: number;
	unit: string;
	target?: number;
	pass?: boolean;
	note?: string;
}
