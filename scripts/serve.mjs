// Serves the prerendered static build (build/) on localhost and prints the URL.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';
if (!existsSync('build/index.html')) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
const serve = sirv('build', { extensions: ['html'], single: false, etag: true });
createServer((req, res) => serve(req, res, () => {
	res.statusCode = 404;
	res.end('Not found');
})).listen(port, host, () => {
	console.log(`Health-economic model app running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`);
});
