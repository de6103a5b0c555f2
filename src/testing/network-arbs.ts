/**
 * Small process networks to test a runtime or a scheduler against: pipelines, fan-out/fan-in
 * farms and rings, each with the output it must produce. `buildNetwork` lays one out on the
 * current runtime and hands back its ends, so a fault plan can poison or retire them.
 */
import type fc from 'fast-check';
import { alt, input, output } from '../core/alt.js';
import { chan } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { par, process } from '../core/process.js';
import { channelKindArb, type ChannelKind } from './channel-arbs.js';
import { fastCheck } from './fast-check.js';

export type NetworkSpec =
  /** source → stage 1 → … → stage n → sink; each stage adds 1. Order is kept. */
  | { readonly kind: 'pipeline'; readonly stages: number; readonly channels: readonly ChannelKind[] }
  /** source → one any-to-any channel → workers (each doubles) → one channel → sink. Order is not kept. */
  | { readonly kind: 'farm'; readonly workers: number; readonly channel: ChannelKind }
  /** A ring of `size` nodes; node 0 injects each value (alt: inject or receive) and emits it after one lap; each node adds 1. */
  | { readonly kind: 'ring'; readonly size: number; readonly channel: ChannelKind };

export interface NetworkArbOptions {
  readonly kinds?: readonly NetworkSpec['kind'][];
  readonly maxSize?: number;
}

export function networkArb(options: NetworkArbOptions = {}): fc.Arbitrary<NetworkSpec> {
  const fc = fastCheck('networkArb()');
  const kinds = options.kinds ?? ['pipeline', 'farm', 'ring'];
  const max = options.maxSize ?? 4;
  const kind = channelKindArb();
  const arbs: Record<NetworkSpec['kind'], fc.Arbitrary<NetworkSpec>> = {
    pipeline: fc
      .integer({ min: 1, max })
      .chain((stages) => fc.array(kind, { minLength: stages + 1, maxLength: stages + 1 }).map((channels) => ({ kind: 'pipeline' as const, stages, channels }))),
    farm: fc.record({ kind: fc.constant('farm' as const), workers: fc.integer({ min: 1, max }), channel: kind }),
    ring: fc.record({ kind: fc.constant('ring' as const), size: fc.integer({ min: 2, max }), channel: kind }),
  };
  return fc.oneof(...kinds.map((k) => arbs[k]));
}

/** What the network must output for `input` (sorted, for a farm, whose order is free). */
export function expectedOutput(spec: NetworkSpec, values: readonly number[]): number[] {
  switch (spec.kind) {
    case 'pipeline':
      return values.map((v) => v + spec.stages);
    case 'farm':
      return values.map((v) => v * 2).sort((a, b) => a - b);
    case 'ring':
      return values.map((v) => v + spec.size);
  }
}

/** Something a fault can hit: an end (or a group of ends). */
export interface FaultTarget {
  readonly name: string;
  poison(reason?: unknown): void;
  retire(): void;
}

export interface BuiltNetwork {
  /** Runs the network; resolves with what the sink received (sorted, for a farm). */
  run(): Promise<number[]>;
  /** The ends of the network's processes, by name: what fault plans aim at. */
  readonly targets: readonly FaultTarget[];
}

const source = process('source', async (values: readonly number[], out: Writer<number>) => {
  for (const v of values) await out.write(v);
});

const sink = process('sink', async (from: Reader<number>, into: number[]) => {
  for await (const v of from) into.push(v);
});

const stage = process('stage', async (from: Reader<number>, to: Writer<number>, f: (x: number) => number) => {
  for await (const v of from) await to.write(f(v));
});

const relay = process('ring-node', async (from: Reader<number>, to: Writer<number>) => {
  for await (const v of from) await to.write(v + 1);
});

/** Node 0: injects values while fewer than `size` are in flight, takes finished ones back, emits them. */
const ringHead = process('ring-head', async (values: readonly number[], size: number, to: Writer<number>, from: Reader<number>, out: Writer<number>) => {
  let next = 0;
  let inFlight = 0;
  while (next < values.length || inFlight > 0) {
    const r = await alt([output(to, values[next] as number, { when: next < values.length && inFlight < size - 1 }), input(from, { when: inFlight > 0 })]);
    if (r.index === 0) {
      next++;
      inFlight++;
    } else {
      inFlight--;
      await out.write((r.value as number) + 1);
    }
  }
});

interface Terminable {
  poison(reason?: unknown): void;
  retire(): void;
}

function named(end: Terminable, name: string): FaultTarget {
  return { name, poison: (reason) => end.poison(reason), retire: () => end.retire() };
}

/** Lays out `spec` on the current runtime (call it inside runScheduled's network function). */
export function buildNetwork(spec: NetworkSpec, values: readonly number[]): BuiltNetwork {
  const got: number[] = [];
  const targets: FaultTarget[] = [];
  const track = <E extends Terminable>(end: E, name: string): E => {
    targets.push(named(end, name));
    return end;
  };
  let processes;
  if (spec.kind === 'pipeline') {
    const cs = spec.channels.map((k, i) => chan<number>({ name: `p${i}`, buffer: k.buffer }));
    processes = [source(values, track(cs[0]!.writer(), 'source.out')), sink(track(cs[spec.stages]!.reader(), 'sink.in'), got)];
    for (let s = 0; s < spec.stages; s++) {
      processes.push(stage(track(cs[s]!.reader(), `stage${s}.in`), track(cs[s + 1]!.writer(), `stage${s}.out`), (x: number) => x + 1));
    }
  } else if (spec.kind === 'farm') {
    const work = chan<number>({ name: 'work', buffer: spec.channel.buffer });
    const done = chan<number>({ name: 'done', buffer: spec.channel.buffer });
    processes = [source(values, track(work.writer(), 'source.out')), sink(track(done.reader(), 'sink.in'), got)];
    for (let w = 0; w < spec.workers; w++) {
      processes.push(stage(track(work.reader(), `worker${w}.in`), track(done.writer(), `worker${w}.out`), (x: number) => x * 2));
    }
  } else {
    const links = Array.from({ length: spec.size }, (_, i) => chan<number>({ name: `ring${i}`, buffer: spec.channel.buffer }));
    const out = chan<number>({ name: 'emit' });
    processes = [
      ringHead(values, spec.size, track(links[0]!.writer(), 'head.out'), track(links[spec.size - 1]!.reader(), 'head.in'), out.writer()),
      sink(track(out.reader(), 'sink.in'), got),
    ];
    for (let i = 1; i < spec.size; i++) processes.push(relay(track(links[i - 1]!.reader(), `node${i}.in`), track(links[i]!.writer(), `node${i}.out`)));
  }
  return {
    targets,
    run: async () => {
      await par(processes);
      return spec.kind === 'farm' ? got.sort((a, b) => a - b) : got;
    },
  };
}
