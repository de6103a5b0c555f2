/**
 * The core at scale (issue 13): how the cost of one operation grows with the size of the network.
 * Five growth measurements, each at a small and a large size (and some between), printing the
 * cost at each size and the ratio largest/smallest (1.0 = flat), plus commstime against the floor:
 *
 *   events     µs per event from outside (one setImmediate turn, a write in, a read out through an
 *              echo process) while P other processes are blocked, each reading its own channel;
 *              the floor's: P async functions awaiting its channels, an echo between two more
 *   seq        ns per process of one seq(...) of K processes, each writing one value to a shared end
 *              (seqs of K repeated to the same total of processes at every K); the floor's: K
 *              async functions awaited one after another, each writing to a floor channel
 *   ends       ns per end for a process given N ends, started and finished (the ends retire),
 *              repeated to the same total of ends at every N; the floor's: an async function
 *              given N floor channels, each closed once it ends
 *   fan-in     ns per value, W writers to one reader, 1M values in all, against the floor's fan-in
 *   deadlock   µs to report a 2-process deadlock (par rejects) beside P blocked processes
 *   commstime  ns per communication, cspflow against the floor (bench/core.ts's scenario)
 *   memory     bytes per channel (with a reader and a writer end) and per process blocked on a
 *              read, against the floor's channel and an async function awaiting its read
 *              (measured first, on a fresh heap, once)
 *
 * Every case runs in this ONE process; sizes of one measurement alternate within each
 * repetition, and the figure is the median over repetitions of process CPU time (user + system):
 * the machine is shared, and CPU time is the steadier clock there. A warm-up repetition runs first.
 *
 *   npx tsx --conditions=cspflow-source bench/scale.ts [--reps=9] [--quick] [--memory]
 *
 * --memory: only the memory figures. --only=<word>[,<word>…]: only the measurements whose name
 * contains one of the words (e.g. --only=fan-in,commstime); memory is measured first either way,
 * so the heap the timed cases run on is the same. Nine repetitions by default: with five, one
 * growth ratio in six runs came out past its goal on noise alone (decision 0010, fifth pass).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DeadlockError, chan, fixed, par, process as defineProcess, seq, type Reader, type Writer } from '../src/index.js';
import { DONE, FloorChannel } from './floor-channel.js';
import { cspflowCases } from './peers/cspflow.js';
import { floorCases } from './peers/floor.js';
import { median } from './stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? (quick ? 2 : 9));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** CPU nanoseconds spent by `fn`. */
async function cpu(fn: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

// ---- events while P processes are blocked ------------------------------------------------------

const idle = defineProcess('idle', async (inp: Reader<number>) => {
  await inp.read();
});

const echo = defineProcess('echo', async (inp: Reader<number>, out: Writer<number>) => {
  for await (const v of inp) await out.write(v);
});

/** µs per event: E turns of the event loop, each a write into `echo` and a read of its answer. */
async function events(p: number, e: number): Promise<number> {
  const quiet = Array.from({ length: p }, () => chan<number>());
  const writers = quiet.map((c) => c.writer());
  const inp = chan<number>();
  const out = chan<number>();
  const w = inp.writer();
  const r = out.reader();
  const running = par(...quiet.map((c) => idle(c.reader())), echo(inp.reader(), out.writer()));
  const event = async (i: number): Promise<void> => {
    await turn();
    await w.write(i);
    await r.read();
  };
  // Untimed first: what the set-up made (P parked processes) is promoted by the GC meanwhile.
  for (let i = 0; i < e; i++) await event(i);
  const ns = await cpu(async () => {
    for (let i = 0; i < e; i++) await event(i);
  });
  w.retire();
  r.retire();
  for (const q of writers) q.retire();
  await running;
  return ns / e / 1000;
}

/** The floor's events: P async functions awaiting a read of their own floor channel, an echo between two more. */
async function eventsFloor(p: number, e: number): Promise<number> {
  const quiet = Array.from({ length: p }, () => new FloorChannel<number>());
  const inp = new FloorChannel<number>();
  const out = new FloorChannel<number>();
  const parked = Promise.all(quiet.map(async (c) => void (await c.read())));
  const echoing = (async () => {
    for (let v = await inp.read(); v !== DONE; v = await inp.read()) await out.write(v);
  })();
  const event = async (i: number): Promise<void> => {
    await turn();
    await inp.write(i);
    await out.read();
  };
  for (let i = 0; i < e; i++) await event(i);
  const ns = await cpu(async () => {
    for (let i = 0; i < e; i++) await event(i);
  });
  inp.close();
  for (const c of quiet) c.close();
  await Promise.all([parked, echoing]);
  return ns / e / 1000;
}

// ---- one seq of K processes --------------------------------------------------------------------

const putOne = defineProcess('put-one', async (out: Writer<number>, v: number) => {
  await out.write(v);
});

/** One seq of K, repeated until `total` processes have run (so every size does the same work). */
async function seqOf(k: number, total: number): Promise<number> {
  let ns = 0;
  for (let done = 0; done < total; done += k) {
    const c = chan<number>({ buffer: fixed(16) });
    const w = c.writer();
    const r = c.reader();
    ns += await cpu(async () => {
      const running = seq(...Array.from({ length: k }, (_, i) => putOne(w, i)));
      for (let i = 0; i < k; i++) await r.read();
      await running;
    });
  }
  return ns / Math.max(total, k);
}

/**
 * The floor's equivalent: K async functions made first, then run one after another, each writing
 * one value to a shared floor channel of 16 slots while the caller reads them.
 */
async function seqOfFloor(k: number, total: number): Promise<number> {
  let ns = 0;
  for (let done = 0; done < total; done += k) {
    const c = new FloorChannel<number>(16);
    ns += await cpu(async () => {
      const steps = Array.from({ length: k }, (_, i) => async (): Promise<void> => c.write(i));
      const running = (async () => {
        for (const step of steps) await step();
      })();
      for (let i = 0; i < k; i++) await c.read();
      await running;
    });
  }
  return ns / Math.max(total, k);
}

// ---- ends held by one process ------------------------------------------------------------------

const holdAll = defineProcess('hold-all', async (_ends: Writer<number>[]) => {});

/** A process given N ends, repeated until `total` ends have been held. */
async function endsHeld(n: number, total: number): Promise<number> {
  let ns = 0;
  for (let done = 0; done < total; done += n) {
    const ends = Array.from({ length: n }, () => chan<number>().writer());
    ns += await cpu(() => par(holdAll(ends)));
    await turn();
  }
  return ns / Math.max(total, n);
}

/** The floor's equivalent: an async function given N floor channels, each closed (the floor's retire) once it ends. */
async function endsHeldFloor(n: number, total: number): Promise<number> {
  let ns = 0;
  for (let done = 0; done < total; done += n) {
    const channels = Array.from({ length: n }, () => new FloorChannel<number>());
    ns += await cpu(async () => {
      await (async (_held: FloorChannel<number>[]) => {})(channels);
      for (const c of channels) c.close();
    });
    await turn();
  }
  return ns / Math.max(total, n);
}

// ---- fan-in ------------------------------------------------------------------------------------

const FAN_TOTAL = 1_000_000;

const fanWriter = defineProcess('fan-writer', async (out: Writer<number>, m: number) => {
  for (let i = 0; i < m; i++) await out.write(1);
});

async function fanIn(w: number): Promise<number> {
  const c = chan<number>({ maxPending: w + 1 });
  const r = c.reader();
  const m = FAN_TOTAL / w;
  let sum = 0;
  const ns = await cpu(async () => {
    const writers = par(...Array.from({ length: w }, () => fanWriter(c.writer(), m)));
    for (let i = 0; i < FAN_TOTAL; i++) sum += await r.read();
    await writers;
  });
  if (sum !== FAN_TOTAL) throw new Error(`fan-in ${w}: read ${sum} of ${FAN_TOTAL}`);
  return ns / FAN_TOTAL;
}

async function fanInFloor(w: number): Promise<number> {
  const c = new FloorChannel<number>();
  const m = FAN_TOTAL / w;
  let sum = 0;
  const ns = await cpu(async () => {
    const writers = Promise.all(
      Array.from({ length: w }, async () => {
        for (let i = 0; i < m; i++) await c.write(1);
      }),
    );
    for (let i = 0; i < FAN_TOTAL; i++) {
      const v = await c.read();
      if (v !== DONE) sum += v;
    }
    await writers;
  });
  if (sum !== FAN_TOTAL) throw new Error(`floor fan-in ${w}: read ${sum} of ${FAN_TOTAL}`);
  return ns / FAN_TOTAL;
}

// ---- deadlock detection beside P blocked processes ---------------------------------------------

const left = defineProcess('left', async (inp: Reader<number>, out: Writer<number>) => {
  await out.write(await inp.read());
});

/** µs from starting a deadlocking pair to its par rejecting with DeadlockError, D times in a row. */
async function deadlockBeside(p: number, d: number): Promise<number> {
  const quiet = Array.from({ length: p }, () => chan<number>());
  const writers = quiet.map((c) => c.writer());
  const running = par(...quiet.map((c) => idle(c.reader())));
  const deadlock = async (): Promise<void> => {
    const a = chan<number>();
    const b = chan<number>();
    const outcome = await par(left(a.reader(), b.writer()), left(b.reader(), a.writer())).then(
      () => 'ended',
      (error: unknown) => error,
    );
    if (!(outcome instanceof DeadlockError)) throw new Error(`deadlock beside ${p}: got ${String(outcome)}`);
  };
  // Untimed first, as for events.
  for (let i = 0; i < d; i++) await deadlock();
  const ns = await cpu(async () => {
    for (let i = 0; i < d; i++) await deadlock();
  });
  for (const q of writers) q.retire();
  await running;
  return ns / d / 1000;
}

// ---- memory ------------------------------------------------------------------------------------

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MEMORY_N = 100_000;

/** Heap bytes per item of what `make` keeps alive (measured between two full GCs). */
async function bytesPer(make: (n: number) => Promise<() => Promise<void>>): Promise<number> {
  // Twice, a turn apart: what the previous measurement released is gone before `before` is read.
  await turn();
  gc();
  await turn();
  gc();
  const before = process.memoryUsage().heapUsed;
  const release = await make(MEMORY_N);
  await turn();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / MEMORY_N;
  await release();
  return bytes;
}

const channelsWithEnds = async (n: number): Promise<() => Promise<void>> => {
  // Three flat arrays (8 bytes a slot, as the floor's one): no tuple per channel billed to it.
  const channels = Array.from({ length: n }, () => chan<number>());
  const readers = channels.map((c) => c.reader());
  const writers = channels.map((c) => c.writer());
  return async () => void (channels.length + readers.length + writers.length);
};

const blockedProcesses = async (n: number): Promise<() => Promise<void>> => {
  const channels = Array.from({ length: n }, () => chan<number>());
  const writers = channels.map((c) => c.writer());
  const running = par(...channels.map((c) => idle(c.reader())));
  return async () => {
    for (const w of writers) w.retire();
    await running;
  };
};

const floorChannels = async (n: number): Promise<() => Promise<void>> => {
  const kept = Array.from({ length: n }, () => new FloorChannel<number>());
  return async () => void kept.length;
};

const floorBlocked = async (n: number): Promise<() => Promise<void>> => {
  const channels = Array.from({ length: n }, () => new FloorChannel<number>());
  const running = Promise.all(channels.map(async (c) => void (await c.read())));
  return async () => {
    for (const c of channels) c.close();
    await running;
  };
};

// ---- the table ---------------------------------------------------------------------------------

interface Measurement {
  readonly name: string;
  readonly unit: string;
  readonly sizes: readonly number[];
  run(size: number): Promise<number>;
  /** Per size, the floor's cost (a ratio to the floor is printed beside each size). */
  floor?(size: number): Promise<number>;
}

const q = (full: number, small: number): number => (quick ? small : full);

const MEASUREMENTS: readonly Measurement[] = [
  { name: 'events while P processes are blocked', unit: 'µs/event', sizes: [10, 100, 1_000, 10_000], run: (p) => events(p, q(2_000, 200)), floor: (p) => eventsFloor(p, q(2_000, 200)) },
  { name: 'one seq of K processes', unit: 'ns/process', sizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000], run: (k) => seqOf(k, q(100_000, 10_000)), floor: (k) => seqOfFloor(k, q(100_000, 10_000)) },
  {
    name: 'ends held by one process (start + finish)',
    unit: 'ns/end',
    sizes: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000],
    run: (n) => endsHeld(n, q(100_000, 10_000)),
    floor: (n) => endsHeldFloor(n, q(100_000, 10_000)),
  },
  { name: 'fan-in: W writers to one reader, 1M values', unit: 'ns/value', sizes: [10, 100, 1_000, 10_000], run: fanIn, floor: fanInFloor },
  { name: 'deadlock reported beside P blocked processes', unit: 'µs/deadlock', sizes: quick ? [10, 10_000] : [10, 1_000, 10_000, 100_000], run: (p) => deadlockBeside(p, q(200, 20)) },
];

