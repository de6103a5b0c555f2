/**
 * Real NATS servers for tests: `startNatsServer()` and `startNatsCluster(3)` start `nats-server`
 * processes on free loopback ports, each with its own temp store dir, wait until they are ready
 * (clients accepted; with JetStream, a metadata leader elected), and stop, kill or restart them by
 * pid. Nothing is shared with another test or with a server already running on the machine.
 *
 * The binary is `nats-server` on the PATH (or $NATS_SERVER_BIN). Readiness is polled, never
 * guessed with a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CspflowError } from '../core/errors.js';

export interface NatsServerOptions {
  /** Enable JetStream (store in the server's temp dir). Default false. */
  readonly jetstream?: boolean;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** The server's max_payload in bytes (default: the server's, 1 MiB). */
  readonly maxPayload?: number;
  /** The server's max_pending per client in bytes (a small one provokes slow-consumer handling). */
  readonly maxPending?: number;
  /** Extra lines of server configuration. */
  readonly config?: string;
  /** How long to wait for readiness. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

export interface NatsServer {
  readonly name: string;
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The pid of the running process (changes on restart); 0 while stopped. */
  readonly pid: number;
  readonly running: boolean;
  /** Graceful stop (SIGTERM; SIGKILL after 5 s). Keeps the store dir for a restart. */
  stop(): Promise<void>;
  /** kill -9. Keeps the store dir for a restart. */
  kill(): Promise<void>;
  /**
   * Starts it again on the same ports and store dir, and waits until it is ready; `auth` changes
   * its credentials from then on (a server not in a cluster only).
   */
  restart(auth?: Pick<NatsServerOptions, 'user' | 'pass' | 'token'>): Promise<void>;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
  /** A monitoring endpoint's JSON (`/varz`, `/connz`, `/jsz`, …), or null if it does not answer. */
  monitor(path: string): Promise<unknown>;
}

export interface NatsCluster {
  readonly servers: readonly NatsServer[];
  /** Every server's client URL. */
  readonly urls: readonly string[];
  dispose(): Promise<void>;
}

/** A server could not be started or did not become ready. */
export class NatsServerError extends CspflowError {
  override readonly name = 'NatsServerError';
  readonly code = 'ERR_CSPFLOW_NATS_SERVER';
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test runner that exits without disposing must not leave servers behind.
  globalThis.process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Ports {
  readonly client: number;
  readonly http: number;
  readonly cluster: number;
}

function configText(name: string, ports: Ports, dir: string, options: NatsServerOptions, routes: readonly number[] | null): string {
  const lines = [`server_name: ${name}`, `listen: 127.0.0.1:${ports.client}`, `http: 127.0.0.1:${ports.http}`];
  if (options.jetstream === true) lines.push(`jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }`);
  if (options.maxPayload !== undefined) lines.push(`max_payload: ${options.maxPayload}`);
  if (options.maxPending !== undefined) lines.push(`max_pending: ${options.maxPending}`);
  if (options.user !== undefined || options.pass !== undefined) {
    lines.push(`authorization { user: ${JSON.stringify(options.user ?? '')}, password: ${JSON.stringify(options.pass ?? '')} }`);
  } else if (options.token !== undefined) lines.push(`authorization { token: ${JSON.stringify(options.token)} }`);
  if (routes !== null) {
    const urls = routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ');
    lines.push(`cluster { name: cspflow-test, listen: 127.0.0.1:${ports.cluster}, routes: [${urls}] }`);
  }
  if (options.config !== undefined) lines.push(options.config);
  return lines.join('\n') + '\n';
}

function binary(): string {
  return globalThis.process.env['NATS_SERVER_BIN'] ?? 'nats-server';
}

class Server implements NatsServer {
  private child: ChildProcess | null = null;
  private launchError: string | null = null;
  readonly url: string;

  constructor(
    readonly name: string,
    private readonly ports: Ports,
    private readonly dir: string,
    private options: NatsServerOptions,
    private readonly clustered: boolean,
  ) {
    this.url = `nats://127.0.0.1:${ports.client}`;
  }

