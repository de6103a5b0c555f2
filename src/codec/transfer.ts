/**
 * Moving binary values instead of copying them. `transfer(x)` marks an ArrayBuffer, or a typed
 * array / DataView / Buffer spanning its whole buffer, as movable and returns it unchanged. A
 * batch of values encoded for the wire (encodeBatch) leaves its movable values out of the codec's
 * bytes: they ride beside those bytes (`attached`), and a link whose wire can move memory hands
 * their buffers over as a transfer list — the sender's buffer is detached, the receiver gets the
 * same memory. A wire that cannot move memory carries their bytes inline (a copy).
 *
 * Why a side table keyed by the batch's bytes: every path a batch takes (a write, a read's
 * answer, an alt's answer, a home relaying a value to a reader elsewhere) already carries that
 * Uint8Array, so the buffers follow it without a field in every message.
 *
 * Invariants:
 * - only top-level values of a batch are moved; a buffer nested inside another value is copied;
 * - a value that arrived moved is itself movable (a home relaying it moves it on);
 * - a buffer already detached, or shared memory, is refused (TransferError), never sent.
 */
import { CspflowError } from '../core/errors.js';

/** A buffer that cannot be moved: detached already, shared memory, or not a whole buffer. */
export class TransferError extends CspflowError {
  override readonly name = 'TransferError';
  readonly code = 'ERR_CSPFLOW_TRANSFER';
}

/** A value that can be moved. */
export type Movable = ArrayBuffer | ArrayBufferView;

/**
 * One moved value of a batch: its position among the batch's values, its kind, its whole buffer
 * (null on arrival when the wire message did not carry it: the batch then fails to decode).
 */
export interface Moved {
  readonly at: number;
  readonly kind: string;
  readonly buffer: ArrayBuffer | null;
}

const VIEWS: Readonly<Record<string, (buffer: ArrayBuffer) => ArrayBufferView>> = {
  Buffer: (b) => Buffer.from(b),
  Uint8Array: (b) => new Uint8Array(b),
  Int8Array: (b) => new Int8Array(b),
  Uint8ClampedArray: (b) => new Uint8ClampedArray(b),
  Int16Array: (b) => new Int16Array(b),
  Uint16Array: (b) => new Uint16Array(b),
  Int32Array: (b) => new Int32Array(b),
  Uint32Array: (b) => new Uint32Array(b),
  Float32Array: (b) => new Float32Array(b),
  Float64Array: (b) => new Float64Array(b),
  BigInt64Array: (b) => new BigInt64Array(b),
  BigUint64Array: (b) => new BigUint64Array(b),
  DataView: (b) => new DataView(b),
};

const MOVABLE = new WeakSet<object>();
const ATTACHED = new WeakMap<Uint8Array, readonly Moved[]>();

/**
 * Marks `value` to be moved, not copied, when it is written to a channel whose reader is on
 * another thread; returns it. After the write the writer must not use it (on threads its buffer
 * is detached). Throws TransferError for a detached or shared buffer, or a view of part of one.
 */
export function transfer<T extends Movable>(value: T): T {
  bufferOf(value);
  MOVABLE.add(value);
  return value;
}

/** True when `value` was marked by `transfer` (or arrived moved). */
export function isMovable(value: unknown): value is Movable {
  return typeof value === 'object' && value !== null && MOVABLE.has(value);
}

/** Throws TransferError when `value` is marked movable but can no longer be moved (detached since). */
export function checkMovable(value: unknown): void {
  if (isMovable(value)) bufferOf(value);
}

/** True when `buffer` has been detached (moved away). */
export function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength !== 0) return false;
  const own = (buffer as { readonly detached?: boolean }).detached;
  if (own !== undefined) return own;
  try {
    structuredClone(buffer);
    return false;
  } catch {
    return true;
  }
}

