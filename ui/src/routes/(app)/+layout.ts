import { error, redirect } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';
import { accessTo } from '$lib/roles.ts';
import { session } from '$lib/session.svelte.ts';

/**
 * The gate in front of every back-office and portal page: signed-out visitors go to sign-in (and
 * come back after), signed-in people whose role may not use the page see the forbidden state.
 */
export const load = (async ({ url, parent }) => {
  await parent();
  const access = accessTo(url.pathname, session.role);
  if (session.user === null) {
    redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (access === 'forbidden') error(403, { message: 'forbidden', kind: 'forbidden' });
  return {};
}) satisfies LayoutLoad;
