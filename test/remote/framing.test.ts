/**
 * The remote layer's message framing: messages packed one by one and joined into one wire message
 * come back whole and in order, whatever their size — a big binary field appended rather than
 * packed decodes exactly as if it had been packed (bin 8, 16 and 32 headers).
 */
import { describe, expect, it } from 'vitest';
import { messagePacker } from '../../src/codec/msgpack.js';
import { encodeMessage, parseMessage, type Message } from '../../src/remote/protocol.js';

describe('message framing', () => {
  it('joins messages with small and big binary fields, and unpacks them as sent', () => {
    const packer = messagePacker();
    const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
    const messages: Message[] = [
      { kind: 'write', op: 0, end: 3, data: bytes(10), abortable: false },
      { kind: 'values', op: 1, data: bytes(200), last: true },
      { kind: 'write', op: 2, end: -4, data: bytes(5000), abortable: true },
      { kind: 'values', op: 3, data: bytes(70_000), last: false },
      { kind: 'alt-done', op: 5, index: 1, data: bytes(3000) },
      { kind: 'pong', op: 4 },
      ...Array.from({ length: 20 }, (_, i): Message => ({ kind: 'ping', op: 10 + i })),
    ];
    const parts: Uint8Array[] = [];
    let size = 0;
    for (const m of messages) size += packer.pack(encodeMessage(m), parts);
    const wire = packer.join(parts, size, messages.length);
    const back = packer.unpackAll(wire).map((raw) => parseMessage(raw, 'test'));
    expect(back.length).toBe(messages.length);
    for (const [i, m] of messages.entries()) {
      const got = back[i] as unknown as Record<string, unknown>;
      expect(Object.keys(got).sort()).toEqual(Object.keys(m).sort());
      for (const [key, value] of Object.entries(m)) {
        if (value instanceof Uint8Array) expect(Array.from(got[key] as Uint8Array)).toEqual(Array.from(value));
        else expect(got[key]).toEqual(value);
      }
    }
  });
});
