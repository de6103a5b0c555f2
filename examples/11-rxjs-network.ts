/**
 * 11 — an RxJS Observable feeding a network, and the network's output back as an Observable:
 * temperature readings (an Observable) enter a channel (fromObservable, bounded, failing loudly
 * on overflow), a `convert` process turns Celsius into Fahrenheit, and the converted stream
 * leaves as an Observable (toObservable) that RxJS filters into alerts.
 *
 *   npx tsx --conditions=cspflow-source examples/11-rxjs-network.ts
 */
import { argv } from 'node:process';
import { pathToFileURL } from 'node:url';
import { filter, from, lastValueFrom, map as rxMap, toArray, type Observable } from 'rxjs';
import { local, map, network, pipeline, process, run, type Reader, type Writer } from 'cspflow';
import { fromObservable, toObservable } from 'cspflow/rx';

const ingest = process('ingest', (readings: Observable<number>, out: Writer<number>) => fromObservable(readings, out, { overflow: 'error', buffer: 64 }));

const convert = process('convert', (celsius: Reader<number>, out: Writer<number>) => pipeline(celsius, map((c: number) => (c * 9) / 5 + 32), { out }));

const publish = process('publish', async (fahrenheit: Reader<number>, alerts: string[]) => {
  const hot = toObservable(fahrenheit).pipe(
    filter((f) => f > 100),
    rxMap((f) => `too hot: ${f}°F`),
    toArray(),
  );
  alerts.push(...(await lastValueFrom(hot)));
});

export async function alertsFor(readings: Observable<number>): Promise<string[]> {
  const alerts: string[] = [];
  const net = network((n) => {
    const celsius = n.channel<number>('celsius', { buffer: 8 });
    const fahrenheit = n.channel<number>('fahrenheit');
    n.spawn(ingest(readings, celsius.writer()), { place: 'main' });
    n.spawn(convert(celsius.reader(), fahrenheit.writer()));
    n.spawn(publish(fahrenheit.reader(), alerts), { place: 'main' });
  });
  await run(net, { runtime: local() });
  return alerts;
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  for (const alert of await alertsFor(from([21, 35, 40, 38.5, 12, 45]))) console.log(alert);
}
