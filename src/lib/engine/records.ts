/**
 * Look-ups by a name the user wrote (a parameter id in a link, a file name in a bundle). A plain
 * `record[name]` also finds what every object inherits: `constructor`, `toString`, `__proto__`
 * name functions of Object.prototype, so `model.parameters["constructor"]` is a function, not
 * "no such parameter". These read only the record's own properties.
 */

/**
 * The value stored under `key` in `record` itself, or undefined.
 * @example
 * own({ a: 1 }, 'a') === 1; own({ a: 1 }, 'constructor') === undefined
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
	return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Whether `record` itself holds `key` (not inherited).
 * @example
 * hasOwnKey({ a: 1 }, 'a') === true; hasOwnKey({}, 'toString') === false
 */
export function hasOwnKey(record: object | undefined | null, key: string): boolean {
	return record != null && Object.hasOwn(record, key);
}
