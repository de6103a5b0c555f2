/**
 * `cspflow run <module> [args...]`: runs a network module (see load-network.ts) on the local,
 * threads or NATS runtime (on `cspflow worker` processes started separately), with its progress on stderr — redrawn in place on a terminal, one plain line
 * per update otherwise — or, with --json, JSON lines on stdout. Ctrl-C stops it gracefully (a
 * second Ctrl-C exits at once). Exit codes: exit-codes.ts.
 */
import { DeadlockError, InspectorError, local, start, type RunHandle, type Runtime } from '../../index.js';
import { summarize } from '../../observe/describe.js';
import { nats } from '../../runtime/nats.js';
import { threads } from '../../threads/index.js';
import { unreachableWords } from '../../transports/nats/nats-client.js';
import { NoWorkersError } from '../../transports/nats/errors.js';
import { natsCredentials } from '../nats-credentials.js';
import { redact } from '../../transports/nats/redact.js';
import type { CliIo, CommandSpec } from '../command.js';
import { CliError, EXIT, type ExitCode } from '../exit-codes.js';
import { loadNetwork } from '../load-network.js';
import { ProgressView, type ProgressMode } from '../progress.js';
import { integerOption, numberOption } from '../parse.js';

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'run a network module, showing its progress',
  help: [
    'A network module default-exports a network, or a function (given the extra arguments) returning one.',
    'On the threads runtime the workers load the same module, so the processes they run must be exported from it.',
    'On the nats runtime the network runs on `cspflow worker` processes started separately with --module of the',
    'same module; NATS credentials come from the environment (CSPFLOW_NATS_USER and CSPFLOW_NATS_PASS, or',
    'CSPFLOW_NATS_TOKEN), never from the command line. A server that cannot be reached, refused credentials or',
    'no worker answering is exit code 6.',
    '',
    'Examples:',
    '  cspflow run ./pipeline.js',
    '  cspflow run ./pipeline.js --runtime threads --workers 4 -- 1000000',
    '  cspflow run ./pipeline.js --runtime nats --nats nats://10.0.0.5:4222',
    '  cspflow run ./pipeline.js --inspect 8080     (live view on http://127.0.0.1:8080/)',
    '  cspflow run ./pipeline.js --json | jq .snapshot.stages',
  ].join('\n'),
  arguments: [
    { name: '<module>', description: 'the network module (a file path)' },
    { name: '[args...]', description: 'arguments for the module\'s default export, when it is a function' },
  ],
  options: [
    { flags: '--runtime <name>', description: 'where to run', default: 'local', choices: ['local', 'threads', 'nats'] },
    { flags: '--workers <n>', description: 'threads: worker threads (default 2); nats: the most workers to use (default every one that answers, up to 64)' },
    { flags: '--nats <urls>', description: 'nats: the NATS server URL(s), comma-separated' },
    { flags: '--prefix <token>', description: 'nats: the first token of every subject (as the workers were given)', default: 'cspflow' },
    { flags: '--discover <ms>', description: 'nats: how long to wait for workers to answer', default: '1000' },
    { flags: '--restart <ms>', description: 'nats: how long to wait for a worker to take over processes lost with theirs (durable channels only)', default: '60000' },
    { flags: '--inspect [port]', description: 'serve the live view on 127.0.0.1 (a free port unless given)' },
    { flags: '--host <address>', description: 'address for the live view (only with --inspect; default 127.0.0.1)' },
    { flags: '--linger <seconds>', description: 'keep serving the live view this long after the run ends', default: '0' },
    { flags: '--interval <ms>', description: 'time between progress updates', default: '1000' },
    { flags: '--json', description: 'JSON lines on stdout (progress, then the end) instead of text on stderr' },
  ],
  async run(args, options, io) {
    const [path, extra] = args as [string, string[]];
    const workers = options['workers'] === undefined ? undefined : integerOption('--workers', options['workers'], 1);
    const interval = integerOption('--interval', options['interval'], 10);
    const linger = numberOption('--linger', options['linger'], 0);
    if (options['host'] !== undefined && options['inspect'] === undefined) throw new CliError(EXIT.usage, '--host is only meaningful with --inspect');
    const { net, url } = await loadNetwork(path, extra, io.cwd);
    const runtime = runtimeOf(options, workers, url, io);
    // A runtime that keeps workers (a thread pool) is closed when the command ends.
    await using _pool = isDisposable(runtime) ? runtime : null;
    const inspect = options['inspect'] === undefined ? undefined : inspectOptions(options['inspect'], options['host'], linger);
    const mode: ProgressMode = options['json'] === true ? 'json' : io.stderr.isTTY ? 'tty' : 'plain';
    const view = new ProgressView(mode, mode === 'json' ? io.stdout : io.stderr, `cspflow run ${path}`);
    const began = Date.now();
    const handle = start(net, { runtime, observe: true, ...(inspect === undefined ? {} : { inspect }) });
    const servers = typeof options['nats'] === 'string' ? redact(options['nats']) : '';
    if (mode === 'json') io.stdout.write(`${JSON.stringify({ type: 'start', module: path, runtime: runtime.name })}\n`);
    const listening = await announce(handle, mode, io);
    if (listening !== EXIT.ok) {
      await handle.stop().catch(() => {});
      return listening;
    }
    return watchUntilDone(handle, view, interval, began, io, servers);
  },
};

