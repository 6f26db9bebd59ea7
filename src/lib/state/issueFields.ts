/**
 * Which parameters a run error concerns, so the message can stand beside the fields the user
 * edited. An issue at `parameters.<id>` is that parameter's; an issue at a place in a strategy
 * (e.g. `strategies.comb.transitions.A.B`, a row that no longer sums to 1) concerns the
 * parameters named in the expressions there, and those that expression parameters there use.
 */
import { own, type Model } from '$lib/engine';

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

function expressionsAt(model: Model, path: string): string[] {
	const [kind, id, ...rest] = path.split('.');
	let node: unknown;
	if (kind === 'strategies') {
		node = model.strategies.find((s) => s.id === id);
		// a transition issue concerns the whole row (the complement depends on every entry)
		if (rest[0] === 'transitions') rest.splice(2);
	} else if (kind === 'states') node = model.states.find((s) => s.id === id);
	else return [];
	for (const p of rest) node = node && typeof node === 'object' ? own(node as Record<string, unknown>, p) : undefined;
	const out: string[] = [];
	const walk = (v: unknown) => {
		if (typeof v === 'string') out.push(v);
		else if (v && typeof v === 'object') Object.values(v).forEach(walk);
	};
	walk(node);
	return out;
}

export function parametersConcerned(model: Model, path: string): string[] {
	const direct = /^parameters\.([A-Za-z][A-Za-z0-9_]*)/.exec(path);
	if (direct) return [direct[1]];
	const found = new Set<string>();
	const visit = (text: string, depth: number) => {
		for (const name of text.match(IDENT) ?? []) {
			const p = own(model.parameters, name);
			if (!p || found.has(name)) continue;
			found.add(name);
			if (p.expression && depth < 3) visit(p.expression, depth + 1);
		}
	};
	for (const e of expressionsAt(model, path)) visit(e, 0);
	return [...found];
}
