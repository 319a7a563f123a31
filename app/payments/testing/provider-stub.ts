import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server on 127.0.0.1 that answers like a payment provider, with request/response
 * shapes taken from the providers' documentation. Tests point an adapter's base URL at it, so the
 * adapter's real HTTP code runs without any real network. Every request is recorded for assertions.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface StubAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type StubRoutes = Readonly<Record<string, (request: RecordedRequest) => StubAnswer>>;

export interface ProviderStub {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const requestBytesMax = 1_000_000;

/** Routes are keyed `"METHOD /path"` (query string excluded). */
export async function startProviderStub(routes: StubRoutes): Promise<ProviderStub> {
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    readBody(incoming)
      .then((body) => {
        const path = incoming.url ?? '/';
        const recorded: RecordedRequest = {
          method: incoming.method ?? 'GET',
          path,
          headers: incoming.headers,
          body,
        };
        requests.push(recorded);
        const route = routes[`${recorded.method} ${path.split('?')[0]}`];
        const answer: StubAnswer = route
          ? route(recorded)
          : { status: 404, body: { message: `no stub for ${path}` } };
        outgoing.writeHead(answer.status, { 'content-type': 'application/json' });
        outgoing.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      })
      .catch((error: unknown) => {
        outgoing.writeHead(500, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ message: String(error) }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > requestBytesMax) throw new Error('request too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
