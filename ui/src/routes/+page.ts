import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { homeFor } from '$lib/roles.ts';
import { session } from '$lib/session.svelte.ts';

/** The root sends each person to their start page: sign-in, the dashboard or the portal. */
export const load = (async ({ parent }) => {
  await parent();
  redirect(303, session.user === null ? '/sign-in' : homeFor(session.role));
}) satisfies PageLoad;