// Memory first, on a heap nothing else has used yet, once: repeated in one process, the later
// measurements of the same kind came out far lower than a heap snapshot's sum of the objects
// (heap accounting after the earlier round's release), so only the first is taken.
const memory = { channel: 0, blocked: 0, floorChannel: 0, floorBlocked: 0 };
memory.channel = await bytesPer(channelsWithEnds);
memory.floorChannel = await bytesPer(floorChannels);
// A blocked process here is its channel, its reader given to it and the process waiting: the channel's share is taken off.
memory.blocked = (await bytesPer(blockedProcesses)) - memory.channel;
memory.floorBlocked = (await bytesPer(floorBlocked)) - memory.floorChannel;
const memoryLines: string[] = [];
memoryLines.push(`| memory per channel (reader + writer end) | bytes | cspflow ${memory.channel.toFixed(0)} · floor ${memory.floorChannel.toFixed(0)} | ${(memory.channel / memory.floorChannel).toFixed(2)}× floor |`);
memoryLines.push(`| memory per process blocked on a read | bytes | cspflow ${memory.blocked.toFixed(0)} · floor ${memory.floorBlocked.toFixed(0)} | ${(memory.blocked / memory.floorBlocked).toFixed(2)}× floor |`);
const whole = memory.channel + memory.blocked;
const floorWhole = memory.floorChannel + memory.floorBlocked;
memoryLines.push(`| memory per blocked process with its channel and ends | bytes | cspflow ${whole.toFixed(0)} · floor ${floorWhole.toFixed(0)} | ${(whole / floorWhole).toFixed(2)}× floor |`);

