/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline use once the page has loaded: the service worker caches the app's files (the built
 * scripts, among them the analysis worker and its WebAssembly, the static files and the
 * prerendered pages) when it installs, and answers from that cache when the network is gone.
 * A new version of the app installs a new cache and deletes the old ones. Pattern of the
 * SvelteKit documentation ("Service workers").
 */
import { build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `cache-${version}`;
const ASSETS = [...build, ...files, ...prerendered];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(ASSETS))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	if (event.request.method !== 'GET') return;
	const url = new URL(event.request.url);
	if (url.origin !== sw.location.origin) return;
	event.respondWith(respond(event.request, url));
});

/** Built files never change under their name: cache first. Pages: the network first, the cache offline. */
async function respond(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	if (ASSETS.includes(url.pathname)) {
		const hit = await cache.match(url.pathname);
		if (hit) return hit;
	}
	try {
		const response = await fetch(request);
		if (response.status === 200 && response.type === 'basic') cache.put(request, response.clone());
		return response;
	} catch (e) {
		const hit = (await cache.match(request, { ignoreSearch: true })) ?? (await cache.match(url.pathname.replace(/\/$/, '') || '/'));
		if (hit) return hit;
		throw e;
	}
}
