import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Serves the SvelteKit back office and tenant portal (`ui/build`, from `npm run build:ui`) on the
 * API's own port: every GET or HEAD outside `/api` goes to SvelteKit's adapter-node handler, which
 * serves the built assets and the app shell. Register it last, after every API route, so a more
 * specific route always wins. Without a build it registers nothing and says so in the log.
 *
 * The pages render in the browser (`ssr = false`), so this handler never sees a session cookie's
 * meaning: it returns files and the shell, and every datum comes from `/api` calls the browser makes.
 */
export interface UiOptions {
  /** The adapter-node output; defaults to `ui/build` next to this folder. */
  readonly buildDir?: string;
}

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

const defaultBuildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui', 'build');

export const uiPlugin: FastifyPluginAsync<UiOptions> = async (app, options) => {
  const buildDir = options.buildDir ?? defaultBuildDir;
  const handlerPath = join(buildDir, 'handler.js');
  if (!existsSync(handlerPath)) {
    app.log.warn({ buildDir }, 'no UI build: run `npm run build:ui` to serve the back office');
    return;
  }
  const { handler } = (await import(pathToFileURL(handlerPath).href)) as { handler: NodeHandler };

  const serve = (
    request: { url: string; raw: IncomingMessage },
    reply: {
      callNotFound(): void;
      hijack(): void;
      raw: ServerResponse;
    },
  ) => {
    // Unknown API paths stay the API's 404 (a problem document), never the app shell.
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
      reply.callNotFound();
      return;
    }
    reply.hijack();
    // SvelteKit sets its own Content-Security-Policy with the hashes of its inline bootstrap
    // script (kit.csp in ui/svelte.config.js); a blanket API policy set earlier would block it.
    reply.raw.removeHeader('content-security-policy');
    handler(request.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.setHeader('content-type', 'text/plain; charset=utf-8');
      reply.raw.end('Not Found');
    });
  };

  // The shell and its assets are public (the pages ask the API, which checks the session), and
  // they do not count against the API's per-caller rate limit: one page load fetches a dozen files.
  const config = { public: true, rateLimit: false } as const;
  app.route({ method: ['GET', 'HEAD'], url: '/', config, handler: serve });
  app.route({ method: ['GET', 'HEAD'], url: '/*', config, handler: serve });
};
