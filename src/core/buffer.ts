/**
 * Buffer policies: a capacity and what a write does when the buffer is full.
 *
 * Invariants (Ring):
 * - 0 <= size <= capacity; values leave in the order they entered (FIFO).
 * - the backing array grows by doubling, so a large capacity costs nothing until used.
 */
import { checkInteger, invalidArgument } from './validate.js';

/** What a full buffer does with a new value. */
export type Overflow = 'wait' | 'drop-newest' | 'drop-oldest';

/** A buffer kind: `fixed(n)` waits when full, `dropping(n)` drops the new value, `sliding(n)` the oldest. */
export interface BufferSpec {
  readonly kind: 'fixed' | 'dropping' | 'sliding';
  readonly capacity: number;
}

function checkCapacity(kind: string, n: unknown, min: number): void {
  checkInteger(`${kind}(n)`, 'n', n, min);
}

export function fixed(n: number): BufferSpec {
  checkCapacity('fixed', n, 0);
  return { kind: 'fixed', capacity: n };
}

export function dropping(n: number): BufferSpec {
  checkCapacity('dropping', n, 1);
  return { kind: 'dropping', capacity: n };
}

export function sliding(n: number): BufferSpec {
  checkCapacity('sliding', n, 1);
  return { kind: 'sliding', capacity: n };
}

const KINDS: readonly unknown[] = ['fixed', 'dropping', 'sliding'];

/**
 * Normalises `buffer?: number | BufferSpec` (as given to `call`); a result of null means
 * rendezvous. Throws an argument error naming `options.buffer` for anything else.
 */
export function toBufferSpec(buffer: unknown, call = 'chan(options)'): BufferSpec | null {
  if (buffer === undefined) return null;
  if (typeof buffer === 'number') {
    checkInteger(call, 'options.buffer', buffer, 0);
    return buffer === 0 ? null : fixed(buffer);
  }
  if (typeof buffer !== 'object' || buffer === null || !KINDS.includes((buffer as Partial<BufferSpec>).kind)) {
    throw invalidArgument(
      'type',
      call,
      'options.buffer',
      buffer,
      'an integer >= 0 or a buffer made by fixed(n), dropping(n) or sliding(n) (or left out for a rendezvous)',
      'Write { buffer: 4 } or { buffer: sliding(4) }.',
    );
  }
  const spec = buffer as BufferSpec;
  checkCapacity(spec.kind, spec.capacity, spec.kind === 'fixed' ? 0 : 1);
  return spec.capacity === 0 ? null : { kind: spec.kind, capacity: spec.capacity };
}

export function overflowOf(spec: BufferSpec): Overflow {
  return spec.kind === 'fixed' ? 'wait' : spec.kind === 'dropping' ? 'drop-newest' : 'drop-oldest';
}

/** A FIFO ring of bounded capacity. */
export class Ring<T> {
  private items: (T | undefined)[] = new Array(8);
  private head = 0;
  size = 0;

  constructor(
    readonly capacity: number,
    /** What a write into the full ring does (kept here, so a channel needs no field for it). */
    readonly overflow: Overflow = 'wait',
  ) {}

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(value: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = value;
    this.size++;
  }

  /** Precondition: size > 0. */
  shift(): T {
    const value = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return value;
  }

  /** The first `n` values, oldest first, left in place. Precondition: n <= size. */
  peek(n: number): T[] {
    const out = new Array<T>(n);
    const mask = this.items.length - 1;
    for (let i = 0; i < n; i++) out[i] = this.items[(this.head + i) & mask] as T;
    return out;
  }

  clear(): void {
    this.items = new Array(8);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const next: (T | undefined)[] = new Array(this.items.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
