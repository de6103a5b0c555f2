/**
 * The test harness's NATS servers are real and private: each on its own free loopback port and
 * temp dir; kill and restart keep the port; a JetStream cluster is ready only with a leader.
 */
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { describe, it } from 'vitest';
import { startNatsCluster, startNatsServer } from '../../src/testing/nats-server.js';

function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('latin1'));
    });
  });
}

describe('nats-server harness', () => {
  it('starts a private server, kills it, restarts it on the same port, and cleans up', async () => {
    const server = await startNatsServer({ maxPayload: 4096 });
    try {
      assert.notEqual(server.port, 4222, 'never the shared default port');
      const info = await greeting(server.port);
      assert.match(info, /^INFO /);
      assert.match(info, /"max_payload":4096/);
      const first = server.pid;
      await server.kill();
      assert.equal(server.running, false);
      await assert.rejects(greeting(server.port));
      await server.restart();
      assert.notEqual(server.pid, first);
      assert.match(await greeting(server.port), /^INFO /);
    } finally {
      await server.dispose();
    }
    assert.equal(server.running, false);
  });

  it('starts a 3-node JetStream cluster and reports it ready only once a metadata leader exists', async () => {
    const cluster = await startNatsCluster(3, { jetstream: true });
    try {
      assert.equal(cluster.urls.length, 3);
      assert.equal(new Set(cluster.servers.map((s) => s.port)).size, 3);
      for (const s of cluster.servers) assert.match(await greeting(s.port), /"jetstream":true/);
    } finally {
      await cluster.dispose();
    }
    for (const s of cluster.servers) assert.equal(s.running, false);
  });

  it('refuses a cluster of one', async () => {
    await assert.rejects(startNatsCluster(1), /size must be an integer >= 2, got 1/);
  });

  it('names the problem when the binary is missing', async () => {
    const saved = process.env['NATS_SERVER_BIN'];
    process.env['NATS_SERVER_BIN'] = '/nonexistent/nats-server';
    try {
      await assert.rejects(startNatsServer({ readyTimeoutMs: 5_000 }), /"\/nonexistent\/nats-server" not found: install nats-server/);
    } finally {
      if (saved === undefined) delete process.env['NATS_SERVER_BIN'];
      else process.env['NATS_SERVER_BIN'] = saved;
    }
  });
});
