/**
 * `cspflow worker`: join a NATS server or cluster and run the processes placed on this worker.
 * It runs only processes of the modules it was started with; names from the wire are looked up,
 * never imported. SIGTERM (or SIGINT) stops it gracefully; a second signal exits at once.
 * Credentials come from the environment and are never printed. Exit codes: exit-codes.ts.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { realScheduler } from '../../core/scheduler.js';
import { unreachableWords } from '../../transports/nats/nats-client.js';
import { startNatsWorker, type NatsWorker } from '../../transports/nats/worker.js';
import type { CliIo, CommandSpec } from '../command.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import { integerOption, numberOption } from '../parse.js';
import { redact } from '../../transports/nats/redact.js';
import { natsCredentials } from '../nats-credentials.js';

interface Settings {
  readonly servers: readonly string[];
  readonly modules: readonly string[];
  readonly id: string;
  readonly prefix: string;
  readonly concurrency: number;
  readonly graceS: number;
  readonly leaseS: number;
  readonly outageS: number;
}

export const workerCommand: CommandSpec = {
  name: 'worker',
  summary: 'join NATS and run the processes placed on this worker (one event loop: run one per core)',
  help: [
    'Credentials come from the environment, never from the command line: CSPFLOW_NATS_USER and',
    'CSPFLOW_NATS_PASS, or CSPFLOW_NATS_TOKEN. They are never printed.',
    '',
    'Exit codes: 0 stopped and drained · 2 usage · 3 a module not found or failed to load ·',
    '6 cannot connect to NATS or refused · 7 lost NATS for longer than --outage · 8 stopped after interrupting processes.',
    '',
    'An outage of the NATS connection shorter than --outage is ridden out: the worker reconnects and',
    'answers again, and a run that lost it may ask it back (durable processes are restarted).',
    '',
    'Example:',
    '  cspflow worker --nats nats://10.0.0.5:4222 --module ./network.js --concurrency 8',
  ].join('\n'),
  arguments: [],
  options: [
    { flags: '--nats <urls>', description: 'NATS server URL(s), comma-separated (required)' },
    { flags: '--module <paths...>', description: 'modules whose exported processes this worker runs (at least one)' },
    { flags: '--concurrency <n>', description: 'the most processes running here at once (0: no limit)', default: '0' },
    { flags: '--name <id>', description: "this worker's id (letters, digits, _ and -; default: host-pid)" },
    { flags: '--grace <s>', description: 'on SIGTERM, how long running processes may take to end', default: '10' },
    { flags: '--lease <s>', description: 'a peer silent this long is lost', default: '5' },
    { flags: '--outage <s>', description: 'the NATS connection lost this long ends the worker (exit 7)', default: '60' },
    { flags: '--prefix <token>', description: 'the first token of every subject (runners must use the same)', default: 'cspflow' },
  ],
  async run(_args, options, io) {
    const settings = settingsOf(options, io);
    let worker: NatsWorker;
    try {
      worker = await startNatsWorker({
        servers: settings.servers,
        modules: settings.modules,
        id: settings.id,
        prefix: settings.prefix,
        concurrency: settings.concurrency,
        leaseMs: settings.leaseS * 1_000,
        timers: realScheduler,
        ...natsCredentials(io.env),
      });
    } catch (error) {
      throw startFailure(error, settings.servers);
    }
    const exit = serve(worker, settings, io);
    // Printed only once signals are handled: whoever waits for this line may stop the worker at once.
    io.stdout.write(`cspflow worker ${worker.id} ready: ${worker.processes.length} processes from ${settings.modules.length} module(s) on ${redact(settings.servers.join(','))} (prefix ${settings.prefix})\n`);
    return exit;
  },
};

function settingsOf(options: Readonly<Record<string, unknown>>, io: CliIo): Settings {
  const nats = options['nats'];
  if (typeof nats !== 'string') throw new CliError(EXIT.usage, 'worker: give --nats <url,...> (the NATS server or cluster to join)');
  const servers = nats.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const given = (options['module'] ?? []) as string[];
  if (given.length === 0) throw new CliError(EXIT.usage, 'worker: give at least one --module <path> (the processes this worker may run)');
  const modules = given.map((m) => {
    const path = resolve(io.cwd, m);
    if (!existsSync(path)) throw new CliError(EXIT.notFound, `worker: module not found: ${m} (looked for ${path})`);
    return pathToFileURL(path).href;
  });
  const name = options['name'];
  return {
    servers,
    modules,
    id: typeof name === 'string' ? name : `${hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40)}-${globalThis.process.pid}`,
    prefix: String(options['prefix']),
    concurrency: integerOption('--concurrency', options['concurrency'], 0),
    graceS: numberOption('--grace', options['grace'], 0),
    leaseS: numberOption('--lease', options['lease'], 0.1),
    outageS: numberOption('--outage', options['outage'], 0.1),
  };
}

function startFailure(error: unknown, servers: readonly string[]): CliError {
  const message = redact(error instanceof Error ? error.message : String(error));
  const at = redact(servers.join(','));
  if (error instanceof RangeError || error instanceof TypeError) return new CliError(EXIT.usage, `worker: ${message}`);
  const unreachable = unreachableWords(error, at);
  if (unreachable !== null) return new CliError(EXIT.unreachable, `worker: ${unreachable}`);
  return new CliError(EXIT.notFound, `worker: a module failed to load: ${message}`);
}

/** Serves until a signal stops it or NATS is lost for longer than `--outage`; resolves with the exit code. */
function serve(worker: NatsWorker, settings: Settings, io: CliIo): Promise<ExitCode> {
  const proc = globalThis.process;
  return new Promise<ExitCode>((resolveExit) => {
    let stopping = false;
    let lostTimer: ReturnType<typeof setTimeout> | null = null;
    const stop = (code: (drained: boolean) => ExitCode): void => {
      if (stopping) return;
      stopping = true;
      if (lostTimer !== null) clearTimeout(lostTimer);
      io.stdout.write(`cspflow worker ${worker.id} stopping (grace ${settings.graceS} s)\n`);
      void worker.stop(settings.graceS * 1_000).then(({ drained }) => resolveExit(code(drained)));
    };
    const onSignal = (): void => {
      if (stopping) proc.exit(EXIT.stoppedLate);
      stop((drained) => (drained ? EXIT.ok : EXIT.stoppedLate));
    };
    proc.on('SIGTERM', onSignal);
    proc.on('SIGINT', onSignal);
    worker.bus.onStatus((status) => {
      if (status.kind === 'disconnected' && lostTimer === null && !stopping) {
        lostTimer = setTimeout(() => {
          io.stderr.write(`cspflow worker ${worker.id}: lost NATS for longer than --outage (${settings.outageS} s)\n`);
          stop(() => EXIT.lostCluster);
        }, settings.outageS * 1_000);
      } else if (status.kind === 'reconnected' && lostTimer !== null) {
        clearTimeout(lostTimer);
        lostTimer = null;
      }
    });
  });
}