/** The whole buffer `value` stands for, or a TransferError saying why it cannot be moved. */
function bufferOf(value: Movable): ArrayBuffer {
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) throw new TransferError('a SharedArrayBuffer cannot be moved: it is already shared (send it as it is)');
  if (value instanceof ArrayBuffer) {
    if (isDetached(value)) throw new TransferError('this ArrayBuffer is detached (moved already): it cannot be moved again');
    return value;
  }
  if (!ArrayBuffer.isView(value)) throw new TransferError(`only an ArrayBuffer, a typed array, a DataView or a Buffer can be moved, not ${describe(value)}`);
  const buffer = value.buffer;
  if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) throw new TransferError('a view of a SharedArrayBuffer cannot be moved: its memory is already shared');
  if (!(buffer instanceof ArrayBuffer) || isDetached(buffer)) throw new TransferError("this view's buffer is detached (moved already): it cannot be moved again");
  if (value.byteOffset !== 0 || value.byteLength !== buffer.byteLength) {
    throw new TransferError(`only a view spanning its whole buffer can be moved (this one covers ${value.byteLength} of ${buffer.byteLength} bytes): move view.buffer, or a copy (view.slice())`);
  }
  if (VIEWS[kindOf(value)] === undefined) throw new TransferError(`a ${kindOf(value)} cannot be moved (only ArrayBuffer, DataView, Buffer and the standard typed arrays)`);
  return buffer;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : `a ${typeof value}`;
}

function kindOf(value: Movable): string {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  if (Buffer.isBuffer(value)) return 'Buffer';
  return value.constructor.name;
}

/**
 * Splits the movable values among the first `movable` of `values` from the rest (which the codec
 * encodes); null when there are none. Throws TransferError for one that cannot be moved, or a
 * buffer twice in one batch.
 */
export function splitMoved(values: readonly unknown[], movable: number): { readonly rest: unknown[]; readonly moved: Moved[] } | null {
  let moved: Moved[] | null = null;
  const n = Math.min(movable, values.length);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!isMovable(v)) continue;
    const buffer = bufferOf(v);
    moved ??= [];
    if (moved.some((m) => m.buffer === buffer)) throw new TransferError('one buffer is moved twice in one batch');
    moved.push({ at: i, kind: kindOf(v), buffer });
  }
  if (moved === null) return null;
  const rest = values.filter((_, i) => !(moved as Moved[]).some((m) => m.at === i));
  return { rest, moved };
}

/** `rest` (decoded by the codec) with the moved values put back in their places; each is movable. */
export function joinMoved(rest: readonly unknown[], moved: readonly Moved[]): unknown[] {
  const out: unknown[] = [];
  let r = 0;
  let m = 0;
  const total = rest.length + moved.length;
  for (let i = 0; i < total; i++) {
    const next = moved[m];
    if (next !== undefined && next.at === i) {
      out.push(revive(next));
      m++;
    } else {
      if (r >= rest.length) throw new TypeError(`a moved value's position ${next?.at ?? i} is past the end of its batch`);
      out.push(rest[r++]);
    }
  }
  if (m !== moved.length) throw new TypeError('moved values arrived out of order');
  return out;
}

function revive(m: Moved): unknown {
  if (m.buffer === null) throw new TypeError('a value moved beside this batch did not arrive with it');
  let value: object;
  if (m.kind === 'ArrayBuffer') value = m.buffer;
  else {
    const make = VIEWS[m.kind];
    if (make === undefined) throw new TypeError(`a moved value of unknown kind ${JSON.stringify(m.kind)}`);
    value = make(m.buffer);
  }
  MOVABLE.add(value);
  return value;
}

/** Records that `moved` ride beside the batch `data`. */
export function attach(data: Uint8Array, moved: readonly Moved[]): void {
  ATTACHED.set(data, moved);
}

/** The values that ride beside the batch `data`, if any. */
export function attached(data: Uint8Array): readonly Moved[] | undefined {
  return ATTACHED.get(data);
}

/** The bytes of `data` and of the values riding beside it (what a wire that cannot move must carry). */
export function batchBytes(data: Uint8Array): number {
  let n = data.length;
  for (const m of ATTACHED.get(data) ?? []) n += m.buffer?.byteLength ?? 0;
  return n;
}
