/**
 * The model's structure drawn from its file: each state a node on a circle, each move an arrow.
 * A move is a transition from one state to another that some strategy defines with a
 * probability other than the number 0 (self-loops, the cohort staying put, are not drawn).
 */
import type { ModelInput } from '../engine';
import { esc, figure } from './svg';

export interface Move {
	from: string;
	to: string;
	/** the strategies that define this move */
	strategies: string[];
}

/**
 * Every move between distinct states, in the order the states are listed.
 * @example movesOf(model) // [{ from: 'healthy', to: 'sick', strategies: ['soc', 'new'] }, ...]
 */
export function movesOf(model: ModelInput): Move[] {
	const moves = new Map<string, Move>();
	for (const st of model.strategies)
		for (const [from, row] of Object.entries(st.transitions))
			for (const [to, p] of Object.entries(row)) {
				if (from === to || p === 0) continue;
				const key = `${from}\u0000${to}`;
				const m = moves.get(key) ?? { from, to, strategies: [] };
				m.strategies.push(st.id);
				moves.set(key, m);
			}
	const order = new Map(model.states.map((s, i) => [s.id, i]));
	return [...moves.values()].sort((a, b) => (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) || (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0));
}

/** The state diagram as an SVG figure: states on a circle, arrows for moves, death states shaded. */
export function stateDiagram(model: ModelInput, moves: Move[]): string {
	const n = model.states.length;
	const W = 680;
	const H = n > 6 ? 560 : 420;
	const R = Math.min(W, H) / 2 - 70;
	const [cx, cy] = [W / 2, H / 2];
	const at = new Map(model.states.map((s, i) => {
		const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
		return [s.id, { x: cx + R * Math.cos(angle), y: cy + R * Math.sin(angle) }];
	}));
	const node = 30;
	const arrows = moves.map((m) => {
		const a = at.get(m.from);
		const b = at.get(m.to);
		if (!a || !b) return '';
		const [dx, dy] = [b.x - a.x, b.y - a.y];
		const d = Math.hypot(dx, dy) || 1;
		const [ux, uy] = [dx / d, dy / d];
		// a slight sideways offset keeps the two directions of a pair apart
		const [ox, oy] = [-uy * 4, ux * 4];
		return `<line x1="${(a.x + ux * node + ox).toFixed(1)}" y1="${(a.y + uy * node + oy).toFixed(1)}" x2="${(b.x - ux * (node + 4) + ox).toFixed(1)}" y2="${(b.y - uy * (node + 4) + oy).toFixed(1)}" class="move" marker-end="url(#arrow)"/>`;
	});
	const nodes = model.states.map((s) => {
		const p = at.get(s.id)!;
		const label = s.label.length > 22 ? `${s.label.slice(0, 21)}…` : s.label;
		return `<g data-state="${esc(s.id)}"><circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${node}" class="${s.dead ? 'state dead' : 'state'}"/><text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle" class="state-id">${esc(s.id)}</text><text x="${p.x.toFixed(1)}" y="${(p.y + node + 14).toFixed(1)}" text-anchor="middle">${esc(label)}</text></g>`;
	});
	const title = `State diagram: ${n} states and ${moves.length} moves between them`;
	const svg = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>
${arrows.join('')}${nodes.join('')}</svg>`;
	return figure('state-diagram', title, svg);
}
