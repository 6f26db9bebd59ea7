// Prints a TCP port that is free on 127.0.0.1 right now (the OS picks it: listen on port 0).
// The browser tests serve the app on it, so they never depend on a fixed port being free.
import { createServer } from 'node:net';

const server = createServer();
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(String(typeof address === 'object' && address ? address.port : 0));
	server.close();
});