const memoryOnly = args.includes('--memory');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? null;
const chosen = (name: string): boolean => only === null || only.some((word) => name.includes(word));
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const started = Date.now();
const lines: string[] = [];

// Commstime first, right after the memory figures, as bench/core.ts measures it in a fresh process:
// what the growth measurements leave behind (garbage of networks of 100,000 processes, and the full
// GCs it brings) is not on its clock. Measured after them, commstime read 1.19-1.27x the floor
// until full GCs stopped throwing the core's optimized code away (decision 0021); 1.07-1.09x since.
/** Commstime, cspflow and the floor alternated: its table line. */
async function commstimeLine(): Promise<string> {
  const ourCase = cspflowCases.find((c) => c.scenario === 'commstime');
  const floorCase = floorCases.find((c) => c.scenario === 'commstime');
  if (ourCase === undefined || floorCase === undefined) throw new Error('commstime cases missing');
  const rounds = q(200_000, 20_000);
  const ours: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r <= reps * 2; r++) {
    for (const c of r % 2 === 0 ? [ourCase, floorCase] : [floorCase, ourCase]) {
      const ns = (await cpu(() => c.run(rounds))) / (rounds * 4);
      if (r > 0) (c === ourCase ? ours : floor).push(ns);
    }
  }
  process.stderr.write(`commstime done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  return `| commstime against the floor | ns/comm | cspflow ${fmt(median(ours))} · floor ${fmt(median(floor))} | ${(median(ours) / median(floor)).toFixed(2)}× floor |`;
}
const commstimeLines = !memoryOnly && chosen('commstime') ? [await commstimeLine()] : [];

for (const m of memoryOnly ? [] : MEASUREMENTS.filter((m) => chosen(m.name))) {
  const ours = m.sizes.map((): number[] => []);
  const floors = m.sizes.map((): number[] => []);
  for (let r = 0; r <= reps; r++) {
    for (let k = 0; k < m.sizes.length; k++) {
      const i = (k + r) % m.sizes.length;
      const size = m.sizes[i] as number;
      const a = await m.run(size);
      const f = m.floor === undefined ? 0 : await m.floor(size);
      if (r === 0) continue; // warm-up
      ours[i]?.push(a);
      floors[i]?.push(f);
    }
  }
  const med = ours.map(median);
  const cells = m.sizes.map((size, i) => {
    const floor = m.floor === undefined ? '' : ` (${(med[i] / median(floors[i] as number[])).toFixed(2)}× floor)`;
    return `${size.toLocaleString('en-US')}: ${fmt(med[i] as number)}${floor}`;
  });
  const ratio = (med[med.length - 1] as number) / (med[0] as number);
  const floorMed = floors.map(median);
  const floorRatio = m.floor === undefined ? '' : ` (the floor's own: ${((floorMed[floorMed.length - 1] as number) / (floorMed[0] as number)).toFixed(2)})`;
  lines.push(`| ${m.name} | ${m.unit} | ${cells.join(' · ')} | ${ratio.toFixed(2)}${floorRatio} |`);
  process.stderr.write(`${m.name} done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

console.log(`Median of ${reps} repetitions (CPU time), sizes interleaved, after a warm-up; \`npx tsx --conditions=cspflow-source bench/scale.ts ${args.join(' ')}\`.`.replace(' `.', '`.'));
console.log('');
console.log('| what grows | unit | cost at each size | largest/smallest |');
console.log('|---|---|---|--:|');
for (const line of [...lines, ...commstimeLines, ...memoryLines]) console.log(line);
process.stderr.write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
