/**
 * Universal hooks. `reroute`: the static build writes each page as `<name>.html`; a page opened by
 * that file name (e.g. /budget.html, bookmarked or linked) is routed as its clean URL (/budget), so
 * the client router finds it and the page hydrates instead of stopping at the prerendered HTML.
 */
import type { Reroute } from '@sveltejs/kit';

export const reroute: Reroute = ({ url }) => {
	if (url.pathname === '/index.html') return '/';
	if (url.pathname.endsWith('.html')) return url.pathname.slice(0, -'.html'.length);
};
