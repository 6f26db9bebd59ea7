// Serves the prerendered static build (build/) on localhost and prints the URL.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import sirv from 'sirv';

// PORT names the port; without it the app takes 4173, or any free port when 4173 is in use.
const wantedPort = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!existsSync('build/index.html')) {
	console.error('No build found: run `npm run build` first (npm start does it for you).');
	process.exit(1);
}
const serve = sirv('build', { extensions: ['html'], single: false, etag: true });
const server = createServer((req, res) => serve(req, res, () => {
	res.statusCode = 404;
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
