/**
 * Model-based testing of a channel: a sequential model of one channel with one writer end and
 * one reader end, and fast-check commands that do the same operation on the real channel and on
 * the model and compare the outcomes. Blocking operations are issued only when the model says
 * they complete at once, so the commands run in sequence; run them inside runScheduled so the
 * real channel's wake-ups are driven:
 *
 *   fc.asyncProperty(channelKindArb({ kinds: [...] }), channelCommandsArb(), schedulerArb(),
 *     (kind, cmds, s) => runScheduled(() => runChannelModel(kind, cmds), s))
 */
import type fc from 'fast-check';
import { chan } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { PoisonError, RetiredError } from '../core/errors.js';
import type { ChannelKind } from './channel-arbs.js';
import { fastCheck } from './fast-check.js';

/** An operation's outcome, as both sides report it: `ok`, `value 3`, `full`, `empty`, `retired`, or the error. */
export type Outcome = string;

/** The sequential model: what docs/semantics.md says one channel does, one operation at a time. */
export class ChannelModel<T> {
  readonly buffer: T[] = [];
  poisoned = false;
  writerRetired = false;
  readerRetired = false;

  constructor(readonly kind: ChannelKind) {}

  private get capacity(): number {
    return this.kind.buffer?.capacity ?? 0;
  }

  private writeBlocker(): Outcome | null {
    if (this.poisoned) return 'PoisonError';
    if (this.writerRetired) return 'RetiredError end-retired';
    if (this.readerRetired) return 'RetiredError readers-retired';
    return null;
  }

  private readBlocker(): Outcome | null {
    if (this.poisoned) return 'PoisonError';
    if (this.readerRetired) return 'RetiredError end-retired';
    return null;
  }

  /** Puts if it can now; null when a blocking write would wait. */
  private put(value: T): Outcome | null {
    if (this.buffer.length < this.capacity) this.buffer.push(value);
    else if (this.kind.buffer?.kind === 'sliding') {
      this.buffer.shift();
      this.buffer.push(value);
    } else if (this.kind.buffer?.kind !== 'dropping') return null;
    return 'ok';
  }

  tryWrite(value: T): Outcome {
    const b = this.writeBlocker();
    if (b === 'RetiredError readers-retired') return 'retired';
    if (b !== null) return b;
    return this.put(value) ?? 'full';
  }

  /** The outcome of `write(value)`, or null if it would wait. */
  write(value: T): Outcome | null {
    return this.writeBlocker() ?? this.put(value);
  }

  tryRead(): Outcome {
    const b = this.readBlocker();
    if (b !== null) return b;
    if (this.buffer.length > 0) return `value ${String(this.buffer.shift())}`;
    return this.writerRetired ? 'retired' : 'empty';
  }

  /** The outcome of `read()`, or null if it would wait. */
  read(): Outcome | null {
    const b = this.readBlocker();
    if (b !== null) return b;
    if (this.buffer.length > 0) return `value ${String(this.buffer.shift())}`;
    return this.writerRetired ? 'RetiredError writers-retired' : null;
  }

  retireWriter(): void {
    if (!this.poisoned) this.writerRetired = true;
  }

  retireReader(): void {
    if (this.poisoned || this.readerRetired) return;
    this.readerRetired = true;
    this.buffer.length = 0;
  }

  /** Poison through the writer end: a no-op once that end has retired. */
  poison(): void {
    if (this.writerRetired) return;
    this.poisoned = true;
    this.buffer.length = 0;
  }
}

/** The real side: one channel, one writer end, one reader end. */
export interface RealChannel<T> {
  readonly writer: Writer<T>;
  readonly reader: Reader<T>;
}

type Cmd<T> = fc.AsyncCommand<ChannelModel<T>, RealChannel<T>>;

function outcomeOf(error: unknown): Outcome {
  if (error instanceof PoisonError) return 'PoisonError';
  if (error instanceof RetiredError) return `RetiredError ${error.why}`;
  throw error;
}

