import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The back office and tenant portal. Built with adapter-node into `ui/build/`, whose `handler.js`
 * `api/ui.ts` mounts behind Fastify, so one `ledger serve` answers both `/api/...` and the pages.
 *
 * SvelteKit takes the working directory as its root (it overrides Vite's `root`, and its
 * post-build analysis reloads this file from the working directory), so the build runs inside
 * `ui/`: `npm run build:ui` is `cd ui && vite build`, with the packages of the root node_modules.
 * Paths here are absolute anyway, anchored on this folder, so nothing depends on where a tool
 * starts.
 * @type {import('@sveltejs/kit').Config}
 */
const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = join(here, '..');

/**
 * adapter-node reads `package.json` from the working directory to decide which imports stay
 * external. The ledger has one package.json, at the root: the adapter runs with the root as its
 * working directory, so the server bundle leaves the root's runtime dependencies to node_modules
 * and bundles the rest (svelte, kit, layercake).
 * @param {import('@sveltejs/kit').Adapter} inner
 * @returns {import('@sveltejs/kit').Adapter}
 */
function fromRepositoryRoot(inner) {
  return {
    ...inner,
    async adapt(builder) {
      const previous = process.cwd();
      process.chdir(repositoryRoot);
      try {
        await inner.adapt(builder);
      } finally {
        process.chdir(previous);
      }
    },
  };
}

const config = {
  preprocess: vitePreprocess(),
  // No global `runes: true`: every component here uses runes, which switches it to runes mode by
  // itself, while layercake's components are still written in Svelte 4 syntax.
  kit: {
    adapter: fromRepositoryRoot(adapter({ out: join(here, 'build'), precompress: false })),
    outDir: join(here, '.svelte-kit'),
    files: { src: join(here, 'src'), assets: join(here, 'static') },
    alias: { $lib: join(here, 'src/lib') },
    // The shell's inline bootstrap script is allowed by its hash, nothing else inline runs.
    // Inline styles stay allowed: Svelte's style: directives write style attributes.
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
