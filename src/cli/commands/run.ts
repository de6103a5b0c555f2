/**
 * `cspflow run <module> [args...]`: runs a network module (see load-network.ts) on the local or
 * threads runtime, with its progress on stderr — redrawn in place on a terminal, one plain line
 * per update otherwise — or, with --json, JSON lines on stdout. Ctrl-C stops it gracefully (a
 * second Ctrl-C exits at once). Exit codes: exit-codes.ts.
 */
import { DeadlockError, InspectorError, local, start, type RunHandle, type Runtime } from '../../index.js';
import { summarize } from '../../observe/describe.js';
import { threads } from '../../threads/index.js';
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
    '',
    'Examples:',
    '  cspflow run ./pipeline.js',
    '  cspflow run ./pipeline.js --runtime threads --workers 4 -- 1000000',
    '  cspflow run ./pipeline.js --inspect 8080     (live view on http://127.0.0.1:8080/)',
    '  cspflow run ./pipeline.js --json | jq .snapshot.stages',
  ].join('\n'),
  arguments: [
    { name: '<module>', description: 'the network module (a file path)' },
    { name: '[args...]', description: 'arguments for the module\'s default export, when it is a function' },
  ],
  options: [
    { flags: '--runtime <name>', description: 'where to run', default: 'local', choices: ['local', 'threads'] },
    { flags: '--workers <n>', description: 'worker threads (threads runtime)', default: '2' },
    { flags: '--inspect [port]', description: 'serve the live view on 127.0.0.1 (a free port unless given)' },
    { flags: '--host <address>', description: 'address for the live view (only with --inspect; default 127.0.0.1)' },
    { flags: '--linger <seconds>', description: 'keep serving the live view this long after the run ends', default: '0' },
    { flags: '--interval <ms>', description: 'time between progress updates', default: '1000' },
    { flags: '--json', description: 'JSON lines on stdout (progress, then the end) instead of text on stderr' },
  ],
  async run(args, options, io) {
    const [path, extra] = args as [string, string[]];
    const workers = integerOption('--workers', options['workers'], 1);
    const interval = integerOption('--interval', options['interval'], 10);
    const linger = numberOption('--linger', options['linger'], 0);
    if (options['host'] !== undefined && options['inspect'] === undefined) throw new CliError(EXIT.usage, '--host is only meaningful with --inspect');
    const { net, url } = await loadNetwork(path, extra, io.cwd);
    const runtime: Runtime = options['runtime'] === 'threads' ? threads({ size: workers, modules: [url] }) : local();
    const inspect = options['inspect'] === undefined ? undefined : inspectOptions(options['inspect'], options['host'], linger);
    const mode: ProgressMode = options['json'] === true ? 'json' : io.stderr.isTTY ? 'tty' : 'plain';
    const view = new ProgressView(mode, mode === 'json' ? io.stdout : io.stderr, `cspflow run ${path}`);
    const began = Date.now();
    const handle = start(net, { runtime, observe: true, ...(inspect === undefined ? {} : { inspect }) });
    if (mode === 'json') io.stdout.write(`${JSON.stringify({ type: 'start', module: path, runtime: runtime.name })}\n`);
    const listening = await announce(handle, mode, io);
    if (listening !== EXIT.ok) {
      await handle.stop().catch(() => {});
      return listening;
    }
    return watchUntilDone(handle, view, interval, began);
  },
};

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
async function watchUntilDone(handle: RunHandle, view: ProgressView, interval: number, began: number): Promise<ExitCode> {
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
    return error instanceof DeadlockError ? EXIT.deadlock : EXIT.failed;
  } finally {
    clearInterval(timer);
    globalThis.process.off('SIGINT', onSignal);
  }
}
