/**
 * Buffer policies: a capacity and what a write does when the buffer is full.
 *
 * Invariants (Ring):
 * - 0 <= size <= capacity; values leave in the order they entered (FIFO).
 * - the backing array grows by doubling, so a large capacity costs nothing until used.
 */

/** What a full buffer does with a new value. */
export type Overflow = 'wait' | 'drop-newest' | 'drop-oldest';

/** A buffer kind: `fixed(n)` waits when full, `dropping(n)` drops the new value, `sliding(n)` the oldest. */
export interface BufferSpec {
  readonly kind: 'fixed' | 'dropping' | 'sliding';
  readonly capacity: number;
}

function checkCapacity(kind: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`${kind}(n): n must be an integer >= ${min}, got ${String(n)}`);
  }
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

/** Normalises `buffer?: number | BufferSpec`; a result of null means rendezvous. */
export function toBufferSpec(buffer: number | BufferSpec | undefined): BufferSpec | null {
  if (buffer === undefined) return null;
  const spec = typeof buffer === 'number' ? fixed(buffer) : buffer;
  if (spec.kind === 'fixed') checkCapacity('fixed', spec.capacity, 0);
  else checkCapacity(spec.kind, spec.capacity, 1);
  return spec.capacity === 0 ? null : spec;
}

export function overflowOf(spec: BufferSpec): Overflow {
  return spec.kind === 'fixed' ? 'wait' : spec.kind === 'dropping' ? 'drop-newest' : 'drop-oldest';
}

/** A FIFO ring of bounded capacity. */
export class Ring<T> {
  private items: (T | undefined)[] = new Array(8);
  private head = 0;
  size = 0;

  constructor(readonly capacity: number) {}

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
