/**
 * How the values of a durable channel travel: many to a JetStream message. A message is a batch of
 * encoded values — a 4-byte count, then each value as a 4-byte length and its bytes (big-endian) —
 * at most GROUP_VALUES values and a byte budget (durable-ledger.ts decides which values share a
 * message). A malformed batch throws: a stream of a run holds only what its writers put there.
 */

/** The most values one message carries. */
export const GROUP_VALUES = 64;
/** The bytes one message may take at most (before the server's own max_payload, which may be lower). */
export const GROUP_BYTES = 64 * 1_024;
/** The bytes a batch adds: its count. */
export const BATCH_HEAD = 4;
/** The bytes a batch adds per value: its length. */
export const VALUE_HEAD = 4;

/** One message's payload carrying `values` in order. */
export function encodeBatch(values: readonly Uint8Array[]): Uint8Array {
  let size = BATCH_HEAD;
  for (const v of values) size += VALUE_HEAD + v.byteLength;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, values.length);
  let at = BATCH_HEAD;
  for (const v of values) {
    view.setUint32(at, v.byteLength);
    out.set(v, at + VALUE_HEAD);
    at += VALUE_HEAD + v.byteLength;
  }
  return out;
}

/** The values of one message's payload, in order. */
export function decodeBatch(data: Uint8Array): Uint8Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.byteLength < BATCH_HEAD) throw new TypeError('a durable message is shorter than its header');
  const count = view.getUint32(0);
  const values: Uint8Array[] = [];
  let at = BATCH_HEAD;
  for (let i = 0; i < count; i++) {
    if (at + VALUE_HEAD > data.byteLength) throw new TypeError('a durable message ends inside a value header');
    const length = view.getUint32(at);
    at += VALUE_HEAD;
    if (at + length > data.byteLength) throw new TypeError('a durable message ends inside a value');
    values.push(data.subarray(at, at + length));
    at += length;
  }
  if (at !== data.byteLength) throw new TypeError('a durable message has bytes after its last value');
  return values;
}
