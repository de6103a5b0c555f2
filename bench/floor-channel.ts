/**
 * The floor: the least a promise-based channel can cost, written by us in ~30 lines so every
 * library is measured against the same yardstick. Rendezvous (capacity 0: a write resolves once a
 * reader took the value) or fixed-buffered. No poison, no alt, no abort, no checks: writing after
 * close() is undefined. read() resolves DONE once closed and drained. Plain arrays with shift()
 * as queues: V8 trims the front in place, which measured faster here than a head-index ring.
 */
export const DONE: unique symbol = Symbol('done');

export class FloorChannel<T> {
  private readonly buf: T[] = [];
  private readonly readers: Array<(v: T | typeof DONE) => void> = [];
  private readonly writers: Array<{ v: T; taken: () => void }> = [];
  private closed = false;
  constructor(private readonly capacity = 0) {}

  write(v: T): Promise<void> {
    if (this.readers.length > 0) this.readers.shift()!(v);
    else if (this.buf.length < this.capacity) this.buf.push(v);
    else return new Promise((taken) => this.writers.push({ v, taken }));
    return Promise.resolve();
  }

  read(): Promise<T | typeof DONE> {
    const w = this.writers.shift();
    if (this.buf.length > 0) {
      const v = this.buf.shift() as T;
      if (w) { this.buf.push(w.v); w.taken(); }
      return Promise.resolve(v);
    }
    if (w) { w.taken(); return Promise.resolve(w.v); }
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((r) => this.readers.push(r));
  }

  close(): void {
    this.closed = true;
    for (let r = this.readers.shift(); r; r = this.readers.shift()) r(DONE);
  }
}