async function settle(f: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    const r = await f();
    if (r === undefined) return 'ok';
    if (typeof r === 'object' && r !== null && 'ok' in r) {
      const t = r as { ok: boolean; value?: unknown; reason?: string };
      return t.ok ? ('value' in t ? `value ${String(t.value)}` : 'ok') : (t.reason as string);
    }
    return `value ${String(r)}`;
  } catch (error) {
    return outcomeOf(error);
  }
}

function expectSame(op: string, real: Outcome, model: Outcome): void {
  if (real !== model) throw new Error(`${op}: the channel gave "${real}", the model says "${model}"`);
}

class Op<T> implements Cmd<T> {
  constructor(
    private readonly name: string,
    private readonly onModel: (m: ChannelModel<T>) => Outcome | null,
    private readonly onReal: (r: RealChannel<T>) => unknown,
    private readonly blocking: (m: ChannelModel<T>) => boolean = () => false,
  ) {}

  check(m: Readonly<ChannelModel<T>>): boolean {
    return !this.blocking(m as ChannelModel<T>);
  }

  async run(m: ChannelModel<T>, r: RealChannel<T>): Promise<void> {
    const expected = this.onModel(m);
    const got = await settle(() => this.onReal(r));
    if (expected !== null) expectSame(this.name, got, expected);
  }

  toString(): string {
    return this.name;
  }
}

/** Would `write(v)` wait, by the model? (Decided on a copy: checking never changes the model.) */
function writeWaits<T>(m: ChannelModel<T>, v: T): boolean {
  const copy = Object.assign(new ChannelModel<T>(m.kind), m, { buffer: [...m.buffer] });
  return copy.write(v) === null;
}

function readWaits<T>(m: ChannelModel<T>): boolean {
  const copy = Object.assign(new ChannelModel<T>(m.kind), m, { buffer: [...m.buffer] });
  return copy.read() === null;
}

/** Commands over one channel: tryWrite, write, tryRead, read, retire (either end), poison. */
export function channelCommandsArb<T = number>(
  value?: fc.Arbitrary<T>,
  options: { readonly maxCommands?: number } = {},
): fc.Arbitrary<Iterable<Cmd<T>>> {
  const fc = fastCheck('channelCommandsArb()');
  const v = value ?? (fc.integer({ min: 0, max: 99 }) as unknown as fc.Arbitrary<T>);
  const commands: fc.Arbitrary<Cmd<T>>[] = [
    v.map((x) => new Op<T>(`tryWrite(${String(x)})`, (m) => m.tryWrite(x), (r) => r.writer.tryWrite(x))),
    v.map((x) => new Op<T>(`write(${String(x)})`, (m) => m.write(x), (r) => r.writer.write(x), (m) => writeWaits(m, x))),
    fc.constant(new Op<T>('tryRead()', (m) => m.tryRead(), (r) => r.reader.tryRead())),
    fc.constant(new Op<T>('read()', (m) => m.read(), (r) => r.reader.read(), readWaits)),
    fc.constant(new Op<T>('writer.retire()', (m) => (m.retireWriter(), null), (r) => r.writer.retire())),
    fc.constant(new Op<T>('reader.retire()', (m) => (m.retireReader(), null), (r) => r.reader.retire())),
    fc.constant(new Op<T>('writer.poison()', (m) => (m.poison(), null), (r) => r.writer.poison('model'))),
  ];
  return fc.commands(commands, { maxCommands: options.maxCommands ?? 30 });
}

/** Runs `commands` against a fresh channel of `kind` (on the current runtime) and the model. */
export async function runChannelModel<T>(kind: ChannelKind, commands: Iterable<Cmd<T>>): Promise<void> {
  const c = chan<T>({ name: 'under-test', buffer: kind.buffer });
  const real: RealChannel<T> = { writer: c.writer(), reader: c.reader() };
  await fastCheck('runChannelModel()').asyncModelRun(() => ({ model: new ChannelModel<T>(kind), real }), commands);
}
