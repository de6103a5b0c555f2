/**
 * The live view's server (the only importer of `node:http` in the library): one page, the
 * network's graph, snapshots on demand, and a server-sent event stream that pushes a snapshot
 * every `interval` ms and a last one when the run ends.
 *
 *   GET /               the page (self-contained: no build step, nothing fetched from elsewhere)
 *   GET /graph.json     networkGraph(net)
 *   GET /snapshot.json  { at, snapshot } (at: ms since the epoch, for rates)
 *   GET /events         text/event-stream: `graph`, then `snapshot` every interval, then `end`
 *
 * Listens on 127.0.0.1 unless told otherwise; on a loopback address it also refuses requests whose
 * Host header names another host (a web page elsewhere cannot read it through DNS rebinding).
 *
 * Invariants: one timer, running while the run does; after the run ends (and `linger` ms), every
 * stream is ended and the server closed — it never keeps the process alive on its own.
 */
import http from 'node:http';
import type { Network } from '../runtime/network.js';
import { summarize } from './describe.js';
import { InspectorError } from './errors.js';
import { networkGraph } from './graph.js';
import type { ResolvedInspectOptions } from './inspect-options.js';
import { INSPECT_PAGE } from './inspect-page.js';
import type { Snapshot } from './snapshot.js';

export interface Inspector {
  /** http://host:port/ */
  readonly url: string;
  readonly port: number;
  /** Stops serving: ends every stream and closes the server. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function serveInspector(net: Network, snapshot: () => Snapshot, done: Promise<void>, options: ResolvedInspectOptions): Promise<Inspector> {
  const graph = JSON.stringify(networkGraph(net));
  const streams = new Set<http.ServerResponse>();
  let ending: string | null = null;
  const stamped = (): string => JSON.stringify({ at: Date.now(), snapshot: snapshot() });
  const send = (res: http.ServerResponse, event: string, data: string): void => void res.write(`event: ${event}\ndata: ${data}\n\n`);

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, options.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden host\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') res.writeHead(405, { allow: 'GET' }).end();
    else if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(INSPECT_PAGE);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else if (path === '/graph.json') res.writeHead(200, { 'content-type': 'application/json' }).end(graph);
    else if (path === '/snapshot.json') res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(stamped());
    else if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      send(res, 'graph', graph);
      send(res, 'snapshot', stamped());
      if (ending !== null) {
        send(res, 'end', ending);
        res.end();
        return;
      }
      streams.add(res);
      req.on('close', () => streams.delete(res));
    } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });

  const timer = setInterval(() => {
    if (streams.size === 0) return;
    const data = stamped();
    for (const res of streams) send(res, 'snapshot', data);
  }, options.interval);
  timer.unref();

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      clearInterval(timer);
      for (const res of streams) res.end();
      streams.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  const listening = new Promise<Inspector>((resolve, reject) => {
    server.once('error', (error) => {
      clearInterval(timer);
      reject(new InspectorError(options.host, options.port, error));
    });
    server.listen(options.port, options.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({ url: `http://${host}:${port}/`, port, close });
    });
  });

  const end = (error: unknown): void => {
    clearInterval(timer);
    ending = JSON.stringify(error === undefined ? { ok: true } : { ok: false, error: summarize(error) });
    const data = stamped();
    for (const res of streams) {
      send(res, 'snapshot', data);
      send(res, 'end', ending);
      res.end();
    }
    streams.clear();
    // Closed once listening (a run may end first), after serving the final state `linger` ms.
    listening.then(
      () => void setTimeout(() => void close(), options.linger),
      () => {},
    );
  };
  done.then(
    () => end(undefined),
    (error: unknown) => end(error),
  );
  return listening;
}

/** On a loopback address, only requests naming a loopback host are served. */
function hostAllowed(header: string | undefined, host: string): boolean {
  if (!LOOPBACK.has(host)) return true;
  if (header === undefined) return false;
  const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : (header.split(':')[0] as string);
  return LOOPBACK.has(name);
}
