/**
 * The scenario in the URL: `?s=<base64url(JSON)>` holding only the overrides of the model's
 * defaults, with a format version so an old link either loads or says why it cannot.
 *   { v: 1, m: modelId, p: {param: value}, s: {settings}, pv?: perspective, n?: name }
 */
import * as z from 'zod';
import { SettingsOverride } from '$lib/engine';
import type { ScenarioInputs } from './inputs';

export const URL_FORMAT_VERSION = 1;
export const URL_PARAM = 's';

const Encoded = z.object({
	v: z.number(),
	m: z.string().min(1).max(64),
	p: z.record(z.string(), z.number()).optional(),
	s: SettingsOverride.optional(),
	pv: z.string().max(200).optional(),
	n: z.string().max(200).optional()
});

export function toBase64Url(text: string): string {
	const bytes = new TextEncoder().encode(text);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(code: string): string {
	const b64 = code.replace(/-/g, '+').replace(/_/g, '/');
	const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
	return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeScenario(inputs: ScenarioInputs, name?: string): string {
	const o: z.infer<typeof Encoded> = { v: URL_FORMAT_VERSION, m: inputs.modelId };
	if (Object.keys(inputs.parameters).length) o.p = inputs.parameters;
	if (Object.keys(inputs.settings).length) o.s = inputs.settings;
	if (inputs.perspective) o.pv = inputs.perspective;
	if (name) o.n = name;
	return toBase64Url(JSON.stringify(o));
}

export type Decoded = { ok: true; inputs: ScenarioInputs; name?: string } | { ok: false; message: string };

export function decodeScenario(code: string): Decoded {
	let data: unknown;
	try {
		data = JSON.parse(fromBase64Url(code));
	} catch {
		return { ok: false, message: 'The scenario in this link is damaged (it is not readable); showing the model defaults.' };
	}
	const parsed = Encoded.safeParse(data);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		return { ok: false, message: `The scenario in this link is not valid (${i.path.join('.') || 'scenario'}: ${i.message}); showing the model defaults.` };
	}
	const e = parsed.data;
	if (e.v !== URL_FORMAT_VERSION)
		return { ok: false, message: `This link uses scenario format ${e.v}; this app reads format ${URL_FORMAT_VERSION}. Showing the model defaults.` };
	const inputs: ScenarioInputs = { modelId: e.m, parameters: e.p ?? {}, settings: e.s ?? {} };
	if (e.pv) inputs.perspective = e.pv;
	return { ok: true, inputs, name: e.n };
}
