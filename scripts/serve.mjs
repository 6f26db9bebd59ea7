// Serves the prerendered static build (build/) on localhost and prints the URL.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';

// PORT names the port; without it the app takes 4173, or any free port when 4173 is in use.
const wantedPort = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!existsSync('build/index.html')) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
/**
 * Security headers (docs/security.md): every page gets its own Content Security Policy (the one
 * SvelteKit writes into the page's meta tag, with the hashes of that page's inline scripts) as a
 * header too, plus what a meta tag cannot say: `frame-ancestors 'none'` (the page cannot be
 * framed; X-Frame-Options for older browsers). Every response gets `nosniff`.
 */
const policies = new Map();
function pagePolicy(file) {
	if (!policies.has(file)) {
		const html = readFileSync(file, 'utf8');
		const meta = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html)?.[1];
		policies.set(file, meta ? `${meta.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/;\s*$/, '')}; frame-ancestors 'none'` : "default-src 'self'; frame-ancestors 'none'");
	}
	return policies.get(file);
}
/** The HTML file sirv serves for a request path ('/' -> index.html, '/budget' -> budget.html), or null. */
function pageFile(pathname) {
	const candidates = pathname.endsWith('/') ? [`${pathname}index.html`] : pathname.endsWith('.html') ? [pathname] : [`${pathname}.html`, `${pathname}/index.html`];
	return candidates.map((c) => join('build', c)).find((f) => existsSync(f)) ?? null;
}
function setHeaders(res, pathname) {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Referrer-Policy', 'no-referrer');
	const page = pageFile(pathname);
	if (page) {
		res.setHeader('Content-Security-Policy', pagePolicy(page));
		res.setHeader('X-Frame-Options', 'DENY');
	}
}
const serve = sirv('build', { extensions: ['html'], single: false, etag: true, setHeaders });
const server = createServer((req, res) => serve(req, res, () => {
	res.statusCode = 404;
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	res.end('Not found');
}));
server.on('listening', () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : wantedPort;
	console.log(`Health-economic model app running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`);
});
server.on('error', (error) => {
	if (error.code === 'EADDRINUSE' && wantedPort === undefined) {
		console.error('Port 4173 is in use: serving on a free port instead.');
		server.listen(0, host);
		return;
	}
	console.error(`Could not serve the app: ${error.message}`);
	process.exit(1);
});
server.listen(wantedPort ?? 4173, host);
