import type { LayoutLoad } from './$types';
import { restoreLocale } from '$lib/i18n/i18n.svelte.ts';
import { refreshSession, session } from '$lib/session.svelte.ts';

/**
 * Pages render in the browser only. Every load then calls the API from the signed-in browser, on
 * the same origin, so the session cookie travels by itself and no server-side code ever handles
 * it (no cookie forwarding, no second trust boundary in SvelteKit). The cost is a blank first
 * paint before the JavaScript runs, acceptable for a back office.
 */
export const ssr = false;
export const prerender = false;

export const load = (async ({ fetch }) => {
  restoreLocale();
  if (!session.checked) {
    try {
      await refreshSession(fetch);
    } catch {
      // The API is down or failing: pages show their own error state when they call it.
    }
  }
  return {};
}) satisfies LayoutLoad;
