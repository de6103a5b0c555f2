/**
 * `cspflow worker`: join a NATS server or cluster and run the processes placed on this worker.
 * It runs only processes of the modules it was started with; names from the wire are looked up,
 * never imported. SIGTERM (or SIGINT) stops it gracefully: see the exit codes in exit-codes.ts.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { realScheduler } from '../../core/scheduler.js';
import { isAuthError, isConnectError } from '../../transports/nats/nats-client.js';
import { startNatsWorker, type NatsWorker } from '../../transports/nats/worker.js';
import { EXIT } from '../exit-codes.js';
import { redact } from '../redact.js';

interface WorkerFlags {
  readonly nats: string;
  readonly module: string[];
  readonly concurrency: number;
  readonly name?: string;
  readonly grace: number;
  readonly lease: number;
  readonly prefix: string;
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds >= 0');
  return n;
};

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A default worker id: this host and pid, as subject-safe characters. */
function defaultId(): string {
  return `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${globalThis.process.pid}`;
}

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('join NATS and run the processes placed on this worker (one event loop: run one per core)')
    .requiredOption('--nats <urls>', 'NATS server URL(s), comma-separated')
    .option('--module <path>', 'a module whose exported processes this worker runs (repeatable)', collect, [])
    .option('--concurrency <n>', 'the most processes running here at once (0: no limit)', count, 0)
    .option('--name <id>', "this worker's id (letters, digits, _ and -; default: host-pid)")
    .option('--grace <s>', 'on SIGTERM, how long running processes may take to end', seconds, 10)
    .option('--lease <s>', 'a peer (or the NATS connection) silent this long is lost', seconds, 5)
    .option('--prefix <token>', 'the first token of every subject (runners must use the same)', 'cspflow')
    .addHelpText(
      'after',
      '\nCredentials come from the environment, never from the command line: CSPFLOW_NATS_USER and\n' +
        'CSPFLOW_NATS_PASS, or CSPFLOW_NATS_TOKEN. Exit codes: 0 stopped and drained, 2 usage,\n' +
        '3 cannot connect or refused, 4 lost NATS beyond the lease, 5 bad module, 6 stopped after\n' +
        'interrupting processes.',
    )
    .action(async (flags: WorkerFlags) => {
      globalThis.process.exitCode = await runWorker(flags);
    });
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const out = globalThis.process.stdout;
  const err = globalThis.process.stderr;
  if (flags.module.length === 0) {
    err.write('cspflow worker: give at least one --module <path> (the processes this worker may run)\n');
    return EXIT.usage;
  }
  const modules: string[] = [];
  for (const m of flags.module) {
    const path = resolve(m);
    if (!existsSync(path)) {
      err.write(`cspflow worker: module not found: ${m} (looked for ${path})\n`);
      return EXIT.badModule;
    }
    modules.push(pathToFileURL(path).href);
  }
  const env = globalThis.process.env;
  const servers = flags.nats.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const id = flags.name ?? defaultId();
  let worker: NatsWorker;
  try {
    worker = await startNatsWorker({
      servers,
      modules,
      id,
      prefix: flags.prefix,
      concurrency: flags.concurrency,
      leaseMs: flags.lease * 1_000,
      timers: realScheduler,
      ...(env['CSPFLOW_NATS_USER'] === undefined ? {} : { user: env['CSPFLOW_NATS_USER'] }),
      ...(env['CSPFLOW_NATS_PASS'] === undefined ? {} : { pass: env['CSPFLOW_NATS_PASS'] }),
      ...(env['CSPFLOW_NATS_TOKEN'] === undefined ? {} : { token: env['CSPFLOW_NATS_TOKEN'] }),
    });
  } catch (error) {
    return startFailure(error, servers);
  }
  const exit = serve(worker, flags);
  // Printed only once signals are handled: whoever waits for this line may stop the worker at once.
  out.write(`cspflow worker ${worker.id} ready: ${worker.processes.length} processes from ${modules.length} module(s) on ${redact(servers.join(','))} (prefix ${flags.prefix})\n`);
  return exit;
}

function startFailure(error: unknown, servers: readonly string[]): number {
  const err = globalThis.process.stderr;
  const message = redact(error instanceof Error ? error.message : String(error));
  if (error instanceof RangeError || error instanceof TypeError) {
    err.write(`cspflow worker: ${message}\n`);
    return EXIT.usage;
  }
  if (isAuthError(error)) {
    err.write(`cspflow worker: NATS at ${redact(servers.join(','))} refused the credentials (${message})\n`);
    return EXIT.cannotConnect;
  }
  if (isConnectError(error)) {
    err.write(`cspflow worker: cannot connect to NATS at ${redact(servers.join(','))}: ${message}\n`);
    return EXIT.cannotConnect;
  }
  err.write(`cspflow worker: a module failed to load: ${message}\n`);
  return EXIT.badModule;
}

/** Serves until a signal stops it or NATS is lost beyond the lease; resolves with the exit code. */
function serve(worker: NatsWorker, flags: WorkerFlags): Promise<number> {
  const proc = globalThis.process;
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    let lostTimer: ReturnType<typeof setTimeout> | null = null;
    const stop = (code: (drained: boolean) => number): void => {
      if (stopping) return;
      stopping = true;
      if (lostTimer !== null) clearTimeout(lostTimer);
      proc.stdout.write(`cspflow worker ${worker.id} stopping (grace ${flags.grace} s)\n`);
      void worker.stop(flags.grace * 1_000).then(({ drained }) => resolveExit(code(drained)));
    };
    // A second signal while stopping does not wait for the grace period.
    const onSignal = (): void => {
      if (stopping) proc.exit(EXIT.interrupted);
      stop((drained) => (drained ? EXIT.ok : EXIT.interrupted));
    };
    proc.on('SIGTERM', onSignal);
    proc.on('SIGINT', onSignal);
    worker.bus.onStatus((status) => {
      if (status.kind === 'disconnected' && lostTimer === null && !stopping) {
        lostTimer = setTimeout(() => {
          proc.stderr.write(`cspflow worker ${worker.id}: lost NATS for longer than the lease (${flags.lease} s)\n`);
          stop(() => EXIT.lostCluster);
        }, flags.lease * 1_000);
      } else if (status.kind === 'reconnected' && lostTimer !== null) {
        clearTimeout(lostTimer);
        lostTimer = null;
      }
    });
  });
}