  get port(): number {
    return this.ports.client;
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get logFile(): string {
    return join(this.dir, 'server.log');
  }

  /** Spawns the process (contract: not running). */
  launch(): void {
    installExitHook();
    const child = spawn(binary(), ['-c', join(this.dir, 'server.conf'), '-l', this.logFile], { stdio: 'ignore' });
    child.on('exit', () => {
      running.delete(child);
      if (this.child === child) this.child = null;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      running.delete(child);
      if (error.code === 'ENOENT') this.launchError = `"${binary()}" not found: install nats-server (Debian: apt-get install nats-server) or set NATS_SERVER_BIN`;
      if (this.child === child) this.child = null;
    });
    running.add(child);
    this.child = child;
  }

  /** Waits until clients are accepted (and JetStream is ready when enabled). */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'not started';
    while (Date.now() < deadline) {
      if (this.launchError !== null) throw new NatsServerError(this.launchError);
      if (this.child === null) throw new NatsServerError(`nats-server "${this.name}" exited before it was ready; log: ${await this.logTail()}`);
      last = await this.check();
      if (last === '') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new NatsServerError(`nats-server "${this.name}" not ready after ${timeoutMs} ms (${last}); log: ${await this.logTail()}`);
  }

  /** '' when ready, else what is missing. */
  private async check(): Promise<string> {
    if (!(await acceptsClients(this.ports.client))) return 'client port not answering';
    if (this.options.jetstream !== true) return '';
    const jsz = await httpJson(this.ports.http, '/jsz');
    if (jsz === null || typeof jsz !== 'object' || !('config' in jsz)) return 'JetStream not enabled yet';
    if (!this.clustered) return '';
    const meta = (jsz as { meta_cluster?: { leader?: string } }).meta_cluster;
    return typeof meta?.leader === 'string' && meta.leader !== '' ? '' : 'no JetStream metadata leader yet';
  }

  async logTail(): Promise<string> {
    try {
      const text = await readFile(this.logFile, 'utf8');
      return text.split('\n').slice(-8).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 5_000);
  }

  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (child === null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(auth?: Pick<NatsServerOptions, 'user' | 'pass' | 'token'>): Promise<void> {
    await this.stop();
    if (auth !== undefined) {
      if (this.clustered) throw new Error('restart(auth): new credentials are for a server not in a cluster');
      this.options = { ...this.options, user: auth.user, pass: auth.pass, token: auth.token };
      await writeFile(join(this.dir, 'server.conf'), configText(this.name, this.ports, this.dir, this.options, null));
    }
    this.launch();
    await this.ready(this.options.readyTimeoutMs ?? 30_000);
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  monitor(path: string): Promise<unknown> {
    return httpJson(this.ports.http, path);
  }
}

function acceptsClients(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    // A NATS server greets every client with an INFO line.
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('INFO')));
  });
}

function httpJson(port: number, path: string): Promise<unknown> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path, timeout: 1_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          resolve(null);
        }
      });
    });
    request.on('error', () => resolve(null));
    request.on('timeout', () => {
      request.destroy();
      resolve(null);
    });
  });
}

async function ports(): Promise<Ports> {
  return { client: await freePort(), http: await freePort(), cluster: await freePort() };
}

async function prepare(name: string, p: Ports, options: NatsServerOptions, routes: readonly number[] | null): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), `cspflow-nats-${name}-`));
  await writeFile(join(dir, 'server.conf'), configText(name, p, dir, options, routes));
  return new Server(name, p, dir, options, routes !== null);
}

/** Starts one server on free loopback ports and waits until it is ready. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const server = await prepare('n1', await ports(), options, null);
  server.launch();
  try {
    await server.ready(options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await server.dispose();
    throw error;
  }
  return server;
}

/** Starts `size` routed servers (one cluster) and waits until every one is ready. */
export async function startNatsCluster(size = 3, options: NatsServerOptions = {}): Promise<NatsCluster> {
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`startNatsCluster(size): size must be an integer >= 2, got ${size}`);
  const all: Ports[] = [];
  for (let i = 0; i < size; i++) all.push(await ports());
  const routes = all.map((p) => p.cluster);
  const servers: Server[] = [];
  for (let i = 0; i < size; i++) servers.push(await prepare(`n${i + 1}`, all[i] as Ports, options, routes));
  const dispose = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.dispose()));
  };
  for (const s of servers) s.launch();
  try {
    await Promise.all(servers.map((s) => s.ready(options.readyTimeoutMs ?? 30_000)));
  } catch (error) {
    await dispose();
    throw error;
  }
  return { servers, urls: servers.map((s) => s.url), dispose };
}
