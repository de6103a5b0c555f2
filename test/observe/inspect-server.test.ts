/**
 * The live view's server over plain HTTP: what it serves, that it answers loopback names only,
 * the server-sent event stream to the end of the run, and closing once the run has ended.
 */
import http from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InspectorError, network, networkGraph, process, start, type Reader, type Writer } from '../../src/index.js';

function deferred(): { readonly promise: Promise<void>; readonly resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** numbers → sink, where numbers holds its last write until `release` settles. */
function held(release: Promise<void>) {
  const numbers = process('numbers', async (out: Writer<number>, release: Promise<void>) => {
    for (let i = 0; i < 5; i++) await out.write(i);
    await release;
  });
  const sink = process('sink', async (input: Reader<number>) => {
    for await (const _ of input);
  });
  return network((n) => {
    const xs = n.channel<number>('xs', { buffer: 2 });
    n.spawn(numbers(xs.writer(), release));
    n.spawn(sink(xs.reader()));
  });
}

function get(url: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Reads server-sent events from `url` until the stream ends; returns them in order. */
function readEvents(url: string, onEvent: (event: string) => void): Promise<{ event: string; data: string }[]> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: string }[] = [];
    http
      .get(url, (res) => {
        let buffer = '';
        res.on('data', (d: Buffer) => {
          buffer += d.toString();
          for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event !== undefined && data !== undefined) {
              events.push({ event, data });
              onEvent(event);
            }
          }
        });
        res.on('end', () => resolve(events));
      })
      .once('error', reject);
  });
}

describe('the live view over HTTP', () => {
  it('serves the page, the graph and snapshots on 127.0.0.1; refuses other methods, paths and hosts', async () => {
    const release = deferred();
    const net = held(release.promise);
    await using handle = start(net, { inspect: true });
    const { url, port } = await (handle.inspector as NonNullable<typeof handle.inspector>);
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    const page = await get(url);
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(page.body).toContain('<title>cspflow — live view</title>');
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(JSON.parse((await get(`${url}graph.json`)).body)).toEqual(networkGraph(net));
    const snap = JSON.parse((await get(`${url}snapshot.json`)).body) as { at: number; snapshot: { runtime: string; channels: { name: string }[] } };
    expect(snap.snapshot.runtime).toBe('local');
    expect(snap.snapshot.channels.map((c) => c.name)).toEqual(['xs']);
    expect((await get(`${url}nothing-here`)).status).toBe(404);
    expect((await get(url, {}, 'POST')).status).toBe(405);
    expect((await get(url, { host: 'attacker.example' })).status).toBe(403);
    expect((await get(url, { host: `localhost:${port}` })).status).toBe(200);
    release.resolve();
    await handle.done;
  });

  it('streams the graph, snapshots, then the end; the server closes once the run has ended', async () => {
    const release = deferred();
    const handle = start(held(release.promise), { inspect: { interval: 20 } });
    const { url } = await (handle.inspector as NonNullable<typeof handle.inspector>);
    let snapshots = 0;
    const stream = readEvents(`${url}events`, (event) => {
      // Let the run end once the stream has delivered a few snapshots.
      if (event === 'snapshot' && ++snapshots === 3) release.resolve();
    });
    const events = await stream;
    expect(events[0]?.event).toBe('graph');
    expect(events.filter((e) => e.event === 'snapshot').length).toBeGreaterThanOrEqual(3);
    const last = events.at(-1) as { event: string; data: string };
    expect(last).toEqual({ event: 'end', data: JSON.stringify({ ok: true }) });
    const final = JSON.parse((events.at(-2) as { data: string }).data) as { snapshot: { state: string } };
    expect(final.snapshot.state).toBe('done');
    await handle.done;
    // Closed right after the end: poll until the port refuses.
    let refused = false;
    for (let i = 0; i < 1000 && !refused; i++) {
      refused = await get(url).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
      );
      if (!refused) await new Promise((r) => setImmediate(r));
    }
    expect(refused).toBe(true);
  });

  it('a port that is taken: the inspector rejects with InspectorError (and a process warning); the run itself goes on', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    globalThis.process.on('warning', onWarning);
    try {
      const release = deferred();
      release.resolve();
      const handle = start(held(release.promise), { inspect: { port } });
      const error = await (handle.inspector as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InspectorError);
      expect((error as InspectorError).code).toBe('ERR_CSPFLOW_INSPECTOR');
      expect((error as Error).message).toContain(`cannot listen on 127.0.0.1:${port}`);
      await handle.done;
      await new Promise((r) => setImmediate(r));
      expect(warnings.some((w) => w instanceof InspectorError)).toBe(true);
    } finally {
      globalThis.process.off('warning', onWarning);
      blocker.close();
    }
  });
});
