/**
 * The first step of `compile`: a model file checked against the zod schema (ARCHITECTURE.md,
 * principle 5), with the format version and zod's issues turned into messages with paths into
 * the file (principle 9).
 */
import * as z from 'zod';
import { FORMAT_VERSION, Model } from './schema';
import { ModelError, issue, joinPath, type ModelIssue } from '../errors';
import { fileHorizon, missingHorizon } from './horizon';
import { bySubgroupId } from './subgroups';

/**
 * Validates the model against the schema and returns it with defaults applied; a file that is
 * not one object, of another format version, or not of the schema throws a ModelError.
 *
 * @example
 * validateSchema({ formatVersion: 1, ... }).cycleCorrection // 'half-cycle' when the file gives none
 * validateSchema([])                                         // ModelError: "a model file holds one JSON object ..."
 */
export function validateSchema(data: unknown): Model {
	if (data === null || typeof data !== 'object' || Array.isArray(data))
		throw new ModelError(
			issue('', 'schema', `a model file holds one JSON object ({ "formatVersion": 1, ... }); this one holds ${data === null ? 'null' : Array.isArray(data) ? 'an array' : `a ${typeof data}`}`)
		);
	if ('formatVersion' in data && (data as { formatVersion: unknown }).formatVersion !== FORMAT_VERSION)
		throw new ModelError(formatVersionIssue((data as { formatVersion: unknown }).formatVersion));
	const parsed = Model.safeParse(data);
	if (!parsed.success) throw new ModelError([...bySubgroupId(zodIssues(parsed.error), data), ...missingHorizon(data)]);
	// the horizon in cycles, from `horizon` or `horizonAge` (model/horizon.ts)
	return { ...parsed.data, horizon: fileHorizon(parsed.data) };
}

/** The message for a file of another format version: update the app, or convert the file. */
function formatVersionIssue(version: unknown): ModelIssue {
	const written = typeof version === 'number' ? version : typeof version === 'string' ? JSON.stringify(version.slice(0, 40)) : `a ${typeof version}`;
	const advice =
		typeof version === 'number' && version > FORMAT_VERSION
			? 'It was written by a newer version of the app: update the app.'
			: 'Convert it to version 1 as described in docs/model-format.md.';
	return issue('formatVersion', 'format-version', `this app reads model format version ${FORMAT_VERSION}; the file says ${written}. ${advice}`);
}

/**
 * zod's issues as ModelIssues: at most 50, one per unknown field (at the field itself, so even a
 * stray field at the top of the file has a path the UI can point at), "required field is
 * missing" for an absent field.
 *
 * @example
 * zodIssues(Model.safeParse({ formatVersion: 1, colour: 'red' }).error)
 * // [..., { path: 'colour', code: 'schema', message: 'unknown field "colour"' }, ...]
 */
export function zodIssues(error: z.ZodError): ModelIssue[] {
	return error.issues.slice(0, 50).flatMap((zodIssue) => {
		const path = joinPath(...zodIssue.path.map((part) => String(part)));
		let message = zodIssue.message;
		if (zodIssue.code === 'unrecognized_keys')
			return zodIssue.keys.slice(0, 50).map((key) => issue(joinPath(path, key), 'schema', `unknown field "${key}"`));
		if (zodIssue.code === 'invalid_type' && /received undefined$/.test(zodIssue.message))
			message = `required field is missing (expected ${zodIssue.expected})`;
		else if (zodIssue.code === 'invalid_type') message = zodIssue.message.replace(/^Invalid input: /, '');
		return issue(path, 'schema', message);
	});
}
