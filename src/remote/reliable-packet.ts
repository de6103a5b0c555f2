/**
 * The packets of a reliable link (reliable-link.ts), as bytes: a 13- or 17-byte header and, for
 * data, the payload. Binary on purpose: this sits under every message, so it must cost nothing to
 * read, and it must be checkable without trusting the sender (`parsePacket` never throws).
 *
 *   offset 0   kind (u8)         HELLO · WELCOME · DATA · ACK · BYE
 *   offset 1   from (u32)        the sender's session: random, fixed for the life of its link
 *   offset 5   to (u32)          the receiver's session as the sender knows it (0 before the handshake)
 *   offset 9   ack (u32)         every DATA up to this sequence number has been received in order
 *   offset 13  seq (u32)         DATA only: this packet's sequence number (from 1)
 *   offset 17  payload           DATA only
 */

export const HELLO = 1;
export const WELCOME = 2;
export const DATA = 3;
export const ACK = 4;
export const BYE = 5;

export type PacketKind = typeof HELLO | typeof WELCOME | typeof DATA | typeof ACK | typeof BYE;

export const CONTROL_BYTES = 13;
export const DATA_HEADER_BYTES = 17;

export interface Packet {
  readonly kind: PacketKind;
  readonly from: number;
  readonly to: number;
  readonly ack: number;
  /** 0 unless kind is DATA. */
  readonly seq: number;
  /** Empty unless kind is DATA. */
  readonly payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export function controlPacket(kind: Exclude<PacketKind, typeof DATA>, from: number, to: number, ack: number): Uint8Array {
  const bytes = new Uint8Array(CONTROL_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, kind);
  view.setUint32(1, from);
  view.setUint32(5, to);
  view.setUint32(9, ack);
  return bytes;
}

/** A DATA packet; `ack` is written later (each send carries the freshest ack), see `stampAck`. */
export function dataPacket(from: number, to: number, seq: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(DATA_HEADER_BYTES + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, DATA);
  view.setUint32(1, from);
  view.setUint32(5, to);
  view.setUint32(13, seq);
  bytes.set(payload, DATA_HEADER_BYTES);
  return bytes;
}

/** Rewrites the receiver session and the cumulative ack of a DATA packet before it is (re)sent. */
export function stampAck(packet: Uint8Array, to: number, ack: number): void {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  view.setUint32(5, to);
  view.setUint32(9, ack);
}

/** Reads a packet; null when the bytes are not one (too short, unknown kind). */
export function parsePacket(bytes: Uint8Array): Packet | null {
  if (bytes.byteLength < CONTROL_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  if (kind < HELLO || kind > BYE) return null;
  const from = view.getUint32(1);
  const to = view.getUint32(5);
  const ack = view.getUint32(9);
  if (kind !== DATA) return bytes.byteLength === CONTROL_BYTES ? { kind: kind as PacketKind, from, to, ack, seq: 0, payload: EMPTY } : null;
  if (bytes.byteLength < DATA_HEADER_BYTES) return null;
  const seq = view.getUint32(13);
  if (seq === 0) return null;
  return { kind: DATA, from, to, ack, seq, payload: bytes.subarray(DATA_HEADER_BYTES) };
}
