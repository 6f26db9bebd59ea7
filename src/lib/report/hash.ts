/**
 * SHA-256 of a text (its UTF-8 bytes), hexadecimal, with the Web Crypto API that Node 20 and the
 * browser share (FIPS 180-4). Asynchronous, and outside the engine, which stays pure.
 * @example await sha256Hex('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export async function sha256Hex(text: string | Uint8Array): Promise<string> {
	const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
	const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
