/**
 * 09 — fan-in and fan-out of log lines: three services' logs are merged into one stream, which is
 * broadcast to two consumers: an alerting stage (only the errors) and an archiver that stores
 * lines in batches of 4. Every stage is an operator, and every operator is a process: the end of
 * the three sources flows through merge and broadcast, and everything ends by itself.
 *
 *   npx tsx --conditions=cspflow-source examples/09-log-fan-in-fan-out.ts
 */
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import { batch, broadcast, chan, collect, filter, fromIterable, map, merge } from 'cspflow';

interface Line {
  readonly service: string;
  readonly level: 'info' | 'error';
  readonly text: string;
}

const logs: Record<string, readonly [Line['level'], string][]> = {
  api: [['info', 'GET /users'], ['error', 'timeout calling billing'], ['info', 'GET /health']],
  billing: [['info', 'invoice 42 created'], ['info', 'invoice 43 created'], ['error', 'card declined']],
  mailer: [['info', 'sent welcome mail'], ['info', 'queue empty']],
};

export async function processLogs(): Promise<{ alerts: string[]; archive: string[][] }> {
  const sources = Object.entries(logs).map(([service, lines]) => fromIterable(lines.map(([level, text]): Line => ({ service, level, text }))));
  const toAlerts = chan<Line>({ name: 'to-alerts', buffer: 8 });
  const toArchive = chan<Line>({ name: 'to-archive', buffer: 8 });
  const fanned = broadcast(merge(sources), [toAlerts.writer(), toArchive.writer()]);
  const alerts = collect(map(filter(toAlerts.reader(), (l) => l.level === 'error'), (l) => `ALERT ${l.service}: ${l.text}`));
  const archive = collect(batch(map(toArchive.reader(), (l) => `${l.service} ${l.level} ${l.text}`), 4));
  const [alerted, archived] = await Promise.all([alerts, archive, fanned]);
  return { alerts: alerted.sort(), archive: archived };
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  const { alerts, archive } = await processLogs();
  for (const a of alerts) console.log(a);
  console.log(`archived ${archive.flat().length} lines in ${archive.length} batches`);
}
