/**
 * `cspflow inspect --nats <url,...>`: what runs on a NATS server or cluster now — every live
 * `cspflow worker` (its load, the runs it takes part in, the processes running on it), and every
 * run in progress (its workers, its channels and their depths) — asked once and printed as a
 * table, or as one JSON document with --json. Credentials come from the environment, as for
 * `cspflow worker`, and are never printed. It only asks; it changes nothing.
 */
import { connectBus, unreachableWords, type NatsBus } from '../../transports/nats/nats-client.js';
import { inspectAll, type ChannelRow, type InspectReport, type RunnerReport, type WorkerReport } from '../../transports/nats/inspect.js';
import { WorkerSubjects } from '../../transports/nats/subjects.js';
import type { CliIo, CommandSpec } from '../command.js';
import { CliError, EXIT } from '../exit-codes.js';
import { natsCredentials } from '../nats-credentials.js';
import { integerOption } from '../parse.js';
import { redact } from '../../transports/nats/redact.js';

export const inspectCommand: CommandSpec = {
  name: 'inspect',
  summary: 'list the live NATS workers, the processes on them and the channel depths of the runs in progress',
  help: [
    'Credentials come from the environment, as for `cspflow worker`: CSPFLOW_NATS_USER and',
    'CSPFLOW_NATS_PASS, or CSPFLOW_NATS_TOKEN. They are never printed.',
    '',
    'Exit codes: 0 answered (even by nobody) · 2 usage · 6 cannot connect to NATS or refused.',
    '',
    'Examples:',
    '  cspflow inspect --nats nats://10.0.0.5:4222',
    '  cspflow inspect --nats nats://10.0.0.5:4222 --json | jq ".workers[].id"',
  ].join('\n'),
  arguments: [],
  options: [
    { flags: '--nats <urls>', description: 'NATS server URL(s), comma-separated (required)' },
    { flags: '--prefix <token>', description: 'the first token of every subject (as the workers were given)', default: 'cspflow' },
    { flags: '--wait <ms>', description: 'how long to wait for answers (it stops sooner once they stop coming)', default: '1000' },
    { flags: '--json', description: 'one JSON document on stdout: { workers, runs }' },
  ],
  async run(_args, options, io) {
    const nats = options['nats'];
    if (typeof nats !== 'string') throw new CliError(EXIT.usage, 'inspect: give --nats <url,...> (the NATS server or cluster to ask)');
    const servers = nats.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const wait = integerOption('--wait', options['wait'], 10);
    let subjects: WorkerSubjects;
    try {
      subjects = new WorkerSubjects(String(options['prefix']));
    } catch (error) {
      throw new CliError(EXIT.usage, `inspect: --prefix: ${error instanceof Error ? error.message : String(error)}`);
    }
    const at = redact(servers.join(','));
    let bus: NatsBus;
    try {
      bus = await connectBus({ servers, name: 'cspflow inspect', ...natsCredentials(io.env) });
    } catch (error) {
      const unreachable = unreachableWords(error, at);
      if (unreachable !== null) throw new CliError(EXIT.unreachable, `inspect: ${unreachable}`);
      throw error;
    }
    let reports: InspectReport[];
    try {
      reports = await inspectAll(bus, subjects.inspect, wait);
    } finally {
      await bus.close();
    }
    const workers = reports.filter((r): r is WorkerReport => r.role === 'worker').sort((a, b) => a.id.localeCompare(b.id));
    const runs = reports.filter((r): r is RunnerReport => r.role === 'runner').sort((a, b) => a.run.localeCompare(b.run));
    if (options['json'] === true) io.stdout.write(`${JSON.stringify({ servers: at, prefix: subjects.prefix, workers, runs })}\n`);
    else io.stdout.write(text(at, subjects.prefix, workers, runs));
    return EXIT.ok;
  },
};

function channelLine(c: ChannelRow): string {
  const depth = c.kind === 'rendezvous' ? 'rendezvous' : `${c.depth}/${c.capacity} ${c.kind}`;
  return `    channel ${c.name}: ${depth}${c.state === 'open' ? '' : ` (${c.state})`}`;
}

function text(at: string, prefix: string, workers: readonly WorkerReport[], runs: readonly RunnerReport[]): string {
  const lines = [`NATS ${at}, prefix ${prefix}: ${workers.length} worker(s), ${runs.length} run(s) in progress`];
  for (const w of workers) {
    const load = w.capacity === 0 ? `${w.running} running` : `${w.running}/${w.capacity} running`;
    lines.push(`worker ${w.id}: ${load}${w.draining ? ', stopping' : ''}, ${w.runs.length} run(s), can run ${w.processes.length} process(es)`);
    for (const r of w.runs) {
      const procs = r.processes.map((p) => (p.count === 1 ? p.name : `${p.name} ×${p.count}`)).join(', ');
      lines.push(`  run ${r.run}: ${procs === '' ? 'no process running' : procs}`);
      for (const c of r.channels) lines.push(channelLine(c));
    }
  }
  for (const r of runs) {
    lines.push(`run ${r.run} (runner ${r.id}) on ${r.workers.join(', ')}: ${r.channels.length} channel(s) here`);
    for (const c of r.channels) lines.push(channelLine(c));
  }
  return `${lines.join('\n')}\n`;
}