function runtimeOf(options: Readonly<Record<string, unknown>>, workers: number | undefined, url: string, io: CliIo): Runtime {
  const name = options['runtime'];
  if (name !== 'nats' && options['nats'] !== undefined) throw new CliError(EXIT.usage, '--nats is only meaningful with --runtime nats');
  if (name === 'threads') return threads({ size: workers ?? 2, modules: [url] });
  if (name !== 'nats') return local();
  const given = options['nats'];
  if (typeof given !== 'string') throw new CliError(EXIT.usage, 'run: --runtime nats needs --nats <url,...> (the NATS server or cluster the workers joined)');
  const servers = given.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const discoverMs = integerOption('--discover', options['discover'], 10);
  const restartMs = integerOption('--restart', options['restart'], 0);
  try {
    return nats({ servers, prefix: String(options['prefix']), discoverMs, restartMs, ...(workers === undefined ? {} : { workers }), ...natsCredentials(io.env) });
  } catch (error) {
    throw new CliError(EXIT.usage, `run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isDisposable(runtime: Runtime): runtime is Runtime & AsyncDisposable {
  return Symbol.asyncDispose in runtime;
}

/** The exit code and words for a run that could not start on NATS, or null for any other failure. */
function unreachable(error: unknown, servers: string): string | null {
  if (error instanceof NoWorkersError) return redact(error.message);
  return unreachableWords(error, servers);
}

function inspectOptions(value: unknown, host: unknown, lingerSeconds: number): { port: number; host?: string; linger: number } {
  const port = value === true ? 0 : integerOption('--inspect', value, 0);
  if (port > 65535) throw new CliError(EXIT.usage, `--inspect: the port must be in 0..65535, got ${port}`);
  return { port, linger: lingerSeconds * 1000, ...(typeof host === 'string' ? { host } : {}) };
}

/** Prints where the live view listens; a port that cannot be had is exit code `unreachable`. */
async function announce(handle: RunHandle, mode: ProgressMode, io: CliIo): Promise<ExitCode> {
  if (handle.inspector === null) return EXIT.ok;
  try {
    const { url } = await handle.inspector;
    if (mode === 'json') io.stdout.write(`${JSON.stringify({ type: 'inspect', url })}\n`);
    else io.stderr.write(`live view: ${url}\n`);
    return EXIT.ok;
  } catch (error) {
    io.stderr.write(`cspflow run: ${error instanceof InspectorError ? error.message : String(error)}\n`);
    return EXIT.unreachable;
  }
}

/** Draws progress at once, then every `interval` ms until the run settles; Ctrl-C stops it gracefully. */
async function watchUntilDone(handle: RunHandle, view: ProgressView, interval: number, began: number, io: CliIo, servers: string): Promise<ExitCode> {
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) globalThis.process.exit(EXIT.interrupted);
    interrupted = true;
    void handle.stop().catch(() => {});
  };
  globalThis.process.on('SIGINT', onSignal);
  view.update(handle.snapshot(), Date.now() - began);
  const timer = setInterval(() => view.update(handle.snapshot(), Date.now() - began), interval);
  try {
    await handle.done;
    view.finish(handle.snapshot(), Date.now() - began, { ok: true, interrupted });
    return interrupted ? EXIT.interrupted : EXIT.ok;
  } catch (error) {
    view.finish(handle.snapshot(), Date.now() - began, { ok: false, error: summarize(error), interrupted });
    if (interrupted) return EXIT.interrupted;
    const cannotStart = unreachable(error, servers);
    if (cannotStart !== null) {
      io.stderr.write(`cspflow run: ${cannotStart}\n`);
      return EXIT.unreachable;
    }
    return error instanceof DeadlockError ? EXIT.deadlock : EXIT.failed;
  } finally {
    clearInterval(timer);
    globalThis.process.off('SIGINT', onSignal);
  }
}
