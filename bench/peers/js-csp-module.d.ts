/** The part of js-csp 1.0.1 (which ships no types) that bench/peers/js-csp.ts uses. */
declare module 'js-csp' {
  interface CspChannel<T> {
    close(): void;
    /** Phantom: the type of values carried. */
    readonly __value?: T;
  }
  /** An instruction a go-block yields; the go-block is resumed with the instruction's result. */
  interface Instruction {
    readonly __instruction?: never;
  }
  interface Csp {
    /** Taken from a closed, drained channel (null in 1.0.1). */
    readonly CLOSED: null;
    /** No argument or 0: unbuffered (rendezvous); n: fixed buffer of n. */
    chan<T>(bufferOrN?: number): CspChannel<T>;
    /** Runs a generator as a go-block; the returned channel gets its return value. */
    go<A extends unknown[]>(gen: (...args: A) => Generator<Instruction, unknown, unknown>, args?: A): CspChannel<unknown>;
    put<T>(ch: CspChannel<T>, value: T): Instruction;
    take<T>(ch: CspChannel<T>): Instruction;
    takeAsync<T>(ch: CspChannel<T>, callback: (value: T | null) => void): void;
  }
  const csp: Csp;
  export = csp;
}
